/**
 * The lock of `dvkeys dkg join` (issue 18; docs/decisions/0436-dkg-join-lock.md): `<host key file>.join.lock` beside
 * the host key's journal (the host key's real path, as for the journal), created exclusively and holding
 * `{"pid", "host", "started"}`. A second `join` with the same host key file while one runs is refused
 * (`DKG_JOURNAL_LOCKED`), so two processes never drive one operator's ceremony at once (Charon's duplicate-node
 * reports). The lock is removed when `join` ends, successfully or not.
 *
 * A lock left by a killed `join` (SIGKILL, power loss) is stale: when it names this host and a process id that no
 * longer runs, the next `join` takes it over with a warning, and also removes the journal's own lock if the dead
 * process held it (a `join` runs the journal steps in its own process). A lock naming another host is never taken
 * over (its process cannot be checked from here): the error says to remove it by hand once that `join` is gone.
 *
 * @module
 */
import { hostname } from 'node:os';
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { DvkeysError } from '../errors.js';
import { journalPath } from './journal.js';

/** A held lock. */
export interface JoinLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readInfo(path: string): Promise<LockInfo | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string' && typeof v.started === 'string') return v as LockInfo;
  } catch {
    // unreadable or half-written: not ours to judge
  }
  return undefined;
}

async function create(path: string): Promise<boolean> {
  try {
    const h = await open(path, 'wx', 0o600);
    try {
      await h.writeFile(`${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() })}\n`);
      await h.sync();
    } finally {
      await h.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DvkeysError('IO_FAILED', `cannot create the join lock ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { field: path });
  }
}

/**
 * Takes the join lock of a host key file.
 * @param warn receives the line reporting a stale lock taken over.
 * @throws DvkeysError `DKG_JOURNAL_LOCKED` while another `join` holds it, `IO_FAILED`.
 */
export async function takeJoinLock(hostKeyPath: string, warn: (line: string) => void): Promise<JoinLock> {
  let real = hostKeyPath;
  try {
    real = await realpath(hostKeyPath);
  } catch {
    // a missing key is reported by the step that reads it
  }
  const path = `${real}.join.lock`;
  const lock: JoinLock = { path, release: () => rm(path, { force: true }) };
  if (await create(path)) return lock;
  const info = await readInfo(path);
  if (info !== undefined && info.host === hostname() && !alive(info.pid)) {
    warn(`took over the stale join lock ${path} (pid ${info.pid} of ${info.started} no longer runs)`);
    const journalLock = `${journalPath(real)}.lock`;
    if ((await readFile(journalLock, 'utf8').catch(() => '')).trim() === String(info.pid)) await rm(journalLock, { force: true });
    await rm(path, { force: true });
    if (await create(path)) return lock;
  }
  const who = info === undefined ? 'an unreadable lock' : `pid ${info.pid} on ${info.host}, since ${info.started}`;
  throw new DvkeysError('DKG_JOURNAL_LOCKED', `another dvkeys dkg join runs with this host key (${who}; ${path}): one process per operator; if none runs, remove the lock file`, { field: path });
}
