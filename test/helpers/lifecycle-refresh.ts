/**
 * A 3-of-4 split of two validators refreshed by its four holders through the CLI (enroll, deal, echo; then finalize
 * by the chosen holders), shared by test/cli/lifecycle-stop.test.ts and test/attacks/a17-start-forged-plan.test.ts.
 */
import { join } from 'node:path';
import { cli, echoAll, fingerprintOf, hk, ok, party, splitCluster, tempDir, type Party } from '../cli/lifecycle-helpers.js';

/** The refreshed cluster and every file its rounds wrote. */
export interface RefreshedCluster {
  readonly root: string;
  /** The old (split) tree: operator-1..4. */
  readonly old: string;
  readonly holders: readonly Party[];
  readonly plan: string;
  /** The plan fingerprint (what holders compare out of band). */
  readonly fp: string;
  /** The enrollments, dealings and echoes, in that order. */
  readonly messages: readonly string[];
  /** The refreshed folder of holder i + 1 (undefined for holders that did not finalize). */
  readonly refreshed: readonly (string | undefined)[];
}

/** Runs the refresh; holders `finalizers` (1-based) finalize into `<holder dir>/refreshed`. */
export async function refreshedCluster(prefix: string, finalizers: readonly number[] = [1, 2, 3, 4]): Promise<RefreshedCluster> {
  const root = tempDir(prefix);
  const old = await splitCluster(root);
  const holders: Party[] = [];
  for (let i = 1; i <= 4; i++) holders.push(await party(root, `holder-${i}`));
  const plan = join(root, 'plan.json');
  const fp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', plan, '--json'));
  const enrollments: string[] = [];
  for (const h of holders) {
    enrollments.push(join(h.dir, 'enroll.json'));
    ok(await cli('refresh', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', enrollments.at(-1)!));
  }
  const dealings: string[] = [];
  for (const h of holders) {
    dealings.push(join(h.dir, 'deal.json'));
    ok(await cli('refresh', 'deal', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', dealings.at(-1)!, ...enrollments));
  }
  const echoes = await echoAll('refresh', plan, holders, [...enrollments, ...dealings]);
  const messages = [...enrollments, ...dealings, ...echoes];
  const refreshed: (string | undefined)[] = holders.map(() => undefined);
  for (const i of finalizers) {
    const out = join(holders[i - 1]!.dir, 'refreshed');
    ok(await cli('refresh', 'finalize', '--plan', plan, ...hk(holders[i - 1]!), '--folder', join(old, `operator-${i}`), '--out', out, '--insecure-keys', ...messages));
    refreshed[i - 1] = out;
  }
  return { root, old, holders, plan, fp, messages, refreshed };
}
