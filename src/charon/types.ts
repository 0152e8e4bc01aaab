/**
 * The Charon cluster lock (`cluster-lock.json`) as data, the lock versions dvkeys reads (v1.6.0 to v1.11.0) and
 * what each version carries, and every cap applied to an untrusted lock.
 *
 * Field meanings and hashing: research/interop-formats.md section 1 (Charon `cluster/definition.go`,
 * `cluster/lock.go`, `cluster/distvalidator.go` @ e6284707). Byte fields are bytes here; hex exists only in
 * lock-parse.ts and lock-json.ts. Addresses and the texts that are hashed as their exact UTF-8 bytes (uuid, name,
 * timestamp, ENR, ...) are kept as the strings written, so a lock re-serialises to the same values.
 *
 * @module
 */

/** Lock versions dvkeys reads. v1.0 to v1.5 use other layouts and are refused. */
export const LOCK_VERSIONS = ['v1.6.0', 'v1.7.0', 'v1.8.0', 'v1.9.0', 'v1.10.0', 'v1.11.0'] as const;

/** A supported lock version. */
export type LockVersion = (typeof LOCK_VERSIONS)[number];

/** The version dvkeys writes (obol-sdk, the Obol API and `charon run` since 2025 read it; decision 0600). */
export const DEFAULT_LOCK_VERSION: LockVersion = 'v1.10.0';

/** What a lock version carries (interop-formats.md 1.1). */
export interface LockFeatures {
  /** v1.6, v1.7: one `deposit_data` per validator. v1.8+: a `partial_deposit_data` list. */
  readonly partialDeposits: boolean;
  /** v1.7+: `builder_registration` per validator and `node_signatures`. */
  readonly registrations: boolean;
  /** v1.8+: `deposit_amounts` in the definition. */
  readonly depositAmounts: boolean;
  /** v1.9+: `consensus_protocol`. */
  readonly consensusProtocol: boolean;
  /** v1.10+: `target_gas_limit` and `compounding`. */
  readonly gasLimitAndCompounding: boolean;
  /** v1.11: operator and creator signatures hash as List[Bytes65, 32] (multisig). */
  readonly signatureLists: boolean;
}

/** The features of a version. */
export function lockFeatures(version: LockVersion): LockFeatures {
  const minor = Number(version.split('.')[1]);
  return {
    partialDeposits: minor >= 8,
    registrations: minor >= 7,
    depositAmounts: minor >= 8,
    consensusProtocol: minor >= 9,
    gasLimitAndCompounding: minor >= 10,
    signatureLists: minor >= 11,
  };
}

/** Caps on an untrusted lock (design convention 2). SSZ list limits of Charon's `cluster/ssz.go` where they exist. */
export const LOCK_LIMITS = {
  /** Longest lock text accepted (a 4-node validator takes about 2.3 KB; 10 000 validators fit). */
  textLength: 48 * 1024 * 1024,
  /** Operators (SSZ List[Operator, 256]). */
  operators: 256,
  /** Validators we verify in one lock (Charon's SSZ limit is 65536; its tests go to 5000). */
  validators: 16_384,
  /** Deposits per validator (SSZ List[DepositData, 256]) and definition deposit amounts (List[uint64, 256]). */
  deposits: 256,
  /** Byte-list limits of the hashed text fields (ByteList[N]). */
  uuid: 64,
  name: 256,
  version: 16,
  timestamp: 32,
  dkgAlgorithm: 32,
  consensusProtocol: 256,
  enr: 1024,
  /** v1.11 signatures: List[Bytes65, 32]. */
  signaturesPerList: 32,
} as const;

/** One operator of the definition. Empty strings and byte arrays mean "absent" (solo clusters). */
export interface LockOperator {
  /** Execution address as written ("" when none); hashed as 20 bytes. */
  readonly address: string;
  /** The node's ENR text (`enr:...`), hashed as its exact UTF-8 bytes. */
  readonly enr: string;
  /** EIP-712 signature of the config hash: 0 or 65 bytes (v1.11: a multiple of 65). */
  readonly configSignature: Uint8Array;
  /** EIP-712 signature of the ENR: 0 or 65 bytes (v1.11: a multiple of 65). */
  readonly enrSignature: Uint8Array;
}

/** The cluster creator. */
export interface LockCreator {
  readonly address: string;
  readonly configSignature: Uint8Array;
}

/** Per-validator addresses of the definition (v1.5+). */
export interface LockValidatorAddresses {
  readonly feeRecipientAddress: string;
  readonly withdrawalAddress: string;
}

/** `cluster_definition`. Fields a version does not have hold neutral values and are not written or hashed. */
export interface ClusterDefinition {
  readonly name: string;
  readonly creator: LockCreator;
  readonly operators: readonly LockOperator[];
  readonly uuid: string;
  readonly version: LockVersion;
  /** As written ("" when absent). */
  readonly timestamp: string;
  readonly numValidators: number;
  readonly threshold: number;
  readonly validators: readonly LockValidatorAddresses[];
  readonly dkgAlgorithm: string;
  /** GENESIS_FORK_VERSION of the network, 4 bytes. */
  readonly forkVersion: Uint8Array;
  /** Gwei (v1.8+); null when the JSON holds null or nothing (hashed as the empty list). */
  readonly depositAmounts: readonly bigint[] | null;
  /** v1.9+ ("" before). */
  readonly consensusProtocol: string;
  /** v1.10+ (0 before). */
  readonly targetGasLimit: number;
  /** v1.10+ (false before). */
  readonly compounding: boolean;
  readonly configHash: Uint8Array;
  readonly definitionHash: Uint8Array;
}

/** A deposit in a lock: phase0 DepositData, plus the Obol API's optional `deposit_data_root`. */
export interface LockDeposit {
  readonly pubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
  readonly signature: Uint8Array;
  /** Written by the Obol API (hex without 0x); not hashed; checked when present. */
  readonly depositDataRoot: Uint8Array | undefined;
}

/** builder-specs ValidatorRegistrationV1 with its signature. */
export interface LockRegistration {
  /** As written (Charon writes lower case, the Obol API the definition's spelling). */
  readonly feeRecipient: string;
  readonly gasLimit: number;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly pubkey: Uint8Array;
  readonly signature: Uint8Array;
}

/** One distributed validator. */
export interface DistributedValidator {
  readonly distributedPublicKey: Uint8Array;
  /** In operator order: public_shares[i] is share x = i + 1. */
  readonly publicShares: readonly Uint8Array[];
  /** v1.6, v1.7: exactly one (`deposit_data`); v1.8+: the `partial_deposit_data` list. */
  readonly deposits: readonly LockDeposit[];
  /** v1.7+; null before. */
  readonly builderRegistration: LockRegistration | null;
}

/** A parsed `cluster-lock.json`. */
export interface ClusterLock {
  readonly definition: ClusterDefinition;
  readonly validators: readonly DistributedValidator[];
  readonly signatureAggregate: Uint8Array;
  readonly lockHash: Uint8Array;
  /** v1.7+: 65-byte secp256k1 signatures r‖s‖v, one per operator; empty before. */
  readonly nodeSignatures: readonly Uint8Array[];
}
