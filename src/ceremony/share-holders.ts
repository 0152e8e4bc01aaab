/**
 * From an operators spec to share holders, one share per node folder (design section 3: share ids 1..n in order):
 * - `9`: nine operators `operator-1`..`operator-9`, one share each (operator k holds x = k);
 * - `eridian:3,spacesider:3,cloud:3`: named stakers with a node count; node folders `eridian-1`, `eridian-2`, …
 *
 * The CLI's `--operators` and the web app's split screen both use it, so the same text gives the same folders.
 *
 * @module
 */
import type { ManifestOperator } from './manifest.js';
import { parseOperators } from '../safety/input.js';

/**
 * Expands an operators spec into share holders.
 * @throws ValidationError as safety's `parseOperators` does (`INVALID_ARGUMENT`, field `operators`).
 */
export function shareHolders(spec: string): ManifestOperator[] {
  const text = spec.trim();
  const ops = parseOperators(text, { allowDomains: false });
  if (/^[0-9]+$/.test(text)) {
    return Array.from({ length: Number(text) }, (_, i) => ({ index: i + 1, name: `operator-${i + 1}`, group: `operator-${i + 1}` }));
  }
  const out: ManifestOperator[] = [];
  for (const op of ops) {
    for (let j = 1; j <= op.shares; j++) out.push({ index: out.length + 1, name: `${op.name}-${j}`, group: op.name });
  }
  return out;
}
