/**
 * Point helpers for the DKG's verification paths (public data only; nothing here may touch a secret).
 *
 * - Uncompressed G1 codec (96 bytes, the ZCash serialisation with the compression flag clear, as in
 *   draft-irtf-cfrg-pairing-friendly-curves-11 appendix C): round-1 commitments and proof nonces travel
 *   uncompressed so that a recipient checks y² = x³ + 4 instead of paying a square root (0.2 ms) per point; at
 *   (n, V) = (10, 1000) that is 72 000 points per participant (docs/decisions/0402-dkg-point-checks.md). Decoding is
 *   canonical (flags, x, y < p, on the curve) but does NOT check the prime-order subgroup: the protocol checks
 *   subgroup membership where it matters (summed commitments) and falls back to per-point checks to blame.
 * - A bucket-method MSM (Pippenger) that skips zero digits and only runs the windows the scalars need: noble's
 *   `pippenger` adds every point into bucket 0 for a zero digit and always runs 255 bits of windows, so 64-bit
 *   batch weights cost as much as full scalars there.
 * - Batch affine normalisation (one field inversion for many points) and compressed encoding of computed points.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { abytes, bigintToBytesBE, bytesToBigintBE } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { Fr } from '../bls/field.js';
import { G1, type G1Point, type G2Point } from '../bls/group.js';
import { isInG1 } from './subgroup.js';
import { G1_UNCOMPRESSED_BYTES, decodeG1UncheckedSubgroup } from '../bls/uncompressed.js';

const Fp = bls12_381.fields.Fp;
const P = Fp.ORDER;
const FP_BYTES = 48;

function invalid(field: string, what: string): never {
  throw new ValidationError('INVALID_POINT', `'${field}' ${what}`, { field });
}

/**
 * Decodes a 96-byte uncompressed G1 point canonically; the subgroup is NOT checked. The one codec lives in
 * src/bls/uncompressed.ts (shared with src/lifecycle); this is its DKG name.
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_POINT`, `POINT_AT_INFINITY` naming `field`.
 */
export const decodeG1Uncompressed: (bytes: Uint8Array, field: string, allowInfinity?: boolean) => G1Point = decodeG1UncheckedSubgroup;
export { G1_UNCOMPRESSED_BYTES };

/** Uncompressed encoding of an affine G1 point (x, y), or of the identity. */
function uncompressedFromAffine(x: bigint, y: bigint, zero: boolean): Uint8Array {
  const out = new Uint8Array(G1_UNCOMPRESSED_BYTES);
  if (zero) {
    out[0] = 0x40;
    return out;
  }
  out.set(bigintToBytesBE(x, FP_BYTES), 0);
  out.set(bigintToBytesBE(y, FP_BYTES), FP_BYTES);
  return out;
}

/** Compressed encoding of an affine G1 point (as group.ts encodeG1). */
function compressedFromAffine(x: bigint, y: bigint, zero: boolean): Uint8Array {
  if (zero) {
    const out = new Uint8Array(FP_BYTES);
    out[0] = 0xc0;
    return out;
  }
  const out = bigintToBytesBE(x, FP_BYTES);
  out[0]! |= y * 2n > P ? 0xa0 : 0x80;
  return out;
}

/** Affine coordinates of many projective G1 points with one field inversion (identity gives zero: true). */
function normalize(points: readonly G1Point[]): { x: bigint; y: bigint; zero: boolean }[] {
  const zs = points.map((p) => (Fp.is0(p.Z) ? Fp.ONE : p.Z));
  const inv = Fp.invertBatch(zs);
  return points.map((p, i) => {
    if (Fp.is0(p.Z)) return { x: 0n, y: 0n, zero: true };
    const zi = inv[i]!;
    return { x: Fp.mul(p.X, zi), y: Fp.mul(p.Y, zi), zero: false };
  });
}

/** Uncompressed encodings of many G1 points (one inversion). No validity check: the caller computed them. */
export function encodeG1UncompressedBatch(points: readonly G1Point[]): Uint8Array[] {
  return normalize(points).map((a) => uncompressedFromAffine(a.x, a.y, a.zero));
}

/** Compressed encodings of many G1 points (one inversion). No validity check: the caller computed them. */
export function encodeG1Batch(points: readonly G1Point[]): Uint8Array[] {
  return normalize(points).map((a) => compressedFromAffine(a.x, a.y, a.zero));
}

/** The group operations the generic helpers need (noble's G1 and G2 points have them). */
export interface GroupPoint<P> {
  add(other: P): P;
  double(): P;
  is0(): boolean;
}

/** k·P for a small public k >= 1 (plain double-and-add; noble's wNAF setup costs more for k below 2^8). */
export function mulSmall<P extends GroupPoint<P>>(point: P, k: bigint): P {
  if (k < 1n) throw new RangeError('mulSmall: k must be positive');
  let acc = point;
  for (let bit = k.toString(2).length - 2; bit >= 0; bit--) {
    acc = acc.double();
    if (((k >> BigInt(bit)) & 1n) === 1n) acc = acc.add(point);
  }
  return acc;
}

/** Bit length of the largest scalar. */
function maxBits(scalars: readonly bigint[]): number {
  let m = 0n;
  for (const s of scalars) if (s > m) m = s;
  return m === 0n ? 0 : m.toString(2).length;
}

/**
 * Σ k_i·P_i over public points and scalars (reduced mod r): below 32 points noble's Strauss `mulAddUnsafe`, above
 * it the bucket method (Pippenger) with zero digits skipped and only ceil(bits/w) windows of w bits. `zero` is the
 * identity of the group (G1.ZERO or G2.ZERO). Variable time: public data only.
 */
export function msm<P extends GroupPoint<P>>(zero: P, points: readonly P[], scalars: readonly bigint[]): P {
  if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
  const ks = scalars.map((k) => Fr.create(k));
  const n = points.length;
  const bits = maxBits(ks);
  if (n === 0 || bits === 0) return zero;
  // below ~32 points noble's interleaved wNAF (Strauss) beats buckets: one doubling chain for all points
  if (n < 32) return mulAddUnsafe((zero as unknown as { constructor: never }).constructor, [...points] as never, ks) as unknown as P;
  let w = 1;
  let bestCost = Infinity;
  for (let c = 1; c <= 16; c++) {
    const cost = Math.ceil(bits / c) * (n + 2 ** (c + 1));
    if (cost < bestCost) {
      bestCost = cost;
      w = c;
    }
  }
  const mask = (1n << BigInt(w)) - 1n;
  const windows = Math.ceil(bits / w);
  const buckets: (P | undefined)[] = new Array<P | undefined>(1 << w);
  let sum = zero;
  for (let win = windows - 1; win >= 0; win--) {
    if (win !== windows - 1) for (let d = 0; d < w; d++) sum = sum.double();
    buckets.fill(undefined);
    const shift = BigInt(win * w);
    for (let i = 0; i < n; i++) {
      const digit = Number((ks[i]! >> shift) & mask);
      if (digit === 0) continue;
      const b = buckets[digit];
      buckets[digit] = b === undefined ? points[i]! : b.add(points[i]!);
    }
    let running: P | undefined;
    let acc: P | undefined;
    for (let d = buckets.length - 1; d > 0; d--) {
      const b = buckets[d];
      if (b !== undefined) running = running === undefined ? b : running.add(b);
      if (running !== undefined) acc = acc === undefined ? running : acc.add(running);
    }
    if (acc !== undefined) sum = sum.add(acc);
  }
  return sum;
}

/**
 * True when the point lies in the prime-order subgroup G1 (Scott's endomorphism test, ePrint 2021/1130, with the
 * faster evaluation of subgroup.ts).
 */
export function inG1(point: G1Point): boolean {
  return isInG1(point);
}

/**
 * True when `point` is zero up to a cofactor-torsion component, i.e. its projection to G1 is the identity:
 * h_eff·P = O with h_eff = 1 − z the G1 cofactor-clearing multiplier (RFC 9380 section 7; it maps E(Fp) into G1,
 * so it annihilates every torsion point outside G1). Used for the proof-of-knowledge equation (pok.ts).
 */
export function isZeroModTorsion(point: G1Point): boolean {
  return point.is0() || point.clearCofactor().is0();
}

const Fp2 = bls12_381.fields.Fp2;
const G2_B = bls12_381.G2.Point.CURVE().b;

/** Length of an uncompressed G2 point (x.c1 || x.c0 || y.c1 || y.c0). */
export const G2_UNCOMPRESSED_BYTES = 192;

/**
 * Uncompressed encoding of a non-identity G2 point (for a participant's own sealed state: the hashed deposit
 * messages, so round 3 does not hash them again).
 */
export function encodeG2Uncompressed(point: G2Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(G2_UNCOMPRESSED_BYTES);
  [x.c1, x.c0, y.c1, y.c0].forEach((c, i) => out.set(bigintToBytesBE(c, FP_BYTES), i * FP_BYTES));
  return out;
}

/**
 * Decodes {@link encodeG2Uncompressed}: coordinates below p, on the curve; NOT subgroup-checked (own data only).
 * @throws ValidationError `INVALID_LENGTH` or `INVALID_POINT` naming `field`.
 */
export function decodeG2Uncompressed(bytes: Uint8Array, field: string): G2Point {
  abytes(bytes, G2_UNCOMPRESSED_BYTES, field);
  const c = [0, 1, 2, 3].map((i) => bytesToBigintBE(bytes.subarray(i * FP_BYTES, (i + 1) * FP_BYTES)));
  if (c.some((v) => v >= P)) invalid(field, 'has a coordinate that is not below the field modulus');
  const x = { c0: c[1]!, c1: c[0]! };
  const y = { c0: c[3]!, c1: c[2]! };
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), G2_B))) invalid(field, 'is not on the curve');
  return bls12_381.G2.Point.fromAffine({ x, y });
}

/**
 * Decodes a 48-byte compressed G1 point that this participant computed itself (its sealed state): canonical flags,
 * x < p and a square root, but NO subgroup check (saves 0.9 ms a point).
 * @throws ValidationError `INVALID_POINT` naming `field`.
 */
export function decodeOwnG1(bytes: Uint8Array, field: string): G1Point {
  abytes(bytes, FP_BYTES, field);
  const flags = bytes[0]!;
  if ((flags & 0x80) === 0 || (flags & 0x40) !== 0) invalid(field, 'is not a compressed non-identity point');
  const raw = Uint8Array.from(bytes);
  raw[0]! &= 0x1f;
  const x = bytesToBigintBE(raw);
  if (x >= P) invalid(field, 'has a coordinate that is not below the field modulus');
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
  let y: bigint;
  try {
    y = Fp.sqrt(rhs);
  } catch {
    invalid(field, 'is not on the curve');
  }
  if (Fp.sqr(y) !== rhs) invalid(field, 'is not on the curve');
  if (y * 2n > P !== ((flags & 0x20) !== 0)) y = Fp.neg(y);
  return G1.fromAffine({ x, y });
}
