/**
 * The host key journal of `dvkeys dkg` (issue 12, docs/decisions/0430-dkg-host-key-journal.md): an append-only file
 * `<host key file>.journal` beside each host key, one JSON line per event
 *
 *     {"version":1,"hostPublicKey":"0x…","ceremonyId":"0x…","event":"dealt","time":"2026-…Z","ref":"0x…"}
 *
 * with `event` one of `dealt` (round 1: ref = the round-1 digest), `answered` (round 2, an Ack or a complaint: ref =
 * the transcript hash), `ready` (round 3: ref = the transcript hash) and `echoed` (a lifecycle recipient's echo,
 * decision 0444: ceremony id = the plan id, ref = the transcript hash it echoed). `round1` and `round2` append their event and
 * fsync the journal BEFORE they write the message, and refuse (`DKG_ALREADY_DONE`) to deal or answer again in a
 * ceremony the journal records, whatever state file they are given: a copied or restored state cannot make the key
 * deal or answer twice while its journal is kept.
 *
 * The journal lives beside the host key FILE, its real path (symlinks resolved): a second path to the same file (a
 * symlink, `..` through a linked folder) finds the same journal, so it cannot be used to deal twice (attack a04,
 * test/attacks/a04-journal-symlink.test.ts). A hard link or a copy of the key is another file with its own journal.
 *
 * While a step runs it holds `<journal>.lock` (created exclusively), so two steps with one host key never interleave
 * their check and their append. A lock left by a crash, a journal line that does not parse, or one of another host
 * key is a one-line error (`DKG_JOURNAL_LOCKED`, `DKG_JOURNAL_INVALID`): never silently ignored or repaired.
 *
 * @module
 */
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DvkeysError } from '../errors.js';

/** A journal event. */
export type JournalEvent = 'dealt' | 'answered' | 'ready' | 'echoed';

/** One journal line. */
export interface JournalEntry {
  readonly version: 1;
  readonly hostPublicKey: string;
  readonly ceremonyId: string;
  readonly event: JournalEvent;
  /** ISO 8601 UTC time of the event (informative only; nothing depends on the clock). */
  readonly time: string;
  /** The round-1 digest (dealt) or the transcript hash (answered, ready). */
  readonly ref: string;
}

/** Largest journal read: 16 MiB (about 80 000 events). */
export const MAX_JOURNAL_BYTES = 16 * 1024 * 1024;

const EVENTS: readonly JournalEvent[] = ['dealt', 'answered', 'ready', 'echoed'];
const KEYS = ['version', 'hostPublicKey', 'ceremonyId', 'event', 'time', 'ref'];
const HEX32 = /^0x[0-9a-f]{64}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

/** The journal path of a host key file. */
export function journalPath(hostKeyPath: string): string {
  return `${hostKeyPath}.journal`;
}

function invalid(path: string, line: number, what: string): never {
  throw new DvkeysError('DKG_JOURNAL_INVALID', `host key journal ${path}, line ${line}: ${what}; it is append-only and never repaired by dvkeys: restore it from a backup or inspect it (removing it lets this key deal and answer again)`, { field: `${path}:${line}` });
}

/**
 * Parses a journal's text strictly: every line (each ended by a newline) one entry with exactly the known fields,
 * all of `hostPublicKey`.
 * @throws DvkeysError `DKG_JOURNAL_INVALID` naming the path and line.
 */
export function parseJournal(text: string, path: string, hostPublicKey: string): JournalEntry[] {
  if (text.length === 0) return [];
  if (!text.endsWith('\n')) invalid(path, text.split('\n').length, 'the last line is incomplete (an interrupted write?)');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, k) => {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        invalid(path, k + 1, 'not a JSON line');
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(path, k + 1, 'not a JSON object');
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length !== KEYS.length || !KEYS.every((key) => keys.includes(key))) invalid(path, k + 1, `expected exactly the fields ${KEYS.join(', ')}`);
      if (o['version'] !== 1) invalid(path, k + 1, 'version is not 1');
      for (const f of ['hostPublicKey', 'ceremonyId', 'ref']) if (typeof o[f] !== 'string' || !HEX32.test(o[f])) invalid(path, k + 1, `${f} is not 0x-hex of 32 bytes`);
      if (!(EVENTS as readonly unknown[]).includes(o['event'])) invalid(path, k + 1, `event is not one of ${EVENTS.join(', ')}`);
      if (typeof o['time'] !== 'string' || !TIME.test(o['time'])) invalid(path, k + 1, 'time is not an ISO 8601 UTC time');
      if (o['hostPublicKey'] !== hostPublicKey) invalid(path, k + 1, `it belongs to host key ${String(o['hostPublicKey'])}, not ${hostPublicKey}`);
      return o as unknown as JournalEntry;
    });
}

/** The real path of the host key file (symlinks resolved); the path as given when it cannot be resolved. */
async function realPathOf(hostKeyPath: string): Promise<string> {
  try {
    return await realpath(hostKeyPath);
  } catch {
    return hostKeyPath;
  }
}

/** An open journal: the lock is held until {@link Journal.close}. */
export class Journal {
  private constructor(
    /** The journal file. */
    readonly path: string,
    private readonly lockPath: string,
    private readonly hostPublicKey: string,
    private readonly list: JournalEntry[],
  ) {}

  /**
   * Takes the journal's lock and reads it (a missing journal is empty).
   * @throws DvkeysError `DKG_JOURNAL_LOCKED` (the lock exists), `DKG_JOURNAL_INVALID`, `IO_FAILED`.
   */
  static async open(hostKeyPath: string, hostPublicKey: string): Promise<Journal> {
    const path = journalPath(await realPathOf(hostKeyPath));
    const lockPath = `${path}.lock`;
    try {
      const h = await open(lockPath, 'wx', 0o600);
      await h.writeFile(`${process.pid}\n`);
      await h.close();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new DvkeysError('DKG_JOURNAL_LOCKED', `host key journal ${path} is locked by another dvkeys dkg step (${lockPath}); wait for it, or, if none runs (a crash), remove the lock file`, { field: lockPath });
      }
      throw new DvkeysError('IO_FAILED', `cannot create the journal lock ${lockPath}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { field: lockPath });
    }
    try {
      let text = '';
      try {
        const bytes = await readFile(path);
        if (bytes.length > MAX_JOURNAL_BYTES) invalid(path, 0, `larger than ${MAX_JOURNAL_BYTES} bytes`);
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        if (e instanceof DvkeysError) throw e;
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
          if (e instanceof TypeError) invalid(path, 0, 'not UTF-8 text');
          throw new DvkeysError('IO_FAILED', `cannot read the host key journal ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { field: path });
        }
      }
      return new Journal(path, lockPath, hostPublicKey, parseJournal(text, path, hostPublicKey));
    } catch (e) {
      await rm(lockPath, { force: true });
      throw e;
    }
  }

  /** Every entry, oldest first. */
  get entries(): readonly JournalEntry[] {
    return this.list;
  }

  /** The first entry of `event` for `ceremonyId`, if any. */
  find(ceremonyId: string, event: JournalEvent): JournalEntry | undefined {
    return this.list.find((e) => e.ceremonyId === ceremonyId && e.event === event);
  }

  /**
   * Refuses a step the journal already records for this ceremony.
   * @throws DvkeysError `DKG_ALREADY_DONE`.
   */
  assertNot(ceremonyId: string, event: 'dealt' | 'answered' | 'echoed'): void {
    const e = this.find(ceremonyId, event);
    if (e === undefined) return;
    const what = event === 'dealt' ? `dealt (round 1, digest ${e.ref})` : event === 'answered' ? `answered round 2 (transcript ${e.ref})` : `echoed (transcript ${e.ref})`;
    const why = event === 'dealt' ? 'a second round-1 message would be equivocation' : event === 'answered' ? 'one answer per ceremony' : 'a second echo could vouch for another transcript';
    throw new DvkeysError('DKG_ALREADY_DONE', `this host key already ${what} in ceremony ${ceremonyId} at ${e.time} (journal ${this.path}); ${why}: a retry needs a new draft and so a new ceremony id`, { field: this.path });
  }

  /**
   * Appends one event and fsyncs the journal (and, when it was created, its folder) before returning.
   * @throws DvkeysError `IO_FAILED`.
   */
  async append(ceremonyId: string, event: JournalEvent, ref: string, now: Date = new Date()): Promise<void> {
    const entry: JournalEntry = { version: 1, hostPublicKey: this.hostPublicKey, ceremonyId, event, time: now.toISOString(), ref };
    const created = this.list.length === 0;
    try {
      const h = await open(this.path, 'a', 0o600);
      try {
        await h.write(`${JSON.stringify(entry)}\n`);
        await h.sync();
      } finally {
        await h.close();
      }
      if (created) {
        const d = await open(dirname(this.path), 'r');
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      }
    } catch (e) {
      throw new DvkeysError('IO_FAILED', `cannot append to the host key journal ${this.path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}; nothing was sent`, { field: this.path });
    }
    this.list.push(entry);
  }

  /** Releases the lock. */
  async close(): Promise<void> {
    await rm(this.lockPath, { force: true });
  }
}

/** Runs `fn` with the host key's journal open (lock held), closing it afterwards. */
export async function withJournal<T>(hostKeyPath: string, hostPublicKey: string, fn: (journal: Journal) => Promise<T>): Promise<T> {
  const journal = await Journal.open(hostKeyPath, hostPublicKey);
  try {
    return await fn(journal);
  } finally {
    await journal.close();
  }
}
