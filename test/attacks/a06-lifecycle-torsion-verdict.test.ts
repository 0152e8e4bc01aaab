/**
 * Attack a06 (lifecycle wire, blame): the a01 torsion trick against a reshare's complaint verdict (wire.ts
 * judgeComplaint). Two colluding old dealers (2 and 3; t_old − 1 = 2) hide an order-3 point T in a non-constant
 * commitment of validator 0 (dealer 2 adds +T to G_{2,0,1}, dealer 3 adds −T to G_{3,0,1}): the constants are
 * untouched, so DEALING_CONSTANT_MISMATCH does not fire, and every summed commitment is in G1, so
 * assertSumsInSubgroup does not fire either. Their sub-shares are the honest polynomial values, except that dealer 3
 * seals new member 1 a wrong sub-share of validator 0. Member 1's combined share then fails, and its per-dealer Feldman check
 * (exact, unweighted: reshare.ts blameSubShares) names BOTH dealers 2 and 3 (dealer 2's commitments carry 1·T).
 * So member 1, honestly, complains against 2 and 3. A verifier of the complaint against dealer 2 runs
 * failingClaims (sub-sharing.ts) with ITS OWN random 64-bit weight w: the batch equation holds exactly when 3 | w,
 * so with probability 1/3 it returns "no failing claim" and judgeComplaint convicts member 1 of a false complaint.
 *
 * What must hold (decision 1004, docs/protocols/lifecycle.md): an honest complainer is never the culprit, and
 * everyone judging the same complaint and sealed message reaches the same verdict.
 */
import { describe, expect, it } from 'vitest';
import { G1 } from '../../src/bls/group.js';
import { decodeG1UncheckedSubgroup, encodeG1Uncompressed } from '../../src/bls/uncompressed.js';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { combineReshare, dealReshare, type ReshareDealing, type SubShareBundle } from '../../src/lifecycle/reshare.js';
import { checkSealed, complain, enrollRecipient, judgeComplaint, openSealed, sealDealing, wireSession, type SealedDealing } from '../../src/lifecycle/wire.js';
import { SecretBytes } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from '../lifecycle/helpers.js';
import { orderThreePoint } from './torsion.js';

const rng = insecureTestRng('a06');
const V = 2;
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
const T = orderThreePoint();

/** Dealer `dealer` deals honestly, then adds `torsion` to G_{dealer,0,1} and optionally corrupts member 1's sub-share of validator 0. */
function seal(dealer: bigint, torsion: typeof T | undefined, cheatMember1: boolean): SealedDealing {
  const dealt = dealReshare(def, dealer, cluster.sharesById.get(dealer)!, rng);
  const commitments = dealt.dealing.commitments.map((cs, v) =>
    cs.map((c, k) => (torsion !== undefined && v === 0 && k === 1 ? encodeG1Uncompressed(decodeG1UncheckedSubgroup(c, 'c').add(torsion)) : c)),
  );
  const bundles = session.recipients.map((r) => {
    const secrets = dealt.bundles.find((b) => b.recipient === r.id)!.secrets;
    if (!cheatMember1 || r.id !== 1n) return secrets;
    return secrets.map((s, v) => {
      const c = SecretBytes.copyOf(s);
      if (v === 0) c[31]! ^= 1;
      return c;
    });
  });
  return sealDealing(session, dealer, dealerSk.get(dealer)!, commitments, bundles, rng);
}

function member(j: bigint, sealed: readonly SealedDealing[]) {
  sealed.forEach((m, i) => checkSealed(session, m, `sealed[${i}]`));
  const dealings: ReshareDealing[] = sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments }));
  const bundles: SubShareBundle[] = sealed.map((m) => ({ dealer: m.sender, recipient: j as never, secrets: openSealed(session, j, memberSk.get(j)!, m)! }));
  return combineReshare(def, j, dealings, bundles, rng);
}

describe('a06: cancelling torsion in two reshare dealings cannot frame an honest complainer (defended)', () => {
  const sealed = [seal(1n, undefined, false), seal(2n, T, false), seal(3n, T.negate(), true)];

  it('the torsion is invisible to every public check; members 2..4 finish; member 1 names only the cheater, dealer 3', () => {
    expect(G1.ZERO.add(T).is0()).toBe(false);
    for (const j of [2n, 3n, 4n]) expect(member(j, sealed).shares).toHaveLength(V);
    const e = thrown(() => member(1n, sealed));
    // Before the fix (checks by exact equality) member 1 named ['2', '3']: dealer 2's commitments carry 1·T.
    expect([e.code, e.culprits]).toEqual(['SUB_SHARE_INVALID', ['3']]);
  });

  // Fixed (decision 0421 applied to src/lifecycle/sub-sharing.ts failingClaims): before it, on aa4ec3c, 12 verifiers
  // of member 1's complaint against dealer 2 split 4 "2: invalid-sub-share" to 8 "1: false-complaint".
  it('every verifier upholds the complaint against the cheater, and all agree on any complaint against dealer 2', () => {
    const c2 = complain(session, 1n, memberSk.get(1n)!, sealed[1]!, rng);
    const c3 = complain(session, 1n, memberSk.get(1n)!, sealed[2]!, rng);
    const verdicts = Array.from({ length: 12 }, (_, k) => {
      const vr = insecureTestRng(`a06-verifier-${k}`);
      const a = judgeComplaint(session, c2, sealed[1]!, false, vr);
      const b = judgeComplaint(session, c3, sealed[2]!, false, vr);
      return `${a.culprit}:${a.fault},${b.culprit}:${b.fault}`;
    });
    // Dealer 2's sub-shares are right on the G1 part, so a complaint against it (which honest member 1 no longer
    // makes) is false in every verifier's eyes; the complaint against dealer 3 is upheld by all.
    for (const v of verdicts) expect(v).toBe('1:false-complaint,3:invalid-sub-share');
  });
});
