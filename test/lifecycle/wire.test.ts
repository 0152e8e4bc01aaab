/**
 * A reshare over sealed messages (wire.ts): sub-shares encrypted per recipient with the DKG's encryption, host
 * signatures, complaints revealing only the pairwise ECDH point with a DLEQ proof, and a verdict naming one party.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { openShares, pairKeyFromShared } from '../../src/dkg/encryption.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { combineReshare, dealReshare, type ReshareDealing, type SubShareBundle } from '../../src/lifecycle/reshare.js';
import { checkSealed, complain, enrollRecipient, judgeComplaint, openSealed, sealDealing, wireSession, type SealedDealing, type WireSession } from '../../src/lifecycle/wire.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { SecretBytes } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-wire');
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
const flip = (b: Uint8Array): SecretBytes => {
  const c = SecretBytes.copyOf(b);
  c[31]! ^= 1;
  return c;
};
function seal(dealer: bigint, tamper?: (recipient: bigint, secrets: readonly Uint8Array[]) => readonly Uint8Array[], s: WireSession = session): SealedDealing {
  const dealt = dealReshare(def, dealer, cluster.sharesById.get(dealer)!, rng);
  const bundles = session.recipients.map((r) => {
    const secrets = dealt.bundles.find((b) => b.recipient === r.id)!.secrets;
    return tamper === undefined ? secrets : tamper(r.id, secrets);
  });
  return sealDealing(s, dealer, dealerSk.get(dealer)!, dealt.dealing.commitments, bundles, rng);
}
function member(j: bigint, sealed: readonly SealedDealing[]) {
  sealed.forEach((m, i) => checkSealed(session, m, `sealed[${i}]`));
  const dealings: ReshareDealing[] = sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments }));
  const bundles: SubShareBundle[] = sealed.map((m) => ({ dealer: m.sender, recipient: j as never, secrets: openSealed(session, j, memberSk.get(j)!, m)! }));
  return combineReshare(def, j, dealings, bundles, rng);
}

describe('reshare over sealed messages', () => {
  const honest = [1n, 2n, 3n].map((d) => seal(d));
  it('every member opens its sub-shares and combines; any 3 new shares give the key', () => {
    const shares = def.newIds.map((j) => member(j, honest).shares);
    for (let v = 0; v < V; v++) {
      expect(bytesToHex(recoverSecret([shares[0]![v]!, shares[2]![v]!, shares[3]![v]!], 3))).toBe(bytesToHex(cluster.keys[v]!));
    }
  });
  it('a ciphertext altered in transit: SIGNATURE_INVALID, no culprit (the coordinator is suspect)', () => {
    const ct = Uint8Array.from(honest[1]!.ciphertexts[0]!);
    ct[5]! ^= 1;
    const altered = { ...honest[1]!, ciphertexts: [ct, ...honest[1]!.ciphertexts.slice(1)] };
    const e = thrown(() => checkSealed(session, altered, 'sealed[1]'));
    expect([e.code, e.field, e.culprits]).toEqual(['SIGNATURE_INVALID', 'sealed[1].signature', []]);
  });
  it('a message of another session is refused', () => {
    const other = { ...session, id: new Uint8Array(32).fill(3) };
    const e = thrown(() => checkSealed(other, honest[0]!, 'sealed[0]'));
    expect([e.code, e.field]).toEqual(['CEREMONY_MISMATCH', 'sealed[0].sessionId']);
  });
  it('a dealer that seals a wrong sub-share: the member complains and the verdict names the dealer', () => {
    const bad = seal(2n, (r, secrets) => (r === 3n ? secrets.map((s, v) => (v === 1 ? flip(s) : s)) : secrets));
    const sealed = [honest[0]!, bad, honest[2]!];
    const e = thrown(() => member(3n, sealed));
    expect([e.code, e.culprits]).toEqual(['SUB_SHARE_INVALID', ['2']]);
    const c = complain(session, 3n, memberSk.get(3n)!, bad, rng);
    expect(judgeComplaint(session, c, bad, false, rng)).toEqual({ culprit: 2n, fault: 'invalid-sub-share' });
  });
  it('a dealer that seals to the wrong key: undecryptable, the verdict names the dealer', () => {
    const wrongKey = { ...session, recipients: session.recipients.map((r, k) => (k === 1 ? { ...r, encKey: session.recipients[0]!.encKey } : r)) };
    const bad = seal(1n, undefined, wrongKey);
    checkSealed(session, bad); // validly signed: the dealer wrote it
    expect(openSealed(session, 2n, memberSk.get(2n)!, bad)).toBeUndefined();
    const c = complain(session, 2n, memberSk.get(2n)!, bad, rng);
    expect(judgeComplaint(session, c, bad, false, rng)).toEqual({ culprit: 1n, fault: 'undecryptable-sub-share' });
  });
  it('a complaint against an honest dealer convicts the complainer', () => {
    const c = complain(session, 1n, memberSk.get(1n)!, honest[2]!, rng);
    expect(judgeComplaint(session, c, honest[2]!, false, rng)).toEqual({ culprit: 1n, fault: 'false-complaint' });
  });
  it('a complaint altered in transit gives no verdict', () => {
    const c = complain(session, 1n, memberSk.get(1n)!, honest[2]!, rng);
    const e = thrown(() => judgeComplaint(session, { ...c, accused: 1n as never }, honest[0]!, false, rng));
    expect([e.code, e.field, e.culprits]).toEqual(['SIGNATURE_INVALID', 'complaint.signature', []]);
  });
  it('the revealed point opens only the ciphertext from the accused to the complainer', () => {
    const c = complain(session, 1n, memberSk.get(1n)!, honest[2]!, rng);
    const ctxFor = (m: SealedDealing, k: number) => ({ ceremonyId: session.id, sender: 3, recipient: 3 + k + 1, senderKey: m.ephemeralKey, recipientKey: session.recipients[k]!.encKey, validators: V, salt: m.salt });
    expect(openShares(pairKeyFromShared(ctxFor(honest[2]!, 0), c.point), ctxFor(honest[2]!, 0), honest[2]!.ciphertexts[0]!)).toBeDefined();
    expect(openShares(pairKeyFromShared(ctxFor(honest[2]!, 1), c.point), ctxFor(honest[2]!, 1), honest[2]!.ciphertexts[1]!)).toBeUndefined();
    const other = { ...ctxFor(honest[1]!, 0), sender: 2 };
    expect(openShares(pairKeyFromShared(other, c.point), other, honest[1]!.ciphertexts[0]!)).toBeUndefined();
  });
  it('an enrollment not signed by its host key is refused naming the recipient', () => {
    const e1 = enrollRecipient(def.id, 1, memberSk.get(1n)!, rng);
    const forged = { ...e1, encKey: enrollRecipient(def.id, 1, memberSk.get(2n)!, rng).encKey };
    const e = thrown(() => wireSession(def.id, V, [], [forged]));
    expect([e.code, e.field, e.culprits]).toEqual(['SIGNATURE_INVALID', 'enrollments[0].signature', ['1']]);
  });
});
