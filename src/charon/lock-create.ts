/**
 * A new v1.10 cluster lock for existing validator keys split by a trusted dealer, as `charon create cluster
 * --split-existing-keys` makes it (research/charon.md 1 and 8; interop-formats.md 1.7):
 *
 * - definition: `dkg_algorithm` "default", empty creator, operators carrying only their ENR (no address, no EIP-712
 *   signatures), per-validator fee recipient and withdrawal address, `deposit_amounts` null unless amounts were
 *   given, `consensus_protocol` "", `target_gas_limit` (default 60 000 000, Charon's flag default), `compounding`;
 *   a random upper-case uuid and an RFC 3339 timestamp;
 * - per validator: the public shares in node order (x = 1..n), one deposit per distinct amount (default 1 and 32 ETH,
 *   or 1, 8, 32 and 256 ETH when compounding) and a builder registration timestamped now (Charon's split mode),
 *   both signed with the full key while it is in memory;
 * - `signature_aggregate`: the aggregate of every share of every validator signing the raw lock_hash, computed as
 *   (Σ shares)·H(lock_hash): the same point as summing n·V signatures, for one G2 multiplication;
 * - `node_signatures`: each node's secp256k1 key signing lock_hash (r ‖ s ‖ v, v in {0, 1}).
 *
 * The caller (ceremony/charon-split.ts) has already split and checked the shares; the lock it gets back should be
 * checked with lock-verify.ts after a round trip through the JSON, as that module does.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { Fr, decodeScalar } from '../bls/field.js';
import { encodeG2 } from '../bls/group.js';
import { hashToG2, secretKeyToPublicKey } from '../bls/signature.js';
import { signRegistration } from '../eth/builder-registration.js';
import { GWEI_PER_ETH, createDepositData } from '../eth/deposit.js';
import type { Network } from '../eth/networks.js';
import { executionWithdrawalCredentials, parseExecutionAddress, toChecksumAddress } from '../eth/withdrawal.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, SecretShare } from '../types.js';
import { createEnr } from './enr.js';
import { signDigest65 } from './k1.js';
import { computeConfigHash, computeDefinitionHash, computeLockHash } from './lock-hash.js';
import { LOCK_LIMITS, type ClusterDefinition, type ClusterLock, type DistributedValidator } from './types.js';

/** Charon's `--target-gas-limit` default. */
export const DEFAULT_TARGET_GAS_LIMIT = 60_000_000;
/** Charon's smallest cluster for `create cluster` (`minNodes`, cmd/createcluster.go). */
export const CHARON_MIN_NODES = 3;
/** Charon's smallest threshold for `create cluster` (`minThreshold`). */
export const CHARON_MIN_THRESHOLD = 2;

/** Charon's default deposit amounts (Gwei): 1 and 32 ETH, or 1, 8, 32 and 256 ETH when compounding. */
export function defaultDepositAmounts(compounding: boolean): bigint[] {
  return (compounding ? [1n, 8n, 32n, 256n] : [1n, 32n]).map((e) => e * GWEI_PER_ETH);
}

/** One validator of a split, with its shares in node order. */
export interface LockValidatorInput {
  /** The full validator secret key (32 bytes): signs the deposits and the builder registration. */
  readonly secretKey: Uint8Array;
  /** Secret shares with ids 1..n in node order. */
  readonly shares: readonly SecretShare[];
  /** Public shares (48 bytes) in the same order. */
  readonly publicShares: readonly Uint8Array[];
  /** Fee recipient and withdrawal address: 0x + 40 hex digits (EIP-55 checked when mixed case). */
  readonly feeRecipientAddress: string;
  readonly withdrawalAddress: string;
}

/** Input of {@link createSplitLock}. */
export interface CreateLockInput {
  readonly validators: readonly LockValidatorInput[];
  /** One secp256k1 secret per node (`charon-enr-private-key`), in node order. */
  readonly nodeKeys: readonly Uint8Array[];
  readonly threshold: number;
  /** The network: GENESIS_FORK_VERSION becomes `fork_version` and the deposit and builder domains. */
  readonly network: Network;
  /** Cluster name; Charon leaves it out of the JSON when empty. */
  readonly name?: string;
  /** Gwei per deposit; default {@link defaultDepositAmounts}. Given amounts are also written to the definition. */
  readonly depositAmounts?: readonly bigint[];
  /** 0x02 withdrawal credentials and deposits up to 2048 ETH. Default false. */
  readonly compounding?: boolean;
  /** Default {@link DEFAULT_TARGET_GAS_LIMIT}; also the registrations' gas limit. */
  readonly targetGasLimit?: number;
  /** Default "" (Charon's default protocol). */
  readonly consensusProtocol?: string;
  /** Clock for the definition timestamp and the registrations; default `new Date()`. */
  readonly now?: Date;
  /** Fixed uuid (tests); default random, upper case, as Charon prints it. */
  readonly uuid?: string;
  readonly rng?: RandomBytes;
}

function fail(field: string, message: string): never {
  throw new ValidationError('INVALID_ARGUMENT', `'${field}' ${message}`, { field });
}

function charonUuid(rng: RandomBytes): string {
  const h = bytesToHex(rng(16)).toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 3339 in UTC with whole seconds, e.g. 2025-04-01T12:00:00Z (Go's time.RFC3339 of a UTC time). */
function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function checkInput(input: CreateLockInput): void {
  const n = input.nodeKeys.length;
  if (n < CHARON_MIN_NODES || n > LOCK_LIMITS.operators) fail('nodeKeys', `Charon clusters have ${CHARON_MIN_NODES}..${LOCK_LIMITS.operators} nodes, got ${n}`);
  const t = input.threshold;
  if (!Number.isSafeInteger(t) || t < CHARON_MIN_THRESHOLD || t > n) {
    throw new ValidationError('INVALID_THRESHOLD', `'threshold' must be in ${CHARON_MIN_THRESHOLD}..${n} for a Charon cluster, got ${String(t)}`, { field: 'threshold' });
  }
  const V = input.validators.length;
  if (V < 1 || V > LOCK_LIMITS.validators) fail('validators', `expected 1..${LOCK_LIMITS.validators} validators, got ${V}`);
  input.validators.forEach((v, i) => {
    if (v.shares.length !== n || v.publicShares.length !== n) fail(`validators[${i}].shares`, `expected ${n} shares (one per node)`);
    v.shares.forEach((s, k) => {
      if (s.id !== BigInt(k + 1)) fail(`validators[${i}].shares[${k}]`, `has id ${s.id}; Charon's node ${k} holds share ${k + 1}`);
    });
  });
}

/**
 * Builds, hashes and signs a v1.10.0 lock for a dealer split (see the module comment). Signs with the full keys,
 * the shares and the node keys; wipes nothing it was given (the caller owns those).
 * @throws ValidationError `INVALID_ARGUMENT` (node count, shares in the wrong order, name too long),
 *   `INVALID_THRESHOLD`, `WITHDRAWAL_ADDRESS_INVALID` (`validators[i].withdrawalAddress` / `feeRecipientAddress`),
 *   `AMOUNT_INVALID` (`amounts[j]`), key errors; VerificationError if a deposit does not verify.
 */
export function createSplitLock(input: CreateLockInput): ClusterLock {
  checkInput(input);
  const rng = input.rng ?? systemRandomBytes;
  const now = input.now ?? new Date();
  const compounding = input.compounding === true;
  const gas = input.targetGasLimit ?? DEFAULT_TARGET_GAS_LIMIT;
  if (!Number.isSafeInteger(gas) || gas < 1) fail('targetGasLimit', 'must be a positive integer');
  const name = input.name ?? '';
  if (new TextEncoder().encode(name).length > LOCK_LIMITS.name) fail('name', `is longer than ${LOCK_LIMITS.name} bytes`);
  const amounts = [...new Set(input.depositAmounts ?? defaultDepositAmounts(compounding))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fork = input.network.genesisForkVersion;
  const timestamp = Math.floor(now.getTime() / 1000);

  const addresses = input.validators.map((v, i) => ({
    fee: parseExecutionAddress(v.feeRecipientAddress, `validators[${i}].feeRecipientAddress`),
    withdrawal: parseExecutionAddress(v.withdrawalAddress, `validators[${i}].withdrawalAddress`),
  }));
  const validators: DistributedValidator[] = input.validators.map((v, i) => {
    const pubkey = secretKeyToPublicKey(v.secretKey);
    const { fee, withdrawal } = addresses[i]!;
    const deposits = createDepositData({
      secretKey: v.secretKey,
      withdrawalCredentials: executionWithdrawalCredentials(withdrawal, compounding ? 'compounding' : 'execution'),
      amounts,
      network: input.network,
    });
    const registration = { feeRecipient: fee, gasLimit: gas, timestamp, pubkey };
    return {
      distributedPublicKey: pubkey,
      publicShares: v.publicShares.map((p) => Uint8Array.from(p)),
      deposits: deposits.map((d) => ({ pubkey, withdrawalCredentials: d.withdrawalCredentials, amount: d.amount, signature: d.signature, depositDataRoot: undefined })),
      builderRegistration: { feeRecipient: bytesToHex(fee, true), gasLimit: gas, timestamp, pubkey, signature: signRegistration(v.secretKey, registration, fork) },
    };
  });

  const draft: ClusterDefinition = {
    name,
    creator: { address: '', configSignature: new Uint8Array(0) },
    operators: input.nodeKeys.map((key) => ({ address: '', enr: createEnr(key), configSignature: new Uint8Array(0), enrSignature: new Uint8Array(0) })),
    uuid: input.uuid ?? charonUuid(rng),
    version: 'v1.10.0',
    timestamp: rfc3339(now),
    numValidators: validators.length,
    threshold: input.threshold,
    validators: addresses.map((a) => ({ feeRecipientAddress: toChecksumAddress(a.fee), withdrawalAddress: toChecksumAddress(a.withdrawal) })),
    dkgAlgorithm: 'default',
    forkVersion: Uint8Array.from(fork),
    depositAmounts: input.depositAmounts === undefined ? null : amounts,
    consensusProtocol: input.consensusProtocol ?? '',
    targetGasLimit: gas,
    compounding,
    configHash: new Uint8Array(32),
    definitionHash: new Uint8Array(32),
  };
  const withConfig = { ...draft, configHash: computeConfigHash(draft) };
  const definition = { ...withConfig, definitionHash: computeDefinitionHash(withConfig) };
  const unsigned: ClusterLock = { definition, validators, signatureAggregate: new Uint8Array(96), lockHash: new Uint8Array(32), nodeSignatures: [] };
  const lockHash = computeLockHash(unsigned);

  let sum = 0n;
  input.validators.forEach((v, i) => v.shares.forEach((s, k) => (sum = Fr.add(sum, decodeScalar(s.secret, `validators[${i}].shares[${k}].secret`)))));
  // The sum of the shares is a secret scalar: constant-time multiplication. A bigint cannot be wiped (docs/js-limits.md).
  const signatureAggregate = encodeG2(hashToG2(lockHash).multiply(sum));
  sum = 0n;
  const nodeSignatures = input.nodeKeys.map((key) => signDigest65(key, lockHash));
  return { ...unsigned, lockHash, signatureAggregate, nodeSignatures };
}
