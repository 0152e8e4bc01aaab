/**
 * The plan screen: operators and shares in, the safety figures (the same verdicts as `dvkeys analyze`), the split
 * gate (the same refusal as `dvkeys split`), a picture of who holds what and which single-operator outages the
 * cluster survives, and the planner's ranked allocations (as `dvkeys plan`). Pure calls into src/safety.
 *
 * @module
 */
import {
  assertSplitSafety,
  checkSplitSafety,
  formatPartition,
  defaultThreshold,
  evaluateOutage,
  parseOperators,
  plan,
  verdicts,
  type AnalyzeInput,
  type OperatorInput,
} from '../src/safety/index.js';
import { el, errorLine } from './dom.js';

/** Renders the analysis of `spec` at threshold `t` (or Charon's default when empty) into `out`. */
export function renderPlan(out: HTMLElement, spec: string, thresholdText: string): void {
  out.replaceChildren();
  let operators: OperatorInput[];
  let input: AnalyzeInput;
  try {
    operators = parseOperators(spec);
    const n = operators.reduce((s, o) => s + o.shares, 0);
    const threshold = thresholdText.trim() === '' ? defaultThreshold(n) : Number(thresholdText);
    input = { threshold, operators };
    const check = checkSplitSafety(input);
    const a = check.analysis;
    out.append(
      el('h3', {}, `threshold ${a.threshold} of ${a.shares} shares over ${a.allocation.length} operators`),
      splitGate(input),
      ...check.warnings.map((w) => el('p', { class: 'warn' }, `warning: ${w}`)),
      verdictTable(input),
      picture(input),
    );
  } catch (e) {
    out.append(el('p', { class: 'error', role: 'alert' }, errorLine('analyze', e)));
    return;
  }
  try {
    const p = plan({ operators: operators.map((o) => ({ name: o.name, maxShares: Math.max(o.shares, 4) })), top: 5 });
    out.append(el('h3', {}, 'Planner: ranked split-brain-safe allocations (each operator up to max(its shares, 4) nodes)'));
    const rows = p.candidates.map((c) =>
      el('tr', {},
        el('td', {}, String(c.rank)),
        el('td', {}, c.allocation.map((o) => `${o.name}:${o.shares}`).join(',')),
        el('td', {}, `${c.threshold} of ${c.shares}`),
        el('td', {}, String(c.analysis.crashTolerance.operators)),
        el('td', {}, String(c.analysis.collusion.operators)),
        el('td', {}, c.reason)),
    );
    out.append(
      table(['rank', 'allocation', 'threshold', 'operators offline ok', 'operators to collude', 'why this rank'], rows),
      ...p.limits.map((l) => el('p', { class: 'note' }, l.statement)),
    );
  } catch (e) {
    out.append(el('p', { class: 'error', role: 'alert' }, errorLine('plan', e)));
  }
}

/** What `dvkeys split` says about this allocation: accepted, or its one-line refusal (the same call, the same words). */
function splitGate(input: AnalyzeInput): HTMLElement {
  try {
    assertSplitSafety(input);
    return el('p', { class: 'ok', role: 'status', 'data-testid': 'gate' }, 'dvkeys split accepts this allocation.');
  } catch (e) {
    return el('p', { class: 'error', role: 'alert', 'data-testid': 'gate' }, errorLine('split', e));
  }
}

function table(head: string[], rows: HTMLElement[]): HTMLElement {
  return el('div', { class: 'scroll' },
    el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows)));
}

function verdictTable(input: AnalyzeInput): HTMLElement {
  const a = checkSplitSafety(input).analysis;
  return table(['question', 'answer', 'why'], verdicts(a).map((v) =>
    el('tr', { class: v.ok ? '' : 'bad' }, el('td', {}, v.question), el('td', {}, v.answer), el('td', {}, v.reason))));
}

/** Who holds what (one box per node), and for each operator going offline: does the cluster still sign? */
function picture(input: AnalyzeInput): HTMLElement {
  const t = input.threshold;
  const ops = input.operators.map((o) => {
    const outcome = evaluateOutage(input, { [o.name]: 'all' });
    const survives = outcome.attesting;
    const n = input.operators.reduce((s, x) => s + x.shares, 0);
    return el('figure', { class: 'operator' },
      el('figcaption', {}, `${o.name} (${o.shares})`),
      el('div', { class: 'nodes', 'aria-hidden': 'true' },
        ...Array.from({ length: o.shares }, (_, i) => el('span', { class: 'node', title: `${o.name}-${i + 1}` }, String(i + 1)))),
      el('p', { class: survives ? 'ok' : 'bad' },
        survives
          ? `if offline: ${outcome.sharesLeft} of ${n} left, still signs (needs ${t})`
          : `if offline: ${outcome.sharesLeft} of ${n} left, cannot sign (needs ${t}), never slashable`));
  });
  const a = checkSplitSafety(input).analysis;
  const split = a.witnesses.splitBrain;
  return el('div', {},
    el('div', { class: 'picture', role: 'group', 'aria-label': 'who holds what' }, ...ops),
    split === null
      ? el('p', { class: 'ok', 'data-testid': 'split-brain' }, `network split: no partition gives both sides ${t} shares, so a split cannot double-sign`)
      : el('p', { class: 'bad', 'data-testid': 'split-brain' }, `network split: slashable, both sides reach ${t}: ${formatPartition(split)}`));
}
