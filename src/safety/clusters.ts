/**
 * Several clusters over overlapping operators (design section 5: "optionally clusters sharing operators"): an Obol
 * cluster and a StakeWise vault cluster on the same machines, say. For each operator (and failure domain, and on
 * request each pair of operators) going down, which clusters keep attesting: a correlated-failure table.
 *
 * Operators are the same machine across clusters when their names match (case-insensitively).
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { validateOperators, validateThreshold, type OperatorInput } from './input.js';
import { analyzeAllocation, type Analysis } from './threshold-math.js';

/** One cluster: a name, its threshold and its operators. */
export interface ClusterInput {
  readonly name: string;
  readonly threshold: number;
  readonly operators: readonly OperatorInput[];
}

/** Options of {@link analyzeClusters}. */
export interface ClusterOptions {
  /** Also tabulate every pair of operators down together. Default false. */
  readonly pairs?: boolean;
}

/** What one cluster has left during a failure event. */
export interface ClusterStatus {
  readonly cluster: string;
  readonly sharesLeft: number;
  readonly threshold: number;
  readonly attesting: boolean;
}

/** One row of the correlated-failure table. */
export interface FailureEvent {
  readonly kind: 'operator' | 'domain' | 'pair';
  /** The operator, the domain name, or `a + b`. */
  readonly label: string;
  /** The operators down in this event. */
  readonly operators: readonly string[];
  readonly clusters: readonly ClusterStatus[];
  /** Names of the clusters that stop attesting. */
  readonly halted: readonly string[];
}

/** The result of {@link analyzeClusters}. */
export interface MultiClusterAnalysis {
  readonly clusters: readonly { readonly name: string; readonly analysis: Analysis }[];
  /** Every operator, in order of first appearance. */
  readonly operators: readonly string[];
  readonly table: readonly FailureEvent[];
  /** The smallest operator outage that halts at least one cluster, and the clusters it halts. */
  readonly weakest: { readonly operators: readonly string[]; readonly halted: readonly string[] };
}

/** Most clusters in one analysis. */
export const MAX_CLUSTERS = 64;

/**
 * Analyses each cluster (design section 5) and tabulates correlated failures across them.
 *
 * @throws ValidationError `INVALID_ARGUMENT` naming the field (`clusters[1].name`, `clusters[0].operators[2].shares`,
 *   `clusters[1].operators[0].failureDomain` when two clusters put one operator in different domains);
 *   `INVALID_THRESHOLD` (`clusters[1].threshold`); `LIMIT_EXCEEDED` above {@link MAX_CLUSTERS}.
 */
export function analyzeClusters(clusters: readonly ClusterInput[], options: ClusterOptions = {}): MultiClusterAnalysis {
  const list: unknown = clusters;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ValidationError('INVALID_ARGUMENT', "'clusters' expected a non-empty array", { field: 'clusters' });
  }
  if (clusters.length > MAX_CLUSTERS) {
    throw new ValidationError('LIMIT_EXCEEDED', `'clusters' has ${clusters.length}, at most ${MAX_CLUSTERS}`, {
      field: 'clusters',
    });
  }
  // Validate each cluster's operators and the cluster names; collect operators and their failure domains.
  validateOperators(
    clusters.map((c) => ({ name: (c as ClusterInput | null)?.name, shares: 1 })),
    'clusters',
  );
  const display = new Map<string, string>();
  const domainOf = new Map<string, string>();
  const allocs = clusters.map((c, i) => {
    const alloc = validateOperators(c.operators, `clusters[${i}].operators`);
    alloc.names.forEach((name, j) => {
      const key = name.toLowerCase();
      if (!display.has(key)) display.set(key, name);
      const d = alloc.domains[j];
      const prev = domainOf.get(key);
      if (d !== undefined && prev !== undefined && prev !== d) {
        const field = `clusters[${i}].operators[${j}].failureDomain`;
        const msg = `'${field}' is '${d}', another cluster says '${prev}'`;
        throw new ValidationError('INVALID_ARGUMENT', msg, { field });
      }
      if (d !== undefined) domainOf.set(key, d);
    });
    return alloc;
  });
  const analyses = clusters.map((c, i) => {
    const a = allocs[i]!;
    const t = validateThreshold(c.threshold, a.total, `clusters[${i}].threshold`);
    const domains = a.names.map((n) => domainOf.get(n.toLowerCase()));
    return { name: c.name, analysis: analyzeAllocation({ ...a, domains }, t) };
  });

  const statusFor = (down: ReadonlySet<string>): ClusterStatus[] =>
    analyses.map(({ name, analysis: a }) => {
      const lost = a.allocation.reduce((s, o) => s + (down.has(o.name.toLowerCase()) ? o.shares : 0), 0);
      const sharesLeft = a.shares - lost;
      return { cluster: name, sharesLeft, threshold: a.threshold, attesting: sharesLeft >= a.threshold };
    });
  const event = (kind: FailureEvent['kind'], label: string, keys: readonly string[]): FailureEvent => {
    const status = statusFor(new Set(keys));
    return {
      kind,
      label,
      operators: keys.map((k) => display.get(k)!),
      clusters: status,
      halted: status.filter((s) => !s.attesting).map((s) => s.cluster),
    };
  };
  const keys = [...display.keys()];
  const table: FailureEvent[] = keys.map((k) => event('operator', display.get(k)!, [k]));
  for (const d of new Set(domainOf.values())) {
    const members = keys.filter((k) => domainOf.get(k) === d);
    if (members.length > 1) table.push(event('domain', d, members));
  }
  if (options.pairs === true) {
    keys.forEach((a, i) =>
      keys.slice(i + 1).forEach((b) => table.push(event('pair', `${display.get(a)!} + ${display.get(b)!}`, [a, b]))),
    );
  }
  // The smallest outage that halts some cluster: the cheapest per-cluster crash witness.
  const weakestCluster = analyses.reduce((x, y) =>
    y.analysis.witnesses.crash.operators.length < x.analysis.witnesses.crash.operators.length ? y : x,
  );
  const weakestKeys = weakestCluster.analysis.witnesses.crash.operators.map((n) => n.toLowerCase());
  const weakest = event('operator', '', weakestKeys);
  return {
    clusters: analyses,
    operators: keys.map((k) => display.get(k)!),
    table,
    weakest: { operators: weakest.operators, halted: weakest.halted },
  };
}
