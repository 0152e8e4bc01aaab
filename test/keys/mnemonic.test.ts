/**
 * BIP-39 validation rules, EIP-2334 path parsing, and EIP-2333 derivation checked against @chainsafe/bls-hd-key
 * on random seeds (our implementation is hand-written: docs/decisions/0201-eip2333-implementation.md).
 */
import { deriveChildSK as hdChild, deriveMasterSK as hdMaster, pathToIndices } from '@chainsafe/bls-hd-key';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveChildSK, deriveMasterSK } from '../../src/keys/eip2333.js';
import {
  BIP39_LANGUAGES,
  deriveKeyFromPath,
  deriveValidatorKeys,
  loadBip39Wordlists,
  mnemonicToSeed,
  parsePath,
  validateMnemonic,
} from '../../src/keys/mnemonic.js';
import { expectCode } from '../helpers/keys.js';
import { toHex } from '../helpers/vectors.js';

const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const TEST_WASTE = 'test test test test test test test test test test test waste';

beforeAll(() => loadBip39Wordlists());

describe('validateMnemonic', () => {
  it('knows all ten @scure/bip39 wordlists', () => {
    expect(BIP39_LANGUAGES).toHaveLength(10);
    expect(validateMnemonic(entropyToMnemonic(new Uint8Array(16).fill(7), french))).toBe('french');
  });

  it('accepts extra whitespace, uppercase and ideographic spaces, with the same seed', async () => {
    const seed = toHex(await mnemonicToSeed(ABANDON, 'TREZOR'));
    for (const variant of [`  ${ABANDON.toUpperCase()}\n`, ABANDON.replaceAll(' ', '\t  ')]) {
      expect(validateMnemonic(variant)).toBe('english');
      expect(toHex(await mnemonicToSeed(variant, 'TREZOR'))).toBe(seed);
    }
    const ja = entropyToMnemonic(new Uint8Array(16), japanese);
    expect(ja).toContain('\u3000');
    expect(toHex(await mnemonicToSeed(ja))).toBe(toHex(await mnemonicToSeed(ja.replaceAll('\u3000', ' '))));
  });

  it.each([
    ['a wrong word count', 'abandon '.repeat(11).trim(), /11 words/],
    ['an unknown word (by position, never the word)', ABANDON.replace('about', 'zzzzz'), /word 12 is in no/],
    ['a bad checksum', ABANDON.replace('about', 'abandon'), /checksum/],
    ['mixed languages', ABANDON.replace('abandon', 'abaisser'), /different BIP-39 languages/],
    ['a phrase valid in both Chinese lists', '的 的 的 的 的 的 的 的 的 的 的 在', /more than one wordlist/],
  ])('refuses %s', async (_n, phrase, message) => {
    const e = await expectCode(() => validateMnemonic(phrase), 'MNEMONIC_INVALID', 'mnemonic');
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('zzzzz');
  });

  it('refuses an oversized phrase and passphrase, and a non-string', async () => {
    await expectCode(() => validateMnemonic('abandon '.repeat(300)), 'MNEMONIC_INVALID');
    await expectCode(() => validateMnemonic(42 as unknown as string), 'MNEMONIC_INVALID');
    await expectCode(() => mnemonicToSeed(ABANDON, 'x'.repeat(4097)), 'INVALID_ARGUMENT', 'passphrase');
    await expectCode(() => mnemonicToSeed(ABANDON, '\ud800'), 'INVALID_ARGUMENT', 'passphrase');
  });
});

describe('parsePath (EIP-2334)', () => {
  it('parses signing and withdrawal paths', () => {
    expect(parsePath('m/12381/3600/0/0/0')).toEqual([12381, 3600, 0, 0, 0]);
    expect(parsePath('m/12381/3600/4294967295/0')).toEqual([12381, 3600, 4294967295, 0]);
    expect(parsePath('m', { anyEip2333Path: true })).toEqual([]);
    expect(parsePath('m/0', { anyEip2333Path: true })).toEqual([0]);
  });

  it.each([
    ['', /non-empty/],
    ['M/12381/3600/0/0', /start with "m"/],
    ['m/12381/3600/0', /4 levels/],
    ['m/12381/60/0/0', /coin type/],
    ['m/44/3600/0/0', /purpose/],
    ["m/12381/3600/0'/0", /hardened/],
    ['m/12381/3600/01/0', /not a decimal/],
    ['m/12381/3600/+1/0', /not a decimal/],
    ['m/12381/3600/ 1/0', /not a decimal/],
    ['m/12381/3600/1e3/0', /not a decimal/],
    ['m/12381/3600/4294967296/0', /below 2\^32/],
    ['m/12381/3600/99999999999999999999/0', /below 2\^32/],
    ['m/12381/3600/0/0/', /not a decimal/],
    [`m${'/0'.repeat(33)}`, /deeper/],
  ])('refuses %j', async (path, message) => {
    const e = await expectCode(() => parsePath(path), 'PATH_INVALID', 'path');
    expect(e.message).toMatch(message);
  });

  it('agrees with @chainsafe/bls-hd-key on valid paths', () => {
    for (const p of ['m/12381/3600/0/0/0', 'm/12381/3600/123/0', 'm/12381/3600/7/0/0/5']) {
      expect(parsePath(p)).toEqual(pathToIndices(p));
    }
  });
});

describe('EIP-2333 against @chainsafe/bls-hd-key', () => {
  it('master and child keys agree on random seeds and indices', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 64 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (seed, index) => {
          const master = deriveMasterSK(seed);
          expect(toHex(master)).toBe(toHex(hdMaster(seed)));
          expect(toHex(deriveChildSK(master, index))).toBe(toHex(hdChild(master, index)));
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('deriveValidatorKeys', () => {
  it('a range gives the same keys as the matching index list and as deriveKeyFromPath', async () => {
    const range = await deriveValidatorKeys(TEST_WASTE, { start: 5, count: 3 });
    const list = await deriveValidatorKeys(TEST_WASTE, { indices: [5, 6, 7] });
    expect(range.map((k) => toHex(k.secret))).toEqual(list.map((k) => toHex(k.secret)));
    expect(range.map((k) => k.path)).toEqual(['m/12381/3600/5/0/0', 'm/12381/3600/6/0/0', 'm/12381/3600/7/0/0']);
    const seed = await mnemonicToSeed(TEST_WASTE);
    expect(toHex(deriveKeyFromPath(seed, 'm/12381/3600/6/0/0'))).toBe(toHex(range[1]!.secret));
    expect(String(range[0]!.secret)).toBe('<redacted>');
  });

  it('a passphrase changes every key', async () => {
    const [a] = await deriveValidatorKeys(ABANDON, { indices: [0] });
    const [b] = await deriveValidatorKeys(ABANDON, { indices: [0], passphrase: 'TREZOR' });
    expect(toHex(a!.publicKey)).not.toBe(toHex(b!.publicKey));
  });

  it('refuses bad index lists', async () => {
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, { indices: [] }), 'LIMIT_EXCEEDED', 'indices');
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, { indices: [1, 1] }), 'INVALID_ARGUMENT', 'indices');
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, { indices: [0, -1] }), 'PATH_INVALID', 'indices[1]');
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, { indices: [2 ** 32] }), 'PATH_INVALID', 'indices[0]');
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, { start: 0, count: 10_001 }), 'LIMIT_EXCEEDED', 'count');
    const top = { start: 2 ** 32 - 1, count: 2 };
    await expectCode(() => deriveValidatorKeys(TEST_WASTE, top), 'PATH_INVALID', 'indices[1]');
    const badChecksum = ABANDON.replace('about', 'abandon');
    await expectCode(() => deriveValidatorKeys(badChecksum, { indices: [0] }), 'MNEMONIC_INVALID');
  });
});
