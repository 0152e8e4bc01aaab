/**
 * Serialises a cluster lock the way Charon writes it (research/interop-formats.md 1.2): Charon's key order, byte
 * fields as `0x` + lowercase hex (`""` for an empty signature), amounts as decimal strings, gas limits and
 * timestamps as numbers, addresses and hashed texts exactly as held, `name` and `timestamp` left out when empty
 * (Go `omitempty`), `deposit_amounts` null when absent, indentation of one space and no final newline
 * (`json.MarshalIndent(lock, "", " ")`). Fields a version does not have are not written.
 *
 * `serializeClusterLock(parseClusterLock(x))` gives back `x` for any lock in Charon's key order; locks from the
 * Obol API (another key order) come back in Charon's order with the same values and hashes.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { lockFeatures, type ClusterDefinition, type ClusterLock, type DistributedValidator, type LockDeposit } from './types.js';

const hex = (b: Uint8Array): string => (b.length === 0 ? '' : bytesToHex(b, true));

function definitionJson(def: ClusterDefinition): Record<string, unknown> {
  const f = lockFeatures(def.version);
  const out: Record<string, unknown> = {};
  if (def.name !== '') out.name = def.name;
  out.creator = { address: def.creator.address, config_signature: hex(def.creator.configSignature) };
  out.operators = def.operators.map((op) => ({
    address: op.address,
    enr: op.enr,
    config_signature: hex(op.configSignature),
    enr_signature: hex(op.enrSignature),
  }));
  out.uuid = def.uuid;
  out.version = def.version;
  if (def.timestamp !== '') out.timestamp = def.timestamp;
  out.num_validators = def.numValidators;
  out.threshold = def.threshold;
  out.validators = def.validators.map((v) => ({ fee_recipient_address: v.feeRecipientAddress, withdrawal_address: v.withdrawalAddress }));
  out.dkg_algorithm = def.dkgAlgorithm;
  out.fork_version = hex(def.forkVersion);
  if (f.depositAmounts) out.deposit_amounts = def.depositAmounts === null ? null : def.depositAmounts.map(String);
  if (f.consensusProtocol) out.consensus_protocol = def.consensusProtocol;
  if (f.gasLimitAndCompounding) {
    out.target_gas_limit = def.targetGasLimit;
    out.compounding = def.compounding;
  }
  out.config_hash = hex(def.configHash);
  out.definition_hash = hex(def.definitionHash);
  return out;
}

function depositJson(d: LockDeposit): Record<string, unknown> {
  return {
    pubkey: hex(d.pubkey),
    withdrawal_credentials: hex(d.withdrawalCredentials),
    amount: d.amount.toString(),
    signature: hex(d.signature),
    ...(d.depositDataRoot === undefined ? {} : { deposit_data_root: bytesToHex(d.depositDataRoot) }),
  };
}

function validatorJson(dv: DistributedValidator, partial: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    distributed_public_key: hex(dv.distributedPublicKey),
    public_shares: dv.publicShares.map(hex),
  };
  if (!partial) out.deposit_data = depositJson(dv.deposits[0]!);
  const r = dv.builderRegistration;
  if (r !== null) {
    out.builder_registration = {
      message: { fee_recipient: r.feeRecipient, gas_limit: r.gasLimit, timestamp: r.timestamp, pubkey: hex(r.pubkey) },
      signature: hex(r.signature),
    };
  }
  if (partial) out.partial_deposit_data = dv.deposits.map(depositJson);
  return out;
}

/** The lock as a JSON value in Charon's key order (see the module comment). */
export function clusterLockToJson(lock: ClusterLock): Record<string, unknown> {
  const f = lockFeatures(lock.definition.version);
  const out: Record<string, unknown> = {
    cluster_definition: definitionJson(lock.definition),
    distributed_validators: lock.validators.map((dv) => validatorJson(dv, f.partialDeposits)),
    signature_aggregate: hex(lock.signatureAggregate),
    lock_hash: hex(lock.lockHash),
  };
  if (f.registrations) out.node_signatures = lock.nodeSignatures.map(hex);
  return out;
}

/**
 * The text of `cluster-lock.json` as Charon writes it: one-space indentation, no final newline, and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as `\u003c` and so on, as Go's encoding/json does (they can only occur inside strings).
 */
export function serializeClusterLock(lock: ClusterLock): string {
  return JSON.stringify(clusterLockToJson(lock), null, 1).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
