/**
 * The uncompressed G1 codec (96 bytes: x || y, the ZCash serialisation with the compression flag clear,
 * draft-irtf-cfrg-pairing-friendly-curves-11 appendix C), for bulk public data whose receivers check many points.
 *
 * Decoding an uncompressed point costs one curve-equation check (y² = x³ + 4) instead of a square root, and it does
 * NOT check the prime-order subgroup: a caller that sums such points checks the sums (and falls back to per-point
 * checks to blame a sender). Used by the lifecycle dealings (src/lifecycle; docs/protocols/lifecycle.md). The DKG
 * uses the same codec (src/dkg/points.ts re-exports it as decodeG1Uncompressed).
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { abytes, bigintToBytesBE, bytesToBigintBE } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { G1, type G1Point } from './group.js';

const Fp = bls12_381.fields.Fp;
const P = Fp.ORDER;
const FP_BYTES = 48;

/** Length of an uncompressed G1 point. */
export const G1_UNCOMPRESSED_BYTES = 96;

function invalid(field: string, what: string): never {
  throw new ValidationError('INVALID_POINT', `'${field}' ${what}`, { field });
}

/**
 * Decodes a 96-byte uncompressed G1 point canonically: compression and sort flags clear, x and y below p, on the
 * curve; the identity (0x40 then zeros) only with `allowInfinity`. The subgroup is NOT checked (see the module doc).
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_POINT`, `POINT_AT_INFINITY`, each naming `field`.
 */
export function decodeG1UncheckedSubgroup(bytes: Uint8Array, field: string, allowInfinity = false): G1Point {
  abytes(bytes, G1_UNCOMPRESSED_BYTES, field);
  const flags = bytes[0]!;
  if ((flags & 0x80) !== 0) invalid(field, 'has the compression flag set (expected the uncompressed form)');
  if ((flags & 0x20) !== 0) invalid(field, 'has the sort flag set on an uncompressed point');
  if ((flags & 0x40) !== 0) {
    if ((flags & 0x1f) !== 0 || bytes.subarray(1).some((b) => b !== 0)) invalid(field, 'is a non-canonical infinity encoding');
    if (!allowInfinity) throw new ValidationError('POINT_AT_INFINITY', `'${field}' is the point at infinity`, { field });
    return G1.ZERO;
  }
  const x = bytesToBigintBE(bytes.subarray(0, FP_BYTES));
  const y = bytesToBigintBE(bytes.subarray(FP_BYTES));
  if (x >= P || y >= P) invalid(field, 'has a coordinate that is not below the field modulus');
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), 4n)) invalid(field, 'is not on the curve');
  return G1.fromAffine({ x, y });
}

/** The uncompressed encoding of a G1 point (no validity check: the caller computed it). */
export function encodeG1Uncompressed(point: G1Point): Uint8Array {
  const out = new Uint8Array(G1_UNCOMPRESSED_BYTES);
  if (point.is0()) {
    out[0] = 0x40;
    return out;
  }
  const { x, y } = point.toAffine();
  out.set(bigintToBytesBE(x, FP_BYTES), 0);
  out.set(bigintToBytesBE(y, FP_BYTES), FP_BYTES);
  return out;
}
