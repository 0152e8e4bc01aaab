/**
 * Attack a11 (lifecycle CLI, key leak): the coordinator writes a repair plan whose recipient is an old share id
 * with the COORDINATOR's own host key. Nothing ties a recipient host key to the holder of that share (the old
 * ceremony.json carries no host keys), and the helpers' commands never show it: they check the plan fingerprint the
 * coordinator gave them (identical for every helper, so comparing it among themselves shows nothing), contribute and
 * seal their sums to "share 2". The coordinator completes the repair itself and holds share 2. Three such "repairs"
 * (shares 2, 3, 4, each with the other three holders as helpers; the journal keys on the plan id, so each is new)
 * give it t = 3 shares, and `dvkeys combine` returns the validator secret keys. No operator colludes; each runs
 * exactly the documented commands (as test/cli/lifecycle-refresh-repair.test.ts does).
 *
 * Fixed: helpers state the recipient's host key (--recipient-key), dealers the new operators' (--new-operator-key);
 * the tests below run the attack against that and expect it refused. Run: npx vitest run test/attacks/a11-repair-to-coordinator.test.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/ceremony/lifecycle-plan.js';
import { cli, echoAll, fingerprintOf, hk, ok, party, splitCluster, tempDir, type Party } from '../cli/lifecycle-helpers.js';

let root: string;
let holders: Party[];
let coordinator: Party;
const refreshed: string[] = [];

/** The honest holders refresh their 3-of-4 split (a repair of a split's folder is refused: its bytes are pinned). */
beforeAll(async () => {
  root = tempDir('a11');
  const old = await splitCluster(root);
  holders = [];
  for (let i = 1; i <= 4; i++) holders.push(await party(root, `holder-${i}`));
  coordinator = await party(root, 'coordinator');
  const plan = join(root, 'refresh-plan.json');
  const fp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', plan, '--json'));
  const enrollments = [];
  for (const h of holders) {
    enrollments.push(join(h.dir, 'r-enroll.json'));
    ok(await cli('refresh', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', enrollments.at(-1)!));
  }
  const dealings = [];
  for (const h of holders) {
    dealings.push(join(h.dir, 'r-deal.json'));
    ok(await cli('refresh', 'deal', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', dealings.at(-1)!, ...enrollments));
  }
  const echoes = await echoAll('refresh', plan, holders, [...enrollments, ...dealings], 'r-echo');
  for (const [i, h] of holders.entries()) {
    const out = join(h.dir, 'refreshed');
    ok(await cli('refresh', 'finalize', '--plan', plan, ...hk(h), '--folder', join(old, `operator-${i + 1}`), '--out', out, '--insecure-keys', ...enrollments, ...dealings, ...echoes));
    refreshed.push(out);
  }
}, 300_000);

/**
 * One "repair" of share `r` run as the docs say: the coordinator inits (naming its own host key as the recipient's)
 * and hands every helper the plan and its fingerprint; each helper enrolls, contributes and sums with only that; the
 * coordinator enrolls as the recipient and completes. Returns the coordinator's folder and what each helper printed.
 */
async function hostileRepair(r: number): Promise<{ folder: string; helperOutput: string[] } | string> {
  const helpers = [1, 2, 3, 4].filter((i) => i !== r);
  const plan = join(coordinator.dir, `repair-${r}.json`);
  const helperOutput: string[] = [];
  const run = async (who: string, ...args: string[]): Promise<boolean> => {
    const res = await cli('repair', ...args);
    if (who !== 'coordinator') helperOutput.push(res.out, res.err);
    if (res.code !== 0) helperOutput.push(`REFUSED (${who} ${args[0]}): ${res.err}`);
    return res.code === 0;
  };
  const init = await cli('repair', 'init', '--old', join(refreshed[0]!, 'ceremony.json'), '--threshold', '3', ...helpers.flatMap((i) => ['--helper', `${i}=${holders[i - 1]!.pub}`]), '--recipient', `${r}=${coordinator.pub}`, '--out', plan, '--json');
  if (init.code !== 0) return `init refused: ${init.err}`;
  const fp = fingerprintOf(init);
  const enrollments = [...helpers.map((i) => join(holders[i - 1]!.dir, `p${r}-enroll.json`)), join(coordinator.dir, `p${r}-enroll.json`)];
  const deltas = helpers.map((i) => join(holders[i - 1]!.dir, `p${r}-deltas.json`));
  const sums = helpers.map((i) => join(holders[i - 1]!.dir, `p${r}-sum.json`));
  for (const [k, i] of helpers.entries()) if (!(await run(`helper ${i}`, 'enroll', '--plan', plan, '--plan-id', fp, ...hk(holders[i - 1]!), '--out', enrollments[k]!))) return helperOutput.join('\n');
  if (!(await run('coordinator', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(coordinator), '--out', enrollments[3]!))) return helperOutput.join('\n');
  for (const [k, i] of helpers.entries()) if (!(await run(`helper ${i}`, 'contribute', '--plan', plan, '--plan-id', fp, ...hk(holders[i - 1]!), '--folder', refreshed[i - 1]!, '--recipient-key', holders[r - 1]!.pub, '--out', deltas[k]!, ...enrollments))) return helperOutput.join('\n');
  for (const [k, i] of helpers.entries()) if (!(await run(`helper ${i}`, 'sum', '--plan', plan, ...hk(holders[i - 1]!), '--recipient-key', holders[r - 1]!.pub, '--out', sums[k]!, ...enrollments, ...deltas))) return helperOutput.join('\n');
  const folder = join(coordinator.dir, `share-${r}`);
  if (!(await run('coordinator', 'complete', '--plan', plan, ...hk(coordinator), '--out', folder, '--insecure-keys', ...enrollments, ...deltas, ...sums, ...sums.map((s) => `${s}.echo.json`)))) return helperOutput.join('\n');
  return { folder, helperOutput };
}

describe('a11: a repair plan naming the coordinator as the recipient', () => {
  it('setup: the refreshed cluster repairs; its ceremony.json has no host keys, and a plan naming the coordinator as recipient 2 parses', async () => {
    expect(refreshed).toHaveLength(4);
    const manifest = readFileSync(join(refreshed[0]!, 'ceremony.json'), 'utf8');
    for (const h of [...holders, coordinator]) expect(manifest).not.toContain(h.pub.slice(2));
    const planFile = join(root, 'probe-plan.json');
    ok(await cli('repair', 'init', '--old', join(refreshed[0]!, 'ceremony.json'), '--threshold', '3', ...[1, 3, 4].flatMap((i) => ['--helper', `${i}=${holders[i - 1]!.pub}`]), '--recipient', `2=${coordinator.pub}`, '--out', planFile));
    const p = parsePlan(JSON.parse(readFileSync(planFile, 'utf8')));
    expect(p.recipients.map((x) => [Number(x.id), Buffer.from(x.hostKey).toString('hex')])).toEqual([[2, coordinator.pub.slice(2)]]);
    expect(coordinator.pub).not.toBe(holders[1]!.pub);
  }, 60_000);

  // Was SUCCEEDS (d459a4a): the coordinator alone obtained shares 2, 3 and 4 and combined them to every validator key.
  // Defence: `repair contribute` and `repair sum` require --recipient-key, the key the holder of the lost share gave
  // the helper directly, and refuse a plan that seals the share to another key (CEREMONY_MISMATCH); the helpers here
  // state the real holders' keys, as an honest helper does.
  it('DEFENDED: every hostile repair is refused at the first helper contribute; the coordinator obtains no share', async () => {
    for (const r of [2, 3, 4]) {
      const got = await hostileRepair(r);
      expect(typeof got, `repair of share ${r} went through`).toBe('string');
      const text = got as string;
      expect(text).toMatch(/REFUSED \(helper \d contribute\)/);
      expect(text).toContain(`the plan seals share ${r} (operator-${r}) to host key ${coordinator.pub}, which is not a key you stated with --recipient-key`);
      expect(text).toContain('[CEREMONY_MISMATCH]');
      const helpers = [1, 2, 3, 4].filter((i) => i !== r);
      for (const i of helpers) expect(existsSync(join(holders[i - 1]!.dir, `p${r}-deltas.json`))).toBe(false);
      expect(existsSync(join(coordinator.dir, `share-${r}`))).toBe(false);
    }
  }, 600_000);

  it('DEFENDED: the same for a reshare whose plan lists the coordinator\'s key as every new operator: no dealer deals', async () => {
    const plan = join(coordinator.dir, 'reshare.json');
    const fakes: Party[] = [];
    for (let j = 1; j <= 4; j++) fakes.push(await party(coordinator.dir, `fake-${j}`));
    const real: Party[] = [];
    for (let j = 1; j <= 4; j++) real.push(await party(root, `real-new-${j}`));
    const fp = fingerprintOf(await cli('reshare', 'init', '--old', join(refreshed[0]!, 'ceremony.json'), '--threshold', '3', ...[1, 2, 3].flatMap((i) => ['--dealer', `${i}=${holders[i - 1]!.pub}`]),
      ...fakes.flatMap((f, j) => ['--new-operator', `new-${j + 1}@g${j < 2 ? 0 : 1}=${f.pub}`]), '--new-threshold', '3', '--out', plan, '--json'));
    const enrollments: string[] = [];
    for (const f of fakes) {
      enrollments.push(join(f.dir, 'enroll.json'));
      ok(await cli('reshare', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(f), '--out', enrollments.at(-1)!));
    }
    // an honest dealer states the keys the real new operators gave it
    const out = join(holders[0]!.dir, 'hostile-deal.json');
    const res = await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(holders[0]!), '--folder', refreshed[0]!, ...real.flatMap((n) => ['--new-operator-key', n.pub]), '--new-threshold', '3', '--out', out, ...enrollments);
    expect(res.code).toBe(1);
    expect(res.err).toContain(`the plan seals share 1 (new-1) to host key ${fakes[0]!.pub}, which is not a key you stated with --new-operator-key`);
    expect(res.err).toContain('[CEREMONY_MISMATCH]');
    expect(existsSync(out)).toBe(false);
    // without the keys stated at all: a usage error naming the option, nothing written
    const bare = await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(holders[0]!), '--folder', refreshed[0]!, '--out', out, ...enrollments);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('--new-operator-key 0xHOSTPUBKEY is required');
    expect(existsSync(out)).toBe(false);
  }, 300_000);
});
