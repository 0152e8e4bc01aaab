/**
 * The reshare definition: what every old dealer and new member agrees on before a reshare starts
 * (research/dkg-brief.md B9 "Reshare"; design section 9). A reshare keeps every validator key PK_v and gives the
 * validators a new operator set and/or threshold: Desmedt and Jajodia, "Redistributing secret shares to new access
 * structures and its applications" (GMU tech report ISSE-TR-97-01, 1997); Wong, Wang and Wing, "Verifiable secret
 * redistribution for archive systems" (IEEE SISW 2002), which adds the Feldman checks we use.
 *
 * The definition fixes, for all validators at once:
 * - the old public data (PK_v, Y_{v,i}) and the old threshold t_old, **given explicitly** and checked against the
 *   public shares (downgrade protection, as kyber's `OldThreshold`; public-data.ts);
 * - the dealer set D of old share ids, |D| >= t_old, fixed in advance: every new member combines over the same D,
 *   and a missing or faulty dealer aborts (the protocol is not robust, like our DKG);
 * - the new ids 1..n' (or explicit ids), the new threshold t', and the new allocation of those ids to operators,
 *   which must pass the slashing-safety gate of `split` (src/safety/split-check.ts) and one more rule
 *   (docs/decisions/1001-reshare-safety-gate.md): t' = n' > 1 is refused, because it tolerates no node going offline.
 *
 * @module
 */
import { SafetyError, ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, ShareIndex } from '../types.js';
import type { OperatorInput } from '../safety/input.js';
import { checkSplitSafety, type SplitSafetyCheck } from '../safety/split-check.js';
import { defaultIds, validateIds, validateThreshold } from '../sharing/ids.js';
import { lagrangeCoefficientsAtZero } from '../sharing/polynomial.js';
import { assertMember, decodeClusterPublicData, definitionDigest, type ClusterPublicData, type ValidatorPublicData } from './public-data.js';

/** Input of {@link defineReshare}. */
export interface ReshareInput {
  /** The old cluster's threshold t_old, stated explicitly (never inferred from the dealers). */
  readonly oldThreshold: number;
  /** The old public data of every validator being reshared. */
  readonly validators: readonly ValidatorPublicData[];
  /** D: the old share ids that deal, at least t_old of them. */
  readonly dealers: readonly (bigint | number)[];
  /** t' for the new sharing. */
  readonly newThreshold: number;
  /** n': new ids 1..n' (compact, as Charon numbers nodes). Give this or `newIds`. */
  readonly newShares?: number;
  /** Explicit new share ids (e.g. SSV operator ids). */
  readonly newIds?: readonly (bigint | number)[];
  /**
   * The new allocation: operators in the order the new ids are assigned, their share counts summing to n'.
   * Default: one operator per new id.
   */
  readonly newOperators?: readonly OperatorInput[];
  /** The explicit override of the safety gate (the CLI's `--allow-unsafe`). */
  readonly allowUnsafe?: boolean;
  /** Randomness for the batch weights of the checks. */
  readonly rng?: RandomBytes;
}

/** A checked reshare definition. */
export interface ReshareDefinition {
  readonly kind: 'reshare';
  /** SHA-256 of the definition: what the handover signatures bind. */
  readonly id: Uint8Array;
  /** The old public data, checked against t_old. */
  readonly old: ClusterPublicData;
  /** D in ascending order. */
  readonly dealers: readonly ShareIndex[];
  /** λ_i^D(0) over the OLD ids, parallel to `dealers`. */
  readonly lambdas: readonly bigint[];
  readonly newThreshold: number;
  readonly newIds: readonly ShareIndex[];
  /** The safety gate's verdict on the new allocation (warnings are for the CLI to print). */
  readonly safety: SplitSafetyCheck;
}

function resolveNewIds(input: ReshareInput): ShareIndex[] {
  if (input.newIds !== undefined) {
    if (input.newShares !== undefined && input.newShares !== input.newIds.length) {
      throw new ValidationError('INVALID_ARGUMENT', `'newIds' has ${input.newIds.length} entries but 'newShares' is ${input.newShares}`, { field: 'newIds' });
    }
    if (input.newIds.length === 0) throw new ValidationError('INVALID_ARGUMENT', "'newIds' must not be empty", { field: 'newIds' });
    return validateIds(input.newIds, 'newIds');
  }
  if (input.newShares === undefined) throw new ValidationError('INVALID_ARGUMENT', "give 'newShares' (a count) or 'newIds'", { field: 'newShares' });
  validateThreshold(1, input.newShares, 'newShares');
  return defaultIds(input.newShares);
}

/**
 * The reshare safety gate: the split gate on the new allocation, plus the refusal of t' = n' > 1.
 * @throws SafetyError `UNSAFE_THRESHOLD` (field `newThreshold`, culprits: an operator that could sign alone) with
 *   every reason on one line, unless `allowUnsafe`.
 */
export function checkReshareSafety(newThreshold: number, operators: readonly OperatorInput[], allowUnsafe: boolean): SplitSafetyCheck {
  const check = checkSplitSafety({ threshold: newThreshold, operators });
  const n = check.analysis.shares;
  const reasons = [...check.reasons];
  if (newThreshold === n && n > 1) {
    reasons.push(`threshold ${newThreshold} of ${n} has no fault tolerance: one node offline halts every validator; use at most ${n - 1}`);
  }
  const result: SplitSafetyCheck = { ...check, safe: reasons.length === 0, reasons };
  if (!result.safe && !allowUnsafe) {
    const a = check.analysis;
    const culprits = a.allocation.length >= 2 && a.singleOperatorCanSign ? [a.witnesses.collusion.operators[0]!] : [];
    throw new SafetyError('UNSAFE_THRESHOLD', `reshare refused: ${reasons.join('; ')}`, { field: 'newThreshold', culprits });
  }
  return result;
}

/**
 * Checks a reshare definition: old public data against t_old, the dealer set, the new ids and threshold, and the
 * safety gate on the new allocation. Nothing secret is involved.
 *
 * @throws VerificationError `DEGREE_CHECK_FAILED` (old public data not of degree t_old - 1: a wrong old threshold);
 *   ValidationError `NOT_ENOUGH_DEALERS` (|D| < t_old), `INVALID_SHARE_ID` (a dealer that is no old share id;
 *   culprits: the id), `DUPLICATE_SHARE_ID`, `INVALID_THRESHOLD`, `INVALID_ARGUMENT` (an allocation that does
 *   not sum to n'); SafetyError `UNSAFE_THRESHOLD`.
 */
export function defineReshare(input: ReshareInput): ReshareDefinition {
  const rng = input.rng ?? systemRandomBytes;
  const old = decodeClusterPublicData(input.validators, input.oldThreshold, 'oldThreshold', rng);
  if (!Array.isArray(input.dealers)) throw new ValidationError('INVALID_ARGUMENT', "'dealers' expected an array of old share ids", { field: 'dealers' });
  const dealers = validateIds(input.dealers, 'dealers');
  dealers.forEach((d, i) => assertMember(old.ids, d, `dealers[${i}]`, 'a share id of the old cluster'));
  if (dealers.length < old.threshold) {
    throw new ValidationError('NOT_ENOUGH_DEALERS', `a reshare needs at least t_old = ${old.threshold} dealers, got ${dealers.length}`, { field: 'dealers' });
  }
  dealers.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const newIds = resolveNewIds(input);
  const newThreshold = validateThreshold(input.newThreshold, newIds.length, 'newThreshold');
  const operators = input.newOperators ?? newIds.map((id) => ({ name: `share-${id}`, shares: 1 }));
  const total = Array.isArray(operators) ? operators.reduce((s, o) => s + (typeof o.shares === 'number' ? o.shares : 0), 0) : -1;
  if (total !== newIds.length) {
    throw new ValidationError('INVALID_ARGUMENT', `'newOperators' hold ${total} shares, but there are ${newIds.length} new ids`, { field: 'newOperators' });
  }
  const safety = checkReshareSafety(newThreshold, operators, input.allowUnsafe === true);
  const id = definitionDigest('reshare', [newThreshold], [dealers, newIds], old);
  return { kind: 'reshare', id, old, dealers, lambdas: lagrangeCoefficientsAtZero(dealers), newThreshold, newIds, safety };
}
