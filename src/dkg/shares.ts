/**
 * Round-1 processing, the private part (brief B4 steps 3-5, A7.6): decrypt the share bundle every dealer sent to
 * this participant, add them up, and check them against the commitments in one batch.
 *
 * Batched Feldman check (Bellare-Garay-Rabin small exponents): with s_v = Σ_j s_{j,v}(i) and Y_{v,i} = Ĉ_v(i),
 * check (Σ_v ρ_v s_v)·G = Σ_v ρ_v·Y_{v,i}: one constant-time base multiplication and one MSM of V points. Summing
 * over dealers without weights is sound per validator (only the sum reaches the key); the weights ρ_v across
 * validators are mandatory, or +δ on one validator and −δ on another would cancel (brief A7.6, B10.6). It also
 * proves the output assertion s_{v,i}·G = Y_{v,i}. On failure each dealer is checked alone (one base
 * multiplication and one MSM of V·t points each), then each of its validators, to name the culprits.
 *
 * @module
 */
import { wipe } from '../bytes.js';
import { Fr, R as ORDER, randomWeight } from '../bls/field.js';
import { G1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { bytesToBigintBE } from '../bytes.js';
import type { RandomBytes } from '../types.js';
import type { Definition } from './definition.js';
import { openShares, pairKey, pairKeyFromShared, type PairContext } from './encryption.js';
import type { Round1 } from './messages.js';
import { decodeG1Uncompressed, isZeroModTorsion, msm } from './points.js';
import { evaluateCommitments, type Finding } from './verify.js';

/** Result of {@link receiveShares}: this participant's summed shares, or the dealers at fault. */
export type ReceivedShares =
  | { readonly ok: true; readonly shares: bigint[]; readonly ownPublicShares: G1Point[] }
  | { readonly ok: false; readonly findings: Finding[] };

/** The context of ciphertext dealer → recipient in the dealer's round-1 message (its salt and ephemeral key). */
export function pairContext(def: Definition, message: Round1, recipient: number): PairContext {
  const dealer = message.index;
  const salt = message.salt;
  return {
    ceremonyId: def.id,
    sender: dealer,
    recipient,
    senderKey: dealer === recipient ? def.participants[dealer - 1]!.encKey : message.ephemeralKey,
    recipientKey: def.participants[recipient - 1]!.encKey,
    validators: def.V,
    salt,
  };
}

/** The outcome of decrypting one dealer's bundle for one recipient. */
export type OpenedBundle = { readonly ok: true; readonly values: bigint[] } | { readonly ok: false; readonly finding: Finding };

/**
 * Decrypts ct_{dealer→recipient} with the recipient's encryption secret (or, for dealer = recipient, its self key)
 * and decodes the V scalars. An AEAD failure is `undecryptable-share`; a scalar ≥ r is `invalid-share`.
 */
export function openBundle(def: Definition, message: Round1, recipient: number, encSecret: Uint8Array): OpenedBundle {
  const ctx = pairContext(def, message, recipient);
  return openWithKey(def, message, recipient, pairKey(ctx, encSecret, message.index === recipient));
}

/**
 * Decrypts ct_{dealer→recipient} (dealer ≠ recipient) with the pairwise ECDH point a complaint revealed (decision
 * 0420): the only ciphertext that point opens. Same outcomes as {@link openBundle}.
 */
export function openBundleWithShared(def: Definition, message: Round1, recipient: number, shared: Uint8Array): OpenedBundle {
  if (message.index === recipient) throw new RangeError('a shared point never opens a self-ciphertext');
  return openWithKey(def, message, recipient, pairKeyFromShared(pairContext(def, message, recipient), shared));
}

function openWithKey(def: Definition, message: Round1, recipient: number, key: Uint8Array): OpenedBundle {
  const dealer = message.index;
  const ctx = pairContext(def, message, recipient);
  const pt = openShares(key, ctx, message.ciphertexts[recipient - 1]!);
  wipe(key);
  if (pt === undefined) {
    return { ok: false, finding: { accused: dealer, fault: 'undecryptable-share', detail: `participant ${dealer}'s shares for participant ${recipient} do not decrypt` } };
  }
  try {
    const values: bigint[] = [];
    for (let v = 0; v < def.V; v++) {
      const x = bytesToBigintBE(pt.subarray(32 * v, 32 * v + 32));
      if (x >= ORDER) {
        values.fill(0n);
        return { ok: false, finding: { accused: dealer, fault: 'invalid-share', validator: v + 1, detail: `participant ${dealer}'s share of validator ${v + 1} is not below the group order` } };
      }
      values.push(x);
    }
    return { ok: true, values };
  } finally {
    wipe(pt);
  }
}

/**
 * Per-dealer Feldman checks (after the summed check failed or a dealer could not be decrypted): the validators v for
 * which s_{dealer,v}·G ≠ Σ_k i^k·C_{dealer,v,k} up to cofactor torsion.
 *
 * One dealer's commitments are not subgroup-checked (only their sums are, decision 0402), so they may carry torsion
 * that cancels against a colluder's. The comparison is therefore made on the G1 projection ({@link isZeroModTorsion}),
 * as for proofs of knowledge: the outcome depends only on the G1 parts, never on the torsion and the random batch
 * weights, so the accuser and every verifier of its complaint reach the same answer (attack a01, decision 0421).
 * The batch is sound on the G1 part: cofactor clearing multiplies it by h_eff, which is invertible mod r.
 */
export function badShares(def: Definition, message: Round1, recipient: number, values: readonly bigint[], rng: RandomBytes): number[] {
  const commitments = message.validators.map((d) => d.commitments.map((c, k) => decodeG1Uncompressed(c, `commitments[${k}]`)));
  const weights = values.map(() => randomWeight(rng));
  let lhs = 0n;
  const points: G1Point[] = [];
  const scalars: bigint[] = [];
  const x = BigInt(recipient);
  values.forEach((s, v) => {
    lhs = Fr.add(lhs, Fr.mul(weights[v]!, s));
    let pw = weights[v]!;
    for (const c of commitments[v]!) {
      points.push(c);
      scalars.push(pw);
      pw = Fr.mul(pw, x);
    }
  });
  const left = lhs === 0n ? G1.ZERO : mulBaseSecret(lhs);
  if (isZeroModTorsion(left.subtract(msm(G1.ZERO, points, scalars)))) return [];
  const bad: number[] = [];
  values.forEach((s, v) => {
    const y = evaluateCommitments(commitments[v]!, recipient);
    if (!isZeroModTorsion((s === 0n ? G1.ZERO : mulBaseSecret(s)).subtract(y))) bad.push(v + 1);
  });
  return bad;
}

/**
 * Decrypts and checks every share sent to `recipient` (its encryption secret given), against the summed
 * commitments `sums` of a publicly valid round 1.
 */
export function receiveShares(def: Definition, round1: readonly Round1[], recipient: number, encSecret: Uint8Array, sums: readonly G1Point[][], rng: RandomBytes): ReceivedShares {
  const findings: Finding[] = [];
  const perDealer: (bigint[] | undefined)[] = [];
  const totals = new Array<bigint>(def.V).fill(0n);
  for (const m of round1) {
    const opened = openBundle(def, m, recipient, encSecret);
    if (!opened.ok) {
      findings.push(opened.finding);
      perDealer.push(undefined);
      continue;
    }
    perDealer.push(opened.values);
    opened.values.forEach((s, v) => (totals[v] = Fr.add(totals[v]!, s)));
  }
  const ownPublicShares = sums.map((row) => evaluateCommitments(row, recipient));
  let passed = false;
  if (findings.length === 0) {
    const weights = totals.map(() => randomWeight(rng));
    let lhs = 0n;
    totals.forEach((s, v) => (lhs = Fr.add(lhs, Fr.mul(weights[v]!, s))));
    passed = (lhs === 0n ? G1.ZERO : mulBaseSecret(lhs)).equals(msm(G1.ZERO, ownPublicShares, weights));
  }
  if (!passed) {
    perDealer.forEach((values, j) => {
      if (values === undefined) return;
      const dealer = round1[j]!.index;
      for (const v of badShares(def, round1[j]!, recipient, values, rng)) {
        findings.push({ accused: dealer, fault: 'invalid-share', validator: v, detail: `participant ${dealer}'s share of validator ${v} does not match its commitments` });
      }
    });
    for (const values of perDealer) values?.fill(0n);
    totals.fill(0n);
    if (findings.length === 0) {
      // every dealer's shares check but their sum does not: impossible unless the sums are not the commitments' sums
      throw new RangeError('the summed shares fail while every dealer passes');
    }
    return { ok: false, findings };
  }
  for (const values of perDealer) values?.fill(0n);
  return { ok: true, shares: totals, ownPublicShares };
}
