/**
 * The batch keystore APIs: order, progress, bounded concurrency and memory, failure and cancellation semantics,
 * and that native KDFs leave the event loop free.
 */
import { describe, expect, it } from 'vitest';
import { AbortedError, KeystoreError } from '../../src/errors.js';
import { decryptKeystores, encryptKeystores, runPool, type PoolJob } from '../../src/keys/batch.js';
import { encryptKeystore } from '../../src/keys/keystore.js';
import { MAX_CONCURRENT_KDF_MEMORY_BYTES, scryptMemoryBytes } from '../../src/keys/limits.js';
import { caught, expectCode, lowCost, TEST_SECRET_HEX, testSecret } from '../helpers/keys.js';
import { toHex } from '../helpers/vectors.js';

const MiB = 2 ** 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A pool run with fake jobs that records the largest number and memory in flight. */
async function observe(jobs: PoolJob[], concurrency: number, failAt?: number) {
  let inFlight = 0;
  let memory = 0;
  const peak = { count: 0, memory: 0 };
  const started: number[] = [];
  const discarded: number[] = [];
  const progress: [number, number][] = [];
  const run = async (i: number): Promise<number> => {
    started.push(i);
    inFlight++;
    memory += jobs[i]!.memory;
    peak.count = Math.max(peak.count, inFlight);
    peak.memory = Math.max(peak.memory, memory);
    await sleep(5 + (i % 3) * 3);
    inFlight--;
    memory -= jobs[i]!.memory;
    if (i === failAt) throw new KeystoreError('WRONG_PASSWORD', `job ${i} failed`);
    return i;
  };
  const result = await caught(async () => {
    const out = await runPool(jobs, concurrency, { onProgress: (d, t) => progress.push([d, t]) }, run, (r) =>
      discarded.push(r),
    );
    return out;
  });
  return { peak, started, discarded, progress, result, inFlightAtEnd: inFlight };
}

describe('runPool', () => {
  it('keeps order, reports progress and bounds concurrency', async () => {
    const jobs = Array.from({ length: 10 }, (): PoolJob => ({ kind: 'pbkdf2', memory: 0 }));
    let out: number[] = [];
    const progress: number[] = [];
    out = await runPool(jobs, 3, { onProgress: (d) => progress.push(d) }, async (i) => {
      await sleep(10 - i);
      return i * 2;
    }, () => undefined);
    expect(out).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const seen = await observe(jobs, 3);
    expect(seen.peak.count).toBe(3);
  });

  it('bounds the memory in flight to four default scrypt jobs (a job bigger than that runs alone)', async () => {
    const memory = scryptMemoryBytes(2 ** 18, 8, 1);
    const defaults = await observe(Array.from({ length: 12 }, (): PoolJob => ({ kind: 'scrypt', memory })), 8);
    expect(defaults.peak.count).toBe(4);
    expect(defaults.peak.memory).toBeLessThanOrEqual(MAX_CONCURRENT_KDF_MEMORY_BYTES);
    const n19 = await observe(Array.from({ length: 6 }, (): PoolJob => ({ kind: 'scrypt', memory: 2 * memory })), 8);
    expect(n19.peak.count).toBe(2);
    const big = await observe(Array.from({ length: 3 }, (): PoolJob => ({ kind: 'scrypt', memory: 1100 * MiB })), 8);
    expect(big.peak.count).toBe(1);
  });

  it('on failure: starts nothing new, lets running jobs settle, discards results, rejects with the error', async () => {
    const jobs = Array.from({ length: 20 }, (): PoolJob => ({ kind: 'pbkdf2', memory: 0 }));
    const seen = await observe(jobs, 2, 3);
    expect(seen.result).toBeInstanceOf(KeystoreError);
    expect((seen.result as Error).message).toBe('job 3 failed');
    expect(seen.inFlightAtEnd).toBe(0);
    expect(seen.started.length).toBeLessThan(8);
    expect(seen.discarded.sort((a, b) => a - b)).toEqual(seen.started.filter((i) => i !== 3).sort((a, b) => a - b));
  });

  it('on abort: rejects with AbortedError after running jobs settle; an aborted signal starts nothing', async () => {
    const ctl = new AbortController();
    const started: number[] = [];
    let running = 0;
    const p = runPool(
      Array.from({ length: 50 }, (): PoolJob => ({ kind: 'pbkdf2', memory: 0 })),
      2,
      { signal: ctl.signal },
      async (i) => {
        started.push(i);
        running++;
        await sleep(10);
        running--;
        return i;
      },
      () => undefined,
    );
    setTimeout(() => ctl.abort(), 35);
    expect(await caught(() => p)).toBeInstanceOf(AbortedError);
    expect(running).toBe(0);
    expect(started.length).toBeLessThan(20);
    let ran = false;
    const pre = runPool(
      [{ kind: 'pbkdf2', memory: 0 }],
      1,
      { signal: AbortSignal.abort() },
      () => Promise.resolve((ran = true)),
      () => undefined,
    );
    expect(await caught(() => pre)).toBeInstanceOf(AbortedError);
    expect(ran).toBe(false);
  });

  it('a throwing progress callback fails the batch', async () => {
    const onProgress = (done: number): void => {
      if (done === 1) throw new Error('ui');
    };
    const e = await caught(() =>
      runPool([{ kind: 'pbkdf2', memory: 0 }], 1, { onProgress }, () => Promise.resolve(1), () => undefined),
    );
    expect((e as Error).message).toBe('ui');
  });
});

describe('encryptKeystores / decryptKeystores', () => {
  it('round trip of mixed KDFs, in order, with progress', async () => {
    const items = Array.from({ length: 6 }, (_, i) => ({
      secret: testSecret(),
      password: `pw-${i}`,
      options: { ...lowCost(i % 2 === 0 ? 'scrypt' : 'pbkdf2', i), description: `share ${i}` },
    }));
    const progress: [number, number][] = [];
    const keystores = await encryptKeystores(items, { onProgress: (d, t) => progress.push([d, t]) });
    expect(keystores.map((k) => k.description)).toEqual(items.map((_, i) => `share ${i}`));
    const kdfs = keystores.map((k) => k.crypto.kdf.function);
    expect(kdfs).toEqual(['scrypt', 'pbkdf2', 'scrypt', 'pbkdf2', 'scrypt', 'pbkdf2']);
    expect(progress.at(0)).toEqual([0, 6]);
    expect(progress.at(-1)).toEqual([6, 6]);
    const back = keystores.map((keystore, i) => ({ keystore, password: `pw-${i}` }));
    const secrets = await decryptKeystores(back, { concurrency: 3 });
    expect(secrets.map((s) => toHex(s))).toEqual(Array(6).fill(`0x${TEST_SECRET_HEX}`));
  });

  it('validates every item before any KDF runs, naming the item', async () => {
    const good = await encryptKeystore(testSecret(), 'pw', lowCost('scrypt'));
    const bad = { ...good, version: 3 as 4 };
    let calls = 0;
    const e = await expectCode(
      () =>
        decryptKeystores(
          [
            { keystore: good, password: 'pw' },
            { keystore: bad, password: 'pw' },
          ],
          { onProgress: () => calls++ },
        ),
      'KEYSTORE_UNSUPPORTED',
      'version',
    );
    expect(e.message).toContain('items[1]');
    expect(calls).toBe(0);
    const items = [
      { secret: testSecret(), password: 'pw', options: lowCost('pbkdf2') },
      { secret: testSecret(), password: '', options: lowCost('pbkdf2') },
    ];
    const e2 = await expectCode(() => encryptKeystores(items), 'INVALID_ARGUMENT', 'password');
    expect(e2.message).toMatch(/^items\[1\]: /);
    items[1] = { ...items[1]!, password: 'pw', options: { kdf: 'scrypt', kdfParams: { n: 3 } } };
    const e3 = await expectCode(() => encryptKeystores(items), 'KEYSTORE_INVALID', 'crypto.kdf.params.n');
    expect(e3.message).toMatch(/^items\[1\]: /);
  });

  it('a wrong password in one item fails the batch with that item named', async () => {
    const ks = await encryptKeystore(testSecret(), 'pw', lowCost('pbkdf2'));
    const items = [0, 1, 2, 3].map((i) => ({
      keystore: ks,
      password: i === 2 ? 'wrong' : 'pw',
      source: `keystore-${i}.json`,
    }));
    const e = await expectCode(() => decryptKeystores(items, { concurrency: 1 }), 'WRONG_PASSWORD');
    expect(e.message).toContain('keystore-2.json');
  });

  it('rejects a bad concurrency', async () => {
    await expectCode(() => decryptKeystores([], { concurrency: 0 }), 'INVALID_ARGUMENT', 'concurrency');
    expect(await decryptKeystores([])).toEqual([]);
  });

  it('native scrypt at the real cost leaves the event loop free', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    try {
      await encryptKeystores([{ secret: testSecret(), password: 'pw', options: { kdf: 'scrypt' } }]);
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - t0;
    // A blocked loop would tick about once; a free one about elapsed / 10 times (allow for a busy machine).
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });
});
