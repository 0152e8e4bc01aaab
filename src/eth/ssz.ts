/**
 * The SSZ containers dvkeys hashes, built with @chainsafe/ssz (consensus-specs phase0 beacon-chain.md, "Containers"
 * and "Misc dependencies"). Only `hash_tree_root` is used; values are plain objects with Uint8Array and bigint
 * fields.
 *
 * - `ForkData`, `SigningData`: `compute_domain` and `compute_signing_root` (see signing.ts).
 * - `DepositMessage`, `DepositData`: phase0 "Deposits"; deposit_message_root and deposit_data_root of a deposit file.
 * - `VoluntaryExit`, `SignedVoluntaryExit`: phase0 "Voluntary exits".
 *
 * @module
 */
import { ByteVectorType, ContainerType, UintBigintType } from '@chainsafe/ssz';

/** Version: Bytes4. */
export const Version = new ByteVectorType(4);
/** Root, Domain: Bytes32. */
export const Bytes32 = new ByteVectorType(32);
/** BLSPubkey: Bytes48. */
export const BLSPubkey = new ByteVectorType(48);
/** BLSSignature: Bytes96. */
export const BLSSignature = new ByteVectorType(96);
/** uint64 (Gwei, Epoch, ValidatorIndex) as bigint, so values up to 2^64-1 survive. */
export const Uint64 = new UintBigintType(8);

/** phase0 `ForkData { current_version: Version, genesis_validators_root: Root }`. */
export const ForkData = new ContainerType(
  { currentVersion: Version, genesisValidatorsRoot: Bytes32 },
  { typeName: 'ForkData', jsonCase: 'snake' },
);

/** phase0 `SigningData { object_root: Root, domain: Domain }`. */
export const SigningData = new ContainerType(
  { objectRoot: Bytes32, domain: Bytes32 },
  { typeName: 'SigningData', jsonCase: 'snake' },
);

/** phase0 `DepositMessage { pubkey: BLSPubkey, withdrawal_credentials: Bytes32, amount: Gwei }`. */
export const DepositMessage = new ContainerType(
  { pubkey: BLSPubkey, withdrawalCredentials: Bytes32, amount: Uint64 },
  { typeName: 'DepositMessage', jsonCase: 'snake' },
);

/** phase0 `DepositData { pubkey, withdrawal_credentials, amount, signature: BLSSignature }`. */
export const DepositData = new ContainerType(
  { pubkey: BLSPubkey, withdrawalCredentials: Bytes32, amount: Uint64, signature: BLSSignature },
  { typeName: 'DepositData', jsonCase: 'snake' },
);

/** phase0 `VoluntaryExit { epoch: Epoch, validator_index: ValidatorIndex }`. */
export const VoluntaryExit = new ContainerType(
  { epoch: Uint64, validatorIndex: Uint64 },
  { typeName: 'VoluntaryExit', jsonCase: 'snake' },
);

/** phase0 `SignedVoluntaryExit { message: VoluntaryExit, signature: BLSSignature }`. */
export const SignedVoluntaryExit = new ContainerType(
  { message: VoluntaryExit, signature: BLSSignature },
  { typeName: 'SignedVoluntaryExit', jsonCase: 'snake' },
);

/** A DepositMessage value. */
export interface DepositMessageValue {
  readonly pubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
}

/** A DepositData value. */
export interface DepositDataValue extends DepositMessageValue {
  readonly signature: Uint8Array;
}

/** A VoluntaryExit value. */
export interface VoluntaryExitValue {
  readonly epoch: bigint;
  readonly validatorIndex: bigint;
}

/** hash_tree_root(DepositMessage). Lengths are the caller's to check (ssz throws a plain Error otherwise). */
export function depositMessageRoot(message: DepositMessageValue): Uint8Array {
  return DepositMessage.hashTreeRoot({ ...message });
}

/** hash_tree_root(DepositData). */
export function depositDataRoot(data: DepositDataValue): Uint8Array {
  return DepositData.hashTreeRoot({ ...data });
}

/** hash_tree_root(VoluntaryExit). */
export function voluntaryExitRoot(exit: VoluntaryExitValue): Uint8Array {
  return VoluntaryExit.hashTreeRoot({ ...exit });
}
