/**
 * The allocation planner of design section 5: given operators (and optional per-operator node limits and a total
 * share budget), it ranks every split-brain-safe (allocation, threshold) pair and states what no allocation can do.
 *
 * Search space: each operator holds 1..maxShares shares (default 4), n <= maxTotalShares, 1 <= t <= n. Operators
 * with equal limits are interchangeable, so allocations are enumerated once up to permuting them (non-increasing
 * within such a group). The space is bounded by {@link PLAN_LIMITS}; docs/decisions/0104-planner-ranking-and-bound.md.
 *
 * @module
 */
import { anumber } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { plural } from './explain.js';
import { validateOperators } from './input.js';
import {
  analyzeAllocation,
  coreFigures,
  type Analysis,
  type CoreFigures,
  type OperatorShares,
} from './threshold-math.js';

/** Bounds on the planner's search (docs/decisions/0104-planner-ranking-and-bound.md). */
export const PLAN_LIMITS = Object.freeze({
  maxOperators: 16,
  maxSharesPerOperator: 64,
  /** Allocations up to permutation of interchangeable operators. */
  maxAllocations: 250_000,
  maxTop: 100,
  defaultMaxShares: 4,
  defaultTop: 5,
});

/** An operator the planner may give shares to. */
export interface PlanOperator {
  readonly name: string;
  /** Most nodes (shares) this operator can run; default {@link PLAN_LIMITS}.defaultMaxShares. */
  readonly maxShares?: number | undefined;
}

/** Input of {@link plan}. */
export interface PlanInput {
  readonly operators: readonly PlanOperator[];
  /** Most shares in total (n); default unlimited. */
  readonly maxTotalShares?: number | undefined;
  /** How many candidates to return; default 5. */
  readonly top?: number | undefined;
}

/** One ranked proposal. */
export interface PlanCandidate {
  readonly rank: number;
  readonly allocation: readonly OperatorShares[];
  readonly threshold: number;
  readonly shares: number;
  /** Why it ranks here: the first criterion that separates it from its neighbour. */
  readonly reason: string;
  readonly analysis: Analysis;
}

/** A statement of what no allocation in the search space achieves, with its proof in one sentence. */
export interface PlanLimit {
  readonly code: 'ONE_OPERATOR' | 'TWO_OPERATORS' | 'OPERATOR_CRASH_BOUND' | 'COLLUSION_TRADEOFF';
  readonly statement: string;
}

/** The result of {@link plan}. */
export interface Plan {
  readonly candidates: readonly PlanCandidate[];
  /** The ranking criteria, most important first. */
  readonly criteria: readonly string[];
  /** Allocations (up to interchangeable operators) and split-brain-safe (allocation, threshold) pairs seen. */
  readonly searched: { readonly allocations: number; readonly safeChoices: number };
  /** Groups of operators with equal limits: each allocation stands for all its permutations within a group. */
  readonly interchangeable: readonly (readonly string[])[];
  readonly limits: readonly PlanLimit[];
}

/** The ranking criteria of {@link planKey}, in order. */
export const PLAN_CRITERIA: readonly string[] = Object.freeze([
  'operator crash tolerance',
  'node crash tolerance',
  'collusion size',
  'Byzantine operators tolerated',
  'Byzantine shares tolerated',
  'fewer shares',
]);

/**
 * The ranking key of a split-brain-safe choice: larger is better, compared left to right (design section 5).
 * Byzantine figures count as -1 when absent (never for split-brain-safe choices); fewer shares rank higher.
 */
export function planKey(f: CoreFigures, n: number): number[] {
  const byz = [f.byzantineOperators ?? -1, f.byzantineShares ?? -1];
  return [f.crashOperators, f.crashShares, f.collusionOperators, ...byz, -n];
}

/** Positive when key `a` ranks above `b`, 0 when equal. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

interface Found {
  readonly weights: number[];
  readonly t: number;
  readonly key: number[];
}

/**
 * Ranks allocations and thresholds for `input.operators`.
 *
 * @throws ValidationError `INVALID_ARGUMENT` naming the field (`operators[1].maxShares`, `maxTotalShares`, `top`)
 *   for bad input or a budget below one share per operator; `LIMIT_EXCEEDED` when the search space passes
 *   {@link PLAN_LIMITS}.
 */
export function plan(input: PlanInput): Plan {
  const ops = checkPlanInput(input);
  const m = ops.length;
  const budget = input.maxTotalShares ?? Infinity;
  const top = input.top ?? PLAN_LIMITS.defaultTop;
  const groups = groupByLimit(ops);
  const best: Found[] = [];
  let allocations = 0;
  let safeChoices = 0;
  forEachAllocation(groups, m, budget, (w, n) => {
    allocations++;
    safeChoices += n - Math.floor(n / 2);
    const sorted = [...w].sort((a, b) => b - a);
    // Within one allocation the key falls strictly as t rises (n - t falls), so only the first `top` count.
    for (let t = Math.floor(n / 2) + 1; t <= n; t++) {
      const key = planKey(coreFigures(sorted, n, t), n);
      if (best.length === top && compareKeys(key, best[top - 1]!.key) <= 0) break;
      let at = best.length;
      while (at > 0 && compareKeys(key, best[at - 1]!.key) > 0) at--;
      best.splice(at, 0, { weights: [...w], t, key });
      if (best.length > top) best.pop();
    }
  });
  const names = ops.map((o) => o.name);
  const candidates = best.map((c, i): PlanCandidate => {
    const allocation = names.map((name, k) => ({ name, shares: c.weights[k]! }));
    const total = c.weights.reduce((s, x) => s + x, 0);
    const analysis = analyzeAllocation({ names, weights: c.weights, domains: names.map(() => undefined), total }, c.t);
    return { rank: i + 1, allocation, threshold: c.t, shares: total, reason: reason(best, i, safeChoices), analysis };
  });
  return {
    candidates,
    criteria: PLAN_CRITERIA,
    searched: { allocations, safeChoices },
    interchangeable: groups.filter((g) => g.members.length > 1).map((g) => g.members.map((k) => names[k]!)),
    limits: limits(m, best[0]),
  };
}

interface Op {
  readonly name: string;
  readonly max: number;
}

function checkPlanInput(input: PlanInput): Op[] {
  const list: unknown = (input as PlanInput | null)?.operators;
  if (!Array.isArray(list)) {
    throw new ValidationError('INVALID_ARGUMENT', "'operators' expected a non-empty array", { field: 'operators' });
  }
  if (input.operators.length > PLAN_LIMITS.maxOperators) {
    throw new ValidationError(
      'LIMIT_EXCEEDED',
      `'operators' has ${input.operators.length} operators, the planner searches at most ${PLAN_LIMITS.maxOperators}`,
      { field: 'operators' },
    );
  }
  const ops = input.operators.map((o, i): Op => {
    const max = (o as PlanOperator | null)?.maxShares ?? PLAN_LIMITS.defaultMaxShares;
    return { name: o?.name, max: anumber(max, `operators[${i}].maxShares`, 1, PLAN_LIMITS.maxSharesPerOperator) };
  });
  validateOperators(ops.map((o) => ({ name: o.name, shares: 1 })));
  if (input.maxTotalShares !== undefined) anumber(input.maxTotalShares, 'maxTotalShares', ops.length);
  if (input.top !== undefined) anumber(input.top, 'top', 1, PLAN_LIMITS.maxTop);
  const count = groupByLimit(ops).reduce((p, g) => p * binomial(g.max + g.members.length - 1, g.members.length), 1);
  if (count > PLAN_LIMITS.maxAllocations) {
    throw new ValidationError(
      'LIMIT_EXCEEDED',
      `'operators' give ${count > 1e12 ? count.toExponential(1) : count} allocations to search, at most ` +
        `${PLAN_LIMITS.maxAllocations}; lower the node limits or give operators equal limits`,
      { field: 'operators' },
    );
  }
  return ops;
}

function binomial(a: number, b: number): number {
  let r = 1;
  for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
  return Math.round(r);
}

interface Group {
  readonly max: number;
  readonly members: number[];
}

/** Operators with equal limits, in order of first appearance. */
function groupByLimit(ops: readonly Op[]): Group[] {
  const groups = new Map<number, Group>();
  ops.forEach((o, i) => {
    const g = groups.get(o.max) ?? { max: o.max, members: [] };
    g.members.push(i);
    groups.set(o.max, g);
  });
  return [...groups.values()];
}

/** Calls `visit` for each allocation, non-increasing within each group, with n <= budget. */
function forEachAllocation(groups: Group[], m: number, budget: number, visit: (w: number[], n: number) => void): void {
  const w = new Array<number>(m).fill(0);
  const step = (g: number, pos: number, cap: number, total: number, left: number): void => {
    const group = groups[g];
    if (group === undefined) return visit(w, total);
    if (pos === group.members.length) return step(g + 1, 0, groups[g + 1]?.max ?? 0, total, left);
    for (let s = Math.min(cap, budget - total - (left - 1)); s >= 1; s--) {
      w[group.members[pos]!] = s;
      step(g, pos + 1, s, total + s, left - 1);
    }
  };
  step(0, 0, groups[0]!.max, 0, m);
}

function reason(best: readonly Found[], i: number, safeChoices: number): string {
  const c = best[i]!;
  const k = c.key;
  const [ops, nodes, collude, , byz] = k as [number, number, number, number, number];
  const offline =
    nodes === 0
      ? 'nothing may go offline'
      : ops === 0
        ? `no operator but any ${plural(nodes, 'node')} may go offline`
        : `any ${plural(ops, 'operator')} or ${plural(nodes, 'node')} may go offline`;
  const coalition = collude === 1 ? 'one operator can sign alone' : `${collude} operators must collude`;
  const figures = `${offline}, ${coalition}, ${plural(byz, 'Byzantine share')} tolerated`;
  const diff = (other: Found, ahead: boolean): string => {
    const j = k.findIndex((v, x) => v !== other.key[x]);
    if (j < 0) return `ties with #${best.indexOf(other) + 1} on every criterion`;
    const [mine, theirs] = j === 5 ? [-k[j]!, -other.key[j]!] : [k[j]!, other.key[j]!];
    const where = `${ahead ? 'ahead of' : 'behind'} #${best.indexOf(other) + 1}`;
    return `${where} on ${PLAN_CRITERIA[j]!} (${mine} vs ${theirs})`;
  };
  if (i === 0) {
    const next = best[1];
    return `best of ${safeChoices} safe choices: ${figures}${next === undefined ? '' : `; ${diff(next, true)}`}`;
  }
  return `${figures}; ${diff(best[i - 1]!, false)}`;
}

function limits(m: number, top: Found | undefined): PlanLimit[] {
  const out: PlanLimit[] = [];
  if (m === 1) {
    out.push({
      code: 'ONE_OPERATOR',
      statement:
        'with one operator nothing is distributed: it holds all n >= t shares, so it can sign alone, ' +
        'and its outage halts the validator',
    });
  }
  if (m === 2) {
    out.push({
      code: 'TWO_OPERATORS',
      statement:
        'with two operators no allocation is split-brain safe and survives either one going offline: surviving ' +
        "A's outage needs w(B) >= t and surviving B's needs w(A) >= t, so n = w(A) + w(B) >= 2t, contradicting " +
        '2t > n; a third operator (the seed story\'s cloud node) removes the contradiction',
    });
  }
  if (m >= 3) {
    const f = Math.floor((m - 1) / 2);
    out.push({
      code: 'OPERATOR_CRASH_BOUND',
      statement:
        `with ${m} operators no split-brain-safe allocation survives ${f + 1} operators offline: split them into ` +
        `two groups of at most ${f + 1}; if either group could go offline the other would hold t, so n >= 2t` +
        ` (one share each with t = ${Math.floor(m / 2) + 1} reaches ${f})`,
    });
  }
  if (top !== undefined && m >= 2) {
    const f = top.key[0]!;
    out.push({
      code: 'COLLUSION_TRADEOFF',
      statement:
        `operator crash tolerance + collusion size <= ${m}: the operators left after the f largest go offline ` +
        `still reach t, so they can sign together (the top choice: ${f} + ${top.key[2]!})`,
    });
  }
  return out;
}
