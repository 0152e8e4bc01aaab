/**
 * The three hashes of a Charon cluster lock: `config_hash`, `definition_hash` and `lock_hash`, SSZ hash_tree_roots
 * of containers Charon builds by hand per version (research/interop-formats.md 1.3 to 1.6, from Charon
 * `cluster/ssz.go` @ e6284707). Built with @chainsafe/ssz; the containers are written from the field tables of the
 * research notes, not from any Charon or obol-sdk code.
 *
 * - config_hash: the definition container without `config_hash`, operators and creator reduced to `{address}`.
 * - definition_hash: the full definition container (ENRs, EIP-712 signatures), with the stored `config_hash` last.
 * - lock_hash: `{definition (full), distributed_validators}`; the validator container depends on the version
 *   (v1.6 inlines the four deposit fields: Charon's v1.6 quirk, now part of the format).
 *
 * Hash order differs from JSON order (definition fields; `partial_deposit_data` before `builder_registration`).
 * Empty addresses and v1.6-v1.10 signatures hash as zero bytes of the fixed size; v1.11 signatures are cut into
 * 65-byte pieces and hashed as a list. The byte lengths are the parser's to check (lock-parse.ts); a value that
 * does not fit throws LOCK_INVALID here too.
 *
 * @module
 */
import {
  BooleanType,
  ByteListType,
  ByteVectorType,
  ContainerType,
  ListBasicType,
  ListCompositeType,
  UintBigintType,
  type CompositeTypeAny,
  type Type,
} from '@chainsafe/ssz';
import { hexToBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { lockFeatures, LOCK_LIMITS, type ClusterDefinition, type ClusterLock, type LockVersion } from './types.js';

type Fields = Record<string, Type<unknown>>;
type Value = Record<string, unknown>;

const Bytes4 = new ByteVectorType(4);
const Bytes20 = new ByteVectorType(20);
const Bytes32 = new ByteVectorType(32);
const Bytes48 = new ByteVectorType(48);
const Bytes65 = new ByteVectorType(65);
const Bytes96 = new ByteVectorType(96);
const Uint64 = new UintBigintType(8);
const Bool = new BooleanType();
const list = (limit: number): ByteListType => new ByteListType(limit);

const AddressOnly = new ContainerType({ address: Bytes20 });
const ValidatorAddresses = new ContainerType({ feeRecipientAddress: Bytes20, withdrawalAddress: Bytes20 });
const DepositData = new ContainerType({ pubkey: Bytes48, withdrawalCredentials: Bytes32, amount: Uint64, signature: Bytes96 });
const Registration = new ContainerType({
  message: new ContainerType({ feeRecipient: Bytes20, gasLimit: Uint64, timestamp: Uint64, pubkey: Bytes48 }),
  signature: Bytes96,
});
const PublicShares = new ListCompositeType(Bytes48, LOCK_LIMITS.operators);
const MAX_SSZ_VALIDATORS = 65536;

interface VersionTypes {
  readonly config: Type<unknown>;
  readonly definition: Type<unknown>;
  readonly lock: Type<unknown>;
}
const cache = new Map<LockVersion, VersionTypes>();

function typesFor(version: LockVersion): VersionTypes {
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const f = lockFeatures(version);
  const sig: Type<unknown> = f.signatureLists ? new ListCompositeType(Bytes65, LOCK_LIMITS.signaturesPerList) : Bytes65;
  const Operator = new ContainerType({ address: Bytes20, enr: list(LOCK_LIMITS.enr), configSignature: sig, enrSignature: sig });
  const Creator = new ContainerType({ address: Bytes20, configSignature: sig });
  const fields = (op: CompositeTypeAny, creator: Type<unknown>): Fields => ({
    uuid: list(LOCK_LIMITS.uuid),
    name: list(LOCK_LIMITS.name),
    version: list(LOCK_LIMITS.version),
    timestamp: list(LOCK_LIMITS.timestamp),
    numValidators: Uint64,
    threshold: Uint64,
    dkgAlgorithm: list(LOCK_LIMITS.dkgAlgorithm),
    forkVersion: Bytes4,
    operators: new ListCompositeType(op, LOCK_LIMITS.operators),
    creator,
    validators: new ListCompositeType(ValidatorAddresses, MAX_SSZ_VALIDATORS),
    ...(f.depositAmounts ? { depositAmounts: new ListBasicType(Uint64, LOCK_LIMITS.deposits) } : {}),
    ...(f.consensusProtocol ? { consensusProtocol: list(LOCK_LIMITS.consensusProtocol) } : {}),
    ...(f.gasLimitAndCompounding ? { targetGasLimit: Uint64, compounding: Bool } : {}),
  });
  const config = new ContainerType(fields(AddressOnly, AddressOnly));
  const definition = new ContainerType({ ...fields(Operator, Creator), configHash: Bytes32 });
  let validator: CompositeTypeAny;
  if (!f.registrations) {
    validator = new ContainerType({
      distributedPublicKey: Bytes48,
      publicShares: PublicShares,
      pubkey: Bytes48,
      withdrawalCredentials: Bytes32,
      amount: Uint64,
      signature: Bytes96,
    });
  } else if (!f.partialDeposits) {
    validator = new ContainerType({
      distributedPublicKey: Bytes48,
      publicShares: PublicShares,
      depositData: DepositData,
      builderRegistration: Registration,
    });
  } else {
    validator = new ContainerType({
      distributedPublicKey: Bytes48,
      publicShares: PublicShares,
      partialDepositData: new ListCompositeType(DepositData, LOCK_LIMITS.deposits),
      builderRegistration: Registration,
    });
  }
  const lock = new ContainerType({ definition, validators: new ListCompositeType(validator, MAX_SSZ_VALIDATORS) });
  const types = { config, definition, lock };
  cache.set(version, types);
  return types;
}

/** Left-pads `bytes` with zeros to `size` (Charon's helper pads on the left; in practice only empty values). */
function fixed(bytes: Uint8Array, size: number, field: string): Uint8Array {
  if (bytes.length > size) {
    throw new ValidationError('LOCK_INVALID', `'${field}' has ${bytes.length} bytes, more than ${size}`, { field });
  }
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
}

/** An address string ("" or 0x + 40 hex digits, any case) as Bytes20. */
function address(text: string, field: string): Uint8Array {
  return fixed(text === '' ? new Uint8Array(0) : hexToBytes(text, field, { prefix: 'required', allowUppercase: true }), 20, field);
}

function signature(bytes: Uint8Array, lists: boolean, field: string): Uint8Array | Uint8Array[] {
  if (!lists) return fixed(bytes, 65, field);
  if (bytes.length % 65 !== 0 || bytes.length / 65 > LOCK_LIMITS.signaturesPerList) {
    throw new ValidationError('LOCK_INVALID', `'${field}' must be up to ${LOCK_LIMITS.signaturesPerList} signatures of 65 bytes`, { field });
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 65) out.push(bytes.slice(i, i + 65));
  return out;
}

function text(value: string, limit: number, field: string): Uint8Array {
  const bytes = utf8(value);
  if (bytes.length > limit) {
    throw new ValidationError('LOCK_INVALID', `'${field}' is ${bytes.length} bytes, more than ${limit}`, { field });
  }
  return bytes;
}

function definitionValue(def: ClusterDefinition, full: boolean): Value {
  const f = lockFeatures(def.version);
  const at = 'cluster_definition';
  const value: Value = {
    uuid: text(def.uuid, LOCK_LIMITS.uuid, `${at}.uuid`),
    name: text(def.name, LOCK_LIMITS.name, `${at}.name`),
    version: text(def.version, LOCK_LIMITS.version, `${at}.version`),
    timestamp: text(def.timestamp, LOCK_LIMITS.timestamp, `${at}.timestamp`),
    numValidators: BigInt(def.numValidators),
    threshold: BigInt(def.threshold),
    dkgAlgorithm: text(def.dkgAlgorithm, LOCK_LIMITS.dkgAlgorithm, `${at}.dkg_algorithm`),
    forkVersion: fixed(def.forkVersion, 4, `${at}.fork_version`),
    operators: def.operators.map((op, i) => {
      const of = `${at}.operators[${i}]`;
      const addr = address(op.address, `${of}.address`);
      if (!full) return { address: addr };
      return {
        address: addr,
        enr: text(op.enr, LOCK_LIMITS.enr, `${of}.enr`),
        configSignature: signature(op.configSignature, f.signatureLists, `${of}.config_signature`),
        enrSignature: signature(op.enrSignature, f.signatureLists, `${of}.enr_signature`),
      };
    }),
    creator: full
      ? {
          address: address(def.creator.address, `${at}.creator.address`),
          configSignature: signature(def.creator.configSignature, f.signatureLists, `${at}.creator.config_signature`),
        }
      : { address: address(def.creator.address, `${at}.creator.address`) },
    validators: def.validators.map((v, i) => ({
      feeRecipientAddress: address(v.feeRecipientAddress, `${at}.validators[${i}].fee_recipient_address`),
      withdrawalAddress: address(v.withdrawalAddress, `${at}.validators[${i}].withdrawal_address`),
    })),
  };
  if (f.depositAmounts) value.depositAmounts = [...(def.depositAmounts ?? [])];
  if (f.consensusProtocol) value.consensusProtocol = text(def.consensusProtocol, LOCK_LIMITS.consensusProtocol, `${at}.consensus_protocol`);
  if (f.gasLimitAndCompounding) {
    value.targetGasLimit = BigInt(def.targetGasLimit);
    value.compounding = def.compounding;
  }
  if (full) value.configHash = fixed(def.configHash, 32, `${at}.config_hash`);
  return value;
}

/**
 * config_hash of a definition (interop-formats.md 1.4): operators and creator reduced to their address; ENRs,
 * signatures and the stored hashes are not covered.
 * @throws ValidationError `LOCK_INVALID` naming the field for a value too long for its SSZ type.
 */
export function computeConfigHash(def: ClusterDefinition): Uint8Array {
  return typesFor(def.version).config.hashTreeRoot(definitionValue(def, false));
}

/**
 * definition_hash of a definition (interop-formats.md 1.4): the full container with the stored `config_hash` last.
 * @throws ValidationError `LOCK_INVALID` as {@link computeConfigHash}.
 */
export function computeDefinitionHash(def: ClusterDefinition): Uint8Array {
  return typesFor(def.version).definition.hashTreeRoot(definitionValue(def, true));
}

/**
 * lock_hash of a lock (interop-formats.md 1.5): the root of {full definition, distributed validators}. Neither
 * `signature_aggregate` nor `node_signatures` nor the stored hashes other than config_hash are covered.
 * @throws ValidationError `LOCK_INVALID` as {@link computeConfigHash}.
 */
export function computeLockHash(lock: ClusterLock): Uint8Array {
  const { definition } = lock;
  const f = lockFeatures(definition.version);
  const validators = lock.validators.map((dv, v) => {
    const base = { distributedPublicKey: dv.distributedPublicKey, publicShares: [...dv.publicShares] };
    const deposit = (i: number): Value => {
      const d = dv.deposits[i];
      if (d === undefined) {
        const field = `distributed_validators[${v}].deposit_data`;
        throw new ValidationError('LOCK_INVALID', `'${field}' is missing`, { field });
      }
      return { pubkey: d.pubkey, withdrawalCredentials: d.withdrawalCredentials, amount: d.amount, signature: d.signature };
    };
    if (!f.registrations) return { ...base, ...deposit(0) };
    const r = dv.builderRegistration;
    if (r === null) {
      const field = `distributed_validators[${v}].builder_registration`;
      throw new ValidationError('LOCK_INVALID', `'${field}' is missing`, { field });
    }
    const builderRegistration = {
      message: {
        feeRecipient: address(r.feeRecipient, `distributed_validators[${v}].builder_registration.message.fee_recipient`),
        gasLimit: BigInt(r.gasLimit),
        timestamp: BigInt(r.timestamp),
        pubkey: r.pubkey,
      },
      signature: r.signature,
    };
    if (!f.partialDeposits) return { ...base, depositData: deposit(0), builderRegistration };
    return { ...base, partialDepositData: dv.deposits.map((_d, i) => deposit(i)), builderRegistration };
  });
  return typesFor(definition.version).lock.hashTreeRoot({ definition: definitionValue(definition, true), validators });
}
