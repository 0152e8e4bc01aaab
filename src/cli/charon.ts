/**
 * Reading Charon node folders from disk for `verify` and `combine` (ours or Charon's own): `cluster-lock.json`,
 * `charon-enr-private-key` (read only to identify the node), `deposit-data*.json`, `operators.json`, `slashing-protection.json` and
 * `validator_keys/keystore-*.json` with the `.txt` beside each. Every read is size-capped.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CHARON_FILES } from '../ceremony/layouts/charon.js';
import type { FolderSnapshot } from '../ceremony/tree.js';
import { MAX_KEYSTORE_JSON_LENGTH } from '../keys/limits.js';
import { MAX_INPUT_FILE_BYTES, exists, readCapped, subfolders } from './files.js';

const TOP = /^(cluster-lock\.json|charon-enr-private-key|operators\.json|slashing-protection\.json|deposit-data(-[0-9.]+eth)?\.json)$/;
const KEYS = /^keystore-(insecure-)?[0-9]+\.(json|txt)$/;

/** True when `dir` holds a `cluster-lock.json` (a Charon node folder). */
export async function isCharonNode(dir: string): Promise<boolean> {
  return exists(join(dir, CHARON_FILES.lock));
}

/** The subfolders of `dir` that are Charon node folders (a cluster folder such as `.charon/cluster`). */
export async function charonNodeFolders(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const s of await subfolders(dir)) if (await isCharonNode(join(dir, s))) out.push(s);
  return out;
}

/** Reads one Charon node folder as a snapshot (paths relative to the folder). */
export async function readCharonFolder(dir: string, label: string): Promise<FolderSnapshot> {
  const files = new Map<string, Uint8Array>();
  for (const name of await readdir(dir)) {
    if (TOP.test(name) && (await stat(join(dir, name))).isFile()) files.set(name, await readCapped(join(dir, name), MAX_INPUT_FILE_BYTES, 'file'));
  }
  const keysDir = join(dir, CHARON_FILES.keystoreDir);
  if (await exists(keysDir)) {
    for (const name of await readdir(keysDir)) {
      if (KEYS.test(name) && (await stat(join(keysDir, name))).isFile()) {
        files.set(`${CHARON_FILES.keystoreDir}/${name}`, await readCapped(join(keysDir, name), MAX_KEYSTORE_JSON_LENGTH, 'keystore'));
      }
    }
  }
  return { label, files };
}
