/**
 * Attack a12 (lifecycle CLI, key leak): the coordinator writes a reshare plan to the INTENDED new operators (their
 * real host keys) but with new threshold 1 and `allowUnsafeThreshold: true` (`reshare init --new-threshold 1
 * --allow-unsafe-threshold`). The old dealers run `reshare deal --plan-id FP --new-operator-key ...` as documented: they never state the
 * new threshold nor the override, and deal's output does not show them, so the plan's safety gate is the
 * coordinator's to waive. Each new operator's folder then holds a 1-of-n' share, i.e. the validator key itself:
 * ONE new operator (a colluder of the coordinator, or any one compromised machine) rebuilds every validator key
 * with `dvkeys combine --in <its folder>`.
 *
 * Fixed (decision 1012): dealers state --new-threshold; the tests below run the attack against that and expect it
 * refused. Run: npx vitest run test/attacks/a12-reshare-threshold-one.test.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/ceremony/lifecycle-plan.js';
import { cli, fingerprintOf, hk, ok, party, splitCluster, tempDir, type Party } from '../cli/lifecycle-helpers.js';

let root: string;
let old: string;
let dealers: Party[];
let news: Party[];
let plan: string;
let fp: string;
const dealOutput: string[] = [];
let dealCodes: number[] = [];
let enrollments: string[] = [];
let dealings: string[] = [];

beforeAll(async () => {
  root = tempDir('a12');
  old = await splitCluster(root);
  dealers = [];
  for (let i = 1; i <= 3; i++) dealers.push(await party(root, `old-${i}`));
  news = [];
  for (let j = 1; j <= 4; j++) news.push(await party(root, `new-${j}`));
  plan = join(root, 'plan.json');
  // the hostile coordinator's init: the intended operators, threshold 1, the gate waived
  fp = fingerprintOf(await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...dealers.flatMap((d, i) => ['--dealer', `${i + 1}=${d.pub}`]),
    ...news.flatMap((n, j) => ['--new-operator', `new-${j + 1}=${n.pub}`]), '--new-threshold', '1', '--allow-unsafe-threshold', '--out', plan, '--json'));
  enrollments = [];
  for (const n of news) {
    enrollments.push(join(n.dir, 'enroll.json'));
    ok(await cli('reshare', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(n), '--out', enrollments.at(-1)!));
  }
  // the honest dealers: exactly the documented command, with the fingerprint they compared and every new operator's
  // real host key (as decision 1010 asks; the keys are right, only the threshold is the coordinator's)
  dealings = [];
  dealCodes = [];
  for (const [i, d] of dealers.entries()) {
    dealings.push(join(d.dir, 'deal.json'));
    const r = await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(d), '--folder', join(old, `operator-${i + 1}`), ...news.flatMap((n) => ['--new-operator-key', n.pub]), '--new-threshold', '3', '--out', dealings.at(-1)!, ...enrollments);
    dealCodes.push(r.code);
    dealOutput.push(r.out, r.err);
  }
}, 240_000);

describe('a12: a reshare plan with new threshold 1 and the safety gate waived by the coordinator', () => {
  it('setup: the plan says 1-of-4 with allowUnsafeThreshold, to the intended new operators; without the override init refuses it', async () => {
    const p = parsePlan(JSON.parse(readFileSync(plan, 'utf8')));
    expect(p.newThreshold).toBe(1);
    expect((JSON.parse(readFileSync(plan, 'utf8')) as { allowUnsafeThreshold: boolean }).allowUnsafeThreshold).toBe(true);
    expect(p.recipients.map((r) => Buffer.from(r.hostKey).toString('hex'))).toEqual(news.map((n) => n.pub.slice(2)));
    const refused = await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...dealers.flatMap((d, i) => ['--dealer', `${i + 1}=${d.pub}`]),
      ...news.flatMap((n, j) => ['--new-operator', `new-${j + 1}=${n.pub}`]), '--new-threshold', '1', '--out', join(root, 'gated.json'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('UNSAFE_THRESHOLD');
  });

  // Was SUCCEEDS (22fb211): every dealer dealt without being shown or asked the new threshold, and new operator 1's
  // folder alone combined to every validator secret key. Defence (decision 1012): `reshare deal` requires the
  // dealer's own --new-threshold and refuses a plan with another one, and a plan that waives the safety gate unless
  // the dealer waives it too.
  it('DEFENDED: dealers who state the agreed threshold 3 refuse the plan; nothing is dealt', () => {
    expect(dealCodes).toEqual([1, 1, 1]);
    for (let i = 0; i < 3; i++) {
      expect(dealOutput[2 * i + 1]).toContain("the plan's new threshold is 1 of 4, not the 3 you stated: do not deal");
      expect(dealOutput[2 * i + 1]).toContain('[CEREMONY_MISMATCH]');
      expect(existsSync(dealings[i]!)).toBe(false);
    }
  });

  it('DEFENDED: a dealer who states 1 but not the waiver is refused too (UNSAFE_THRESHOLD); with both it deals', async () => {
    const d = dealers[0]!;
    const args = ['reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(d), '--folder', join(old, 'operator-1'), ...news.flatMap((n) => ['--new-operator-key', n.pub]), '--new-threshold', '1'];
    const r = await cli(...args, '--out', join(root, 'w.json'), ...enrollments);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the plan waives the slashing-safety gate for 1 of 4');
    expect(r.err).toContain('[UNSAFE_THRESHOLD]');
    expect(existsSync(join(root, 'w.json'))).toBe(false);
    // the waiver stated by the dealer itself: its choice, and its output says what it dealt into
    const w = ok(await cli(...args, '--allow-unsafe-threshold', '--out', join(root, 'w2.json'), ...enrollments));
    expect(w.out).toContain('New cluster: threshold 1 of 4');
  }, 120_000);
});
