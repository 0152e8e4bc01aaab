/**
 * Repair: t helpers rebuild holder r's lost share, the same share as before, and no helper learns it
 * (research/dkg-brief.md B9 "Repair"; design section 9). The repairable threshold scheme of Laing and Stinson, "A
 * survey and refinement of repairable threshold schemes" (J. Math. Cryptology 2018; the Stinson-Wei enrollment
 * idea) as ZF FROST's `repairable` module, made verifiable with public delta commitments (our extension).
 *
 * Helpers H (|H| >= t) and recipient r ∉ H; ζ_i = λ_i^H(x_r) = Π_{k≠i} (x_r − x_k)/(x_i − x_k), so that
 * s_r = Σ_{i∈H} ζ_i·s_i for every polynomial of degree < |H|.
 * 1. Helper i splits ζ_i·s_{v,i} into random deltas δ_{i→k} (k ∈ H, summing to ζ_i·s_{v,i}), sends δ_{i→k} to helper k
 *    (encrypted on the wire) and publishes D_{i→k} = δ_{i→k}·G1.
 * 2. Anyone checks Σ_k D_{i→k} = ζ_i·Y_{v,i} (`DEALING_CONSTANT_MISMATCH` blames helper i).
 * 3. Helper k checks δ_{i→k}·G1 = D_{i→k} (`SUB_SHARE_INVALID` blames helper i) and sends σ_k = Σ_i δ_{i→k} to r.
 * 4. r checks σ_k·G1 = Σ_i D_{i→k} (`SUB_SHARE_INVALID` blames helper k), computes s_r = Σ_k σ_k and checks
 *    s_r·G1 = Y_{v,r} (`REPAIRED_SHARE_MISMATCH`) before anything is written. ZF's part 3 omits this last check.
 *
 * What a helper sees: its own share, one delta from every other helper (uniformly random on its own) and the public
 * D's (which only restate ζ_i·Y_i). With |H| = 1 (t = 1) the single helper already holds the key, so nothing is lost.
 * Repair reproduces the SAME share: if the share was stolen rather than lost, reshare or refresh instead.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, SecretBytes, SecretShare, ShareIndex } from '../types.js';
import { Fr, batchInvert, decodeScalar, encodeScalar, randomScalar, randomWeight } from '../bls/field.js';
import { G1, mulBaseSecret, type G1Point } from '../bls/group.js';
import { msmG1 } from '../bls/msm.js';
import { decodeG1UncheckedSubgroup, encodeG1Uncompressed } from '../bls/uncompressed.js';
import { validateIds } from '../sharing/ids.js';
import { assertMember, blameDecode, checkOwnShares, decodeClusterPublicData, definitionDigest, type ClusterPublicData, type ValidatorPublicData } from './public-data.js';
import { failingClaims, type SubShareClaim } from './sub-sharing.js';
import { isZeroModTorsion } from '../dkg/points.js';
import { omissionError } from './omission.js';

/** Input of {@link defineRepair}. */
export interface RepairInput {
  /** The cluster's threshold, stated explicitly and checked against the public shares. */
  readonly threshold: number;
  readonly validators: readonly ValidatorPublicData[];
  /** H: at least t share ids that help. */
  readonly helpers: readonly (bigint | number)[];
  /** r: the share id whose share is rebuilt (not a helper). */
  readonly recipient: bigint | number;
  readonly rng?: RandomBytes;
}

/** A checked repair definition. */
export interface RepairDefinition {
  readonly kind: 'repair';
  readonly id: Uint8Array;
  readonly old: ClusterPublicData;
  /** H in ascending order. */
  readonly helpers: readonly ShareIndex[];
  readonly recipient: ShareIndex;
  /** ζ_i = λ_i^H(x_r), parallel to `helpers`. */
  readonly zetas: readonly bigint[];
}

/** Helper i's public message: D_{i→k} per validator, k in helper order, uncompressed. */
export interface RepairContribution {
  readonly helper: ShareIndex;
  readonly deltas: readonly (readonly Uint8Array[])[];
}

/** The deltas helper `from` sends helper `to` (secret), one per validator. */
export interface RepairDeltaBundle {
  readonly from: ShareIndex;
  readonly to: ShareIndex;
  readonly secrets: readonly SecretBytes[];
}

/** Helper k's sums σ_{v,k} for the recipient (secret), one per validator. */
export interface RepairSum {
  readonly helper: ShareIndex;
  readonly secrets: readonly SecretBytes[];
}

/** λ_i(x) for the ids `xs`: Π_{k≠i} (x − x_k)/(x_i − x_k). */
export function lagrangeCoefficientsAt(xs: readonly bigint[], x: bigint): bigint[] {
  const num = xs.map((xi) => xs.reduce((acc, xk) => (xk === xi ? acc : Fr.mul(acc, Fr.sub(x, xk))), 1n));
  const den = xs.map((xi) => xs.reduce((acc, xk) => (xk === xi ? acc : Fr.mul(acc, Fr.sub(xi, xk))), 1n));
  const inv = batchInvert(den);
  return num.map((n, i) => Fr.mul(n, inv[i]!));
}

/**
 * Checks a repair definition.
 * @throws as `decodeClusterPublicData` for the public data; ValidationError `NOT_ENOUGH_DEALERS` (|H| < t),
 *   `INVALID_SHARE_ID` (a helper or recipient that is no share id, or a recipient among the helpers; culprits: it).
 */
export function defineRepair(input: RepairInput): RepairDefinition {
  const old = decodeClusterPublicData(input.validators, input.threshold, 'threshold', input.rng ?? systemRandomBytes);
  const helpers = validateIds(input.helpers, 'helpers');
  helpers.forEach((h, i) => assertMember(old.ids, h, `helpers[${i}]`, 'a share id of the cluster'));
  const [recipient] = validateIds([input.recipient], 'recipient');
  assertMember(old.ids, recipient!, 'recipient', 'a share id of the cluster');
  if (helpers.includes(recipient!)) {
    throw new ValidationError('INVALID_SHARE_ID', `'recipient' ${recipient} is also a helper`, { field: 'recipient', culprits: [recipient!.toString()] });
  }
  if (helpers.length < old.threshold) {
    throw new ValidationError('NOT_ENOUGH_DEALERS', `a repair needs at least t = ${old.threshold} helpers, got ${helpers.length}`, { field: 'helpers' });
  }
  helpers.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const id = definitionDigest('repair', [recipient!], [helpers], old);
  return { kind: 'repair', id, old, helpers, recipient: recipient!, zetas: lagrangeCoefficientsAt(helpers, recipient!) };
}

/**
 * Step 1 by helper `helper` with its own shares (checked first against its public shares).
 * @returns its public contribution and one delta bundle per helper, itself included (the caller wipes them).
 */
export function contributeRepair(
  def: RepairDefinition,
  helper: bigint | number,
  shares: readonly SecretShare[],
  rng: RandomBytes = systemRandomBytes,
): { contribution: RepairContribution; bundles: RepairDeltaBundle[] } {
  const me = BigInt(helper) as ShareIndex;
  assertMember(def.helpers, me, 'helper', 'a helper of this repair');
  const own = checkOwnShares(def.old, me, shares);
  const zeta = def.zetas[def.helpers.indexOf(me)]!;
  const perHelper: SecretBytes[][] = def.helpers.map(() => []);
  const deltas: Uint8Array[][] = [];
  try {
    for (const s of own) {
      let rest = Fr.mul(zeta, s);
      const parts = def.helpers.map((_, k) => {
        if (k === def.helpers.length - 1) return rest;
        const d = randomScalar(rng);
        rest = Fr.sub(rest, d);
        return d;
      });
      rest = 0n;
      deltas.push(parts.map((d) => encodeG1Uncompressed(d === 0n ? G1.ZERO : mulBaseSecret(d))));
      parts.forEach((d, k) => perHelper[k]!.push(encodeScalar(d)));
      parts.fill(0n);
    }
  } finally {
    own.fill(0n);
  }
  return { contribution: { helper: me, deltas }, bundles: def.helpers.map((to, k) => ({ from: me, to, secrets: perHelper[k]! })) };
}

/** Decoded contributions in helper order: points[i][v][k] = D_{i→k} for validator v. */
export interface CheckedContributions {
  readonly points: readonly (readonly (readonly G1Point[])[])[];
}

/**
 * Step 2, by anyone: every helper contributed once, and its deltas sum to ζ_i·Y_{v,i}.
 * @throws ValidationError `DEALER_MISSING` (no culprit; suspects: silent helpers and `coordinator`, decision 0443), `INVALID_SHARE_ID`, `DUPLICATE_SHARE_ID`,
 *   `INVALID_LENGTH` and point errors (culprits: the helper); VerificationError `DEALING_CONSTANT_MISMATCH`
 *   (culprits: the helpers whose deltas do not sum to ζ_i·Y_{v,i}).
 */
export function checkRepairContributions(def: RepairDefinition, contributions: readonly RepairContribution[], rng: RandomBytes = systemRandomBytes): CheckedContributions {
  const at = new Map<bigint, number>();
  contributions.forEach((c, i) => {
    assertMember(def.helpers, c.helper, `contributions[${i}].helper`, 'a helper of this repair');
    if (at.has(c.helper)) throw new ValidationError('DUPLICATE_SHARE_ID', `helper ${c.helper} contributed twice`, { field: `contributions[${i}]`, culprits: [c.helper.toString()] });
    at.set(c.helper, i);
  });
  const missing = def.helpers.filter((h) => !at.has(h));
  if (missing.length > 0) throw omissionError('DEALER_MISSING', `no contribution from helper ${missing.join(', ')}`, 'helper', missing, 'contributions', 'the repair aborts');
  const V = def.old.validators.length;
  const H = def.helpers.length;
  const points = def.helpers.map((helper) => {
    const i = at.get(helper)!;
    const c = contributions[i]!;
    return blameDecode(helper, () => {
      if (c.deltas.length !== V) throw new ValidationError('INVALID_LENGTH', `'contributions[${i}].deltas' has ${c.deltas.length} entries for ${V} validators`, { field: `contributions[${i}].deltas` });
      return c.deltas.map((ds, v) => {
        if (ds.length !== H) throw new ValidationError('INVALID_LENGTH', `'contributions[${i}].deltas[${v}]' has ${ds.length} points for ${H} helpers`, { field: `contributions[${i}].deltas[${v}]` });
        return ds.map((d, k) => decodeG1UncheckedSubgroup(d, `contributions[${i}].deltas[${v}][${k}]`, true));
      });
    });
  });
  const bad: { helper: ShareIndex; v: number }[] = [];
  def.helpers.forEach((helper, hi) => {
    const sums = points[hi]!.map((ds) => ds.reduce((acc, d) => acc.add(d), G1.ZERO));
    const own = def.old.validators.map((val) => val.shares.get(helper)!);
    const w = sums.map(() => randomWeight(rng));
    // Up to cofactor torsion (decision 0421): the deltas are not subgroup-checked one by one, and an exact check under
    // random weights would let torsion decide, differently for each checker (attack a07).
    if (isZeroModTorsion(msmG1(sums, w).subtract(msmG1(own, w).multiplyUnsafe(def.zetas[hi]!)))) return;
    sums.forEach((sum, v) => {
      if (!isZeroModTorsion(sum.subtract(own[v]!.multiplyUnsafe(def.zetas[hi]!)))) bad.push({ helper, v });
    });
  });
  if (bad.length > 0) {
    const culprits = [...new Set(bad.map((b) => b.helper.toString()))];
    throw new VerificationError('DEALING_CONSTANT_MISMATCH', `the deltas of helper ${culprits.join(', ')} do not sum to ζ_i times its public share (validator ${bad[0]!.v})`, {
      field: `contributions[${at.get(bad[0]!.helper)!}].deltas[${bad[0]!.v}]`,
      culprits,
    });
  }
  return { points };
}

/**
 * Step 3 by helper `me`: checks the deltas it received against the public D's and sums them for the recipient.
 * @throws as {@link checkRepairContributions}; ValidationError `DEALER_MISSING` (no deltas from a helper);
 *   VerificationError `SUB_SHARE_INVALID` (culprits: the helpers whose delta does not match its D).
 */
export function repairSum(
  def: RepairDefinition,
  me: bigint | number,
  contributions: readonly RepairContribution[],
  bundles: readonly RepairDeltaBundle[],
  rng: RandomBytes = systemRandomBytes,
): RepairSum {
  const k = BigInt(me) as ShareIndex;
  assertMember(def.helpers, k, 'me', 'a helper of this repair');
  const ki = def.helpers.indexOf(k);
  const checked = checkRepairContributions(def, contributions, rng);
  const byFrom = new Map<bigint, { bundle: RepairDeltaBundle; at: number }>();
  bundles.forEach((b, i) => {
    if (b.to !== k) throw new ValidationError('INVALID_SHARE_ID', `'deltas[${i}]' is for ${b.to}, not ${k}`, { field: `deltas[${i}].to` });
    if (byFrom.has(b.from)) throw new ValidationError('DUPLICATE_SHARE_ID', `two delta bundles from helper ${b.from}`, { field: `deltas[${i}]`, culprits: [b.from.toString()] });
    byFrom.set(b.from, { bundle: b, at: i });
  });
  const missing = def.helpers.filter((h) => !byFrom.has(h));
  if (missing.length > 0) throw omissionError('DEALER_MISSING', `no deltas from helper ${missing.join(', ')}`, 'helper', missing, 'deltas', 'the repair aborts');
  const V = def.old.validators.length;
  const claims: SubShareClaim[] = [];
  const fields: string[] = [];
  const owners: ShareIndex[] = [];
  def.helpers.forEach((from, fi) => {
    const { bundle, at } = byFrom.get(from)!;
    if (bundle.secrets.length !== V) throw new ValidationError('INVALID_LENGTH', `'deltas[${at}].secrets' has ${bundle.secrets.length} entries for ${V} validators`, { field: `deltas[${at}].secrets`, culprits: [from.toString()] });
    bundle.secrets.forEach((value, v) => {
      const field = `deltas[${at}].secrets[${v}]`;
      blameDecode(from, () => decodeScalar(value, field, { allowZero: true }));
      claims.push({ value, commitments: [checked.points[fi]![v]![ki]!], x: 1n });
      fields.push(field);
      owners.push(from);
    });
  });
  const bad = failingClaims(claims, fields, rng);
  if (bad.length > 0) {
    const culprits = [...new Set(bad.map((i) => owners[i]!.toString()))];
    throw new VerificationError('SUB_SHARE_INVALID', `the delta of helper ${culprits.join(', ')} does not match its public commitment`, { field: fields[bad[0]!]!, culprits });
  }
  const secrets: SecretBytes[] = [];
  for (let v = 0; v < V; v++) {
    let sigma = 0n;
    for (const from of def.helpers) sigma = Fr.add(sigma, decodeScalar(byFrom.get(from)!.bundle.secrets[v]!, 'deltas.secrets', { allowZero: true }));
    secrets.push(encodeScalar(sigma));
    sigma = 0n;
  }
  return { helper: k, secrets };
}

/**
 * Step 4 by the recipient: checks every helper's sum and the rebuilt share against its public share.
 * @returns the recipient's share of every validator (the caller writes its keystores, then wipes them).
 * @throws as {@link checkRepairContributions}; ValidationError `DEALER_MISSING` (no sum from a helper);
 *   VerificationError `SUB_SHARE_INVALID` (culprits: helpers whose σ_k·G1 ≠ Σ_i D_{i→k}),
 *   `REPAIRED_SHARE_MISMATCH` (s_r·G1 ≠ Y_{v,r}; nothing may be written).
 */
export function completeRepair(
  def: RepairDefinition,
  contributions: readonly RepairContribution[],
  sums: readonly RepairSum[],
  rng: RandomBytes = systemRandomBytes,
): SecretShare[] {
  const checked = checkRepairContributions(def, contributions, rng);
  const at = new Map<bigint, number>();
  sums.forEach((s, i) => {
    assertMember(def.helpers, s.helper, `sums[${i}].helper`, 'a helper of this repair');
    if (at.has(s.helper)) throw new ValidationError('DUPLICATE_SHARE_ID', `two sums from helper ${s.helper}`, { field: `sums[${i}]`, culprits: [s.helper.toString()] });
    at.set(s.helper, i);
  });
  const missing = def.helpers.filter((h) => !at.has(h));
  if (missing.length > 0) throw omissionError('DEALER_MISSING', `no sum from helper ${missing.join(', ')}`, 'helper', missing, 'sums', 'the repair aborts');
  const V = def.old.validators.length;
  const claims: SubShareClaim[] = [];
  const fields: string[] = [];
  const owners: ShareIndex[] = [];
  def.helpers.forEach((helper, ki) => {
    const i = at.get(helper)!;
    const sum = sums[i]!;
    if (sum.secrets.length !== V) throw new ValidationError('INVALID_LENGTH', `'sums[${i}].secrets' has ${sum.secrets.length} entries for ${V} validators`, { field: `sums[${i}].secrets`, culprits: [helper.toString()] });
    sum.secrets.forEach((value, v) => {
      const field = `sums[${i}].secrets[${v}]`;
      blameDecode(helper, () => decodeScalar(value, field, { allowZero: true }));
      const expected = checked.points.reduce((acc, perHelper) => acc.add(perHelper[v]![ki]!), G1.ZERO);
      claims.push({ value, commitments: [expected], x: 1n });
      fields.push(field);
      owners.push(helper);
    });
  });
  const bad = failingClaims(claims, fields, rng);
  if (bad.length > 0) {
    const culprits = [...new Set(bad.map((i) => owners[i]!.toString()))];
    throw new VerificationError('SUB_SHARE_INVALID', `the sum of helper ${culprits.join(', ')} does not match the deltas it received`, { field: fields[bad[0]!]!, culprits });
  }
  const out: SecretShare[] = [];
  for (let v = 0; v < V; v++) {
    let s = 0n;
    for (const helper of def.helpers) s = Fr.add(s, decodeScalar(sums[at.get(helper)!]!.secrets[v]!, 'sums.secrets', { allowZero: true }));
    if (s === 0n || !mulBaseSecret(s).equals(def.old.validators[v]!.shares.get(def.recipient)!)) {
      s = 0n;
      for (const share of out) share.secret.fill(0);
      throw new VerificationError('REPAIRED_SHARE_MISMATCH', `validator ${v}: the repaired share of ${def.recipient} does not match its public share; nothing may be written`, {
        field: `validators[${v}].publicShares`,
      });
    }
    out.push({ id: def.recipient, secret: encodeScalar(s) });
    s = 0n;
  }
  return out;
}
