/**
 * Issue 14 part 3 (decision 0212): runSplit decrypts keystore inputs itself, a few validators ahead of the split,
 * through the same scheduler as the share encryptions; each decrypted key is wiped as soon as its shares are made,
 * and every decrypted key is wiped on failure. Checked by the order of admissions (scrypt inputs, pbkdf2 shares)
 * and by the secrets decryptKeystores handed out (recorded by a pass-through mock); no timing.
 */
import { describe, expect, it, vi } from 'vitest';
import { encodeScalar } from '../../src/bls/field.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { EncryptedValidatorInput } from '../../src/ceremony/split-inputs.js';
import { DvkeysError } from '../../src/errors.js';
import { encryptKeystore } from '../../src/keys/keystore.js';
import { scryptMemoryBytes } from '../../src/keys/limits.js';
import { KdfScheduler, type KdfRelease } from '../../src/keys/scheduler.js';
import { insecureTestRng } from '../helpers/rng.js';
import type * as Batch from '../../src/keys/batch.js';

const handedOut = vi.hoisted(() => [] as Uint8Array[]);
vi.mock('../../src/keys/batch.js', async (importOriginal) => {
  const real = await importOriginal<typeof Batch>();
  return {
    ...real,
    decryptKeystores: async (...args: Parameters<typeof real.decryptKeystores>) => {
      const got = await real.decryptKeystores(...args);
      handedOut.push(...got);
      return got;
    },
  };
});

const OPERATORS = [1, 2, 3, 4].map((i) => ({ index: i, name: `op-${i}`, group: `op-${i}` }));
const JOB = scryptMemoryBytes(16, 8, 1);
const live = (): number => handedOut.filter((s) => s.some((b) => b !== 0)).length;

/** A scheduler that logs every admission (the job's memory: JOB for an input decryption, 0 for a pbkdf2 share). */
class LoggingScheduler extends KdfScheduler {
  readonly log: ('in' | 'share')[] = [];
  /** The most decrypted secrets alive (not wiped) when a share encryption was admitted. */
  liveAtShare = 0;
  override async admit(memory: number, signal?: AbortSignal): Promise<KdfRelease | undefined> {
    const release = await super.admit(memory, signal);
    if (release !== undefined) {
      this.log.push(memory > 0 ? 'in' : 'share');
      if (memory === 0) this.liveAtShare = Math.max(this.liveAtShare, live());
    }
    return release;
  }
}

async function inputs(secrets: readonly bigint[], badPassword?: number): Promise<EncryptedValidatorInput[]> {
  const rng = insecureTestRng('pipeline inputs');
  return Promise.all(
    secrets.map(async (x, v) => ({
      keystore: await encryptKeystore(encodeScalar(x), `pw-${v}`, { kdf: 'scrypt', kdfParams: { n: 16 }, path: '', rng }),
      password: v === badPassword ? 'wrong' : `pw-${v}`,
      source: `in/keystore-${v}.json`,
    })),
  );
}

function split(validators: EncryptedValidatorInput[], scheduler: KdfScheduler, signal?: AbortSignal) {
  return runSplit({
    validators,
    operators: OPERATORS,
    threshold: 3,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('pipeline split'),
    scheduler,
    ...(signal === undefined ? {} : { signal }),
  });
}

async function failure(p: Promise<unknown>): Promise<DvkeysError> {
  const e: unknown = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(DvkeysError);
  return e as DvkeysError;
}

describe('runSplit with keystore inputs', () => {
  it('decrypts them in the pipeline: share encryptions start before the last input is decrypted, keys wiped early', async () => {
    handedOut.length = 0;
    const V = 6;
    // Room for two scrypt jobs: the feed decrypts two validators ahead of the one being split.
    const scheduler = new LoggingScheduler({ maxMemory: 2 * JOB });
    let last: [number, number] = [0, 0];
    const out = await runSplit({
      validators: await inputs(Array.from({ length: V }, (_, v) => BigInt(500 + v))),
      operators: OPERATORS,
      threshold: 3,
      kdf: 'pbkdf2',
      kdfParams: { c: 16 },
      rng: insecureTestRng('pipeline split'),
      scheduler,
      onProgress: (d, t) => (last = [d, t]),
    });
    expect(out.manifest.validators).toHaveLength(V);
    expect(out.manifest.validators.map((m) => m.pubkey)).toHaveLength(V);
    expect(scheduler.log.filter((x) => x === 'in')).toHaveLength(V);
    expect(scheduler.log.filter((x) => x === 'share')).toHaveLength(V * OPERATORS.length);
    expect(scheduler.log.indexOf('share')).toBeLessThan(scheduler.log.lastIndexOf('in')); // overlapped, not staged
    expect(last).toEqual([V + V * OPERATORS.length, V + V * OPERATORS.length]); // progress counts the decryptions
    expect(handedOut).toHaveLength(V);
    expect(live()).toBe(0); // every decrypted key wiped
    expect(scheduler.liveAtShare).toBeGreaterThan(0);
    expect(scheduler.liveAtShare).toBeLessThanOrEqual(3); // wiped once split, not held to the end (would reach V)
    expect(scheduler.state).toEqual({ jobs: 0, memory: 0, waiting: 0 });
  });

  it('a key repeated further down: DUPLICATE_KEY naming both sources, every decrypted key wiped', async () => {
    handedOut.length = 0;
    const scheduler = new LoggingScheduler({ maxMemory: 2 * JOB });
    const e = await failure(split(await inputs([7n, 8n, 9n, 8n, 10n]), scheduler));
    expect(e.code).toBe('DUPLICATE_KEY');
    expect(e.field).toBe('validators[3]');
    expect(e.message).toMatch(/^in\/keystore-3\.json holds the same key as in\/keystore-1\.json \(0x/);
    expect(handedOut.length).toBeGreaterThanOrEqual(4);
    expect(live()).toBe(0);
    expect(scheduler.state).toEqual({ jobs: 0, memory: 0, waiting: 0 });
  });

  it('a wrong password on a later input: WRONG_PASSWORD naming it, every decrypted key wiped', async () => {
    handedOut.length = 0;
    const scheduler = new LoggingScheduler({ maxMemory: 2 * JOB });
    const e = await failure(split(await inputs([7n, 8n, 9n, 10n, 11n], 3), scheduler));
    expect(e.code).toBe('WRONG_PASSWORD');
    expect(e.message).toMatch(/^in\/keystore-3\.json: /);
    expect(handedOut.length).toBeGreaterThanOrEqual(3);
    expect(live()).toBe(0);
    expect(scheduler.state).toEqual({ jobs: 0, memory: 0, waiting: 0 });
  });

  it('an abort while decrypting: ABORTED, the decryptions ahead stop, every decrypted key wiped', async () => {
    handedOut.length = 0;
    const ac = new AbortController();
    const scheduler = new LoggingScheduler({ maxMemory: 2 * JOB });
    const orig = scheduler.admit.bind(scheduler);
    let admitted = 0;
    scheduler.admit = async (memory, signal) => {
      const r = await orig(memory, signal);
      if (++admitted === 8) ac.abort();
      return r;
    };
    const e = await failure(split(await inputs([1n, 2n, 3n, 4n, 5n, 6n]), scheduler, ac.signal));
    expect(e.code).toBe('ABORTED');
    expect(scheduler.log.filter((x) => x === 'in').length).toBeLessThan(6);
    expect(live()).toBe(0);
    expect(scheduler.state).toEqual({ jobs: 0, memory: 0, waiting: 0 });
  });

  it('a keystore that does not parse is refused before any KDF runs', async () => {
    const scheduler = new LoggingScheduler();
    const good = await inputs([1n, 2n]);
    const bad = { ...good[1]!, keystore: { ...good[1]!.keystore, version: 3 } as unknown as EncryptedValidatorInput['keystore'] };
    const e = await failure(split([good[0]!, bad], scheduler));
    expect(e.code).toBe('KEYSTORE_UNSUPPORTED');
    expect(e.message).toMatch(/^in\/keystore-1\.json: /);
    expect(scheduler.log).toEqual([]);
  });
});
