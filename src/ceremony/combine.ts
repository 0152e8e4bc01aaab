/**
 * `combine` for the dvkeys layout: the way back to solo staking. The dvkeys adapter of the one combine pipeline
 * (cluster-combine.ts, decision 0311): it reads the folders' `ceremony.json` into the cluster model (every copy
 * identical), identifies each folder's operator by its keystores' pubkeys (the manifest's public shares), never by
 * folder names, so renamed folders and any t of them in any order work, as `charon combine` does; the pipeline
 * then recovers, checks (design section 4, check 5) and encrypts every key. Pure: folders come as snapshots.
 *
 * @module
 */
import { DvkeysError, ValidationError, type ErrorCode } from '../errors.js';
import { encryptKeystoresKeepingKeys } from '../keys/batch.js';
import { checkMaxKdfWork } from '../keys/kdf-work.js';
import { wipeKeptKeys, type KeptKey } from '../keys/kept-key.js';
import { keystoreToJson } from '../keys/keystore.js';
import { manifestToCluster } from './adapters/dvkeys.js';
import { combineCluster, recoveredItem, type CombineHolder, type CombineOptions, type RecoveredKeystoreOptions } from './cluster-combine.js';
import { textFile, type CeremonyFile } from './files.js';
import type { Cluster } from './cluster.js';
import type { Manifest } from './manifest.js';
import { attempt, fileText, folderKeystores, identifyOperator, readManifest, type FolderSnapshot } from './tree.js';

export type { RecoveredKeystoreOptions } from './cluster-combine.js';

/** Input of {@link runCombine}: the folders, and the options every layout's combine takes (cluster-combine.ts). */
export interface CombineCeremonyInput extends CombineOptions {
  /** At least t operator folders of one ceremony, each with its `ceremony.json` copy. */
  readonly folders: readonly FolderSnapshot[];
}

/** Output of {@link runCombine}: `keystore-<v>.json` per validator, and who contributed. */
export interface CombineCeremonyOutput {
  readonly manifest: Manifest;
  /** The manifest in the cluster model. */
  readonly cluster: Cluster;
  readonly files: readonly CeremonyFile[];
  /** Names of the operators whose shares were used. */
  readonly operators: readonly string[];
  /** Folders set aside (not of this ceremony's shares, incomplete, or not decryptable), and why. */
  readonly skipped: readonly { readonly folder: string; readonly reason: string; readonly code: ErrorCode }[];
  /** With `keepKeys`: the derived key of each `keystore-<v>.json`, in validator order. */
  readonly keptKeys?: readonly KeptKey[];
}

/**
 * Recovers every validator key from the folders.
 * @throws DvkeysError `CEREMONY_MISMATCH` (folders of different ceremonies, or two folders of one operator),
 *   `NOT_ENOUGH_SHARES` (fewer than t operators), `KEYSTORE_PUBKEY_MISMATCH` (a keystore that is no share),
 *   VerificationError `SHARE_MISMATCH` naming the operator, `KEY_MISMATCH` if a recovered key is not the
 *   validator's; keystore errors (`WRONG_PASSWORD` naming the file); ValidationError `LIMIT_EXCEEDED` (field
 *   `maxKdfWork`, before any KDF) when the keystores it may decrypt need more KDF work than the budget,
 *   `INVALID_ARGUMENT` for a bad `maxKdfWork`; AbortedError.
 */
export async function runCombine(input: CombineCeremonyInput): Promise<CombineCeremonyOutput> {
  if (input.maxKdfWork !== undefined) checkMaxKdfWork(input.maxKdfWork);
  if (input.folders.length === 0) throw new ValidationError('NOT_ENOUGH_SHARES', 'no operator folders given', { field: 'folders' });
  const texts = input.folders.map((f) => {
    const bytes = f.files.get('ceremony.json');
    if (bytes === undefined) throw new DvkeysError('INVALID_FORMAT', `${f.label} has no ceremony.json`, { field: f.label });
    return fileText(bytes, `${f.label}/ceremony.json`);
  });
  const manifest = readManifest(input.folders[0]!.files);
  texts.forEach((t, i) => {
    if (t !== texts[0]) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${input.folders[i]!.label} belongs to a different ceremony than ${input.folders[0]!.label}`, { field: input.folders[i]!.label });
    }
  });
  // A folder that holds no share of this ceremony is set aside, not fatal, while enough others remain (review
  // F4); keystores of two operators in one folder are refused.
  const setAside: { folder: string; error: DvkeysError }[] = [];
  const holders: CombineHolder[] = [];
  for (const folder of input.folders) {
    const found = attempt(() => {
      const keystores = folderKeystores(folder, manifest);
      return { k: identifyOperator(folder, manifest, keystores), keystores };
    });
    if (!found.ok) {
      if (found.error.code === 'CEREMONY_MISMATCH') throw found.error;
      setAside.push({ folder: folder.label, error: found.error });
      continue;
    }
    holders.push({ label: folder.label, name: manifest.operators[found.value.k]!.name, ...found.value });
  }
  const cluster = manifestToCluster(manifest);
  const r = await combineCluster(cluster, holders, setAside, input, (v) => `validators[${v}]`);
  return { manifest, cluster, files: r.files, operators: r.used.map((h) => h.name), skipped: r.skipped, ...(r.keptKeys === undefined ? {} : { keptKeys: r.keptKeys }) };
}

/**
 * Encrypts recovered validator keys as `keystore-<v>.json` under one password (scrypt by default, as
 * staking-deposit-cli writes), describing each by its validator pubkey. Shared by combine and Charon's combine.
 */
export async function encryptRecoveredKeys(
  recovered: readonly Uint8Array[],
  pubkeys: readonly Uint8Array[],
  options: RecoveredKeystoreOptions,
  onProgress?: (done: number) => void,
): Promise<CeremonyFile[]> {
  const { files, keys } = await encryptRecoveredKeysKeeping(recovered, pubkeys, options, onProgress);
  wipeKeptKeys(keys);
  return files;
}

/** {@link encryptRecoveredKeys}, also returning each keystore's derived key (keys/kept-key.ts; the caller wipes). */
export async function encryptRecoveredKeysKeeping(
  recovered: readonly Uint8Array[],
  pubkeys: readonly Uint8Array[],
  options: RecoveredKeystoreOptions,
  onProgress?: (done: number) => void,
): Promise<{ files: CeremonyFile[]; keys: KeptKey[] }> {
  const kept = await encryptKeystoresKeepingKeys(
    recovered.map((secret, v) => recoveredItem(secret, pubkeys[v]!, options)),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.kdfBackend ? { kdfBackend: options.kdfBackend } : {}),
      ...(onProgress ? { onProgress } : {}),
    },
  );
  return { files: kept.map((k, v) => textFile(`keystore-${v}.json`, keystoreToJson(k.keystore), 'keystore', true)), keys: kept.map((k) => k.key) };
}
