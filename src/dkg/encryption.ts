/**
 * Per-recipient share encryption (brief B2, B3, B4; decision 0420): secp256k1 ECDH between a dealer's ephemeral key
 * and the recipient's per-attempt encryption key, HKDF-SHA256 (RFC 5869) and ChaCha20-Poly1305 (RFC 8439).
 *
 * - Each participant i derives a per-attempt encryption secret d_i = hash_to_field(DST_enc, hostSk || attemptNonce
 *   || salt_i) over the secp256k1 order and enrolls D_i = d_i·G: its receiving key. Because d_i depends on the host
 *   key and public values only, the host key rebuilds it for recovery. d_i never leaves its holder.
 * - Each round-1 message of dealer j carries a fresh salt σ_j and an ephemeral sender key E_j = e_j·G with a proof of
 *   knowledge of e_j (dleq.ts), both inside the signed body and both derived from the dealer seed (fresh randomness).
 * - k_{j→i} = HKDF(ikm = P_{j,i}, salt = ceremonyId, info = DST_kdf || u16 j || u16 i || E_j || D_i || σ_j), 32
 *   bytes, with P_{j,i} = e_j·D_i = d_i·E_j, the 33-byte compressed ECDH point. For i = j (the self-ciphertext, which
 *   lets a dealer recover its own share from the transcript with its host key alone): ikm = d_j, info =
 *   DST_kdf-self || u16 j || D_j || σ_j.
 * - ct_{j→i} = ChaCha20-Poly1305(k_{j→i}, nonce = 0^12, aad = DST_aad || ceremonyId || u16 j || u16 i || u32 V,
 *   pt = s_{j,1}(i) || ... || s_{j,V}(i)). Every key encrypts exactly one plaintext: two deals on one definition (a
 *   restart with new randomness, a retry) have different σ_j and E_j, so different keys, and the constant nonce is
 *   safe (issue 12); a deal with the same randomness is byte-identical (the same plaintext under the same key).
 *
 * A complaint of i against j reveals P_{j,i} with a DLEQ proof against D_i and E_j (dleq.ts): anyone can recompute
 * k_{j→i} and decrypt that one signed ciphertext, the transferable evidence of blame.ts. The ECDH is directional (the
 * ephemeral key belongs to the sender), so P_{j,i} opens neither i's own ciphertexts nor any other dealer's.
 *
 * @module
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, bigintToBytesBE, concatBytes, utf8, wipe } from '../bytes.js';
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

/**
 * e_j = hash_to_field(DST_ephemeral, seed) over the secp256k1 order, as 32 bytes: the ephemeral sender secret of one
 * round-1 message (deal.ts), fresh with the dealer's randomness, never stored or revealed.
 */
export function deriveEphemeralSecret(seed: Uint8Array): SecretBytes {
  const [e] = hashToField(TAGS.ephemeral, abytes(seed, 32, 'seed'), SECP256K1_ORDER, 1);
  if (e === undefined || e === 0n) throw new RangeError('derived a zero ephemeral secret');
  return SecretBytes.copyOf(bigintToBytesBE(e, ENCRYPTION_SECRET_BYTES));
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
  /** E_j, the ephemeral key of the sender's round-1 message (for the self-ciphertext: the sender's enrolled D_j). */
  readonly senderKey: Uint8Array;
  /** D_i, the recipient's enrolled encryption key. */
  readonly recipientKey: Uint8Array;
  readonly validators: number;
  /** σ: the 32-byte salt of the sender's round-1 message. */
  readonly salt: Uint8Array;
}

/** The ECDH point d·X (33 bytes compressed); d_i·E_j is what a complaint of i reveals about dealer j. */
export function sharedPoint(ownSecret: Uint8Array, otherKey: Uint8Array): Uint8Array {
  return secp256k1.getSharedSecret(abytes(ownSecret, ENCRYPTION_SECRET_BYTES, 'encryptionSecret'), otherKey, true);
}

function hkdfKey(ctx: PairContext, ikm: Uint8Array, info: Uint8Array): SecretBytes {
  const salt = abytes(ctx.ceremonyId, 32, 'ceremonyId');
  return SecretBytes.copyOf(hkdf(sha256, ikm, salt, info, 32));
}

/**
 * k_{j→i} (j ≠ i) from the ECDH point P_{j,i}: how the holder of a complaint's revealed point opens that one
 * ciphertext.
 * @throws ValidationError for a wrong-length salt or ceremony id.
 */
export function pairKeyFromShared(ctx: PairContext, shared: Uint8Array): SecretBytes {
  abytes(shared, ENCRYPTION_PUBLIC_KEY_BYTES, 'sharedPoint');
  const info = new Writer().raw(utf8(TAGS.kdf)).u16(ctx.sender).u16(ctx.recipient).raw(ctx.senderKey).raw(ctx.recipientKey).raw(abytes(ctx.salt, 32, 'salt')).finish();
  return hkdfKey(ctx, shared, info);
}

/**
 * k_{j→i} from one side's secret: the sender's ephemeral e_j with the recipient's D_i, or the recipient's d_i with
 * the sender's E_j. For sender = recipient the self key from the dealer's d_j.
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
