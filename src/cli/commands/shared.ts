/**
 * Small helpers shared by several commands.
 *
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { KdfChoice } from '../../keys/keystore.js';
import { UsageError, type CliIo } from '../io.js';

/** Tiny KDF costs behind `--insecure-keys` (Charon's insecure keys use pbkdf2 c = 16). Tests and demos only. */
export const INSECURE_KDF = { scrypt: { n: 16, r: 8, p: 1 }, pbkdf2: { c: 16 } } as const;

/** Parses `--kdf`. */
export function kdfOption(value: string | undefined): KdfChoice | undefined {
  if (value === undefined) return undefined;
  if (value !== 'scrypt' && value !== 'pbkdf2') throw new UsageError(`--kdf must be scrypt or pbkdf2, got '${value}'`);
  return value;
}

/** Most files a folder's line lists by name; a fuller folder is summarised (decision 0806). */
export const LISTED_FILES_PER_FOLDER = 6;

/**
 * Prints relative paths as an indented tree: root files, then one line per folder. A folder of more than
 * {@link LISTED_FILES_PER_FOLDER} files is summarised by name pattern (`100 keystore-*.json`, digits replaced by
 * `*`), so a 100-validator split is one short line per folder; `all` (--list-files) lists every file.
 */
export function printTree(io: CliIo, paths: readonly string[], all = false): void {
  const folders = new Map<string, string[]>();
  for (const p of paths) {
    const i = p.indexOf('/');
    const dir = i < 0 ? '' : p.slice(0, i);
    const name = i < 0 ? p : p.slice(i + 1);
    folders.set(dir, [...(folders.get(dir) ?? []), name]);
  }
  let summarised = false;
  for (const [dir, names] of folders) {
    let shown = names.join('  ');
    if (!all && names.length > LISTED_FILES_PER_FOLDER) {
      summarised = true;
      const counts = new Map<string, number>();
      for (const n of names) {
        const pattern = n.replace(/[0-9]+/g, '*');
        counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
      }
      shown = `${names.length} files: ${[...counts].map(([pattern, k]) => (k === 1 ? names.find((n) => n.replace(/[0-9]+/g, '*') === pattern)! : `${k} ${pattern}`)).join(', ')}`;
    }
    io.out(dir === '' ? `  ${shown}` : `  ${dir}/  ${shown}`);
  }
  if (summarised) io.out('  (--list-files lists every file)');
}

/**
 * A fingerprint (64 hex digits, with or without 0x) in 8 groups of 8 for reading over the phone:
 * `76b2e80c cdbcf77d … 30c5b636` (decision 0806). `dvkeys verify --fingerprint` accepts this form too.
 */
export function fingerprintGroups(hex: string): string {
  return (hex.replace(/^0x/i, '').match(/.{1,8}/g) ?? []).join(' ');
}

/** A `--fingerprint` value as typed: the grouped form's spaces removed (the check still needs all 64 digits). */
export function typedFingerprint(text: string): string {
  return text.trim().replace(/\s+/g, '');
}

/** Parses an amount in ETH (`32`, `1.5`) into Gwei; at most 9 decimals. */
export function ethAmount(value: string, option: string): bigint {
  const m = /^([0-9]{1,7})(?:\.([0-9]{1,9}))?$/.exec(value.trim());
  if (m === null) throw new UsageError(`${option} expects an amount in ETH such as 32 or 1.5, got '${value}'`);
  return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * `--max-kdf-work UNITS` of combine, deposit sign and exit sign: a positive decimal number (no exponent, no sign),
 * or undefined when absent (decisions 0422, 0213).
 * @throws UsageError for anything else.
 */
export function maxKdfWorkOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!(units > 0) || !Number.isFinite(units)) throw new UsageError(`--max-kdf-work must be a positive number of KDF work units, got '${text}'`);
  return units;
}

/**
 * A library LIMIT_EXCEEDED refusal of the KDF-work budget (field `maxKdfWork`) renamed for the CLI: the message
 * and field name `--max-kdf-work`. Other errors are returned unchanged.
 */
export function cliKdfWorkError(e: unknown): unknown {
  if (!(e instanceof ValidationError) || e.code !== 'LIMIT_EXCEEDED' || e.field !== 'maxKdfWork') return e;
  return new ValidationError('LIMIT_EXCEEDED', e.message.replace("('maxKdfWork')", '(--max-kdf-work)'), { field: '--max-kdf-work' });
}
