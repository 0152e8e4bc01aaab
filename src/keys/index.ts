/**
 * `dvkeys/keys`: EIP-2335 keystores (read with caps and the pubkey check, write with scrypt or pbkdf2, many at once
 * off the main thread), EIP-2335 passwords, and validator keys from a BIP-39 mnemonic (EIP-2333/EIP-2334).
 * @module
 */
export { decryptKeystores, encryptKeystores } from './batch.js';
export type { BatchOptions, DecryptItem, EncryptItem } from './batch.js';
export { KdfScheduler } from './scheduler.js';
export type { KdfRelease, KdfSchedulerOptions, KdfSchedulerState } from './scheduler.js';
export { deriveChildSK, deriveMasterSK } from './eip2333.js';
export type { KdfBackend } from './kdf.js';
export { parseKeystore } from './keystore-format.js';
export type {
  ChecksumModule,
  CipherModule,
  CryptoModule,
  KdfModule,
  Keystore,
  Pbkdf2KdfModule,
  ScryptKdfModule,
} from './keystore-format.js';
export {
  DEFAULT_PBKDF2,
  DEFAULT_SCRYPT,
  decryptCryptoModule,
  decryptKeystore,
  describeShare,
  encryptKeystore,
  keystoreToJson,
} from './keystore.js';
export type { EncryptOptions, KdfChoice, KeystoreOptions, ShareDescription } from './keystore.js';
export {
  BIP39_LANGUAGES,
  deriveKeyFromPath,
  deriveValidatorKeys,
  loadBip39Wordlists,
  loadedBip39Languages,
  mnemonicToSeed,
  parsePath,
  validateMnemonic,
} from './mnemonic.js';
export type {
  Bip39Language,
  DeriveValidatorKeysOptions,
  ParsePathOptions,
  ValidatorKeys,
} from './mnemonic.js';
export { generatePassword, normalizePassword } from './password.js';
export type { Password } from './password.js';
