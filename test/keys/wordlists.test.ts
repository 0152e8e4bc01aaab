/**
 * Only English is built in; the other nine BIP-39 wordlists load when asked for (decision 0902). This file runs in
 * its own worker, so it sees the module state before any load.
 */
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import { describe, expect, it } from 'vitest';
import {
  BIP39_LANGUAGES,
  deriveValidatorKeys,
  loadBip39Wordlists,
  loadedBip39Languages,
  validateMnemonic,
} from '../../src/keys/mnemonic.js';
import { expectCode } from '../helpers/keys.js';

const ENTROPY = new Uint8Array(16).fill(7);

describe('BIP-39 wordlists on request', () => {
  it('English only until asked; a French phrase is refused with the way to load it; then accepted', async () => {
    expect(loadedBip39Languages()).toEqual(['english']);
    expect(validateMnemonic(entropyToMnemonic(ENTROPY, english))).toBe('english');
    const phrase = entropyToMnemonic(ENTROPY, french);
    const e = await expectCode(() => validateMnemonic(phrase), 'MNEMONIC_INVALID', 'mnemonic');
    expect(e.message).toBe(
      "'mnemonic' word 1 is in no loaded BIP-39 wordlist (english; loadBip39Wordlists() adds the others)",
    );
    await expectCode(() => deriveValidatorKeys(phrase, { indices: [0] }), 'MNEMONIC_INVALID', 'mnemonic');

    await loadBip39Wordlists(['french']);
    expect(loadedBip39Languages()).toEqual(['english', 'french']);
    expect(validateMnemonic(phrase)).toBe('french');
    const japanesePhrase = entropyToMnemonic(ENTROPY, japanese);
    await expectCode(() => validateMnemonic(japanesePhrase), 'MNEMONIC_INVALID', 'mnemonic');

    await loadBip39Wordlists();
    expect(loadedBip39Languages()).toEqual([...BIP39_LANGUAGES]);
    expect(validateMnemonic(japanesePhrase)).toBe('japanese');
    const all = await expectCode(() => validateMnemonic(`zzz ${phrase.split(' ').slice(1).join(' ')}`), 'MNEMONIC_INVALID');
    expect(all.message).toBe("'mnemonic' word 1 is in no BIP-39 wordlist");
  });

  it('refuses an unknown language', async () => {
    await expectCode(() => loadBip39Wordlists(['klingon' as 'english']), 'INVALID_ARGUMENT', 'languages');
  });
});
