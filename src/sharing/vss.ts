/**
 * Feldman verifiable secret sharing over G1 (Feldman, "A practical scheme for non-interactive verifiable secret
 * sharing", FOCS 1987), and the SCRAPE low-degree test (Cascudo-David, "SCRAPE: Scalable Randomness Attested by
 * Public Entities", ACNS 2017, section 4: the dual-code check).
 *
 * Commitments C_j = a_j·G1 to the coefficients of f. The public share of id x is Y_x = f(x)·G1 = Σ C_j x^j, and a
 * share s_x is valid when s_x·G1 = Y_x. C_0 is the validator public key.
 *
 * Every batch check here draws fresh random 64-bit weights, so two corruptions crafted to cancel in a plain sum
 * are still caught (except with probability about 2^-64); on failure the per-item checks name the culprits.
 *
 * @module
 */
import { systemRandomBytes } from '../random.js';
import type { PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { Fr, batchInvert, decodeScalar, randomScalar, randomWeight } from '../bls/field.js';
import { decodeG1, encodeG1, G1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { msmG1 } from '../bls/msm.js';
import { evaluatePolynomial } from './polynomial.js';
import { validateIds, validateThreshold } from './ids.js';
import { ValidationError } from '../errors.js';

/** Commitments C_j = a_j·G1 (constant-time multiplication: the coefficients are secret). */
export function commit(coeffs: readonly bigint[]): G1Point[] {
  return coeffs.map((a) => (a === 0n ? G1.ZERO : mulBaseSecret(a)));
}

/** Compressed encodings of commitments (C_0 first). */
export function encodeCommitments(commitments: readonly G1Point[]): Uint8Array[] {
  return commitments.map(encodeG1);
}

/**
 * Decodes commitments strictly. C_0 (the validator pubkey) may not be the identity; later ones may (a zero
 * coefficient), and the exact-degree check of recombine.ts rejects an identity leading commitment.
 * @throws ValidationError naming `field[j]`.
 */
export function decodeCommitments(bytes: readonly Uint8Array[], field = 'commitments'): G1Point[] {
  return bytes.map((b, j) => decodeG1(b, `${field}[${j}]`, { allowInfinity: j > 0 }));
}

/** Y_x = Σ_j C_j·x^j: the public share of id x implied by the commitments (Horner in the exponent). */
export function publicShareFromCommitments(commitments: readonly G1Point[], id: ShareIndex): G1Point {
  let acc = G1.ZERO;
  for (let j = commitments.length - 1; j >= 0; j--) {
    acc = acc.is0() ? commitments[j]! : acc.multiplyUnsafe(id).add(commitments[j]!);
  }
  return acc;
}

/** True when s_x·G1 = Σ_j C_j x^j (Feldman's share check). */
export function verifyShare(share: SecretShare, commitments: readonly G1Point[]): boolean {
  const s = decodeScalar(share.secret, 'share.secret', { allowZero: true });
  const lhs = s === 0n ? G1.ZERO : mulBaseSecret(s);
  return lhs.equals(publicShareFromCommitments(commitments, share.id));
}

/** Powers 1, x, ..., x^(count-1) mod r. */
function powers(x: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let p = 1n;
  for (let j = 0; j < count; j++) {
    out.push(p);
    p = Fr.mul(p, x);
  }
  return out;
}

/**
 * Batch check of public shares against commitments: Σ_i w_i·Y_i = Σ_j (Σ_i w_i x_i^j)·C_j with random w_i, one
 * MSM of n + t points. True exactly when every Y_i = Σ_j C_j x_i^j (up to probability 2^-64).
 */
export function verifyPublicSharesBatch(
  ids: readonly ShareIndex[],
  points: readonly G1Point[],
  commitments: readonly G1Point[],
  rng: RandomBytes = systemRandomBytes,
): boolean {
  sameLength(ids, points);
  validateIds(ids, 'ids');
  const t = commitments.length;
  const coeffs = new Array<bigint>(t).fill(0n);
  const weights: bigint[] = [];
  for (const id of ids) {
    const w = randomWeight(rng);
    weights.push(Fr.neg(w));
    const pw = powers(id, t);
    for (let j = 0; j < t; j++) coeffs[j] = Fr.add(coeffs[j]!, Fr.mul(w, pw[j]!));
  }
  return msmG1([...commitments, ...points], [...coeffs, ...weights]).is0();
}

/**
 * Batch check of secret shares against commitments: (Σ w_i s_i)·G1 = Σ_j (Σ_i w_i x_i^j)·C_j. One base
 * multiplication and one MSM. True exactly when every share passes {@link verifyShare} (up to 2^-64).
 */
export function verifySharesBatch(
  shares: readonly SecretShare[],
  commitments: readonly G1Point[],
  rng: RandomBytes = systemRandomBytes,
): boolean {
  const t = commitments.length;
  const coeffs = new Array<bigint>(t).fill(0n);
  let sum = 0n;
  shares.forEach((share, i) => {
    const s = decodeScalar(share.secret, `shares[${i}].secret`, { allowZero: true });
    const w = randomWeight(rng);
    sum = Fr.add(sum, Fr.mul(w, s));
    const pw = powers(share.id, t);
    for (let j = 0; j < t; j++) coeffs[j] = Fr.add(coeffs[j]!, Fr.mul(w, pw[j]!));
  });
  const lhs = sum === 0n ? G1.ZERO : mulBaseSecret(sum);
  return lhs.equals(msmG1(commitments, coeffs));
}

/**
 * SCRAPE low-degree test: true when the points (0, groupKey), (x_i, Y_i) all lie on one polynomial of degree at
 * most `threshold - 1` (in the exponent), except with probability 1/r.
 *
 * With m = n + 1 evaluation points z_k and v_k = Π_{l≠k} 1/(z_k − z_l), the dual code of the Reed-Solomon code of
 * degree < t is {(v_k·p(z_k))_k : deg p ≤ m − t − 1}. So for a random such p, Σ_k v_k p(z_k)·Y_k = 0 holds for every
 * consistent vector and fails for any other with probability 1 − 1/r. Cost: O(n²) field operations and one MSM of
 * n + 1 points; it never enumerates subsets.
 */
export function lowDegreeTest(
  groupKey: G1Point,
  ids: readonly ShareIndex[],
  points: readonly G1Point[],
  threshold: number,
  rng: RandomBytes = systemRandomBytes,
): boolean {
  sameLength(ids, points);
  validateIds(ids, 'ids');
  validateThreshold(threshold, ids.length);
  const zs: bigint[] = [0n, ...ids];
  const ys: G1Point[] = [groupKey, ...points];
  const m = zs.length;
  const dualDegree = m - threshold - 1;
  if (dualDegree < 0) return true; // t = n + 1 points: any vector fits (not reachable for t <= n)
  const dens = zs.map((zk, k) => {
    let d = 1n;
    for (let l = 0; l < m; l++) if (l !== k) d = Fr.mul(d, Fr.sub(zk, zs[l]!));
    return d;
  });
  const v = batchInvert(dens);
  const p: bigint[] = [];
  for (let j = 0; j <= dualDegree; j++) p.push(randomScalar(rng));
  const scalars = zs.map((z, k) => Fr.mul(v[k]!, evaluatePolynomial(p, z)));
  return msmG1(ys, scalars).is0();
}

function sameLength(ids: readonly unknown[], points: readonly unknown[]): void {
  if (ids.length !== points.length) {
    throw new ValidationError('INVALID_LENGTH', `'points' has ${points.length} entries for ${ids.length} ids`, { field: 'points' });
  }
}

/** Decodes public shares strictly (no identity; subgroup checked), naming `field[i].publicKey`. */
export function decodePublicShares(shares: readonly PublicShare[], field = 'publicShares'): G1Point[] {
  return shares.map((s, i) => decodeG1(s.publicKey, `${field}[${i}].publicKey`));
}
