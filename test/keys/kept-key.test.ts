/**
 * Keys kept from encryption (issue 14): a keystore read back is checked by value against what was written and
 * opened without a KDF; every altered field is caught with its own field name; a sample without a kept key still
 * runs the KDF from its password.
 */
import { describe, expect, it } from 'vitest';
import { encryptKeystoresKeepingKeys, openKeystores } from '../../src/keys/batch.js';
import type { KeptKeystore } from '../../src/keys/kept-key.js';
import type { Keystore } from '../../src/keys/keystore-format.js';
import { decryptKeystore } from '../../src/keys/keystore.js';

const SECRET = Buffer.from('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', 'hex');
const OTHER = Buffer.from('47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138', 'hex');

async function make(kdf: 'scrypt' | 'pbkdf2', secret: Uint8Array = SECRET): Promise<KeptKeystore> {
  const [k] = await encryptKeystoresKeepingKeys([{ secret, password: 'pw', options: { kdf, kdfParams: kdf === 'scrypt' ? { n: 16 } : { c: 16 } } }]);
  return k!;
}

function edit(ks: Keystore, f: (c: Record<string, any>) => void): Keystore {
  const copy = JSON.parse(JSON.stringify(ks)) as Keystore;
  f(copy);
  return copy;
}

/** Flips the last hex digit of a hex string. */
const flip = (h: string): string => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');

describe('KeptKey', () => {
  it.each(['scrypt', 'pbkdf2'] as const)('opens the %s keystore it encrypted, equal to decrypting from the password', async (kdf) => {
    const { keystore, key } = await make(kdf);
    expect(Buffer.from(key.open(keystore, 'a.json')).toString('hex')).toBe(SECRET.toString('hex'));
    expect(Buffer.from(await decryptKeystore(keystore, 'pw')).toString('hex')).toBe(SECRET.toString('hex'));
    key.wipe();
    expect(key.wiped).toBe(true);
    expect(() => key.open(keystore)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'key' }));
  });

  const scryptCases: [string, (c: Record<string, any>) => void][] = [
    ['crypto.kdf.params.salt', (c) => (c.crypto.kdf.params.salt = flip(c.crypto.kdf.params.salt))],
    ['crypto.kdf.params.n', (c) => (c.crypto.kdf.params.n = 32)],
    ['crypto.kdf.params.r', (c) => (c.crypto.kdf.params.r = 4)],
    ['crypto.kdf.params.p', (c) => (c.crypto.kdf.params.p = 2)],
    ['crypto.cipher.params.iv', (c) => (c.crypto.cipher.params.iv = flip(c.crypto.cipher.params.iv))],
    ['crypto.checksum.message', (c) => (c.crypto.checksum.message = flip(c.crypto.checksum.message))],
    ['crypto.cipher.message', (c) => (c.crypto.cipher.message = flip(c.crypto.cipher.message))],
  ];
  it.each(scryptCases)('catches an altered %s (IO_FAILED naming it)', async (field, f) => {
    const { keystore, key } = await make('scrypt');
    expect(() => key.open(edit(keystore, f), 'op/keystore-1.json')).toThrow(
      expect.objectContaining({ code: 'IO_FAILED', field, message: expect.stringContaining('read-back of op/keystore-1.json') }),
    );
  });

  it('catches a pbkdf2 keystore with another c, or another kdf altogether', async () => {
    const { keystore, key } = await make('pbkdf2');
    expect(() => key.open(edit(keystore, (c) => (c.crypto.kdf.params.c = 17)))).toThrow(expect.objectContaining({ code: 'IO_FAILED', field: 'crypto.kdf.params.c' }));
    const other = await make('scrypt');
    expect(() => key.open(other.keystore)).toThrow(expect.objectContaining({ code: 'IO_FAILED', field: 'crypto.kdf.function' }));
  });

  it('catches a keystore whose pubkey is not its secret\'s (every compared field matches)', async () => {
    const { keystore, key } = await make('pbkdf2');
    const stranger = await make('pbkdf2', OTHER);
    // this keystore's crypto with the pubkey of another key: every byte compared matches, the pubkey check fails
    expect(() => key.open({ ...keystore, pubkey: stranger.keystore.pubkey! })).toThrow(expect.objectContaining({ code: 'KEYSTORE_PUBKEY_MISMATCH', field: 'pubkey' }));
  });
});

describe('openKeystores', () => {
  it('opens items with a kept key without the KDF and derives the others from their passwords', async () => {
    const a = await make('pbkdf2');
    const b = await make('pbkdf2', OTHER);
    // a wrong password does not matter with a kept key (no KDF runs) ...
    const got = await openKeystores([{ keystore: a.keystore, password: 'wrong', key: a.key }, { keystore: b.keystore, password: 'pw' }]);
    expect(got.map((s) => Buffer.from(s).toString('hex'))).toEqual([SECRET.toString('hex'), OTHER.toString('hex')]);
    // ... and does without one: the sample really runs the KDF
    await expect(openKeystores([{ keystore: a.keystore, password: 'pw', key: a.key }, { keystore: b.keystore, password: 'wrong', source: 'b.json' }])).rejects.toMatchObject({ code: 'WRONG_PASSWORD', field: 'crypto.checksum.message' });
  });

  it('reports progress over both kinds', async () => {
    const a = await make('pbkdf2');
    const b = await make('pbkdf2', OTHER);
    const seen: [number, number][] = [];
    await openKeystores([{ keystore: a.keystore, password: 'pw', key: a.key }, { keystore: b.keystore, password: 'pw' }], { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen[0]).toEqual([1, 2]);
    expect(seen.at(-1)).toEqual([2, 2]);
  });
});
