/**
 * `dvkeys/ceremony`: the split, verify and combine pipelines (pure: inputs in, results and files out), the
 * `ceremony.json` manifest and the default output layout.
 * @module
 */
export { runSplit, groupShares } from './split.js';
export { shareHolders } from './share-holders.js';
export { SHARE_FOLDER_MARKERS, shareInputReason } from './share-input.js';
export type { NeighbourFile } from './share-input.js';
export type { SplitCeremonyInput, SplitCeremonyOutput, SplitDepositOptions, SplitSlashingOptions, ValidatorKeyInput } from './split.js';
export { verifyCeremony } from './verify.js';
export type { VerifyCeremonyInput, VerifyLine, VerifyReport } from './verify.js';
export { runCombine } from './combine.js';
export type { CombineCeremonyInput, CombineCeremonyOutput } from './combine.js';
export { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, parseManifest, serializeManifest, sharingData } from './manifest.js';
export type { Manifest, ManifestOperator, ManifestValidator } from './manifest.js';
export { fileHash, hashFiles } from './files.js';
export type { CeremonyFile, CeremonyFileKind } from './files.js';
export { DEPOSIT_FILE, SLASHING_FILE, dvkeysLayout, keystorePath, passwordPath } from './layouts/dvkeys.js';
export type { FolderSnapshot, Snapshot } from './tree.js';
export { DKG_RECOVERY_FILE, dkgManifest, dkgReadyExpectation, runDkgOutput } from './dkg-output.js';
export type { DkgOutputFiles, DkgOutputInput, DkgPublicOutput, DkgReadyExpectation } from './dkg-output.js';
export { runCharonSplit } from './charon-split.js';
export type { CharonSplitInput, CharonSplitOutput } from './charon-split.js';
export { verifyCharonCluster } from './charon-verify.js';
export type { CharonVerifyInput, CharonVerifyReport } from './charon-verify.js';
export { runCharonCombine } from './charon-combine.js';
export type { CharonCombineInput, CharonCombineOutput } from './charon-combine.js';
export { encryptRecoveredKeys } from './combine.js';
export { ceremonyFingerprint } from './verify.js';
export { keysharesFingerprint, verifySsvKeyshares } from './ssv-verify.js';
export type { SsvVerifyInput, SsvVerifyLine, SsvVerifyReport } from './ssv-verify.js';
