/**
 * Issue 12, attack "dropped complaint", CLI end to end (decision 0432): bob deals carol a bad share; carol's round2
 * signs a complaint; the coordinator drops it and reports only the missing answers. `dkg verdict` gives carol a
 * verdict naming bob (culprit, from her own evidence) and the coordinator (suspect), never herself; verify-evidence
 * accepts her round-2 evidence and convicts bob for anyone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { carry, cli, collect1, fails, ok, round1, round2, setup, type Ceremony } from './dkg-helpers.js';

describe('dvkeys dkg verdict: the complaint the coordinator dropped (issue 12)', () => {
  let c: Ceremony;
  let carol: string;
  let report: string;
  const verdict = (...extra: string[]) =>
    cli('dkg', 'verdict', '--definition', join(carol, 'definition.json'), '--complaint', join(carol, 'ack.json'), '--collected', join(carol, 'collected.json'), ...extra);

  it('the coordinator drops carol\'s signed complaint: its report blames her as missing', async () => {
    c = await setup('verdict');
    carol = c.ops[2]!;
    for (const i of [0, 2, 3]) ok(await round1(c, i));
    // bob deals carol a share that fails the Feldman check, properly signed with bob's host key
    const bob = JSON.parse(readFileSync(join(c.ops[1]!, 'host-key.json'), 'utf8'));
    const definition = JSON.parse(readFileSync(join(c.ops[1]!, 'definition.json'), 'utf8'));
    const bad = startRound1WithHooks(definition, Buffer.from(bob.secretKey.slice(2), 'hex'), {}, { share: (j, _v, s) => (j === 3 ? Fr.add(s, 1n) : s) });
    writeFileSync(join(c.ops[1]!, 'round1.json'), JSON.stringify(bad.message));
    ok(await collect1(c, c.ops.map((d) => join(d, 'round1.json'))));
    ok(await round2(c, 0, join(c.coord, 'collected.json')));
    fails(await round2(c, 2, join(c.coord, 'collected.json')), 'DKG_ABORTED');
    ok(await round2(c, 3, join(c.coord, 'collected.json')));
    expect(JSON.parse(readFileSync(join(carol, 'ack.json'), 'utf8')).format).toBe('dvkeys/dkg-complaint');
    // the coordinator collects alice's and dave's Acks only (carol's complaint dropped, bob never answered)
    const inbox = [0, 3].map((k) => carry(join(c.ops[k]!, 'ack.json'), join(c.coord, `ack-${k + 1}.json`)));
    fails(await cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), '--collected', join(c.coord, 'collected.json'), ...inbox, '--out', join(c.coord, 'final.json')), 'DKG_ABORTED');
    report = carry(join(c.coord, 'final.abort.json'), join(carol, 'coordinator-abort.json'));
    const neutral = JSON.parse(ok(await cli('dkg', 'verify-evidence', '--definition', join(carol, 'definition.json'), report, '--json')).out);
    expect(neutral.culprits).toEqual([]);
    expect(neutral.suspects).toContain('3');
  });

  it('dkg verdict: culprit bob from carol\'s own complaint, the coordinator a suspect, never carol', async () => {
    const r = ok(await verdict(report, '--json'));
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ ok: true, participant: 3, culprits: ['2'], suspects: ['coordinator'] });
    expect(v.blames.filter((b: { culprit: string }) => b.culprit === '3')).toEqual([]);
    expect(v.blames).toContainEqual(expect.objectContaining({ culprit: '2', fault: 'invalid-share', certainty: 'proof' }));
    expect(v.blames).toContainEqual(expect.objectContaining({ culprit: 'coordinator', fault: 'dropped-answer', certainty: 'sender-or-coordinator' }));
    const human = ok(await verdict(report));
    expect(human.out).toContain("Participant 3 (carol)'s verdict on ceremony");
    const line = human.out.split('\n').find((l) => l.startsWith('Verdict: '))!;
    expect(line).toMatch(/^Verdict: culprit: participant 2 \(bob\); suspect: the coordinator \(invalid-share: .*; dropped-answer: the coordinator's abort report leaves out participant 3's signed complaint\)$/);
    expect(line.slice(0, line.indexOf(' ('))).not.toContain('participant 3');
  });

  it('no report at all: the same culprit and suspect; a report that carries the complaint: no suspect', async () => {
    expect(JSON.parse(ok(await verdict('--json')).out)).toMatchObject({ culprits: ['2'], suspects: ['coordinator'] });
    // a coordinator that relays carol's complaint: nothing against it
    const relayed = join(c.coord, 'relayed');
    const inbox = [0, 2, 3].map((k) => carry(join(c.ops[k]!, 'ack.json'), join(c.coord, `relayed-${k + 1}.json`)));
    fails(await cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), '--collected', join(c.coord, 'collected.json'), ...inbox, '--out', relayed), 'DKG_ABORTED');
    expect(JSON.parse(ok(await verdict(`${relayed}.abort.json`, '--json')).out)).toMatchObject({ culprits: ['2'], suspects: [] });
  });

  it('verify-evidence accepts carol\'s own round-2 evidence, which convicts bob for anyone', async () => {
    const r = JSON.parse(ok(await cli('dkg', 'verify-evidence', '--definition', join(c.ops[0]!, 'definition.json'), join(carol, 'ack.abort.json'), '--json')).out);
    expect(r).toMatchObject({ ok: true, culprits: ['2'] });
  });

  it('refuses an Ack as the complaint, and a complaint that does not hold against the collected round 1 given', async () => {
    const ack = await cli('dkg', 'verdict', '--definition', join(carol, 'definition.json'), '--complaint', join(c.ops[0]!, 'ack.json'), '--collected', join(carol, 'collected.json'), report);
    expect(fails(ack, 'INVALID_FORMAT')).toContain('is not a complaint');
    // another collected round 1 (bob's bad message replaced by an honest one): carol's complaint proves nothing there
    ok(await round1(c, 1, '-honest'));
    ok(await collect1(c, [0, 1, 2, 3].map((k) => join(c.ops[k]!, k === 1 ? 'round1-honest.json' : 'round1.json')), 'collected-honest.json'));
    const other = await cli('dkg', 'verdict', '--definition', join(carol, 'definition.json'), '--complaint', join(carol, 'ack.json'), '--collected', join(c.coord, 'collected-honest.json'));
    fails(other, 'DKG_EVIDENCE_INVALID');
  });
});
