/**
 * Schnorr proof of knowledge of a dealer's constant term, in G1 (brief B2 "PoK", B11.1; FROST KeyGen, Komlo-Goldberg
 * SAC 2020 figure 1 and RFC 9591's DKG; the PedPop of Crites-Komlo-Maller and SimplPedPop of Chu et al. CRYPTO 2023).
 *
 * For dealer i, validator v, constant term a with C_0 = a·G and nonce k with R = k·G:
 *   c = hash_to_field_Fr(DST_pok, ceremonyId || u16 i || u32 v || C_0 || R),   z = k + c·a,
 * and the proof is (R, z), checked as z·G = R + c·C_0. Binding (ceremonyId, i, v) into c stops a proof being
 * copied to another ceremony, participant or validator; the proof blocks rogue-key attacks (C_0 = X − Σ C_h0), which
 * matter for t >= n/2, i.e. for Ethereum's usual t = ⌈2n/3⌉ (brief A7.3).
 *
 * Verification is batched with random 64-bit weights ρ (Bellare-Garay-Rabin small exponents, brief A7.6):
 * (Σ ρ z)·G = Σ ρ·R + Σ (ρ c)·C_0, one MSM for all dealers and validators; on failure each proof is checked alone to
 * name the culprit. Round-1 points are not individually subgroup-checked (points.ts), so the equation is checked up
 * to a cofactor-torsion point (its G1 projection must vanish): this keeps the verdict deterministic, and a proof
 * still proves knowledge of the discrete log of C_0's G1 component, the only part that reaches the key (the summed
 * commitments are subgroup-checked). docs/decisions/0402-dkg-point-checks.md.
 *
 * @module
 */
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { Fr, R as ORDER, randomWeight } from '../bls/field.js';
import { G1, g1Generator, mulBaseSecret, type G1Point } from '../bls/group.js';
import { Writer, hashToField } from './codec.js';
import { TAGS } from './constants.js';
import { isZeroModTorsion, msm } from './points.js';

/** Length of the encoded proof scalar z. */
export const POK_SCALAR_BYTES = 32;

/**
 * The challenge c = hash_to_field_Fr(DST_pok, ceremonyId || u16 i || u32 v || C_0 || R), with C_0 and R in their
 * 96-byte wire encoding.
 */
export function pokChallenge(ceremonyId: Uint8Array, dealer: number, validator: number, c0: Uint8Array, r: Uint8Array): bigint {
  const msg = new Writer().raw(ceremonyId).u16(dealer).u32(validator).raw(c0).raw(r).finish();
  return hashToField(TAGS.pok, msg, ORDER, 1)[0]!;
}

/**
 * The proof nonce of validator v, derived from the dealer's secret seed (fresh per attempt, brief B4): nonzero
 * scalar k = hash_to_field_Fr(DST_pok-nonce, seed || u32 v).
 */
export function pokNonce(seed: Uint8Array, validator: number): bigint {
  const k = hashToField(TAGS.pokNonce, new Writer().raw(seed).u32(validator).finish(), ORDER, 1)[0]!;
  if (k === 0n) throw new RangeError('derived a zero proof nonce');
  return k;
}

/** R = k·G (constant time: k is secret). */
export function pokCommitment(k: bigint): G1Point {
  return mulBaseSecret(k);
}

/** z = k + c·a mod r. */
export function pokResponse(k: bigint, c: bigint, a: bigint): bigint {
  return Fr.add(k, Fr.mul(c, a));
}

/** One proof to verify, with its decoded points and the challenge already computed. */
export interface PokItem {
  readonly c0: G1Point;
  readonly r: G1Point;
  readonly z: bigint;
  readonly c: bigint;
}

/** z·G − R − c·C_0 projected to G1 is the identity. */
export function verifyPok(item: PokItem): boolean {
  const lhs = g1Generator().multiplyUnsafe(item.z);
  const rhs = item.r.add(item.c0.multiplyUnsafe(item.c));
  return isZeroModTorsion(lhs.subtract(rhs));
}

/**
 * Batch check of many proofs with random weights: accepts when every proof passes {@link verifyPok}, and otherwise
 * rejects except with probability about 2^-64 over the weights.
 */
export function verifyPokBatch(items: readonly PokItem[], rng: RandomBytes = systemRandomBytes): boolean {
  if (items.length === 0) return true;
  if (items.length === 1) return verifyPok(items[0]!);
  let zSum = 0n;
  const rs: G1Point[] = [];
  const rhos: bigint[] = [];
  const c0s: G1Point[] = [];
  const cs: bigint[] = [];
  for (const it of items) {
    const rho = randomWeight(rng);
    zSum = Fr.add(zSum, Fr.mul(rho, it.z));
    rs.push(it.r);
    rhos.push(rho);
    c0s.push(it.c0);
    cs.push(Fr.mul(rho, it.c));
  }
  // two MSMs: the R terms have 64-bit scalars, so their bucket pass runs a quarter of the windows
  const rhs = msm(G1.ZERO, rs, rhos).add(msm(G1.ZERO, c0s, cs));
  const lhs = zSum === 0n ? G1.ZERO : g1Generator().multiplyUnsafe(zSum);
  return isZeroModTorsion(lhs.subtract(rhs));
}
