/**
 * `dvkeys/charon`: Obol Charon cluster locks (v1.6.0 to v1.11.0): strict parsing, Charon-exact serialisation,
 * config/definition/lock hashing, verification as `charon run` does it (and more), ENRs and node keys, and new
 * v1.10 locks for a dealer split. Folder layouts and the split/verify/combine pipelines are in dvkeys/ceremony
 * (charon-split.ts, charon-node.ts, charon-verify.ts, charon-combine.ts, layouts/charon.ts).
 * @module
 */
export { chainIdOfForkVersion, eip712Digest } from './eip712.js';
export type { Eip712Kind } from './eip712.js';
export { MAX_ENR_BYTES, createEnr, decodeEnr } from './enr.js';
export type { Enr } from './enr.js';
export { generateNodeKey, nodePublicKey, recoverDigest65, signDigest65 } from './k1.js';
export {
  CHARON_MIN_NODES,
  CHARON_MIN_THRESHOLD,
  DEFAULT_TARGET_GAS_LIMIT,
  createSplitLock,
  defaultDepositAmounts,
} from './lock-create.js';
export type { CreateLockInput, LockValidatorInput } from './lock-create.js';
export { computeConfigHash, computeDefinitionHash, computeLockHash } from './lock-hash.js';
export { clusterLockToJson, serializeClusterLock } from './lock-json.js';
export { parseClusterLock, parseClusterLockText } from './lock-parse.js';
export { LOCK_CHECKS, assertClusterLock, verifyClusterLock } from './lock-verify.js';
export type { LockCheck, LockCheckResult, LockReport, VerifyLockOptions } from './lock-verify.js';
export { DEFAULT_LOCK_VERSION, LOCK_LIMITS, LOCK_VERSIONS, lockFeatures } from './types.js';
export type {
  ClusterDefinition,
  ClusterLock,
  DistributedValidator,
  LockCreator,
  LockDeposit,
  LockFeatures,
  LockOperator,
  LockRegistration,
  LockValidatorAddresses,
  LockVersion,
} from './types.js';
