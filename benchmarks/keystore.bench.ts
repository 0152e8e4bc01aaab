/**
 * Issue 3 targets: keystores per second when encrypting 36 shares with each KDF at the EIP-2335 costs, through the
 * concurrent API, beside the raw node:crypto KDF rate measured in the same run at the same concurrency.
 * Targets: our overhead over the raw KDF under 10 %; on 2 cores at least 1.8x faster than encrypting one after
 * another.
 *
 * Sequential scrypt baselines run on fewer keystores (each takes ~1.25 s); their rate is per keystore all the same.
 * `BENCH_QUICK=1` shrinks every count for a smoke run; `BENCH_KDFS=scrypt` (or `pbkdf2`) runs one KDF only.
 */
import { create as csCreate, defaultPbkdfModule, defaultScryptModule } from '@chainsafe/bls-keystore';
import { pbkdf2, scrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { encodeScalar, randomScalar } from '../src/bls/field.js';
import { secretKeyToPublicKey } from '../src/bls/signature.js';
import { encryptKeystores } from '../src/keys/batch.js';
import { kdfParallelism } from '../src/keys/kdf.js';
import { encryptKeystore, type KdfChoice } from '../src/keys/keystore.js';
import { scryptMemoryBytes } from '../src/keys/limits.js';
import { generatePassword } from '../src/keys/password.js';
import { report, type Row } from './lib.js';

const quick = process.env['BENCH_QUICK'] === '1';
const SHARES = quick ? 6 : 36;
const secrets = Array.from({ length: SHARES }, () => encodeScalar(randomScalar()));
const passwords = secrets.map(() => generatePassword());

/** Busy CPU seconds of the whole machine from /proc/stat (Linux), or undefined elsewhere. */
function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return (fields.reduce((a, b) => a + b, 0) - idle) / 100; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

interface Timed {
  readonly seconds: number;
  /** Cores other processes kept busy meanwhile (machine busy time minus ours, over wall time). */
  readonly otherCores: number | undefined;
}

/** Wall time of `f` in seconds, and how busy the rest of the machine was meanwhile. */
async function wall(f: () => Promise<unknown>): Promise<Timed> {
  const busy0 = machineBusySeconds();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy1 = machineBusySeconds();
  const ours = (cpu.user + cpu.system) / 1e6;
  if (busy0 === undefined || busy1 === undefined) return { seconds, otherCores: undefined };
  return { seconds, otherCores: Math.max(0, (busy1 - busy0 - ours) / seconds) };
}

/** One raw node:crypto KDF at the EIP-2335 cost, async on the libuv pool. */
function rawKdf(kdf: KdfChoice, password: string): Promise<Buffer> {
  const salt = Buffer.alloc(32, 7);
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, key: Buffer): void => (err === null ? resolve(key) : reject(err));
    if (kdf === 'scrypt') {
      scrypt(password, salt, 32, { N: 2 ** 18, r: 8, p: 1, maxmem: scryptMemoryBytes(2 ** 18, 8, 1) + 2 ** 20 }, done);
    } else {
      pbkdf2(password, salt, 2 ** 18, 32, 'sha256', done);
    }
  });
}

/** Runs `count` raw KDFs with at most `concurrency` in flight. */
async function rawBatch(kdf: KdfChoice, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await rawKdf(kdf, passwords[i % SHARES]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** A run is clean when other processes used less than this many cores meanwhile. */
const CLEAN = 0.25;
const MAX_ROUNDS = Number(process.env['BENCH_MAX_ROUNDS'] ?? (quick ? 1 : 6));

/**
 * Best (shortest) clean wall time of each function: at least `rounds` rounds, alternating the functions so drift
 * hits them alike, and more rounds (up to BENCH_MAX_ROUNDS) while some function has no clean run yet. If none is
 * clean, the shortest run is kept and its "other cores" column shows it.
 */
async function bestOf(rounds: number, fs: readonly (() => Promise<unknown>)[]): Promise<Timed[]> {
  const best: Timed[] = fs.map(() => ({ seconds: Infinity, otherCores: Infinity }));
  const clean = (t: Timed): boolean => t.otherCores === undefined || t.otherCores < CLEAN;
  for (let r = 0; r < Math.max(rounds, MAX_ROUNDS); r++) {
    const order = r % 2 === 0 ? fs.map((_, i) => i) : fs.map((_, i) => fs.length - 1 - i);
    for (const i of order) {
      const t = await wall(fs[i]!);
      const b = best[i]!;
      if ((clean(t) && !clean(b)) || (clean(t) === clean(b) && t.seconds < b.seconds)) best[i] = t;
    }
    if (r + 1 >= rounds && best.every(clean)) break;
  }
  return best;
}

const rows: Row[] = [];
const summary: Record<string, unknown> = {};
const row = (kdf: KdfChoice, what: string, n: number, concurrency: number | string, t: Timed): number => {
  const rate = n / t.seconds;
  const other = t.otherCores === undefined ? null : Math.round(t.otherCores * 100) / 100;
  rows.push({ kdf, what, keystores: n, concurrency, 'best s': t.seconds, 'keystores/s': rate, 'other cores': other });
  return rate;
};
const loadAtStart = loadavg()[0];

const kdfs = (process.env['BENCH_KDFS'] ?? 'pbkdf2,scrypt').split(',') as KdfChoice[];
for (const kdf of kdfs) {
  const concurrency = await kdfParallelism(kdf);
  const rounds = quick ? 1 : kdf === 'scrypt' ? 1 : 3;
  const seqN = kdf === 'scrypt' ? (quick ? 2 : 8) : SHARES;
  const csN = kdf === 'scrypt' ? (quick ? 1 : 4) : SHARES;
  await rawBatch(kdf, 2, concurrency); // warm-up (pool threads, code paths)
  await encryptKeystores(secrets.slice(0, 2).map((secret) => ({ secret, password: 'warm-up', options: { kdf } })));

  const items = secrets.map((secret, i) => ({ secret, password: passwords[i]!, options: { kdf } }));
  const [tRaw, tOurs] = await bestOf(rounds, [() => rawBatch(kdf, SHARES, concurrency), () => encryptKeystores(items)]);
  const raw = row(kdf, 'raw node:crypto KDF, same concurrency', SHARES, concurrency, tRaw!);
  const ours = row(kdf, 'encryptKeystores (ours, concurrent)', SHARES, concurrency, tOurs!);
  const [tAll] = await bestOf(1, [() => rawBatch(kdf, SHARES, SHARES)]);
  const rawAll = row(kdf, 'raw node:crypto KDF, all queued (libuv pool of 4)', SHARES, SHARES, tAll!);

  const module = kdf === 'scrypt' ? defaultScryptModule() : defaultPbkdfModule();
  const [tSeq, tRawSeq, tCs] = await bestOf(quick || kdf === 'scrypt' ? 1 : 2, [
    async () => {
      for (let i = 0; i < seqN; i++) await encryptKeystore(secrets[i]!, passwords[i]!, { kdf });
    },
    () => rawBatch(kdf, seqN, 1),
    async () => {
      for (let i = 0; i < csN; i++) {
        await csCreate(passwords[i]!, secrets[i]!, secretKeyToPublicKey(secrets[i]!), '', '', module);
      }
    },
  ]);
  const seq = row(kdf, 'encryptKeystore one after another (ours)', seqN, 1, tSeq!);
  const rawSeq = row(kdf, 'raw node:crypto KDF one after another', seqN, 1, tRawSeq!);
  const cs = row(kdf, '@chainsafe/bls-keystore create, one after another', csN, 1, tCs!);
  summary[kdf] = {
    oursPerSecond: ours,
    rawSameConcurrencyPerSecond: raw,
    overheadPercent: (raw / ours - 1) * 100,
    speedupVsOursSequential: ours / seq,
    speedupVsChainsafeSequential: ours / cs,
    rawSpeedupOfConcurrency: raw / rawSeq,
    rawAllQueuedPerSecond: rawAll,
    rounds,
  };
}

for (const s of secrets) s.fill(0);
report('keystore', `Encrypting ${SHARES} share keystores at EIP-2335 cost (wall time)`, rows, {
  summary,
  availableParallelism: availableParallelism(),
  loadavg1m: { start: loadAtStart, end: loadavg()[0] },
  note: 'best clean run (other processes < 0.25 core) of alternating rounds; "other cores" shows interference',
  targets: 'overhead over the raw KDF < 10 %; concurrent >= 1.8x sequential on 2 cores',
});
for (const [kdf, s] of Object.entries(summary)) {
  const v = s as Record<string, number>;
  const f = (k: string): string => v[k]!.toFixed(2);
  console.log(
    `${kdf}: ${f('oursPerSecond')}/s, overhead vs raw KDF ${v['overheadPercent']!.toFixed(1)} %, ` +
      `${f('speedupVsOursSequential')}x our sequential, ${f('speedupVsChainsafeSequential')}x bls-keystore ` +
      `sequential (raw KDF concurrency gain ${f('rawSpeedupOfConcurrency')}x)`,
  );
}
