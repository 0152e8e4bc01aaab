/**
 * `verify` for Charon node folders (ours or Charon's own): the Charon adapter of the one verify pipeline (decision
 * 0310). What only this layout has is checked here: the lock (charon/lock-verify.ts: hashes, signatures, share
 * consistency, registrations, deposits), that the folders are distinct nodes of one cluster (charon-node.ts), the
 * operators map, and each node key against its ENR. The lock is then read into the cluster model
 * (adapters/charon.ts) and the checks every layout shares run on it (cluster-checks.ts): the fingerprint (the lock
 * hash), each node's keystores against the lock's public shares, its deposit-data and slashing-protection files,
 * the decrypted shares and the recombination checks.
 *
 * Every check becomes a report line. Folders that cannot be read as nodes of one cluster throw (as combine does).
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { isDvkeysError } from '../errors.js';
import { verifyClusterLock, type LockReport } from '../charon/lock-verify.js';
import type { ClusterLock } from '../charon/types.js';
import { summary } from '../safety/explain.js';
import { analyze } from '../safety/threshold-math.js';
import { OPERATORS_FILE, checkOperatorsMap, mapAllocation, parseOperatorsMap } from './operators-map.js';
import { SLASHING_FILE } from './slashing-files.js';
import type { KdfBackend } from '../keys/kdf.js';
import type { RandomBytes } from '../types.js';
import { lockToClusterLenient } from './adapters/charon.js';
import type { Cluster } from './cluster.js';
import { depositLine, fingerprintLine, keystoreLine, shareLines, slashingLine, type CheckLine } from './cluster-checks.js';
import { readCharonCluster, type CharonNode } from './charon-node.js';
import { checkKdfWorkOption } from './verify.js';
import { fileText, type FolderSnapshot } from './tree.js';

/** One line of a Charon verification report (the shape every layout shares, cluster-checks.ts). */
export type CharonVerifyLine = CheckLine;

/** Output of {@link verifyCharonCluster}. */
export interface CharonVerifyReport {
  readonly ok: boolean;
  readonly lock: ClusterLock;
  /** The lock (and operators map) read into the cluster model. */
  readonly cluster: Cluster;
  readonly lockReport: LockReport;
  readonly nodes: readonly { readonly label: string; readonly nodeIndex: number }[];
  readonly lines: readonly CharonVerifyLine[];
}

/** Input of {@link verifyCharonCluster}. */
export interface CharonVerifyInput {
  /** One or more node folders of one cluster. */
  readonly folders: readonly FolderSnapshot[];
  /** The `operators.json` at the root of a cluster folder, if any (node folders carry their own copies). */
  readonly rootOperatorsMap?: { readonly label: string; readonly bytes: Uint8Array };
  /** Password of share keystores without a `.txt` beside them. */
  readonly password?: string;
  /**
   * The lock hash the operator got over a channel other than the one that carried the folder (0x + 64 hex
   * digits): without it, one node folder is only checked against its own lock (see ceremony/fingerprint.ts).
   */
  readonly expectedFingerprint?: string;
  /** Skip decrypting shares even where passwords exist. */
  readonly noDecrypt?: boolean;
  /** Total KDF work allowed, in units of one default EIP-2335 keystore as in verify.ts (default 2 units per keystore). */
  readonly maxKdfWork?: number;
  /** Fail (not warn) on EIP-712 signatures that do not recover (see lock-verify.ts). */
  readonly strictOperatorSignatures?: boolean;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
}

const DEPOSIT_FILE_RE = /^deposit-data(?:-[0-9]+(?:\.[0-9]+)?eth)?\.json$/;

/**
 * The operators map (ceremony/operators-map.ts): every copy identical, bound to this lock, covering every node;
 * the safety figures on the operators it names. Without a map each node is taken as its own operator (skipped).
 */
function operatorLines(nodes: readonly CharonNode[], lock: ClusterLock, input: CharonVerifyInput): { lines: CharonVerifyLine[]; owners?: string[] } {
  const copies = input.folders.flatMap((f) => {
    const bytes = f.files.get(OPERATORS_FILE);
    return bytes === undefined ? [] : [{ label: `${f.label}/${OPERATORS_FILE}`, bytes }];
  });
  if (input.rootOperatorsMap !== undefined) copies.unshift(input.rootOperatorsMap);
  const subject = copies[0]?.label ?? OPERATORS_FILE;
  if (copies.length === 0) return { lines: [{ check: 'operators', subject, status: 'skipped', detail: 'no operators.json: which node folder goes to whom is not recorded; each node is taken as its own operator' }] };
  const text = fileText(copies[0]!.bytes, subject);
  const odd = copies.find((c) => fileText(c.bytes, c.label) !== text);
  if (odd !== undefined) return { lines: [{ check: 'operators', subject: odd.label, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `differs from ${subject}` }] };
  try {
    const map = parseOperatorsMap(text, subject);
    const owners = checkOperatorsMap(map, { lockHash: lock.lockHash, threshold: lock.definition.threshold, nodes: lock.definition.operators.length }, subject);
    const who = map.operators.map((o) => `${o.name} ${o.nodes.join(' ')}`).join('; ');
    return { owners, lines: [{ check: 'operators', subject, status: 'pass', detail: `${who}. Safety: ${summary(analyze(mapAllocation(map)))}` }] };
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    return { lines: [{ check: 'operators', subject, status: 'fail', code: e.code, detail: e.message, ...(e.field === undefined ? {} : { field: e.field }) }] };
  }
}

/**
 * Verifies Charon node folders (see the module comment).
 * @throws DvkeysError for folders that cannot be read as distinct nodes of one cluster (readCharonCluster);
 *   ValidationError `INVALID_ARGUMENT` for a bad `maxKdfWork` (or one given with `noDecrypt`); AbortedError. A
 *   keystore that does not decrypt is a failed line naming its node, not an exception.
 */
export async function verifyCharonCluster(input: CharonVerifyInput): Promise<CharonVerifyReport> {
  checkKdfWorkOption(input.maxKdfWork, input.noDecrypt);
  const nodes = readCharonCluster(input.folders);
  const lock = nodes[0]!.lock;
  const lockReport = verifyClusterLock(lock, {
    ...(input.rng ? { rng: input.rng } : {}),
    ...(input.strictOperatorSignatures === true ? { strictOperatorSignatures: true } : {}),
  });
  const lines: CharonVerifyLine[] = lockReport.checks.map((c) => ({
    check: 'lock',
    subject: c.check,
    status: c.status,
    detail: c.detail,
    ...(c.code === undefined ? {} : { code: c.code }),
    ...(c.field === undefined ? {} : { field: c.field }),
  }));
  if (input.expectedFingerprint !== undefined) lines.push(fingerprintLine('lock', bytesToHex(lock.lockHash), input.expectedFingerprint, 'lock hash'));
  const ops = operatorLines(nodes, lock, input);
  lines.push(...ops.lines);
  const cluster = lockToClusterLenient(lock, ops.owners);
  nodes.forEach((node, i) => {
    const V = lock.validators.length;
    const keyNote = node.nodeKey === 'absent' ? 'no node key' : node.nodeKey === 'match' ? 'node key matches its ENR' : 'node key is not this node’s ENR key';
    lines.push({
      check: 'node',
      subject: node.label,
      status: node.nodeKey === 'mismatch' ? 'fail' : 'pass',
      detail: `node${node.nodeIndex} (share ${node.shareIndex}${ops.owners === undefined ? '' : `, operator ${ops.owners[node.nodeIndex]!}`}), ${node.keystores.length} of ${V} keystores, ${keyNote}`,
      ...(node.nodeKey === 'mismatch' ? { code: 'KEY_MISMATCH' as const, field: `${node.label}/charon-enr-private-key` } : {}),
    });
    const folder = input.folders[i]!;
    if (node.keystores.length > 0) lines.push(keystoreLine(cluster, { label: node.label, k: node.nodeIndex, keystores: node.keystores }));
    const deposits = [...folder.files].filter(([path]) => DEPOSIT_FILE_RE.test(path)).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [path, bytes] of deposits) lines.push(depositLine(cluster, { subject: `${node.label}/${path}`, bytes }));
    const slashing = folder.files.get(SLASHING_FILE);
    if (slashing !== undefined) lines.push(slashingLine(cluster, node.nodeIndex, { subject: `${node.label}/${SLASHING_FILE}`, bytes: slashing }));
  });
  lines.push(...(await shareLines(cluster, nodes.map((n) => ({ label: n.label, k: n.nodeIndex, keystores: n.keystores })), input)));
  return { ok: lines.every((l) => l.status !== 'fail'), lock, cluster, lockReport, nodes: nodes.map((n) => ({ label: n.label, nodeIndex: n.nodeIndex })), lines };
}
