/**
 * Refresh: same holders, same threshold, new shares of the same keys (research/dkg-brief.md B9 "Refresh"; design
 * section 9). Proactive secret sharing after Herzberg, Jarecki, Krawczyk and Yung, "Proactive secret sharing or:
 * how to cope with perpetual leakage" (CRYPTO 1995), section 3.2 (share renewal), as ZF FROST's `refresh_dkg_*`.
 *
 * Every participant i deals, per validator v, a random polynomial z_{i,v} of degree t-1 with z_{i,v}(0) = 0, and
 * publishes its commitments Z_{i,v,1..t-1} (the constant commitment is the identity by construction, so it is not
 * sent and no dealer can deal a nonzero constant; no proof of knowledge is needed). Participant j's new share is
 * s'_{v,j} = s_{v,j} + Σ_i z_{i,v}(j); the new public shares are Y'_{v,j} = Y_{v,j} + Σ_i Σ_k Z_{i,v,k}·j^k and, when
 * the old commitments are known, C'_{v,k} = C_{v,k} + Σ_i Z_{i,v,k}. PK_v is unchanged because every z has a zero
 * constant; an old share and a new one of different holders lie on different polynomials, so they no longer combine.
 * A refresh with t = 1 is refused (docs/decisions/1002-refresh-refuses-t1.md): every share is then the validator key
 * itself, the zero polynomials are identically zero and nothing would change.
 *
 * A subset P (|P| >= t) may refresh alone: holders outside P are dropped from the new public data. Their old shares
 * still combine with the old shares of the others (the ZF caveat): a refresh only helps once the old shares are gone.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PublicShare, RandomBytes, SecretBytes, SecretShare, ShareIndex } from '../types.js';
import { Fr, decodeScalar, encodeScalar } from '../bls/field.js';
import { G1, encodeG1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { decodeG1UncheckedSubgroup } from '../bls/uncompressed.js';
import { validateIds } from '../sharing/ids.js';
import { publicShareFromCommitments } from '../sharing/vss.js';
import { assertMember, blameDecode, checkOwnShares, decodeClusterPublicData, definitionDigest, type ClusterPublicData, type ValidatorPublicData } from './public-data.js';
import { assertSumsInSubgroup, dealSubSharing, failingClaims, type SubShareClaim } from './sub-sharing.js';
import { omissionError } from './omission.js';

/** Input of {@link defineRefresh}. */
export interface RefreshInput {
  /** The cluster's threshold, stated explicitly and checked against the public shares. */
  readonly threshold: number;
  readonly validators: readonly ValidatorPublicData[];
  /** The refreshing holders P (default: every share id). */
  readonly participants?: readonly (bigint | number)[];
  readonly rng?: RandomBytes;
}

/** A checked refresh definition. */
export interface RefreshDefinition {
  readonly kind: 'refresh';
  /** SHA-256 of the definition (what the handover signatures bind). */
  readonly id: Uint8Array;
  readonly old: ClusterPublicData;
  /** P in ascending order: the dealers and the recipients. */
  readonly participants: readonly ShareIndex[];
}

/** A participant's public message: Z_{i,v,1..t-1} per validator, uncompressed. */
export interface RefreshDealing {
  readonly dealer: ShareIndex;
  readonly commitments: readonly (readonly Uint8Array[])[];
}

/** The zero-sharing sub-shares one participant sends another (secret). */
export interface RefreshBundle {
  readonly dealer: ShareIndex;
  readonly recipient: ShareIndex;
  readonly secrets: readonly SecretBytes[];
}

/** The refreshed public data of one validator. */
export interface RefreshedValidatorPublicData {
  readonly groupPublicKey: Uint8Array;
  /** C'_{v,0..t-1}, only when the old public data had commitments. */
  readonly commitments?: readonly Uint8Array[];
  readonly publicShares: readonly PublicShare[];
}

/**
 * Checks a refresh definition.
 * @throws as `decodeClusterPublicData` (public-data.ts) for the old data; ValidationError `INVALID_THRESHOLD`
 *   (t = 1: no share can change), `NOT_ENOUGH_DEALERS` (|P| < t), `INVALID_SHARE_ID` (a participant that is no share id), `DUPLICATE_SHARE_ID`.
 */
export function defineRefresh(input: RefreshInput): RefreshDefinition {
  const old = decodeClusterPublicData(input.validators, input.threshold, 'threshold', input.rng ?? systemRandomBytes);
  if (old.threshold === 1) {
    throw new ValidationError('INVALID_THRESHOLD', 'a refresh with t = 1 cannot change any share: every share is the validator key itself (reshare to t >= 2 instead)', { field: 'threshold' });
  }
  const participants = input.participants === undefined ? [...old.ids] : validateIds(input.participants, 'participants');
  participants.forEach((p, i) => assertMember(old.ids, p, `participants[${i}]`, 'a share id of the cluster'));
  if (participants.length < old.threshold) {
    throw new ValidationError('NOT_ENOUGH_DEALERS', `a refresh needs at least t = ${old.threshold} participants, got ${participants.length}`, { field: 'participants' });
  }
  participants.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'refresh', id: definitionDigest('refresh', [], [participants], old), old, participants };
}

/**
 * A participant's zero-sharings for every validator.
 * @returns the public dealing and one bundle per participant, itself included (the caller wipes the bundles).
 */
export function dealRefresh(def: RefreshDefinition, dealer: bigint | number, rng: RandomBytes = systemRandomBytes): { dealing: RefreshDealing; bundles: RefreshBundle[] } {
  const me = BigInt(dealer) as ShareIndex;
  assertMember(def.participants, me, 'dealer', 'a participant of this refresh');
  const commitments: Uint8Array[][] = [];
  const perRecipient: SecretBytes[][] = def.participants.map(() => []);
  for (let v = 0; v < def.old.validators.length; v++) {
    const dealt = dealSubSharing(0n, def.old.threshold, def.participants, true, rng);
    commitments.push(dealt.commitments);
    dealt.subShares.forEach((y, j) => perRecipient[j]!.push(y));
  }
  return { dealing: { dealer: me, commitments }, bundles: def.participants.map((recipient, j) => ({ dealer: me, recipient, secrets: perRecipient[j]! })) };
}

/** Decoded dealings in participant order, each validator's commitments with the identity constant first. */
export interface CheckedRefreshDealings {
  readonly points: readonly (readonly (readonly G1Point[])[])[];
}

/**
 * Every participant dealt exactly once, with t-1 points per validator.
 * @throws ValidationError `DEALER_MISSING` (no culprit; suspects: the silent participants and `coordinator`, decision 0443), `INVALID_SHARE_ID`,
 *   `DUPLICATE_SHARE_ID`, `INVALID_LENGTH` and point errors (culprits: the dealer).
 */
export function checkRefreshDealings(def: RefreshDefinition, dealings: readonly RefreshDealing[]): CheckedRefreshDealings {
  const at = new Map<bigint, number>();
  dealings.forEach((d, i) => {
    assertMember(def.participants, d.dealer, `dealings[${i}].dealer`, 'a participant of this refresh');
    if (at.has(d.dealer)) throw new ValidationError('DUPLICATE_SHARE_ID', `participant ${d.dealer} dealt twice`, { field: `dealings[${i}]`, culprits: [d.dealer.toString()] });
    at.set(d.dealer, i);
  });
  const missing = def.participants.filter((p) => !at.has(p));
  if (missing.length > 0) {
    throw omissionError('DEALER_MISSING', `no dealing from participant ${missing.join(', ')}`, 'participant', missing, 'dealings', 'the refresh aborts');
  }
  const V = def.old.validators.length;
  const t = def.old.threshold;
  const points = def.participants.map((dealer) => {
    const i = at.get(dealer)!;
    const d = dealings[i]!;
    return blameDecode(dealer, () => {
      if (d.commitments.length !== V) throw new ValidationError('INVALID_LENGTH', `'dealings[${i}].commitments' has ${d.commitments.length} entries for ${V} validators`, { field: `dealings[${i}].commitments` });
      return d.commitments.map((cs, v) => {
        if (cs.length !== t - 1) {
          throw new ValidationError('INVALID_LENGTH', `'dealings[${i}].commitments[${v}]' has ${cs.length} points, expected t - 1 = ${t - 1}`, { field: `dealings[${i}].commitments[${v}]` });
        }
        return [G1.ZERO, ...cs.map((c, k) => decodeG1UncheckedSubgroup(c, `dealings[${i}].commitments[${v}][${k}]`, true))];
      });
    });
  });
  return { points };
}

/**
 * The refreshed public data of every validator (anyone can compute it from the dealings).
 * @throws VerificationError `POINT_NOT_IN_SUBGROUP` (culprits: the dealers), `DEGREE_CHECK_FAILED` (a leading
 *   commitment that becomes the identity), `POINT_AT_INFINITY` (an identity public share), naming `validators[v]`.
 */
export function refreshOutput(def: RefreshDefinition, checked: CheckedRefreshDealings): RefreshedValidatorPublicData[] {
  return refreshComputation(def, checked).publicData;
}

function refreshComputation(def: RefreshDefinition, checked: CheckedRefreshDealings): { publicData: RefreshedValidatorPublicData[]; points: G1Point[][] } {
  const t = def.old.threshold;
  const points: G1Point[][] = [];
  const publicData = def.old.validators.map((val, v): RefreshedValidatorPublicData => {
    const delta: G1Point[] = [];
    for (let k = 0; k < t; k++) {
      let sum = G1.ZERO;
      for (const perV of checked.points) sum = sum.add(perV[v]![k]!);
      delta.push(sum);
    }
    assertSumsInSubgroup(delta, checked.points.map((perV) => perV[v]!), def.participants, `validators[${v}]`);
    const ys = def.participants.map((id) => {
      const Y = val.shares.get(id)!.add(publicShareFromCommitments(delta, id));
      if (Y.is0()) throw new VerificationError('POINT_AT_INFINITY', `validator ${v}: the refreshed public share of ${id} is the identity`, { field: `validators[${v}]` });
      return Y;
    });
    points.push(ys);
    const publicShares = def.participants.map((id, i) => ({ id, publicKey: encodeG1(ys[i]!) }));
    if (val.commitments === undefined) return { groupPublicKey: Uint8Array.from(val.groupPublicKey), publicShares };
    const commitments = val.commitments.map((c, k) => c.add(delta[k]!));
    if (t > 1 && commitments[t - 1]!.is0()) {
      throw new VerificationError('DEGREE_CHECK_FAILED', `validator ${v}: the refreshed sharing has degree below t - 1 = ${t - 1}`, { field: `validators[${v}]` });
    }
    return { groupPublicKey: Uint8Array.from(val.groupPublicKey), commitments: commitments.map(encodeG1), publicShares };
  });
  return { publicData, points };
}

/**
 * Participant `me` checks the dealings and its bundles and adds them to its old shares.
 * @returns its refreshed shares (one per validator; the caller wipes them and, after the handover, the old ones)
 *   and the refreshed public data.
 * @throws as {@link checkRefreshDealings} and {@link refreshOutput}; VerificationError `SHARE_MISMATCH` (its own old
 *   share is not in this cluster), `SUB_SHARE_INVALID` (culprits: the dealers whose zero-share fails its check);
 *   ValidationError `DEALER_MISSING` (no bundle; suspects: those participants and `coordinator`).
 */
export function combineRefresh(
  def: RefreshDefinition,
  oldShares: readonly SecretShare[],
  dealings: readonly RefreshDealing[],
  bundles: readonly RefreshBundle[],
  rng: RandomBytes = systemRandomBytes,
): { shares: SecretShare[]; publicData: RefreshedValidatorPublicData[] } {
  const me = oldShares[0]?.id;
  if (me === undefined) throw new ValidationError('INVALID_LENGTH', "'oldShares' is empty", { field: 'oldShares' });
  assertMember(def.participants, me, 'oldShares[0].id', 'a participant of this refresh');
  const own = checkOwnShares(def.old, me, oldShares);
  try {
    const checked = checkRefreshDealings(def, dealings);
    const byDealer = new Map<bigint, { bundle: RefreshBundle; at: number }>();
    bundles.forEach((b, i) => {
      if (b.recipient !== me) throw new ValidationError('INVALID_SHARE_ID', `'subShares[${i}]' is for ${b.recipient}, not ${me}`, { field: `subShares[${i}].recipient` });
      if (byDealer.has(b.dealer)) throw new ValidationError('DUPLICATE_SHARE_ID', `two bundles from participant ${b.dealer}`, { field: `subShares[${i}]`, culprits: [b.dealer.toString()] });
      byDealer.set(b.dealer, { bundle: b, at: i });
    });
    const missing = def.participants.filter((p) => !byDealer.has(p));
    if (missing.length > 0) throw omissionError('DEALER_MISSING', `no sub-shares from participant ${missing.join(', ')}`, 'participant', missing, 'subShares', 'the refresh aborts');
    const V = def.old.validators.length;
    for (const dealer of def.participants) {
      const { bundle, at } = byDealer.get(dealer)!;
      if (bundle.secrets.length !== V) throw new ValidationError('INVALID_LENGTH', `'subShares[${at}].secrets' has ${bundle.secrets.length} entries for ${V} validators`, { field: `subShares[${at}].secrets`, culprits: [dealer.toString()] });
      bundle.secrets.forEach((value, v) => blameDecode(dealer, () => decodeScalar(value, `subShares[${at}].secrets[${v}]`, { allowZero: true })));
    }
    const { publicData, points } = refreshComputation(def, checked);
    const index = def.participants.indexOf(me);
    const shares = own.map((s, v): SecretShare => {
      let sum = s;
      for (const dealer of def.participants) sum = Fr.add(sum, decodeScalar(byDealer.get(dealer)!.bundle.secrets[v]!, 'subShares.secrets', { allowZero: true }));
      const Y = points[v]![index]!;
      if (sum === 0n || !mulBaseSecret(sum).equals(Y)) {
        sum = 0n;
        const claims: SubShareClaim[] = def.participants.map((d, di) => ({ value: byDealer.get(d)!.bundle.secrets[v]!, commitments: checked.points[di]![v]!, x: me }));
        const fields = def.participants.map((d) => `subShares[${byDealer.get(d)!.at}].secrets[${v}]`);
        const bad = failingClaims(claims, fields, rng);
        const culprits = bad.map((i) => def.participants[i]!.toString());
        throw new VerificationError(bad.length > 0 ? 'SUB_SHARE_INVALID' : 'SHARE_MISMATCH', `validator ${v}: the zero-share of participant ${culprits.join(', ') || '(none alone)'} fails its Feldman check`, {
          field: bad.length > 0 ? fields[bad[0]!]! : `validators[${v}]`,
          culprits,
        });
      }
      const out = { id: me, secret: encodeScalar(sum) };
      sum = 0n;
      return out;
    });
    return { shares, publicData };
  } finally {
    own.fill(0n);
  }
}
