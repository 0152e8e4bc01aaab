/**
 * The strict EIP-2335 parser of src/keys/keystore-format.ts, field by field: each malformed value gives the exact
 * code, field and message (issue 19, docs/mutation.md: the 74 survivors of its 2026-12-07 run were the messages, the
 * caps at their boundaries and the options). No KDF runs: parsing needs no password.
 */
import { describe, expect, it } from 'vitest';
import { parseCryptoModule, parseKdfModule, parseKeystore, validateKeystore, type Keystore } from '../../src/keys/keystore-format.js';

const h = (bytes: number, byte = 'ab') => byte.repeat(bytes);

/** A well-formed PBKDF2 keystore (its secret is never decrypted here). */
const PBKDF2: Keystore = {
  crypto: {
    kdf: { function: 'pbkdf2', params: { dklen: 32, c: 262144, prf: 'hmac-sha256', salt: h(32, 'd4') }, message: '' },
    checksum: { function: 'sha256', params: {}, message: h(32, '8a') },
    cipher: { function: 'aes-128-ctr', params: { iv: h(16, '26') }, message: h(32, 'a9') },
  },
  description: 'a test keystore',
  pubkey: h(48, '9a'),
  path: 'm/12381/3600/0/0/0',
  uuid: '64625DEF-3331-4EEA-AB6F-782F3ED16A83',
  version: 4,
};
const SCRYPT_KDF = { function: 'scrypt', params: { dklen: 32, n: 262144, r: 8, p: 1, salt: h(32, 'd4') }, message: '' };

type Json = Record<string, unknown>;
/** A deep copy of `base` with the value at `path` replaced, or deleted when `value` is undefined. */
function setAt(base: unknown, path: string, value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] as Json;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return copy;
}
const scrypt = (params: Json) => setAt(PBKDF2, 'crypto.kdf', { ...SCRYPT_KDF, params: { ...SCRYPT_KDF.params, ...params } });

function error(f: () => unknown): { code: string; field: string; message: string } {
  try {
    f();
  } catch (e) {
    const { code, field, message } = e as { code: string; field: string; message: string };
    return { code, field, message };
  }
  throw new Error('did not throw');
}
const INVALID = 'KEYSTORE_INVALID';
const UNSUPPORTED = 'KEYSTORE_UNSUPPORTED';
const LIMIT = 'LIMIT_EXCEEDED';
const KP = 'crypto.kdf.params';

type Case = readonly [input: unknown, code: string, field: string, message: string];
const CASES: Case[] = [
  [[], INVALID, '$', 'must be an object'],
  [setAt(PBKDF2, 'version', undefined), INVALID, 'version', 'is missing'],
  [setAt(PBKDF2, 'version', 3), UNSUPPORTED, 'version', '3 is not supported (only EIP-2335 version 4)'],
  [setAt(PBKDF2, 'version', '4'), UNSUPPORTED, 'version', 'of type string is not supported (only EIP-2335 version 4)'],
  [setAt(PBKDF2, 'crypto', undefined), INVALID, 'crypto', 'is missing'],
  [setAt(PBKDF2, 'crypto', 'x'), INVALID, 'crypto', 'must be an object'],
  [setAt(PBKDF2, 'crypto', new Uint8Array(1)), INVALID, 'crypto', 'must be an object'],
  [setAt(PBKDF2, 'crypto.kdf', undefined), INVALID, 'crypto.kdf', 'is missing'],
  [setAt(PBKDF2, 'crypto.mac', 'x'), INVALID, 'crypto.mac', 'is not an EIP-2335 member here'],
  [setAt(PBKDF2, 'crypto.kdf.function', 5), INVALID, 'crypto.kdf.function', 'must be a string'],
  [setAt(PBKDF2, 'crypto.kdf.function', 'argon2id'), UNSUPPORTED, 'crypto.kdf.function', '"argon2id" is not supported (expected scrypt or pbkdf2)'],
  [setAt(PBKDF2, 'crypto.kdf.function', 'x'.repeat(40)), UNSUPPORTED, 'crypto.kdf.function', `"${'x'.repeat(32)}" is not supported (expected scrypt or pbkdf2)`],
  [setAt(PBKDF2, 'crypto.kdf.function', 'x'.repeat(4097)), LIMIT, 'crypto.kdf.function', 'is longer than 4096 characters'],
  [setAt(PBKDF2, 'crypto.kdf.params', undefined), INVALID, KP, 'is missing'],
  [setAt(PBKDF2, 'crypto.kdf.params', []), INVALID, KP, 'must be an object'],
  [setAt(PBKDF2, 'crypto.kdf.message', 'x'), INVALID, 'crypto.kdf.message', 'must be ""'],
  [setAt(PBKDF2, 'crypto.kdf.message', undefined), INVALID, 'crypto.kdf.message', 'is missing'],
  [setAt(PBKDF2, `${KP}.dklen`, 31), UNSUPPORTED, `${KP}.dklen`, 'must be 32, got 31'],
  [setAt(PBKDF2, `${KP}.dklen`, 0), INVALID, `${KP}.dklen`, 'must be at least 1, got 0'],
  [setAt(PBKDF2, `${KP}.dklen`, '32'), INVALID, `${KP}.dklen`, 'must be an integer'],
  [setAt(PBKDF2, `${KP}.dklen`, 32.5), INVALID, `${KP}.dklen`, 'must be an integer'],
  [setAt(PBKDF2, `${KP}.c`, 2 ** 22 + 1), LIMIT, `${KP}.c`, '4194305 is above the cap 2^22'],
  [setAt(PBKDF2, `${KP}.c`, 0), INVALID, `${KP}.c`, 'must be at least 1, got 0'],
  [setAt(PBKDF2, `${KP}.c`, 2 ** 53), INVALID, `${KP}.c`, 'must be an integer'],
  [setAt(PBKDF2, `${KP}.prf`, 'hmac-sha512'), UNSUPPORTED, `${KP}.prf`, '"hmac-sha512" is not supported (expected hmac-sha256)'],
  [setAt(PBKDF2, `${KP}.prf`, 'y'.repeat(40)), UNSUPPORTED, `${KP}.prf`, `"${'y'.repeat(32)}" is not supported (expected hmac-sha256)`],
  [setAt(PBKDF2, `${KP}.prf`, 1), INVALID, `${KP}.prf`, 'must be a string'],
  [setAt(PBKDF2, `${KP}.n`, 2), INVALID, `${KP}.n`, 'is not an EIP-2335 member here'],
  [setAt(PBKDF2, `${KP}.salt`, undefined), INVALID, `${KP}.salt`, 'is missing'],
  [setAt(PBKDF2, `${KP}.salt`, 5), INVALID, `${KP}.salt`, 'must be a hex string'],
  [setAt(PBKDF2, `${KP}.salt`, h(15)), UNSUPPORTED, `${KP}.salt`, 'must be 16..256 bytes, got 15'],
  [setAt(PBKDF2, `${KP}.salt`, h(257)), UNSUPPORTED, `${KP}.salt`, 'must be 16..256 bytes, got 257'],
  [setAt(PBKDF2, `${KP}.salt`, `${h(16)}a`), UNSUPPORTED, `${KP}.salt`, 'must be 16..256 bytes, got 33 hex digits'],
  [setAt(PBKDF2, `${KP}.salt`, `0x${h(16)}`), INVALID, `${KP}.salt`, 'must be hex without 0x'],
  [setAt(PBKDF2, `${KP}.salt`, `0X${h(16)}`), INVALID, `${KP}.salt`, 'must be hex without 0x'],
  [setAt(PBKDF2, `${KP}.salt`, h(16, 'zz')), INVALID, `${KP}.salt`, 'must be hex digits only'],
  [scrypt({ n: 1 }), INVALID, `${KP}.n`, 'must be at least 2, got 1'],
  [scrypt({ n: 3 }), INVALID, `${KP}.n`, 'must be a power of two, got 3'],
  [scrypt({ n: 2 ** 18 + 2 ** 17 }), INVALID, `${KP}.n`, 'must be a power of two, got 393216'],
  [scrypt({ n: 2 ** 21 }), LIMIT, `${KP}.n`, '2097152 is above the cap 2^20'],
  [scrypt({ r: 0 }), INVALID, `${KP}.r`, 'must be at least 1, got 0'],
  [scrypt({ p: 0 }), INVALID, `${KP}.p`, 'must be at least 1, got 0'],
  [scrypt({ dklen: 64 }), UNSUPPORTED, `${KP}.dklen`, 'must be 32, got 64'],
  // 128 * r * (n + p + 2) bytes: r = 32 at n = 2^18 needs just over 1 GiB (with r and p swapped it would not)
  [scrypt({ r: 32 }), LIMIT, KP, 'n, r and p need more memory than the 1024 MiB cap'],
  // 128 * n * r * p: 2^32 is the cap itself, one more p is above it
  [scrypt({ n: 2 ** 14, r: 8, p: 257 }), LIMIT, KP, 'n * r * p is above the work cap (16 times the EIP-2335 default)'],
  [scrypt({ salt: h(8) }), UNSUPPORTED, `${KP}.salt`, 'must be 16..256 bytes, got 8'],
  [scrypt({ c: 1 }), INVALID, `${KP}.c`, 'is not an EIP-2335 member here'],
  [setAt(scrypt({}), 'crypto.kdf.message', 'x'), INVALID, 'crypto.kdf.message', 'must be ""'],
  [setAt(PBKDF2, 'crypto.checksum.function', 'sha512'), UNSUPPORTED, 'crypto.checksum.function', '"sha512" is not supported (expected sha256)'],
  [setAt(PBKDF2, 'crypto.checksum.params', { a: 1 }), INVALID, 'crypto.checksum.params.a', 'is not an EIP-2335 member here'],
  [setAt(PBKDF2, 'crypto.checksum.params', undefined), INVALID, 'crypto.checksum.params', 'is missing'],
  [setAt(PBKDF2, 'crypto.checksum', 1), INVALID, 'crypto.checksum', 'must be an object'],
  [setAt(PBKDF2, 'crypto.checksum.message', h(31)), INVALID, 'crypto.checksum.message', 'must be 32 bytes, got 31'],
  [setAt(PBKDF2, 'crypto.checksum.message', h(33)), INVALID, 'crypto.checksum.message', 'must be 32 bytes, got 33'],
  [setAt(PBKDF2, 'crypto.checksum.x', 1), INVALID, 'crypto.checksum.x', 'is not an EIP-2335 member here'],
  [setAt(PBKDF2, 'crypto.cipher', undefined), INVALID, 'crypto.cipher', 'is missing'],
  [setAt(PBKDF2, 'crypto.cipher.function', 'aes-256-gcm'), UNSUPPORTED, 'crypto.cipher.function', '"aes-256-gcm" is not supported (expected aes-128-ctr)'],
  [setAt(PBKDF2, 'crypto.cipher.params', 'x'), INVALID, 'crypto.cipher.params', 'must be an object'],
  [setAt(PBKDF2, 'crypto.cipher.params.tag', 'x'), INVALID, 'crypto.cipher.params.tag', 'is not an EIP-2335 member here'],
  [setAt(PBKDF2, 'crypto.cipher.params.iv', h(15)), INVALID, 'crypto.cipher.params.iv', 'must be 16 bytes, got 15'],
  [setAt(PBKDF2, 'crypto.cipher.message', h(64)), INVALID, 'crypto.cipher.message', 'must be 32 bytes, got 64'],
  [setAt(PBKDF2, 'pubkey', h(47)), INVALID, 'pubkey', 'must be 48 bytes, got 47'],
  [setAt(PBKDF2, 'pubkey', 48), INVALID, 'pubkey', 'must be a hex string'],
  [setAt(PBKDF2, 'path', undefined), INVALID, 'path', 'is missing'],
  [setAt(PBKDF2, 'path', 1), INVALID, 'path', 'must be a string'],
  [setAt(PBKDF2, 'path', 'm'.repeat(1025)), LIMIT, 'path', 'is longer than 1024 characters'],
  [setAt(PBKDF2, 'uuid', undefined), INVALID, 'uuid', 'is missing'],
  [setAt(PBKDF2, 'uuid', `${PBKDF2.uuid}0`), LIMIT, 'uuid', 'is longer than 36 characters'],
  [setAt(PBKDF2, 'uuid', `x${PBKDF2.uuid.slice(1)}`), INVALID, 'uuid', 'must be a UUID (8-4-4-4-12 hex digits)'],
  [setAt(PBKDF2, 'uuid', PBKDF2.uuid.slice(1)), INVALID, 'uuid', 'must be a UUID (8-4-4-4-12 hex digits)'],
  [setAt(PBKDF2, 'uuid', `${PBKDF2.uuid.slice(0, 35)}`), INVALID, 'uuid', 'must be a UUID (8-4-4-4-12 hex digits)'],
  [setAt(PBKDF2, 'description', 7), INVALID, 'description', 'must be a string'],
  [setAt(PBKDF2, 'description', 'd'.repeat(4097)), LIMIT, 'description', 'is longer than 4096 characters'],
];

describe('parseKeystore: one malformed field, one exact error', () => {
  it.each(CASES.map((c, i) => [i, ...c] as const))('case %i: %s', (_i, input, code, field, message) => {
    expect(error(() => parseKeystore(input, 'k.json'))).toEqual({ code, field, message: `k.json: '${field}' ${message}` });
  });

  it('without a source the message says "keystore"; JSON text is capped and parsed', () => {
    expect(error(() => parseKeystore(setAt(PBKDF2, 'version', undefined)))).toEqual({ code: INVALID, field: 'version', message: "keystore: 'version' is missing" });
    expect(error(() => parseKeystore(undefined, 'k.json'))).toEqual({ code: INVALID, field: '$', message: "k.json: '$' is missing" });
    expect(error(() => parseKeystore(' '.repeat(64 * 1024 + 1), 'k.json'))).toEqual({ code: LIMIT, field: '$', message: "k.json: '$' is longer than 65536 characters" });
    expect(error(() => parseKeystore(' '.repeat(64 * 1024), 'k.json'))).toEqual({ code: 'INVALID_JSON', field: '$', message: "k.json: '$' is not valid JSON" });
    expect(parseKeystore(JSON.stringify(PBKDF2), 'k.json')).toEqual(PBKDF2);
  });
});

describe('parseKeystore: what is accepted and returned', () => {
  it('an EIP-2335 keystore comes back member for member, foreign members dropped, optional ones kept only when present', () => {
    expect(parseKeystore({ ...PBKDF2, name: 'ethdo' })).toStrictEqual(PBKDF2);
    const { description: _d, pubkey: _p, ...bare } = PBKDF2;
    expect(parseKeystore(bare)).toStrictEqual(bare);
    const ks = scrypt({});
    expect(parseKeystore(ks)).toStrictEqual(ks);
  });

  it('the boundaries: caps themselves are accepted', () => {
    const ok = (input: unknown) => expect(() => parseKeystore(input, 'k.json')).not.toThrow();
    ok(setAt(PBKDF2, `${KP}.c`, 2 ** 22));
    ok(setAt(PBKDF2, `${KP}.c`, 1));
    ok(setAt(PBKDF2, `${KP}.salt`, h(16)));
    ok(setAt(PBKDF2, `${KP}.salt`, h(256)));
    ok(setAt(PBKDF2, `${KP}.salt`, h(16, 'AB')));
    ok(setAt(PBKDF2, 'path', 'm'.repeat(1024)));
    ok(setAt(PBKDF2, 'path', ''));
    ok(setAt(PBKDF2, 'description', 'd'.repeat(4096)));
    ok(setAt(PBKDF2, 'uuid', PBKDF2.uuid.toLowerCase()));
    ok(scrypt({ n: 2 }));
    ok(scrypt({ n: 2 ** 20, r: 1 }));
    // r and p swapped from the refused r = 32: little memory, 2^30 work
    ok(scrypt({ r: 1, p: 32 }));
    ok(scrypt({ n: 2 ** 14, r: 8, p: 256 }));
  });

  it('validateKeystore decodes the binary fields: KDF parameters, checksum, iv, ciphertext and pubkey', () => {
    const p = validateKeystore(PBKDF2, 'k.json');
    expect(p.keystore).toStrictEqual(PBKDF2);
    expect(p.crypto.kdf).toEqual({ function: 'pbkdf2', c: 262144, dklen: 32, salt: new Uint8Array(32).fill(0xd4) });
    expect(p.crypto.checksum).toEqual(new Uint8Array(32).fill(0x8a));
    expect(p.crypto.iv).toEqual(new Uint8Array(16).fill(0x26));
    expect(p.crypto.ciphertext).toEqual(new Uint8Array(32).fill(0xa9));
    expect(p.pubkey).toEqual(new Uint8Array(48).fill(0x9a));
    expect(validateKeystore(setAt(PBKDF2, 'pubkey', undefined)).pubkey).toBeUndefined();
    expect(validateKeystore(scrypt({ r: 4, p: 2 })).crypto.kdf).toEqual({ function: 'scrypt', n: 262144, r: 4, p: 2, dklen: 32, salt: new Uint8Array(32).fill(0xd4) });
  });
});

describe('parseCryptoModule and parseKdfModule: options', () => {
  it('a bare crypto module takes any ciphertext of 1..1024 bytes unless messageLength is given; field and source name the error', () => {
    const withMessage = (bytes: number) => ({ ...PBKDF2.crypto, cipher: { ...PBKDF2.crypto.cipher, message: h(bytes) } });
    expect(parseCryptoModule(withMessage(1024)).decoded.ciphertext).toHaveLength(1024);
    expect(parseCryptoModule(withMessage(1)).decoded.ciphertext).toHaveLength(1);
    expect(parseCryptoModule(withMessage(1024)).module).toStrictEqual(withMessage(1024));
    expect(error(() => parseCryptoModule(withMessage(1025)))).toEqual({ code: INVALID, field: 'crypto.cipher.message', message: "keystore: 'crypto.cipher.message' must be 1..1024 bytes, got 1025" });
    expect(error(() => parseCryptoModule(withMessage(0)))).toEqual({ code: INVALID, field: 'crypto.cipher.message', message: "keystore: 'crypto.cipher.message' must be 1..1024 bytes, got 0" });
    expect(error(() => parseCryptoModule(withMessage(31), { messageLength: 32, source: 's', field: 'shares[0]' }))).toEqual({ code: INVALID, field: 'shares[0].cipher.message', message: "s: 'shares[0].cipher.message' must be 32 bytes, got 31" });
    expect(error(() => parseCryptoModule(undefined, { field: 'x' }))).toEqual({ code: INVALID, field: 'x', message: "keystore: 'x' is missing" });
  });

  it('parseKdfModule checks a kdf module alone, named by field and source', () => {
    expect(parseKdfModule(SCRYPT_KDF).params).toEqual({ function: 'scrypt', n: 262144, r: 8, p: 1, dklen: 32, salt: new Uint8Array(32).fill(0xd4) });
    expect(parseKdfModule(SCRYPT_KDF).module).toStrictEqual(SCRYPT_KDF);
    expect(error(() => parseKdfModule({ ...SCRYPT_KDF, message: 'x' }))).toEqual({ code: INVALID, field: 'crypto.kdf.message', message: "keystore: 'crypto.kdf.message' must be \"\"" });
    expect(error(() => parseKdfModule({ ...SCRYPT_KDF, params: { ...SCRYPT_KDF.params, n: 3 } }, { source: 'plan.json', field: 'kdf' }))).toEqual({ code: INVALID, field: 'kdf.params.n', message: "plan.json: 'kdf.params.n' must be a power of two, got 3" });
  });
});
