/**
 * The safety gate a key split passes before any share is made (design section 5: "we refuse unsafe splits unless
 * the user passes an explicit override, and explain why in one line").
 *
 * @module
 */
import { SafetyError, ValidationError } from '../errors.js';
import type { AnalyzeInput } from './input.js';
import { formatPartition } from './explain.js';
import { analyze, defaultThreshold, type Analysis } from './threshold-math.js';

/** The outcome of {@link checkSplitSafety}. */
export interface SplitSafetyCheck {
  /** False when a split with this threshold and allocation should be refused. */
  readonly safe: boolean;
  /** One line per reason to refuse (empty when safe). */
  readonly reasons: readonly string[];
  /** One line per risk worth printing that does not refuse the split. */
  readonly warnings: readonly string[];
  readonly analysis: Analysis;
}

/**
 * Decides whether a split is safe (docs/decisions/0103-split-refusal-rule.md). It refuses when
 * - 2t <= n: a network split lets both sides reach t (slashable); or
 * - with two or more operators, one operator alone holds t shares (it can sign and rebuild the key alone).
 *
 * It warns when t = n (one node offline halts), when there are only two operators, when one operator's outage
 * halts signing, and when t differs from Charon's default ceil(2n/3).
 *
 * @throws ValidationError as {@link analyze} does for a bad threshold or operator list.
 */
export function checkSplitSafety(input: AnalyzeInput): SplitSafetyCheck {
  const a = analyze(input);
  const { threshold: t, shares: n } = a;
  const m = a.allocation.length;
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (!a.splitBrainSafe) {
    reasons.push(
      `threshold ${t} of ${n} is slashable: 2t <= n lets both sides of a network split sign ` +
        `(${formatPartition(a.witnesses.splitBrain!)}); use a threshold of at least ${Math.floor(n / 2) + 1}`,
    );
  }
  if (m >= 2 && a.singleOperatorCanSign) {
    const [name] = a.witnesses.collusion.operators;
    reasons.push(
      `operator '${name}' holds ${a.witnesses.collusion.shares} shares >= threshold ${t}: ` +
        `it can sign and rebuild the key alone`,
    );
  }
  if (t === n && n > 1) warnings.push(`threshold equals n = ${n}: any one node offline halts signing`);
  if (m === 2) {
    warnings.push(
      'two operators only: no allocation survives either one going offline without being slashable; add a third',
    );
  }
  if (m >= 3 && a.crashTolerance.operators === 0 && !a.singleOperatorCanSign) {
    warnings.push(`operator '${a.witnesses.crash.operators[0]!}' going offline halts signing`);
  }
  const d = defaultThreshold(n);
  if (t !== d) warnings.push(`threshold ${t} differs from Charon's default ceil(2n/3) = ${d}`);
  return { safe: reasons.length === 0, reasons, warnings, analysis: a };
}

/** Options of {@link assertSplitSafety}. */
export interface AssertSplitSafetyOptions {
  /** The explicit override: return the check instead of throwing when it is unsafe. */
  readonly allowUnsafe?: boolean;
}

/**
 * {@link checkSplitSafety}, throwing when the split is unsafe and no override was given.
 *
 * A threshold of 1 is refused even with the override (issue 13): every share is then the validator key itself, so
 * nothing is split (1-of-1 only puts the key in a new keystore; t = 1 of n hands the whole key to n nodes).
 *
 * @throws SafetyError `UNSAFE_THRESHOLD` (field `threshold`; culprits: an operator that can sign alone) with the
 *   reasons on one line; ValidationError `INVALID_THRESHOLD` for t = 1; ValidationError as {@link analyze} does
 *   for bad input.
 */
export function assertSplitSafety(input: AnalyzeInput, options: AssertSplitSafetyOptions = {}): SplitSafetyCheck {
  const check = checkSplitSafety(input);
  const { threshold: t, shares: n } = check.analysis;
  if (t === 1) {
    throw new ValidationError(
      'INVALID_THRESHOLD',
      n === 1
        ? '1-of-1 is not a split: the one share would be the validator key itself in a new keystore; use at least 3 shares (e.g. --operators 4, threshold 3)'
        : `threshold 1 of ${n} is not a split: every share would be the validator key itself; use a threshold of at least ${Math.floor(n / 2) + 1}`,
      { field: 'threshold' },
    );
  }
  if (!check.safe && options.allowUnsafe !== true) {
    const a = check.analysis;
    const culprits = a.allocation.length >= 2 && a.singleOperatorCanSign ? [a.witnesses.collusion.operators[0]!] : [];
    throw new SafetyError('UNSAFE_THRESHOLD', check.reasons.join('; '), { field: 'threshold', culprits });
  }
  return check;
}
