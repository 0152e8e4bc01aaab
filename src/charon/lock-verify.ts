/**
 * Verification of a parsed Charon cluster lock: what `charon run` checks at start (Charon `cluster/lock.go`
 * `VerifyHashes`, `VerifySignatures`; research/interop-formats.md 1.7, 1.8) plus the deposit data that Charon checks
 * only when writing deposit files, in this order:
 *
 * 1. hashes: config_hash, definition_hash, lock_hash recompute (lock-hash.ts);
 * 2. definition: deposit amount rules of Charon's loader;
 * 3. enrs: every operator ENR decodes and its v4 signature verifies; no node key twice;
 * 4. operator-signatures: EIP-712 config and ENR signatures of operators and creator recover to their addresses.
 *    A signature that does not recover is a warning, not a failure, unless `strictOperatorSignatures`: a smart-
 *    contract (Safe, ERC-1271) operator can only be checked on chain (decision 0602);
 * 5. public-shares: valid points, no repeated key or share, and the shares lie on one polynomial of degree
 *    exactly t-1 through the distributed key (sharing/recombine.ts; Charon's `verifySharesReconstruct`);
 * 6. builder-registrations (v1.7+): message = {definition's fee recipient, the distributed key}, BLS signature by
 *    the distributed key under DOMAIN_APPLICATION_BUILDER;
 * 7. deposit-data: pubkey, withdrawal credentials (0x01, or 0x02 when compounding, to the definition's withdrawal
 *    address), amount rules, the signature under DOMAIN_DEPOSIT and `deposit_data_root` where present;
 * 8. signature-aggregate: FastAggregateVerify of every public share of every validator over the raw lock_hash;
 * 9. node-signatures (v1.7+): each recovers, over the raw lock_hash, to its operator's ENR key.
 *
 * Semantic checks run before the signature checks so that a field changed with the hashes recomputed is named.
 *
 * @module
 */
import { bytesToHex, constantTimeEqual, hexToBytes } from '../bytes.js';
import { isDvkeysError, VerificationError, type ErrorCode } from '../errors.js';
import { decodeG1 } from '../bls/group.js';
import { batchVerify, fastAggregateVerify, verify, type SignatureItem } from '../bls/signature.js';
import { depositSigningRoot, validateDepositAmounts, validateDepositAmount } from '../eth/deposit.js';
import { registrationSigningRoot } from '../eth/builder-registration.js';
import { depositDataRoot } from '../eth/ssz.js';
import { executionWithdrawalCredentials } from '../eth/withdrawal.js';
import { customNetwork, networkByForkVersion } from '../eth/networks.js';
import { systemRandomBytes } from '../random.js';
import { checkRecombination } from '../sharing/recombine.js';
import { toShareIndex, type RandomBytes } from '../types.js';
import { chainIdOfForkVersion, eip712Digest, type Eip712Kind } from './eip712.js';
import { decodeEnr } from './enr.js';
import { ethAddressOf, recoverDigest65 } from './k1.js';
import { computeConfigHash, computeDefinitionHash, computeLockHash } from './lock-hash.js';
import { lockFeatures, type ClusterLock } from './types.js';

/** The checks, in the order they run. */
export const LOCK_CHECKS = ['hashes', 'definition', 'enrs', 'operator-signatures', 'public-shares', 'builder-registrations', 'deposit-data', 'signature-aggregate', 'node-signatures'] as const;
/** One check of {@link verifyClusterLock}. */
export type LockCheck = (typeof LOCK_CHECKS)[number];

/** The outcome of one check. `warn` passes but says what could not be checked offline. */
export interface LockCheckResult {
  readonly check: LockCheck;
  readonly status: 'pass' | 'warn' | 'fail' | 'skipped';
  readonly detail: string;
  /** Set when the check failed. */
  readonly code?: ErrorCode;
  /** The JSON path at fault, e.g. `distributed_validators[1].public_shares[2]`. */
  readonly field?: string;
}

/** The verification report: `ok` when no check failed. */
export interface LockReport {
  readonly ok: boolean;
  readonly checks: readonly LockCheckResult[];
  /** The node keys (33-byte compressed secp256k1) of the operators' ENRs; undefined where an ENR is invalid. */
  readonly nodeKeys: readonly (Uint8Array | undefined)[];
}

/** Options of {@link verifyClusterLock}. */
export interface VerifyLockOptions {
  /** Fail (instead of warn) on an EIP-712 signature that does not recover to its address. Default false. */
  readonly strictOperatorSignatures?: boolean;
  /** Randomness for batch verification weights. */
  readonly rng?: RandomBytes;
}

class Failure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
const failure = (code: ErrorCode, field: string, message: string): Failure => new Failure(code, field, message);
const same = (a: Uint8Array, b: Uint8Array): boolean => constantTimeEqual(a, b);
/** An address string of a parsed lock ("" or 0x + 40 hex digits) as 20 bytes; "" is 20 zero bytes, as hashed. */
const addressBytes = (text: string): Uint8Array => (text === '' ? new Uint8Array(20) : hexToBytes(text, 'address', { allowUppercase: true, length: 20 }));

function run(check: LockCheck, body: () => { status?: 'pass' | 'warn' | 'skipped'; detail: string }): LockCheckResult {
  try {
    const r = body();
    return { check, status: r.status ?? 'pass', detail: r.detail };
  } catch (e) {
    if (e instanceof Failure) return { check, status: 'fail', detail: `'${e.field}' ${e.message}`, code: e.code, field: e.field };
    if (isDvkeysError(e)) return { check, status: 'fail', detail: e.message, code: e.code, ...(e.field === undefined ? {} : { field: e.field }) };
    throw e;
  }
}

function checkHashes(lock: ClusterLock): { detail: string } {
  const def = lock.definition;
  if (!same(computeConfigHash(def), def.configHash)) throw failure('LOCK_HASH_MISMATCH', 'cluster_definition.config_hash', 'does not match the definition (uuid, name, version, timestamp, counts, threshold, fork version, addresses, amounts, ...)');
  if (!same(computeDefinitionHash(def), def.definitionHash)) throw failure('LOCK_HASH_MISMATCH', 'cluster_definition.definition_hash', 'does not match the definition (ENRs, operator and creator signatures, config_hash)');
  if (!same(computeLockHash(lock), lock.lockHash)) throw failure('LOCK_HASH_MISMATCH', 'lock_hash', 'does not match the definition and distributed validators (public shares, deposits, registrations)');
  return { detail: `config ${bytesToHex(def.configHash, true).slice(0, 10)}…, definition ${bytesToHex(def.definitionHash, true).slice(0, 10)}…, lock ${bytesToHex(lock.lockHash, true).slice(0, 10)}… recompute` };
}

function checkDefinition(lock: ClusterLock): { detail: string } {
  const def = lock.definition;
  const amounts = def.depositAmounts ?? [];
  if (amounts.length > 0) {
    const kind = def.compounding ? 'compounding' : 'execution';
    try {
      validateDepositAmounts(amounts, kind);
    } catch (e) {
      const at = isDvkeysError(e) && e.field?.startsWith('amounts[') ? e.field.slice('amounts'.length) : '';
      throw failure('AMOUNT_INVALID', `cluster_definition.deposit_amounts${at}`, isDvkeysError(e) ? e.message : 'is invalid');
    }
  }
  const net = networkByForkVersion(def.forkVersion)?.name ?? (chainIdOfForkVersion(def.forkVersion) === undefined ? 'an unknown network' : 'a network dvkeys does not sign for');
  return { detail: `${def.version}, ${def.threshold}-of-${def.operators.length}, ${def.numValidators} validator(s), fork version ${bytesToHex(def.forkVersion, true)} (${net})` };
}

function decodeNodeKeys(lock: ClusterLock): (Uint8Array | undefined)[] {
  return lock.definition.operators.map((op, i) => {
    try {
      return decodeEnr(op.enr, `cluster_definition.operators[${i}].enr`).publicKey;
    } catch {
      return undefined;
    }
  });
}

function checkEnrs(lock: ClusterLock): { detail: string } {
  const seen = new Set<string>();
  lock.definition.operators.forEach((op, i) => {
    const field = `cluster_definition.operators[${i}].enr`;
    const key = bytesToHex(decodeEnr(op.enr, field).publicKey);
    if (seen.has(key)) throw failure('LOCK_INVALID', field, 'repeats the node key of another operator');
    seen.add(key);
  });
  return { detail: `${lock.definition.operators.length} ENRs decode and their v4 signatures verify` };
}

function checkOperatorSignatures(lock: ClusterLock, strict: boolean): { status?: 'warn' | 'skipped'; detail: string } {
  const def = lock.definition;
  const at = 'cluster_definition';
  const signed = def.operators.map((op) => op.address !== '' || op.configSignature.length > 0 || op.enrSignature.length > 0);
  const creatorSigned = def.creator.address !== '' || def.creator.configSignature.length > 0;
  if (signed.some((s) => s) && !signed.every((s) => s)) {
    const i = signed.indexOf(false);
    throw failure('LOCK_INVALID', `${at}.operators[${i}].config_signature`, 'is unsigned while other operators signed');
  }
  if (!signed[0] && !creatorSigned) return { status: 'skipped', detail: 'solo cluster: no operator or creator signatures' };
  const chainId = chainIdOfForkVersion(def.forkVersion);
  if (chainId === undefined) return { status: 'skipped', detail: 'unknown fork version: no EIP-712 chain id to check operator signatures with' };
  const unverified: string[] = [];
  const check = (address: string, sig: Uint8Array, kind: Eip712Kind, value: Uint8Array | string, field: string): void => {
    if (address === '' || sig.length === 0) throw failure('LOCK_INVALID', field, 'is missing: a signer needs an address and a signature');
    const pub = sig.length === 65 ? recoverDigest65(sig, eip712Digest(kind, value, chainId)) : undefined;
    if (pub !== undefined && same(ethAddressOf(pub), addressBytes(address))) return;
    if (strict) throw failure('SIGNATURE_INVALID', field, `does not recover to ${address}`);
    unverified.push(field);
  };
  if (signed[0]) {
    def.operators.forEach((op, i) => {
      check(op.address, op.configSignature, 'operator-config', def.configHash, `${at}.operators[${i}].config_signature`);
      check(op.address, op.enrSignature, 'enr', op.enr, `${at}.operators[${i}].enr_signature`);
    });
  }
  if (creatorSigned) check(def.creator.address, def.creator.configSignature, 'creator-config', def.configHash, `${at}.creator.config_signature`);
  const n = (signed[0] ? 2 * def.operators.length : 0) + (creatorSigned ? 1 : 0);
  if (unverified.length > 0) {
    return { status: 'warn', detail: `${n - unverified.length} of ${n} EIP-712 signatures recover to their addresses; ${unverified.join(', ')} do not (a smart-contract wallet, ERC-1271, can only be checked on chain)` };
  }
  return { detail: `${n} EIP-712 signatures recover to their addresses (chain id ${chainId})` };
}

function checkPublicShares(lock: ClusterLock, rng: RandomBytes): { detail: string } {
  const t = lock.definition.threshold;
  const keys = new Map<string, number>();
  const shares = new Map<string, string>();
  lock.validators.forEach((dv, v) => {
    const at = `distributed_validators[${v}]`;
    decodeG1(dv.distributedPublicKey, `${at}.distributed_public_key`);
    const hex = bytesToHex(dv.distributedPublicKey);
    if (keys.has(hex)) throw failure('DUPLICATE_KEY', `${at}.distributed_public_key`, `repeats distributed_validators[${keys.get(hex)!}]`);
    keys.set(hex, v);
    dv.publicShares.forEach((s, i) => {
      decodeG1(s, `${at}.public_shares[${i}]`);
      const sh = bytesToHex(s);
      const prior = shares.get(sh);
      if (prior !== undefined) throw failure('DUPLICATE_SHARE_ID', `${at}.public_shares[${i}]`, `repeats ${prior}`);
      shares.set(sh, `${at}.public_shares[${i}]`);
    });
    const report = checkRecombination(
      { threshold: t, groupPublicKey: dv.distributedPublicKey, publicShares: dv.publicShares.map((publicKey, i) => ({ id: toShareIndex(i + 1), publicKey })) },
      { rng },
    );
    const bad = report.checks.find((c) => c.status === 'fail');
    if (bad !== undefined) {
      const culprit = bad.culprits.length === 1 ? `[${Number(bad.culprits[0]) - 1}]` : '';
      throw failure(bad.code ?? 'DEGREE_CHECK_FAILED', `${at}.public_shares${culprit}`, bad.detail);
    }
  });
  return { detail: `${lock.validators.length} validator(s): every share is a valid point and the ${lock.definition.operators.length} shares lie on one degree ${t - 1} polynomial through the distributed key` };
}

/** Verifies items in one batch; on failure finds the first bad one and throws naming its field. */
function batch(items: readonly (SignatureItem & { field: string })[], rng: RandomBytes, what: string): void {
  if (items.length === 0 || batchVerify(items, rng)) return;
  const bad = items.find((it) => !verify(it.publicKey, it.message, it.signature));
  if (bad !== undefined) throw failure('SIGNATURE_INVALID', bad.field, `does not verify (${what})`);
}

function checkRegistrations(lock: ClusterLock, rng: RandomBytes): { status?: 'skipped'; detail: string } {
  if (!lockFeatures(lock.definition.version).registrations) return { status: 'skipped', detail: `${lock.definition.version} has no builder registrations` };
  const items = lock.validators.map((dv, v) => {
    const r = dv.builderRegistration!;
    const at = `distributed_validators[${v}].builder_registration`;
    if (!same(r.pubkey, dv.distributedPublicKey)) throw failure('LOCK_INVALID', `${at}.message.pubkey`, 'is not the distributed public key');
    const fee = addressBytes(r.feeRecipient);
    if (!same(fee, addressBytes(lock.definition.validators[v]!.feeRecipientAddress))) {
      throw failure('LOCK_INVALID', `${at}.message.fee_recipient`, `is not cluster_definition.validators[${v}].fee_recipient_address`);
    }
    const message = registrationSigningRoot({ feeRecipient: fee, gasLimit: r.gasLimit, timestamp: r.timestamp, pubkey: r.pubkey }, lock.definition.forkVersion);
    return { publicKey: r.pubkey, message, signature: r.signature, field: `${at}.signature` };
  });
  batch(items, rng, 'builder registration signature by the distributed key, DOMAIN_APPLICATION_BUILDER');
  return { detail: `${items.length} builder registration(s) match the definition and verify under the distributed keys` };
}

function checkDeposits(lock: ClusterLock, rng: RandomBytes): { detail: string } {
  const def = lock.definition;
  const kind = def.compounding ? 'compounding' : 'execution';
  const network = networkByForkVersion(def.forkVersion) ?? customNetwork({ name: 'lock-network', genesisForkVersion: def.forkVersion });
  const key = lockFeatures(def.version).partialDeposits ? 'partial_deposit_data' : 'deposit_data';
  const items: (SignatureItem & { field: string })[] = [];
  lock.validators.forEach((dv, v) => {
    const address = def.validators[v]!.withdrawalAddress;
    dv.deposits.forEach((d, j) => {
      const at = `distributed_validators[${v}].${key}${key === 'deposit_data' ? '' : `[${j}]`}`;
      if (!same(d.pubkey, dv.distributedPublicKey)) throw failure('DEPOSIT_INVALID', `${at}.pubkey`, 'is not the distributed public key');
      if (address === '' || !same(d.withdrawalCredentials, executionWithdrawalCredentials(addressBytes(address), kind))) {
        throw failure('DEPOSIT_INVALID', `${at}.withdrawal_credentials`, `are not ${kind === 'compounding' ? '0x02' : '0x01'} credentials to cluster_definition.validators[${v}].withdrawal_address`);
      }
      validateDepositAmount(d.amount, kind, `${at}.amount`);
      if (d.depositDataRoot !== undefined && !same(depositDataRoot(d), d.depositDataRoot)) {
        throw failure('DEPOSIT_INVALID', `${at}.deposit_data_root`, 'does not match the deposit data');
      }
      items.push({ publicKey: d.pubkey, message: depositSigningRoot(d, network), signature: d.signature, field: `${at}.signature` });
    });
  });
  batch(items, rng, 'deposit signature by the distributed key, DOMAIN_DEPOSIT');
  return { detail: `${items.length} deposit(s) match the definition and verify under the distributed keys` };
}

function checkAggregate(lock: ClusterLock): { detail: string } {
  const shares = lock.validators.flatMap((dv) => dv.publicShares);
  if (!fastAggregateVerify(shares, lock.lockHash, lock.signatureAggregate)) {
    throw failure('SIGNATURE_INVALID', 'signature_aggregate', 'is not the aggregate of every public share signing lock_hash');
  }
  return { detail: `the aggregate signature of all ${shares.length} shares over lock_hash verifies` };
}

function checkNodeSignatures(lock: ClusterLock, nodeKeys: readonly (Uint8Array | undefined)[]): { status?: 'skipped'; detail: string } {
  if (!lockFeatures(lock.definition.version).registrations) return { status: 'skipped', detail: `${lock.definition.version} has no node signatures` };
  lock.nodeSignatures.forEach((sig, i) => {
    const field = `node_signatures[${i}]`;
    const expected = nodeKeys[i];
    if (expected === undefined) throw failure('LOCK_INVALID', `cluster_definition.operators[${i}].enr`, 'is invalid, so node_signatures cannot be checked');
    const got = sig[64]! <= 1 ? recoverDigest65(sig, lock.lockHash) : undefined;
    if (got === undefined || !same(got, expected)) throw failure('SIGNATURE_INVALID', field, "is not a signature of lock_hash by the operator's ENR key");
  });
  return { detail: `${lock.nodeSignatures.length} node signatures over lock_hash recover to the operators' ENR keys` };
}

/**
 * Runs every check of the module comment on a parsed lock and reports each; a failed check does not stop later
 * ones (each is independent of the others' results).
 * @throws nothing for a failed check; only programming errors escape.
 */
export function verifyClusterLock(lock: ClusterLock, options: VerifyLockOptions = {}): LockReport {
  const rng = options.rng ?? systemRandomBytes;
  const nodeKeys = decodeNodeKeys(lock);
  const checks = [
    run('hashes', () => checkHashes(lock)),
    run('definition', () => checkDefinition(lock)),
    run('enrs', () => checkEnrs(lock)),
    run('operator-signatures', () => checkOperatorSignatures(lock, options.strictOperatorSignatures === true)),
    run('public-shares', () => checkPublicShares(lock, rng)),
    run('builder-registrations', () => checkRegistrations(lock, rng)),
    run('deposit-data', () => checkDeposits(lock, rng)),
    run('signature-aggregate', () => checkAggregate(lock)),
    run('node-signatures', () => checkNodeSignatures(lock, nodeKeys)),
  ];
  return { ok: checks.every((c) => c.status !== 'fail'), checks, nodeKeys };
}

/**
 * {@link verifyClusterLock}, throwing the first failed check.
 * @throws VerificationError with the check's code (`LOCK_HASH_MISMATCH`, `SIGNATURE_INVALID`, `LOCK_INVALID`,
 *   `DEGREE_CHECK_FAILED`, `DUPLICATE_KEY`, `DEPOSIT_INVALID`, `AMOUNT_INVALID`, `INVALID_POINT`, ...) and `field`.
 */
export function assertClusterLock(lock: ClusterLock, options: VerifyLockOptions = {}): LockReport {
  const report = verifyClusterLock(lock, options);
  const bad = report.checks.find((c) => c.status === 'fail');
  if (bad !== undefined) {
    throw new VerificationError(bad.code ?? 'LOCK_INVALID', `cluster lock ${bad.check}: ${bad.detail}`, bad.field === undefined ? {} : { field: bad.field });
  }
  return report;
}
