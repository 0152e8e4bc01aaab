/**
 * Issue 14 target: end-to-end `dvkeys split` of 100 validators into 6-of-9 (three stakers of three nodes) with
 * pbkdf2 share keystores (the default with generated passwords), from scrypt input keystores at EIP-2335 cost.
 *
 * The floor is the work the job cannot avoid: V scrypt decryptions of the inputs + 9V PBKDF2 encryptions of the
 * shares, measured in the same run with bare node:crypto, every call in flight at once on the same thread pool
 * (floor.ts), once just before and once just after the split; the ratio is against their mean. The read-back's
 * KDFs are not in the floor: they are work the job adds (docs/decisions/0210: one sample per operator folder).
 * The split runs in a child process, so its peak RSS is its own. Target: wall within 1.3x of the floor.
 *
 * BENCH_VALIDATORS=N changes the count (default 100).
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
const N = 9;
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'dvkeys-bench-split-'));
const inputs = join(work, 'in');
mkdirSync(inputs);
const loadStart = load1();

// Inputs: V scrypt keystores at n = 2^18 (made concurrently; not part of the timing).
const t0 = performance.now();
const secrets = Array.from({ length: V }, () => encodeScalar(randomScalar()));
const keystores = await encryptKeystores(secrets.map((secret, i) => ({ secret, password: `input-${i}`, options: { kdf: 'scrypt' as const } })));
keystores.forEach((ks, i) => {
  writeFileSync(join(inputs, `keystore-${i}.json`), keystoreToJson(ks));
  writeFileSync(join(inputs, `keystore-${i}.txt`), `input-${i}`);
});
for (const s of secrets) s.fill(0);
console.log(`made ${V} scrypt input keystores in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const floorWork = { scrypt: V, pbkdf2: N * V };
const floorBeforeMs = await kdfFloorMs(floorWork);
const run = await runCliChild(['split', inputs, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', join(work, 'out')], work);
const floorAfterMs = await kdfFloorMs(floorWork);
rmSync(work, { recursive: true, force: true });
if (run.code !== 0) throw new Error(`split failed with exit code ${run.code}`);
const floorMs = (floorBeforeMs + floorAfterMs) / 2;
const loadEnd = load1();

report('split-e2e', `End-to-end split of ${V} validators, 6-of-${N}, pbkdf2 shares from scrypt inputs`, [
  { measure: 'wall time of dvkeys split (s)', value: run.wallMs / 1000 },
  { measure: `floor before the split (s): ${V} scrypt + ${N * V} pbkdf2, all in flight`, value: floorBeforeMs / 1000 },
  { measure: 'floor after the split (s)', value: floorAfterMs / 1000 },
  { measure: 'wall / mean floor  [target <= 1.3]', value: run.wallMs / floorMs },
  { measure: 'per validator (ms)', value: run.wallMs / V },
  { measure: 'peak RSS of the split process (MiB)', value: run.peakRssMiB },
  { measure: '1-min load average at start / end', value: `${loadStart.toFixed(2)} / ${loadEnd.toFixed(2)}` },
], { validators: V, cores, wallMs: run.wallMs, floorBeforeMs, floorAfterMs, ratio: run.wallMs / floorMs, peakRssMiB: run.peakRssMiB, loadStart, loadEnd });
