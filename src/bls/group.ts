/**
 * G1 (public keys, 48-byte compressed) and G2 (signatures, 96-byte compressed) of BLS12-381, with strict decoding.
 *
 * Decoding follows the ZCash serialisation (draft-irtf-cfrg-pairing-friendly-curves-11 appendix C) as the
 * Ethereum consensus spec uses it: compressed form only, x < p (no reduction), a point on the curve, in the
 * prime-order subgroup. Public keys also reject the identity (consensus spec KeyValidate); signatures may be the
 * identity (it decodes, and then fails every verification, as the BLS test vectors require).
 *
 * Encoding is hand-written: noble's `toBytes()` re-runs the subgroup check on every call (0.85 ms G1, 1.6 ms G2,
 * research/perf-baseline.md), which is wasted on points we just computed from valid inputs.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, concatBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';

/** An element of the base field Fp2 (c0 + c1·u). */
export interface Fp2 {
  readonly c0: bigint;
  readonly c1: bigint;
}

/** A point of G1 (public keys). */
export type G1Point = WeierstrassPoint<bigint>;
/** A point of G2 (signatures, hashed messages). */
export type G2Point = WeierstrassPoint<Fp2>;

/** G1 point constructor. */
export const G1 = bls12_381.G1.Point;
/** G2 point constructor. */
export const G2 = bls12_381.G2.Point;

const Fp = bls12_381.fields.Fp;
const Fp2F = bls12_381.fields.Fp2;
const P = Fp.ORDER;
const FP_BYTES = 48;

/** Length of a compressed G1 point (a public key). */
export const G1_BYTES = 48;
/** Length of a compressed G2 point (a signature). */
export const G2_BYTES = 96;

let basePrecomputed = false;
/**
 * The G1 generator with an 8-bit window table (built once, about 90 ms), which halves fixed-base multiplication
 * (research/perf-baseline.md).
 */
export function g1Generator(): G1Point {
  if (!basePrecomputed) {
    G1.BASE.precompute(8, false);
    basePrecomputed = true;
  }
  return G1.BASE;
}

/** k·G1 for a secret k in [1, r), with noble's constant-time multiplication. */
export function mulBaseSecret(k: bigint): G1Point {
  return g1Generator().multiply(k);
}

interface Flags {
  readonly compressed: boolean;
  readonly infinity: boolean;
  readonly sign: boolean;
}

function readFlags(bytes: Uint8Array): Flags {
  const b = bytes[0]!;
  return { compressed: (b & 0x80) !== 0, infinity: (b & 0x40) !== 0, sign: (b & 0x20) !== 0 };
}

function invalid(field: string, what: string): never {
  throw new ValidationError('INVALID_POINT', `'${field}' ${what}`, { field });
}

function checkFlagsAndInfinity(bytes: Uint8Array, field: string, allowInfinity: boolean): boolean {
  const f = readFlags(bytes);
  if (!f.compressed) invalid(field, 'is not a compressed point encoding');
  if (f.infinity) {
    if (f.sign) invalid(field, 'is an infinity encoding with the sign bit set');
    if ((bytes[0]! & 0x1f) !== 0 || bytes.subarray(1).some((x) => x !== 0)) {
      invalid(field, 'is a non-canonical infinity encoding');
    }
    if (!allowInfinity) {
      throw new ValidationError('POINT_AT_INFINITY', `'${field}' is the point at infinity`, { field });
    }
    return true;
  }
  return false;
}

function readFp(bytes: Uint8Array, field: string): bigint {
  const x = bytesToBigintBE(bytes);
  if (x >= P) invalid(field, 'has a coordinate that is not below the field modulus');
  return x;
}

function assertSubgroup<T extends G1Point | G2Point>(point: T, field: string): T {
  if (!point.isTorsionFree()) {
    throw new ValidationError('POINT_NOT_IN_SUBGROUP', `'${field}' is not in the prime-order subgroup`, { field });
  }
  return point;
}

/** Options of the point decoders. */
export interface DecodePointOptions {
  /** Accept the identity. Default: false for G1 (public keys), true for G2 (signatures). */
  readonly allowInfinity?: boolean;
}

/**
 * Decodes a 48-byte compressed G1 point (a public key).
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_POINT` (flags, x >= p, not on curve),
 *   `POINT_AT_INFINITY`, `POINT_NOT_IN_SUBGROUP`; each names `field`.
 */
export function decodeG1(bytes: Uint8Array, field: string, options: DecodePointOptions = {}): G1Point {
  abytes(bytes, G1_BYTES, field);
  if (checkFlagsAndInfinity(bytes, field, options.allowInfinity ?? false)) return G1.ZERO;
  const raw = Uint8Array.from(bytes);
  raw[0]! &= 0x1f;
  const x = readFp(raw, field);
  const rhs = Fp.add(Fp.pow(x, 3n), 4n);
  let y = sqrtOrUndefined(() => Fp.sqrt(rhs));
  if (y === undefined || Fp.sqr(y) !== rhs) invalid(field, 'is not on the curve');
  if (sortBitFp(y) !== readFlags(bytes).sign) y = Fp.neg(y);
  return assertSubgroup(G1.fromAffine({ x, y }), field);
}

/**
 * Decodes a 96-byte compressed G2 point (a signature): x = c1 || c0.
 * @throws ValidationError as {@link decodeG1}.
 */
export function decodeG2(bytes: Uint8Array, field: string, options: DecodePointOptions = {}): G2Point {
  abytes(bytes, G2_BYTES, field);
  if (checkFlagsAndInfinity(bytes, field, options.allowInfinity ?? true)) return G2.ZERO;
  const raw = Uint8Array.from(bytes);
  raw[0]! &= 0x1f;
  const c1 = readFp(raw.subarray(0, FP_BYTES), field);
  const c0 = readFp(raw.subarray(FP_BYTES), field);
  const x = Fp2F.create({ c0, c1 });
  const rhs = Fp2F.add(Fp2F.pow(x, 3n), bls12_381.G2.Point.CURVE().b);
  let y = sqrtOrUndefined(() => Fp2F.sqrt(rhs));
  if (y === undefined || !Fp2F.eql(Fp2F.sqr(y), rhs)) invalid(field, 'is not on the curve');
  if (sortBitFp2(y) !== readFlags(bytes).sign) y = Fp2F.neg(y);
  return assertSubgroup(G2.fromAffine({ x, y }), field);
}

/** noble's sqrt throws for a non-residue; we want a typed INVALID_POINT instead. */
function sqrtOrUndefined<T>(root: () => T): T | undefined {
  try {
    return root();
  } catch {
    return undefined;
  }
}

function sortBitFp(y: bigint): boolean {
  return y * 2n > P;
}

function sortBitFp2(y: Fp2): boolean {
  return y.c1 !== 0n ? y.c1 * 2n > P : y.c0 * 2n > P;
}

/** Compressed encoding of a G1 point without re-validating it (the caller computed it from valid inputs). */
export function encodeG1(point: G1Point): Uint8Array {
  if (point.is0()) {
    const out = new Uint8Array(G1_BYTES);
    out[0] = 0xc0;
    return out;
  }
  const { x, y } = point.toAffine();
  const out = bigintToBytesBE(x, FP_BYTES);
  out[0]! |= sortBitFp(y) ? 0xa0 : 0x80;
  return out;
}

/** Compressed encoding of a G2 point without re-validating it. */
export function encodeG2(point: G2Point): Uint8Array {
  if (point.is0()) {
    const out = new Uint8Array(G2_BYTES);
    out[0] = 0xc0;
    return out;
  }
  const { x, y } = point.toAffine();
  const out = concatBytes(bigintToBytesBE(x.c1, FP_BYTES), bigintToBytesBE(x.c0, FP_BYTES));
  out[0]! |= sortBitFp2(y) ? 0xa0 : 0x80;
  return out;
}
