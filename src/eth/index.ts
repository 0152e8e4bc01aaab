/**
 * `dvkeys/eth`: Ethereum messages. Networks, deposit data (build, threshold hooks, verify), voluntary exits
 * (EIP-7044 signing roots, threshold partials, beacon-API JSON) and EIP-3076 slashing protection.
 * @module
 */
export { NETWORK_NAMES, customNetwork, getNetwork, networkByForkVersion, resolveNetwork } from './networks.js';
export type { CustomNetworkParams, Network, NetworkName } from './networks.js';
export { DOMAIN_TYPES, computeDomain, computeForkDataRoot, computeSigningRoot } from './signing.js';
export {
  WITHDRAWAL_PREFIX,
  blsWithdrawalCredentials,
  executionWithdrawalCredentials,
  parseExecutionAddress,
  parseWithdrawalCredentials,
  toChecksumAddress,
} from './withdrawal.js';
export type { WithdrawalCredentialsInfo, WithdrawalKind } from './withdrawal.js';
export {
  DEPOSIT_CLI_VERSION,
  FULL_DEPOSIT_AMOUNT,
  GWEI_PER_ETH,
  MAX_COMPOUNDING_DEPOSIT_AMOUNT,
  MIN_DEPOSIT_AMOUNT,
  createDepositData,
  depositDataFromSignature,
  depositSigningRoot,
  maxDepositAmount,
  signDepositData,
  validateDepositAmount,
  validateDepositAmounts,
} from './deposit.js';
export type {
  CreateDepositDataParams,
  DepositAmountOptions,
  DepositDataEntry,
  DepositMessageInput,
  GweiInput,
  UnsignedDeposit,
} from './deposit.js';
export {
  MAX_DEPOSIT_DATA_ENTRIES,
  MAX_DEPOSIT_DATA_TEXT_LENGTH,
  depositDataToJson,
  formatDepositDataFile,
  parseDepositDataFile,
  verifyDepositData,
} from './deposit-file.js';
export type { DepositDataJson, VerifyDepositDataOptions } from './deposit-file.js';
export {
  MAX_EXIT_TEXT_LENGTH,
  checkExit,
  exitDomain,
  exitSigningRoot,
  formatSignedExitFile,
  parseSignedExit,
  parseSignedExitFile,
  signVoluntaryExit,
  signedExitToJson,
  verifySignedExit,
} from './exit.js';
export type { SignedExit, SignedExitJson, VoluntaryExitInput, VoluntaryExitMessage } from './exit.js';
export {
  EXIT_PARTIAL_FORMAT,
  EXIT_PARTIAL_VERSION,
  MAX_EXIT_PARTIALS,
  combineExitPartials,
  exitPartialToJson,
  formatExitPartialFile,
  parseExitPartial,
  parseExitPartialFile,
  signExitPartial,
} from './exit-partial.js';
export type {
  AggregatePartials,
  CombineExitInput,
  ExitPartial,
  ExitPartialJson,
  ExitPartialParams,
} from './exit-partial.js';
export {
  DEPOSIT_PARTIAL_FORMAT,
  DEPOSIT_PARTIAL_VERSION,
  MAX_DEPOSIT_PARTIAL_ENTRIES,
  MAX_DEPOSIT_PARTIAL_FILES,
  MAX_DEPOSIT_PARTIAL_TEXT_LENGTH,
  combineDepositPartials,
  depositPartialToJson,
  formatDepositPartialFile,
  parseDepositPartial,
  parseDepositPartialFile,
  signDepositPartial,
} from './deposit-partial.js';
export type {
  CombineDepositInput,
  DepositPartial,
  DepositPartialJson,
  DepositPartialParams,
  DepositValidatorRecord,
} from './deposit-partial.js';
export {
  INTERCHANGE_FORMAT_VERSION,
  MAX_INTERCHANGE_RECORDS,
  MAX_INTERCHANGE_TEXT_LENGTH,
  checkInterchangeNetwork,
  filterInterchange,
  formatInterchangeFile,
  interchangeToJson,
  mergeInterchanges,
  minifyInterchange,
  parseInterchange,
  parseInterchangeFile,
} from './slashing-protection.js';
export type {
  FilterResult,
  Interchange,
  InterchangeJson,
  InterchangeSelection,
  InterchangeValidator,
  ParseInterchangeOptions,
  SignedAttestationRecord,
  SignedBlockRecord,
} from './slashing-protection.js';
export { SlashingProtectionChecker, findSlashableData } from './slashing-checker.js';
export type { SigningDecision, SlashableIssue, SlashingStrategy } from './slashing-checker.js';
