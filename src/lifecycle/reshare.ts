/**
 * Reshare: old holders deal sub-sharings of their shares, new members combine them (research/dkg-brief.md B9
 * "Reshare", steps 1-3; Desmedt-Jajodia 1997 redistribution with the Feldman checks of Wong-Wang-Wing 2002).
 *
 * 1. Each dealer i ∈ D deals, for each validator v, g_{i,v} of degree t'-1 with g_{i,v}(0) = λ_i·s_{v,i}, where
 *    λ_i = λ_i^D(0) is its Lagrange coefficient over the OLD ids of the fixed dealer set D: commitments G_{i,v,k}
 *    (public, uncompressed) and one sub-share g_{i,v}(j) per new member j (sent encrypted in the wire protocol).
 *    Dealing λ_i·s_i rather than s_i (docs/decisions/1000-lifecycle-algebra.md) turns every receiver's combination
 *    Σ λ_i·G_{i,v,k} (V·t' multi-scalar multiplications) into plain point additions.
 * 2. The public check G_{i,v,0} = λ_i·Y_{v,i} replaces the DKG's proof of knowledge: the dealer shared exactly its
 *    own (weighted) share. A failure blames the dealer (`DEALING_CONSTANT_MISMATCH`), as kyber's `oldShareCommit`.
 * 3. New member j computes s'_{v,j} = Σ_{i∈D} g_{i,v}(j). Anyone computes C'_{v,k} = Σ_i G_{i,v,k} and
 *    Y'_{v,j} = Σ_k C'_{v,k}·j^k; C'_{v,0} = PK_v is asserted (by step 2 and the old data's degree check,
 *    C'_{v,0} = Σ λ_i Y_{v,i} = PK_v). Member j checks s'_{v,j}·G1 = Y'_{v,j}; only when that fails is each
 *    sub-share checked against its dealer's commitments (Feldman), to name the dealer (`SUB_SHARE_INVALID`).
 *
 * Why it is correct: h_v(x) = Σ g_{i,v}(x) has degree t'-1 and h_v(0) = Σ λ_i s_{v,i} = f_v(0), the key. Why it is
 * private: each new member sees |D| sub-shares, each one point of a fresh random polynomial; fewer than t' new
 * members learn nothing about any s_{v,i} or the key beyond the public data.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { SecretBytes, PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { Fr, decodeScalar, encodeScalar, randomWeight } from '../bls/field.js';
import { G1, encodeG1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { msmG1 } from '../bls/msm.js';
import { decodeG1UncheckedSubgroup } from '../bls/uncompressed.js';
import type { ReshareDefinition } from './reshare-definition.js';
import { assertMember, blameDecode, checkOwnShares } from './public-data.js';
import { publicShareFromCommitments } from '../sharing/vss.js';
import { assertSumsInSubgroup, dealSubSharing, failingClaims, type SubShareClaim } from './sub-sharing.js';
import { omissionError } from './omission.js';

/** A dealer's public message: its commitments G_{i,v,k} to g_{i,v}, g_{i,v}(0) = λ_i·s_{v,i}, for every validator. */
export interface ReshareDealing {
  readonly dealer: ShareIndex;
  /** G_{i,v,0..t'-1}, uncompressed (96 bytes; src/bls/uncompressed.ts), per validator. */
  readonly commitments: readonly (readonly Uint8Array[])[];
}

/** The sub-shares one dealer sends one recipient (secret: encrypted to the recipient on the wire). */
export interface SubShareBundle {
  readonly dealer: ShareIndex;
  readonly recipient: ShareIndex;
  /** g_{i,v}(x_recipient) per validator. */
  readonly secrets: readonly SecretBytes[];
}

/** The new public data of one validator (the same for every member and for the coordinator). */
export interface NewValidatorPublicData {
  readonly groupPublicKey: Uint8Array;
  /** C'_{v,0..t'-1}. */
  readonly commitments: readonly Uint8Array[];
  /** Y'_{v,j} for every new id. */
  readonly publicShares: readonly PublicShare[];
}

/**
 * Step 1, by dealer `dealer` with its share of every validator (checked first against Y_{v,dealer}).
 * @returns the public dealing and one bundle per new member (the caller wipes the bundles once sent).
 * @throws ValidationError `INVALID_SHARE_ID` (not a dealer of D); VerificationError `SHARE_MISMATCH` (a share
 *   that is not the dealer's in this cluster).
 */
export function dealReshare(
  def: ReshareDefinition,
  dealer: bigint | number,
  shares: readonly SecretShare[],
  rng: RandomBytes = systemRandomBytes,
): { dealing: ReshareDealing; bundles: SubShareBundle[] } {
  const me = BigInt(dealer) as ShareIndex;
  assertMember(def.dealers, me, 'dealer', 'a dealer of this reshare');
  const scalars = checkOwnShares(def.old, me, shares);
  const lambda = def.lambdas[def.dealers.indexOf(me)]!;
  try {
    const commitments: Uint8Array[][] = [];
    const perRecipient: SecretBytes[][] = def.newIds.map(() => []);
    for (const s of scalars) {
      const weighted = Fr.mul(lambda, s);
      const dealt = dealSubSharing(weighted, def.newThreshold, def.newIds, false, rng);
      commitments.push(dealt.commitments);
      dealt.subShares.forEach((y, j) => perRecipient[j]!.push(y));
    }
    const bundles = def.newIds.map((recipient, j) => ({ dealer: me, recipient, secrets: perRecipient[j]! }));
    return { dealing: { dealer: me, commitments }, bundles };
  } finally {
    scalars.fill(0n);
  }
}

/** Dealings decoded and checked, in the order of `def.dealers`: points[d][v][k]. */
export interface CheckedDealings {
  readonly points: readonly (readonly (readonly G1Point[])[])[];
}

/**
 * Step 2, by anyone: every dealer of D dealt exactly once, with t' commitments per validator whose constant is its
 * old public share.
 * @throws ValidationError `DEALER_MISSING` (no culprit; suspects: every dealer without a dealing and `coordinator`, decision 0443), `INVALID_SHARE_ID` (a dealing
 *   from outside D), `DUPLICATE_SHARE_ID`, `INVALID_LENGTH` / point errors (culprits: the dealer);
 *   VerificationError `DEALING_CONSTANT_MISMATCH` (culprits: every dealer with G_{i,v,0} ≠ λ_i·Y_{v,i}).
 */
export function checkReshareDealings(def: ReshareDefinition, dealings: readonly ReshareDealing[], rng: RandomBytes = systemRandomBytes): CheckedDealings {
  const byDealer = new Map<bigint, ReshareDealing>();
  dealings.forEach((d, i) => {
    assertMember(def.dealers, d.dealer, `dealings[${i}].dealer`, 'a dealer of this reshare');
    if (byDealer.has(d.dealer)) {
      throw new ValidationError('DUPLICATE_SHARE_ID', `dealer ${d.dealer} dealt twice`, { field: `dealings[${i}]`, culprits: [d.dealer.toString()] });
    }
    byDealer.set(d.dealer, d);
  });
  const missing = def.dealers.filter((d) => !byDealer.has(d));
  if (missing.length > 0) {
    throw omissionError('DEALER_MISSING', `no dealing from dealer ${missing.join(', ')}`, 'dealer', missing, 'dealings', 'the reshare aborts');
  }
  const V = def.old.validators.length;
  const points = def.dealers.map((dealer) => {
    const d = byDealer.get(dealer)!;
    const at = `dealings[${dealings.indexOf(d)}]`;
    return blameDecode(dealer, () => {
      if (d.commitments.length !== V) throw new ValidationError('INVALID_LENGTH', `'${at}.commitments' has ${d.commitments.length} entries for ${V} validators`, { field: `${at}.commitments` });
      return d.commitments.map((cs, v) => {
        if (cs.length !== def.newThreshold) {
          throw new ValidationError('INVALID_LENGTH', `'${at}.commitments[${v}]' has ${cs.length} points, expected t' = ${def.newThreshold}`, { field: `${at}.commitments[${v}]` });
        }
        return cs.map((c, k) => decodeG1UncheckedSubgroup(c, `${at}.commitments[${v}][${k}]`, k > 0));
      });
    });
  });
  const bad: { dealer: ShareIndex; v: number }[] = [];
  def.dealers.forEach((dealer, di) => {
    const own = def.old.validators.map((val) => val.shares.get(dealer)!);
    const constants = points[di]!.map((perV) => perV[0]!);
    // Σ_v w_v·G_{i,v,0} = λ_i·Σ_v w_v·Y_{v,i} with random 64-bit weights; per validator only on failure.
    const w = constants.map(() => randomWeight(rng));
    if (msmG1(constants, w).equals(msmG1(own, w).multiplyUnsafe(def.lambdas[di]!))) return;
    constants.forEach((c, v) => {
      if (!c.equals(own[v]!.multiplyUnsafe(def.lambdas[di]!))) bad.push({ dealer, v });
    });
  });
  if (bad.length > 0) {
    const culprits = [...new Set(bad.map((b) => b.dealer.toString()))];
    const first = bad[0]!;
    throw new VerificationError('DEALING_CONSTANT_MISMATCH', `dealer ${culprits.join(', ')} did not share its own share: commitment constant is not λ_i times its public share (validator ${first.v})`, {
      field: `dealings[${dealings.findIndex((d) => d.dealer === first.dealer)}].commitments[${first.v}][0]`,
      culprits,
    });
  }
  return { points };
}

/**
 * Step 3, public part: the new commitments and public shares of every validator, from checked dealings.
 * @throws VerificationError `COMMITMENT_MISMATCH` (C'_{v,0} ≠ PK_v), `DEGREE_CHECK_FAILED` (C'_{v,t'-1} is the
 *   identity: t'-1 new shares would suffice), `POINT_AT_INFINITY` (an identity public share); none of them can be
 *   blamed on one dealer (only a sum of dealings produces them), each names `validators[v]`.
 */
export function reshareOutput(def: ReshareDefinition, checked: CheckedDealings): NewValidatorPublicData[] {
  return reshareComputation(def, checked).publicData;
}

function reshareComputation(def: ReshareDefinition, checked: CheckedDealings): { publicData: NewValidatorPublicData[]; points: G1Point[][] } {
  const points: G1Point[][] = [];
  const publicData = def.old.validators.map((val, v): NewValidatorPublicData => {
    const commitments: G1Point[] = [];
    for (let k = 0; k < def.newThreshold; k++) {
      let sum = G1.ZERO;
      for (const perV of checked.points) sum = sum.add(perV[v]![k]!);
      commitments.push(sum);
    }
    if (!commitments[0]!.equals(val.key)) {
      throw new VerificationError('COMMITMENT_MISMATCH', `validator ${v}: the new sharing does not start at the validator key`, { field: `validators[${v}]` });
    }
    assertSumsInSubgroup(commitments, checked.points.map((perV) => perV[v]!), def.dealers, `validators[${v}]`);
    if (def.newThreshold > 1 && commitments[def.newThreshold - 1]!.is0()) {
      throw new VerificationError('DEGREE_CHECK_FAILED', `validator ${v}: the new sharing has degree below t' - 1 = ${def.newThreshold - 1}`, { field: `validators[${v}]` });
    }
    const ys = def.newIds.map((id) => {
      const Y = publicShareFromCommitments(commitments, id);
      if (Y.is0()) throw new VerificationError('POINT_AT_INFINITY', `validator ${v}: the new public share of ${id} is the identity`, { field: `validators[${v}]` });
      return Y;
    });
    points.push(ys);
    const publicShares = def.newIds.map((id, i) => ({ id, publicKey: encodeG1(ys[i]!) }));
    return { groupPublicKey: Uint8Array.from(val.groupPublicKey), commitments: commitments.map(encodeG1), publicShares };
  });
  return { publicData, points };
}

/**
 * Step 3 by new member `me`: checks the dealings and its bundles, then combines its new share of every validator.
 * @returns its new shares (id `me`, one per validator; the caller wipes them) and the new public data.
 * @throws everything {@link checkReshareDealings} and {@link reshareOutput} throw; ValidationError
 *   `DEALER_MISSING` (no bundle from a dealer; suspects: those dealers and `coordinator`), `INVALID_LENGTH` (culprits: the dealer);
 *   VerificationError `SUB_SHARE_INVALID` (culprits: every dealer whose sub-share fails its Feldman check).
 */
export function combineReshare(
  def: ReshareDefinition,
  me: bigint | number,
  dealings: readonly ReshareDealing[],
  bundles: readonly SubShareBundle[],
  rng: RandomBytes = systemRandomBytes,
): { shares: SecretShare[]; publicData: NewValidatorPublicData[] } {
  const j = BigInt(me) as ShareIndex;
  assertMember(def.newIds, j, 'me', 'a new share id of this reshare');
  const checked = checkReshareDealings(def, dealings, rng);
  const byDealer = new Map<bigint, { bundle: SubShareBundle; at: number }>();
  bundles.forEach((b, i) => {
    if (b.recipient !== j) throw new ValidationError('INVALID_SHARE_ID', `'subShares[${i}]' is for ${b.recipient}, not ${j}`, { field: `subShares[${i}].recipient` });
    if (byDealer.has(b.dealer)) throw new ValidationError('DUPLICATE_SHARE_ID', `two bundles from dealer ${b.dealer}`, { field: `subShares[${i}]`, culprits: [b.dealer.toString()] });
    byDealer.set(b.dealer, { bundle: b, at: i });
  });
  const missing = def.dealers.filter((d) => !byDealer.has(d));
  if (missing.length > 0) {
    throw omissionError('DEALER_MISSING', `no sub-shares from dealer ${missing.join(', ')}`, 'dealer', missing, 'subShares', 'the reshare aborts');
  }
  const V = def.old.validators.length;
  def.dealers.forEach((dealer) => {
    const { bundle, at } = byDealer.get(dealer)!;
    if (bundle.secrets.length !== V) {
      throw new ValidationError('INVALID_LENGTH', `'subShares[${at}].secrets' has ${bundle.secrets.length} entries for ${V} validators`, { field: `subShares[${at}].secrets`, culprits: [dealer.toString()] });
    }
    bundle.secrets.forEach((value, v) => blameDecode(dealer, () => decodeScalar(value, `subShares[${at}].secrets[${v}]`, { allowZero: true })));
  });
  const { publicData, points } = reshareComputation(def, checked);
  const index = def.newIds.indexOf(j);
  const shares: SecretShare[] = [];
  for (let v = 0; v < V; v++) {
    let s = 0n;
    for (const dealer of def.dealers) {
      s = Fr.add(s, decodeScalar(byDealer.get(dealer)!.bundle.secrets[v]!, 'subShares.secrets', { allowZero: true }));
    }
    const Y = points[v]![index]!;
    // Fast path: the combined share matches its new public share. Only otherwise is every sub-share checked alone,
    // to name the dealers (docs/protocols/lifecycle.md "what each check proves").
    if (s === 0n || !mulBaseSecret(s).equals(Y)) {
      s = 0n;
      blameSubShares(def, v, j, checked, byDealer, rng);
    }
    shares.push({ id: j, secret: encodeScalar(s) });
    s = 0n;
  }
  return { shares, publicData };
}

/**
 * The slow path of {@link combineReshare}: the Feldman check of every dealer's sub-share of validator v.
 * @throws VerificationError `SUB_SHARE_INVALID` (culprits: the dealers whose sub-shares fail), or `SHARE_MISMATCH`
 *   when each passes alone (not reachable with checked dealings: the sum of valid sub-shares is valid).
 */
function blameSubShares(
  def: ReshareDefinition,
  v: number,
  j: ShareIndex,
  checked: CheckedDealings,
  byDealer: ReadonlyMap<bigint, { bundle: SubShareBundle; at: number }>,
  rng: RandomBytes,
): never {
  const claims: SubShareClaim[] = def.dealers.map((dealer, di) => ({ value: byDealer.get(dealer)!.bundle.secrets[v]!, commitments: checked.points[di]![v]!, x: j }));
  const fields = def.dealers.map((dealer) => `subShares[${byDealer.get(dealer)!.at}].secrets[${v}]`);
  const bad = failingClaims(claims, fields, rng);
  if (bad.length > 0) {
    const culprits = bad.map((i) => def.dealers[i]!.toString());
    throw new VerificationError('SUB_SHARE_INVALID', `validator ${v}: the sub-share of dealer ${culprits.join(', ')} fails its Feldman check`, { field: fields[bad[0]!]!, culprits });
  }
  throw new VerificationError('SHARE_MISMATCH', `validator ${v}: the combined share of ${j} does not match its new public share`, { field: `validators[${v}]`, culprits: [j.toString()] });
}
