/**
 * Strict parser of Charon `cluster-lock.json`, versions v1.6.0 to v1.11.0 (research/interop-formats.md 1.2;
 * Charon `cluster/lock.go`, `cluster/definition.go` @ e6284707).
 *
 * Structure only: every field typed, every byte field `0x` + lowercase hex of its exact length (or `""` where
 * Charon writes an empty value), numbers safe integers, amounts canonical decimal strings, the fields of the
 * lock's version present and no others (the Obol API's `deposit_data_root` is the one extra accepted), counts
 * consistent (`num_validators`, one public share and one node signature per operator) and every list within
 * {@link LOCK_LIMITS}. Hashes, points and signatures are checked by lock-verify.ts.
 *
 * Unknown fields are refused, unlike Charon (which ignores them): an unknown field is not hashed, so it could
 * carry anything past the hashes (decision 0601).
 *
 * @module
 */
import { hexToBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { parseJsonText, parseUint64String } from '../json.js';
import { LOCK_LIMITS, LOCK_VERSIONS, lockFeatures, type ClusterDefinition, type ClusterLock, type DistributedValidator, type LockDeposit, type LockOperator, type LockRegistration, type LockVersion } from './types.js';

type Obj = Readonly<Record<string, unknown>>;

function fail(field: string, message: string): never {
  throw new ValidationError('LOCK_INVALID', `'${field}' ${message}`, { field });
}

function object(value: unknown, field: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'expected an object');
  const obj = value as Obj;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) fail(`${field}.${key.slice(0, 40)}`, 'is not a field of this lock version');
  }
  for (const key of required) if (!Object.prototype.hasOwnProperty.call(obj, key)) fail(`${field}.${key}`, 'is missing');
  return obj;
}

function array(value: unknown, field: string, min: number, max: number): readonly unknown[] {
  if (!Array.isArray(value)) fail(field, 'expected an array');
  if (value.length > max) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' has ${value.length} entries; the limit is ${max}`, { field });
  }
  if (value.length < min) fail(field, `needs at least ${min} entries`);
  return value;
}

function string(value: unknown, field: string, maxBytes: number): string {
  if (typeof value !== 'string') fail(field, 'expected a string');
  if (new TextEncoder().encode(value).length > maxBytes) fail(field, `is longer than ${maxBytes} bytes`);
  return value;
}

function integer(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(field, `expected an integer >= ${min}`);
  return value;
}

/** `0x` + lowercase hex of exactly `length` bytes; `""` too when `emptyOk`. */
function bytes(value: unknown, field: string, length: number, emptyOk = false): Uint8Array {
  if (emptyOk && value === '') return new Uint8Array(0);
  return hexToBytes(value, field, { prefix: 'required', length });
}

/** EIP-712 signature field: `""` or 65 bytes (v1.11: k × 65 bytes, k <= 32). */
function eip712(value: unknown, field: string, lists: boolean): Uint8Array {
  if (value === '') return new Uint8Array(0);
  const b = hexToBytes(value, field, { prefix: 'required' });
  const ok = lists ? b.length % 65 === 0 && b.length / 65 <= LOCK_LIMITS.signaturesPerList : b.length === 65;
  if (!ok || b.length === 0) fail(field, lists ? 'expected signatures of 65 bytes each' : 'expected a 65-byte signature');
  return b;
}

/** An address as written: `""` or `0x` + 40 hex digits in any case. */
function address(value: unknown, field: string, emptyOk: boolean): string {
  if (typeof value !== 'string') fail(field, 'expected an address string');
  if (value === '' && emptyOk) return value;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) fail(field, 'expected 0x and 40 hex digits');
  return value;
}

function version(value: unknown, field: string): LockVersion {
  if (typeof value !== 'string' || !(LOCK_VERSIONS as readonly string[]).includes(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value;
    fail(field, `${shown} is not a lock version dvkeys reads (${LOCK_VERSIONS.join(', ')})`);
  }
  return value as LockVersion;
}

function parseDefinition(value: unknown): ClusterDefinition {
  const at = 'cluster_definition';
  const peek = typeof value === 'object' && value !== null ? (value as Obj).version : undefined;
  const v = version(peek, `${at}.version`);
  const f = lockFeatures(v);
  const required = ['creator', 'operators', 'uuid', 'version', 'num_validators', 'threshold', 'validators', 'dkg_algorithm', 'fork_version', 'config_hash', 'definition_hash'];
  if (f.consensusProtocol) required.push('consensus_protocol');
  if (f.gasLimitAndCompounding) required.push('target_gas_limit', 'compounding');
  const optional = ['name', 'timestamp', ...(f.depositAmounts ? ['deposit_amounts'] : [])];
  const obj = object(value, at, required, optional);

  const c = object(obj.creator, `${at}.creator`, ['address', 'config_signature']);
  const creator = {
    address: address(c.address, `${at}.creator.address`, true),
    configSignature: eip712(c.config_signature, `${at}.creator.config_signature`, f.signatureLists),
  };
  const operators: LockOperator[] = array(obj.operators, `${at}.operators`, 1, LOCK_LIMITS.operators).map((o, i) => {
    const of = `${at}.operators[${i}]`;
    const op = object(o, of, ['address', 'enr', 'config_signature', 'enr_signature']);
    return {
      address: address(op.address, `${of}.address`, true),
      enr: string(op.enr, `${of}.enr`, LOCK_LIMITS.enr),
      configSignature: eip712(op.config_signature, `${of}.config_signature`, f.signatureLists),
      enrSignature: eip712(op.enr_signature, `${of}.enr_signature`, f.signatureLists),
    };
  });
  const numValidators = integer(obj.num_validators, `${at}.num_validators`, 1);
  if (numValidators > LOCK_LIMITS.validators) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${at}.num_validators' is ${numValidators}; the limit is ${LOCK_LIMITS.validators}`, { field: `${at}.num_validators` });
  }
  const threshold = integer(obj.threshold, `${at}.threshold`, 1);
  if (threshold > operators.length) fail(`${at}.threshold`, `is ${threshold}, more than the ${operators.length} operators`);
  const validators = array(obj.validators, `${at}.validators`, 0, LOCK_LIMITS.validators).map((x, i) => {
    const vf = `${at}.validators[${i}]`;
    const o = object(x, vf, ['fee_recipient_address', 'withdrawal_address']);
    return {
      feeRecipientAddress: address(o.fee_recipient_address, `${vf}.fee_recipient_address`, true),
      withdrawalAddress: address(o.withdrawal_address, `${vf}.withdrawal_address`, true),
    };
  });
  if (validators.length !== numValidators) fail(`${at}.validators`, `has ${validators.length} entries but num_validators is ${numValidators}`);
  let depositAmounts: bigint[] | null = null;
  if (obj.deposit_amounts !== undefined && obj.deposit_amounts !== null) {
    depositAmounts = array(obj.deposit_amounts, `${at}.deposit_amounts`, 0, LOCK_LIMITS.deposits).map((a, i) =>
      parseUint64String(a, `${at}.deposit_amounts[${i}]`, 'LOCK_INVALID'),
    );
  }
  return {
    name: obj.name === undefined ? '' : string(obj.name, `${at}.name`, LOCK_LIMITS.name),
    creator,
    operators,
    uuid: string(obj.uuid, `${at}.uuid`, LOCK_LIMITS.uuid),
    version: v,
    timestamp: obj.timestamp === undefined ? '' : string(obj.timestamp, `${at}.timestamp`, LOCK_LIMITS.timestamp),
    numValidators,
    threshold,
    validators,
    dkgAlgorithm: string(obj.dkg_algorithm, `${at}.dkg_algorithm`, LOCK_LIMITS.dkgAlgorithm),
    forkVersion: bytes(obj.fork_version, `${at}.fork_version`, 4),
    depositAmounts,
    consensusProtocol: f.consensusProtocol ? string(obj.consensus_protocol, `${at}.consensus_protocol`, LOCK_LIMITS.consensusProtocol) : '',
    targetGasLimit: f.gasLimitAndCompounding ? integer(obj.target_gas_limit, `${at}.target_gas_limit`, 0) : 0,
    compounding: f.gasLimitAndCompounding ? boolean(obj.compounding, `${at}.compounding`) : false,
    configHash: bytes(obj.config_hash, `${at}.config_hash`, 32),
    definitionHash: bytes(obj.definition_hash, `${at}.definition_hash`, 32),
  };
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'expected true or false');
  return value;
}

function parseDeposit(value: unknown, field: string, allowRoot: boolean): LockDeposit {
  const o = object(value, field, ['pubkey', 'withdrawal_credentials', 'amount', 'signature'], allowRoot ? ['deposit_data_root'] : []);
  return {
    pubkey: bytes(o.pubkey, `${field}.pubkey`, 48),
    withdrawalCredentials: bytes(o.withdrawal_credentials, `${field}.withdrawal_credentials`, 32),
    amount: parseUint64String(o.amount, `${field}.amount`, 'LOCK_INVALID'),
    signature: bytes(o.signature, `${field}.signature`, 96),
    depositDataRoot: o.deposit_data_root === undefined ? undefined : hexToBytes(o.deposit_data_root, `${field}.deposit_data_root`, { prefix: 'forbidden', length: 32 }),
  };
}

function parseRegistration(value: unknown, field: string): LockRegistration {
  const o = object(value, field, ['message', 'signature']);
  const m = object(o.message, `${field}.message`, ['fee_recipient', 'gas_limit', 'timestamp', 'pubkey']);
  return {
    feeRecipient: address(m.fee_recipient, `${field}.message.fee_recipient`, false),
    gasLimit: integer(m.gas_limit, `${field}.message.gas_limit`, 0),
    timestamp: integer(m.timestamp, `${field}.message.timestamp`, 0),
    pubkey: bytes(m.pubkey, `${field}.message.pubkey`, 48),
    signature: bytes(o.signature, `${field}.signature`, 96),
  };
}

function parseValidator(value: unknown, v: number, def: ClusterDefinition): DistributedValidator {
  const f = lockFeatures(def.version);
  const at = `distributed_validators[${v}]`;
  const required = ['distributed_public_key', 'public_shares', f.partialDeposits ? 'partial_deposit_data' : 'deposit_data'];
  if (f.registrations) required.push('builder_registration');
  const o = object(value, at, required);
  const n = def.operators.length;
  const shares = array(o.public_shares, `${at}.public_shares`, 0, LOCK_LIMITS.operators);
  if (shares.length !== n) fail(`${at}.public_shares`, `has ${shares.length} entries; the lock has ${n} operators`);
  const deposits = f.partialDeposits
    ? array(o.partial_deposit_data, `${at}.partial_deposit_data`, 0, LOCK_LIMITS.deposits).map((d, i) => parseDeposit(d, `${at}.partial_deposit_data[${i}]`, true))
    : [parseDeposit(o.deposit_data, `${at}.deposit_data`, false)];
  return {
    distributedPublicKey: bytes(o.distributed_public_key, `${at}.distributed_public_key`, 48),
    publicShares: shares.map((s, i) => bytes(s, `${at}.public_shares[${i}]`, 48)),
    deposits,
    builderRegistration: f.registrations ? parseRegistration(o.builder_registration, `${at}.builder_registration`) : null,
  };
}

/**
 * Parses the JSON value of a cluster lock strictly (structure, encodings, counts and caps; see the module comment).
 * @throws ValidationError `LOCK_INVALID` (shape, version, counts), `INVALID_HEX` / `INVALID_LENGTH` (byte fields),
 *   `LIMIT_EXCEEDED` (list sizes); each names the JSON path, e.g. `distributed_validators[2].public_shares[1]`.
 */
export function parseClusterLock(value: unknown): ClusterLock {
  const peek = typeof value === 'object' && value !== null ? (value as Obj).cluster_definition : undefined;
  const definition = parseDefinition(peek);
  const f = lockFeatures(definition.version);
  const obj = object(value, 'lock', ['cluster_definition', 'distributed_validators', 'signature_aggregate', 'lock_hash', ...(f.registrations ? ['node_signatures'] : [])]);
  const dvs = array(obj.distributed_validators, 'distributed_validators', 0, LOCK_LIMITS.validators);
  if (dvs.length !== definition.numValidators) {
    fail('distributed_validators', `has ${dvs.length} entries but num_validators is ${definition.numValidators}`);
  }
  const validators = dvs.map((d, v) => parseValidator(d, v, definition));
  let nodeSignatures: Uint8Array[] = [];
  if (f.registrations) {
    const sigs = array(obj.node_signatures, 'node_signatures', 0, LOCK_LIMITS.operators);
    if (sigs.length !== definition.operators.length) {
      fail('node_signatures', `has ${sigs.length} entries; the lock has ${definition.operators.length} operators`);
    }
    nodeSignatures = sigs.map((s, i) => bytes(s, `node_signatures[${i}]`, 65));
  }
  return {
    definition,
    validators,
    signatureAggregate: bytes(obj.signature_aggregate, 'signature_aggregate', 96),
    lockHash: bytes(obj.lock_hash, 'lock_hash', 32),
    nodeSignatures,
  };
}

/**
 * Parses the text of a `cluster-lock.json` after a length cap ({@link LOCK_LIMITS}.textLength).
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON` (field `cluster-lock.json`), and what
 *   {@link parseClusterLock} throws.
 */
export function parseClusterLockText(text: string): ClusterLock {
  return parseClusterLock(parseJsonText(text, LOCK_LIMITS.textLength, 'cluster-lock.json'));
}
