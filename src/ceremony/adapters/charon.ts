/**
 * The Charon layout as a {@link LayoutAdapter}: the cluster is the Charon cluster lock (`node<k>/cluster-lock.json`,
 * the same text in every node folder; research/interop-formats.md 1, Charon `cluster/lock.go`,
 * `cluster/definition.go`, `cluster/distvalidator.go`) plus dvkeys' operators map (`operators.json`,
 * docs/formats/operators-map.md) naming the person who runs each node.
 *
 * Node `node<k>` holds share x = k + 1. The lock carries the definition (name, uuid, version, timestamp, creator,
 * operators' ENRs and signatures, per-validator fee recipient and withdrawal address, fork version, deposit
 * amounts, consensus protocol, gas limit, compounding), per validator the key, the public shares, the deposits and
 * the builder registration, and the signature aggregate and node signatures. It keeps no Feldman commitments, no
 * withdrawal credentials apart from the deposits', and no encrypted shares. `toLayout` recomputes the config,
 * definition and lock hashes (lock-hash.ts); `fromLayout` refuses a lock whose stored hashes do not recompute.
 *
 * @module
 */
import { constantTimeEqual } from '../../bytes.js';
import { ValidationError, VerificationError } from '../../errors.js';
import { networkByForkVersion } from '../../eth/networks.js';
import { computeConfigHash, computeDefinitionHash, computeLockHash } from '../../charon/lock-hash.js';
import { serializeClusterLock } from '../../charon/lock-json.js';
import { parseClusterLockText } from '../../charon/lock-parse.js';
import { lockFeatures, type ClusterDefinition, type ClusterLock } from '../../charon/types.js';
import { CHARON_FILES, charonNodeDir } from '../layouts/charon.js';
import { OPERATORS_FILE, checkOperatorsMap, parseOperatorsMap, serializeOperatorsMap } from '../operators-map.js';
import { textFile, type CeremonyFile } from '../files.js';
import { fileText } from '../tree.js';
import { coreOf, unsupported, type Cluster, type ClusterDeposit, type ClusterValidator, type LayoutAdapter, type LayoutFiles } from '../cluster.js';

/** The lock of a cluster, with its three hashes computed. */
export function clusterToLock(c: Cluster): ClusterLock {
  const rec = c.charon;
  if (rec === undefined) throw unsupported('charon', 'charon', 'a cluster lock needs its uuid, version, timestamp and the operators\' and nodes\' signatures');
  if (c.forkVersion === null) throw unsupported('charon', 'forkVersion', 'a cluster lock names its network by fork version');
  const operators = c.operators.map((o, k) => {
    if (o.shareId !== k + 1 || o.name !== charonNodeDir(k)) throw unsupported('charon', `operators[${k}]`, `Charon's node${k} holds share x = ${k + 1}; this operator is ${o.name} with x = ${o.shareId}`);
    if (o.charon === undefined) throw unsupported('charon', `operators[${k}].charon`, 'a lock operator needs its ENR');
    return o.charon;
  });
  const f = lockFeatures(rec.version);
  const need = <T>(v: T | undefined, i: number, field: string): T => {
    if (v === undefined) throw unsupported('charon', `validators[${i}].${field}`, 'the lock records it for every validator');
    return v;
  };
  const base: ClusterDefinition = {
    name: c.name,
    creator: rec.creator,
    operators,
    uuid: rec.uuid,
    version: rec.version,
    timestamp: rec.timestamp,
    numValidators: c.validators.length,
    threshold: c.threshold,
    validators: c.validators.map((v, i) => ({ feeRecipientAddress: need(v.feeRecipient, i, 'feeRecipient'), withdrawalAddress: need(v.withdrawalAddress, i, 'withdrawalAddress') })),
    dkgAlgorithm: rec.dkgAlgorithm,
    forkVersion: c.forkVersion,
    depositAmounts: rec.depositAmounts,
    consensusProtocol: rec.consensusProtocol,
    targetGasLimit: rec.targetGasLimit,
    compounding: rec.compounding,
    configHash: new Uint8Array(32),
    definitionHash: new Uint8Array(32),
  };
  const withConfig = { ...base, configHash: computeConfigHash(base) };
  const definition = { ...withConfig, definitionHash: computeDefinitionHash(withConfig) };
  const validators = c.validators.map((v, i) => ({
    distributedPublicKey: v.pubkey,
    publicShares: v.publicShares,
    deposits: need(v.deposits, i, 'deposits').map((d) => ({ pubkey: v.pubkey, withdrawalCredentials: d.withdrawalCredentials, amount: d.amount, signature: d.signature, depositDataRoot: d.depositDataRoot })),
    builderRegistration: f.registrations ? need(v.builderRegistration ?? undefined, i, 'builderRegistration') : null,
  }));
  const unsigned: ClusterLock = { definition, validators, signatureAggregate: rec.signatureAggregate, lockHash: new Uint8Array(32), nodeSignatures: rec.nodeSignatures };
  return { ...unsigned, lockHash: computeLockHash(unsigned) };
}

/** The operators map of a cluster: each group with its nodes, in first-seen order. */
function operatorsMapText(c: Cluster, lockHash: Uint8Array): string {
  const groups = new Map<string, string[]>();
  c.operators.forEach((o) => groups.set(o.group, [...(groups.get(o.group) ?? []), o.name]));
  return serializeOperatorsMap({ layout: 'charon', cluster: lockHash, threshold: c.threshold, operators: [...groups].map(([name, nodes]) => ({ name, nodes })) });
}

/** `node<k>/cluster-lock.json` and `operators.json` (root and every node folder). */
function toLayout(c: Cluster): CeremonyFile[] {
  const lock = clusterToLock(c);
  const text = serializeClusterLock(lock);
  const map = operatorsMapText(c, lock.lockHash);
  const dirs = c.operators.map((_o, k) => charonNodeDir(k));
  return [
    ...dirs.map((d) => textFile(`${d}/${CHARON_FILES.lock}`, text, 'cluster-lock', false)),
    textFile(OPERATORS_FILE, map, 'operators-map', false),
    ...dirs.map((d) => textFile(`${d}/${OPERATORS_FILE}`, map, 'operators-map', false)),
  ];
}

/** The one text of every copy of `name` (at the root or in a `node<k>/` folder), or undefined when none is given. */
function oneCopy(files: LayoutFiles, name: string): { path: string; text: string } | undefined {
  let first: { path: string; text: string } | undefined;
  for (const [path, bytes] of files) {
    if (path !== name && !(path.endsWith(`/${name}`) && /^node(0|[1-9][0-9]{0,2})\//.test(path))) continue;
    const text = fileText(bytes, path);
    if (first === undefined) first = { path, text };
    else if (text !== first.text) throw new ValidationError('CEREMONY_MISMATCH', `${path} differs from ${first.path}: the node folders are from different clusters`, { field: path });
  }
  return first;
}

function checkStoredHashes(lock: ClusterLock): void {
  const def = lock.definition;
  const bad = (field: string): never => {
    throw new VerificationError('LOCK_HASH_MISMATCH', `'${field}' does not recompute from the lock's contents`, { field });
  };
  if (!constantTimeEqual(computeConfigHash(def), def.configHash)) bad('cluster_definition.config_hash');
  if (!constantTimeEqual(computeDefinitionHash(def), def.definitionHash)) bad('cluster_definition.definition_hash');
  if (!constantTimeEqual(computeLockHash(lock), lock.lockHash)) bad('lock_hash');
}

/** The cluster of a parsed lock, with the group of each node (node name when no map). */
export function lockToCluster(lock: ClusterLock, groups?: readonly string[]): Cluster {
  const def = lock.definition;
  return {
    kind: null,
    threshold: def.threshold,
    operators: def.operators.map((op, k) => ({ shareId: k + 1, name: charonNodeDir(k), group: groups?.[k] ?? charonNodeDir(k), charon: op })),
    network: networkByForkVersion(def.forkVersion)?.name ?? null,
    forkVersion: def.forkVersion,
    name: def.name,
    validators: lock.validators.map((dv, v): ClusterValidator => ({
      pubkey: dv.distributedPublicKey,
      publicShares: dv.publicShares,
      commitments: null,
      withdrawalAddress: def.validators[v]!.withdrawalAddress,
      feeRecipient: def.validators[v]!.feeRecipientAddress,
      deposits: dv.deposits.map((d, i): ClusterDeposit => {
        if (!constantTimeEqual(d.pubkey, dv.distributedPublicKey)) {
          const field = `distributed_validators[${v}].partial_deposit_data[${i}].pubkey`;
          throw new ValidationError('LOCK_INVALID', `'${field}' is not the validator's key`, { field });
        }
        return { withdrawalCredentials: d.withdrawalCredentials, amount: d.amount, signature: d.signature, ...(d.depositDataRoot === undefined ? {} : { depositDataRoot: d.depositDataRoot }) };
      }),
      builderRegistration: dv.builderRegistration,
    })),
    charon: {
      version: def.version,
      uuid: def.uuid,
      timestamp: def.timestamp,
      creator: def.creator,
      dkgAlgorithm: def.dkgAlgorithm,
      depositAmounts: def.depositAmounts,
      consensusProtocol: def.consensusProtocol,
      targetGasLimit: def.targetGasLimit,
      compounding: def.compounding,
      signatureAggregate: lock.signatureAggregate,
      nodeSignatures: lock.nodeSignatures,
    },
  };
}

/**
 * {@link lockToCluster} for the checks of verify and combine: a deposit whose pubkey is not its validator's is a
 * lock failure that lock-verify.ts reports (or that `--no-verify` accepts); it is left out of the model here, so
 * the other checks still run.
 */
export function lockToClusterLenient(lock: ClusterLock, groups?: readonly string[]): Cluster {
  const validators = lock.validators.map((dv) => ({ ...dv, deposits: dv.deposits.filter((d) => constantTimeEqual(d.pubkey, dv.distributedPublicKey)) }));
  return lockToCluster({ ...lock, validators }, groups);
}

/**
 * Reads the lock (every copy given must be the same text) and, when present, the operators map.
 * @throws ValidationError `INVALID_FORMAT` with no lock, `CEREMONY_MISMATCH` for differing copies or a map of
 *   another cluster, `LOCK_INVALID` and what parseClusterLockText throws; VerificationError `LOCK_HASH_MISMATCH`.
 */
function fromLayout(files: LayoutFiles): Cluster {
  const lockCopy = oneCopy(files, CHARON_FILES.lock);
  if (lockCopy === undefined) throw new ValidationError('INVALID_FORMAT', `no ${CHARON_FILES.lock} in the Charon layout`, { field: CHARON_FILES.lock });
  const lock = parseClusterLockText(lockCopy.text);
  checkStoredHashes(lock);
  const mapCopy = oneCopy(files, OPERATORS_FILE);
  const groups = mapCopy === undefined
    ? undefined
    : checkOperatorsMap(parseOperatorsMap(mapCopy.text, mapCopy.path), { lockHash: lock.lockHash, threshold: lock.definition.threshold, nodes: lock.definition.operators.length }, mapCopy.path);
  return lockToCluster(lock, groups);
}

/** The fields a lock and operators map keep. */
function carried(c: Cluster): Cluster {
  const core = coreOf(c);
  return {
    ...core,
    kind: null,
    network: c.forkVersion === null ? null : (networkByForkVersion(c.forkVersion)?.name ?? null),
    operators: core.operators.map((o, k) => ({ ...o, ...(c.operators[k]!.charon === undefined ? {} : { charon: c.operators[k]!.charon }) })),
    validators: c.validators.map((v) => ({
      pubkey: v.pubkey,
      publicShares: v.publicShares,
      commitments: null,
      ...(v.withdrawalAddress === undefined ? {} : { withdrawalAddress: v.withdrawalAddress }),
      ...(v.feeRecipient === undefined ? {} : { feeRecipient: v.feeRecipient }),
      ...(v.deposits === undefined ? {} : { deposits: v.deposits.map((d) => ({ withdrawalCredentials: d.withdrawalCredentials, amount: d.amount, signature: d.signature, ...(d.depositDataRoot === undefined ? {} : { depositDataRoot: d.depositDataRoot }) })) }),
      builderRegistration: c.charon !== undefined && lockFeatures(c.charon.version).registrations ? (v.builderRegistration ?? null) : null,
    })),
    ...(c.charon === undefined ? {} : { charon: c.charon }),
  };
}

/** The Charon layout adapter. */
export const charonAdapter: LayoutAdapter = { layout: 'charon', toLayout, fromLayout, carried };

