/**
 * dvkeys: threshold-key ceremonies for Ethereum distributed validators.
 *
 * The root entry re-exports the error classes, the shared types and one namespace per module; each module is also
 * its own entry point (`dvkeys/bls`, `dvkeys/sharing`, `dvkeys/safety`, `dvkeys/keys`, `dvkeys/eth`,
 * `dvkeys/ceremony`, `dvkeys/dkg`, `dvkeys/charon`, `dvkeys/ssv`, `dvkeys/lifecycle`). No logic lives here.
 * @module
 */
export {
  AbortedError,
  DvkeysError,
  ERROR_CODES,
  KeystoreError,
  SafetyError,
  ValidationError,
  VerificationError,
  isDvkeysError,
} from './errors.js';
export type { Culprit, DvkeysErrorOptions, ErrorCode } from './errors.js';
export { MAX_SHARE_INDEX, SecretBytes, toShareIndex } from './types.js';
export type { PartialSignature, PublicShare, RandomBytes, SecretKey, SecretShare, ShareIndex } from './types.js';
export * as bls from './bls/index.js';
export * as sharing from './sharing/index.js';
export * as safety from './safety/index.js';
export * as keys from './keys/index.js';
export * as eth from './eth/index.js';
export * as ceremony from './ceremony/index.js';
export * as dkg from './dkg/index.js';
export * as charon from './charon/index.js';
export * as ssv from './ssv/index.js';
export * as lifecycle from './lifecycle/index.js';
