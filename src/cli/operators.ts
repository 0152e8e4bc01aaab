/**
 * The `--operators` option (share holders: `9` or `eridian:3,spacesider:3,cloud:3`, expanded by
 * src/ceremony/share-holders.ts, which the web app uses too) and `--validator-indices`.
 *
 * @module
 */
import type { ManifestOperator } from '../ceremony/manifest.js';
import { shareHolders as expand } from '../ceremony/share-holders.js';
import { UsageError } from './io.js';

/** Expands an `--operators` value into share holders (src/ceremony/share-holders.ts). */
export function shareHolders(spec: string | undefined): ManifestOperator[] {
  if (spec === undefined) throw new UsageError('--operators is required, e.g. --operators 4 or --operators eridian:3,spacesider:3,cloud:3');
  if (/^[0-9]+$/.test(spec.trim()) && Number(spec.trim()) < 1) throw new UsageError('--operators needs at least 1 operator');
  return expand(spec);
}

/** Parses `--validator-indices`: `0..9` (inclusive), `0,3,5`, or a mix such as `0..3,7`. */
export function parseIndices(spec: string | undefined): number[] {
  if (spec === undefined) throw new UsageError('--validator-indices is required with --mnemonic-file, e.g. --validator-indices 0..9');
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*([0-9]+)\s*(?:\.\.\s*([0-9]+)\s*)?$/.exec(part);
    if (m === null) throw new UsageError(`--validator-indices: '${part}' is not N or A..B`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 10_000) throw new UsageError(`--validator-indices: '${part}' is not an ascending range of at most 10000`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}
