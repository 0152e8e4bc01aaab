/**
 * Attack a08 (lifecycle wire, agreement): an old dealer equivocates. Dealer 2 host-signs TWO valid sealed dealings
 * (two random polynomials, both starting at λ_2·s_2) and the coordinator relays A to new members 1 and 2, B to
 * members 3 and 4. Every check of wire.ts and reshare.ts passes for everyone (setup test), so without agreement the
 * members finish with shares on two different sharings, and the handover used to name the members of the other
 * world (PARTIAL_SIGNATURE_INVALID ["3","4"]): honest parties.
 *
 * The defence (issue 12; echo.ts, decisions 0425-0427): before combining, every member host-signs an echo of the
 * sealed messages it received and requires the echoes of all n' members over the same digests. Member 3's echo
 * carries dealer 2's signature over B's digest for this session; with A's, that is transferable evidence
 * convicting exactly dealer 2 (DKG_EQUIVOCATION). And a handover partial made on another world's public data says so
 * (TRANSCRIPT_MISMATCH, nobody named), so honest members are never named even if the echo round were skipped.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { checkEchoes, findEquivocations, signEcho, transcriptOf, verifyEquivocation } from '../../src/lifecycle/echo.js';
import { checkHandover, signHandover } from '../../src/lifecycle/handover.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { combineReshare, dealReshare, type ReshareDealing, type SubShareBundle } from '../../src/lifecycle/reshare.js';
import { checkSealed, enrollRecipient, openSealed, sealDealing, wireSession, type SealedDealing } from '../../src/lifecycle/wire.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from '../lifecycle/helpers.js';

const rng = insecureTestRng('a08');
const V = 1;
const cluster = makeCluster(3, 5, V, rng);
const def = defineReshare({ oldThreshold: 3, validators: cluster.validators, dealers: [1, 2, 3], newThreshold: 3, newShares: 4, rng });
const dealerSk = new Map([1n, 2n, 3n].map((i) => [i, generateHostSecretKey(rng)]));
const memberSk = new Map(def.newIds.map((j) => [j as bigint, generateHostSecretKey(rng)]));
const session = wireSession(
  def.id,
  V,
  [...dealerSk].map(([id, sk]) => ({ id, hostKey: hostPublicKey(sk) })),
  def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng)),
);
function seal(dealer: bigint): SealedDealing {
  const dealt = dealReshare(def, dealer, cluster.sharesById.get(dealer)!, rng);
  const bundles = session.recipients.map((r) => dealt.bundles.find((b) => b.recipient === r.id)!.secrets);
  return sealDealing(session, dealer, dealerSk.get(dealer)!, dealt.dealing.commitments, bundles, rng);
}
function member(j: bigint, sealed: readonly SealedDealing[]) {
  sealed.forEach((m, i) => checkSealed(session, m, `sealed[${i}]`));
  const dealings: ReshareDealing[] = sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments }));
  const bundles: SubShareBundle[] = sealed.map((m) => ({ dealer: m.sender, recipient: j as never, secrets: openSealed(session, j, memberSk.get(j)!, m)! }));
  return combineReshare(def, j, dealings, bundles, rng);
}

describe('a08: a dealer that signs two dealings splits the new members into two worlds', () => {
  const d1 = seal(1n);
  const d3 = seal(3n);
  const a = seal(2n);
  const b = seal(2n);
  const worldA = [d1, a, d3];
  const worldB = [d1, b, d3];
  const out = new Map<bigint, ReturnType<typeof member>>([
    [1n, member(1n, worldA)],
    [2n, member(2n, worldA)],
    [3n, member(3n, worldB)],
    [4n, member(4n, worldB)],
  ]);

  it('setup: every member finishes without an error, yet members 1 and 3 hold different new public data', () => {
    const pub = (j: bigint) => out.get(j)!.publicData[0]!.publicShares.map((p) => bytesToHex(p.publicKey)).join();
    expect(pub(1n)).toBe(pub(2n));
    expect(pub(3n)).toBe(pub(4n));
    expect(pub(1n)).not.toBe(pub(3n));
  });

  it('FAILS now: with the echo round every member refuses to combine and names exactly dealer 2, with transferable evidence', () => {
    const seen = new Map<bigint, readonly SealedDealing[]>([[1n, worldA], [2n, worldA], [3n, worldB], [4n, worldB]]);
    const transcripts = new Map([...seen].map(([j, sealed]) => [j, transcriptOf(session, sealed)]));
    const echoes = [...transcripts].map(([j, t]) => signEcho(t, j, memberSk.get(j)!, rng));
    for (const j of [1n, 2n, 3n, 4n]) {
      const e = thrown(() => checkEchoes(transcripts.get(j)!, echoes));
      expect([e.code, e.culprits, e.field]).toEqual(['DKG_EQUIVOCATION', ['2'], 'echoes']);
      expect(e.message).toMatch(/^sender 2 host-signed two different sealed messages for this session \(0x[0-9a-f]{12}… received here, 0x[0-9a-f]{12}… echoed by another member\): it equivocated; nothing may be combined$/);
      // the evidence convicts dealer 2 for anyone holding the session, and only dealer 2
      const evidence = findEquivocations(transcripts.get(j)!, echoes);
      expect(evidence.map((ev) => ev.sender)).toEqual([2n]);
      expect(verifyEquivocation(session, evidence[0]!)).toBe(2n);
    }
    // a member the coordinator shows both dealings of dealer 2 convicts it at once
    const both = thrown(() => transcriptOf(session, [d1, a, b, d3]));
    expect([both.code, both.culprits, both.field]).toEqual(['DKG_EQUIVOCATION', ['2'], 'dealings[2]']);
    // members of one world alone agree: the coordinator withholding 3's and 4's echoes only stalls member 1, and the
    // honest members 3 and 4 are suspects with the coordinator, never culprits (attack a15, decision 0441)
    const missing = thrown(() => checkEchoes(transcripts.get(1n)!, echoes.slice(0, 2)));
    expect([missing.code, missing.culprits, missing.suspects]).toEqual(['ECHO_MISSING', [], ['3', '4', 'coordinator']]);
    expect(missing.message).toMatch(/^no valid echo from member 3, 4: nothing is proven .*; suspects, not culprits: member 3, 4 or the coordinator; nothing may be combined$/);
  });

  it('FAILS now: even without the echo round, the handover names no honest member (the partials state their world)', () => {
    const partials = [...out].map(([, o]) => signHandover(def.id, o.publicData, o.shares));
    for (const world of [1n, 3n]) {
      const e = thrown(() => checkHandover(def.id, 3, out.get(world)!.publicData, partials, rng));
      expect([e.code, e.culprits]).toEqual(['TRANSCRIPT_MISMATCH', []]);
      expect(e.message).toMatch(new RegExp(`^new holder ${world === 1n ? '3, 4' : '1, 2'} signed reshare-complete over other new public data .*nobody is named; old shares must not be deleted$`));
    }
  });
});
