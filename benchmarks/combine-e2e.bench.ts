/**
 * Issue 14 target: end-to-end `dvkeys combine` of 100 validators from 6 of the 9 folders of a 6-of-9 split with
 * pbkdf2 share keystores (EIP-2335 cost), writing scrypt keystores (combine's default) with a --password-file.
 *
 * The floor is the work the job cannot avoid: 6V PBKDF2 decryptions of the shares + V scrypt encryptions, measured
 * in the same run with bare node:crypto, every call in flight at once on the same thread pool (floor.ts), just
 * before and just after the combine; the ratio is against their mean. The combine runs in a child process, so its
 * peak RSS is its own. Target: wall within 1.3x of the floor.
 *
 * Set-up (not timed): V input keystores with a cheap scrypt (their cost does not matter here) and one
 * `dvkeys split` at full cost. BENCH_VALIDATORS=N changes the count (default 100).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystores } from '../src/keys/batch.js';
import { keystoreToJson } from '../src/keys/keystore.js';
import { randomScalar, encodeScalar } from '../src/bls/field.js';
import { kdfFloorMs, load1, runCliChild } from './floor.js';
import { report } from './lib.js';

const V = Number(process.env['BENCH_VALIDATORS'] ?? 100);
const T = 6;
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'dvkeys-bench-combine-'));
const inputs = join(work, 'in');
mkdirSync(inputs);
const loadStart = load1();

const t0 = performance.now();
const secrets = Array.from({ length: V }, () => encodeScalar(randomScalar()));
const keystores = await encryptKeystores(
  secrets.map((secret) => ({ secret, password: 'input', options: { kdf: 'scrypt' as const, kdfParams: { n: 2 ** 10 } } })),
);
keystores.forEach((ks, i) => writeFileSync(join(inputs, `keystore-${i}.json`), keystoreToJson(ks)));
for (const s of secrets) s.fill(0);
writeFileSync(join(work, 'input-password.txt'), 'input');
writeFileSync(join(work, 'password.txt'), 'recovered keystores password');
const made = await runCliChild(['split', inputs, '--password-file', 'input-password.txt', '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', 'split'], work);
if (made.code !== 0) throw new Error(`set-up split failed with exit code ${made.code}`);
console.log(`set up ${V} validators split 6-of-9 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const floorWork = { scrypt: V, pbkdf2: T * V };
const ins = ['eridian-1', 'eridian-2', 'spacesider-1', 'spacesider-3', 'cloud-2', 'cloud-3'].flatMap((d) => ['--in', join('split', d)]);
const floorBeforeMs = await kdfFloorMs(floorWork);
const run = await runCliChild(['combine', ...ins, '--password-file', 'password.txt', '--out', 'recovered'], work);
const floorAfterMs = await kdfFloorMs(floorWork);
rmSync(work, { recursive: true, force: true });
if (run.code !== 0) throw new Error(`combine failed with exit code ${run.code}`);
const floorMs = (floorBeforeMs + floorAfterMs) / 2;
const loadEnd = load1();

report('combine-e2e', `End-to-end combine of ${V} validators from ${T} folders, pbkdf2 shares to scrypt keystores`, [
  { measure: 'wall time of dvkeys combine (s)', value: run.wallMs / 1000 },
  { measure: `floor before the combine (s): ${T * V} pbkdf2 + ${V} scrypt, all in flight`, value: floorBeforeMs / 1000 },
  { measure: 'floor after the combine (s)', value: floorAfterMs / 1000 },
  { measure: 'wall / mean floor  [target <= 1.3]', value: run.wallMs / floorMs },
  { measure: 'peak RSS of the combine process (MiB)', value: run.peakRssMiB },
  { measure: '1-min load average at start / end', value: `${loadStart.toFixed(2)} / ${loadEnd.toFixed(2)}` },
], { validators: V, cores, wallMs: run.wallMs, floorBeforeMs, floorAfterMs, ratio: run.wallMs / floorMs, peakRssMiB: run.peakRssMiB, loadStart, loadEnd });
