/**
 * Validator keys from a BIP-39 mnemonic: phrase validation in the @scure/bip39 wordlists (English built in, the other
 * nine loaded on request by {@link loadBip39Wordlists}), the seed, EIP-2334 paths and EIP-2333 derivation of signing
 * keys (m/12381/3600/i/0/0) for a list of validator indices.
 *
 * - BIP-39: the phrase is NFKD-normalised, lowercased and split on whitespace (so Japanese ideographic spaces and
 *   doubled spaces are fine), then must be valid (known words, 12..24 of them, checksum) in exactly one loaded wordlist.
 *   Words from different wordlists are refused, and so is a phrase valid in two lists (possible for simplified and
 *   traditional Chinese), as ethstaker-deposit-cli does. Abbreviated words are not accepted.
 * - Seed: PBKDF2-HMAC-SHA512(NFKD(words joined by one space), "mnemonic" + NFKD(passphrase), 2048), BIP-39
 *   section "From mnemonic to seed", via @scure/bip39.
 * - EIP-2334: `m / 12381 / 3600 / account / use [/ ...]`, no hardened marks, decimal indices below 2^32; the
 *   signing key of validator i is at m/12381/3600/i/0/0 and its withdrawal key at m/12381/3600/i/0.
 *
 * Mnemonics, seeds and keys are secrets: error messages give positions and counts, never words. Seeds and keys come
 * back as {@link SecretBytes}; intermediate keys are wiped. JS strings (the phrase) cannot be wiped.
 *
 * @module
 */
import { mnemonicToEntropy, mnemonicToSeed as scureMnemonicToSeed } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { ValidationError } from '../errors.js';
import { SecretBytes } from '../types.js';
import { deriveChildSK, deriveMasterSK, MAX_CHILD_INDEX } from './eip2333.js';
import {
  MAX_BIP39_PASSPHRASE_LENGTH,
  MAX_DERIVED_KEYS,
  MAX_MNEMONIC_LENGTH,
  MAX_PATH_DEPTH,
  MAX_PATH_LENGTH,
} from './limits.js';

/**
 * Loaders of the other nine wordlists: dynamic imports, so that a bundler puts each in its own chunk and a program
 * that never asks for them never loads them (about 25 KB each minified; English is built in).
 */
const LOADERS = {
  czech: () => import('@scure/bip39/wordlists/czech.js'),
  french: () => import('@scure/bip39/wordlists/french.js'),
  italian: () => import('@scure/bip39/wordlists/italian.js'),
  japanese: () => import('@scure/bip39/wordlists/japanese.js'),
  korean: () => import('@scure/bip39/wordlists/korean.js'),
  portuguese: () => import('@scure/bip39/wordlists/portuguese.js'),
  'simplified-chinese': () => import('@scure/bip39/wordlists/simplified-chinese.js'),
  spanish: () => import('@scure/bip39/wordlists/spanish.js'),
  'traditional-chinese': () => import('@scure/bip39/wordlists/traditional-chinese.js'),
} as const;

/** A BIP-39 wordlist language, as @scure/bip39 names its wordlists. */
export type Bip39Language = 'english' | keyof typeof LOADERS;

/** Every language we recognise, in the order they are tried. */
export const BIP39_LANGUAGES: readonly Bip39Language[] = Object.freeze([
  'english',
  'czech',
  'french',
  'italian',
  'japanese',
  'korean',
  'portuguese',
  'simplified-chinese',
  'spanish',
  'traditional-chinese',
]);

interface Wordlist {
  readonly words: readonly string[];
  readonly set: ReadonlySet<string>;
}

/** The wordlists loaded so far, English from the start. */
const loaded = new Map<Bip39Language, Wordlist>([['english', { words: english, set: new Set(english) }]]);

/**
 * Loads the given BIP-39 wordlists (default: all ten) so that {@link validateMnemonic}, {@link mnemonicToSeed} and
 * {@link deriveValidatorKeys} accept phrases in them. Only English is there without this call (decision 0902).
 * Idempotent; resolves once every asked-for list is loaded.
 * @throws ValidationError `INVALID_ARGUMENT` (field `languages`) for a language not in {@link BIP39_LANGUAGES}.
 */
export async function loadBip39Wordlists(languages: readonly Bip39Language[] = BIP39_LANGUAGES): Promise<void> {
  for (const l of languages) {
    if (!BIP39_LANGUAGES.includes(l)) {
      throw new ValidationError('INVALID_ARGUMENT', "'languages' holds an unknown BIP-39 language", {
        field: 'languages',
      });
    }
  }
  await Promise.all(
    languages.map(async (l) => {
      if (l === 'english' || loaded.has(l)) return;
      const { wordlist } = await LOADERS[l]();
      loaded.set(l, { words: wordlist, set: new Set(wordlist) });
    }),
  );
}

/** The BIP-39 languages loaded now, in {@link BIP39_LANGUAGES} order. */
export function loadedBip39Languages(): Bip39Language[] {
  return BIP39_LANGUAGES.filter((l) => loaded.has(l));
}

function invalid(message: string): ValidationError {
  return new ValidationError('MNEMONIC_INVALID', `'mnemonic' ${message}`, { field: 'mnemonic' });
}

/** The validated phrase in canonical form (NFKD, lowercase, single spaces) and its language. */
function canonicalMnemonic(phrase: string): { readonly language: Bip39Language; readonly phrase: string } {
  if (typeof phrase !== 'string') throw invalid('must be a string');
  if (phrase.length > MAX_MNEMONIC_LENGTH) throw invalid(`is longer than ${MAX_MNEMONIC_LENGTH} characters`);
  const words = phrase.normalize('NFKD').toLowerCase().normalize('NFKD').trim().split(/\s+/u);
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw invalid(`has ${words.length} words; BIP-39 phrases have 12, 15, 18, 21 or 24`);
  }
  const languages = loadedBip39Languages();
  const lists = languages.map((l) => loaded.get(l)!);
  const unknown = words.findIndex((w) => lists.every((list) => !list.set.has(w)));
  if (unknown >= 0) {
    const more = languages.length < BIP39_LANGUAGES.length;
    throw invalid(
      more
        ? `word ${unknown + 1} is in no loaded BIP-39 wordlist (${languages.join(', ')}; loadBip39Wordlists() adds the others)`
        : `word ${unknown + 1} is in no BIP-39 wordlist`,
    );
  }
  const candidates = languages.filter((l) => words.every((w) => loaded.get(l)!.set.has(w)));
  if (candidates.length === 0) throw invalid('mixes words of different BIP-39 languages');
  const joined = words.join(' ');
  const valid = candidates.filter((l) => {
    try {
      mnemonicToEntropy(joined, loaded.get(l)!.words as string[]).fill(0);
      return true;
    } catch {
      return false;
    }
  });
  if (valid.length === 0) throw invalid('has a wrong checksum (a word is wrong or out of order)');
  if (valid.length > 1) throw invalid(`is valid in more than one wordlist (${valid.join(', ')}); it is ambiguous`);
  return { language: valid[0]!, phrase: joined };
}

/**
 * Validates a BIP-39 mnemonic against the loaded @scure/bip39 wordlists (English, and those
 * {@link loadBip39Wordlists} added) and returns its language.
 * @throws ValidationError `MNEMONIC_INVALID` for a wrong word count, a word in no wordlist (by position), words
 *   from several languages, a wrong checksum, or a phrase valid in two wordlists.
 */
export function validateMnemonic(phrase: string): Bip39Language {
  return canonicalMnemonic(phrase).language;
}

/**
 * BIP-39 seed of a validated mnemonic with an optional passphrase (64 bytes; the caller wipes it).
 * @throws ValidationError `MNEMONIC_INVALID` (see {@link validateMnemonic}); `INVALID_ARGUMENT` (field
 *   `passphrase`) for a passphrase that is not a well-formed string or is longer than the cap.
 */
export async function mnemonicToSeed(phrase: string, passphrase = ''): Promise<SecretBytes> {
  const { phrase: canonical } = canonicalMnemonic(phrase);
  if (typeof passphrase !== 'string' || passphrase.length > MAX_BIP39_PASSPHRASE_LENGTH) {
    const why = `must be a string of at most ${MAX_BIP39_PASSPHRASE_LENGTH} characters`;
    throw new ValidationError('INVALID_ARGUMENT', `'passphrase' ${why}`, { field: 'passphrase' });
  }
  let seed: Uint8Array;
  try {
    seed = await scureMnemonicToSeed(canonical, passphrase);
  } catch {
    throw new ValidationError('INVALID_ARGUMENT', "'passphrase' is not well-formed Unicode", { field: 'passphrase' });
  }
  try {
    return SecretBytes.copyOf(seed);
  } finally {
    seed.fill(0);
  }
}

/** Options of {@link parsePath}. */
export interface ParsePathOptions {
  /**
   * Accept any EIP-2333 path `m[/index...]` instead of only EIP-2334 ones (purpose 12381, coin type 3600, at least
   * 4 levels). The EIP-2333 test vectors use such paths (e.g. `m/0`). Default false.
   */
  readonly anyEip2333Path?: boolean;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a derivation path (EIP-2334 section "Path"): `m`, then `/`-separated decimal indices in 0..2^32-1, with no
 * hardened marks, signs, spaces or leading zeros. By default it must be an EIP-2334 path:
 * `m/12381/3600/account/use[/...]`.
 * @returns the indices below `m`.
 * @throws ValidationError `PATH_INVALID` (field `path`) naming the offending component.
 */
export function parsePath(path: string, options: ParsePathOptions = {}): number[] {
  const fail = (why: string): ValidationError =>
    new ValidationError('PATH_INVALID', `'path' ${why}`, { field: 'path' });
  if (typeof path !== 'string' || path.length === 0) throw fail('must be a non-empty string');
  if (path.length > MAX_PATH_LENGTH) throw fail(`is longer than ${MAX_PATH_LENGTH} characters`);
  const parts = path.split('/');
  if (parts[0] !== 'm') throw fail('must start with "m" (the master key)');
  if (parts.length - 1 > MAX_PATH_DEPTH) throw fail(`is deeper than ${MAX_PATH_DEPTH} levels`);
  const indices = parts.slice(1).map((p, i) => {
    if (p.includes("'")) throw fail(`component ${i + 1} is hardened; EIP-2334 has no hardened keys`);
    if (!DECIMAL.test(p)) throw fail(`component ${i + 1} (${JSON.stringify(p.slice(0, 16))}) is not a decimal index`);
    const v = Number(p);
    if (p.length > 10 || v > MAX_CHILD_INDEX) throw fail(`component ${i + 1} is not below 2^32`);
    return v;
  });
  if (options.anyEip2333Path !== true) {
    if (indices.length < 4) throw fail('has fewer than the 4 levels EIP-2334 requires below m');
    if (indices[0] !== 12381) throw fail('purpose (component 1) must be 12381');
    if (indices[1] !== 3600) throw fail('coin type (component 2) must be 3600');
  }
  return indices;
}

/**
 * The secret key at `path` below the EIP-2333 master key of `seed`. Intermediate keys are wiped.
 * @throws ValidationError `PATH_INVALID` (see {@link parsePath}), `INVALID_LENGTH` for a seed under 32 bytes.
 */
export function deriveKeyFromPath(seed: Uint8Array, path: string, options: ParsePathOptions = {}): SecretBytes {
  const indices = parsePath(path, options);
  return deriveAlong(deriveMasterSK(seed), indices);
}

/** Derives along `indices` from `start`, wiping `start` and every intermediate key. */
function deriveAlong(start: SecretBytes, indices: readonly number[]): SecretBytes {
  let key = start;
  try {
    for (const i of indices) {
      const child = deriveChildSK(key, i);
      key.fill(0);
      key = child;
    }
    return key;
  } catch (e) {
    key.fill(0);
    throw e;
  }
}

/** One validator's keys from a mnemonic. */
export interface ValidatorKeys {
  /** The validator index i in the EIP-2334 path. */
  readonly index: number;
  /** The signing key path, m/12381/3600/i/0/0. */
  readonly path: string;
  /** The signing secret key (the caller wipes it). */
  readonly secret: SecretBytes;
  /** The signing public key, 48 bytes compressed. */
  readonly publicKey: Uint8Array;
  /** The public key of the withdrawal key at m/12381/3600/i/0 (for 0x00 BLS withdrawal credentials). */
  readonly withdrawalPublicKey: Uint8Array;
}

/** Options of {@link deriveValidatorKeys}: the validator indices, either listed or as a range. */
export type DeriveValidatorKeysOptions = (
  | { readonly indices: readonly number[] }
  | { readonly start: number; readonly count: number }
) & {
  /** BIP-39 passphrase; default "". */
  readonly passphrase?: string;
};

function indicesOf(options: DeriveValidatorKeysOptions): number[] {
  const list = 'indices' in options ? [...options.indices] : [];
  if (!('indices' in options)) {
    const { start, count } = options;
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_DERIVED_KEYS) {
      throw new ValidationError('LIMIT_EXCEEDED', `'count' must be in 1..${MAX_DERIVED_KEYS}`, { field: 'count' });
    }
    for (let k = 0; k < count; k++) list.push(start + k);
  }
  if (list.length === 0 || list.length > MAX_DERIVED_KEYS) {
    throw new ValidationError('LIMIT_EXCEEDED', `'indices' must hold 1..${MAX_DERIVED_KEYS} entries`, {
      field: 'indices',
    });
  }
  list.forEach((i, k) => {
    if (!Number.isSafeInteger(i) || i < 0 || i > MAX_CHILD_INDEX) {
      throw new ValidationError('PATH_INVALID', `'indices[${k}]' must be an integer in 0..2^32-1`, {
        field: `indices[${k}]`,
      });
    }
  });
  if (new Set(list).size !== list.length) {
    throw new ValidationError('INVALID_ARGUMENT', "'indices' has duplicates", { field: 'indices' });
  }
  return list;
}

/**
 * Derives the EIP-2334 signing keys m/12381/3600/i/0/0 (and withdrawal public keys m/12381/3600/i/0) of the given
 * validator indices from a BIP-39 mnemonic, as staking-deposit-cli does. m/12381/3600 is derived once.
 * @throws ValidationError `MNEMONIC_INVALID`, `INVALID_ARGUMENT` (passphrase, duplicate indices), `PATH_INVALID`
 *   (an index outside 0..2^32-1), `LIMIT_EXCEEDED` (no index, or more than {@link MAX_DERIVED_KEYS}).
 */
export async function deriveValidatorKeys(
  mnemonic: string,
  options: DeriveValidatorKeysOptions,
): Promise<ValidatorKeys[]> {
  const indices = indicesOf(options);
  const seed = await mnemonicToSeed(mnemonic, options.passphrase ?? '');
  let base: SecretBytes | undefined;
  const out: ValidatorKeys[] = [];
  try {
    base = deriveAlong(deriveMasterSK(seed), [12381, 3600]);
    for (const index of indices) {
      const withdrawal = deriveAlong(SecretBytes.copyOf(base), [index, 0]);
      try {
        const secret = deriveChildSK(withdrawal, 0);
        out.push({
          index,
          path: `m/12381/3600/${index}/0/0`,
          secret,
          publicKey: secretKeyToPublicKey(secret),
          withdrawalPublicKey: secretKeyToPublicKey(withdrawal),
        });
      } finally {
        withdrawal.fill(0);
      }
    }
    return out;
  } catch (e) {
    for (const k of out) k.secret.fill(0);
    throw e;
  } finally {
    seed.fill(0);
    base?.fill(0);
  }
}
