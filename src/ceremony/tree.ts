/**
 * Reading a written ceremony tree from an in-memory snapshot (path -> bytes), shared by verify and combine.
 * The CLI builds the snapshot from disk; nothing here touches files.
 *
 * @module
 */
import { bytesToHex, constantTimeEqual } from '../bytes.js';
import { DvkeysError, isDvkeysError } from '../errors.js';
import { parseKeystore } from '../keys/keystore-format.js';
import type { Keystore } from '../keys/keystore-format.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';

/** Files of a tree or folder, by relative path with forward slashes. */
export type Snapshot = ReadonlyMap<string, Uint8Array>;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text of a file, or an INVALID_FORMAT error naming it. */
export function fileText(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DvkeysError('INVALID_FORMAT', `${path} is not UTF-8 text`, { field: path });
  }
}

/** Parses the manifest at `path` in the snapshot. */
export function readManifest(snapshot: Snapshot, path = MANIFEST_FILE): Manifest {
  const bytes = snapshot.get(path);
  if (bytes === undefined) throw new DvkeysError('INVALID_FORMAT', `${path} is missing`, { field: path });
  return parseManifest(fileText(bytes, path), path);
}

/** One operator folder as read from disk: a label for messages and its files by base name. */
export interface FolderSnapshot {
  readonly label: string;
  readonly files: Snapshot;
}

/** A keystore found in a folder, with the validator it belongs to. */
export interface FoundKeystore {
  readonly file: string;
  readonly validator: number;
  readonly keystore: Keystore;
  /** The `.txt` beside it, if present. */
  readonly password?: string;
}

/** The keystores `keystore-<v>.json` of a folder for the manifest's validators (missing ones are skipped). */
export function folderKeystores(folder: FolderSnapshot, manifest: Manifest): FoundKeystore[] {
  const out: FoundKeystore[] = [];
  manifest.validators.forEach((_v, v) => {
    const name = `keystore-${v}.json`;
    const bytes = folder.files.get(name);
    if (bytes === undefined) return;
    const source = `${folder.label}/${name}`;
    const keystore = parseKeystore(fileText(bytes, source), source);
    const pw = folder.files.get(`keystore-${v}.txt`);
    out.push({ file: source, validator: v, keystore, ...(pw === undefined ? {} : { password: fileText(pw, `${folder.label}/keystore-${v}.txt`) }) });
  });
  return out;
}

/**
 * Which operator a folder belongs to, from its keystores' pubkeys (never from the folder name).
 * @throws DvkeysError `KEYSTORE_PUBKEY_MISMATCH` for a keystore whose pubkey is no public share of its validator,
 *   `CEREMONY_MISMATCH` when keystores of one folder belong to different operators, `INVALID_FORMAT` when the folder
 *   holds no keystore.
 */
export function identifyOperator(folder: FolderSnapshot, manifest: Manifest, keystores: readonly FoundKeystore[]): number {
  if (keystores.length === 0) {
    throw new DvkeysError('INVALID_FORMAT', `${folder.label} holds no keystore-<v>.json of this ceremony`, { field: folder.label });
  }
  let k = -1;
  for (const ks of keystores) {
    const at = operatorOfPubkey(manifest, ks.validator, ks.keystore.pubkey ?? '');
    if (at < 0) {
      throw new DvkeysError('KEYSTORE_PUBKEY_MISMATCH', `${ks.file}: its pubkey is no public share of validator ${ks.validator} in ceremony.json`, { field: ks.file });
    }
    if (k >= 0 && at !== k) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${folder.label} mixes shares of operators ${manifest.operators[k]!.name} and ${manifest.operators[at]!.name}`, { field: folder.label });
    }
    k = at;
  }
  return k;
}

/** The index k of the operator whose public share for validator v is `pubkeyHex`, or -1. */
export function operatorOfPubkey(manifest: Manifest, v: number, pubkeyHex: string): number {
  const shares = manifest.validators[v]!.publicShares;
  return shares.findIndex((p) => bytesToHex(p) === pubkeyHex.toLowerCase());
}

/** True when two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return constantTimeEqual(a, b);
}

/** Runs `fn`, turning a DvkeysError into its message (for per-check reports). */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: DvkeysError } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (isDvkeysError(e)) return { ok: false, error: e };
    throw e;
  }
}
