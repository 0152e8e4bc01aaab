/**
 * Attack a08 (lifecycle wire, agreement): an old dealer equivocates. Dealer 2 host-signs TWO valid sealed dealings
 * (two random polynomials, both starting at λ_2·s_2) and the coordinator relays A to new members 1 and 2, B to
 * members 3 and 4. Every check of wire.ts and reshare.ts passes for everyone, so the members finish with shares on
 * two different sharings and two different sets of new public shares (nothing compares the transcript: "CertEq
 * agreement over the transcript" is listed as not built in docs/protocols/lifecycle.md). The handover then fails,
 * which keeps the old shares safe, but it names the members of the other world as culprits: honest parties.
 *
 * What must hold (docs/protocols/lifecycle.md "Blame"): a failure names the party at fault (dealer 2, who signed two
 * dealings for one session), never an honest member.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
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

  // SUCCEEDS: see notes/attack.md a08. On main at 9b22d54: PARTIAL_SIGNATURE_INVALID with culprits ["3","4"].
  it.skip('SUCCEEDS: the handover never names an honest member (here all four are honest; dealer 2 equivocated)', () => {
    const partials = [...out].map(([, o]) => signHandover(def.id, [cluster.validators[0]!.groupPublicKey], o.shares));
    const e = thrown(() => checkHandover(def.id, 3, out.get(1n)!.publicData, partials, rng));
    console.log('a08 handover with world A public data:', e.code, JSON.stringify(e.culprits));
    expect(e.culprits).not.toContain('3');
    expect(e.culprits).not.toContain('4');
  });
});
