/**
 * Issue 14: how much of `combine`'s time over its KDF floor is its own curve work, i.e. what pipelining the
 * recombination with the KDFs could save at most. runCombine (library, in process) of V validators from 6 of the 9
 * folders of a 6-of-9 split, every KDF at a tiny cost (pbkdf2 c = 16 shares, scrypt n = 16 output), so what is left
 * is the non-KDF work: per share keystore the secret-against-pubkey check, per validator the recombination checks
 * (checkRecombination: shares, polynomial, exact threshold, a threshold signature) and the key check. Process CPU
 * time is the figure to read on a shared machine (wall time is given too, with the load average). The same
 * checkRecombination alone is timed per validator.
 *
 * In runCombine the recombination runs after every share decryption and before the encryptions, on the main
 * thread, while the KDF thread pool is idle: at most that CPU time (about half of it on 2 cores, where the KDFs
 * would share the cores) is what overlapping it with the KDFs could save. BENCH_VALIDATORS=N (default 100).
 */
import { loadavg } from 'node:os';
import { encodeScalar, randomScalar } from '../src/bls/field.js';
import { runCombine } from '../src/ceremony/combine.js';
import { runSplit } from '../src/ceremony/split.js';
import type { FolderSnapshot } from '../src/ceremony/tree.js';
import { defaultIds } from '../src/sharing/ids.js';
import { checkRecombination } from '../src/sharing/recombine.js';
import { split } from '../src/sharing/shamir.js';
import { report, type Row } from './lib.js';

const V = Number(process.env['BENCH_VALIDATORS'] ?? 100);
const load = (): string => loadavg()[0]!.toFixed(2);
const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

const operators = ['eridian', 'spacesider', 'cloud'].flatMap((g, j) => [1, 2, 3].map((i) => ({ index: 3 * j + i, name: `${g}-${i}`, group: g })));
const { files } = await runSplit({
  validators: Array.from({ length: V }, (_, i) => ({ secret: encodeScalar(randomScalar()), source: `v${i}` })),
  operators,
  threshold: 6,
  kdf: 'pbkdf2',
  kdfParams: { c: 16 },
});
const manifest = files.find((f) => f.path === 'ceremony.json')!.bytes;
const folders: FolderSnapshot[] = ['eridian-1', 'eridian-2', 'spacesider-1', 'spacesider-3', 'cloud-2', 'cloud-3'].map((name) => ({
  label: name,
  files: new Map([...files.filter((f) => f.path.startsWith(`${name}/`)).map((f): [string, Uint8Array] => [f.path.slice(name.length + 1), f.bytes]), ['ceremony.json', manifest]]),
}));

const rows: Row[] = [];
for (let run = 1; run <= 2; run++) {
  const l0 = load();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await runCombine({ folders, password: 'bench', kdf: 'scrypt', kdfParams: { n: 16 } });
  rows.push({ measure: `runCombine, V = ${V}, 6 folders, tiny KDFs: process CPU (s), run ${run}`, value: cpuSince(c0), 'wall s': (performance.now() - t0) / 1000, load: `${l0} / ${load()}` });
}
const sample = Array.from({ length: 20 }, () => split(encodeScalar(randomScalar()), { threshold: 6, ids: defaultIds(9) }));
for (let run = 1; run <= 2; run++) {
  const l0 = load();
  const c0 = process.cpuUsage();
  for (const r of sample) checkRecombination({ threshold: 6, groupPublicKey: r.groupPublicKey, commitments: r.commitments, publicShares: r.publicShares }, { shares: r.shares.slice(0, 6) });
  rows.push({ measure: `checkRecombination per validator, 6 of 9: process CPU (ms), run ${run}`, value: (cpuSince(c0) * 1000) / sample.length, 'wall s': null, load: `${l0} / ${load()}` });
}
report('combine-curve', `combine's non-KDF work (V = ${V}, 6 of 9; tiny KDF costs)`, rows, { validators: V });
