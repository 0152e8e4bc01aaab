/**
 * The caps of an abort report (brief B5; attack a02, decision 0423): what the protocol can legitimately put in one.
 *
 * An abort report is unsigned, so its author (normally the coordinator) chooses its items freely; each is checked
 * by every honest operator. Before any is checked:
 * - identical items (the same JSON value, members in any order) are kept once: repeating one signed piece of
 *   evidence proves nothing more;
 * - each remaining item takes a slot, and a slot holds one item. The slots are what the protocol produces:
 *   - one complaint per accuser (a complaint holds at most one accusation per accused dealer, so this is one
 *     accusation per (accuser, dealer) pair);
 *   - one equivocation, and one round-1 fault, per accused dealer;
 *   - one Ack fault (`invalid-ack` or `invalid-partial`) per signer;
 *   - one `missing` per participant and stage;
 *   - at most n + 2 `coordinator` items (a relay check reports at most one problem per position, plus a wrong
 *     ceremony id and a wrong message count; a finalisation reports one).
 *   An item whose index is not a participant's has no slot: it fails its own cheap shape or signature check.
 * A second distinct item in a slot refuses the whole report with `LIMIT_EXCEEDED`, field `abort.evidence[i]`.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import type { Definition } from './definition.js';
import { canonicalJson } from './evidence-work.js';

function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Readonly<Record<string, unknown>>)[key] : undefined;
}

/** The participant index `value` holds, if it is one of this ceremony's. */
function indexOf(def: Definition, value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= def.n ? value : undefined;
}

/** The slot of an evidence item and what to call it in an error, or undefined (see the module docs). */
function slotOf(def: Definition, item: unknown): { readonly slot: string; readonly what: string } | undefined {
  const kind = member(item, 'kind');
  const at = (slot: string, value: unknown, what: (i: number) => string) => {
    const i = indexOf(def, value);
    return i === undefined ? undefined : { slot: `${slot}/${i}`, what: what(i) };
  };
  switch (kind) {
    case 'complaint':
      return at('complaint', member(member(item, 'complaint'), 'index'), (i) => `complaint by participant ${i}`);
    case 'equivocation':
      return at('equivocation', member(member(item, 'first'), 'index'), (i) => `equivocation of participant ${i}`);
    case 'round1-fault':
      return at('round1-fault', member(member(item, 'round1'), 'index'), (i) => `round-1 fault of participant ${i}`);
    case 'invalid-ack':
    case 'invalid-partial':
      return at('ack', member(member(item, 'ack'), 'index'), (i) => `Ack fault of participant ${i}`);
    case 'missing': {
      const stage = member(item, 'stage');
      return typeof stage === 'string' ? at(`missing/${stage}`, member(item, 'index'), (i) => `missing ${stage} message of participant ${i}`) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The distinct items of an abort report's evidence, in their first order, within the caps (module docs).
 * @throws ValidationError `LIMIT_EXCEEDED` (field `abort.evidence[i]`, the first item over a cap).
 */
export function distinctReportEvidence(def: Definition, evidence: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const slots = new Set<string>();
  const kept: unknown[] = [];
  let coordinatorCount = 0;
  for (const [pos, item] of evidence.entries()) {
    const key = canonicalJson(item);
    if (seen.has(key)) continue;
    seen.add(key);
    const over = (what: string): never => {
      throw new ValidationError('LIMIT_EXCEEDED', `the abort report carries more than ${what}; a report holds at most what the protocol produces (decision 0423)`, { field: `abort.evidence[${pos}]` });
    };
    if (member(item, 'kind') === 'coordinator' && ++coordinatorCount > def.n + 2) over(`${def.n + 2} coordinator items`);
    const s = slotOf(def, item);
    if (s !== undefined) {
      if (slots.has(s.slot)) over(`one ${s.what}`);
      slots.add(s.slot);
    }
    kept.push(item);
  }
  return kept;
}
