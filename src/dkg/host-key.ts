/**
 * Host keys: each operator's long-term secp256k1 identity, used to sign every DKG message with BIP-340 Schnorr
 * signatures (BIP-340, "Schnorr Signatures for secp256k1"; @noble/curves `schnorr`). Brief B2: host identity keys
 * as in ChillDKG and Obol ENR keys; every message host-signed so that blame is transferable (brief B1, B5).
 *
 * A host public key is BIP-340's 32-byte x-only key. What is signed is always a 32-byte tagged hash
 * (codec.ts `taggedHash`) whose tag names the message kind, so a signature of one kind never verifies as another.
 *
 * @module
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { abytes, bytesToBigintBE, wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes } from '../types.js';
import { taggedHash } from './codec.js';

/** Order of secp256k1 (the scalar field of host and encryption keys). */
export const SECP256K1_ORDER: bigint = secp256k1.Point.Fn.ORDER;

/** Length of a host public key (BIP-340 x-only). */
export const HOST_PUBLIC_KEY_BYTES = 32;
/** Length of a host secret key. */
export const HOST_SECRET_KEY_BYTES = 32;
/** Length of a BIP-340 signature. */
export const HOST_SIGNATURE_BYTES = 64;

/**
 * Checks a host secret key: 32 bytes encoding an integer in [1, n).
 * @throws ValidationError `INVALID_LENGTH`, `SCALAR_OUT_OF_RANGE` or `ZERO_SCALAR` naming `field`.
 */
export function assertHostSecretKey(secretKey: Uint8Array, field = 'hostSecretKey'): void {
  abytes(secretKey, HOST_SECRET_KEY_BYTES, field);
  const k = bytesToBigintBE(secretKey);
  if (k === 0n) throw new ValidationError('ZERO_SCALAR', `'${field}' is zero`, { field });
  if (k >= SECP256K1_ORDER) {
    throw new ValidationError('SCALAR_OUT_OF_RANGE', `'${field}' is not below the secp256k1 order`, { field });
  }
}

/**
 * A fresh host secret key from `rng` (rejection-sampled into [1, n)).
 */
export function generateHostSecretKey(rng: RandomBytes = systemRandomBytes): SecretBytes {
  for (;;) {
    const candidate = rng(HOST_SECRET_KEY_BYTES);
    const k = bytesToBigintBE(candidate);
    if (k > 0n && k < SECP256K1_ORDER) {
      const out = SecretBytes.copyOf(candidate);
      wipe(candidate);
      return out;
    }
    wipe(candidate);
  }
}

/**
 * The BIP-340 x-only public key of a host secret key.
 * @throws ValidationError for an invalid secret key.
 */
export function hostPublicKey(secretKey: Uint8Array): Uint8Array {
  assertHostSecretKey(secretKey);
  return schnorr.getPublicKey(secretKey);
}

/**
 * Checks that `publicKey` is a valid BIP-340 public key (an x coordinate on secp256k1).
 * @throws ValidationError `INVALID_POINT` naming `field`.
 */
export function assertHostPublicKey(publicKey: Uint8Array, field: string): void {
  abytes(publicKey, HOST_PUBLIC_KEY_BYTES, field);
  try {
    schnorr.utils.lift_x(bytesToBigintBE(publicKey));
  } catch {
    throw new ValidationError('INVALID_POINT', `'${field}' is not a BIP-340 public key`, { field });
  }
}

/**
 * BIP-340 signature by the host key over taggedHash(tag, message). `aux` is BIP-340's auxiliary randomness
 * (32 bytes); a deterministic value is safe (the nonce still depends on the key and message) and makes the
 * signature reproducible.
 * @throws ValidationError for an invalid secret key or aux length.
 */
export function hostSign(secretKey: Uint8Array, tag: string, message: Uint8Array, aux: Uint8Array): Uint8Array {
  assertHostSecretKey(secretKey);
  abytes(aux, 32, 'aux');
  return schnorr.sign(taggedHash(tag, message), secretKey, aux);
}

/** Signs an already computed 32-byte digest (the round-1 digest is computed once and reused). */
export function hostSignDigest(secretKey: Uint8Array, digest: Uint8Array, aux: Uint8Array): Uint8Array {
  assertHostSecretKey(secretKey);
  return schnorr.sign(abytes(digest, 32, 'digest'), secretKey, abytes(aux, 32, 'aux'));
}

/** True when `signature` is a valid BIP-340 signature by `publicKey` over the 32-byte `digest`. */
export function hostVerifyDigest(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== HOST_SIGNATURE_BYTES || publicKey.length !== HOST_PUBLIC_KEY_BYTES) return false;
  try {
    return schnorr.verify(signature, digest, publicKey);
  } catch {
    return false;
  }
}

/** True when `signature` is a valid BIP-340 signature by `publicKey` over taggedHash(tag, message). */
export function hostVerify(publicKey: Uint8Array, tag: string, message: Uint8Array, signature: Uint8Array): boolean {
  return hostVerifyDigest(publicKey, taggedHash(tag, message), signature);
}
