/**
 * Derived keys kept from encryption: check a keystore this process has just written, as read back from storage,
 * without running its KDF a second time (issue 14; docs/decisions/0210-read-back-with-kept-keys.md).
 *
 * EIP-2335 section "Decryption" derives DK from the password; a {@link KeptKey} holds the DK that encrypted the
 * keystore instead, with the KDF parameters, salt, iv and checksum it was written with. {@link KeptKey.open}
 * parses the keystore read back, compares those fields by value with the ones used, checks the checksum of the
 * ciphertext read back under the kept DK, decrypts it and checks the secret against the keystore's `pubkey`, as
 * {@link decryptKeystore} does after its KDF. What this cannot catch is a KDF that is not deterministic (the
 * keystore would then not open from its password): callers still fully decrypt a sample from the password
 * ({@link openKeystores} does so for every item without a kept key).
 *
 * Secrets: the DK is a secret as good as the password for this keystore. It lives only between encryption and
 * read-back; {@link KeptKey.wipe} zeroes it, and a wiped key refuses to open anything.
 *
 * @module
 */
import { ctr } from '@noble/ciphers/aes.js';
import { bytesToHex, constantTimeEqual } from '../bytes.js';
import { KeystoreError, ValidationError } from '../errors.js';
import { SecretBytes } from '../types.js';
import type { KdfParams } from './kdf.js';
import { validateKeystore, type Keystore } from './keystore-format.js';
import { checkDecryptedSecret, checksumOf } from './keystore.js';

/** How a read-back keystore differs from what was written: `IO_FAILED` naming the keystore field. */
function differs(source: string | undefined, field: string, what: string): KeystoreError {
  const where = source ?? 'keystore';
  return new KeystoreError('IO_FAILED', `read-back of ${where}: '${field}' ${what}`, { field });
}

/** The first KDF field of `got` that differs from `used`, or undefined when they are equal by value. */
function kdfDifference(used: KdfParams, got: KdfParams): string | undefined {
  if (got.function !== used.function) return 'crypto.kdf.function';
  if (got.dklen !== used.dklen) return 'crypto.kdf.params.dklen';
  if (bytesToHex(got.salt) !== bytesToHex(used.salt)) return 'crypto.kdf.params.salt';
  if (got.function === 'scrypt' && used.function === 'scrypt') {
    if (got.n !== used.n) return 'crypto.kdf.params.n';
    if (got.r !== used.r) return 'crypto.kdf.params.r';
    if (got.p !== used.p) return 'crypto.kdf.params.p';
  } else if (got.function === 'pbkdf2' && used.function === 'pbkdf2' && got.c !== used.c) {
    return 'crypto.kdf.params.c';
  }
  return undefined;
}

/** The derived key of one keystore this process encrypted, with the public fields it was written with. */
export class KeptKey {
  #dk: Uint8Array | undefined;
  readonly #params: KdfParams;
  readonly #iv: Uint8Array;
  readonly #checksum: Uint8Array;

  /**
   * Takes ownership of `dk` (it is wiped by {@link wipe}). Internal: made by encryptKeystoresKeepingKeys.
   * @param params the KDF parameters (with salt) the key was derived with.
   */
  constructor(dk: Uint8Array, params: KdfParams, iv: Uint8Array, checksum: Uint8Array) {
    this.#dk = dk;
    this.#params = { ...params, salt: Uint8Array.from(params.salt) };
    this.#iv = Uint8Array.from(iv);
    this.#checksum = Uint8Array.from(checksum);
  }

  /** True once {@link wipe} has run. */
  get wiped(): boolean {
    return this.#dk === undefined;
  }

  /**
   * Checks `keystore` (as read back) against what this key encrypted and decrypts it without a KDF run.
   * @returns the secret (the caller wipes it).
   * @throws KeystoreError every parse error of parseKeystore; `IO_FAILED` (field: the KDF parameter, salt,
   *   `crypto.cipher.params.iv`, `crypto.checksum.message` or `crypto.cipher.message`) when the keystore is not
   *   the one written; `KEYSTORE_PUBKEY_MISMATCH` / `KEYSTORE_INVALID` as decryptKeystore.
   * @throws ValidationError `INVALID_ARGUMENT` once the key is wiped.
   */
  open(keystore: Keystore, source?: string): SecretBytes {
    const dk = this.#dk;
    if (dk === undefined) {
      throw new ValidationError('INVALID_ARGUMENT', 'this kept key has been wiped', { field: 'key' });
    }
    const parsed = validateKeystore(keystore, source);
    const c = parsed.crypto;
    const kdfField = kdfDifference(this.#params, c.kdf);
    if (kdfField !== undefined) throw differs(source, kdfField, 'differs from the one it was encrypted with');
    if (!constantTimeEqual(c.iv, this.#iv)) {
      throw differs(source, 'crypto.cipher.params.iv', 'differs from the one it was encrypted with');
    }
    if (!constantTimeEqual(c.checksum, this.#checksum)) {
      throw differs(source, 'crypto.checksum.message', 'differs from the one it was written with');
    }
    if (!constantTimeEqual(checksumOf(dk, c.ciphertext), c.checksum)) {
      throw differs(source, 'crypto.cipher.message', 'does not match its checksum under the key that encrypted it');
    }
    const secret = new SecretBytes(c.ciphertext.length);
    ctr(dk.subarray(0, 16), c.iv).decrypt(c.ciphertext, secret);
    checkDecryptedSecret(secret, parsed.pubkey, source);
    return secret;
  }

  /** Zeroes the derived key. Idempotent. */
  wipe(): void {
    this.#dk?.fill(0);
    this.#dk = undefined;
  }
}

/** A keystore with the key that encrypted it. */
export interface KeptKeystore {
  readonly keystore: Keystore;
  readonly key: KeptKey;
}

/** Wipes every key of `keys` (skipping holes). */
export function wipeKeptKeys(keys: Iterable<KeptKey | undefined>): void {
  for (const k of keys) k?.wipe();
}

