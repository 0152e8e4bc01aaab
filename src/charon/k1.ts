/**
 * secp256k1 as Charon uses it (Charon `app/k1util/k1util.go` @ e6284707, read as a spec): node keys, the 65-byte
 * `r ‖ s ‖ v` signatures of `node_signatures` (v = 0 or 1, over a raw 32-byte digest: no prefix, no extra hash),
 * public-key recovery, and Ethereum addresses (keccak256 of the uncompressed key, last 20 bytes) for EIP-712.
 *
 * @noble/curves does the curve work: RFC 6979 deterministic signing with low-s, and recovery. Node keys are
 * secrets: callers hold them in SecretBytes and wipe them.
 *
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { abytes, concatBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes } from '../types.js';

/** Length of a secp256k1 secret key. */
export const K1_SECRET_BYTES = 32;
/** Length of a compressed secp256k1 public key. */
export const K1_PUBLIC_BYTES = 33;

/**
 * A new secp256k1 secret key from `rng` (redrawn in the negligible case it is 0 or >= n).
 * @returns 32 bytes the caller wipes.
 */
export function generateNodeKey(rng: RandomBytes = systemRandomBytes): SecretBytes {
  for (;;) {
    const candidate = rng(K1_SECRET_BYTES);
    try {
      if (secp256k1.utils.isValidSecretKey(candidate)) return SecretBytes.copyOf(candidate);
    } finally {
      candidate.fill(0);
    }
  }
}

/**
 * The compressed (33-byte) public key of a secp256k1 secret key.
 * @throws ValidationError `INVALID_ARGUMENT` (field `field`) unless it is a valid secret key.
 */
export function nodePublicKey(secret: Uint8Array, field = 'nodeKey'): Uint8Array {
  abytes(secret, K1_SECRET_BYTES, field);
  if (!secp256k1.utils.isValidSecretKey(secret)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' is not a valid secp256k1 secret key`, { field });
  }
  return secp256k1.getPublicKey(secret, true);
}

/**
 * Signs a 32-byte digest as Charon's `k1util.Sign`: 65 bytes `r ‖ s ‖ v` with v in {0, 1}, low-s, RFC 6979.
 * @throws ValidationError for a bad key or digest length.
 */
export function signDigest65(secret: Uint8Array, digest: Uint8Array): Uint8Array {
  nodePublicKey(secret);
  abytes(digest, 32, 'digest');
  const recovered = secp256k1.sign(digest, secret, { prehash: false, format: 'recovered' });
  return concatBytes(recovered.subarray(1, 65), recovered.subarray(0, 1));
}

/**
 * Signs a 32-byte digest as an ENR v4 signature: 64 bytes `r ‖ s` (EIP-778 "v4" identity scheme).
 * @throws ValidationError for a bad key or digest length.
 */
export function signDigest64(secret: Uint8Array, digest: Uint8Array): Uint8Array {
  nodePublicKey(secret);
  abytes(digest, 32, 'digest');
  return secp256k1.sign(digest, secret, { prehash: false, format: 'compact' });
}

/**
 * Recovers the compressed public key from a 65-byte `r ‖ s ‖ v` signature over a 32-byte digest. v may be 0/1
 * (Charon) or 27/28 (wallets). Returns undefined for any malformed or unrecoverable signature.
 */
export function recoverDigest65(signature: Uint8Array, digest: Uint8Array): Uint8Array | undefined {
  if (signature.length !== 65 || digest.length !== 32) return undefined;
  let v = signature[64]!;
  if (v === 27 || v === 28) v -= 27;
  if (v !== 0 && v !== 1) return undefined;
  try {
    const sig = secp256k1.Signature.fromBytes(signature.subarray(0, 64), 'compact').addRecoveryBit(v);
    return sig.recoverPublicKey(digest).toBytes(true);
  } catch {
    return undefined;
  }
}

/** True when a 64-byte `r ‖ s` signature over `digest` verifies under the compressed `publicKey` (any s). */
export function verifyDigest64(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || digest.length !== 32) return false;
  try {
    return secp256k1.verify(signature, digest, publicKey, { prehash: false, lowS: false, format: 'compact' });
  } catch {
    return false;
  }
}

/** True when `publicKey` is a valid compressed secp256k1 point. */
export function isValidNodePublicKey(publicKey: Uint8Array): boolean {
  return publicKey.length === K1_PUBLIC_BYTES && secp256k1.utils.isValidPublicKey(publicKey, true);
}

/** The Ethereum address of a secp256k1 public key (compressed or not): keccak256(X ‖ Y)[12..32]. */
export function ethAddressOf(publicKey: Uint8Array): Uint8Array {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return keccak_256(uncompressed.subarray(1)).slice(12);
}
