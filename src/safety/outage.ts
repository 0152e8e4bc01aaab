/**
 * One concrete outage (design section 5): some nodes of some operators down. Does the validator keep attesting?
 * The scenarios of the seed story (a VC client failure, one node at each party, a whole party offline) are outages.
 *
 * @module
 */
import { anumber } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { validateOperators, validateThreshold, type AnalyzeInput } from './input.js';

/** The outcome of {@link evaluateOutage}. */
export interface OutageOutcome {
  /** Shares (nodes) still online. */
  readonly sharesLeft: number;
  readonly threshold: number;
  /** sharesLeft >= threshold. */
  readonly attesting: boolean;
}

/**
 * Applies an outage to an allocation: `down` maps operator names to the number of their nodes that are down, or
 * `'all'` for the whole operator.
 *
 * @throws ValidationError as {@link validateOperators}/{@link validateThreshold} do; `INVALID_ARGUMENT` naming
 *   `down.<name>` for an unknown operator or more nodes than the operator runs.
 */
export function evaluateOutage(input: AnalyzeInput, down: Readonly<Record<string, number | 'all'>>): OutageOutcome {
  const alloc = validateOperators(input.operators);
  const t = validateThreshold(input.threshold, alloc.total);
  let lost = 0;
  for (const [name, count] of Object.entries(down)) {
    const i = alloc.names.indexOf(name);
    if (i < 0) {
      throw new ValidationError('INVALID_ARGUMENT', `'down.${name}' is not an operator of the allocation`, {
        field: `down.${name}`,
      });
    }
    const w = alloc.weights[i]!;
    lost += count === 'all' ? w : anumber(count, `down.${name}`, 0, w);
  }
  return { sharesLeft: alloc.total - lost, threshold: t, attesting: alloc.total - lost >= t };
}
