/**
 * The scalar field Fr of BLS12-381 (order r), where secret keys, shares and polynomial coefficients live.
 *
 * Spec: a secret key is a scalar in [1, r) encoded as 32 big-endian bytes (IETF draft-irtf-cfrg-bls-signature-05
 * section 2.3 KeyGen/SkToPk; EIP-2333 "the secret key is an integer in [1, r)"). Decoding is canonical: values >= r
 * are rejected, never reduced, and zero is rejected wherever a key is required.
 *
 * Secrets are bigints while arithmetic runs; JS cannot wipe a bigint (docs/js-limits.md). Byte forms are
 * {@link SecretBytes} and are wiped by their owners.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes } from '../types.js';

/** Field arithmetic modulo r (noble's Fr: add, sub, mul, inv, neg, invertBatch, create). */
export const Fr = bls12_381.fields.Fr;

/** The group order r = 0x73eda753...00000001. */
export const R: bigint = Fr.ORDER;

/** Byte length of an encoded scalar. */
export const SCALAR_BYTES = 32;

/** Options of {@link decodeScalar}. */
export interface DecodeScalarOptions {
  /** Accept 0 (a polynomial coefficient may be 0; a key may not). Default false. */
  readonly allowZero?: boolean;
}

/**
 * Decodes 32 big-endian bytes into a scalar in [1, r) (or [0, r) with `allowZero`).
 * @throws ValidationError `INVALID_LENGTH`, `SCALAR_OUT_OF_RANGE` (>= r), `ZERO_SCALAR`; each names `field`.
 */
export function decodeScalar(bytes: Uint8Array, field: string, options: DecodeScalarOptions = {}): bigint {
  abytes(bytes, SCALAR_BYTES, field);
  const x = bytesToBigintBE(bytes);
  if (x >= R) throw new ValidationError('SCALAR_OUT_OF_RANGE', `'${field}' is not below the group order r`, { field });
  if (x === 0n && options.allowZero !== true) {
    throw new ValidationError('ZERO_SCALAR', `'${field}' is zero`, { field });
  }
  return x;
}

/** Encodes a scalar in [0, r) as 32 big-endian bytes in a {@link SecretBytes} (the caller wipes it). */
export function encodeScalar(x: bigint): SecretBytes {
  if (x < 0n || x >= R) throw new RangeError('scalar out of range');
  const raw = bigintToBytesBE(x, SCALAR_BYTES);
  try {
    return SecretBytes.copyOf(raw);
  } finally {
    raw.fill(0); // review F12: no unwiped copy of a share or key
  }
}

/**
 * A uniformly random scalar in [1, r): 64 random bytes reduced mod r (bias below 2^-255, as hash_to_field in
 * RFC 9380 section 5), retried on the negligible zero.
 */
export function randomScalar(rng: RandomBytes = systemRandomBytes): bigint {
  for (;;) {
    const bytes = rng(64);
    const x = bytesToBigintBE(bytes) % R;
    wipe(bytes);
    if (x !== 0n) return x;
  }
}

/** A random nonzero 64-bit scalar: the weights of random linear combinations in batch verification. */
export function randomWeight(rng: RandomBytes = systemRandomBytes): bigint {
  for (;;) {
    const x = bytesToBigintBE(rng(8));
    if (x !== 0n) return x;
  }
}

/** Inverts every element at the cost of one inversion (Montgomery's trick). All inputs must be nonzero mod r. */
export function batchInvert(values: readonly bigint[]): bigint[] {
  for (const v of values) {
    if (Fr.create(v) === 0n) throw new ValidationError('ZERO_SCALAR', 'cannot invert zero (repeated or zero ids?)', { field: 'values' });
  }
  return Fr.invertBatch([...values]);
}
