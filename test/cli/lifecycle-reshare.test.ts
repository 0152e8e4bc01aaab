/**
 * `dvkeys reshare` end to end through files (issue 16): a 3-of-4 split resharded to 4-of-6 by three old dealers,
 * every new folder accepted by `dvkeys verify` with the SAME validator pubkeys, four new folders combining to the
 * original keys, the handover; then the tamper cases (a cheating dealer's exact code and culprit with its
 * transferable complaint, a dealer that signs two dealings split by the coordinator (attack a08 over files: the
 * echo round names it), deal-once, nothing half-written, nothing overwritten).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, echoAll, expectCombinesToOriginal, expectVerifies, fails, fingerprintOf, hk, ok, party, pubkeysOf, splitCluster, tempDir, type Party } from './lifecycle-helpers.js';

let root: string;
let old: string;
let dealers: Party[];
let news: Party[];
let plan: string;
let fp: string;
let enrollments: string[];
let dealings: string[];
let echoes: string[];
/** What an honest dealer states: every new operator's host key, as each gave it directly (attack a11). */
const newKeys = (): string[] => [...news.flatMap((n) => ['--new-operator-key', n.pub]), '--new-threshold', '4'];

beforeAll(async () => {
  root = tempDir('reshare');
  old = await splitCluster(root);
  dealers = [];
  for (let i = 1; i <= 3; i++) dealers.push(await party(root, `old-${i}`));
  news = [];
  for (let j = 1; j <= 6; j++) news.push(await party(root, `new-${j}`));
  plan = join(root, 'plan.json');
  fp = fingerprintOf(await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...dealers.flatMap((d, i) => ['--dealer', `${i + 1}=${d.pub}`]),
    ...news.flatMap((n, j) => ['--new-operator', `${j < 3 ? 'north' : 'south'}-${j + 1}@${j < 3 ? 'north' : 'south'}=${n.pub}`]), '--new-threshold', '4', '--out', plan, '--json'));
  enrollments = [];
  for (const n of news) {
    const out = join(n.dir, 'enroll.json');
    ok(await cli('reshare', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(n), '--out', out));
    enrollments.push(out);
  }
  dealings = [];
  for (const [i, d] of dealers.entries()) {
    const out = join(d.dir, 'deal.json');
    ok(await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(d), '--folder', join(old, `operator-${i + 1}`), ...newKeys(), '--out', out, ...enrollments));
    dealings.push(out);
  }
  echoes = await echoAll('reshare', plan, news, [...enrollments, ...dealings]);
}, 240_000);

describe('dvkeys reshare 3-of-4 -> 4-of-6', () => {
  it('every new holder finalizes a folder that verify accepts with the same pubkeys; 4 combine to the original keys; handover', async () => {
    const folders: string[] = [];
    const handovers: string[] = [];
    for (const n of news) {
      const out = join(n.dir, 'folder');
      ok(await cli('reshare', 'finalize', '--plan', plan, ...hk(n), '--out', out, '--insecure-keys', ...enrollments, ...dealings, ...echoes));
      folders.push(out);
      handovers.push(`${out}.handover.json`);
      expect(pubkeysOf(join(out, 'ceremony.json'))).toEqual(pubkeysOf(join(old, 'ceremony.json')));
      const m = JSON.parse(readFileSync(join(out, 'ceremony.json'), 'utf8'));
      expect([m.kind, m.threshold, m.operators.length]).toEqual(['reshare', 4, 6]);
    }
    // the same ceremony.json bytes everywhere
    const texts = new Set(folders.map((f) => readFileSync(join(f, 'ceremony.json'), 'utf8')));
    expect(texts.size).toBe(1);
    for (const f of folders) await expectVerifies(f);
    await expectCombinesToOriginal(root, [folders[5]!, folders[0]!, folders[3]!, folders[2]!], 'back');
    // 3 new folders are not enough
    const few = await cli('combine', ...folders.slice(0, 3).flatMap((f) => ['--in', f]), '--out', join(root, 'back3'), '--insecure-keys');
    expect(few.code).toBe(1);
    expect(few.err).toContain('NOT_ENOUGH_SHARES');
    // the handover needs all six
    const hi = await cli('reshare', 'handover', '--plan', plan, '--json', ...enrollments, ...dealings, ...echoes, ...handovers.slice(0, 5));
    expect(fails(hi, 'HANDOVER_INCOMPLETE')).toContain('suspects, not culprits: new holder 6 or the coordinator; old shares must not be deleted');
    expect(JSON.parse(hi.out).error).toMatchObject({ code: 'HANDOVER_INCOMPLETE', culprits: [], suspects: ['6', 'coordinator'] });
    // the handover checks the agreement too: without the echoes it refuses, naming the silent members
    fails(await cli('reshare', 'handover', '--plan', plan, ...enrollments, ...dealings, ...handovers), 'ECHO_MISSING');
    const h = ok(await cli('reshare', 'handover', '--plan', plan, ...enrollments, ...dealings, ...echoes, ...handovers));
    expect(h.out).toContain('old shares may now be deleted');
    expect(h.out).toContain('at least 2 of the 4 old holders stop');
  }, 240_000);

  it('a dealer whose sub-share to one member is wrong: that member exits with SUB_SHARE_INVALID naming it, writes a complaint and nothing else', async () => {
    // dealer 2 re-seals its dealing with a corrupted sub-share for new member 3: the message is validly signed by it,
    // so we forge it with dealer 2's own host key through the library (what a cheating dealer would run)
    const { forgeBadSubShare } = await import('./lifecycle-forge.js');
    const bad = join(root, 'bad-deal-2.json');
    writeFileSync(bad, await forgeBadSubShare(plan, join(dealers[1]!.dir, 'host-key.json'), join(old, 'operator-2'), enrollments, 3));
    const out = join(news[2]!.dir, 'cheated');
    const badSet = [dealings[0]!, bad, dealings[2]!];
    const badEchoes = await echoAll('reshare', plan, news, [...enrollments, ...badSet], 'echo-bad');
    const r = await cli('reshare', 'finalize', '--plan', plan, ...hk(news[2]!), '--out', out, '--insecure-keys', ...enrollments, ...badSet, ...badEchoes);
    const line = fails(r, 'SUB_SHARE_INVALID');
    expect(line).toContain('validator 0: the sub-share of dealer 2 fails its Feldman check; wrote the complaint');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.handover.json`)).toBe(false);
    const complaint = JSON.parse(readFileSync(`${out}.complaint.json`, 'utf8'));
    expect([complaint.complainer, complaint.accused]).toEqual([3, 2]);
    // anyone judges the complaint: the dealer is the culprit
    const judged = await cli('reshare', 'judge', '--plan', plan, ...enrollments, dealings[0]!, bad, dealings[2]!, `${out}.complaint.json`);
    expect(fails(judged, 'DKG_ABORTED')).toContain('verdict on the complaint of 3 against 2: culprit: dealer 2 (its sub-shares fail their Feldman check)');
    // another member is unaffected by dealer 2's cheat on member 3
    ok(await cli('reshare', 'finalize', '--plan', plan, ...hk(news[0]!), '--out', join(news[0]!.dir, 'other'), '--insecure-keys', ...enrollments, ...badSet, ...badEchoes));
  }, 240_000);

  it('a dealer that signs two dealings, split by the coordinator: every member exits 1 naming dealer 2, writes no folder and no handover', async () => {
    // dealer 2 seals a second, honest-looking dealing (a new random polynomial with the same constant) with its own host
    // key; the coordinator relays the first to new operators 1-3 and the second to 4-6. Each echoes what it received.
    const { forgeBadSubShare } = await import('./lifecycle-forge.js');
    const second = join(root, 'second-deal-2.json');
    writeFileSync(second, await forgeBadSubShare(plan, join(dealers[1]!.dir, 'host-key.json'), join(old, 'operator-2'), enrollments, 0));
    const worldA = [dealings[0]!, dealings[1]!, dealings[2]!];
    const worldB = [dealings[0]!, second, dealings[2]!];
    const split = [...(await echoAll('reshare', plan, news.slice(0, 3), [...enrollments, ...worldA], 'echo-a')), ...(await echoAll('reshare', plan, news.slice(3), [...enrollments, ...worldB], 'echo-b'))];
    const line = /^dvkeys reshare: error: sender 2 host-signed two different sealed messages for this session \(0x[0-9a-f]{12}… received here, 0x[0-9a-f]{12}… echoed by another member\): it equivocated; nothing may be combined; wrote the evidence \S+split\.equivocation\.json \(anyone checks it: dvkeys reshare judge\) \[DKG_EQUIVOCATION\]$/;
    for (const [k, world] of [[0, worldA], [5, worldB]] as const) {
      const out = join(news[k]!.dir, 'split');
      expect(fails(await cli('reshare', 'finalize', '--plan', plan, ...hk(news[k]!), '--out', out, '--insecure-keys', ...enrollments, ...world, ...split), 'DKG_EQUIVOCATION')).toMatch(line);
      for (const f of [out, `${out}.handover.json`, `${out}.complaint.json`]) expect(existsSync(f), f).toBe(false);
      // the transferable evidence: anyone with the plan and the enrollments convicts dealer 2 from it alone
      const judged = await cli('reshare', 'judge', '--plan', plan, ...enrollments, `${out}.equivocation.json`);
      expect(fails(judged, 'DKG_ABORTED')).toContain('verdict on the equivocation evidence: culprit: dealer 2 (it host-signed two different dealings for this session)');
    }
    // a member shown both dealings of dealer 2 names it at once; so does the handover checker
    expect(fails(await cli('reshare', 'finalize', '--plan', plan, ...hk(news[1]!), '--out', join(news[1]!.dir, 'both'), '--insecure-keys', ...enrollments, ...worldA, second, ...split), 'DKG_EQUIVOCATION')).toContain('sender 2 host-signed two different sealed messages');
    expect(existsSync(join(news[1]!.dir, 'both'))).toBe(false);
    expect(fails(await cli('reshare', 'handover', '--plan', plan, ...enrollments, ...worldA, ...split), 'DKG_EQUIVOCATION')).toContain('sender 2');
  }, 240_000);

  it('refuses a second deal by the same host key (journal), an existing output, a wrong plan id and a wrong old threshold', async () => {
    const again = await cli('reshare', 'deal', '--plan', plan, '--plan-id', fp, ...hk(dealers[0]!), '--folder', join(old, 'operator-1'), ...newKeys(), '--out', join(root, 'again.json'), ...enrollments);
    fails(again, 'DKG_ALREADY_DONE');
    expect(existsSync(join(root, 'again.json'))).toBe(false);
    const exists = await cli('reshare', 'finalize', '--plan', plan, ...hk(news[1]!), '--out', join(old, 'operator-1'), '--insecure-keys', ...enrollments, ...dealings, ...echoes);
    expect(exists.code).not.toBe(0);
    expect(readdirSync(join(old, 'operator-1')).sort()).toEqual(['ceremony.json', 'keystore-0.json', 'keystore-0.txt', 'keystore-1.json', 'keystore-1.txt']);
    fails(await cli('reshare', 'enroll', '--plan', plan, '--plan-id', '0000-0000-0000-0000-0000', ...hk(news[0]!), '--out', join(root, 'e.json')), 'CEREMONY_MISMATCH');
    const wrongT = await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '2', '--dealer', `1=${dealers[0]!.pub}`, '--dealer', `2=${dealers[1]!.pub}`,
      ...news.slice(0, 4).flatMap((n, j) => ['--new-operator', `x${j}=${n.pub}`]), '--new-threshold', '3', '--out', join(root, 'p2.json'));
    expect(wrongT.code).toBe(1);
    expect(wrongT.err).toMatch(/\[(INVALID_LENGTH|DEGREE_CHECK_FAILED)\]/);
    expect(existsSync(join(root, 'p2.json'))).toBe(false);
    const unsafe = await cli('reshare', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...dealers.flatMap((d, i) => ['--dealer', `${i + 1}=${d.pub}`]),
      ...news.slice(0, 3).flatMap((n, j) => ['--new-operator', `y${j}=${n.pub}`]), '--new-threshold', '3', '--out', join(root, 'p3.json'));
    fails(unsafe, 'UNSAFE_THRESHOLD');
  }, 240_000);
});
