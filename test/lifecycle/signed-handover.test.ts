/**
 * Host-signed handover messages (src/lifecycle/signed-handover.ts; decision 0442): bound to the wire session and
 * signed by the new holder's host key, so the coordinator cannot alter, replay or forge one, and a signed invalid
 * partial is proof against its holder that a third party checks (judgeHandover). Tamper tests change one field
 * each and expect the exact code, field, culprits and suspects.
 */
import { describe, expect, it } from 'vitest';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { checkHandover, signHandover } from '../../src/lifecycle/handover.js';
import { handoverToJson, parseHandover } from '../../src/lifecycle/messages.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { checkReshareDealings, combineReshare, dealReshare, reshareOutput } from '../../src/lifecycle/reshare.js';
import { checkSignedHandovers, judgeHandover, signHandoverMessage, type SignedHandover } from '../../src/lifecycle/signed-handover.js';
import { enrollRecipient, wireSession } from '../../src/lifecycle/wire.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-signed-handover');
const V = 2;
const cluster = makeCluster(3, 5, V, rng);
const def = defineReshare({ oldThreshold: 3, validators: cluster.validators, dealers: [1, 2, 3], newThreshold: 3, newShares: 4, rng });
const dealerSk = new Map([1n, 2n, 3n].map((i) => [i, generateHostSecretKey(rng)]));
const memberSk = new Map(def.newIds.map((j) => [j as bigint, generateHostSecretKey(rng)]));
const senders = [...dealerSk].map(([id, sk]) => ({ id, hostKey: hostPublicKey(sk) }));
const session = wireSession(def.id, V, senders, def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng)));
/** The same plan's definition in another session (a retry: new enrollments). */
const otherSession = wireSession(def.id, V, senders, def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng)));

const dealt = [1n, 2n, 3n].map((d) => dealReshare(def, d, cluster.sharesById.get(d)!, rng));
const dealings = dealt.map((d) => d.dealing);
const publicData = reshareOutput(def, checkReshareDealings(def, dealings, rng));
const shares = new Map(def.newIds.map((j) => [j as bigint, combineReshare(def, j, dealings, dealt.map((d) => d.bundles.find((b) => b.recipient === j)!), rng).shares]));
const partialsOf = (j: bigint) => signHandover(def.id, publicData, shares.get(j)!);
const signed = def.newIds.map((j) => signHandoverMessage(session, memberSk.get(j)!, partialsOf(j), rng));

const flipped = (b: Uint8Array, at = 0): Uint8Array => {
  const c = Uint8Array.from(b);
  c[at]! ^= 1;
  return c;
};
const withSecond = (h: SignedHandover): SignedHandover[] => [signed[0]!, h, signed[2]!, signed[3]!];

describe('signed handover', () => {
  it('honest: every set verifies, the certificate follows, and the JSON round-trips', () => {
    const partials = checkSignedHandovers(session, signed);
    expect(partials.map((p) => p.member)).toEqual([1n, 2n, 3n, 4n]);
    expect(checkHandover(def.id, 3, publicData, partials, rng).signatures).toHaveLength(V);
    const planId = new Uint8Array(32).fill(7);
    const parsed = parseHandover(JSON.parse(JSON.stringify(handoverToJson(planId, signed[1]!))));
    expect(parsed.handover).toEqual(signed[1]);
    // identical copies are one set
    expect(checkSignedHandovers(session, [...signed, signed[1]!])).toHaveLength(4);
  });

  it('tamper sessionId: CEREMONY_MISMATCH, no culprit, the coordinator suspect', () => {
    const e = thrown(() => checkSignedHandovers(session, withSecond({ ...signed[1]!, sessionId: flipped(signed[1]!.sessionId) })));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['CEREMONY_MISMATCH', 'handovers[1].sessionId', [], ['coordinator']]);
  });

  it('tamper signature: SIGNATURE_INVALID, no culprit, the coordinator suspect', () => {
    const e = thrown(() => checkSignedHandovers(session, withSecond({ ...signed[1]!, signature: flipped(signed[1]!.signature, 40) })));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['SIGNATURE_INVALID', 'handovers[1].signature', [], ['coordinator']]);
  });

  it('tamper sender index (member 2 relabelled 3, and a stranger 9): nobody is named', () => {
    const as3 = { ...signed[1]!, partials: { ...signed[1]!.partials, member: 3n as never } };
    const e = thrown(() => checkSignedHandovers(session, withSecond(as3)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['SIGNATURE_INVALID', 'handovers[1].signature', [], ['coordinator']]);
    const as9 = { ...signed[1]!, partials: { ...signed[1]!.partials, member: 9n as never } };
    const s = thrown(() => checkSignedHandovers(session, withSecond(as9)));
    expect([s.code, s.field, s.culprits, s.suspects]).toEqual(['INVALID_SHARE_ID', 'handovers[1].member', [], ['coordinator']]);
  });

  it('tamper one payload byte (a partial, the public data hash): SIGNATURE_INVALID, never PARTIAL_SIGNATURE_INVALID naming the honest holder', () => {
    const sig = { ...signed[1]!, partials: { ...signed[1]!.partials, signatures: [flipped(signed[1]!.partials.signatures[0]!, 50), signed[1]!.partials.signatures[1]!] } };
    const e = thrown(() => checkSignedHandovers(session, withSecond(sig)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['SIGNATURE_INVALID', 'handovers[1].signature', [], ['coordinator']]);
    const hash = { ...signed[1]!, partials: { ...signed[1]!.partials, publicDataHash: flipped(signed[1]!.partials.publicDataHash, 31) } };
    const h = thrown(() => checkSignedHandovers(session, withSecond(hash)));
    expect([h.code, h.field, h.culprits, h.suspects]).toEqual(['SIGNATURE_INVALID', 'handovers[1].signature', [], ['coordinator']]);
  });

  it('an altered copy beside the valid set of the same holder is ignored', () => {
    const altered = { ...signed[1]!, signature: flipped(signed[1]!.signature, 40) };
    expect(checkSignedHandovers(session, [...signed, altered])).toHaveLength(4);
  });

  it('a set replayed from another session of the same definition: CEREMONY_MISMATCH, the coordinator suspect', () => {
    const replay = signHandoverMessage(otherSession, memberSk.get(2n)!, partialsOf(2n), rng);
    const e = thrown(() => checkSignedHandovers(session, withSecond(replay)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['CEREMONY_MISMATCH', 'handovers[1].sessionId', [], ['coordinator']]);
  });

  it('nobody but the holder can sign its set', () => {
    const e = thrown(() => signHandoverMessage(session, memberSk.get(3n)!, partialsOf(2n), rng));
    expect([e.code, e.field]).toEqual(['INVALID_SHARE_ID', 'partials.member']);
  });

  it('a holder that signs a bad partial: PARTIAL_SIGNATURE_INVALID naming it, and the verdict any third party reaches names it too', () => {
    const p2 = partialsOf(2n);
    const bad = { ...p2, signatures: [partialsOf(3n).signatures[0]!, p2.signatures[1]!] };
    const cheat = signHandoverMessage(session, memberSk.get(2n)!, bad, rng);
    const partials = checkSignedHandovers(session, withSecond(cheat));
    const e = thrown(() => checkHandover(def.id, 3, publicData, partials, rng));
    expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['2']]);
    expect(judgeHandover(session, def.id, publicData, cheat, rng)).toEqual({ culprit: 2n, fault: 'invalid-partial', validators: [0] });
  });

  it('judge: an honest set, an altered one, or one over other public data proves nothing', () => {
    for (const [h, why] of [
      [signed[1]!, /every partial verifies/],
      [{ ...signed[1]!, signature: flipped(signed[1]!.signature, 40) }, /not signed by that holder/],
      [signHandoverMessage(session, memberSk.get(2n)!, { ...partialsOf(2n), publicDataHash: new Uint8Array(32).fill(1) }, rng), /other new public data/],
    ] as const) {
      const e = thrown(() => judgeHandover(session, def.id, publicData, h, rng));
      expect([e.code, e.field, e.culprits]).toEqual(['DKG_EVIDENCE_INVALID', 'handover', []]);
      expect(e.message).toMatch(why);
    }
  });

  it('two different sets one holder signed: DKG_EQUIVOCATION naming it', () => {
    const again = signHandoverMessage(session, memberSk.get(2n)!, { ...partialsOf(2n), publicDataHash: new Uint8Array(32).fill(1) }, rng);
    const e = thrown(() => checkSignedHandovers(session, [...signed, again]));
    expect([e.code, e.field, e.culprits]).toEqual(['DKG_EQUIVOCATION', 'handovers[4]', ['2']]);
  });

  it('version 1 and 2 files (not host-signed) are refused at .version', () => {
    const planId = new Uint8Array(32).fill(7);
    const { sessionId: _s, signature: _g, ...v2 } = handoverToJson(planId, signed[0]!);
    for (const version of [1, 2]) {
      const e = thrown(() => parseHandover({ ...v2, version }, 'h'));
      expect([e.code, e.field]).toEqual(['DKG_INVALID_MESSAGE', 'h.version']);
      expect(e.message).toMatch(/no longer accepted .*decision 0442/);
    }
    const e = thrown(() => parseHandover({ ...handoverToJson(planId, signed[0]!), version: 4 }, 'h'));
    expect([e.code, e.field]).toEqual(['DKG_INVALID_MESSAGE', 'h.version']);
  });
});
