/**
 * The recombination checks of design section 4: what "verified" means for a split, before anything is written
 * (`split`) and again on a written tree (`verify`).
 *
 * 1. shares: every given secret share matches its public share (s_x·G1 = Y_x) and the Feldman commitments;
 * 2. polynomial: the public shares and the group key lie on one polynomial of degree ≤ t-1 (commitments checked
 *    in a batch where present, and the SCRAPE low-degree test in any case). This proves every t-subset
 *    recombines to the group key, in O(n), without enumerating the C(n,t) subsets;
 * 3. threshold-exact: the degree is exactly t-1, so no t-1 holders can rebuild the key. Given check 2,
 *    f − g = a_{t-1}·Π(x − x_i) for the interpolant g through any t-1 ids, so g(0) = f(0) exactly when
 *    a_{t-1} = 0: one (t-1)-subset decides it for all of them;
 * 4. threshold-signature: t partial signatures of a domain-separated message combine into a signature that the
 *    Ethereum verification equation accepts under the group key (signature.ts `verifyPoints`, the core of `verify`;
 *    the byte-level `verify` is exercised on combined signatures by the tests and by `combinePartialSignatures`). The message is longer than 32 bytes, so it can never
 *    equal a signing root a validator signs.
 *
 * Malformed input (bad encodings, duplicate ids, wrong lengths) throws ValidationError; a failed check is reported
 * with its error code and culprits, and {@link assertRecombination} throws it as a VerificationError.
 *
 * @module
 */
import { bytesToHex, concatBytes, utf8 } from '../bytes.js';
import { ValidationError, VerificationError, type ErrorCode } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { decodeScalar, randomWeight, Fr } from '../bls/field.js';
import { decodeG1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { msmG1 } from '../bls/msm.js';
import { hashToG2, verifyPoints } from '../bls/signature.js';
import { validateIds, validateThreshold } from './ids.js';
import { lagrangeCoefficientsAtZero } from './polynomial.js';
import { lagrangeCombineG2, partialSignPoint } from './threshold-signature.js';
import { decodeCommitments, lowDegreeTest, publicShareFromCommitments, verifyPublicSharesBatch } from './vss.js';

/** The public data of one validator's sharing. */
export interface SharingPublicData {
  readonly threshold: number;
  /** The validator public key (48 bytes). */
  readonly groupPublicKey: Uint8Array;
  /** Feldman commitments C_0..C_{t-1}, when the format carries them (Charon locks do not). */
  readonly commitments?: readonly Uint8Array[];
  /** Every share's public key, with its id. */
  readonly publicShares: readonly PublicShare[];
}

/** Options of {@link checkRecombination}. */
export interface RecombinationOptions {
  /** Secret shares to check (all, or only one operator's); at least t enable check 4. */
  readonly shares?: readonly SecretShare[];
  readonly rng?: RandomBytes;
}

/** The four checks, in order. */
export type RecombinationCheck = 'shares' | 'polynomial' | 'threshold-exact' | 'threshold-signature';

/** The outcome of one check. */
export interface CheckResult {
  readonly check: RecombinationCheck;
  readonly status: 'pass' | 'fail' | 'skipped';
  /** One line for people. */
  readonly detail: string;
  /** Set when status is 'fail'. */
  readonly code?: ErrorCode;
  /** Share ids (decimal) blamed by a failed check. */
  readonly culprits: readonly string[];
}

/** The report: ok when no check failed. */
export interface RecombinationReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

/** Prefix of the check-4 message; the group key follows it. */
export const RECOMBINATION_MESSAGE_PREFIX = 'dvkeys/recombination-check/v1:';

/** The domain-separated message signed in check 4 (78 bytes: never a 32-byte signing root). */
export function recombinationMessage(groupPublicKey: Uint8Array): Uint8Array {
  return concatBytes(utf8(RECOMBINATION_MESSAGE_PREFIX), groupPublicKey);
}

const pass = (check: RecombinationCheck, detail: string): CheckResult => ({ check, status: 'pass', detail, culprits: [] });
const skip = (check: RecombinationCheck, detail: string): CheckResult => ({ check, status: 'skipped', detail, culprits: [] });
const fail = (check: RecombinationCheck, code: ErrorCode, detail: string, culprits: readonly string[] = []): CheckResult => ({
  check,
  status: 'fail',
  detail,
  code,
  culprits,
});

interface Decoded {
  readonly t: number;
  readonly key: G1Point;
  readonly ids: ShareIndex[];
  readonly points: G1Point[];
  readonly commitments: G1Point[] | undefined;
}

function decodeData(data: SharingPublicData): Decoded {
  const n = data.publicShares.length;
  const t = validateThreshold(data.threshold, n);
  const ids = validateIds(
    data.publicShares.map((s) => s.id),
    'publicShares.id',
  );
  const key = decodeG1(data.groupPublicKey, 'groupPublicKey');
  const points = data.publicShares.map((s, i) => decodeG1(s.publicKey, `publicShares[${i}].publicKey`));
  let commitments: G1Point[] | undefined;
  if (data.commitments !== undefined) {
    if (data.commitments.length !== t) {
      throw new ValidationError('INVALID_LENGTH', `'commitments' expected ${t} entries (the threshold), got ${data.commitments.length}`, {
        field: 'commitments',
      });
    }
    commitments = decodeCommitments(data.commitments);
  }
  return { t, key, ids, points, commitments };
}

/**
 * Check 1. Shares against public shares: (Σ w_i s_i)·G1 = Σ w_i·Y_i, then one by one only to name culprits.
 * Shares against the commitments follow by transitivity once check 2 has tied the public shares to them.
 */
function checkShares(d: Decoded, shares: readonly SecretShare[] | undefined, rng: RandomBytes): CheckResult {
  if (shares === undefined || shares.length === 0) return skip('shares', 'no secret shares given');
  validateIds(
    shares.map((s) => s.id),
    'shares.id',
  );
  const index = new Map(d.ids.map((id, i) => [id, i]));
  const pairs = shares.map((share, i) => {
    const at = index.get(share.id);
    if (at === undefined) {
      throw new ValidationError('INVALID_SHARE_ID', `'shares[${i}]' has id ${share.id}, which has no public share`, {
        field: `shares[${i}].id`,
        culprits: [share.id.toString()],
      });
    }
    return { id: share.id, s: decodeScalar(share.secret, `shares[${i}].secret`), Y: d.points[at]! };
  });
  let lhs = 0n;
  const weights = pairs.map(() => randomWeight(rng));
  pairs.forEach(({ s }, i) => (lhs = Fr.add(lhs, Fr.mul(weights[i]!, s))));
  const rhs = msmG1(
    pairs.map((p) => p.Y),
    weights,
  );
  const culprits = mulBaseSecret(lhs).equals(rhs)
    ? []
    : pairs.filter(({ s, Y }) => !mulBaseSecret(s).equals(Y)).map((p) => p.id.toString());
  if (culprits.length > 0) {
    return fail('shares', 'SHARE_MISMATCH', culprits.length === 1 ? `share ${culprits[0]} does not match its public share` : `shares ${idList(culprits)} do not match their public shares`, culprits);
  }
  return pass('shares', `${shares.length} share(s) match their public shares`);
}

/** `2`, `2 and 5`, `1, 2 and 5`: share ids as a reader says them. */
function idList(ids: readonly string[]): string {
  return ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]!}`;
}

function checkPolynomial(d: Decoded, rng: RandomBytes): CheckResult {
  const { t, key, ids, points, commitments } = d;
  if (commitments !== undefined) {
    if (!commitments[0]!.equals(key)) {
      return fail('polynomial', 'COMMITMENT_MISMATCH', 'commitments[0] is not the validator public key');
    }
    if (!verifyPublicSharesBatch(ids, points, commitments, rng)) {
      const culprits = ids
        .filter((id, i) => !publicShareFromCommitments(commitments, id).equals(points[i]!))
        .map(String);
      return fail('polynomial', 'PUBLIC_SHARE_MISMATCH', `${culprits.length === 1 ? 'public share' : 'public shares'} ${idList(culprits)} ${culprits.length === 1 ? 'does' : 'do'} not match the commitments`, culprits);
    }
  }
  if (!lowDegreeTest(key, ids, points, t, rng)) {
    const search = ids.length - 1 >= t && ids.length <= MAX_LEAVE_ONE_OUT_SHARES;
    const culprits = search ? leaveOneOut(d, rng) : [];
    const who = culprits.length > 0
      ? `; ${culprits.length === 1 ? 'public share' : 'public shares'} ${idList(culprits)} ${culprits.length === 1 ? 'is' : 'are'} off the polynomial`
      : ids.length > MAX_LEAVE_ONE_OUT_SHARES
        ? ` (no culprit search above ${MAX_LEAVE_ONE_OUT_SHARES} shares without commitments: give the commitments to name the share)`
        : '';
    return fail('polynomial', 'DEGREE_CHECK_FAILED', `the public shares do not lie on one degree ${t - 1} polynomial through the validator key${who}`, culprits);
  }
  return pass('polynomial', `all ${ids.length} public shares lie on one degree ${t - 1} polynomial through the validator key: every ${t}-subset recombines`);
}

/**
 * Most public shares for the leave-one-out culprit search of data without commitments: the search runs one low-degree
 * test per share, O(n^3) field work and n MSMs in all, so above 64 shares (the DKG's participant cap) a failed check
 * reports no culprit rather than let a hostile file buy minutes of work (issue 12). With commitments every share is
 * checked against them instead, O(n·t), and the culprits are named.
 */
export const MAX_LEAVE_ONE_OUT_SHARES = 64;

/** Names the single public share whose removal makes the rest consistent (if there is exactly one). */
function leaveOneOut(d: Decoded, rng: RandomBytes): string[] {
  const found: string[] = [];
  for (let i = 0; i < d.ids.length; i++) {
    const ids = d.ids.filter((_, j) => j !== i);
    const points = d.points.filter((_, j) => j !== i);
    if (lowDegreeTest(d.key, ids, points, d.t, rng)) found.push(d.ids[i]!.toString());
  }
  return found.length === 1 ? found : [];
}

function checkExactThreshold(d: Decoded): CheckResult {
  const { t, key, ids, points, commitments } = d;
  if (t === 1) return skip('threshold-exact', 't = 1: every single share is the key');
  if (commitments !== undefined && commitments[t - 1]!.is0()) {
    return fail('threshold-exact', 'DEGREE_CHECK_FAILED', `the leading commitment is zero: ${t - 1} shares would suffice`);
  }
  const sub = ids.slice(0, t - 1);
  const atZero = msmG1(points.slice(0, t - 1), lagrangeCoefficientsAtZero(sub));
  if (atZero.equals(key)) {
    return fail('threshold-exact', 'DEGREE_CHECK_FAILED', `shares ${sub.join(', ')} alone determine the key: the polynomial has degree below ${t - 1}`);
  }
  return pass('threshold-exact', `${t - 1} public shares do not determine the key (degree is exactly ${t - 1})`);
}

function checkThresholdSignature(d: Decoded, groupPublicKey: Uint8Array, shares: readonly SecretShare[] | undefined): CheckResult {
  if (shares === undefined || shares.length < d.t) {
    return skip('threshold-signature', `needs ${d.t} secret shares, have ${shares?.length ?? 0}`);
  }
  const chosen = shares.slice(0, d.t);
  const message = recombinationMessage(groupPublicKey);
  const ids = validateIds(
    chosen.map((s) => s.id),
    'shares.id',
  );
  const hashed = hashToG2(message);
  if (chosen.length >= 4) hashed.precompute(4, false);
  const partials = chosen.map((share, i) => partialSignPoint(share, hashed, `shares[${i}].secret`));
  const signature = lagrangeCombineG2(ids, partials);
  // The Verify equation of signature.ts (e(pk, H(m)) = e(G1, σ)) on the key decoded and KeyValidate'd above and on
  // H(m) hashed once with the POP DST: the standard verifier without re-hashing and re-decoding.
  if (!verifyPoints(d.key, hashed, signature)) {
    return fail('threshold-signature', 'SIGNATURE_INVALID', `the threshold signature of shares ${chosen.map((s) => s.id).join(', ')} does not verify under ${bytesToHex(groupPublicKey, true)}`);
  }
  return pass('threshold-signature', `partial signatures of shares ${chosen.map((s) => s.id).join(', ')} combine into a valid Ethereum signature`);
}

/**
 * Runs the checks of design section 4 on one validator's sharing and reports each.
 * @throws ValidationError for malformed input (encodings, ids, threshold, commitment count).
 */
export function checkRecombination(data: SharingPublicData, options: RecombinationOptions = {}): RecombinationReport {
  const rng = options.rng ?? systemRandomBytes;
  const d = decodeData(data);
  const checks = [
    checkShares(d, options.shares, rng),
    checkPolynomial(d, rng),
    checkExactThreshold(d),
    checkThresholdSignature(d, data.groupPublicKey, options.shares),
  ];
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

/**
 * {@link checkRecombination}, throwing the first failure.
 * @throws VerificationError with the failed check's code and culprits; ValidationError for malformed input.
 */
export function assertRecombination(data: SharingPublicData, options: RecombinationOptions = {}): RecombinationReport {
  const report = checkRecombination(data, options);
  const failed = report.checks.find((c) => c.status === 'fail');
  if (failed !== undefined) {
    throw new VerificationError(failed.code ?? 'DEGREE_CHECK_FAILED', failed.detail, { culprits: failed.culprits });
  }
  return report;
}
