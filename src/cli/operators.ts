/**
 * From the `--operators` syntax to share holders (one share per node folder):
 * - `9`: nine operators `operator-1`..`operator-9`, one share each (design section 3: operator k holds x = k);
 * - `eridian:3,spacesider:3,cloud:3`: named stakers with a node count; node folders `eridian-1`, `eridian-2`, …
 *   and share ids 1..n in that order.
 *
 * @module
 */
import type { ManifestOperator } from '../ceremony/manifest.js';
import { parseOperators } from '../safety/input.js';
import { UsageError } from './io.js';

/** Expands an `--operators` value into share holders. */
export function shareHolders(spec: string | undefined): ManifestOperator[] {
  if (spec === undefined) throw new UsageError('--operators is required, e.g. --operators 4 or --operators eridian:3,spacesider:3,cloud:3');
  const text = spec.trim();
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < 1) throw new UsageError('--operators needs at least 1 operator');
    parseOperators(text, { allowDomains: false });
    return Array.from({ length: n }, (_, i) => ({ index: i + 1, name: `operator-${i + 1}`, group: `operator-${i + 1}` }));
  }
  const ops = parseOperators(text, { allowDomains: false });
  const out: ManifestOperator[] = [];
  for (const op of ops) {
    for (let j = 1; j <= op.shares; j++) out.push({ index: out.length + 1, name: `${op.name}-${j}`, group: op.name });
  }
  return out;
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
