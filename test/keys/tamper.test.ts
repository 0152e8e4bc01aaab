/**
 * Tamper tests (design.md section 2.11): change one field of a valid keystore and expect one specific error.
 * EIP-2335 authenticates only what the checksum covers (the KDF output and the ciphertext); `uuid`, `path` and
 * `description` are unauthenticated metadata, so a valid-looking change to them is not detected (asserted below),
 * and an altered iv is caught only through the `pubkey` check.
 */
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { bytesToHex } from '../../src/bytes.js';
import type { Keystore } from '../../src/keys/keystore-format.js';
import { decryptKeystore, encryptKeystore } from '../../src/keys/keystore.js';
import { expectCode, lowCost, TEST_SECRET_HEX, testSecret } from '../helpers/keys.js';
import { toHex } from '../helpers/vectors.js';

type Mutable = Record<string, unknown>;

/** A deep copy of `ks` with the value at `path` (dot-separated) replaced, or deleted when `value` is undefined. */
function setAt(ks: Keystore, path: string, value: unknown): Keystore {
  const copy = JSON.parse(JSON.stringify(ks)) as Mutable;
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] as Mutable;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return copy as unknown as Keystore;
}

/** Flips the last hex digit of a hex string. */
function flip(h: string): string {
  const last = h.at(-1)!;
  return h.slice(0, -1) + (last === '0' ? '1' : '0');
}

const otherPubkey = bytesToHex(secretKeyToPublicKey(Uint8Array.from({ length: 32 }, (_, i) => i + 1)));

type Case = readonly [name: string, path: string, value: (ks: Keystore) => unknown, code: string, field: string];

const WRONG = 'WRONG_PASSWORD';
const CHECKSUM = 'crypto.checksum.message';
const SALT = 'crypto.kdf.params.salt';
const IV = 'crypto.cipher.params.iv';
const CIPHERTEXT = 'crypto.cipher.message';

const common: Case[] = [
  ['version 3', 'version', () => 3, 'KEYSTORE_UNSUPPORTED', 'version'],
  ['version "4"', 'version', () => '4', 'KEYSTORE_UNSUPPORTED', 'version'],
  ['version missing', 'version', () => undefined, 'KEYSTORE_INVALID', 'version'],
  ['uuid malformed', 'uuid', () => 'not-a-uuid', 'KEYSTORE_INVALID', 'uuid'],
  ['path not a string', 'path', () => 5, 'KEYSTORE_INVALID', 'path'],
  ['path missing', 'path', () => undefined, 'KEYSTORE_INVALID', 'path'],
  ['description not a string', 'description', () => 7, 'KEYSTORE_INVALID', 'description'],
  ['pubkey of another key', 'pubkey', () => otherPubkey, 'KEYSTORE_PUBKEY_MISMATCH', 'pubkey'],
  ['pubkey 47 bytes', 'pubkey', (k) => k.pubkey!.slice(2), 'KEYSTORE_INVALID', 'pubkey'],
  ['pubkey with 0x', 'pubkey', (k) => `0x${k.pubkey!}`, 'KEYSTORE_INVALID', 'pubkey'],
  ['extra crypto member', 'crypto.mac', () => 'x', 'KEYSTORE_INVALID', 'crypto.mac'],
  ['kdf function', 'crypto.kdf.function', () => 'argon2id', 'KEYSTORE_UNSUPPORTED', 'crypto.kdf.function'],
  ['kdf message', 'crypto.kdf.message', () => 'x', 'KEYSTORE_INVALID', 'crypto.kdf.message'],
  ['kdf dklen 64', 'crypto.kdf.params.dklen', () => 64, 'KEYSTORE_UNSUPPORTED', 'crypto.kdf.params.dklen'],
  ['kdf salt altered', SALT, (k) => flip(k.crypto.kdf.params.salt), WRONG, CHECKSUM],
  ['kdf salt not hex', SALT, () => 'zz'.repeat(32), 'KEYSTORE_INVALID', SALT],
  ['kdf salt 8 bytes', SALT, () => '00'.repeat(8), 'KEYSTORE_UNSUPPORTED', SALT],
  ['checksum function', 'crypto.checksum.function', () => 'sha512', 'KEYSTORE_UNSUPPORTED', 'crypto.checksum.function'],
  ['checksum params', 'crypto.checksum.params', () => ({ a: 1 }), 'KEYSTORE_INVALID', 'crypto.checksum.params.a'],
  ['checksum altered', CHECKSUM, (k) => flip(k.crypto.checksum.message), WRONG, CHECKSUM],
  ['checksum 31 bytes', CHECKSUM, (k) => k.crypto.checksum.message.slice(2), 'KEYSTORE_INVALID', CHECKSUM],
  ['cipher function', 'crypto.cipher.function', () => 'aes-256-ctr', 'KEYSTORE_UNSUPPORTED', 'crypto.cipher.function'],
  ['cipher iv altered', IV, (k) => flip(k.crypto.cipher.params.iv), 'KEYSTORE_PUBKEY_MISMATCH', 'pubkey'],
  ['cipher iv 15 bytes', IV, (k) => k.crypto.cipher.params.iv.slice(2), 'KEYSTORE_INVALID', IV],
  ['cipher iv missing', IV, () => undefined, 'KEYSTORE_INVALID', IV],
  ['cipher message altered', CIPHERTEXT, (k) => flip(k.crypto.cipher.message), WRONG, CHECKSUM],
  ['cipher message 31 bytes', CIPHERTEXT, (k) => k.crypto.cipher.message.slice(2), 'KEYSTORE_INVALID', CIPHERTEXT],
];

const scrypt: Case[] = [
  ['n altered', 'crypto.kdf.params.n', () => 32, WRONG, CHECKSUM],
  ['n not a power of two', 'crypto.kdf.params.n', () => 24, 'KEYSTORE_INVALID', 'crypto.kdf.params.n'],
  ['n = 1', 'crypto.kdf.params.n', () => 1, 'KEYSTORE_INVALID', 'crypto.kdf.params.n'],
  ['n above the cap', 'crypto.kdf.params.n', () => 2 ** 21, 'LIMIT_EXCEEDED', 'crypto.kdf.params.n'],
  ['n as a string', 'crypto.kdf.params.n', () => '16', 'KEYSTORE_INVALID', 'crypto.kdf.params.n'],
  ['r altered', 'crypto.kdf.params.r', () => 9, WRONG, CHECKSUM],
  ['r = 0', 'crypto.kdf.params.r', () => 0, 'KEYSTORE_INVALID', 'crypto.kdf.params.r'],
  ['p altered', 'crypto.kdf.params.p', () => 2, WRONG, CHECKSUM],
  ['p fractional', 'crypto.kdf.params.p', () => 1.5, 'KEYSTORE_INVALID', 'crypto.kdf.params.p'],
  ['extra scrypt param', 'crypto.kdf.params.c', () => 16, 'KEYSTORE_INVALID', 'crypto.kdf.params.c'],
];

const pbkdf2: Case[] = [
  ['c altered', 'crypto.kdf.params.c', () => 17, WRONG, CHECKSUM],
  ['c = 0', 'crypto.kdf.params.c', () => 0, 'KEYSTORE_INVALID', 'crypto.kdf.params.c'],
  ['c above the cap', 'crypto.kdf.params.c', () => 2 ** 23, 'LIMIT_EXCEEDED', 'crypto.kdf.params.c'],
  ['prf', 'crypto.kdf.params.prf', () => 'hmac-sha512', 'KEYSTORE_UNSUPPORTED', 'crypto.kdf.params.prf'],
  ['prf missing', 'crypto.kdf.params.prf', () => undefined, 'KEYSTORE_INVALID', 'crypto.kdf.params.prf'],
];

describe.each([
  ['scrypt', [...common, ...scrypt]],
  ['pbkdf2', [...common, ...pbkdf2]],
] as const)('tamper %s keystore', (kdf, cases) => {
  let original: Keystore | undefined;
  const keystore = async (): Promise<Keystore> =>
    (original ??= await encryptKeystore(testSecret(), 'pw', { ...lowCost(kdf), description: 'd', path: '' }));

  it('the untouched keystore decrypts', async () => {
    expect(toHex(await decryptKeystore(await keystore(), 'pw'))).toBe(`0x${TEST_SECRET_HEX}`);
  });

  it('a wrong password gives WRONG_PASSWORD', async () => {
    await expectCode(() => decryptKeystore(original!, 'pW'), 'WRONG_PASSWORD', 'crypto.checksum.message');
  });

  // issue 19: the checksum is compared over all 32 bytes, and is SHA-256(DK[16..32] || ciphertext) as EIP-2335 says
  it.each([0, 15, 31])('a checksum with byte %i changed gives WRONG_PASSWORD', async (at) => {
    const ks = await keystore();
    const sum = Buffer.from(ks.crypto.checksum.message, 'hex');
    sum[at]! ^= 0x80;
    await expectCode(() => decryptKeystore(setAt(ks, CHECKSUM, sum.toString('hex')), 'pw'), WRONG, CHECKSUM);
  });

  it('the checksum is SHA-256(DK[16..32] || ciphertext), recomputed from the KDF independently', async () => {
    const ks = await keystore();
    const p = ks.crypto.kdf.params as Record<string, unknown>;
    const salt = Buffer.from(p['salt'] as string, 'hex');
    const dk = kdf === 'scrypt' ? nobleScrypt('pw', salt, { N: p['n'] as number, r: p['r'] as number, p: p['p'] as number, dkLen: 32 }) : noblePbkdf2(sha256, 'pw', salt, { c: p['c'] as number, dkLen: 32 });
    const expected = sha256(Uint8Array.from([...dk.subarray(16, 32), ...Buffer.from(ks.crypto.cipher.message, 'hex')]));
    expect(ks.crypto.checksum.message).toBe(Buffer.from(expected).toString('hex'));
  });

  it.each(cases)('%s', async (_name, path, value, code, field) => {
    const ks = await keystore();
    const tampered = setAt(ks, path, value(ks));
    const e = await expectCode(() => decryptKeystore(tampered, 'pw', { source: 'share-1.json' }), code, field);
    expect(e.message).toContain('share-1.json');
    expect(e.message).toContain(`'${field}'`);
  });

  it.each([
    ['uuid', '01234567-89ab-4def-8123-456789abcdef'],
    ['path', 'm/12381/3600/7/0/0'],
    ['description', 'something else'],
    ['description', undefined],
    ['pubkey', undefined],
  ] as const)('unauthenticated metadata: %s changed to %s still decrypts', async (path, value) => {
    const ks = await keystore();
    expect(toHex(await decryptKeystore(setAt(ks, path, value), 'pw'))).toBe(`0x${TEST_SECRET_HEX}`);
  });
});
