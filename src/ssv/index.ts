/**
 * `dvkeys/ssv`: SSV keyshares.json (ssv-keys v1.1/v1.2 layouts): strict parsing and serialisation, sharesData,
 * owner-nonce signatures, RSA-2048 operator keys with PKCS#1 v1.5 share encryption, SSV's operator-count rule, and
 * new keyshares files for a dealer split with x = operator id.
 * @module
 */
export { createKeyshares, ssvThresholdAnalysis } from './create.js';
export type { CreateKeysharesInput, CreateKeysharesOutput, SsvOperatorInput } from './create.js';
export {
  KEYSHARES_VERSION,
  MAX_KEYSHARES_ITEMS,
  MAX_KEYSHARES_TEXT_LENGTH,
  keysharesToJson,
  parseKeyshares,
  parseKeysharesText,
  serializeKeyshares,
} from './keyshares.js';
export type { KeysharesFile, KeysharesItem, KeysharesOperator } from './keyshares.js';
export { MAX_SSV_OPERATOR_LIST, parseSsvOperators } from './operators.js';
export {
  SHARES_DATA_BYTES_PER_OPERATOR,
  SSV_OPERATOR_COUNTS,
  decodeSharesData,
  encodeSharesData,
  ownerNonceDigest,
  ownerNonceMessage,
  sharesDataLength,
  signOwnerNonce,
  ssvRule,
  verifyOwnerNonce,
} from './payload.js';
export type { SharesData, SsvRule } from './payload.js';
export { SSV_CIPHERTEXT_BYTES, SSV_RSA_BITS, parseOperatorKey, rsaEncryptPkcs1v15 } from './rsa.js';
export type { RsaPublicKey } from './rsa.js';
export { assertKeyshares, verifyKeyshares } from './verify.js';
export { checkSsvShares, emePkcs1v15Decode } from './share-decrypt.js';
export type { SsvShareDecryptor, SsvShareReport } from './share-decrypt.js';
export type { KeysharesItemReport } from './verify.js';
