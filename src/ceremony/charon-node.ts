/**
 * Reading one Charon node folder (ours or Charon's own, research/charon.md 2 and interop-formats.md 1.8) from an
 * in-memory snapshot, for `verify` and `combine`: the lock, the keystores, and which node (share index) the folder
 * is, found through the lock's public shares and the keystores' pubkeys, never through the folder name (operators
 * rename `node3` to `.charon`). A folder without keystores is identified by its `charon-enr-private-key` instead.
 *
 * Snapshot paths are relative to the node folder: `cluster-lock.json`, `charon-enr-private-key`,
 * `validator_keys/keystore-<v>.json` and `.txt` (also `keystore-insecure-<v>.*`, Charon's test keystores).
 *
 * @module
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { DvkeysError } from '../errors.js';
import { decodeEnr } from '../charon/enr.js';
import { nodePublicKey } from '../charon/k1.js';
import { parseClusterLockText } from '../charon/lock-parse.js';
import type { ClusterLock } from '../charon/types.js';
import { parseKeystore, type Keystore } from '../keys/keystore-format.js';
import { toShareIndex, type ShareIndex } from '../types.js';
import { CHARON_FILES } from './layouts/charon.js';
import { fileText, type FolderSnapshot } from './tree.js';

/** A share keystore found in a node folder. */
export interface CharonKeystore {
  /** `<label>/validator_keys/keystore-<v>.json`. */
  readonly file: string;
  /** Index v in `distributed_validators`. */
  readonly validator: number;
  readonly keystore: Keystore;
  /** The `.txt` beside it, if present (as read: Charon writes no newline; EIP-2335 normalisation strips one). */
  readonly password?: string;
}

/** One node folder, read and identified. */
export interface CharonNode {
  readonly label: string;
  readonly lock: ClusterLock;
  readonly lockText: string;
  /** 0-based position in `operators` (`node<k>`). */
  readonly nodeIndex: number;
  /** The Shamir x-coordinate of this node's shares: nodeIndex + 1. */
  readonly shareIndex: ShareIndex;
  /** Keystores in validator order (possibly fewer than the lock's validators). */
  readonly keystores: readonly CharonKeystore[];
  /** Whether `charon-enr-private-key` is the key of `operators[nodeIndex].enr`. */
  readonly nodeKey: 'match' | 'mismatch' | 'absent';
}

const KEYSTORE_RE = /^validator_keys\/keystore-(?:insecure-)?(0|[1-9][0-9]{0,5})\.json$/;

function err(code: 'INVALID_FORMAT' | 'KEYSTORE_PUBKEY_MISMATCH' | 'CEREMONY_MISMATCH', field: string, message: string): DvkeysError {
  return new DvkeysError(code, message, { field });
}

/** The node key of a folder (64 hex digits, surrounding whitespace trimmed as Charon does), or undefined. */
function readNodeKey(folder: FolderSnapshot): Uint8Array | undefined {
  const bytes = folder.files.get(CHARON_FILES.nodeKey);
  if (bytes === undefined) return undefined;
  const field = `${folder.label}/${CHARON_FILES.nodeKey}`;
  const key = hexToBytes(fileText(bytes, field).trim(), field, { length: 32, prefix: 'forbidden', allowUppercase: true });
  try {
    return nodePublicKey(key, field);
  } finally {
    key.fill(0);
  }
}

/**
 * Reads and identifies a node folder. The lock is parsed but not verified (lock-verify.ts does that).
 * @throws DvkeysError `INVALID_FORMAT` (no lock; a keystore name for a validator the lock lacks; two keystores for
 *   one validator; neither keystores nor a node key to identify the folder), `KEYSTORE_PUBKEY_MISMATCH` (a
 *   keystore whose pubkey is no public share of its validator), `CEREMONY_MISMATCH` (keystores of different
 *   nodes in one folder); lock and keystore parse errors. A node key of another node is reported in `nodeKey`.
 */
export function readCharonNode(folder: FolderSnapshot): CharonNode {
  const lockBytes = folder.files.get(CHARON_FILES.lock);
  if (lockBytes === undefined) throw err('INVALID_FORMAT', folder.label, `${folder.label} has no ${CHARON_FILES.lock}`);
  const lockText = fileText(lockBytes, `${folder.label}/${CHARON_FILES.lock}`);
  const lock = parseClusterLockText(lockText);
  const V = lock.validators.length;

  const keystores: CharonKeystore[] = [];
  const taken = new Set<number>();
  for (const [path, bytes] of [...folder.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const m = KEYSTORE_RE.exec(path);
    if (m === null) continue;
    const file = `${folder.label}/${path}`;
    const v = Number(m[1]);
    if (v >= V) throw err('INVALID_FORMAT', file, `${file}: the lock has ${V} validator(s), so there is no validator ${v}`);
    if (taken.has(v)) throw err('INVALID_FORMAT', file, `${file}: a second keystore for validator ${v}`);
    taken.add(v);
    const keystore = parseKeystore(fileText(bytes, file), file);
    const pw = folder.files.get(path.replace(/\.json$/, '.txt'));
    keystores.push({ file, validator: v, keystore, ...(pw === undefined ? {} : { password: fileText(pw, file.replace(/\.json$/, '.txt')) }) });
  }
  keystores.sort((a, b) => a.validator - b.validator);

  let nodeIndex = -1;
  for (const ks of keystores) {
    const shares = lock.validators[ks.validator]!.publicShares.map((p) => bytesToHex(p));
    const at = shares.indexOf((ks.keystore.pubkey ?? '').toLowerCase());
    if (at < 0) {
      const elsewhere = lock.validators.findIndex((dv) => dv.publicShares.some((p) => bytesToHex(p) === ks.keystore.pubkey));
      const hint = elsewhere >= 0 ? ` (it is a share of validator ${elsewhere})` : ' of this cluster';
      throw err('KEYSTORE_PUBKEY_MISMATCH', ks.file, `${ks.file}: its pubkey is no public share of validator ${ks.validator}${hint}`);
    }
    if (nodeIndex >= 0 && at !== nodeIndex) {
      throw err('CEREMONY_MISMATCH', folder.label, `${folder.label} mixes shares of node ${nodeIndex} and node ${at}`);
    }
    nodeIndex = at;
  }

  const nodePub = readNodeKey(folder);
  let nodeKey: CharonNode['nodeKey'] = 'absent';
  if (nodePub !== undefined) {
    const owner = lock.definition.operators.findIndex((op, i) => {
      try {
        return bytesToHex(decodeEnr(op.enr, `cluster_definition.operators[${i}].enr`).publicKey) === bytesToHex(nodePub);
      } catch {
        return false;
      }
    });
    if (nodeIndex < 0) nodeIndex = owner;
    nodeKey = owner >= 0 && owner === nodeIndex ? 'match' : 'mismatch';
  }
  if (nodeIndex < 0) {
    throw err('INVALID_FORMAT', folder.label, `${folder.label} holds no keystore and no node key of this cluster, so it is no node of it`);
  }
  return { label: folder.label, lock, lockText, nodeIndex, shareIndex: toShareIndex(nodeIndex + 1), keystores, nodeKey };
}

/**
 * Reads every folder ({@link readCharonNode}) and checks they are distinct nodes of one cluster.
 * @throws DvkeysError `NOT_ENOUGH_SHARES` (no folder), `CEREMONY_MISMATCH` (lock_hash differs: folders from
 *   different clusters; or two folders of one node), and what {@link readCharonNode} throws.
 */
export function readCharonCluster(folders: readonly FolderSnapshot[]): CharonNode[] {
  if (folders.length === 0) throw new DvkeysError('NOT_ENOUGH_SHARES', 'no node folders given', { field: 'folders' });
  const nodes = folders.map(readCharonNode);
  const first = nodes[0]!;
  const byIndex = new Map<number, string>();
  for (const node of nodes) {
    if (bytesToHex(node.lock.lockHash) !== bytesToHex(first.lock.lockHash)) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${node.label} belongs to a different cluster than ${first.label} (lock_hash ${bytesToHex(node.lock.lockHash, true).slice(0, 10)}… vs ${bytesToHex(first.lock.lockHash, true).slice(0, 10)}…)`, { field: node.label });
    }
    const other = byIndex.get(node.nodeIndex);
    if (other !== undefined) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${node.label} and ${other} are the same node (node${node.nodeIndex})`, { field: node.label });
    }
    byIndex.set(node.nodeIndex, node.label);
  }
  return nodes;
}
