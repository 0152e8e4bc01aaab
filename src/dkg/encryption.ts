/**
 * Per-recipient share encryption (brief B2, B3, B4): secp256k1 ECDH between per-attempt encryption keys, HKDF-SHA256
 * (RFC 5869) and ChaCha20-Poly1305 (RFC 8439).
 *
 * - Each participant i derives a per-attempt encryption secret d_i = hash_to_field(DST_enc, hostSk || attemptNonce
 *   || salt_i) over the secp256k1 order and enrolls D_i = d_i·G. Because d_i depends on the host key and public
 *   values only, the host key rebuilds it for recovery. d_i never leaves its holder: complaints reveal only the
 *   pairwise ECDH point with an accused dealer, with a DLEQ proof (dleq.ts, decision 0420).
 * - k_{i→j} = HKDF(ikm = ECDH(d_i, D_j), salt = ceremonyId, info = DST_kdf || u16 i || u16 j || D_i || D_j || σ_i),
 *   32 bytes, where σ_i is the 32-byte salt of i's round-1 message (fresh per deal, inside the signed body); for
 *   j = i: ikm = d_i, info = DST_kdf-self || u16 i || D_i || σ_i (the self-ciphertext lets i recover its own share
 *   from the transcript). ECDH is the 33-byte compressed shared point.
 * - ct_{i→j} = ChaCha20-Poly1305(k_{i→j}, nonce = 0^12, aad = DST_aad || ceremonyId || u16 i || u16 j || u32 V,
 *   pt = s_{i,1}(j) || ... || s_{i,V}(j)). Every key encrypts exactly one message: two deals on one definition (a
 *   restart with new randomness, a retry) have different salts, so different keys, and the constant nonce is safe
 *   (issue 12; a deal with the same randomness is byte-identical, the same plaintext under the same key).
 *
 * Anyone holding the ECDH point of the pair (revealed in a complaint, proven by DLEQ against the enrolled keys) can
 * recompute k_{i→j} and decrypt that one signed ciphertext: the transferable evidence of blame.ts.
 *
 * @module
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, concatBytes, utf8, wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { SecretBytes } from '../types.js';
import { Writer, hashToField } from './codec.js';
import { TAGS } from './constants.js';
import { SECP256K1_ORDER, assertHostSecretKey } from './host-key.js';

/** Length of an encryption public key (compressed secp256k1). */
export const ENCRYPTION_PUBLIC_KEY_BYTES = 33;
/** Length of an encryption secret. */
export const ENCRYPTION_SECRET_BYTES = 32;
/** Poly1305 tag length. */
export const AEAD_TAG_BYTES = 16;

const NONCE = new Uint8Array(12);

/**
 * d_i = hash_to_field(DST_enc, hostSk || attemptNonce || salt) over the secp256k1 order, as 32 bytes.
 * @throws ValidationError for an invalid host key or wrong lengths.
 */
export function deriveEncryptionSecret(hostSecretKey: Uint8Array, attemptNonce: Uint8Array, salt: Uint8Array): SecretBytes {
  assertHostSecretKey(hostSecretKey);
  const input = concatBytes(hostSecretKey, abytes(attemptNonce, 32, 'attemptNonce'), abytes(salt, 32, 'salt'));
  try {
    const [d] = hashToField(TAGS.encKey, input, SECP256K1_ORDER, 1);
    if (d === undefined || d === 0n) throw new RangeError('derived a zero encryption secret');
    return SecretBytes.copyOf(bigintToBytesBE(d, ENCRYPTION_SECRET_BYTES));
  } finally {
    wipe(input);
  }
}

/** D = d·G, compressed (33 bytes). */
export function encryptionPublicKey(secret: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(abytes(secret, ENCRYPTION_SECRET_BYTES, 'encryptionSecret'), true);
}

/**
 * Checks an encryption public key: 33-byte compressed secp256k1 point on the curve (secp256k1 has prime order and
 * the compressed form cannot encode the identity).
 * @throws ValidationError `INVALID_LENGTH` or `INVALID_POINT` naming `field`.
 */
export function assertEncryptionPublicKey(publicKey: Uint8Array, field: string): void {
  abytes(publicKey, ENCRYPTION_PUBLIC_KEY_BYTES, field);
  if (publicKey[0] !== 0x02 && publicKey[0] !== 0x03) {
    throw new ValidationError('INVALID_POINT', `'${field}' is not a compressed secp256k1 point`, { field });
  }
  try {
    secp256k1.Point.fromBytes(publicKey).assertValidity();
  } catch {
    throw new ValidationError('INVALID_POINT', `'${field}' is not a point on secp256k1`, { field });
  }
}

/** Public context of one sender→recipient ciphertext. */
export interface PairContext {
  readonly ceremonyId: Uint8Array;
  readonly sender: number;
  readonly recipient: number;
  readonly senderKey: Uint8Array;
  readonly recipientKey: Uint8Array;
  readonly validators: number;
  /** σ: the 32-byte salt of the sender's round-1 message. */
  readonly salt: Uint8Array;
}

/** The pairwise ECDH point d·D (33 bytes compressed): what a complaint reveals per accused dealer. */
export function sharedPoint(ownSecret: Uint8Array, otherKey: Uint8Array): Uint8Array {
  return secp256k1.getSharedSecret(abytes(ownSecret, ENCRYPTION_SECRET_BYTES, 'encryptionSecret'), otherKey, true);
}

function hkdfKey(ctx: PairContext, ikm: Uint8Array, info: Uint8Array): SecretBytes {
  const salt = abytes(ctx.ceremonyId, 32, 'ceremonyId');
  return SecretBytes.copyOf(hkdf(sha256, ikm, salt, info, 32));
}

/**
 * k_{i→j} (i ≠ j) from the pairwise ECDH point: how the holder of a complaint's revealed point opens that one
 * ciphertext.
 * @throws ValidationError for a wrong-length salt or ceremony id.
 */
export function pairKeyFromShared(ctx: PairContext, shared: Uint8Array): SecretBytes {
  abytes(shared, ENCRYPTION_PUBLIC_KEY_BYTES, 'sharedPoint');
  const info = new Writer().raw(utf8(TAGS.kdf)).u16(ctx.sender).u16(ctx.recipient).raw(ctx.senderKey).raw(ctx.recipientKey).raw(abytes(ctx.salt, 32, 'salt')).finish();
  return hkdfKey(ctx, shared, info);
}

/**
 * k_{i→j} from one side's secret: the sender's d_i with the recipient's D_j, or the recipient's d_j with the sender's
 * D_i (ECDH is symmetric). For sender = recipient the self key from d_i.
 * @throws ValidationError for an invalid secret or public key.
 */
export function pairKey(ctx: PairContext, ownSecret: Uint8Array, ownIsSender: boolean): SecretBytes {
  abytes(ownSecret, ENCRYPTION_SECRET_BYTES, 'encryptionSecret');
  if (ctx.sender === ctx.recipient) {
    const info = new Writer().raw(utf8(TAGS.kdfSelf)).u16(ctx.sender).raw(ctx.senderKey).raw(abytes(ctx.salt, 32, 'salt')).finish();
    return hkdfKey(ctx, ownSecret, info);
  }
  const shared = sharedPoint(ownSecret, ownIsSender ? ctx.recipientKey : ctx.senderKey);
  try {
    return pairKeyFromShared(ctx, shared);
  } finally {
    wipe(shared);
  }
}

function aad(ctx: PairContext): Uint8Array {
  return new Writer().raw(utf8(TAGS.aad)).raw(ctx.ceremonyId).u16(ctx.sender).u16(ctx.recipient).u32(ctx.validators).finish();
}

/** Encrypts a share bundle (32·V bytes) under k_{i→j}; the result is 32·V + 16 bytes. */
export function sealShares(key: Uint8Array, ctx: PairContext, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length !== 32 * ctx.validators) throw new RangeError('share bundle length does not match V');
  return chacha20poly1305(key, NONCE, aad(ctx)).encrypt(plaintext);
}

/**
 * Decrypts a share bundle; undefined when authentication fails or the length is wrong (an AEAD failure is the
 * `undecryptable-share` fault of blame.ts). The caller wipes the result.
 */
export function openShares(key: Uint8Array, ctx: PairContext, ciphertext: Uint8Array): SecretBytes | undefined {
  if (ciphertext.length !== 32 * ctx.validators + AEAD_TAG_BYTES) return undefined;
  try {
    const pt = chacha20poly1305(key, NONCE, aad(ctx)).decrypt(ciphertext);
    const out = SecretBytes.copyOf(pt);
    wipe(pt);
    return out;
  } catch {
    return undefined;
  }
}
