/**
 * `verify` for Charon node folders (ours or Charon's own): the lock checks of charon/lock-verify.ts (hashes,
 * signatures, share consistency, registrations, deposits), that the folders are distinct nodes of one cluster,
 * each folder's identity (keystore pubkeys against the lock's public shares; the node key against its ENR), the
 * deposit-data files against the lock, and, where passwords are present or given, the decrypted shares against
 * their public shares (plus a threshold signature when t nodes' shares are present).
 *
 * Every check becomes a report line. Folders that cannot be read as nodes of one cluster throw (as combine does).
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { isDvkeysError, type ErrorCode } from '../errors.js';
import { verifyClusterLock, type LockReport } from '../charon/lock-verify.js';
import type { ClusterLock } from '../charon/types.js';
import { parseDepositDataFile } from '../eth/deposit-file.js';
import { checkInterchangeNetwork, parseInterchangeFile } from '../eth/slashing-protection.js';
import { summary } from '../safety/explain.js';
import { analyze } from '../safety/threshold-math.js';
import { OPERATORS_FILE, checkOperatorsMap, mapAllocation, parseOperatorsMap } from './operators-map.js';
import { SLASHING_FILE } from './slashing-files.js';
import { customNetwork, networkByForkVersion } from '../eth/networks.js';
import { decryptKeystores, type DecryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { checkRecombination } from '../sharing/recombine.js';
import { toShareIndex, type RandomBytes, type SecretShare } from '../types.js';
import { readCharonCluster, type CharonNode } from './charon-node.js';
import { compareFingerprint } from './fingerprint.js';
import { checkKdfWorkOption, notDecrypted } from './verify.js';
import { kdfWorkOf, kdfWorkRefusal } from '../keys/kdf-work.js';
import { fileText, type FolderSnapshot } from './tree.js';

/** One line of a Charon verification report. */
export interface CharonVerifyLine {
  readonly check: 'lock' | 'node' | 'operators' | 'deposit-data' | 'slashing-protection' | 'shares';
  /** The lock check name, a folder label or a file. */
  readonly subject: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'skipped';
  readonly detail: string;
  readonly code?: ErrorCode;
  readonly field?: string;
}

/** Output of {@link verifyCharonCluster}. */
export interface CharonVerifyReport {
  readonly ok: boolean;
  readonly lock: ClusterLock;
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

function depositLines(node: CharonNode, folder: FolderSnapshot, lock: ClusterLock): CharonVerifyLine[] {
  const network = networkByForkVersion(lock.definition.forkVersion) ?? customNetwork({ name: 'lock-network', genesisForkVersion: lock.definition.forkVersion });
  const known = new Set(lock.validators.flatMap((dv) => dv.deposits.map((d) => bytesToHex(d.signature))));
  const lines: CharonVerifyLine[] = [];
  const files = [...folder.files].filter(([path]) => DEPOSIT_FILE_RE.test(path)).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [path, bytes] of files) {
    const subject = `${node.label}/${path}`;
    try {
      const entries = parseDepositDataFile(fileText(bytes, subject), { network });
      const foreign = entries.findIndex((e) => !known.has(bytesToHex(e.signature)));
      if (foreign >= 0) {
        lines.push({ check: 'deposit-data', subject, status: 'fail', code: 'DEPOSIT_INVALID', field: `deposit_data[${foreign}]`, detail: `entry ${foreign} is not a deposit of the cluster lock` });
      } else {
        lines.push({ check: 'deposit-data', subject, status: 'pass', detail: `${entries.length} deposit(s) verify and are in the lock` });
      }
    } catch (e) {
      if (!isDvkeysError(e)) throw e;
      lines.push({ check: 'deposit-data', subject, status: 'fail', code: e.code, detail: e.message, ...(e.field === undefined ? {} : { field: e.field }) });
    }
  }
  return lines;
}

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

/** A node's slashing-protection.json: for the lock's network, and keyed only by this node's share keys. */
function slashingLines(node: CharonNode, folder: FolderSnapshot, lock: ClusterLock): CharonVerifyLine[] {
  const bytes = folder.files.get(SLASHING_FILE);
  if (bytes === undefined) return [];
  const subject = `${node.label}/${SLASHING_FILE}`;
  try {
    const ic = parseInterchangeFile(fileText(bytes, subject));
    const network = networkByForkVersion(lock.definition.forkVersion);
    if (network !== undefined) checkInterchangeNetwork(ic, network);
    const mine = new Set(lock.validators.map((dv) => bytesToHex(dv.publicShares[node.nodeIndex]!)));
    const stray = ic.data.findIndex((d) => !mine.has(bytesToHex(d.pubkey)));
    if (stray >= 0) {
      return [{ check: 'slashing-protection', subject, status: 'fail', code: 'SLASHING_PROTECTION_INVALID', field: `data[${stray}].pubkey`, detail: `entry ${stray} is for ${bytesToHex(ic.data[stray]!.pubkey, true).slice(0, 14)}…, not one of node${node.nodeIndex}'s share keys (its validator client would not protect itself)` }];
    }
    return [{ check: 'slashing-protection', subject, status: 'pass', detail: `${ic.data.length} history(ies) keyed by node${node.nodeIndex}'s share keys${network === undefined ? '' : ` for ${network.name}`}` }];
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    return [{ check: 'slashing-protection', subject, status: 'fail', code: e.code, detail: e.message, ...(e.field === undefined ? {} : { field: e.field }) }];
  }
}

async function shareLines(nodes: readonly CharonNode[], lock: ClusterLock, input: CharonVerifyInput): Promise<CharonVerifyLine[]> {
  if (input.noDecrypt === true) return [{ check: 'shares', subject: 'keystores', status: 'skipped', detail: 'not decrypted (--no-decrypt): public data checked only' }];
  const withPw = nodes.flatMap((node) => node.keystores.filter((k) => k.password !== undefined || input.password !== undefined).map((ks) => ({ node, ks })));
  const without = nodes.flatMap((node) => node.keystores.filter((k) => k.password === undefined && input.password === undefined).map((ks) => ks.file));
  const lines: CharonVerifyLine[] = without.length > 0 ? [notDecrypted(without)] : [];
  if (withPw.length === 0) return lines;
  const items: DecryptItem[] = withPw.map(({ ks }) => ({ keystore: ks.keystore, password: ks.password ?? input.password!, source: ks.file }));
  const refused = kdfWorkRefusal(kdfWorkOf(withPw.map(({ ks }) => ({ keystore: ks.keystore, source: ks.file })), input.maxKdfWork));
  if (refused !== undefined) return lines.concat({ check: 'shares', subject: 'keystores', status: 'fail', code: refused.code, field: 'maxKdfWork', detail: refused.message });
  const secrets = await decryptKeystores(items, {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}),
  });
  try {
    return lines.concat(lock.validators.map((dv, v): CharonVerifyLine => {
      const shares: SecretShare[] = [];
      withPw.forEach(({ node, ks }, j) => {
        if (ks.validator === v) shares.push({ id: node.shareIndex, secret: secrets[j]! });
      });
      const report = checkRecombination(
        { threshold: lock.definition.threshold, groupPublicKey: dv.distributedPublicKey, publicShares: dv.publicShares.map((publicKey, i) => ({ id: toShareIndex(i + 1), publicKey })) },
        { shares, ...(input.rng ? { rng: input.rng } : {}) },
      );
      const bad = report.checks.find((c) => c.status === 'fail');
      const subject = `validator ${v}`;
      if (bad !== undefined) return { check: 'shares', subject, status: 'fail', detail: bad.detail, ...(bad.code ? { code: bad.code } : {}) };
      const sig = report.checks.find((c) => c.check === 'threshold-signature');
      return { check: 'shares', subject, status: 'pass', detail: `${shares.length} decrypted share(s) match their public shares${sig?.status === 'pass' ? '; a threshold signature of t shares verifies' : ''}` };
    }));
  } finally {
    for (const s of secrets) s.fill(0);
  }
}

/**
 * Verifies Charon node folders (see the module comment).
 * @throws DvkeysError for folders that cannot be read as distinct nodes of one cluster (readCharonCluster);
 *   ValidationError `INVALID_ARGUMENT` for a bad `maxKdfWork` (or one given with `noDecrypt`);
 *   keystore decryption errors (`WRONG_PASSWORD` naming the file); AbortedError.
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
  if (input.expectedFingerprint !== undefined) {
    const c = compareFingerprint(bytesToHex(lock.lockHash), input.expectedFingerprint, 'lock hash');
    lines.push({ check: 'lock', subject: 'fingerprint', status: c.ok ? 'pass' : 'fail', detail: c.detail, ...(c.code === undefined ? {} : { code: c.code }) });
  }
  const ops = operatorLines(nodes, lock, input);
  lines.push(...ops.lines);
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
    lines.push(...depositLines(node, input.folders[i]!, lock));
    lines.push(...slashingLines(node, input.folders[i]!, lock));
  });
  lines.push(...(await shareLines(nodes, lock, input)));
  return { ok: lines.every((l) => l.status !== 'fail'), lock, lockReport, nodes: nodes.map((n) => ({ label: n.label, nodeIndex: n.nodeIndex })), lines };
}
