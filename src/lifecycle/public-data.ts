/**
 * The public data of an existing cluster, as every lifecycle step (reshare, refresh, repair) takes it in: per
 * validator the key PK_v and the public shares Y_{v,i}, and the cluster's threshold given explicitly
 * (research/dkg-brief.md B9; design section 9).
 *
 * Before anything is dealt, the public data is checked against that threshold with the polynomial and
 * threshold-exact checks of src/sharing/recombine.ts (design section 4): the public shares lie on one polynomial of
 * degree exactly t-1 through PK_v. This is the downgrade protection of kyber's explicit `OldThreshold`: a definition
 * that states a smaller t (so that fewer dealers would seem enough) or a larger one is refused before any secret is
 * touched.
 *
 * @module
 */
import { bytesToHex, concatBytes, utf8, bigintToBytesBE } from '../bytes.js';
import { ValidationError, VerificationError, isDvkeysError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { decodeScalar } from '../bls/field.js';
import { decodeG1, encodeG1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { validateIds, validateThreshold } from '../sharing/ids.js';
import { msmG1 } from '../bls/msm.js';
import { lagrangeCoefficientsAtZero } from '../sharing/polynomial.js';
import { decodeCommitments, lowDegreeTest, publicShareFromCommitments, verifyPublicSharesBatch } from '../sharing/vss.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** Most validators one lifecycle definition may cover (a cluster's manifest cap is far above any real cluster). */
export const MAX_LIFECYCLE_VALIDATORS = 10_000;

/** One validator's public data in an existing cluster. */
export interface ValidatorPublicData {
  /** PK_v, 48 bytes compressed. */
  readonly groupPublicKey: Uint8Array;
  /** Y_{v,i} for every share id of the cluster (the same ids for every validator). */
  readonly publicShares: readonly PublicShare[];
  /** Feldman commitments C_{v,0..t-1}, when the layout carries them (dvkeys manifests do, Charon locks do not). */
  readonly commitments?: readonly Uint8Array[];
}

/** One validator's public data, decoded and checked. */
export interface DecodedValidator {
  readonly groupPublicKey: Uint8Array;
  readonly key: G1Point;
  /** Y_{v,i} by share id. */
  readonly shares: ReadonlyMap<bigint, G1Point>;
  readonly commitments: readonly G1Point[] | undefined;
}

/** A cluster's checked public data: one id set and threshold for all validators. */
export interface ClusterPublicData {
  readonly threshold: number;
  /** The share ids, in the order of the first validator's public shares. */
  readonly ids: readonly ShareIndex[];
  readonly validators: readonly DecodedValidator[];
}

/**
 * Decodes and checks the public data of every validator against the explicitly given threshold.
 *
 * @throws ValidationError `INVALID_ARGUMENT` (no validators, or more than {@link MAX_LIFECYCLE_VALIDATORS}),
 *   `CEREMONY_MISMATCH` (a validator with another id set: shares from two clusters), `DUPLICATE_KEY`, and the
 *   decoding errors of each field; VerificationError `DEGREE_CHECK_FAILED` (the public shares do not lie on one
 *   polynomial of degree exactly `threshold - 1`: a wrong old threshold or foreign public shares),
 *   `COMMITMENT_MISMATCH`, `PUBLIC_SHARE_MISMATCH` (culprits: the share ids), each naming `validators[v]`.
 */
export function decodeClusterPublicData(
  validators: readonly ValidatorPublicData[],
  threshold: number,
  thresholdField: string,
  rng: RandomBytes = systemRandomBytes,
): ClusterPublicData {
  if (validators.length === 0 || validators.length > MAX_LIFECYCLE_VALIDATORS) {
    throw new ValidationError('INVALID_ARGUMENT', `'validators' expected 1..${MAX_LIFECYCLE_VALIDATORS} validators`, { field: 'validators' });
  }
  const first = validators[0]!;
  validateThreshold(threshold, Math.max(1, first.publicShares.length), thresholdField);
  const ids = validateIds(
    first.publicShares.map((s) => s.id),
    'validators[0].publicShares.id',
  );
  const idKey = ids.map(String).sort().join(',');
  const seenKeys = new Set<string>();
  const decoded = validators.map((val, v): DecodedValidator => {
    const at = `validators[${v}]`;
    const theirs = validateIds(
      val.publicShares.map((s) => s.id),
      `${at}.publicShares.id`,
    );
    if (theirs.map(String).sort().join(',') !== idKey) {
      throw new ValidationError('CEREMONY_MISMATCH', `'${at}' has share ids ${theirs.join(',')}, not the cluster's ${ids.join(',')}`, {
        field: `${at}.publicShares`,
      });
    }
    const hexKey = bytesToHex(val.groupPublicKey);
    if (seenKeys.has(hexKey)) throw new ValidationError('DUPLICATE_KEY', `'${at}' repeats validator key ${hexKey}`, { field: at });
    seenKeys.add(hexKey);
    const key = decodeG1(val.groupPublicKey, `${at}.groupPublicKey`);
    const points = val.publicShares.map((s, i) => decodeG1(s.publicKey, `${at}.publicShares[${i}].publicKey`));
    const commitments = val.commitments === undefined ? undefined : decodeCommitments(val.commitments, `${at}.commitments`);
    checkDegree(at, thresholdField, threshold, key, theirs, points, commitments, rng);
    const shares = new Map<bigint, G1Point>();
    theirs.forEach((id, i) => shares.set(id, points[i]!));
    return {
      groupPublicKey: Uint8Array.from(val.groupPublicKey),
      key,
      shares,
      commitments,
    };
  });
  return { threshold, ids, validators: decoded };
}

/**
 * The polynomial and threshold-exact checks of src/sharing/recombine.ts (design section 4) on decoded points, so
 * that a lifecycle definition decodes each public share once: commitments (when given) start at PK and match the
 * public shares; the public shares lie on one polynomial of degree <= t-1 through PK (SCRAPE low-degree test); and
 * t-1 of them do not determine PK (degree exactly t-1).
 */
function checkDegree(
  at: string,
  thresholdField: string,
  t: number,
  key: G1Point,
  ids: readonly ShareIndex[],
  points: readonly G1Point[],
  commitments: readonly G1Point[] | undefined,
  rng: RandomBytes,
): void {
  const hint = `(is '${thresholdField}' = ${t} the cluster's threshold?)`;
  if (commitments !== undefined) {
    if (commitments.length !== t) {
      throw new ValidationError('INVALID_LENGTH', `'${at}.commitments' has ${commitments.length} entries, expected ${t} ${hint}`, { field: `${at}.commitments` });
    }
    if (!commitments[0]!.equals(key)) throw new VerificationError('COMMITMENT_MISMATCH', `'${at}': commitments[0] is not the validator public key`, { field: at });
    if (!verifyPublicSharesBatch(ids, points, commitments, rng)) {
      const culprits = ids.filter((id, i) => !publicShareFromCommitments(commitments, id).equals(points[i]!)).map(String);
      throw new VerificationError('PUBLIC_SHARE_MISMATCH', `'${at}': public share ${culprits.join(', ')} does not match the commitments`, { field: at, culprits });
    }
  }
  if (!lowDegreeTest(key, ids, points, t, rng)) {
    throw new VerificationError('DEGREE_CHECK_FAILED', `'${at}': the public shares do not lie on one degree ${t - 1} polynomial through the validator key ${hint}`, { field: at });
  }
  if (t > 1) {
    const sub = ids.slice(0, t - 1);
    if (msmG1(points.slice(0, t - 1), lagrangeCoefficientsAtZero(sub)).equals(key) || (commitments !== undefined && commitments[t - 1]!.is0())) {
      throw new VerificationError('DEGREE_CHECK_FAILED', `'${at}': ${t - 1} public shares determine the key: the polynomial has degree below ${t - 1} ${hint}`, { field: at });
    }
  }
}

/**
 * Checks that `member` is one of `ids`, naming `field` and blaming the id.
 * @throws ValidationError `INVALID_SHARE_ID`.
 */
export function assertMember(ids: readonly ShareIndex[], member: bigint, field: string, role: string): void {
  if (!ids.includes(member as ShareIndex)) {
    throw new ValidationError('INVALID_SHARE_ID', `'${field}' ${member} is not ${role}`, { field, culprits: [member.toString()] });
  }
}

/**
 * A holder's own check before it deals from its shares: one share per validator, each with the holder's id and
 * s·G = Y_{v,id} (so shares of another cluster are refused before anything is sent).
 * @returns the share scalars (the caller clears them).
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_SHARE_ID`; VerificationError `SHARE_MISMATCH` naming
 *   `shares[v]` and the holder.
 */
export function checkOwnShares(cluster: ClusterPublicData, holder: ShareIndex, shares: readonly SecretShare[]): bigint[] {
  if (shares.length !== cluster.validators.length) {
    throw new ValidationError('INVALID_LENGTH', `'shares' has ${shares.length} entries for ${cluster.validators.length} validators`, { field: 'shares' });
  }
  return shares.map((share, v) => {
    if (share.id !== holder) {
      throw new ValidationError('INVALID_SHARE_ID', `'shares[${v}]' has id ${share.id}, expected ${holder}`, { field: `shares[${v}].id` });
    }
    const s = decodeScalar(share.secret, `shares[${v}].secret`);
    if (!mulBaseSecret(s).equals(cluster.validators[v]!.shares.get(holder)!)) {
      throw new VerificationError('SHARE_MISMATCH', `share ${holder} of validator ${v} does not match its public share (another cluster's share?)`, {
        field: `shares[${v}]`,
        culprits: [holder.toString()],
      });
    }
    return s;
  });
}

/**
 * Re-throws a decoding error of data a party sent with that party as the culprit (so a malformed commitment blames
 * its dealer like a wrong one).
 */
export function blameDecode<T>(culprit: bigint, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (isDvkeysError(e) && e.culprits.length === 0) {
      const options = { ...(e.field === undefined ? {} : { field: e.field }), culprits: [culprit.toString()] };
      throw e instanceof VerificationError ? new VerificationError(e.code, e.message, options) : new ValidationError(e.code, e.message, options);
    }
    throw e;
  }
}

/**
 * SHA-256 over a tagged, length-prefixed encoding of a lifecycle definition: what the handover message binds, so a
 * reshare-complete signature of one definition cannot be replayed for another.
 */
export function definitionDigest(tag: string, numbers: readonly (number | bigint)[], idLists: readonly (readonly bigint[])[], cluster: ClusterPublicData): Uint8Array {
  const parts: Uint8Array[] = [utf8(`dvkeys/lifecycle/${tag}/v1`)];
  const u64 = (x: number | bigint): Uint8Array => bigintToBytesBE(BigInt(x), 8);
  parts.push(u64(numbers.length), ...numbers.map(u64));
  for (const list of idLists) parts.push(u64(list.length), ...list.map(u64));
  parts.push(u64(cluster.threshold), u64(cluster.ids.length), ...cluster.ids.map(u64), u64(cluster.validators.length));
  for (const val of cluster.validators) {
    parts.push(val.groupPublicKey);
    for (const id of cluster.ids) parts.push(u64(id), encodeG1(val.shares.get(id)!));
  }
  return sha256(concatBytes(...parts));
}
