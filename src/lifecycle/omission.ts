/**
 * Omissions: a party of a lifecycle step whose message is missing (docs/protocols/lifecycle.md "Blame"; decisions
 * 0441, 0443). Every message crosses the untrusted coordinator, which can drop any of them, so silence proves
 * nothing about who withheld it: the silent parties and the coordinator are **suspects** (DvkeysError `suspects`),
 * never culprits. Only signed contradictory evidence names a culprit.
 *
 * @module
 */
import { ValidationError } from '../errors.js';

/** The suspect name of the coordinator that relays every message. */
export const COORDINATOR = 'coordinator';

/**
 * The error of an omission abort: no culprit; suspects: `missing` (share ids) and `coordinator`.
 * @param code `DEALER_MISSING`, `HANDOVER_INCOMPLETE`, …
 * @param what what is missing, e.g. "no dealing from dealer 3"
 * @param who how the parties are called in the message, e.g. "dealer"
 * @param consequence the end of the message, e.g. "the reshare aborts"
 */
export function omissionError(code: 'DEALER_MISSING' | 'HANDOVER_INCOMPLETE', what: string, who: string, missing: readonly (bigint | number | string)[], field: string, consequence: string): ValidationError {
  const ids = missing.map(String);
  return new ValidationError(code, `${what}: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: ${who} ${ids.join(', ')} or the coordinator; ${consequence}`, {
    field,
    suspects: [...ids, COORDINATOR],
  });
}
