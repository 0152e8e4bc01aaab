/**
 * Transcript agreement of sealed steps (echo.ts, decisions 0425-0428): every fault of the echo round gives one exact
 * code, field and culprit set; an equivocating sender is convicted by transferable evidence, in a reshare, a refresh
 * and a repair's hop 1; a member cannot frame a sender with that sender's signature from another session.
 */
import { describe, expect, it } from 'vitest';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { checkEchoes, findEquivocations, openAgreed, signEcho, transcriptOf, verifyEquivocation, type Echo, type Transcript } from '../../src/lifecycle/echo.js';
import { echoToJson, equivocationToJson, parseEcho, parseEquivocation } from '../../src/lifecycle/messages.js';
import { dealRefresh, defineRefresh } from '../../src/lifecycle/refresh.js';
import { completeRepair, defineRepair } from '../../src/lifecycle/repair.js';
import { agreedRepairContributions, echoRepairDeltas, openRepairSums, repairContributions, sealRepairDeltas, sealRepairSum } from '../../src/lifecycle/repair-wire.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { combineReshare, dealReshare } from '../../src/lifecycle/reshare.js';
import { enrollRecipient, sealDealing, wireSession, type SealedDealing, type WireSession } from '../../src/lifecycle/wire.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-echo');
const V = 2;
const cluster = makeCluster(3, 5, V, rng);
const def = defineReshare({ oldThreshold: 3, validators: cluster.validators, dealers: [1, 2, 3], newThreshold: 3, newShares: 4, rng });
const sk = new Map([1n, 2n, 3n, 4n, 5n].map((i) => [i, generateHostSecretKey(rng)]));
const memberSk = new Map(def.newIds.map((j) => [j as bigint, generateHostSecretKey(rng)]));
const senders = [1n, 2n, 3n].map((id) => ({ id, hostKey: hostPublicKey(sk.get(id)!) }));
const session = wireSession(def.id, V, senders, def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng)));
const otherSession = wireSession(def.id, V, senders, def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng)));

function seal(dealer: bigint, s: WireSession = session): SealedDealing {
  const dealt = dealReshare(def, dealer, cluster.sharesById.get(dealer)!, rng);
  return sealDealing(s, dealer, sk.get(dealer)!, dealt.dealing.commitments, s.recipients.map((r) => dealt.bundles.find((b) => b.recipient === r.id)!.secrets), rng);
}
const sealed = [1n, 2n, 3n].map((d) => seal(d));
const transcript = transcriptOf(session, sealed);
const echoes = def.newIds.map((j) => signEcho(transcript, j, memberSk.get(j)!, rng));
/** Member `j` signs an echo of a transcript whose entries were changed (what a lying member can sign). */
const lie = (j: bigint, entries: Transcript['entries']): Echo => signEcho({ ...transcript, entries }, j, memberSk.get(j)!, rng);

describe('echo: reshare', () => {
  it('honest: all four echoes agree; the agreed transcript opens and combines for every member', () => {
    const agreed = checkEchoes(transcript, [...echoes].reverse());
    expect(agreed.echoes.map((e) => e.member)).toEqual(def.newIds);
    for (const j of def.newIds) {
      const opened = openAgreed(agreed, j, memberSk.get(j)!);
      const out = combineReshare(def, j, agreed.sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments })), opened.map((o) => ({ dealer: o.sender, recipient: j, secrets: o.secrets! })), rng);
      expect(out.shares).toHaveLength(V);
    }
    // order of the received messages and identical copies do not matter
    expect(transcriptOf(session, [sealed[2]!, sealed[0]!, sealed[1]!, sealed[0]!]).hash).toEqual(transcript.hash);
  });

  it('a missing echo: ECHO_MISSING with the silent member and the coordinator as suspects, no culprit; a missing dealing: DEALER_MISSING with the sender and the coordinator as suspects', () => {
    const e = thrown(() => checkEchoes(transcript, echoes.filter((x) => x.member !== 3n)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['ECHO_MISSING', 'echoes', [], ['3', 'coordinator']]);
    expect(e.message).toBe('no valid echo from member 3: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: member 3 or the coordinator; nothing may be combined');
    const d = thrown(() => transcriptOf(session, sealed.slice(0, 2)));
    expect([d.code, d.field, d.culprits, d.suspects]).toEqual(['DEALER_MISSING', 'dealings', [], ['3', 'coordinator']]);
  });

  it('an echo altered in transit: SIGNATURE_INVALID with no culprit (the coordinator is suspect); ignored beside a valid copy', () => {
    const sig = Uint8Array.from(echoes[1]!.signature);
    sig[5]! ^= 1;
    const altered = { ...echoes[1]!, signature: sig };
    const e = thrown(() => checkEchoes(transcript, [echoes[0]!, altered, echoes[2]!, echoes[3]!]));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['SIGNATURE_INVALID', 'echoes[1]', [], ['coordinator']]);
    expect(() => checkEchoes(transcript, [...echoes, altered])).not.toThrow();
  });

  it('an echo of another session (a replay): CEREMONY_MISMATCH with no culprit', () => {
    const t2 = transcriptOf(otherSession, [1n, 2n, 3n].map((d) => seal(d, otherSession)));
    const replay = signEcho(t2, 4n, memberSk.get(4n)!, rng);
    const e = thrown(() => checkEchoes(transcript, [...echoes.slice(0, 3), replay]));
    expect([e.code, e.field, e.culprits]).toEqual(['CEREMONY_MISMATCH', 'echoes[3]', []]);
  });

  it('a member that echoes a message its sender never signed: TRANSCRIPT_MISMATCH naming that member, not the sender', () => {
    const fake = lie(2n, transcript.entries.map((x) => (x.sender === 3n ? { ...x, digest: new Uint8Array(32).fill(9) } : x)));
    const e = thrown(() => checkEchoes(transcript, [echoes[0]!, fake, echoes[2]!, echoes[3]!]));
    expect([e.code, e.field, e.culprits]).toEqual(['TRANSCRIPT_MISMATCH', 'echoes', ['2']]);
    expect(e.message).toBe('member 2 echoed a message of sender 3 (0x090909090909…) that sender 3 did not sign: nothing may be combined');
  });

  it("a member cannot frame a sender with that sender's real signature from another session", () => {
    const elsewhere = transcriptOf(otherSession, [1n, 2n, 3n].map((d) => seal(d, otherSession)));
    const framing = lie(4n, transcript.entries.map((x) => (x.sender === 1n ? elsewhere.entries[0]! : x)));
    const e = thrown(() => checkEchoes(transcript, [...echoes.slice(0, 3), framing]));
    expect([e.code, e.culprits]).toEqual(['TRANSCRIPT_MISMATCH', ['4']]);
    expect(findEquivocations(transcript, [framing])).toEqual([]);
  });

  it('a malformed echo (a sender left out): TRANSCRIPT_MISMATCH naming its member', () => {
    const short = lie(1n, transcript.entries.slice(0, 2));
    const e = thrown(() => checkEchoes(transcript, [short, ...echoes.slice(1)]));
    expect([e.code, e.culprits]).toEqual(['TRANSCRIPT_MISMATCH', ['1']]);
    expect(e.message).toMatch(/^member 1 signed an echo that does not list every sender once in session order/);
  });

  it('an echo by the wrong host key is refused when signing', () => {
    const e = thrown(() => signEcho(transcript, 2n, memberSk.get(1n)!, rng));
    expect([e.code, e.field]).toEqual(['INVALID_SHARE_ID', 'me']);
  });

  it('equivocation evidence: verified by anyone for this session only; equal digests or a foreign signature are no evidence', () => {
    const b = seal(3n);
    const tB = transcriptOf(session, [sealed[0]!, sealed[1]!, b]);
    const [ev, ...more] = findEquivocations(transcript, [signEcho(tB, 1n, memberSk.get(1n)!, rng)]);
    expect(more).toEqual([]);
    expect(verifyEquivocation(session, ev!)).toBe(3n);
    const back = parseEquivocation(JSON.parse(JSON.stringify(equivocationToJson(def.id, ev!)))).evidence;
    expect(verifyEquivocation(session, back)).toBe(3n);
    const cases: [typeof ev, RegExp][] = [
      [{ ...ev!, second: ev!.first }, /the two digests are the same message/],
      [{ ...ev!, sessionId: otherSession.id }, /another session/],
      [{ ...ev!, sender: 2n as never }, /the first signature is not the sender's/],
      [{ ...ev!, second: { ...ev!.second, digest: new Uint8Array(32) } }, /the second signature is not the sender's/],
    ];
    for (const [bad, why] of cases) {
      const e = thrown(() => verifyEquivocation(session, bad!));
      expect(e.code).toBe('DKG_EVIDENCE_INVALID');
      expect(e.message).toMatch(why);
    }
  });

  it('echo JSON round-trips and is parsed strictly', () => {
    const j = JSON.parse(JSON.stringify(echoToJson(def.id, echoes[2]!)));
    const back = parseEcho(j);
    expect(back.echo).toEqual(echoes[2]);
    expect(() => checkEchoes(transcript, [echoes[0]!, echoes[1]!, back.echo, echoes[3]!])).not.toThrow();
    expect(thrown(() => parseEcho({ ...j, extra: 1 })).code).toBe('DKG_INVALID_MESSAGE');
    expect(thrown(() => parseEcho({ ...j, dealings: [{ ...j.dealings[0], digest: '0x00' }] })).field).toBe('echo.dealings[0].digest');
  });
});

describe('echo: refresh', () => {
  it('a participant that seals two zero-sharings: every participant names exactly it', () => {
    const rdef = defineRefresh({ threshold: 3, validators: cluster.validators, rng });
    const psk = new Map(rdef.participants.map((p) => [p as bigint, sk.get(p)!]));
    const s = wireSession(rdef.id, V, rdef.participants.map((id) => ({ id, hostKey: hostPublicKey(psk.get(id)!) })), rdef.participants.map((j) => enrollRecipient(rdef.id, j, psk.get(j)!, rng)));
    const sealOne = (p: bigint): SealedDealing => {
      const d = dealRefresh(rdef, p, rng);
      return sealDealing(s, p, psk.get(p)!, d.dealing.commitments, s.recipients.map((r) => d.bundles.find((b) => b.recipient === r.id)!.secrets), rng);
    };
    const honest = rdef.participants.map((p) => sealOne(p));
    const second = sealOne(5n);
    const worlds = rdef.participants.map((j) => transcriptOf(s, j <= 2n ? honest : [...honest.slice(0, 4), second]));
    const ech = rdef.participants.map((j, k) => signEcho(worlds[k]!, j, psk.get(j)!, rng));
    for (const w of worlds) {
      const e = thrown(() => checkEchoes(w, ech));
      expect([e.code, e.culprits]).toEqual(['DKG_EQUIVOCATION', ['5']]);
    }
  });
});

describe('echo: repair hop 1 (a helper that sends two different splits of its weighted share)', () => {
  const rdef = defineRepair({ threshold: 3, validators: cluster.validators, helpers: [1, 2, 3], recipient: 4, rng });
  const rsk = new Map([1n, 2n, 3n, 4n].map((i) => [i, sk.get(i)!]));
  const party = (id: bigint) => ({ id, hostKey: hostPublicKey(rsk.get(id)!) });
  const enroll = (ids: bigint[]) => ids.map((j) => enrollRecipient(rdef.id, j, rsk.get(j)!, rng));
  const hop1 = wireSession(rdef.id, V, rdef.helpers.map(party), enroll([1n, 2n, 3n]));
  const hop2 = wireSession(rdef.id, V, rdef.helpers.map(party), enroll([4n]));
  const deltas = rdef.helpers.map((h) => sealRepairDeltas(hop1, rdef, h, rsk.get(h)!, cluster.sharesById.get(h)!, rng));
  const otherSplit = sealRepairDeltas(hop1, rdef, 2n, rsk.get(2n)!, cluster.sharesById.get(2n)!, rng);
  // the coordinator relays helper 2's split A to helpers 1, 2 and to the recipient, split B to helper 3
  const seen = (k: bigint): SealedDealing[] => (k === 3n ? [deltas[0]!, otherSplit, deltas[2]!] : deltas);
  const sums = rdef.helpers.map((k) => sealRepairSum(hop1, hop2, rdef, k, rsk.get(k)!, seen(k), rng));

  it('setup: every helper passes its checks; without agreement the recipient names honest helper 3', () => {
    const opened = openRepairSums(hop2, rdef, rsk.get(4n)!, sums);
    const e = thrown(() => completeRepair(rdef, repairContributions(hop1, rdef, deltas), opened, rng));
    expect([e.code, e.culprits]).toEqual(['SUB_SHARE_INVALID', ['3']]);
  });

  it('with the helpers\' echoes the recipient names exactly helper 2 (DKG_EQUIVOCATION), before any sum is used', () => {
    const ech = rdef.helpers.map((k) => echoRepairDeltas(hop1, rdef, k, rsk.get(k)!, seen(k), rng));
    const e = thrown(() => agreedRepairContributions(hop1, rdef, deltas, ech));
    expect([e.code, e.culprits]).toEqual(['DKG_EQUIVOCATION', ['2']]);
    const ev = findEquivocations(transcriptOf(hop1, deltas), ech);
    expect(ev.map((x) => verifyEquivocation(hop1, x))).toEqual([2n]);
  });

  it('honest helpers: the agreed contributions complete the repair with the lost share', () => {
    const ech = rdef.helpers.map((k) => echoRepairDeltas(hop1, rdef, k, rsk.get(k)!, deltas, rng));
    const honestSums = rdef.helpers.map((k) => sealRepairSum(hop1, hop2, rdef, k, rsk.get(k)!, deltas, rng));
    const shares = completeRepair(rdef, agreedRepairContributions(hop1, rdef, deltas, ech), openRepairSums(hop2, rdef, rsk.get(4n)!, honestSums), rng);
    expect(shares.map((s) => Buffer.from(s.secret).toString('hex'))).toEqual(cluster.sharesById.get(4n)!.map((s) => Buffer.from(s.secret).toString('hex')));
  });
});
