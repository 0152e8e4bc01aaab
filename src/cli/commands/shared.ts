/**
 * Small helpers shared by several commands.
 *
 * @module
 */
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
