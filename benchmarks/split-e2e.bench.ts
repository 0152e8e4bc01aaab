/**
 * Issue 5 target: end-to-end `dvkeys split` of 100 validators into 6-of-9 with pbkdf2 share keystores, from
 * scrypt input keystores (EIP-2335 costs). Reports wall time beside the unavoidable KDF work measured in the same
 * run (100 scrypt decryptions + 900 pbkdf2 encryptions + 900 pbkdf2 decryptions of the read-back check, timed one
 * at a time with node:crypto's async functions),
 * and the peak RSS. Target: wall time within 1.3x of (KDF work / cores).
 *
 * BENCH_VALIDATORS=N changes the count (default 100).
 */
import { pbkdf2, scrypt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../src/cli/main.js';
import { encryptKeystores } from '../src/keys/batch.js';
import { keystoreToJson } from '../src/keys/keystore.js';
import { randomScalar, encodeScalar } from '../src/bls/field.js';
import { report } from './lib.js';

const V = Number(process.env['BENCH_VALIDATORS'] ?? 100);
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'dvkeys-bench-split-'));
const inputs = join(work, 'in');
mkdirSync(inputs);

// Inputs: V scrypt keystores at n = 2^18 (made concurrently; not part of the timing).
const t0 = performance.now();
const secrets = Array.from({ length: V }, () => encodeScalar(randomScalar()));
const keystores = await encryptKeystores(secrets.map((secret, i) => ({ secret, password: `input-${i}`, options: { kdf: 'scrypt' as const } })));
keystores.forEach((ks, i) => {
  writeFileSync(join(inputs, `keystore-${i}.json`), keystoreToJson(ks));
  writeFileSync(join(inputs, `keystore-${i}.txt`), `input-${i}`);
});
console.log(`made ${V} scrypt input keystores in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// The unavoidable KDF work, measured now on this machine: one KDF at a time, several samples each.
const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);
async function median(fn: () => Promise<unknown>, n: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    xs.push(performance.now() - s);
  }
  return xs.sort((a, b) => a - b)[n >> 1]!;
}
const salt = Buffer.alloc(32, 7);
const scryptMs = await median(() => scryptAsync('pw', salt, 32, { N: 2 ** 18, r: 8, p: 1, maxmem: 2 ** 29 }), 5);
const pbkdf2Ms = await median(() => pbkdf2Async('pw', salt, 2 ** 18, 32, 'sha256'), 9);
const kdfWorkMs = V * scryptMs + 2 * 9 * V * pbkdf2Ms; // encrypt + read-back decrypt of every share

const out = join(work, 'out');
const io = {
  out: () => undefined,
  err: (t: string) => console.error(t),
  isTTY: false,
  env: process.env,
  cwd: work,
  signal: new AbortController().signal,
};
const s = performance.now();
const code = await main(['split', inputs, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', out], io);
const wallMs = performance.now() - s;
if (code !== 0) throw new Error(`split failed with exit code ${code}`);
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
rmSync(work, { recursive: true, force: true });

const floor = kdfWorkMs / cores;
report('split-e2e', `End-to-end split of ${V} validators, 6-of-9, pbkdf2 shares from scrypt inputs`, [
  { measure: 'wall time (s)', value: wallMs / 1000 },
  { measure: `KDF work (s): ${V} scrypt x ${scryptMs.toFixed(0)} ms + ${2 * 9 * V} pbkdf2 x ${pbkdf2Ms.toFixed(0)} ms`, value: kdfWorkMs / 1000 },
  { measure: `KDF work / ${cores} cores (s)`, value: floor / 1000 },
  { measure: 'wall / (KDF work / cores)  [target <= 1.3]', value: wallMs / floor },
  { measure: 'per validator (ms)', value: wallMs / V },
  { measure: 'peak RSS (MiB)', value: peakRssMiB },
], { validators: V, cores, scryptMs, pbkdf2Ms, wallMs, kdfWorkMs, peakRssMiB });
