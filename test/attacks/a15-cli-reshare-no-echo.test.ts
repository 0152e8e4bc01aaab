/**
 * Attack a15 (lifecycle CLI, transcript agreement): a08 through the CLI. The a08 fix (ce35b9d) built the echo round
 * in the library (src/lifecycle/echo.ts: signEcho, checkEchoes), but `dvkeys reshare finalize` does not run it: it
 * checks each dealing alone, combines and writes. Old dealer 2 deals twice: a copy of its host key file has its
 * own journal (decision 0430, "what it does not do"). The coordinator relays dealing A to new operators 1 and 2 and
 * dealing B to 3 and 4. Every new operator's finalize exits 0 and writes a folder, on two different new sharings.
 * No operator is told that dealer 2 equivocated (the library would convict it with DKG_EQUIVOCATION). Only the
 * handover fails later, and it names nobody. Safety holds, because the handover refuses and so the old shares are
 * kept. But the four new folders are useless: no t' = 3 of them share a world, and nobody is blamed.
 *
 * SUCCEEDED at ce35b9d; DEFENDED since bc0a96d added `reshare echo` (the test below runs it and fails if finalize
 * stops requiring the echoes or stops naming dealer 2). `npx vitest run test/attacks/a15-cli-reshare-no-echo.test.ts`.
 * See notes/attack.md a15.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fingerprintOf, hk, ok, party, splitCluster, tempDir, type Party } from '../cli/lifecycle-helpers.js';

let root: string;
let old: string;
let dealers: Party[];
let news: Party[];
let plan: string;
let enrollments: string[];
let worlds: string[][];

const newKeys = (): string[] => [...news.flatMap((n) => ['--new-operator-key', n.pub]), '--new-threshold', '3'];

beforeAll(async () => {
  root = tempDir('a15');
  old = await splitCluster(root);
  dealers = [];
  for (let i = 1; i <= 3; i++) dealers.push(await party(root, `old-${i}`));
  news = [];
  for (let j = 1; j <= 4; j++) news.push(await party(root, `new-${j}`));
  plan = join(root, 'plan.json');
  const fp = fingerprintOf(await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...dealers.flatMap((d, i) => ['--dealer', `${i + 1}=${d.pub}`]),
    ...news.flatMap((n, j) => ['--new-operator', `new-${j + 1}=${n.pub}`]), '--new-threshold', '3', '--out', plan, '--json'));
  enrollments = news.map((n) => join(n.dir, 'enroll.json'));
  for (const [j, n] of news.entries()) ok(await cli('reshare', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(n), '--out', enrollments[j]!));
  const deal = async (i: number, hostKeyFile: string, out: string): Promise<string> => {
    ok(await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, '--host-key', hostKeyFile, '--folder', join(old, `operator-${i + 1}`), ...newKeys(), '--out', out, ...enrollments));
    return out;
  };
  const d1 = await deal(0, join(dealers[0]!.dir, 'host-key.json'), join(dealers[0]!.dir, 'deal.json'));
  const d3 = await deal(2, join(dealers[2]!.dir, 'host-key.json'), join(dealers[2]!.dir, 'deal.json'));
  // dealer 2 (hostile): two dealings, the second with a copy of its host key (a copy has its own journal)
  const a = await deal(1, join(dealers[1]!.dir, 'host-key.json'), join(dealers[1]!.dir, 'deal-A.json'));
  copyFileSync(join(dealers[1]!.dir, 'host-key.json'), join(dealers[1]!.dir, 'host-key-copy.json'));
  const b = await deal(1, join(dealers[1]!.dir, 'host-key-copy.json'), join(dealers[1]!.dir, 'deal-B.json'));
  worlds = [[d1, a, d3], [d1, a, d3], [d1, b, d3], [d1, b, d3]];
}, 240_000);

describe('a15: reshare finalize and an equivocating dealer\'s split transcript (the CLI echo round)', () => {
  it('setup: dealer 2 holds two different valid dealings for one plan; given both, finalize refuses', async () => {
    const [a, b] = [worlds[0]![1]!, worlds[2]![1]!];
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(b, 'utf8'));
    const both = await cli('reshare', 'finalize', '--plan', plan, ...hk(news[0]!), '--out', join(root, 'both'), '--insecure-keys', ...enrollments, ...worlds[0]!, b);
    expect(both.code).not.toBe(0);
  }, 120_000);

  // Was SUCCEEDS at ce35b9d (no echo step in the CLI: finalize exit codes [0,0,0,0], 2 different ceremony.json, a
  // handover naming nobody). DEFENDED since bc0a96d (`reshare echo`): with every echo relayed, finalize names dealer 2.
  it('DEFENDED: with every echo relayed, no new operator writes a folder and each names exactly dealer 2 (DKG_EQUIVOCATION)', async () => {
    const echoes = news.map((n) => join(n.dir, 'echo.json'));
    for (const [j, n] of news.entries()) ok(await cli('reshare', 'echo', '--plan', plan, ...hk(n), '--out', echoes[j]!, ...enrollments, ...worlds[j]!));
    const lines: string[] = [];
    for (const [j, n] of news.entries()) {
      const out = join(n.dir, 'folder');
      const r = await cli('reshare', 'finalize', '--plan', plan, ...hk(n), '--out', out, '--insecure-keys', ...enrollments, ...worlds[j]!, ...echoes);
      expect(r.code).toBe(1);
      expect(existsSync(out)).toBe(false);
      lines.push(r.err.trim().split('\n').at(-1)!);
    }
    console.log(`a15: finalize with all echoes:\n  ${lines.join('\n  ')}`);
    for (const l of lines) expect(l).toMatch(/sender 2 .*DKG_EQUIVOCATION/);
  }, 180_000);

  // The coordinator relays to each world only its own world's echoes. Was: finalize said ECHO_MISSING with the two
  // honest members of the other world as CULPRITS, so a retry "without the culprits" dropped them. DEFENDED since
  // decision 0441: they are suspects with the coordinator, there is no culprit, nothing is written, and the
  // equivocating dealer 2 is not named (nothing in world A proves it).
  it('DEFENDED: a coordinator that withholds the other world\'s echoes makes nobody a culprit: members 3, 4 and the coordinator are suspects', async () => {
    const echoes = news.map((n) => join(n.dir, 'echo.json'));
    const out = join(news[0]!.dir, 'folder-w');
    const r = await cli('reshare', 'finalize', '--plan', plan, ...hk(news[0]!), '--out', out, '--insecure-keys', '--json', ...enrollments, ...worlds[0]!, echoes[0]!, echoes[1]!);
    console.log(`a15: finalize of new operator 1 with the echoes of 1 and 2 only: exit ${r.code}: ${r.err.trim().split('\n').at(-1) ?? ''}`);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n').at(-1)).toBe('dvkeys reshare: error: no valid echo from member 3, 4: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: member 3, 4 or the coordinator; nothing may be combined [ECHO_MISSING]');
    const { error } = JSON.parse(r.out) as { error: { code: string; culprits: string[]; suspects: string[] } };
    expect([error.code, error.culprits, error.suspects]).toEqual(['ECHO_MISSING', [], ['3', '4', 'coordinator']]);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
