/**
 * Reading inputs from disk for the commands: keystores (files or folders, with the `.txt` password beside each),
 * password files, mnemonic files, and operator folders as snapshots. Every read is size-capped, and errors name
 * the path, never the content.
 *
 * @module
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DvkeysError } from '../errors.js';
import { MAX_KEYSTORE_JSON_LENGTH, MAX_MNEMONIC_LENGTH, MAX_PASSWORD_LENGTH } from '../keys/limits.js';
import { MAX_MANIFEST_TEXT_LENGTH } from '../ceremony/manifest.js';
import { DKG_RECOVERY_FILE } from '../ceremony/dkg-output.js';
import { DEPOSIT_CERTIFICATE_FILE, MAX_DEPOSIT_CERTIFICATE_BYTES, MAX_DKG_RECOVERY_BYTES } from '../ceremony/deposit-certificate.js';
import { SHARE_FOLDER_MARKERS, type NeighbourFile } from '../ceremony/share-input.js';
import type { FolderSnapshot } from '../ceremony/tree.js';

/** Largest file any command reads (keystores, manifests, deposit data): 8 MiB. */
export const MAX_INPUT_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a regular file, refusing more than `max` bytes. The cap is enforced while reading (not from the reported
 * size, which /proc files report as 0 and a growing file outruns).
 */
export async function readCapped(path: string, max: number, what: string): Promise<Uint8Array> {
  let handle;
  let st;
  try {
    handle = await open(path, 'r');
    st = await handle.stat();
    if (!st.isFile()) throw new DvkeysError('IO_FAILED', `${what} ${path} is not a file`, { field: path });
  } catch (e) {
    await handle?.close();
    if (e instanceof DvkeysError) throw e;
    throw new DvkeysError('IO_FAILED', `cannot read ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { field: path });
  }
  const size = st.size;
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // Chunks sized from the file's stated size (plus one byte to see its end), never 1 MiB for a small file: a
      // server answering many reads at once holds one chunk per read (attack a13). A file that grew is read on in
      // 64 KiB chunks.
      const left = size + 1 - total;
      const chunk = new Uint8Array(Math.min(1 << 20, max + 1 - total, left > 0 ? left : 1 << 16));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw new DvkeysError('LIMIT_EXCEEDED', `${what} ${path} is larger than ${max} bytes`, { field: path });
      chunks.push(chunk.subarray(0, bytesRead));
    }
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
      c.fill(0);
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Reads a text file (UTF-8). */
export async function readText(path: string, max: number, what: string): Promise<string> {
  const bytes = await readCapped(path, max, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DvkeysError('INVALID_FORMAT', `${what} ${path} is not UTF-8 text`, { field: path });
  } finally {
    bytes.fill(0);
  }
}

/** Reads a password file. EIP-2335 normalisation later strips a trailing newline (a control code). */
export async function readPasswordFile(path: string): Promise<string> {
  return readText(path, MAX_PASSWORD_LENGTH * 4, 'password file');
}

/** Reads a mnemonic file (words separated by white space). */
export async function readMnemonicFile(path: string): Promise<string> {
  return (await readText(path, MAX_MNEMONIC_LENGTH * 4, 'mnemonic file')).trim();
}

const natural = new Intl.Collator('en', { numeric: true });

/** One keystore input: its path, JSON text and the password file beside it, if any. */
export interface KeystoreInput {
  readonly path: string;
  readonly text: string;
  readonly passwordPath: string;
}

/**
 * Expands the given paths into keystore files, in the given order; a folder contributes its `keystore*.json` files
 * in natural order (keystore-2 before keystore-10), as Charon and validator clients lay them out.
 */
export async function collectKeystores(paths: readonly string[], cwd: string): Promise<KeystoreInput[]> {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      throw new DvkeysError('IO_FAILED', `input ${p} does not exist or cannot be read`, { field: p });
    }
    if (!isDir) {
      files.push(abs);
      continue;
    }
    const names = (await readdir(abs)).filter((n) => n.startsWith('keystore') && n.endsWith('.json')).sort(natural.compare);
    if (names.length === 0) throw new DvkeysError('INVALID_FORMAT', `folder ${p} holds no keystore*.json`, { field: p });
    files.push(...names.map((n) => join(abs, n)));
  }
  const out: KeystoreInput[] = [];
  for (const path of files) {
    out.push({ path, text: await readText(path, MAX_KEYSTORE_JSON_LENGTH, 'keystore'), passwordPath: path.replace(/\.json$/, '.txt') });
  }
  return out;
}

/**
 * The files that mark the folder of `keystorePath` as an operator's folder (ceremony/share-input.ts): a
 * `ceremony.json` or `cluster-lock.json` in the keystore's folder, and a `cluster-lock.json` in the folder above
 * (Charon's `<node>/validator_keys/`). Each is read up to 8 MiB to find the keystore's pubkey in it; a larger or
 * unreadable one still counts by its presence.
 */
export async function shareFolderMarkers(keystorePath: string): Promise<NeighbourFile[]> {
  const dir = dirname(keystorePath);
  const candidates = [...SHARE_FOLDER_MARKERS.map((m) => join(dir, m)), join(dirname(dir), 'cluster-lock.json')];
  const out: NeighbourFile[] = [];
  for (const path of candidates) {
    if (!(await exists(path))) continue;
    let text = '';
    try {
      text = await readText(path, MAX_INPUT_FILE_BYTES, 'file');
    } catch {
      // presence alone marks the folder
    }
    out.push({ path, text });
  }
  return out;
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads the regular files directly inside `dir` (capped) as a snapshot labelled `label`. */
export async function readFolder(dir: string, label: string): Promise<FolderSnapshot> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new DvkeysError('IO_FAILED', `cannot read folder ${label}`, { field: label });
  }
  const files = new Map<string, Uint8Array>();
  for (const name of names.sort(natural.compare)) {
    // deposit-data-<a>-<b>.json and slashing-protection-<a>-<b>.json: the files of validators added later (decision 1011)
    // lifecycle-plan.json: the plan a reshare or refresh folder was finalized under (decision 1013)
    // deposit-certificate.json and dkg-recovery.json: a DKG folder's certificate check (deposit-certificate.ts)
    if (!/^(ceremony\.json|lifecycle-plan\.json|deposit-data(-[0-9]+-[0-9]+)?\.json|slashing-protection(-[0-9]+-[0-9]+)?\.json|keystore-[0-9]+\.(json|txt)|deposit-certificate\.json|dkg-recovery\.json)$/.test(name)) continue;
    const st = await stat(join(dir, name));
    if (!st.isFile()) continue;
    const cap = name === 'ceremony.json' || name === 'lifecycle-plan.json' ? MAX_MANIFEST_TEXT_LENGTH : name === DKG_RECOVERY_FILE ? MAX_DKG_RECOVERY_BYTES : name === DEPOSIT_CERTIFICATE_FILE ? MAX_DEPOSIT_CERTIFICATE_BYTES : MAX_INPUT_FILE_BYTES;
    files.set(name, await readCapped(join(dir, name), cap, 'file'));
  }
  return { label, files };
}

/** The subfolders of `dir`, in natural order. */
export async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(natural.compare);
}

/** The last path segment, for labels. */
export function label(path: string): string {
  return basename(resolve(path));
}
