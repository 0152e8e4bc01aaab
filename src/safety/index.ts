/**
 * Slashing-safety threshold math (design section 5): analysis, split gate, planner and multi-cluster view.
 * No crypto imports; safe to use in a browser.
 *
 * @module
 */
export {
  SAFETY_LIMITS,
  parseOperators,
  validateOperators,
  validateThreshold,
  type Allocation,
  type AnalyzeInput,
  type OperatorInput,
  type ParseOperatorsOptions,
} from './input.js';
export {
  analyze,
  classicRow,
  classicTable,
  defaultThreshold,
  type Analysis,
  type ClassicRow,
  type DomainSetWitness,
  type OperatorSetWitness,
  type OperatorShares,
  type PartitionSide,
  type PartitionWitness,
  type SafetyFlag,
  type Witnesses,
} from './threshold-math.js';
export { evaluateOutage, type OutageOutcome } from './outage.js';
export { formatPartition, summary, verdicts, type Verdict } from './explain.js';
export {
  assertSplitSafety,
  checkSplitSafety,
  type AssertSplitSafetyOptions,
  type SplitSafetyCheck,
} from './split-check.js';
export {
  PLAN_CRITERIA,
  PLAN_LIMITS,
  compareKeys,
  plan,
  planKey,
  type Plan,
  type PlanCandidate,
  type PlanInput,
  type PlanLimit,
  type PlanOperator,
} from './planner.js';
export {
  MAX_CLUSTERS,
  analyzeClusters,
  type ClusterInput,
  type ClusterOptions,
  type ClusterStatus,
  type FailureEvent,
  type MultiClusterAnalysis,
} from './clusters.js';
