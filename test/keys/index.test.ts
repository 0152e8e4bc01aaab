/** Pins the runtime names `src/keys/index.ts` exports (the module's public contract). */
import { expect, it } from 'vitest';
import * as keys from '../../src/keys/index.js';

it('src/keys/index.ts exports exactly these names', () => {
  expect(Object.keys(keys).sort()).toEqual(
    [
      'BIP39_LANGUAGES',
      'DEFAULT_PBKDF2',
      'DEFAULT_SCRYPT',
      'decryptCryptoModule',
      'decryptKeystore',
      'decryptKeystores',
      'deriveChildSK',
      'deriveKeyFromPath',
      'deriveMasterSK',
      'deriveValidatorKeys',
      'loadBip39Wordlists',
      'loadedBip39Languages',
      'describeShare',
      'encryptKeystore',
      'encryptKeystores',
      'KdfScheduler',
      'generatePassword',
      'keystoreToJson',
      'mnemonicToSeed',
      'normalizePassword',
      'parseKeystore',
      'parsePath',
      'validateMnemonic',
    ].sort(),
  );
});
