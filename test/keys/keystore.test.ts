/**
 * EIP-2335 keystores: round trips, interop both ways with @chainsafe/bls-keystore for both KDFs (one real-cost run
 * per KDF), KDF backends, input checks, caps against hostile files, and that errors never carry a secret.
 */
import {
  create as csCreate,
  decrypt as csDecrypt,
  defaultPbkdfModule,
  defaultScryptModule,
  isValidKeystore,
  type IKeystore,
} from '@chainsafe/bls-keystore';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { AbortedError } from '../../src/errors.js';
import { deriveKey, type KdfBackend, type KdfParams } from '../../src/keys/kdf.js';
import { parseKeystore, type Keystore } from '../../src/keys/keystore-format.js';
import {
  decryptKeystore,
  describeShare,
  encryptKeystore,
  keystoreToJson,
} from '../../src/keys/keystore.js';
import { generatePassword, normalizePassword } from '../../src/keys/password.js';
import { SecretBytes } from '../../src/types.js';
import { caught, expectCode, lowCost, TEST_PUBKEY_HEX, TEST_SECRET_HEX, testSecret } from '../helpers/keys.js';
import { insecureTestRng } from '../helpers/rng.js';
import { toHex } from '../helpers/vectors.js';

const KDFS = ['scrypt', 'pbkdf2'] as const;

describe('encrypt and decrypt', () => {
  it.each(KDFS)('%s round trip at test cost, with the documented fields', async (kdf) => {
    const ks = await encryptKeystore(testSecret(), 'correct horse', { ...lowCost(kdf), path: 'm/12381/3600/0/0/0' });
    expect(ks.version).toBe(4);
    expect(ks.pubkey).toBe(TEST_PUBKEY_HEX);
    expect(ks.path).toBe('m/12381/3600/0/0/0');
    expect(ks.description).toBe('');
    expect(ks.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ks.crypto.kdf.function).toBe(kdf);
    expect(ks.crypto.kdf.params.salt).toHaveLength(64);
    expect(ks.crypto.cipher.params.iv).toHaveLength(32);
    const secret = await decryptKeystore(parseKeystore(keystoreToJson(ks)), 'correct horse');
    expect(secret).toBeInstanceOf(SecretBytes);
    expect(Buffer.from(secret).toString('hex')).toBe(TEST_SECRET_HEX);
    expect(String(secret)).toBe('<redacted>');
  });

  it('is deterministic for a fixed rng, and fresh salt/iv/uuid otherwise', async () => {
    const a = await encryptKeystore(testSecret(), 'pw', lowCost('pbkdf2', 7));
    const b = await encryptKeystore(testSecret(), 'pw', lowCost('pbkdf2', 7));
    expect(a).toEqual(b);
    const c = await encryptKeystore(testSecret(), 'pw', { kdf: 'pbkdf2', kdfParams: { c: 16 } });
    const d = await encryptKeystore(testSecret(), 'pw', { kdf: 'pbkdf2', kdfParams: { c: 16 } });
    expect(c.crypto.kdf.params.salt).not.toBe(d.crypto.kdf.params.salt);
    expect(c.crypto.cipher.params.iv).not.toBe(d.crypto.cipher.params.iv);
    expect(c.uuid).not.toBe(d.uuid);
  });

  it('normalises passwords as EIP-2335 says (NFKD, control codes stripped; bytes are UTF-8)', async () => {
    const ks = await encryptKeystore(testSecret(), 'testpassword🔑', lowCost('scrypt'));
    const variants = ['𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑', 'testpassword🔑\n', new TextEncoder().encode('test\u0007password🔑\r\n')];
    for (const pw of variants) {
      expect(toHex(await decryptKeystore(ks, pw))).toBe(`0x${TEST_SECRET_HEX}`);
    }
    await expectCode(() => normalizePassword(Uint8Array.of(0x80)), 'INVALID_ARGUMENT', 'password');
    await expectCode(() => normalizePassword('a\ud800b'), 'INVALID_ARGUMENT', 'password');
    await expectCode(() => normalizePassword('x'.repeat(4097)), 'LIMIT_EXCEEDED', 'password');
  });

  it('a keystore without pubkey (optional in EIP-2335) still decrypts', async () => {
    const { pubkey: _omit, ...rest } = await encryptKeystore(testSecret(), 'pw', lowCost('pbkdf2'));
    expect(toHex(await decryptKeystore(parseKeystore(rest), 'pw'))).toBe(`0x${TEST_SECRET_HEX}`);
  });

  it('drops unknown top-level members (ethdo/Charon "name") and accepts uppercase hex and uuid', async () => {
    const ks = await encryptKeystore(testSecret(), 'pw', lowCost('pbkdf2'));
    const upper = keystoreToJson(ks).replace(/"([0-9a-f-]{16,})"/g, (_m, h: string) => `"${h.toUpperCase()}"`);
    const loud = JSON.parse(upper);
    const parsed = parseKeystore({ ...loud, name: 'keystore' }, 'upper.json');
    expect(Object.keys(parsed)).toEqual(['crypto', 'description', 'pubkey', 'path', 'uuid', 'version']);
    expect(toHex(await decryptKeystore(parsed, 'pw'))).toBe(`0x${TEST_SECRET_HEX}`);
  });

  it('describeShare says which share of which validator', () => {
    const validatorPubkey = Buffer.from(TEST_PUBKEY_HEX, 'hex');
    const text = describeShare({ shareIndex: 3n, threshold: 4, total: 6, validatorPubkey });
    expect(text).toBe(`dvkeys share 3 (threshold 4 of 6) of validator 0x${TEST_PUBKEY_HEX}`);
  });

  it('generatePassword gives 64 hex characters (256 bits) that survive normalisation', () => {
    const pw = generatePassword();
    expect(pw).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(normalizePassword(pw)).toString()).toBe(pw);
    expect(generatePassword(insecureTestRng(1))).toBe(generatePassword(insecureTestRng(1)));
  });
});

describe('encryptKeystore input checks', () => {
  const opts = lowCost('pbkdf2');
  it.each([
    ['31-byte secret', new Uint8Array(31), 'INVALID_LENGTH'],
    ['zero secret', new Uint8Array(32), 'ZERO_SCALAR'],
    ['secret >= r', new Uint8Array(32).fill(0xff), 'SCALAR_OUT_OF_RANGE'],
  ] as const)('%s', async (_n, secret, code) => {
    await expectCode(() => encryptKeystore(secret, 'pw', opts), code, 'secret');
  });

  it('refuses an empty password, a bad kdf, mixed or capped costs and a bad uuid', async () => {
    await expectCode(() => encryptKeystore(testSecret(), '\n', opts), 'INVALID_ARGUMENT', 'password');
    const argon = { kdf: 'argon2' as 'scrypt' };
    await expectCode(() => encryptKeystore(testSecret(), 'pw', argon), 'INVALID_ARGUMENT', 'kdf');
    const mixed = { kdf: 'scrypt', kdfParams: { c: 16 } } as const;
    await expectCode(() => encryptKeystore(testSecret(), 'pw', mixed), 'INVALID_ARGUMENT');
    await expectCode(
      () => encryptKeystore(testSecret(), 'pw', { kdf: 'scrypt', kdfParams: { n: 2 ** 21 } }),
      'LIMIT_EXCEEDED',
      'crypto.kdf.params.n',
    );
    await expectCode(
      () => encryptKeystore(testSecret(), 'pw', { kdf: 'pbkdf2', kdfParams: { c: 2 ** 23 } }),
      'LIMIT_EXCEEDED',
      'crypto.kdf.params.c',
    );
    await expectCode(() => encryptKeystore(testSecret(), 'pw', { ...opts, uuid: 'nope' }), 'INVALID_ARGUMENT', 'uuid');
  });

  it('stops on an aborted signal', async () => {
    const signal = AbortSignal.abort();
    expect(await caught(() => encryptKeystore(testSecret(), 'pw', { ...opts, signal }))).toBeInstanceOf(AbortedError);
  });

  it('aborts a running pure-JS scrypt within a fraction of its run time', async () => {
    // CPU time of this process, not wall time: pure-JS scrypt runs on this thread, and CPU time does not stretch
    // when the machine is loaded (a whole EIP-2335 scrypt costs several CPU seconds here).
    const ctl = new AbortController();
    const c0 = process.cpuUsage();
    setTimeout(() => ctl.abort(), 50);
    const e = await caught(() =>
      encryptKeystore(testSecret(), 'pw', { kdf: 'scrypt', kdfBackend: 'noble', signal: ctl.signal }),
    );
    expect(e).toBeInstanceOf(AbortedError);
    const cpu = process.cpuUsage(c0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000);
  });
});

describe('interop with @chainsafe/bls-keystore 3.1.0', () => {
  const csModule = (kdf: 'scrypt' | 'pbkdf2'): Parameters<typeof csCreate>[5] =>
    kdf === 'scrypt'
      ? { function: 'scrypt', params: { ...defaultScryptModule().params, n: 16 } }
      : { function: 'pbkdf2', params: { ...defaultPbkdfModule().params, c: 16 } };

  it.each(KDFS)('%s: our keystore passes its schema and opens with it', async (kdf) => {
    const ks = await encryptKeystore(testSecret(), 'pässword', lowCost(kdf));
    expect(isValidKeystore(ks)).toBe(true);
    expect(Buffer.from(await csDecrypt(ks as IKeystore, 'pässword')).toString('hex')).toBe(TEST_SECRET_HEX);
  });

  it.each(KDFS)('%s: its keystore opens with ours', async (kdf) => {
    const pubkey = Buffer.from(TEST_PUBKEY_HEX, 'hex');
    const theirs = await csCreate('pässword', testSecret(), pubkey, 'm/12381/3600/0/0/0', 'theirs', csModule(kdf));
    const parsed = parseKeystore(JSON.stringify(theirs), 'chainsafe.json');
    expect(toHex(await decryptKeystore(parsed, 'pässword'))).toBe(`0x${TEST_SECRET_HEX}`);
  });

  it.each(KDFS)('%s at the real cost (2^18): ours encrypts, chainsafe decrypts', async (kdf) => {
    const ks = await encryptKeystore(testSecret(), 'real cost', { kdf });
    if (kdf === 'scrypt') expect(ks.crypto.kdf.params).toMatchObject({ n: 2 ** 18, r: 8, p: 1, dklen: 32 });
    else expect(ks.crypto.kdf.params).toMatchObject({ c: 2 ** 18, prf: 'hmac-sha256', dklen: 32 });
    expect(Buffer.from(await csDecrypt(ks as IKeystore, 'real cost')).toString('hex')).toBe(TEST_SECRET_HEX);
  });
});

describe('KDF backends agree (node:crypto, WebCrypto + noble, noble)', () => {
  const rng = insecureTestRng('kdf');
  const cases: KdfParams[] = [
    { function: 'scrypt', n: 16, r: 8, p: 1, dklen: 32, salt: rng(32) },
    { function: 'scrypt', n: 1024, r: 1, p: 8, dklen: 32, salt: rng(16) },
    { function: 'scrypt', n: 2, r: 3, p: 2, dklen: 32, salt: rng(256) },
    { function: 'pbkdf2', c: 1, dklen: 32, salt: rng(32) },
    { function: 'pbkdf2', c: 1000, dklen: 32, salt: rng(17) },
  ];
  it.each(cases.map((c, i) => [i, c] as const))('case %i', async (_i, params) => {
    const pw = normalizePassword('pässword🔑');
    const backends: KdfBackend[] = ['node', 'web', 'noble'];
    const outs = await Promise.all(backends.map((backend) => deriveKey(params, pw, { backend })));
    expect(toHex(outs[1]!)).toBe(toHex(outs[0]!));
    expect(toHex(outs[2]!)).toBe(toHex(outs[0]!));
  });

  it('a keystore made with one backend opens with the others', async () => {
    const ks = await encryptKeystore(testSecret(), 'pw', { ...lowCost('scrypt'), kdfBackend: 'noble' });
    for (const kdfBackend of ['node', 'web'] as const) {
      expect(toHex(await decryptKeystore(ks, 'pw', { kdfBackend }))).toBe(`0x${TEST_SECRET_HEX}`);
    }
  });
});

describe('caps against hostile keystores', () => {
  const base = async (kdf: 'scrypt' | 'pbkdf2'): Promise<Keystore> => encryptKeystore(testSecret(), 'pw', lowCost(kdf));
  const withKdfParams = (ks: Keystore, params: Record<string, unknown>): unknown => ({
    ...ks,
    crypto: { ...ks.crypto, kdf: { ...ks.crypto.kdf, params: { ...ks.crypto.kdf.params, ...params } } },
  });

  it.each([
    ['scrypt n = 2^30', 'scrypt', { n: 2 ** 30 }, 'crypto.kdf.params.n'],
    ['scrypt r = 2^20 (128 GiB)', 'scrypt', { n: 2 ** 18, r: 2 ** 20 }, 'crypto.kdf.params'],
    ['scrypt p = 2^24 (B array of 16 GiB)', 'scrypt', { n: 2, r: 8, p: 2 ** 24 }, 'crypto.kdf.params'],
    ['scrypt n*r*p work above 16x default', 'scrypt', { n: 2 ** 18, r: 8, p: 17 }, 'crypto.kdf.params'],
    // issue 19: memory 128*r*(n+p+2) just above 1 GiB with the work (2^30) under its cap: only the memory cap refuses
    ['scrypt n = 2^18, r = 32 (memory above 1 GiB)', 'scrypt', { n: 2 ** 18, r: 32, p: 1 }, 'crypto.kdf.params'],
    ['pbkdf2 c = 2^40', 'pbkdf2', { c: 2 ** 40 }, 'crypto.kdf.params.c'],
  ] as const)('%s is refused before any work', async (_n, kdf, params, field) => {
    const hostile = withKdfParams(await base(kdf), params);
    const t0 = performance.now();
    await expectCode(() => parseKeystore(hostile, 'hostile.json'), 'LIMIT_EXCEEDED', field);
    await expectCode(() => decryptKeystore(hostile as Keystore, 'pw'), 'LIMIT_EXCEEDED', field);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('the memory cap counts 128 * r * (n + p + 2) bytes, r and p not interchangeable (issue 19)', async () => {
    const hostile = withKdfParams(await base('scrypt'), { n: 2 ** 18, r: 32, p: 1 });
    const e = await expectCode(() => parseKeystore(hostile, 'hostile.json'), 'LIMIT_EXCEEDED', 'crypto.kdf.params');
    expect(e.message).toContain('n, r and p need more memory than the 1024 MiB cap');
    // the mirror image (r = 1, p = 32) needs only 32 MiB and is accepted by the parser
    expect(() => parseKeystore(withKdfParams(hostile as Keystore, { r: 1, p: 32 }), 'ok.json')).not.toThrow();
  });

  it('refuses oversized text and fields, and malformed JSON', async () => {
    const ks = await base('pbkdf2');
    await expectCode(() => parseKeystore(' '.repeat(64 * 1024 + 1), 'big.json'), 'LIMIT_EXCEEDED', '$');
    await expectCode(() => parseKeystore({ ...ks, description: 'x'.repeat(4097) }), 'LIMIT_EXCEEDED', 'description');
    await expectCode(() => parseKeystore({ ...ks, path: 'm'.repeat(1025) }), 'LIMIT_EXCEEDED', 'path');
    const e = await expectCode(() => parseKeystore('{"version": 4,', 'broken.json'), 'INVALID_JSON', '$');
    expect(e.message).toContain('broken.json');
    await expectCode(() => parseKeystore('[]'), 'KEYSTORE_INVALID', '$');
    // Deep nesting inside the size cap parses (V8's JSON.parse is iterative) and is ignored.
    const deep = keystoreToJson(ks).replace(/}\s*$/, `, "x": ${'['.repeat(20000)}${']'.repeat(20000)}}`);
    expect(parseKeystore(deep).uuid).toBe(ks.uuid);
  });
});

describe('errors never carry a password or a secret', () => {
  it('wrong-password and tamper errors', async () => {
    const password = 'hunter2-very-secret-password';
    const ks = await encryptKeystore(testSecret(), password, lowCost('scrypt'));
    const other = { ...ks, pubkey: '8'.padEnd(96, '0') };
    const errors = [
      await caught(() => decryptKeystore(ks, `${password}x`, { source: 'a.json' })),
      await caught(() => decryptKeystore(other, password, { source: 'b.json' })),
      await caught(() => decryptKeystore({ ...ks, version: 3 as 4 }, password, { source: 'c.json' })),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error);
      const err = e as Error;
      const text = [String(err), err.message, err.stack ?? '', JSON.stringify(err), String(err.cause)].join('\n');
      expect(text).not.toContain(password);
      expect(text.toLowerCase()).not.toContain(TEST_SECRET_HEX);
      expect(text).toMatch(/[abc]\.json/);
    }
  });
});

describe('docs example', () => {
  it('docs/formats/keystore.md shows what encryptKeystore writes, and it decrypts', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'formats', 'keystore.md'), 'utf8');
    const block = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    const validator = secretKeyToPublicKey(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
    const ks = await encryptKeystore(testSecret(), 'dvkeys example password', {
      kdf: 'pbkdf2',
      description: describeShare({ shareIndex: 2, threshold: 3, total: 4, validatorPubkey: validator }),
      rng: insecureTestRng('docs/formats/keystore.md'),
    });
    expect(block).toBe(keystoreToJson(ks));
    const secret = await decryptKeystore(parseKeystore(block, 'keystore.md'), 'dvkeys example password');
    expect(toHex(secret)).toBe(`0x${TEST_SECRET_HEX}`);
  });
});
