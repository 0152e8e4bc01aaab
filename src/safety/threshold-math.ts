/**
 * Slashing-safety analysis of a threshold and an allocation of shares to operators (design section 5;
 * derivations in docs/threshold-math.md). No crypto: only the share counts matter.
 *
 * Every figure comes from the operators sorted by share count (the worst f operators are the f largest) and a
 * subset-sum over share counts for the operator-partition check, so {@link analyze} is O(m log m + m·n) for m
 * operators and n shares: no enumeration of subsets.
 *
 * @module
 */
import { anumber } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { validateOperators, validateThreshold, type Allocation, type AnalyzeInput } from './input.js';
import { subsetSums, subsetWithSum } from './subset-sum.js';

/** An operator and a number of its shares (nodes). */
export interface OperatorShares {
  readonly name: string;
  readonly shares: number;
}

/** One side of a network partition: whole operators or some nodes of an operator. */
export interface PartitionSide {
  readonly operators: readonly OperatorShares[];
  /** Shares on this side (each side of a witness holds at least t). */
  readonly shares: number;
}

/** A network partition whose two sides can both sign: a slashable double signature. */
export interface PartitionWitness {
  readonly a: PartitionSide;
  readonly b: PartitionSide;
}

/** A set of operators and the shares they hold together. */
export interface OperatorSetWitness {
  readonly operators: readonly string[];
  readonly shares: number;
}

/** A set of failure domains, their operators and the shares they hold together. */
export interface DomainSetWitness extends OperatorSetWitness {
  /** Domain names; an operator without a failure domain is a domain of its own, named after it. */
  readonly domains: readonly string[];
}

/** Why a figure is not better: the witness of each negative answer. */
export interface Witnesses {
  /** Two sides of nodes that each hold at least t shares; null when split-brain safe. */
  readonly splitBrain: PartitionWitness | null;
  /** Two groups of whole operators that each hold at least t shares; null when operator-partition safe. */
  readonly operatorPartition: PartitionWitness | null;
  /** The smallest operator outage that halts signing (the crashTolerance.operators + 1 largest operators). */
  readonly crash: OperatorSetWitness;
  /** The smallest failure-domain outage that halts signing. */
  readonly crashDomains: DomainSetWitness;
  /** The smallest coalition that reaches t: it can sign alone or rebuild the key. */
  readonly collusion: OperatorSetWitness;
  /** The smallest operator set holding more than 2t - n - 1 shares; null when not split-brain safe. */
  readonly byzantine: OperatorSetWitness | null;
}

/** Warnings of design section 5. */
export type SafetyFlag =
  | 'THRESHOLD_AT_MOST_HALF'
  | 'THRESHOLD_EQUALS_SHARES'
  | 'SINGLE_OPERATOR_CAN_SIGN'
  | 'TWO_OPERATORS_ONLY'
  | 'NO_OPERATOR_CRASH_TOLERANCE';

/** The classic figures for n single-share nodes, for comparison (docs/threshold-math.md, table). */
export interface ClassicRow {
  readonly n: number;
  /** Charon's default threshold ceil(2n/3). */
  readonly charonThreshold: number;
  /** Crash faults tolerated at Charon's default: n - ceil(2n/3). */
  readonly cft: number;
  /** Byzantine shares that cannot cause a double signature at Charon's default: 2t - n - 1. */
  readonly byzantineSafety: number;
  /** Classic BFT bound floor((n-1)/3) = min(cft, byzantineSafety). */
  readonly bft: number;
  /** The smallest split-brain-safe threshold floor(n/2) + 1. */
  readonly majorityThreshold: number;
  /** SSV's threshold 2f + 1 when n = 3f + 1 is one of SSV's sizes 4, 7, 10, 13; else null. */
  readonly ssvThreshold: number | null;
}

/** The result of {@link analyze}. Field names are a stable contract for `dvkeys analyze --json`. */
export interface Analysis {
  readonly threshold: number;
  /** n, the total number of shares (= nodes). */
  readonly shares: number;
  readonly allocation: readonly {
    readonly name: string;
    readonly shares: number;
    readonly failureDomain: string | null;
  }[];
  /** 2t > n: no network split, even between nodes of one operator, lets two sides reach t. */
  readonly splitBrainSafe: boolean;
  /** No group of whole operators holds between t and n - t shares. */
  readonly operatorPartitionSafe: boolean;
  /** Shares (nodes), operators and failure domains that may be offline in any combination. */
  readonly crashTolerance: { readonly shares: number; readonly operators: number; readonly domains: number };
  /** Byzantine shares and operators that cannot cause a double signature; null when not split-brain safe. */
  readonly byzantineTolerance: { readonly shares: number; readonly operators: number } | null;
  /** Smallest number of operators that together reach t. */
  readonly collusion: { readonly operators: number };
  readonly singleOperatorCanSign: boolean;
  readonly flags: readonly SafetyFlag[];
  readonly witnesses: Witnesses;
  /** The classic figures for the same n, for comparison. */
  readonly classic: ClassicRow;
}

/**
 * Charon's default threshold ceil(2n/3) (charon `cluster.Threshold`; design section 5).
 *
 * @throws ValidationError `INVALID_ARGUMENT` unless n is an integer >= 1.
 */
export function defaultThreshold(n: number): number {
  anumber(n, 'n', 1);
  return Math.ceil((2 * n) / 3);
}

/**
 * The classic figures for n nodes with one share each (design section 5; docs/threshold-math.md table).
 *
 * @throws ValidationError `INVALID_ARGUMENT` unless n is an integer >= 1.
 */
export function classicRow(n: number): ClassicRow {
  const t = defaultThreshold(n);
  const cft = n - t;
  const byzantineSafety = 2 * t - n - 1;
  const ssv = [4, 7, 10, 13].includes(n) ? (2 * (n - 1)) / 3 + 1 : null;
  return {
    n,
    charonThreshold: t,
    cft,
    byzantineSafety,
    bft: Math.floor((n - 1) / 3),
    majorityThreshold: Math.floor(n / 2) + 1,
    ssvThreshold: ssv,
  };
}

/** Rows of {@link classicRow} for n = 1..maxN (Charon's documentation tabulates 1..22). */
export function classicTable(maxN = 22): ClassicRow[] {
  return Array.from({ length: anumber(maxN, 'maxN', 1, 1024) }, (_, i) => classicRow(i + 1));
}

/** Figures computable from share counts alone, in O(m). Used by {@link analyze} and the planner. */
export interface CoreFigures {
  readonly splitBrainSafe: boolean;
  readonly crashShares: number;
  readonly crashOperators: number;
  readonly byzantineShares: number | null;
  readonly byzantineOperators: number | null;
  readonly collusionOperators: number;
}

/**
 * The figures of design section 5 for share counts `sortedDesc` (largest first, summing to n) and threshold t.
 * Removing the f largest operators is the worst f-operator outage; the k largest form the smallest coalition.
 */
export function coreFigures(sortedDesc: readonly number[], n: number, t: number): CoreFigures {
  const byz = 2 * t - n - 1;
  return {
    splitBrainSafe: 2 * t > n,
    crashShares: n - t,
    crashOperators: largestPrefix(sortedDesc, n - t),
    byzantineShares: byz >= 0 ? byz : null,
    byzantineOperators: byz >= 0 ? largestPrefix(sortedDesc, byz) : null,
    collusionOperators: Math.min(sortedDesc.length, largestPrefix(sortedDesc, t - 1) + 1),
  };
}

/** The largest f whose f first items sum to at most `budget`. */
function largestPrefix(sortedDesc: readonly number[], budget: number): number {
  let f = 0;
  let acc = 0;
  while (f < sortedDesc.length && acc + sortedDesc[f]! <= budget) acc += sortedDesc[f++]!;
  return f;
}

/**
 * Analyses a threshold and allocation: every figure of design section 5 with a witness for each negative answer.
 *
 * @throws ValidationError `INVALID_THRESHOLD` (field `threshold`) unless 1 <= t <= n; `INVALID_ARGUMENT` or
 *   `LIMIT_EXCEEDED` naming the field (`operators[2].shares`) for a bad operator list (see validateOperators).
 */
export function analyze(input: AnalyzeInput): Analysis {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('INVALID_ARGUMENT', "'input' expected an object {threshold, operators}", {
      field: 'input',
    });
  }
  const alloc = validateOperators(input.operators);
  const t = validateThreshold(input.threshold, alloc.total);
  return analyzeAllocation(alloc, t);
}

/** {@link analyze} for an allocation from validateOperators and a checked threshold: no validation here. */
export function analyzeAllocation(alloc: Allocation, t: number): Analysis {
  const { names, weights, total: n } = alloc;
  const order = byWeightDesc(weights);
  const sorted = order.map((i) => weights[i]!);
  const core = coreFigures(sorted, n, t);
  const take = (k: number): OperatorSetWitness => setOf(order.slice(0, k), alloc);

  const domains = groupDomains(alloc);
  const dOrder = byWeightDesc(domains.map((d) => d.weight));
  const crashDomains = largestPrefix(dOrder.map((i) => domains[i]!.weight), n - t);
  const haltingDomains = dOrder.slice(0, crashDomains + 1).map((i) => domains[i]!);
  const operatorPartition = core.splitBrainSafe ? null : findOperatorPartition(alloc, t);
  const flags: SafetyFlag[] = [];
  if (!core.splitBrainSafe) flags.push('THRESHOLD_AT_MOST_HALF');
  if (t === n) flags.push('THRESHOLD_EQUALS_SHARES');
  if (sorted[0]! >= t) flags.push('SINGLE_OPERATOR_CAN_SIGN');
  if (names.length === 2) flags.push('TWO_OPERATORS_ONLY');
  if (core.crashOperators === 0) flags.push('NO_OPERATOR_CRASH_TOLERANCE');

  return {
    threshold: t,
    shares: n,
    allocation: names.map((name, i) => ({ name, shares: weights[i]!, failureDomain: alloc.domains[i] ?? null })),
    splitBrainSafe: core.splitBrainSafe,
    operatorPartitionSafe: operatorPartition === null,
    crashTolerance: { shares: core.crashShares, operators: core.crashOperators, domains: crashDomains },
    byzantineTolerance:
      core.byzantineShares === null || core.byzantineOperators === null
        ? null
        : { shares: core.byzantineShares, operators: core.byzantineOperators },
    collusion: { operators: core.collusionOperators },
    singleOperatorCanSign: sorted[0]! >= t,
    flags,
    witnesses: {
      splitBrain: core.splitBrainSafe ? null : (operatorPartition ?? nodePartition(order, alloc, t)),
      operatorPartition,
      crash: take(core.crashOperators + 1),
      crashDomains: {
        domains: haltingDomains.map((d) => d.name),
        operators: haltingDomains.flatMap((d) => d.members.map((i) => names[i]!)),
        shares: haltingDomains.reduce((s, d) => s + d.weight, 0),
      },
      collusion: take(core.collusionOperators),
      byzantine: core.byzantineOperators === null ? null : take(core.byzantineOperators + 1),
    },
    classic: classicRow(n),
  };
}

/** Operator indices sorted by share count, largest first; ties keep input order. */
function byWeightDesc(weights: readonly number[]): number[] {
  return weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
}

function setOf(indices: readonly number[], alloc: Allocation): OperatorSetWitness {
  return {
    operators: indices.map((i) => alloc.names[i]!),
    shares: indices.reduce((s, i) => s + alloc.weights[i]!, 0),
  };
}

interface Domain {
  readonly name: string;
  readonly members: number[];
  weight: number;
}

/** Failure domains in order of first appearance; an operator without one is a domain of its own. */
function groupDomains(alloc: Allocation): Domain[] {
  const byKey = new Map<string, Domain>();
  alloc.names.forEach((name, i) => {
    const d = alloc.domains[i];
    const key = d === undefined ? `operator:${name}` : `domain:${d}`;
    let dom = byKey.get(key);
    if (dom === undefined) {
      dom = { name: d ?? name, members: [], weight: 0 };
      byKey.set(key, dom);
    }
    dom.members.push(i);
    dom.weight += alloc.weights[i]!;
  });
  return [...byKey.values()];
}

/**
 * A group S of whole operators with t <= w(S) <= n - t, or null. Subset-sum over share counts; among the reachable
 * sums in range it takes the one nearest n/2 (the most even split).
 */
function findOperatorPartition(alloc: Allocation, t: number): PartitionWitness | null {
  const { weights, total: n } = alloc;
  const sums = subsetSums(weights, n);
  let best = -1;
  for (let s = t; s <= n - t; s++) {
    if (sums.reachedBy[s] !== -1 && (best < 0 || Math.abs(2 * s - n) < Math.abs(2 * best - n))) best = s;
  }
  if (best < 0) return null;
  const inA = new Set(subsetWithSum(sums, weights, best));
  const side = (pick: boolean): PartitionSide => {
    const operators = alloc.names
      .map((name, i) => ({ name, shares: weights[i]!, i }))
      .filter((o) => inA.has(o.i) === pick)
      .map(({ name, shares }) => ({ name, shares }));
    return { operators, shares: operators.reduce((s, o) => s + o.shares, 0) };
  };
  return { a: side(true), b: side(false) };
}

/** When 2t <= n: side a takes exactly t nodes, largest operators first; side b the other n - t >= t nodes. */
function nodePartition(order: readonly number[], alloc: Allocation, t: number): PartitionWitness {
  const a: OperatorShares[] = [];
  const b: OperatorShares[] = [];
  let need = t;
  for (const i of order) {
    const name = alloc.names[i]!;
    const w = alloc.weights[i]!;
    const here = Math.min(need, w);
    need -= here;
    if (here > 0) a.push({ name, shares: here });
    if (w - here > 0) b.push({ name, shares: w - here });
  }
  return { a: { operators: a, shares: t }, b: { operators: b, shares: alloc.total - t } };
}
