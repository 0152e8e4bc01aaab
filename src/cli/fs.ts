/**
 * Safe output trees: atomic, never overwriting, private by default (design section 3).
 *
 * A tree is written into a hidden sibling temporary folder (mode 0700), every file created exclusively (`wx`),
 * fsynced, then the folder is renamed into place in one step. On any failure or on abort the temporary folder is
 * removed, so the destination either does not exist or is complete. Secret files get mode 0600, others 0644;
 * folders 0700.
 *
 * Limit: POSIX rename() replaces an existing EMPTY directory; we check that the destination is absent just before
 * renaming, which leaves a window only against a concurrent process creating it.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, lstat, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { utf8 } from '../bytes.js';
import { AbortedError, DvkeysError } from '../errors.js';

/** One file of an output tree. */
export interface OutputFile {
  /** Relative path with forward slashes, e.g. `eridian-1/keystore-0.json`. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Secret files (keystores, passwords) get mode 0600. */
  readonly secret: boolean;
}

/** Throws OUTPUT_EXISTS if `path` exists (as anything, even a dangling link). */
export async function assertAbsent(path: string, what = 'output directory'): Promise<void> {
  try {
    await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // ENOTDIR: a parent is a file; assertWritableDir reports it
    throw e;
  }
  throw new DvkeysError('OUTPUT_EXISTS', `${what} ${path} already exists; dvkeys never overwrites (choose a new path)`, {
    field: path,
  });
}

/**
 * Checks an output path before any work: absent, with a writable parent folder.
 * @returns temporary folders left next to it by an interrupted earlier run (they may hold keystores and passwords).
 */
export async function assertOutputPath(outDir: string): Promise<string[]> {
  const dest = resolve(outDir);
  await assertAbsent(dest);
  await assertWritableDir(dirname(dest));
  const prefix = `.${basename(dest)}.dvkeys-tmp-`;
  return (await readdir(dirname(dest))).filter((n) => n.startsWith(prefix)).map((n) => join(dirname(dest), n));
}

/**
 * After an interrupted write of `outDir`: one sentence saying, from what is on disk now, what was left behind (the
 * interrupt line must be true even when clean-up failed).
 */
export async function whatWasLeft(outDir: string): Promise<string> {
  const dest = resolve(outDir);
  const prefix = `.${basename(dest)}.dvkeys-tmp-`;
  let tmps: string[] = [];
  try {
    tmps = (await readdir(dirname(dest))).filter((n) => n.startsWith(prefix)).map((n) => join(dirname(dest), n));
  } catch {
    // the parent folder is gone or unreadable: nothing of ours can be in it
  }
  let present = true;
  try {
    await lstat(dest);
  } catch {
    present = false;
  }
  if (tmps.length > 0) return `interrupted; ${tmps.join(', ')} could not be removed and may hold keystores and passwords: delete it (rm -r)`;
  if (present) return `interrupted after ${dest} was written; it was not read back: check it with dvkeys verify or delete it`;
  return `interrupted; nothing was written (no ${dest}, no temporary folder left)`;
}

/** Warns about leftover temporary folders (review F9): a run killed while writing cannot remove its own. */
export function warnLeftovers(leftovers: readonly string[], err: (line: string) => void): void {
  for (const l of leftovers) {
    err(`warning: ${l} is left from an interrupted run and may hold keystores and passwords; delete it (rm -r)`);
  }
}

/** Throws IO_FAILED unless `dir` is an existing writable directory. */
export async function assertWritableDir(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new DvkeysError('IO_FAILED', `cannot write into ${dir} (missing or not writable)`, { field: dir });
  }
}

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes `files` under `outDir` atomically. `outDir` must not exist; its parent must.
 * @throws DvkeysError `OUTPUT_EXISTS`, `IO_FAILED`; AbortedError when `signal` fires (nothing is left behind).
 */
export async function writeTreeAtomically(outDir: string, files: readonly OutputFile[], signal?: AbortSignal): Promise<void> {
  const dest = resolve(outDir);
  const parent = dirname(dest);
  await assertAbsent(dest);
  await assertWritableDir(parent);
  const tmp = join(parent, `.${basename(dest)}.dvkeys-tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    const dirs = new Set<string>([tmp]);
    for (const file of files) {
      if (signal?.aborted) throw new AbortedError('interrupted while writing; nothing was written');
      const target = join(tmp, ...file.path.split('/'));
      const dir = dirname(target);
      if (!dirs.has(dir)) {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        dirs.add(dir);
      }
      const h = await open(target, 'wx', file.secret ? 0o600 : 0o644);
      try {
        await h.writeFile(file.bytes);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    for (const dir of dirs) await fsyncPath(dir);
    if (signal?.aborted) throw new AbortedError('interrupted while writing; nothing was written');
    await assertAbsent(dest);
    await rename(tmp, dest);
    await fsyncPath(parent);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Reads every file back and compares it byte for byte with what was meant to be written.
 * @throws DvkeysError `IO_FAILED` naming the first file that differs.
 */
export async function readBackTree(outDir: string, files: readonly OutputFile[]): Promise<void> {
  for (const file of files) {
    const path = join(outDir, ...file.path.split('/'));
    const got = new Uint8Array(await readFile(path));
    if (got.length !== file.bytes.length || got.some((b, i) => b !== file.bytes[i])) {
      throw new DvkeysError('IO_FAILED', `read-back of ${file.path} differs from what was written`, { field: file.path });
    }
  }
}

/** Removes a tree this process created (after a failed read-back). */
export async function removeTree(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
}

/**
 * Writes a new file atomically and never over an existing one: a hidden temporary sibling is created exclusively
 * (mode 0600 for secret files, 0644 otherwise), fsynced, hard-linked to `path` (which fails if `path` exists) and
 * removed; the folder is fsynced and the file read back. Where hard links are unsupported, a rename after a last
 * absence check (a race window against a concurrent creator only).
 * @throws DvkeysError `OUTPUT_EXISTS`, `IO_FAILED`; AbortedError.
 */
export async function writeNewFile(path: string, content: string | Uint8Array, secret: boolean, signal?: AbortSignal): Promise<void> {
  const bytes = typeof content === 'string' ? utf8(content) : content;
  await assertAbsent(path, 'output file');
  await assertWritableDir(dirname(path));
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.dvkeys-tmp-${randomBytes(6).toString('hex')}`);
  const h = await open(tmp, 'wx', secret ? 0o600 : 0o644);
  try {
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    if (signal?.aborted === true) throw new AbortedError('interrupted while writing; nothing was written');
    try {
      await link(tmp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') await assertAbsent(path, 'output file');
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
      await assertAbsent(path, 'output file');
      await rename(tmp, path);
    }
  } finally {
    await rm(tmp, { force: true });
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  const back = new Uint8Array(await readFile(path));
  if (back.length !== bytes.length || back.some((b, i) => b !== bytes[i])) {
    await rm(path, { force: true });
    throw new DvkeysError('IO_FAILED', `read-back of ${path} differs from what was written`, { field: path });
  }
}
