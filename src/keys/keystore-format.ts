/**
 * The EIP-2335 keystore JSON (version 4): types and a strict parser with caps.
 *
 * What we accept (docs/formats/keystore.md has the full table):
 * - top level: `version` 4, `crypto`, `path` (string, may be empty), `uuid` (8-4-4-4-12 hex, any case: Charon
 *   writes uppercase without RFC 4122 version bits), optional `pubkey` (48 bytes hex) and `description`.
 *   Other top-level members (e.g. `name`, written by ethdo and some Charon files) are ignored and dropped.
 * - `crypto`: exactly `kdf`, `checksum`, `cipher`, each exactly `function`, `params`, `message`, and each `params`
 *   exactly the members its function defines (as ethstaker-deposit-cli's schema; the EIP schema is looser).
 * - kdf `scrypt` {dklen, n, r, p, salt} or `pbkdf2` {dklen, c, prf: "hmac-sha256", salt}, message "";
 *   checksum `sha256`, params {}, message 32 bytes; cipher `aes-128-ctr`, params {iv: 16 bytes}, message 32 bytes
 *   (any length up to {@link MAX_CIPHER_MESSAGE_BYTES} for a bare crypto module).
 * - hex without `0x`, either case; numbers are JSON integers; every cost within limits.ts.
 *
 * Errors are {@link KeystoreError}s naming the field (e.g. `crypto.kdf.params.n`) and, in the message, the source
 * file. Codes: `INVALID_JSON`, `KEYSTORE_INVALID` (malformed or missing), `KEYSTORE_UNSUPPORTED` (a version, kdf,
 * prf, checksum or cipher we do not implement, a dklen other than 32, a salt length outside our bounds),
 * `LIMIT_EXCEEDED` (a cost or size cap). No secret is ever part of a keystore's public fields.
 *
 * @module
 */
import { hexToBytes } from '../bytes.js';
import { KeystoreError, type ErrorCode } from '../errors.js';
import type { KdfParams } from './kdf.js';
import {
  CIPHER_IV_BYTES,
  KDF_DKLEN,
  KDF_MAX_SALT_BYTES,
  KDF_MIN_SALT_BYTES,
  MAX_CIPHER_MESSAGE_BYTES,
  MAX_DESCRIPTION_LENGTH,
  MAX_KEYSTORE_JSON_LENGTH,
  MAX_KEYSTORE_PATH_LENGTH,
  PBKDF2_MAX_C,
  SCRYPT_MAX_MEMORY_BYTES,
  SCRYPT_MAX_N,
  SCRYPT_MAX_WORK,
  SCRYPT_MIN_N,
  scryptMemoryBytes,
} from './limits.js';

/** EIP-2335 scrypt kdf module. */
export interface ScryptKdfModule {
  readonly function: 'scrypt';
  readonly params: {
    readonly dklen: number;
    readonly n: number;
    readonly p: number;
    readonly r: number;
    readonly salt: string;
  };
  readonly message: '';
}

/** EIP-2335 PBKDF2 kdf module. */
export interface Pbkdf2KdfModule {
  readonly function: 'pbkdf2';
  readonly params: { readonly dklen: number; readonly c: number; readonly prf: 'hmac-sha256'; readonly salt: string };
  readonly message: '';
}

/** EIP-2335 kdf module. */
export type KdfModule = ScryptKdfModule | Pbkdf2KdfModule;

/** EIP-2335 checksum module: SHA-256(DK[16..32] || ciphertext). */
export interface ChecksumModule {
  readonly function: 'sha256';
  readonly params: Readonly<Record<string, never>>;
  readonly message: string;
}

/** EIP-2335 cipher module: AES-128-CTR with key DK[0..16]. */
export interface CipherModule {
  readonly function: 'aes-128-ctr';
  readonly params: { readonly iv: string };
  readonly message: string;
}

/** EIP-2335 `crypto` object. */
export interface CryptoModule {
  readonly kdf: KdfModule;
  readonly checksum: ChecksumModule;
  readonly cipher: CipherModule;
}

/** An EIP-2335 version 4 keystore, as JSON. */
export interface Keystore {
  readonly crypto: CryptoModule;
  readonly description?: string;
  /** Hex (no 0x) of the 48-byte compressed BLS public key of the secret; optional in the EIP-2335 schema. */
  readonly pubkey?: string;
  /** EIP-2334 path the secret was derived at, or "" when none is known or relevant. */
  readonly path: string;
  readonly uuid: string;
  readonly version: 4;
}

/** The binary content of a validated crypto module. */
export interface DecodedCrypto {
  readonly kdf: KdfParams;
  readonly checksum: Uint8Array;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Where a parse reports from and what it expects. */
interface Ctx {
  readonly source: string | undefined;
}

type Json = Record<string, unknown>;

/** RFC 4122 textual layout, any version and case. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Builds the KeystoreError every parse failure throws: the message names the source file and the field. */
export function keystoreError(code: ErrorCode, ctx: Ctx, field: string, message: string): KeystoreError {
  const where = ctx.source === undefined ? 'keystore' : ctx.source;
  return new KeystoreError(code, `${where}: '${field}' ${message}`, { field });
}

function invalid(ctx: Ctx, field: string, why: string): KeystoreError {
  return keystoreError('KEYSTORE_INVALID', ctx, field, why);
}

function unsupported(ctx: Ctx, field: string, why: string): KeystoreError {
  return keystoreError('KEYSTORE_UNSUPPORTED', ctx, field, why);
}

function overCap(ctx: Ctx, field: string, why: string): KeystoreError {
  return keystoreError('LIMIT_EXCEEDED', ctx, field, why);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function obj(ctx: Ctx, v: unknown, field: string): Json {
  if (!isObject(v)) throw invalid(ctx, field, v === undefined ? 'is missing' : 'must be an object');
  return v;
}

/** Checks that `o` has exactly `keys` (all present, nothing else). */
function exactKeys(ctx: Ctx, o: Json, keys: readonly string[], field: string): void {
  for (const k of keys) {
    if (!Object.hasOwn(o, k)) throw invalid(ctx, `${field}.${k}`, 'is missing');
  }
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw invalid(ctx, `${field}.${k}`, 'is not an EIP-2335 member here');
  }
}

function str(ctx: Ctx, v: unknown, field: string, maxLength: number): string {
  if (typeof v !== 'string') throw invalid(ctx, field, v === undefined ? 'is missing' : 'must be a string');
  if (v.length > maxLength) throw overCap(ctx, field, `is longer than ${maxLength} characters`);
  return v;
}

function int(ctx: Ctx, v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw invalid(ctx, field, v === undefined ? 'is missing' : 'must be an integer');
  }
  if (v < min) throw invalid(ctx, field, `must be at least ${min}, got ${v}`);
  return v;
}

/**
 * Decodes a hex field of `minBytes..maxBytes` bytes. A wrong length is `KEYSTORE_INVALID`, or `lengthCode` when the
 * length is legal EIP-2335 but outside what we accept (salts). The length is checked before decoding.
 */
function hex(
  ctx: Ctx,
  v: unknown,
  field: string,
  minBytes: number,
  maxBytes: number,
  lengthCode: 'KEYSTORE_INVALID' | 'KEYSTORE_UNSUPPORTED' = 'KEYSTORE_INVALID',
): Uint8Array {
  if (typeof v !== 'string') throw invalid(ctx, field, v === undefined ? 'is missing' : 'must be a hex string');
  if (v.startsWith('0x') || v.startsWith('0X')) throw invalid(ctx, field, 'must be hex without 0x');
  if (v.length % 2 !== 0 || v.length < 2 * minBytes || v.length > 2 * maxBytes) {
    const want = minBytes === maxBytes ? `${minBytes}` : `${minBytes}..${maxBytes}`;
    const got = v.length % 2 === 0 ? `${v.length / 2}` : `${v.length} hex digits`;
    throw keystoreError(lengthCode, ctx, field, `must be ${want} bytes, got ${got}`);
  }
  try {
    return hexToBytes(v, field, { prefix: 'forbidden', allowUppercase: true });
  } catch {
    throw invalid(ctx, field, 'must be hex digits only');
  }
}

function fn(ctx: Ctx, m: Json, field: string, supported: readonly string[]): string {
  const f = str(ctx, m['function'], `${field}.function`, MAX_DESCRIPTION_LENGTH);
  if (!supported.includes(f)) {
    const want = supported.join(' or ');
    throw unsupported(ctx, `${field}.function`, `"${f.slice(0, 32)}" is not supported (expected ${want})`);
  }
  return f;
}

function salt(ctx: Ctx, v: unknown, field: string): Uint8Array {
  return hex(ctx, v, field, KDF_MIN_SALT_BYTES, KDF_MAX_SALT_BYTES, 'KEYSTORE_UNSUPPORTED');
}

function dklen(ctx: Ctx, v: unknown, field: string): number {
  const d = int(ctx, v, field, 1);
  if (d !== KDF_DKLEN) throw unsupported(ctx, field, `must be ${KDF_DKLEN}, got ${d}`);
  return d;
}

function parseKdf(ctx: Ctx, v: unknown, field: string): { module: KdfModule; params: KdfParams } {
  const m = obj(ctx, v, field);
  exactKeys(ctx, m, ['function', 'params', 'message'], field);
  const f = fn(ctx, m, field, ['scrypt', 'pbkdf2']);
  const pf = `${field}.params`;
  const p = obj(ctx, m['params'], pf);
  if (f === 'scrypt') {
    exactKeys(ctx, p, ['dklen', 'n', 'r', 'p', 'salt'], pf);
    const d = dklen(ctx, p['dklen'], `${pf}.dklen`);
    const n = int(ctx, p['n'], `${pf}.n`, SCRYPT_MIN_N);
    if ((n & (n - 1)) !== 0) throw invalid(ctx, `${pf}.n`, `must be a power of two, got ${n}`);
    if (n > SCRYPT_MAX_N) throw overCap(ctx, `${pf}.n`, `${n} is above the cap 2^${Math.log2(SCRYPT_MAX_N)}`);
    const r = int(ctx, p['r'], `${pf}.r`, 1);
    const pp = int(ctx, p['p'], `${pf}.p`, 1);
    if (scryptMemoryBytes(n, r, pp) > SCRYPT_MAX_MEMORY_BYTES) {
      const cap = Math.round(SCRYPT_MAX_MEMORY_BYTES / 2 ** 20);
      throw overCap(ctx, pf, `n, r and p need more memory than the ${cap} MiB cap`);
    }
    if (128 * n * r * pp > SCRYPT_MAX_WORK) {
      throw overCap(ctx, pf, 'n * r * p is above the work cap (16 times the EIP-2335 default)');
    }
    const s = salt(ctx, p['salt'], `${pf}.salt`);
    message(ctx, m, field);
    return {
      module: { function: 'scrypt', params: { dklen: d, n, p: pp, r, salt: p['salt'] as string }, message: '' },
      params: { function: 'scrypt', n, r, p: pp, dklen: d, salt: s },
    };
  }
  exactKeys(ctx, p, ['dklen', 'c', 'prf', 'salt'], pf);
  const d = dklen(ctx, p['dklen'], `${pf}.dklen`);
  const c = int(ctx, p['c'], `${pf}.c`, 1);
  if (c > PBKDF2_MAX_C) throw overCap(ctx, `${pf}.c`, `${c} is above the cap 2^${Math.log2(PBKDF2_MAX_C)}`);
  const prf = str(ctx, p['prf'], `${pf}.prf`, MAX_DESCRIPTION_LENGTH);
  if (prf !== 'hmac-sha256') {
    throw unsupported(ctx, `${pf}.prf`, `"${prf.slice(0, 32)}" is not supported (expected hmac-sha256)`);
  }
  const s = salt(ctx, p['salt'], `${pf}.salt`);
  message(ctx, m, field);
  return {
    module: { function: 'pbkdf2', params: { dklen: d, c, prf, salt: p['salt'] as string }, message: '' },
    params: { function: 'pbkdf2', c, dklen: d, salt: s },
  };
}

/**
 * Validates an EIP-2335 kdf module alone (used to check the costs of a keystore before writing it).
 * @throws KeystoreError `KEYSTORE_INVALID`, `KEYSTORE_UNSUPPORTED` or `LIMIT_EXCEEDED` naming the field.
 */
export function parseKdfModule(
  value: unknown,
  options: { readonly source?: string; readonly field?: string } = {},
): { readonly module: KdfModule; readonly params: KdfParams } {
  return parseKdf({ source: options.source }, value, options.field ?? 'crypto.kdf');
}

function message(ctx: Ctx, m: Json, field: string): void {
  if (str(ctx, m['message'], `${field}.message`, MAX_DESCRIPTION_LENGTH) !== '') {
    throw invalid(ctx, `${field}.message`, 'must be ""');
  }
}

/** Options of {@link parseCryptoModule}. */
export interface ParseCryptoOptions {
  /** File name for error messages. */
  readonly source?: string | undefined;
  /** Required ciphertext length in bytes; default any length 1..{@link MAX_CIPHER_MESSAGE_BYTES}. */
  readonly messageLength?: number;
  /** Field path prefix for error messages; default `crypto`. */
  readonly field?: string;
}

/**
 * Validates an EIP-2335 `crypto` object (section "Keystore" / "Modules") and decodes its binary fields.
 * @throws KeystoreError `KEYSTORE_INVALID`, `KEYSTORE_UNSUPPORTED` or `LIMIT_EXCEEDED` naming the field.
 */
export function parseCryptoModule(
  value: unknown,
  options: ParseCryptoOptions = {},
): { readonly module: CryptoModule; readonly decoded: DecodedCrypto } {
  const ctx: Ctx = { source: options.source };
  const field = options.field ?? 'crypto';
  const c = obj(ctx, value, field);
  exactKeys(ctx, c, ['kdf', 'checksum', 'cipher'], field);
  const kdf = parseKdf(ctx, c['kdf'], `${field}.kdf`);

  const cf = `${field}.checksum`;
  const ch = obj(ctx, c['checksum'], cf);
  exactKeys(ctx, ch, ['function', 'params', 'message'], cf);
  fn(ctx, ch, cf, ['sha256']);
  exactKeys(ctx, obj(ctx, ch['params'], `${cf}.params`), [], `${cf}.params`);
  const checksum = hex(ctx, ch['message'], `${cf}.message`, 32, 32);

  const xf = `${field}.cipher`;
  const x = obj(ctx, c['cipher'], xf);
  exactKeys(ctx, x, ['function', 'params', 'message'], xf);
  fn(ctx, x, xf, ['aes-128-ctr']);
  const xp = obj(ctx, x['params'], `${xf}.params`);
  exactKeys(ctx, xp, ['iv'], `${xf}.params`);
  const iv = hex(ctx, xp['iv'], `${xf}.params.iv`, CIPHER_IV_BYTES, CIPHER_IV_BYTES);
  const len = options.messageLength;
  const ciphertext = hex(ctx, x['message'], `${xf}.message`, len ?? 1, len ?? MAX_CIPHER_MESSAGE_BYTES);

  const module: CryptoModule = {
    kdf: kdf.module,
    checksum: { function: 'sha256', params: {}, message: ch['message'] as string },
    cipher: { function: 'aes-128-ctr', params: { iv: xp['iv'] as string }, message: x['message'] as string },
  };
  return { module, decoded: { kdf: kdf.params, checksum, iv, ciphertext } };
}

/** A validated keystore with its binary fields decoded. */
export interface ParsedKeystore {
  readonly keystore: Keystore;
  readonly crypto: DecodedCrypto;
  readonly pubkey: Uint8Array | undefined;
}

/**
 * Validates a keystore object and decodes it (used by {@link parseKeystore} and the decrypt functions, which
 * re-validate whatever object they are given).
 * @throws KeystoreError as {@link parseKeystore}.
 */
export function validateKeystore(value: unknown, source?: string): ParsedKeystore {
  const ctx: Ctx = { source };
  const root = obj(ctx, value, '$');
  const version = root['version'];
  if (version === undefined) throw invalid(ctx, 'version', 'is missing');
  if (version !== 4) {
    const shown = typeof version === 'number' ? String(version) : `of type ${typeof version}`;
    throw unsupported(ctx, 'version', `${shown} is not supported (only EIP-2335 version 4)`);
  }
  const { module, decoded } = parseCryptoModule(root['crypto'], { source, messageLength: 32 });
  let pubkey: Uint8Array | undefined;
  if (root['pubkey'] !== undefined) pubkey = hex(ctx, root['pubkey'], 'pubkey', 48, 48);
  const path = str(ctx, root['path'], 'path', MAX_KEYSTORE_PATH_LENGTH);
  const uuid = str(ctx, root['uuid'], 'uuid', 36);
  if (!UUID_PATTERN.test(uuid)) throw invalid(ctx, 'uuid', 'must be a UUID (8-4-4-4-12 hex digits)');
  const rawDescription = root['description'];
  const description =
    rawDescription === undefined ? undefined : str(ctx, rawDescription, 'description', MAX_DESCRIPTION_LENGTH);
  const keystore: Keystore = {
    crypto: module,
    ...(description === undefined ? {} : { description }),
    ...(pubkey === undefined ? {} : { pubkey: root['pubkey'] as string }),
    path,
    uuid,
    version: 4,
  };
  return { keystore, crypto: decoded, pubkey };
}

/**
 * Parses an EIP-2335 keystore from JSON text or an already parsed value, strictly (see the module comment), and
 * returns a fresh object holding only the EIP-2335 members. Nothing is decrypted; no password is needed.
 * @param json - the file's text, or the value JSON.parse gave.
 * @param source - the file name, used in error messages.
 * @throws KeystoreError `LIMIT_EXCEEDED` (text longer than {@link MAX_KEYSTORE_JSON_LENGTH}, or a cost cap),
 *   `INVALID_JSON`, `KEYSTORE_INVALID`, `KEYSTORE_UNSUPPORTED`; each names the field and the source.
 */
export function parseKeystore(json: unknown, source?: string): Keystore {
  const ctx: Ctx = { source };
  let value = json;
  if (typeof json === 'string') {
    if (json.length > MAX_KEYSTORE_JSON_LENGTH) {
      throw overCap(ctx, '$', `is longer than ${MAX_KEYSTORE_JSON_LENGTH} characters`);
    }
    try {
      value = JSON.parse(json);
    } catch {
      throw keystoreError('INVALID_JSON', ctx, '$', 'is not valid JSON');
    }
  }
  return validateKeystore(value, source).keystore;
}
