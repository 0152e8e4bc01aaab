/**
 * `verify` for the dvkeys layout (design section 4, issue 5): re-checks a written ceremony tree or a single operator
 * folder offline. This module is the dvkeys adapter of the one verify pipeline (decision 0310): it reads
 * `ceremony.json` into the cluster model (adapters/dvkeys.ts) and checks what only this layout has (every copy of
 * ceremony.json identical, the SHA-256 of every listed file, which folder holds whose shares, a whole tree complete);
 * the checks every layout shares (fingerprint, keystores against public shares, deposit data, slashing-protection
 * files, decrypted shares and the recombination checks) are cluster-checks.ts's.
 *
 * Pure: it reads an in-memory snapshot built by the CLI. Every check becomes a report line; nothing throws for a
 * failed check (malformed input still throws on the manifest itself).
 *
 * @module
 */
import { utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { DEPOSIT_FILE } from './layouts/dvkeys.js';
import type { KdfBackend } from '../keys/kdf.js';
import { checkMaxKdfWork } from '../keys/kdf-work.js';
import type { RandomBytes } from '../types.js';
import { manifestToCluster } from './adapters/dvkeys.js';
import type { Cluster } from './cluster.js';
import { depositLine, fingerprintLine, keystoreLine, shareLines, slashingLine, type CheckLine, type HolderFolder } from './cluster-checks.js';
import { checkDepositCertificate } from './deposit-certificate.js';
import { fileHash } from './files.js';
import { folderPlan } from './lifecycle-output.js';
import { PLAN_FILE } from './lifecycle-plan.js';
import { parseManifest, type Manifest } from './manifest.js';
import { SLASHING_FILE } from './slashing-files.js';
import { attempt, fileText, folderKeystores, identifyOperator, type FolderSnapshot } from './tree.js';

export { notDecrypted } from './cluster-checks.js';

/**
 * The ceremony fingerprint: lowercase SHA-256 hex of the exact `ceremony.json` text. Operators compare it over a
 * trusted channel (read aloud, a signed message): equal fingerprints mean every folder belongs to one sharing.
 */
export function ceremonyFingerprint(manifestText: string): string {
  return fileHash(utf8(manifestText));
}

/** One line of a verification report (the shape every layout shares, cluster-checks.ts). */
export type VerifyLine = CheckLine;

/** A verification report: ok when no line failed. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: Manifest;
  /** The manifest read into the cluster model. */
  readonly cluster: Cluster;
  /** Operator names whose folders were checked. */
  readonly operators: readonly string[];
  readonly lines: readonly VerifyLine[];
  /** {@link ceremonyFingerprint} of the manifest verified. */
  readonly fingerprint: string;
}

/** Input of {@link verifyCeremony}. */
export interface VerifyCeremonyInput {
  /** The manifest text to trust (the root one for a tree, the folder's copy for a single folder). */
  readonly manifestText: string;
  readonly manifestSource: string;
  /** Operator folders present. */
  readonly folders: readonly FolderSnapshot[];
  /** Files at the root of a whole tree (deposit data), checked against the manifest. */
  readonly rootFiles?: FolderSnapshot;
  /** True for a whole tree: every operator's folder must be present, and names must match. */
  readonly wholeTree: boolean;
  /** A password for every share keystore (else the `.txt` beside each one, where present). */
  readonly password?: string;
  /**
   * The ceremony fingerprint (SHA-256 of ceremony.json) the operator got over a channel other than the one that
   * carried the folder. Without it, a single folder can only be checked against its own ceremony.json, which a
   * dishonest dealer could have made for that folder alone (docs/threat-model.md).
   */
  readonly expectedFingerprint?: string;
  /** Skip decryption even where passwords exist. */
  readonly noDecrypt?: boolean;
  /**
   * Total KDF work allowed for the keystores to decrypt, in units of one default EIP-2335 keystore (keys/kdf-work.ts);
   * default 2 per keystore. Checked before any KDF runs; above it nothing is decrypted and a `LIMIT_EXCEEDED` line
   * fails the report. Refused with `noDecrypt` (it would do nothing).
   */
  readonly maxKdfWork?: number;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
}

const line = (l: VerifyLine): VerifyLine => l;

/**
 * Runs every check and reports each.
 * @throws ValidationError when the manifest itself cannot be parsed, and `INVALID_ARGUMENT` for a bad `maxKdfWork`
 *   (or one given with `noDecrypt`).
 */
export async function verifyCeremony(input: VerifyCeremonyInput): Promise<VerifyReport> {
  checkKdfWorkOption(input.maxKdfWork, input.noDecrypt);
  const manifest = parseManifest(input.manifestText, input.manifestSource);
  const cluster = manifestToCluster(manifest);
  const fingerprint = ceremonyFingerprint(input.manifestText);
  const lines: VerifyLine[] = [line({ check: 'manifest', subject: input.manifestSource, status: 'pass', detail: `${manifest.kind} ceremony, ${manifest.threshold}-of-${manifest.operators.length}, ${manifest.validators.length} validator(s)` })];
  const found: HolderFolder[] = [];

  if (input.expectedFingerprint !== undefined) lines.push(fingerprintLine('manifest', fingerprint, input.expectedFingerprint, 'ceremony.json'));
  for (const folder of input.folders) {
    const copy = folder.files.get('ceremony.json');
    if (copy === undefined && input.wholeTree) {
      lines.push(line({ check: 'manifest', subject: `${folder.label}/ceremony.json`, status: 'fail', code: 'INVALID_FORMAT', detail: 'is missing (every operator folder carries a copy)' }));
    } else if (copy !== undefined && fileText(copy, `${folder.label}/ceremony.json`) !== input.manifestText) {
      lines.push(line({ check: 'manifest', subject: `${folder.label}/ceremony.json`, status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'differs from the ceremony.json being verified' }));
    }
    const res = attempt(() => {
      const keystores = folderKeystores(folder, manifest);
      return { keystores, k: identifyOperator(folder, manifest, keystores) };
    });
    if (!res.ok) {
      lines.push(line({ check: 'keystores', subject: folder.label, status: 'fail', code: res.error.code, detail: res.error.message }));
      continue;
    }
    const holder: HolderFolder = { label: folder.label, ...res.value };
    const op = manifest.operators[holder.k]!;
    if (found.some((f) => f.k === holder.k)) {
      lines.push(line({ check: 'keystores', subject: folder.label, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `a second folder of operator ${op.name}` }));
      continue;
    }
    found.push(holder);
    lines.push(keystoreLine(cluster, holder));
    if (input.wholeTree && folder.label.split('/').pop() !== op.name) {
      lines.push(line({ check: 'files', subject: folder.label, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `holds the shares of ${op.name}` }));
    }
    lines.push(checkHashes(manifest, op.name, folder));
    const slashing = folder.files.get(SLASHING_FILE);
    if (slashing !== undefined) lines.push(slashingLine(cluster, holder.k, { subject: `${folder.label}/${SLASHING_FILE}`, bytes: slashing }));
    if (manifest.kind === 'reshare' || manifest.kind === 'refresh') lines.push(checkFolderPlan(manifest, folder));
  }
  if (input.rootFiles !== undefined) lines.push(checkHashes(manifest, '', input.rootFiles));
  const depositSource = input.rootFiles ?? input.folders[0];
  // deposit-data.json, and deposit-data-<a>-<b>.json of validators added later (decision 1011)
  for (const [name, bytes] of depositSource?.files ?? []) {
    if (name === DEPOSIT_FILE || ADDED_DEPOSIT_FILE.test(name)) lines.push({ ...depositLine(cluster, { subject: `${depositSource!.label}/${name}`, bytes }), subject: name });
  }
  if (input.wholeTree) {
    const absent = manifest.operators.filter((_o, k) => !found.some((f) => f.k === k)).map((o) => o.name);
    if (absent.length > 0) lines.push(line({ check: 'files', subject: 'tree', status: 'fail', code: 'INVALID_FORMAT', detail: `operator folder(s) missing: ${absent.join(', ')}` }));
  }
  lines.push(...(await shareLines(cluster, found, input)));
  // A DKG operator folder's deposits are ready only under its deposit certificate (decisions 0431, 0424, 0906; attacks
  // a14, a16): the same check for the CLI and the web page.
  if (!input.wholeTree && manifest.kind === 'dkg' && input.folders.length === 1) {
    const cert = checkDepositCertificate(input.manifestText, input.folders[0]!);
    if (cert !== undefined) lines.push(line({ ...cert, ...(cert.culprits === undefined ? {} : { culprits: cert.culprits.map((id) => manifest.operators.find((o) => String(o.index) === id)?.name ?? id) }) }));
  }
  return {
    ok: lines.every((l) => l.status !== 'fail'),
    manifest,
    cluster,
    operators: found.map((f) => manifest.operators[f.k]!.name),
    lines,
    fingerprint,
  };
}

/**
 * A reshare or refresh folder's record of the plan it was finalized under (decision 1013): present, the plan's
 * canonical text, and a plan of this folder's cluster (lifecycle-output.ts folderPlan).
 */
function checkFolderPlan(manifest: Manifest, folder: FolderSnapshot): VerifyLine {
  const subject = `${folder.label}/${PLAN_FILE}`;
  const res = attempt(() => folderPlan(manifest, folder.files, folder.label));
  if (!res.ok) return line({ check: 'manifest', subject, status: 'fail', code: res.error.code, detail: res.error.message });
  return line({ check: 'manifest', subject, status: 'pass', detail: `finalized under ${res.value.kind} plan ${res.value.fingerprint}, of this cluster's validators, operators and threshold` });
}

/**
 * Checks the `maxKdfWork` option of verify (ceremony and Charon trees alike).
 * @throws ValidationError `INVALID_ARGUMENT` naming `maxKdfWork`.
 */
export function checkKdfWorkOption(maxKdfWork: number | undefined, noDecrypt: boolean | undefined): void {
  if (maxKdfWork === undefined) return;
  checkMaxKdfWork(maxKdfWork);
  if (noDecrypt === true) throw new ValidationError('INVALID_ARGUMENT', "'maxKdfWork' limits decryption, which 'noDecrypt' skips: give one of them", { field: 'maxKdfWork' });
}

/** Hashes of the manifest's files in one folder (`name` = '' for the root's own files). */
function checkHashes(manifest: Manifest, name: string, folder: FolderSnapshot): VerifyLine {
  const bad: string[] = [];
  let count = 0;
  for (const [path, hash] of Object.entries(manifest.files)) {
    const inFolder = name === '' ? !path.includes('/') : path.startsWith(`${name}/`);
    if (!inFolder) continue;
    count++;
    const bytes = folder.files.get(name === '' ? path : path.slice(name.length + 1));
    if (bytes === undefined) bad.push(`${path} missing`);
    else if (fileHash(bytes) !== hash) bad.push(`${path} altered`);
  }
  return bad.length === 0
    ? line({ check: 'files', subject: folder.label, status: 'pass', detail: `${count} file hash(es) match ceremony.json` })
    : line({ check: 'files', subject: folder.label, status: 'fail', code: 'INVALID_FORMAT', detail: bad.join('; ') });
}

/** The deposit data of validators added to a cluster later (add-validators.ts). */
const ADDED_DEPOSIT_FILE = /^deposit-data-[0-9]+-[0-9]+\.json$/;
