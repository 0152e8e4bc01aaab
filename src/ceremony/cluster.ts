/**
 * `Cluster`: the one public model of a distributed validator cluster that every layout reads into and writes from
 * (design section 8, issue 15). It holds no secret: the threshold, the operators (share id = Shamir x, folder name,
 * the person running it), the network, and per validator the group public key, the public shares in operator
 * order, the Feldman commitments where the layout keeps them, withdrawal and fee-recipient information, deposits,
 * the builder registration and the shares encrypted to operators (SSV).
 *
 * Fields only one layout has a place for sit in a per-layout record (`charon`, `ssv`) so the common fields stay
 * the same for every layout. A layout adapter (`adapters/*.ts`) is a pair of pure functions, `toLayout(cluster) ->
 * files` and `fromLayout(files) -> cluster`; {@link LayoutAdapter.carried} says which fields the layout keeps, so
 * `fromLayout(toLayout(c))` equals `carried(c)` (the round-trip property, test/ceremony/cluster-adapters.prop.test.ts).
 *
 * Formats: docs/formats/ceremony.md (dvkeys), the Charon lock (research/interop-formats.md 1, Charon
 * `cluster/lock.go`), SSV keyshares.json (interop-formats.md 2.1, ssv-keys v1.2).
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import type { LockCreator, LockVersion } from '../charon/types.js';
import type { CeremonyFile } from './files.js';
import type { Layout } from './layout-options.js';

/** Charon-only fields of an operator (the lock's `operators[k]`). */
export interface CharonOperatorRecord {
  /** Execution address as written ("" when none). */
  readonly address: string;
  /** The node's ENR text. */
  readonly enr: string;
  readonly configSignature: Uint8Array;
  readonly enrSignature: Uint8Array;
}

/** SSV-only fields of an operator. */
export interface SsvOperatorRecord {
  /** The operator's RSA public key as written in keyshares.json (base64 of the PEM). */
  readonly operatorKey: string;
}

/** One share holder (a node or operator folder). */
export interface ClusterOperator {
  /** The Shamir x of its shares (Charon: k + 1 for `node<k>`; SSV: the operator id). Never 0. */
  readonly shareId: number;
  /** Its folder or label (`alice-1`, `node0`, `operator-17`). */
  readonly name: string;
  /** The person or organisation running it; the safety math counts these. */
  readonly group: string;
  readonly charon?: CharonOperatorRecord;
  readonly ssv?: SsvOperatorRecord;
}

/** One deposit of a validator (phase0 DepositData; the pubkey is the validator's). */
export interface ClusterDeposit {
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
  readonly signature: Uint8Array;
  /** The deposit_data_root as an Obol API lock carries it (not hashed); undefined when absent. */
  readonly depositDataRoot?: Uint8Array;
}

/** A builder-specs ValidatorRegistrationV1 with its signature. */
export interface ClusterRegistration {
  /** As written. */
  readonly feeRecipient: string;
  readonly gasLimit: number;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly pubkey: Uint8Array;
  readonly signature: Uint8Array;
}

/** SSV-only fields of a validator (one keyshares.json item). */
export interface SsvValidatorRecord {
  /** As written. */
  readonly ownerAddress: string;
  readonly ownerNonce: number;
  /** The owner:nonce BLS signature (96 bytes). */
  readonly signature: Uint8Array;
}

/** One distributed validator. */
export interface ClusterValidator {
  /** The group public key (48 bytes). */
  readonly pubkey: Uint8Array;
  /** Public shares in operator order (48 bytes each). */
  readonly publicShares: readonly Uint8Array[];
  /** Feldman commitments C_0..C_{t-1}, or null when the layout keeps none (Charon, SSV). */
  readonly commitments: readonly Uint8Array[] | null;
  /** 32-byte withdrawal credentials (dvkeys). */
  readonly withdrawalCredentials?: Uint8Array;
  /** Withdrawal address as written (Charon definition). */
  readonly withdrawalAddress?: string;
  /** Fee recipient as written (Charon definition). */
  readonly feeRecipient?: string;
  readonly deposits?: readonly ClusterDeposit[];
  /** Charon v1.7+ (null in a version that has none). */
  readonly builderRegistration?: ClusterRegistration | null;
  /** Shares RSA-encrypted to each operator, in operator order (SSV, 256 bytes each). */
  readonly encryptedShares?: readonly Uint8Array[];
  readonly ssv?: SsvValidatorRecord;
}

/** Charon-only fields of the cluster: the lock's definition and signatures that no other layout carries. */
export interface CharonClusterRecord {
  readonly version: LockVersion;
  readonly uuid: string;
  readonly timestamp: string;
  readonly creator: LockCreator;
  readonly dkgAlgorithm: string;
  readonly depositAmounts: readonly bigint[] | null;
  readonly consensusProtocol: string;
  readonly targetGasLimit: number;
  readonly compounding: boolean;
  readonly signatureAggregate: Uint8Array;
  readonly nodeSignatures: readonly Uint8Array[];
}

/** SSV-only fields of the cluster (the keyshares.json header). */
export interface SsvClusterRecord {
  readonly version: string;
  readonly createdAt: string;
  readonly layout: 'multi' | 'single';
}

/** The cluster model. */
export interface Cluster {
  /** How the keys were shared, when the layout records it (dvkeys). */
  readonly kind: 'split' | 'dkg' | 'reshare' | 'refresh' | null;
  readonly threshold: number;
  readonly operators: readonly ClusterOperator[];
  /** Network name (null when none is known). */
  readonly network: string | null;
  /** GENESIS_FORK_VERSION, 4 bytes, or null. */
  readonly forkVersion: Uint8Array | null;
  /** Cluster name ("" when none). */
  readonly name: string;
  readonly validators: readonly ClusterValidator[];
  readonly charon?: CharonClusterRecord;
  readonly ssv?: SsvClusterRecord;
}

/** The public files of a layout, by relative path. */
export type LayoutFiles = ReadonlyMap<string, Uint8Array>;

/** One layout as a pair of pure functions over the model. */
export interface LayoutAdapter {
  readonly layout: Layout;
  /**
   * The layout's public record files for a cluster (ceremony.json; cluster-lock.json and operators.json;
   * keyshares.json). Keystores and node keys are secrets and stay with the split, DKG and combine pipelines.
   * @throws ValidationError `LAYOUT_UNSUPPORTED` when the cluster lacks what the layout must write.
   */
  toLayout(cluster: Cluster): CeremonyFile[];
  /**
   * Reads the layout's record files back into the model (structure and stored hashes; the cryptographic checks are
   * `verify`'s).
   */
  fromLayout(files: LayoutFiles): Cluster;
  /** The cluster reduced to the fields this layout carries: `fromLayout(toLayout(c))` equals `carried(c)`. */
  carried(cluster: Cluster): Cluster;
}

/** Files as a map by path (CeremonyFile list → {@link LayoutFiles}). */
export function filesByPath(files: readonly CeremonyFile[]): LayoutFiles {
  return new Map(files.map((f) => [f.path, f.bytes]));
}

/** A `LAYOUT_UNSUPPORTED` refusal naming the cluster field the layout cannot write. */
export function unsupported(layout: Layout, field: string, reason: string): ValidationError {
  return new ValidationError('LAYOUT_UNSUPPORTED', `the ${layout} layout cannot write '${field}': ${reason}`, { field });
}

/** The common fields only (no per-layout records, no optional per-validator data). */
export function coreOf(c: Cluster): Cluster {
  return {
    kind: c.kind,
    threshold: c.threshold,
    operators: c.operators.map((o) => ({ shareId: o.shareId, name: o.name, group: o.group })),
    network: c.network,
    forkVersion: c.forkVersion,
    name: c.name,
    validators: c.validators.map((v) => ({ pubkey: v.pubkey, publicShares: v.publicShares, commitments: v.commitments })),
  };
}
