/**
 * Help for a person typing a BIP-39 mnemonic at a prompt (issue 13, "Prompts"): the word count so far, and for a
 * phrase that does not validate, what is wrong with it and, for a misspelt English word, the nearest words of the
 * BIP-39 English list (BIP-39 "Wordlists": every word is unique by its first four letters, so a word typed with at
 * least four correct letters has one completion).
 *
 * The hint names positions and list words, never a word the person typed. It is meant for that person's own
 * terminal (stderr), where the suggestions stand in for the word they meant; it must not go to a log.
 *
 * @module
 */
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { isDvkeysError } from '../errors.js';
import { validateMnemonic } from './mnemonic.js';

const COUNTS = [12, 15, 18, 21, 24];

/** The words of a phrase as BIP-39 splits them (NFKD, lowercase, any white space). */
function wordsOf(phrase: string): string[] {
  const t = phrase.normalize('NFKD').toLowerCase().trim();
  return t === '' ? [] : t.split(/\s+/u);
}

/** The number of words typed so far, for the live status of a hidden prompt. */
export function mnemonicWordCount(phrase: string): number {
  return wordsOf(phrase).length;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), capped at `max + 1`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Up to `max` English BIP-39 words nearest to `word`: the one word starting with its first four letters when there
 * is one, then words within two edits, nearest first, in list order on ties.
 */
export function suggestWords(word: string, max = 3): string[] {
  const w = word.normalize('NFKD').toLowerCase();
  const out: string[] = [];
  if (w.length >= 4) {
    const byPrefix = english.find((x) => x.startsWith(w.slice(0, 4)));
    if (byPrefix !== undefined) out.push(byPrefix);
  }
  const near = english
    .map((x) => ({ x, d: distance(w, x, 2) }))
    .filter((c) => c.d <= 2 && !out.includes(c.x))
    .sort((p, q) => p.d - q.d);
  for (const c of near) if (out.length < max) out.push(c.x);
  return out;
}

/**
 * What is wrong with a typed mnemonic, in one line for its typist, or undefined when it is a valid phrase in one
 * loaded wordlist (see {@link validateMnemonic}).
 */
export function mnemonicHint(phrase: string): string | undefined {
  const words = wordsOf(phrase);
  if (!COUNTS.includes(words.length)) return `${words.length} word(s) typed; a BIP-39 mnemonic has 12, 15, 18, 21 or 24`;
  try {
    validateMnemonic(words.join(' '));
    return undefined;
  } catch (e) {
    if (!isDvkeysError(e, 'MNEMONIC_INVALID')) throw e;
    const at = /word ([0-9]+) is in no/.exec(e.message);
    if (at !== null) {
      const k = Number(at[1]);
      const s = suggestWords(words[k - 1]!);
      return `word ${k} is not a BIP-39 word${s.length > 0 ? `; did you mean ${s.join(', ')}?` : ''}`;
    }
    if (/checksum/.test(e.message)) return 'every word is a BIP-39 word but the checksum is wrong: a word is wrong or two are swapped';
    return e.message.replace(/^'mnemonic' /, 'the mnemonic ');
  }
}
