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

/** Prints relative paths as an indented tree: root files, then one line per folder. */
export function printTree(io: CliIo, paths: readonly string[]): void {
  const folders = new Map<string, string[]>();
  for (const p of paths) {
    const i = p.indexOf('/');
    const dir = i < 0 ? '' : p.slice(0, i);
    const name = i < 0 ? p : p.slice(i + 1);
    folders.set(dir, [...(folders.get(dir) ?? []), name]);
  }
  for (const [dir, names] of folders) {
    io.out(dir === '' ? `  ${names.join('  ')}` : `  ${dir}/  ${names.join('  ')}`);
  }
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
