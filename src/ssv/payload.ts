/**
 * What SSV's `registerValidator` receives for one validator (research/interop-formats.md 2.2 to 2.4):
 *
 * - `sharesData = signature (96) ‖ sharePubkey_1..n (48 each) ‖ encShare_1..n (256 each)`, n = 96 + 304·n bytes,
 *   everything in ascending operator-id order;
 * - the owner-nonce signature: BLS (Ethereum POP ciphersuite) by the validator key over
 *   keccak256(UTF-8 of `<EIP-55 owner address>:<decimal nonce>`); the checksummed form is signed even when a file
 *   stores the address in lower case.
 * - SSV's operator-count rule: n in {4, 7, 10, 13} (n = 3f + 1), threshold t = n - f = 2f + 1.
 *
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { sign, verify } from '../bls/signature.js';
import { toChecksumAddress } from '../eth/withdrawal.js';
import { SSV_CIPHERTEXT_BYTES } from './rsa.js';

/** Operator counts SSV accepts (3f + 1 for f = 1..4). */
export const SSV_OPERATOR_COUNTS = [4, 7, 10, 13] as const;
/** Bytes per operator in sharesData: a 48-byte share public key and a 256-byte ciphertext. */
export const SHARES_DATA_BYTES_PER_OPERATOR = 48 + SSV_CIPHERTEXT_BYTES;

/** SSV's fault tolerance f and threshold t for n operators. */
export interface SsvRule {
  readonly operators: number;
  readonly faulty: number;
  readonly threshold: number;
}

/**
 * SSV's rule for `n` operators: f = (n - 1) / 3, t = n - f.
 * @throws ValidationError `INVALID_ARGUMENT` (field `field`) unless n is 4, 7, 10 or 13.
 */
export function ssvRule(n: number, field = 'operators'): SsvRule {
  if (!(SSV_OPERATOR_COUNTS as readonly number[]).includes(n)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' has ${n} operators; SSV clusters have 4, 7, 10 or 13 (3f + 1)`, { field });
  }
  const faulty = (n - 1) / 3;
  return { operators: n, faulty, threshold: n - faulty };
}

/** The length of sharesData for n operators: 96 + 304·n. */
export function sharesDataLength(n: number): number {
  return 96 + SHARES_DATA_BYTES_PER_OPERATOR * n;
}

/** The parts of sharesData. */
export interface SharesData {
  /** Owner-nonce signature, 96 bytes. */
  readonly signature: Uint8Array;
  /** Share public keys in operator-id order, 48 bytes each. */
  readonly sharePublicKeys: readonly Uint8Array[];
  /** RSA ciphertexts in the same order, 256 bytes each. */
  readonly encryptedShares: readonly Uint8Array[];
}

/**
 * Concatenates the parts of sharesData.
 * @throws ValidationError `INVALID_LENGTH` for a part of the wrong size or mismatched counts.
 */
export function encodeSharesData(parts: SharesData): Uint8Array {
  const n = parts.sharePublicKeys.length;
  const bad = (field: string): never => {
    throw new ValidationError('INVALID_LENGTH', `'${field}' has the wrong length`, { field });
  };
  if (parts.signature.length !== 96) bad('signature');
  if (parts.encryptedShares.length !== n) bad('encryptedShares');
  parts.sharePublicKeys.forEach((p, i) => p.length === 48 || bad(`sharePublicKeys[${i}]`));
  parts.encryptedShares.forEach((c, i) => c.length === SSV_CIPHERTEXT_BYTES || bad(`encryptedShares[${i}]`));
  return concatBytes(parts.signature, ...parts.sharePublicKeys, ...parts.encryptedShares);
}

/**
 * Splits sharesData for n operators (ssv-keys' own `buildSharesFromBytes` takes the ciphertexts from the wrong
 * offset; this follows the layout above).
 * @throws ValidationError `KEYSHARES_INVALID` naming `field` unless it is 96 + 304·n bytes.
 */
export function decodeSharesData(bytes: Uint8Array, n: number, field = 'sharesData'): SharesData {
  if (bytes.length !== sharesDataLength(n)) {
    throw new ValidationError('KEYSHARES_INVALID', `'${field}' has ${bytes.length} bytes; ${n} operators need ${sharesDataLength(n)}`, { field });
  }
  const keysAt = 96;
  const encAt = keysAt + 48 * n;
  return {
    signature: bytes.slice(0, 96),
    sharePublicKeys: Array.from({ length: n }, (_, i) => bytes.slice(keysAt + 48 * i, keysAt + 48 * (i + 1))),
    encryptedShares: Array.from({ length: n }, (_, i) => bytes.slice(encAt + SSV_CIPHERTEXT_BYTES * i, encAt + SSV_CIPHERTEXT_BYTES * (i + 1))),
  };
}

/** The owner-nonce message text, e.g. `0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494:1`. */
export function ownerNonceMessage(owner: Uint8Array, nonce: number): string {
  if (!Number.isSafeInteger(nonce) || nonce < 0) {
    throw new ValidationError('INVALID_ARGUMENT', "'ownerNonce' must be a non-negative integer", { field: 'ownerNonce' });
  }
  return `${toChecksumAddress(owner)}:${nonce}`;
}

/** The 32 bytes signed: keccak256 of the message text. */
export function ownerNonceDigest(owner: Uint8Array, nonce: number): Uint8Array {
  return keccak_256(utf8(ownerNonceMessage(owner, nonce)));
}

/** Signs the owner-nonce message with the validator's full secret key. */
export function signOwnerNonce(secretKey: Uint8Array, owner: Uint8Array, nonce: number): Uint8Array {
  return sign(secretKey, ownerNonceDigest(owner, nonce));
}

/** True when `signature` is the validator key's owner-nonce signature. */
export function verifyOwnerNonce(publicKey: Uint8Array, owner: Uint8Array, nonce: number, signature: Uint8Array): boolean {
  return verify(publicKey, ownerNonceDigest(owner, nonce), signature);
}
