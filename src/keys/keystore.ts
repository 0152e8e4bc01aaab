/**
 * EIP-2335 keystores: decrypt (with the pubkey check) and encrypt (version 4, scrypt or pbkdf2, AES-128-CTR,
 * SHA-256 checksum).
 *
 * EIP-2335 section "Decryption": DK = KDF(normalised password); checksum = SHA-256(DK[16..32] || ciphertext) must
 * equal `crypto.checksum.message`; secret = AES-128-CTR(key DK[0..16], iv).decrypt(ciphertext). Encryption is the
 * reverse with a fresh salt, iv and uuid. The KDF runs through kdf.ts (native async on Node, off the main thread);
 * AES and SHA-256 are @noble/ciphers and @noble/hashes. @chainsafe/bls-keystore is not on this path
 * (docs/decisions/0200-keystore-kdf-path.md); the tests use it as an interop oracle.
 *
 * Secrets: decrypted secrets come back as {@link SecretBytes} owned by the caller; the derived key, the normalised
 * password and every intermediate plaintext are wiped in `finally`. Error messages never hold a password or a
 * secret (a test checks this).
 *
 * @module
 */
import { ctr } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeScalar } from '../bls/field.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { abytes, bytesToHex, concatBytes, constantTimeEqual } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes } from '../types.js';
import { deriveKey, type KdfBackend, type KdfParams } from './kdf.js';
import {
  keystoreError,
  parseCryptoModule,
  parseKdfModule,
  UUID_PATTERN,
  validateKeystore,
  type DecodedCrypto,
  type KdfModule,
  type Keystore,
} from './keystore-format.js';
import { KDF_DKLEN, MAX_DESCRIPTION_LENGTH, MAX_KEYSTORE_PATH_LENGTH } from './limits.js';
import { normalizePassword, type Password } from './password.js';

/** Options shared by every keystore operation. */
export interface KeystoreOptions {
  /** File name for error messages. */
  readonly source?: string | undefined;
  /** Cancels the operation (AbortedError). */
  readonly signal?: AbortSignal | undefined;
  /** KDF implementation; default `auto` (kdf.ts). Tests and benchmarks force the pure-JS paths with it. */
  readonly kdfBackend?: KdfBackend | undefined;
}

/** The KDF a new keystore uses. */
export type KdfChoice = 'scrypt' | 'pbkdf2';

/** EIP-2335's recommended scrypt costs: n = 2^18, r = 8, p = 1 (256 MiB, about 1.25 s natively). */
export const DEFAULT_SCRYPT = { n: 2 ** 18, r: 8, p: 1 } as const;

/** EIP-2335's recommended PBKDF2 cost: c = 2^18 (about 50 ms natively). */
export const DEFAULT_PBKDF2 = { c: 2 ** 18 } as const;

/** Options of {@link encryptKeystore}. */
export interface EncryptOptions extends KeystoreOptions {
  /** The KDF: `scrypt` (memory-hard, staking-deposit-cli's choice) or `pbkdf2` (25 times cheaper, Charon's). */
  readonly kdf: KdfChoice;
  /**
   * Cost overrides; default {@link DEFAULT_SCRYPT} / {@link DEFAULT_PBKDF2}. Lower costs are for tests only.
   * Costs must lie within limits.ts, so that we never write a keystore we would refuse to read.
   */
  readonly kdfParams?: { readonly n?: number; readonly r?: number; readonly p?: number; readonly c?: number };
  /** EIP-2334 path of the secret, or "" (default) when it was not derived from a path, as for a share. */
  readonly path?: string;
  /** Free text for humans; default "". See {@link describeShare} for what dvkeys writes for shares. */
  readonly description?: string;
  /** The keystore's uuid; default a random RFC 4122 version 4 uuid from `rng`. */
  readonly uuid?: string;
  /** Source of salt, iv and uuid; default the system CSPRNG. */
  readonly rng?: RandomBytes;
}

/** SHA-256(DK[16..32] || ciphertext), EIP-2335 section "Checksum". Internal: kept-key.ts uses it too. */
export function checksumOf(dk: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const pre = concatBytes(dk.subarray(16, 32), ciphertext);
  try {
    return sha256(pre);
  } finally {
    pre.fill(0);
  }
}

/**
 * Decrypts a validated crypto module. Wipes the password bytes, the derived key and the intermediate plaintext.
 * @throws KeystoreError `WRONG_PASSWORD` (field `crypto.checksum.message`) when the checksum does not match.
 */
async function decryptDecoded(
  decoded: DecodedCrypto,
  password: Password,
  options: KeystoreOptions,
): Promise<SecretBytes> {
  const pw = normalizePassword(password);
  let dk: Uint8Array | undefined;
  try {
    dk = await deriveKey(decoded.kdf, pw, { backend: options.kdfBackend ?? 'auto', signal: options.signal });
    const sum = checksumOf(dk, decoded.ciphertext);
    if (!constantTimeEqual(sum, decoded.checksum)) {
      throw keystoreError(
        'WRONG_PASSWORD',
        { source: options.source },
        'crypto.checksum.message',
        'does not match: wrong password, or the keystore was altered',
      );
    }
    const out = new SecretBytes(decoded.ciphertext.length);
    ctr(dk.subarray(0, 16), decoded.iv).decrypt(decoded.ciphertext, out);
    return out;
  } finally {
    pw.fill(0);
    dk?.fill(0);
  }
}

/**
 * Decrypts a bare EIP-2335 `crypto` object (section "Decryption"), whatever the length of its ciphertext. Use
 * {@link decryptKeystore} for validator keystores: it also checks the secret against `pubkey`.
 * @throws KeystoreError `KEYSTORE_INVALID`, `KEYSTORE_UNSUPPORTED`, `LIMIT_EXCEEDED` (see parseKeystore),
 *   `WRONG_PASSWORD`; ValidationError for a bad password argument; AbortedError.
 */
export async function decryptCryptoModule(
  crypto: unknown,
  password: Password,
  options: KeystoreOptions = {},
): Promise<SecretBytes> {
  const { decoded } = parseCryptoModule(crypto, { source: options.source });
  return decryptDecoded(decoded, password, options);
}

/**
 * Decrypts an EIP-2335 keystore and checks that the secret is a BLS12-381 secret key whose public key equals the
 * keystore's `pubkey` (when the field is present; EIP-2335's schema makes it optional). The object is validated
 * again first, so a hand-made object gets the same checks as {@link parseKeystore}.
 * @returns the 32-byte secret key; the caller wipes it.
 * @throws KeystoreError `WRONG_PASSWORD` (checksum mismatch: wrong password or altered kdf params, salt, checksum or
 *   ciphertext); `KEYSTORE_PUBKEY_MISMATCH` (field `pubkey`: the secret is not the key of `pubkey`, e.g. the iv was
 *   altered or the pubkey belongs to another key); `KEYSTORE_INVALID` (no pubkey and the secret is not in [1, r));
 *   plus every parse error of parseKeystore; each message names the source file.
 * @throws ValidationError for a bad password argument; AbortedError when `signal` fires.
 */
export async function decryptKeystore(
  keystore: Keystore,
  password: Password,
  options: KeystoreOptions = {},
): Promise<SecretBytes> {
  const parsed = validateKeystore(keystore, options.source);
  const secret = await decryptDecoded(parsed.crypto, password, options);
  checkDecryptedSecret(secret, parsed.pubkey, options.source);
  return secret;
}

/**
 * Checks a decrypted secret as {@link decryptKeystore} does: a BLS secret key in [1, r) whose public key is
 * `pubkey` (when present). Wipes the secret before throwing. Internal: kept-key.ts uses it too.
 * @throws KeystoreError `KEYSTORE_PUBKEY_MISMATCH` (field `pubkey`) or `KEYSTORE_INVALID` (field `crypto.cipher`).
 */
export function checkDecryptedSecret(secret: SecretBytes, pubkey: Uint8Array | undefined, source: string | undefined): void {
  const ctx = { source };
  try {
    let valid = true;
    try {
      decodeScalar(secret, 'secret');
    } catch {
      valid = false;
    }
    if (pubkey !== undefined) {
      if (!valid || !constantTimeEqual(secretKeyToPublicKey(secret), pubkey)) {
        throw keystoreError('KEYSTORE_PUBKEY_MISMATCH', ctx, 'pubkey', 'is not the public key of the decrypted secret');
      }
    } else if (!valid) {
      throw keystoreError('KEYSTORE_INVALID', ctx, 'crypto.cipher', 'decrypts to a value that is not a BLS secret key');
    }
  } catch (e) {
    secret.fill(0);
    throw e;
  }
}

/** A random RFC 4122 version 4 uuid, lowercase. */
function uuidV4(rng: RandomBytes): string {
  const b = rng(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = bytesToHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function kdfModuleFor(options: EncryptOptions, salt: Uint8Array): KdfModule {
  const o = options.kdfParams ?? {};
  const s = bytesToHex(salt);
  if (options.kdf === 'scrypt') {
    if (o.c !== undefined) {
      throw new ValidationError('INVALID_ARGUMENT', "'kdfParams.c' is a pbkdf2 parameter", { field: 'kdfParams.c' });
    }
    const n = o.n ?? DEFAULT_SCRYPT.n;
    const r = o.r ?? DEFAULT_SCRYPT.r;
    const p = o.p ?? DEFAULT_SCRYPT.p;
    return { function: 'scrypt', params: { dklen: KDF_DKLEN, n, p, r, salt: s }, message: '' };
  }
  if (options.kdf === 'pbkdf2') {
    if (o.n !== undefined || o.r !== undefined || o.p !== undefined) {
      throw new ValidationError('INVALID_ARGUMENT', "'kdfParams' n, r and p are scrypt parameters", {
        field: 'kdfParams',
      });
    }
    const c = o.c ?? DEFAULT_PBKDF2.c;
    return { function: 'pbkdf2', params: { dklen: KDF_DKLEN, c, prf: 'hmac-sha256', salt: s }, message: '' };
  }
  throw new ValidationError('INVALID_ARGUMENT', "'kdf' must be 'scrypt' or 'pbkdf2'", { field: 'kdf' });
}

function checkText(value: string | undefined, field: string, max: number): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > max) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' must be a string of at most ${max} characters`, {
      field,
    });
  }
  return value;
}

/** Everything about a new keystore except the KDF run: validated options, fresh salt, iv and uuid. */
export interface EncryptionPlan {
  readonly params: KdfParams;
  readonly kdf: KdfModule;
  readonly iv: Uint8Array;
  readonly path: string;
  readonly description: string;
  readonly uuid: string;
}

/**
 * Validates the inputs of {@link encryptKeystore} and draws salt, iv and uuid, without running the KDF (the batch
 * API validates every item this way before any KDF starts).
 * @throws as encryptKeystore, except AbortedError and password errors.
 */
export function planEncryption(
  secret: Uint8Array,
  options: EncryptOptions,
  source = 'encryptKeystore options',
): EncryptionPlan {
  decodeScalar(secret, 'secret');
  const rng = options.rng ?? systemRandomBytes;
  const path = checkText(options.path, 'path', MAX_KEYSTORE_PATH_LENGTH);
  const description = checkText(options.description, 'description', MAX_DESCRIPTION_LENGTH);
  const uuid = options.uuid ?? uuidV4(rng);
  if (typeof uuid !== 'string' || !UUID_PATTERN.test(uuid)) {
    throw new ValidationError('INVALID_ARGUMENT', "'uuid' must be a UUID (8-4-4-4-12 hex digits)", { field: 'uuid' });
  }
  // Our own costs must pass the reader's caps: we never write a keystore we would refuse to read.
  const { module, params } = parseKdfModule(kdfModuleFor(options, rng(32)), { source, field: 'crypto.kdf' });
  const iv = rng(16);
  return { params, kdf: module, iv, path, description, uuid };
}

/**
 * Normalises a password for encryption and refuses one that is empty after EIP-2335 normalisation (a password file
 * holding only a newline). The caller wipes the result.
 */
export function encryptionPassword(password: Password): Uint8Array {
  const pw = normalizePassword(password);
  if (pw.length === 0) {
    throw new ValidationError('INVALID_ARGUMENT', "'password' is empty after EIP-2335 normalisation", {
      field: 'password',
    });
  }
  return pw;
}

/**
 * Encrypts a BLS secret key (or a share of one) as an EIP-2335 version 4 keystore: the chosen KDF with a fresh
 * 32-byte salt, AES-128-CTR with a fresh 16-byte iv, the SHA-256 checksum, `pubkey` = SkToPk(secret),
 * `path` and `description` as given (default ""), a random uuid v4. docs/formats/keystore.md shows an example.
 * @throws ValidationError `INVALID_LENGTH` / `SCALAR_OUT_OF_RANGE` / `ZERO_SCALAR` (field `secret`) unless the
 *   secret is 32 bytes in [1, r); `INVALID_ARGUMENT` for an empty normalised password, a bad kdf choice, path,
 *   description or uuid; KeystoreError `LIMIT_EXCEEDED` / `KEYSTORE_INVALID` for costs outside limits.ts;
 *   AbortedError.
 */
export async function encryptKeystore(
  secret: Uint8Array,
  password: Password,
  options: EncryptOptions,
): Promise<Keystore> {
  return runEncryption(planEncryption(secret, options), secret, password, options);
}

/**
 * Runs the KDF and the cipher for a plan from {@link planEncryption}. The public key is computed on this thread
 * while a native KDF runs on the pool.
 */
export async function runEncryption(
  plan: EncryptionPlan,
  secret: Uint8Array,
  password: Password,
  options: KeystoreOptions = {},
): Promise<Keystore> {
  const { keystore, dk } = await runEncryptionKeepingKey(plan, secret, password, options);
  dk.fill(0);
  return keystore;
}

/**
 * {@link runEncryption}, also returning the derived key (the caller wipes it): kept-key.ts holds it to check the
 * keystore once written without a second KDF. The password is wiped here; on failure the key is too.
 */
export async function runEncryptionKeepingKey(
  plan: EncryptionPlan,
  secret: Uint8Array,
  password: Password,
  options: KeystoreOptions = {},
): Promise<{ readonly keystore: Keystore; readonly dk: Uint8Array }> {
  const pw = encryptionPassword(password);
  let dk: Uint8Array | undefined;
  let kept = false;
  try {
    const pending = deriveKey(plan.params, pw, { backend: options.kdfBackend ?? 'auto', signal: options.signal });
    let pubkey: string;
    try {
      pubkey = bytesToHex(secretKeyToPublicKey(secret));
    } finally {
      dk = await pending;
    }
    const ciphertext = ctr(dk.subarray(0, 16), plan.iv).encrypt(secret);
    const keystore: Keystore = {
      crypto: {
        kdf: plan.kdf,
        checksum: { function: 'sha256', params: {}, message: bytesToHex(checksumOf(dk, ciphertext)) },
        cipher: { function: 'aes-128-ctr', params: { iv: bytesToHex(plan.iv) }, message: bytesToHex(ciphertext) },
      },
      description: plan.description,
      pubkey,
      path: plan.path,
      uuid: plan.uuid,
      version: 4,
    };
    kept = true;
    return { keystore, dk };
  } finally {
    pw.fill(0);
    if (!kept) dk?.fill(0);
  }
}

/** The keystore as JSON text: EIP-2335 member order, two-space indentation, a final newline. */
export function keystoreToJson(keystore: Keystore): string {
  return `${JSON.stringify(keystore, null, 2)}\n`;
}

/** What a share is, for {@link describeShare}. */
export interface ShareDescription {
  /** The share's x-coordinate (operator index, 1-based by default). */
  readonly shareIndex: bigint | number;
  /** Threshold t. */
  readonly threshold: number;
  /** Number of shares n. */
  readonly total: number;
  /** The validator's (group) public key, 48 bytes. */
  readonly validatorPubkey: Uint8Array;
}

/**
 * The `description` dvkeys writes into a share's keystore, e.g.
 * `dvkeys share 3 (threshold 4 of 6) of validator 0xa1b2…`. The keystore's `pubkey` is the share's public key,
 * which no validator client can tie to the validator by itself; this line does, for humans.
 */
export function describeShare(share: ShareDescription): string {
  abytes(share.validatorPubkey, 48, 'validatorPubkey');
  return (
    `dvkeys share ${share.shareIndex} (threshold ${share.threshold} of ${share.total}) ` +
    `of validator ${bytesToHex(share.validatorPubkey, true)}`
  );
}
