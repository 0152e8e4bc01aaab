/**
 * Add validators to an existing split cluster (issue 16 "add validators"; docs/protocols/lifecycle.md "Add
 * validators"; decision 1011). Pure: the caller reads and writes the files.
 *
 * Two steps, as the cluster's folders live on different machines:
 * 1. {@link appendToCluster} (the key holder, after `runSplit` of the new keys over the cluster's own operators and
 *    threshold): renumbers the new keystores after the cluster's last validator, names the new deposit data and
 *    slashing history apart from the old ones, and writes one manifest: the old one with the new validators appended
 *    and the new files' hashes added. Nothing of the old cluster changes but ceremony.json.
 * 2. {@link mergeAddition} (each operator): its old folder plus its addition folder into a new folder, only when the
 *    addition's manifest extends the folder's own manifest exactly (same operators and threshold, the same old
 *    validators byte for byte, every old file hash kept) and the addition is this operator's.
 *
 * Only split clusters (kind `split`) take split validators: a DKG, reshare or refresh cluster promises that no
 * machine ever held its keys, which a split addition would silently break (such a cluster adds validators by a new
 * DKG, not built).
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { DvkeysError, ValidationError } from '../errors.js';
import { hashFiles, textFile, type CeremonyFile } from './files.js';
import { MANIFEST_FILE, MAX_VALIDATORS, serializeManifest, type Manifest, type ManifestValidator } from './manifest.js';
import type { SplitCeremonyOutput } from './split.js';
import { folderKeystores, identifyOperator, readManifest, type FolderSnapshot } from './tree.js';

/** The files and manifest of an addition: operator folders holding only the new validators' files. */
export interface ClusterAddition {
  readonly manifest: Manifest;
  readonly files: readonly CeremonyFile[];
  /** The index of the first added validator (the cluster's old validator count). */
  readonly first: number;
  readonly added: number;
}

const KEYSTORE = /^keystore-(\d+)\.(json|txt)$/;

/** The name of an added file: keystores renumbered, deposit data and slashing history named by their range. */
function renamed(base: string, first: number, last: number): string {
  const m = KEYSTORE.exec(base);
  if (m !== null) return `keystore-${first + Number(m[1])}.${m[2]!}`;
  const dot = base.lastIndexOf('.');
  return `${base.slice(0, dot)}-${first}-${last}${base.slice(dot)}`;
}

/**
 * Throws unless the cluster takes split validators (kind `split`).
 * @throws ValidationError `INVALID_ARGUMENT` naming `cluster.kind`.
 */
export function assertSplitCluster(cluster: Manifest): void {
  if (cluster.kind !== 'split') {
    throw new ValidationError('INVALID_ARGUMENT', `the cluster is of kind ${cluster.kind}: its keys were never held by one machine, and split validators would break that; add validators to it with a new DKG`, { field: 'cluster.kind' });
  }
}

/** Throws unless the cluster takes the split's validators. */
function assertSameCluster(cluster: Manifest, add: Manifest): void {
  assertSplitCluster(cluster);
  const ops = (m: Manifest): string => JSON.stringify(m.operators);
  if (add.threshold !== cluster.threshold || ops(add) !== ops(cluster)) {
    throw new ValidationError('CEREMONY_MISMATCH', 'the new validators were not split over the cluster\'s own operators and threshold', { field: 'operators' });
  }
  if (cluster.forkVersion !== null && add.forkVersion !== null && bytesToHex(cluster.forkVersion) !== bytesToHex(add.forkVersion)) {
    throw new ValidationError('CEREMONY_MISMATCH', `the cluster is on ${cluster.network ?? 'another network'}, the new deposit data or history on ${add.network ?? 'another'}`, { field: 'network' });
  }
  const known = new Map(cluster.validators.map((v, i) => [bytesToHex(v.pubkey), i]));
  add.validators.forEach((v, i) => {
    const at = known.get(bytesToHex(v.pubkey));
    if (at !== undefined) throw new ValidationError('DUPLICATE_KEY', `new validator ${i} (0x${bytesToHex(v.pubkey).slice(0, 12)}…) is validator ${at} of the cluster already`, { field: `validators[${i}]` });
  });
  if (cluster.validators.length + add.validators.length > MAX_VALIDATORS) {
    throw new ValidationError('LIMIT_EXCEEDED', `the cluster would hold ${cluster.validators.length + add.validators.length} validators; ceremony.json holds at most ${MAX_VALIDATORS}`, { field: 'validators' });
  }
}

/**
 * The addition of a split's output (over the cluster's operators and threshold) to the cluster.
 * @throws ValidationError `INVALID_ARGUMENT` (not a split cluster), `CEREMONY_MISMATCH` (other operators,
 *   threshold or network; a new file name the cluster has), `DUPLICATE_KEY` (a validator the cluster has),
 *   `LIMIT_EXCEEDED`.
 */
export function appendToCluster(cluster: Manifest, split: Pick<SplitCeremonyOutput, 'manifest' | 'files'>): ClusterAddition {
  assertSameCluster(cluster, split.manifest);
  const first = cluster.validators.length;
  const last = first + split.manifest.validators.length - 1;
  const files: CeremonyFile[] = [];
  for (const f of split.files) {
    if (f.kind === 'manifest') continue;
    const slash = f.path.lastIndexOf('/');
    const path = `${f.path.slice(0, slash + 1)}${renamed(f.path.slice(slash + 1), first, last)}`;
    if (Object.hasOwn(cluster.files, path)) throw new ValidationError('CEREMONY_MISMATCH', `the cluster already has a file ${path}`, { field: path });
    files.push({ ...f, path });
  }
  const manifest: Manifest = {
    ...cluster,
    network: cluster.network ?? split.manifest.network,
    forkVersion: cluster.forkVersion ?? split.manifest.forkVersion,
    validators: [...cluster.validators, ...split.manifest.validators],
    files: { ...cluster.files, ...hashFiles(files) },
  };
  const text = serializeManifest(manifest);
  files.push(textFile(MANIFEST_FILE, text, 'manifest', false));
  for (const op of cluster.operators) files.push(textFile(`${op.name}/${MANIFEST_FILE}`, text, 'manifest', false));
  return { manifest, files, first, added: split.manifest.validators.length };
}

const sameValidator = (a: ManifestValidator, b: ManifestValidator): boolean =>
  serializeManifest({ kind: 'split', network: null, forkVersion: null, threshold: 1, operators: [], validators: [a], files: {} }) ===
  serializeManifest({ kind: 'split', network: null, forkVersion: null, threshold: 1, operators: [], validators: [b], files: {} });

/** The merged folder's files, by base name, with the addition's manifest. */
export interface MergedFolder {
  readonly manifest: Manifest;
  /** Base name -> bytes; `secret` for keystores and passwords. */
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array; readonly secret: boolean }[];
  /** The operator (index into manifest.operators). */
  readonly operator: number;
  readonly first: number;
  readonly added: number;
}

/**
 * An operator's old folder plus its addition folder (from {@link appendToCluster}).
 * @throws DvkeysError `CEREMONY_MISMATCH` (the addition does not extend this folder's manifest, is another
 *   operator's, or repeats a file), `INVALID_FORMAT`, `KEYSTORE_PUBKEY_MISMATCH` and the manifest parse errors.
 */
export function mergeAddition(old: FolderSnapshot, addition: FolderSnapshot): MergedFolder {
  const before = readManifest(old.files);
  const after = readManifest(addition.files);
  const mismatch = (what: string, field: string): never => {
    throw new DvkeysError('CEREMONY_MISMATCH', `${addition.label} is no addition to ${old.label}'s cluster: ${what}`, { field });
  };
  if (after.kind !== before.kind || after.threshold !== before.threshold || JSON.stringify(after.operators) !== JSON.stringify(before.operators)) mismatch('other operators or threshold', 'operators');
  if ((before.network !== null && after.network !== before.network)) mismatch(`network ${after.network ?? 'none'}, not ${before.network}`, 'network');
  const V = before.validators.length;
  if (after.validators.length <= V) mismatch('it adds no validator', 'validators');
  before.validators.forEach((v, i) => {
    if (!sameValidator(v, after.validators[i]!)) mismatch(`validator ${i} differs`, `validators[${i}]`);
  });
  for (const [path, hash] of Object.entries(before.files)) if (after.files[path] !== hash) mismatch(`it drops or changes ${path}`, path);
  const k = identifyOperator(old, before, folderKeystores(old, before));
  const newKeystores = folderKeystores(addition, after);
  if (newKeystores.some((ks) => ks.validator < V)) mismatch('it holds keystores of the old validators', addition.label);
  if (newKeystores.length !== after.validators.length - V) mismatch(`it holds ${newKeystores.length} of the ${after.validators.length - V} new keystores`, addition.label);
  if (identifyOperator(addition, after, newKeystores) !== k) mismatch(`it holds the shares of ${after.operators[identifyOperator(addition, after, newKeystores)]!.name}, this folder ${before.operators[k]!.name}'s`, addition.label);
  const files: { name: string; bytes: Uint8Array; secret: boolean }[] = [];
  const secret = (name: string): boolean => name.startsWith('keystore-');
  for (const [name, bytes] of old.files) if (name !== MANIFEST_FILE) files.push({ name, bytes, secret: secret(name) });
  for (const [name, bytes] of addition.files) {
    if (name === MANIFEST_FILE) continue;
    if (old.files.has(name)) mismatch(`both hold ${name}`, name);
    files.push({ name, bytes, secret: secret(name) });
  }
  files.push({ name: MANIFEST_FILE, bytes: addition.files.get(MANIFEST_FILE)!, secret: false });
  return { manifest: after, files, operator: k, first: V, added: after.validators.length - V };
}
