/**
 * `dvkeys/sharing`: Shamir sharing with Feldman commitments, threshold signatures and the recombination checks.
 * @module
 */
export { MAX_SHARES, defaultIds, validateIds, validateThreshold } from './ids.js';
export { lagrangeCoefficientsAtZero, interpolateAtZero } from './polynomial.js';
export { recoverSecret, split, wipeShares } from './shamir.js';
export type { SplitOptions, SplitResult } from './shamir.js';
export {
  decodeCommitments,
  lowDegreeTest,
  publicShareFromCommitments,
  verifyPublicSharesBatch,
  verifyShare,
  verifySharesBatch,
} from './vss.js';
export {
  aggregatePartials,
  combinePartialSignatures,
  findInvalidPartials,
  partialSign,
  verifyPartial,
} from './threshold-signature.js';
export type { CombineInput } from './threshold-signature.js';
export {
  RECOMBINATION_MESSAGE_PREFIX,
  assertRecombination,
  checkRecombination,
  recombinationMessage,
} from './recombine.js';
export type {
  CheckResult,
  RecombinationCheck,
  RecombinationOptions,
  RecombinationReport,
  SharingPublicData,
} from './recombine.js';
