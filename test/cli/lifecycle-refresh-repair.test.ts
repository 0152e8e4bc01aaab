/**
 * `dvkeys refresh` and `dvkeys repair` end to end through files (issue 16): a 3-of-4 split refreshed by all four
 * holders (verify accepts every new folder with the SAME pubkeys, three combine to the original keys, old and new
 * shares do not mix), then one lost share of the refreshed cluster repaired by three helpers, with the coordinator's
 * view unable to rebuild it (issue 16 part 3), and the refusals.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { G1 } from '../../src/bls/group.js';
import { Fr } from '../../src/bls/field.js';
import { decodeG1UncheckedSubgroup } from '../../src/bls/uncompressed.js';
import { parsePlan } from '../../src/ceremony/lifecycle-plan.js';
import { planSession } from '../../src/cli/commands/lifecycle-files.js';
import { handoverToJson, parseEnrollment, parseHandover, parseSealed } from '../../src/lifecycle/messages.js';
import { signHandoverMessage } from '../../src/lifecycle/signed-handover.js';
import { openSealed } from '../../src/lifecycle/wire.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { cli, echoAll, expectCombinesToOriginal, expectVerifies, fails, fingerprintOf, hk, ok, party, pubkeysOf, splitCluster, tempDir, type Party } from './lifecycle-helpers.js';

let root: string;
let old: string;
let holders: Party[];
const refreshed: string[] = [];

beforeAll(async () => {
  root = tempDir('refresh');
  old = await splitCluster(root);
  holders = [];
  for (let i = 1; i <= 4; i++) holders.push(await party(root, `holder-${i}`));
}, 120_000);

describe('dvkeys refresh', () => {
  it('all four holders refresh: same pubkeys, verify passes, 3 new folders combine to the original keys, old and new do not mix', async () => {
    const plan = join(root, 'refresh-plan.json');
    const fp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', plan, '--json'));
    const enrollments: string[] = [];
    for (const h of holders) {
      enrollments.push(join(h.dir, 'r-enroll.json'));
      ok(await cli('refresh', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', enrollments.at(-1)!));
    }
    const dealings: string[] = [];
    for (const h of holders) {
      dealings.push(join(h.dir, 'r-deal.json'));
      ok(await cli('refresh', 'deal', '--plan', plan, '--plan-id', fp, ...hk(h), '--out', dealings.at(-1)!, ...enrollments));
    }
    // a missing dealing: the silent participant and the coordinator are suspects, never culprits (decision 0443);
    // nothing is written
    const missing = join(holders[0]!.dir, 'missing');
    const rm = await cli('refresh', 'finalize', '--plan', plan, ...hk(holders[0]!), '--folder', join(old, 'operator-1'), '--out', missing, '--insecure-keys', '--json', ...enrollments, ...dealings.slice(0, 3));
    expect(fails(rm, 'DEALER_MISSING')).toBe('dvkeys refresh: error: no sealed message from sender 4: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: sender 4 or the coordinator; the step aborts [DEALER_MISSING]');
    expect(JSON.parse(rm.out).error).toMatchObject({ code: 'DEALER_MISSING', field: 'dealings', culprits: [], suspects: ['4', 'coordinator'] });
    expect(existsSync(missing)).toBe(false);
    const echoes = await echoAll('refresh', plan, holders, [...enrollments, ...dealings]);
    // a second echo with the same host key (from a restored backup or a copied folder) is refused by the journal,
    // even over another set of dealings, and writes nothing (decision 0444)
    const again = join(holders[0]!.dir, 'echo-again.json');
    expect(fails(await cli('refresh', 'echo', '--plan', plan, ...hk(holders[0]!), '--out', again, ...enrollments, ...dealings), 'DKG_ALREADY_DONE')).toMatch(/this host key already echoed \(transcript 0x[0-9a-f]{64}\) in ceremony 0x[0-9a-f]{64} .*a second echo could vouch for another transcript/);
    expect(existsSync(again)).toBe(false);
    const journal = readFileSync(join(holders[0]!.dir, 'host-key.json.journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(journal.map((e) => e.event)).toEqual(['dealt', 'echoed']);
    // without every participant's echo nobody finalizes, nothing is written, and the silent one is a suspect with the
    // coordinator that may have withheld its echo, never a culprit (decision 0441)
    const unechoed = join(holders[1]!.dir, 'unechoed');
    const r = await cli('refresh', 'finalize', '--plan', plan, ...hk(holders[1]!), '--folder', join(old, 'operator-2'), '--out', unechoed, '--insecure-keys', '--json', ...enrollments, ...dealings, ...echoes.slice(1));
    expect(fails(r, 'ECHO_MISSING')).toBe('dvkeys refresh: error: no valid echo from member 1: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: member 1 or the coordinator; nothing may be combined [ECHO_MISSING]');
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'ECHO_MISSING', message: expect.stringMatching(/^no valid echo from member 1: /), field: 'echoes', culprits: [], suspects: ['1', 'coordinator'] } });
    expect(existsSync(unechoed)).toBe(false);
    for (const [i, h] of holders.entries()) {
      const out = join(h.dir, 'refreshed');
      ok(await cli('refresh', 'finalize', '--plan', plan, ...hk(h), '--folder', join(old, `operator-${i + 1}`), '--out', out, '--insecure-keys', ...enrollments, ...dealings, ...echoes));
      refreshed.push(out);
      expect(pubkeysOf(join(out, 'ceremony.json'))).toEqual(pubkeysOf(join(old, 'ceremony.json')));
      // every share changed
      expect(JSON.parse(readFileSync(join(out, 'keystore-0.json'), 'utf8')).pubkey).not.toBe(JSON.parse(readFileSync(join(old, `operator-${i + 1}`, 'keystore-0.json'), 'utf8')).pubkey);
    }
    for (const f of refreshed) await expectVerifies(f);
    await expectCombinesToOriginal(root, [refreshed[3]!, refreshed[1]!, refreshed[0]!], 'refresh-back');
    const mixed = await cli('combine', '--in', refreshed[0]!, '--in', refreshed[1]!, '--in', join(old, 'operator-3'), '--out', join(root, 'mixed'), '--insecure-keys');
    expect(mixed.code).toBe(1);
    expect(existsSync(join(root, 'mixed'))).toBe(false);
    const handovers = refreshed.map((f) => `${f}.handover.json`);
    expect(ok(await cli('refresh', 'handover', '--plan', plan, ...enrollments, ...dealings, ...echoes, ...handovers)).out).toContain('old shares may now be deleted');

    // The handover files are host-signed and bound to the session (decision 0442). One byte of holder 2's partials
    // altered in transit: SIGNATURE_INVALID naming nobody, the coordinator suspect (it used to be
    // PARTIAL_SIGNATURE_INVALID naming honest holder 2).
    const hv = JSON.parse(readFileSync(handovers[1]!, 'utf8')) as Record<string, unknown> & { signatures: string[] };
    const flipHex = (x: string): string => `${x.slice(0, 40)}${x[40] === '0' ? '1' : '0'}${x.slice(41)}`;
    const altered = join(root, 'altered.handover.json');
    writeFileSync(altered, JSON.stringify({ ...hv, signatures: [flipHex(hv.signatures[0]!), ...hv.signatures.slice(1)] }));
    const alteredSet = [handovers[0]!, altered, handovers[2]!, handovers[3]!];
    const r2 = await cli('refresh', 'handover', '--plan', plan, '--json', ...enrollments, ...dealings, ...echoes, ...alteredSet);
    expect(fails(r2, 'SIGNATURE_INVALID')).toMatch(/^dvkeys refresh: error: '.*altered\.handover\.json' is not signed by new holder 2's host key: altered in transit or forged \(the coordinator is suspect\); nobody is named/);
    expect(JSON.parse(r2.out).error).toMatchObject({ code: 'SIGNATURE_INVALID', culprits: [], suspects: ['coordinator'] });
    // a version-2 (unsigned) handover file is refused
    const { sessionId: _s, signature: _g, ...v2 } = hv;
    const old2 = join(root, 'v2.handover.json');
    writeFileSync(old2, JSON.stringify({ ...v2, version: 2 }));
    expect(fails(await cli('refresh', 'handover', '--plan', plan, ...enrollments, ...dealings, ...echoes, handovers[0]!, old2, handovers[2]!, handovers[3]!), 'DKG_INVALID_MESSAGE')).toContain('version 2 of "dvkeys/lifecycle-handover" is no longer accepted');
    // holder 2 signs a partial that does not verify: the handover names it, and any third party's judge does too
    const p = parsePlan(JSON.parse(readFileSync(plan, 'utf8')));
    const session = planSession(p, p.senders, p.recipients, enrollments.map((f) => parseEnrollment(JSON.parse(readFileSync(f, 'utf8'))).enrollment));
    const own = parseHandover(hv).handover.partials;
    const other = parseHandover(JSON.parse(readFileSync(handovers[2]!, 'utf8'))).handover.partials;
    const key2 = Uint8Array.from(Buffer.from((JSON.parse(readFileSync(join(holders[1]!.dir, 'host-key.json'), 'utf8')) as { secretKey: string }).secretKey.slice(2), 'hex'));
    const cheat = join(root, 'cheat.handover.json');
    writeFileSync(cheat, JSON.stringify(handoverToJson(p.id, signHandoverMessage(session, key2, { ...own, signatures: [other.signatures[0]!, own.signatures[1]!] }))));
    const cheatSet = [handovers[0]!, cheat, handovers[2]!, handovers[3]!];
    expect(fails(await cli('refresh', 'handover', '--plan', plan, ...enrollments, ...dealings, ...echoes, ...cheatSet), 'PARTIAL_SIGNATURE_INVALID')).toContain('new holder 2 does not verify');
    const judged = await cli('refresh', 'judge', '--plan', plan, '--json', ...enrollments, ...dealings, ...echoes, cheat);
    expect(fails(judged, 'DKG_ABORTED')).toContain('verdict on the handover of new holder 2: culprit: new holder 2');
    expect(JSON.parse(judged.out.split('\n{')[0]!)).toEqual({ ok: false, culprit: 2, fault: 'invalid-partial', validators: [0] });
    // an honest holder's handover convicts nobody
    expect(fails(await cli('refresh', 'judge', '--plan', plan, ...enrollments, ...dealings, ...echoes, handovers[1]!), 'DKG_EVIDENCE_INVALID')).toContain('the handover of new holder 2 proves no fault: every partial verifies');
  }, 240_000);
});

describe('dvkeys repair', () => {
  it("refuses a repair of a split's folder (its ceremony.json pins the keystore bytes)", async () => {
    const r = await cli('repair', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...[1, 3, 4].flatMap((i) => ['--helper', `${i}=${holders[i - 1]!.pub}`]), '--recipient', `2=${holders[1]!.pub}`, '--out', join(root, 'bad-repair.json'));
    expect(fails(r, 'INVALID_ARGUMENT')).toContain('pins the keystore bytes of operator-2');
    expect(existsSync(join(root, 'bad-repair.json'))).toBe(false);
  });

  it('three helpers rebuild the lost share 2 of the refreshed cluster; the coordinator view cannot', async () => {
    expect(refreshed).toHaveLength(4);
    const plan = join(root, 'repair-plan.json');
    const helpers = [1, 3, 4];
    const fp = fingerprintOf(await cli('repair', 'init', '--old', join(refreshed[0]!, 'ceremony.json'), '--threshold', '3', ...helpers.flatMap((i) => ['--helper', `${i}=${holders[i - 1]!.pub}`]), '--recipient', `2=${holders[1]!.pub}`, '--out', plan, '--json'));
    const enrollments: string[] = [];
    for (const i of [...helpers, 2]) {
      enrollments.push(join(holders[i - 1]!.dir, 'p-enroll.json'));
      ok(await cli('repair', 'enroll', '--plan', plan, '--plan-id', fp, ...hk(holders[i - 1]!), '--out', enrollments.at(-1)!));
    }
    const deltas: string[] = [];
    for (const i of helpers) {
      deltas.push(join(holders[i - 1]!.dir, 'p-deltas.json'));
      ok(await cli('repair', 'contribute', '--plan', plan, '--plan-id', fp, ...hk(holders[i - 1]!), '--folder', refreshed[i - 1]!, '--recipient-key', holders[1]!.pub, '--out', deltas.at(-1)!, ...enrollments));
    }
    fails(await cli('repair', 'contribute', '--plan', plan, '--plan-id', fp, ...hk(holders[0]!), '--folder', refreshed[0]!, '--recipient-key', holders[1]!.pub, '--out', join(root, 'again.json'), ...enrollments), 'DKG_ALREADY_DONE');
    const sums: string[] = [];
    for (const i of helpers) {
      sums.push(join(holders[i - 1]!.dir, 'p-sum.json'));
      ok(await cli('repair', 'sum', '--plan', plan, ...hk(holders[i - 1]!), '--recipient-key', holders[1]!.pub, '--out', sums.at(-1)!, ...enrollments, ...deltas));
    }
    const echoes = sums.map((s) => `${s}.echo.json`);
    expect(echoes.every((e) => existsSync(e))).toBe(true);
    // a missing helper echo of the contributions: the helper is named, nothing written
    const unagreed = join(holders[1]!.dir, 'unagreed');
    expect(fails(await cli('repair', 'complete', '--plan', plan, ...hk(holders[1]!), '--out', unagreed, '--insecure-keys', ...enrollments, ...deltas, ...sums, ...echoes.slice(0, 2)), 'ECHO_MISSING')).toContain('no valid echo from member 4: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: member 4 or the coordinator;');
    expect(existsSync(unagreed)).toBe(false);
    // a missing sum: the helper and the coordinator are suspects, nobody a culprit; nothing written
    const partial = join(holders[1]!.dir, 'partial');
    const rs = await cli('repair', 'complete', '--plan', plan, ...hk(holders[1]!), '--out', partial, '--insecure-keys', '--json', ...enrollments, ...deltas, ...sums.slice(0, 2), ...echoes);
    expect(fails(rs, 'DEALER_MISSING')).toContain('suspects, not culprits: helper 4 or the coordinator');
    expect(JSON.parse(rs.out).error).toMatchObject({ code: 'DEALER_MISSING', culprits: [], suspects: ['4', 'coordinator'] });
    expect(existsSync(partial)).toBe(false);
    // a helper cannot complete (the sums are sealed to the recipient only)
    expect(fails(await cli('repair', 'complete', '--plan', plan, ...hk(holders[0]!), '--out', join(root, 'h1'), '--insecure-keys', ...enrollments, ...deltas, ...sums, ...echoes), 'INVALID_SHARE_ID')).toContain('no recipient');
    const out = join(holders[1]!.dir, 'repaired');
    ok(await cli('repair', 'complete', '--plan', plan, ...hk(holders[1]!), '--out', out, '--insecure-keys', ...enrollments, ...deltas, ...sums, ...echoes));
    expect(readFileSync(join(out, 'ceremony.json'), 'utf8')).toBe(readFileSync(join(refreshed[1]!, 'ceremony.json'), 'utf8'));
    // decision 1013: the repaired folder records the refresh plan its cluster was made under, as the helpers' do
    expect(readFileSync(join(out, 'lifecycle-plan.json'), 'utf8')).toBe(readFileSync(join(refreshed[1]!, 'lifecycle-plan.json'), 'utf8'));
    await expectVerifies(out);
    await expectCombinesToOriginal(root, [out, refreshed[2]!, refreshed[3]!], 'repair-back');

    // The coordinator's view: every file it relays. No 32-byte window of any byte string in them is a sum σ_k or the
    // share s_r of either validator (their public images are known: Σ_i D_{i→k} and Y_r).
    const p = parsePlan(JSON.parse(readFileSync(plan, 'utf8')));
    const sealedDeltas = deltas.map((f) => parseSealed(JSON.parse(readFileSync(f, 'utf8'))).sealed);
    const targets = new Set<string>();
    for (let v = 0; v < 2; v++) {
      targets.add(G1.fromHex(Buffer.from(p.old.validators[v]!.publicShares[1]!).toString('hex')).toHex(true));
      for (let k = 0; k < helpers.length; k++) {
        const sum = sealedDeltas.reduce((acc, m) => acc.add(decodeG1UncheckedSubgroup(m.commitments[v]![k]!, 'd')), G1.ZERO);
        targets.add(sum.toHex(true));
      }
    }
    expect(targets.size).toBe(8);
    // the check can fail: the rebuilt share itself (from the recipient's own keystore) is one of the targets
    const own = await decryptKeystore(parseKeystore(readFileSync(join(out, 'keystore-0.json'), 'utf8')), readFileSync(join(out, 'keystore-0.txt'), 'utf8'));
    expect(targets.has(G1.BASE.multiply(Fr.create(BigInt(`0x${Buffer.from(own).toString('hex')}`))).toHex(true))).toBe(true);
    let windows = 0;
    for (const f of [...enrollments, ...deltas, ...sums, ...echoes]) {
      const strings = JSON.stringify(JSON.parse(readFileSync(f, 'utf8'))).match(/0x[0-9a-f]{64,}/g) ?? [];
      for (const s of strings) {
        const bytes = Buffer.from(s.slice(2), 'hex');
        for (let o = 0; o + 32 <= bytes.length; o++) {
          const c = Fr.create(BigInt(`0x${bytes.subarray(o, o + 32).toString('hex')}`));
          if (c === 0n) continue;
          windows++;
          expect(targets.has(G1.BASE.multiply(c).toHex(true))).toBe(false);
        }
      }
    }
    expect(windows).toBeGreaterThan(100);
    // and a helper's host key opens no sum: only the recipient's does
    const enrolls = enrollments.map((f) => parseEnrollment(JSON.parse(readFileSync(f, 'utf8'))).enrollment);
    const hop2 = planSession(p, p.senders, p.recipients, enrolls);
    const sum0 = parseSealed(JSON.parse(readFileSync(sums[0]!, 'utf8'))).sealed;
    const helperKey = Uint8Array.from(Buffer.from((JSON.parse(readFileSync(join(holders[2]!.dir, 'host-key.json'), 'utf8')) as { secretKey: string }).secretKey.slice(2), 'hex'));
    expect(() => openSealed(hop2, 3, helperKey, sum0)).toThrow(/no recipient/);
    const recipientKey = Uint8Array.from(Buffer.from((JSON.parse(readFileSync(join(holders[1]!.dir, 'host-key.json'), 'utf8')) as { secretKey: string }).secretKey.slice(2), 'hex'));
    expect(openSealed(hop2, 2, recipientKey, sum0)).toHaveLength(2);
  }, 240_000);
});
