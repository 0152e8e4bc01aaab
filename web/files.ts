/**
 * Files in and out of the page (issue 17): what the user drops or picks (single files, a folder picked with the
 * folder chooser, or zips, unpacked with fflate) becomes one snapshot `relative path -> bytes`; what the page
 * makes leaves as downloads (one zip per operator folder, made with fflate, the entries the CLI would write, byte
 * for byte). Nothing is stored: downloads are blob: URLs that {@link Downloads.clear} revokes.
 *
 * @module
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { DvkeysError } from '../src/index.js';
import { el } from './dom.js';

/** Most bytes read from what the user drops (a tree of 1000 validators' keystores is a few MB). */
export const MAX_INPUT_BYTES = 64 << 20;

/** Relative path (forward slashes) -> bytes. */
export type Entries = Map<string, Uint8Array>;

/**
 * Reads dropped or picked files into one snapshot. A `.zip` contributes its entries (under its own paths); a file
 * from a folder chooser keeps its relative path; any other file its name.
 * @throws DvkeysError `INVALID_FORMAT` for a zip that does not unpack, `LIMIT_EXCEEDED` above {@link MAX_INPUT_BYTES}.
 */
export async function readInputs(files: readonly File[]): Promise<Entries> {
  const out: Entries = new Map();
  let total = 0;
  for (const f of files) {
    total += f.size;
    if (total > MAX_INPUT_BYTES) throw new DvkeysError('LIMIT_EXCEEDED', `the files given are larger than ${MAX_INPUT_BYTES >> 20} MiB`, { field: f.name });
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (/\.zip$/i.test(f.name)) {
      let unpacked;
      try {
        unpacked = unzipSync(bytes, { filter: (e) => e.originalSize <= MAX_INPUT_BYTES });
      } catch {
        throw new DvkeysError('INVALID_FORMAT', `${f.name} is not a zip archive`, { field: f.name });
      }
      for (const [path, data] of Object.entries(unpacked)) {
        total += data.length;
        if (total > MAX_INPUT_BYTES) throw new DvkeysError('LIMIT_EXCEEDED', `the files given are larger than ${MAX_INPUT_BYTES >> 20} MiB`, { field: f.name });
        if (!path.endsWith('/')) out.set(path, data);
      }
    } else {
      out.set(f.webkitRelativePath !== '' ? f.webkitRelativePath : f.name, bytes);
    }
  }
  return out;
}

/** Wipes every entry (the snapshot may hold password files). */
export function wipeEntries(entries: Entries): void {
  for (const b of entries.values()) b.fill(0);
  entries.clear();
}

/** The entries with `prefix/` removed while every path starts with the same one folder, and the last such folder. */
export function stripCommonFolder(entries: Entries): { entries: Entries; folder: string | undefined } {
  let current = entries;
  let folder: string | undefined;
  for (;;) {
    const paths = [...current.keys()];
    const first = paths[0]?.split('/')[0];
    if (first === undefined || !paths.every((p) => p.startsWith(`${first}/`))) return { entries: current, folder };
    folder = first;
    const prev = current;
    current = new Map(paths.map((p) => [p.slice(first.length + 1), prev.get(p)!]));
  }
}

/**
 * The operator folders among the entries: every folder holding a ceremony.json (at any depth, not the root), with
 * its direct files by name, labelled by its own name.
 */
export function manifestFolders(entries: Entries): { label: string; files: Entries }[] {
  const dirs = [...entries.keys()].filter((p) => p.endsWith('/ceremony.json')).map((p) => p.slice(0, -'/ceremony.json'.length));
  return dirs.map((dir) => {
    const files: Entries = new Map();
    for (const [p, b] of entries) {
      if (p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')) files.set(p.slice(dir.length + 1), b);
    }
    return { label: dir.split('/').pop()!, files };
  });
}

/** Entries by their top folder (`''` for files at the root). */
export function byFolder(entries: Entries): Map<string, Entries> {
  const out = new Map<string, Entries>();
  for (const [path, bytes] of entries) {
    const i = path.indexOf('/');
    const folder = i < 0 ? '' : path.slice(0, i);
    const name = i < 0 ? path : path.slice(i + 1);
    if (name.includes('/')) continue; // deeper files belong to no layout dvkeys reads
    if (!out.has(folder)) out.set(folder, new Map());
    out.get(folder)!.set(name, bytes);
  }
  return out;
}

/** One file the library produced: its path in the tree the CLI writes, bytes, and whether it is secret (mode 0600). */
export interface OutFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly secret?: boolean;
}

const MTIME = new Date('2000-01-01T00:00:00Z');

/**
 * A zip of `files` under their own paths (so unzipping where the CLI's `--out` folder would be gives the CLI's
 * tree), Unix mode 0600 for secret files and 0644 otherwise, a fixed time stamp, stored uncompressed.
 */
export function zipFiles(files: readonly OutFile[]): Uint8Array<ArrayBuffer> {
  const data: Zippable = {};
  for (const f of files) data[f.path] = [f.bytes, { os: 3, attrs: (f.secret === true ? 0o100600 : 0o100644) << 16, mtime: MTIME, level: 0 }];
  return zipSync(data);
}

/** The download links the page offers; {@link clear} revokes them and empties their list. */
export class Downloads {
  private urls: string[] = [];
  constructor(private readonly list: HTMLElement) {}

  /** Offers `bytes` as a download named `name`; wipes `bytes` once the browser has its own copy. */
  add(name: string, bytes: Uint8Array<ArrayBuffer>, type: string, label: string): HTMLAnchorElement {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    bytes.fill(0);
    this.urls.push(url);
    const a = el('a', { href: url, download: name, 'data-download': name }, name) as HTMLAnchorElement;
    this.list.append(el('li', {}, a, ` ${label}`));
    return a;
  }

  get count(): number {
    return this.urls.length;
  }

  clear(): void {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
    this.list.replaceChildren();
  }
}
