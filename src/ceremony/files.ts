/**
 * The files a ceremony produces, as pure data: the CLI writes them (cli/fs.ts), library users may store them
 * elsewhere. Secret files (keystores, passwords) are marked so writers give them private permissions.
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8 } from '../bytes.js';
import { SecretBytes } from '../types.js';

/** What a file is; decides whether the manifest lists its hash. */
export type CeremonyFileKind =
  | 'manifest'
  | 'keystore'
  | 'password'
  | 'deposit-data'
  | 'slashing-protection'
  | 'exit'
  | 'cluster-lock'
  | 'node-key'
  | 'keyshares'
  | 'operators-map'
  | 'lifecycle-plan';

/** One output file. */
export interface CeremonyFile {
  /** Relative path with forward slashes. */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly kind: CeremonyFileKind;
  /** Written with mode 0600 (keystores and passwords). */
  readonly secret: boolean;
}

/** A text file. */
export function textFile(path: string, text: string, kind: CeremonyFileKind, secret: boolean): CeremonyFile {
  return { path, bytes: utf8(text), kind, secret };
}

/** A secret text file (a password): its bytes are {@link SecretBytes}, so they print `<redacted>`; wipe after use. */
export function secretTextFile(path: string, text: string, kind: CeremonyFileKind): CeremonyFile {
  const raw = utf8(text);
  const bytes = SecretBytes.copyOf(raw);
  raw.fill(0);
  return { path, bytes, kind, secret: true };
}

/** Lowercase SHA-256 hex of a file's bytes (the manifest's `files` values). */
export function fileHash(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** The manifest's `files` map: every file except manifests and passwords. */
export function hashFiles(files: readonly CeremonyFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) if (f.kind !== 'manifest' && f.kind !== 'password' && f.kind !== 'node-key') out[f.path] = fileHash(f.bytes);
  return out;
}
