/**
 * Tamper tests of refresh and of repair's helper-blame paths: one injected fault gives one exact code, field and
 * culprit, and no share comes out.
 */
import { describe, expect, it } from 'vitest';
import { G1 } from '../../src/bls/group.js';
import { decodeG1UncheckedSubgroup, encodeG1Uncompressed } from '../../src/bls/uncompressed.js';
import { combineRefresh, dealRefresh, defineRefresh, type RefreshBundle, type RefreshDealing } from '../../src/lifecycle/refresh.js';
import { completeRepair, contributeRepair, defineRepair, repairSum, type RepairContribution, type RepairDeltaBundle, type RepairSum } from '../../src/lifecycle/repair.js';
import { SecretBytes } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-tamper-2');
const cluster = makeCluster(3, 5, 2, rng);
const other = makeCluster(3, 5, 2, rng);
const flip = (b: Uint8Array): SecretBytes => {
  const c = SecretBytes.copyOf(b);
  c[31]! ^= 1;
  return c;
};
const plusG = (p: Uint8Array): Uint8Array => encodeG1Uncompressed(decodeG1UncheckedSubgroup(p, 'p', true).add(G1.BASE));

describe('tamper: refresh', () => {
  const def = defineRefresh({ threshold: 3, validators: cluster.validators, rng });
  const dealt = def.participants.map((p) => dealRefresh(def, p, rng));
  const dealings = dealt.map((d) => d.dealing);
  const bundlesFor = (j: bigint): RefreshBundle[] => dealt.flatMap((d) => d.bundles).filter((b) => b.recipient === j);
  const combine = (j: bigint, ds: readonly RefreshDealing[] = dealings, bs: readonly RefreshBundle[] = bundlesFor(j)) => combineRefresh(def, cluster.sharesById.get(j)!, ds, bs, rng);

  it('the untampered run combines (the baseline of every case below)', () => {
    expect(combine(4n).shares.map((s) => s.id)).toEqual([4n, 4n]);
  });
  it('a wrong zero-share: SUB_SHARE_INVALID naming its dealer and the exact sub-share', () => {
    const bs = bundlesFor(4n).map((b) => (b.dealer === 2n ? { ...b, secrets: b.secrets.map((s, v) => (v === 1 ? flip(s) : s)) } : b));
    const e = thrown(() => combine(4n, dealings, bs));
    expect([e.code, e.field, e.culprits]).toEqual(['SUB_SHARE_INVALID', 'subShares[1].secrets[1]', ['2']]);
  });
  it('commitments that do not match the zero-shares (a hidden nonzero constant): SUB_SHARE_INVALID naming the dealer', () => {
    const ds = dealings.map((d) => (d.dealer === 3n ? { ...d, commitments: d.commitments.map((cs, v) => (v === 0 ? [plusG(cs[0]!), ...cs.slice(1)] : cs)) } : d));
    const e = thrown(() => combine(1n, ds));
    expect([e.code, e.field, e.culprits]).toEqual(['SUB_SHARE_INVALID', 'subShares[2].secrets[0]', ['3']]);
  });
  it('a dealing with the constant commitment included (t points): INVALID_LENGTH naming the dealer', () => {
    const ds = dealings.map((d) => (d.dealer === 2n ? { ...d, commitments: d.commitments.map((cs) => [encodeG1Uncompressed(G1.BASE), ...cs]) } : d));
    const e = thrown(() => combine(1n, ds));
    expect([e.code, e.field, e.culprits]).toEqual(['INVALID_LENGTH', 'dealings[1].commitments[0]', ['2']]);
  });
  it('a commitment that is no curve point: INVALID_POINT naming the dealer', () => {
    const bad = new Uint8Array(96).fill(7);
    const ds = dealings.map((d) => (d.dealer === 5n ? { ...d, commitments: d.commitments.map((cs, v) => (v === 1 ? [cs[0]!, bad] : cs)) } : d));
    const e = thrown(() => combine(1n, ds));
    expect([e.code, e.field, e.culprits]).toEqual(['INVALID_POINT', 'dealings[4].commitments[1][1]', ['5']]);
  });
  it('a participant without a dealing: DEALER_MISSING, no culprit; suspects: it and the coordinator', () => {
    const e = thrown(() => combine(1n, dealings.filter((d) => d.dealer !== 5n)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['DEALER_MISSING', 'dealings', [], ['5', 'coordinator']]);
    expect(e.message).toMatch(/^no dealing from participant 5: nothing is proven .*suspects, not culprits: participant 5 or the coordinator; the refresh aborts$/);
  });
  it('a participant without zero-shares: DEALER_MISSING, no culprit; suspects: it and the coordinator', () => {
    const e = thrown(() => combine(1n, dealings, bundlesFor(1n).filter((b) => b.dealer !== 3n)));
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['DEALER_MISSING', 'subShares', [], ['3', 'coordinator']]);
  });
  it('a participant with a share of another cluster: SHARE_MISMATCH naming it, before anything is combined', () => {
    const e = thrown(() => combineRefresh(def, other.sharesById.get(2n)!, dealings, bundlesFor(2n), rng));
    expect([e.code, e.field, e.culprits]).toEqual(['SHARE_MISMATCH', 'shares[0]', ['2']]);
  });
  it('a wrong threshold, too few participants, or a stranger: refused in the definition', () => {
    const bare = cluster.validators.map((v) => ({ groupPublicKey: v.groupPublicKey, publicShares: v.publicShares }));
    const e1 = thrown(() => defineRefresh({ threshold: 2, validators: bare, rng }));
    expect([e1.code, e1.field]).toEqual(['DEGREE_CHECK_FAILED', 'validators[0]']);
    const e2 = thrown(() => defineRefresh({ threshold: 3, validators: cluster.validators, participants: [1, 2], rng }));
    expect([e2.code, e2.field]).toEqual(['NOT_ENOUGH_DEALERS', 'participants']);
    const e3 = thrown(() => defineRefresh({ threshold: 3, validators: cluster.validators, participants: [1, 2, 9], rng }));
    expect([e3.code, e3.field, e3.culprits]).toEqual(['INVALID_SHARE_ID', 'participants[2]', ['9']]);
  });
});

describe('tamper: repair helper blame', () => {
  const def = defineRepair({ threshold: 3, validators: cluster.validators, helpers: [1, 2, 4], recipient: 5, rng });
  const c = def.helpers.map((h) => contributeRepair(def, h, cluster.sharesById.get(h)!, rng));
  const contributions = c.map((x) => x.contribution);
  const deltasTo = (k: bigint): RepairDeltaBundle[] => c.flatMap((x) => x.bundles).filter((b) => b.to === k);
  const sums = (cs: readonly RepairContribution[] = contributions): RepairSum[] => def.helpers.map((k) => repairSum(def, k, cs, deltasTo(k), rng));

  it('the untampered run rebuilds the share (the baseline of every case below)', () => {
    expect(completeRepair(def, contributions, sums(), rng).map((s) => s.secret)).toEqual(cluster.sharesById.get(5n)!.map((s) => s.secret));
  });
  it('a helper whose deltas do not sum to ζ_i·Y_i: DEALING_CONSTANT_MISMATCH naming it', () => {
    const cs = contributions.map((x) => (x.helper === 2n ? { ...x, deltas: x.deltas.map((ds, v) => (v === 1 ? [plusG(ds[0]!), ...ds.slice(1)] : ds)) } : x));
    const e = thrown(() => repairSum(def, 4n, cs, deltasTo(4n), rng));
    expect([e.code, e.field, e.culprits]).toEqual(['DEALING_CONSTANT_MISMATCH', 'contributions[1].deltas[1]', ['2']]);
    expect(thrown(() => completeRepair(def, cs, sums(), rng)).culprits).toEqual(['2']);
  });
  it('a helper that sends another helper a delta not matching its commitment: SUB_SHARE_INVALID naming the sender', () => {
    const bs = deltasTo(2n).map((b) => (b.from === 4n ? { ...b, secrets: b.secrets.map((s, v) => (v === 0 ? flip(s) : s)) } : b));
    const e = thrown(() => repairSum(def, 2n, contributions, bs, rng));
    expect([e.code, e.field, e.culprits]).toEqual(['SUB_SHARE_INVALID', 'deltas[2].secrets[0]', ['4']]);
  });
  it('a helper that sends the recipient a wrong sum: SUB_SHARE_INVALID naming that helper, no share out', () => {
    const good = sums();
    const bad = good.map((s) => (s.helper === 4n ? { ...s, secrets: s.secrets.map((x, v) => (v === 1 ? flip(x) : x)) } : s));
    const e = thrown(() => completeRepair(def, contributions, bad, rng));
    expect([e.code, e.field, e.culprits]).toEqual(['SUB_SHARE_INVALID', 'sums[2].secrets[1]', ['4']]);
  });
  it('a helper without a contribution, deltas or a sum: DEALER_MISSING, no culprit; suspects: it and the coordinator', () => {
    const e1 = thrown(() => repairSum(def, 1n, contributions.filter((x) => x.helper !== 4n), deltasTo(1n), rng));
    expect([e1.code, e1.field, e1.culprits, e1.suspects]).toEqual(['DEALER_MISSING', 'contributions', [], ['4', 'coordinator']]);
    const e2 = thrown(() => repairSum(def, 1n, contributions, deltasTo(1n).filter((b) => b.from !== 2n), rng));
    expect([e2.code, e2.field, e2.culprits, e2.suspects]).toEqual(['DEALER_MISSING', 'deltas', [], ['2', 'coordinator']]);
    const e3 = thrown(() => completeRepair(def, contributions, sums().filter((s) => s.helper !== 1n), rng));
    expect([e3.code, e3.field, e3.culprits, e3.suspects]).toEqual(['DEALER_MISSING', 'sums', [], ['1', 'coordinator']]);
    expect(e3.message).toBe('no sum from helper 1: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: helper 1 or the coordinator; the repair aborts');
  });
  it('a helper with a share of another cluster is refused before it sends anything', () => {
    const e = thrown(() => contributeRepair(def, 2n, other.sharesById.get(2n)!, rng));
    expect([e.code, e.field, e.culprits]).toEqual(['SHARE_MISMATCH', 'shares[0]', ['2']]);
  });
  it('too few helpers, or the recipient among them: refused in the definition', () => {
    const e1 = thrown(() => defineRepair({ threshold: 3, validators: cluster.validators, helpers: [1, 2], recipient: 5, rng }));
    expect([e1.code, e1.field]).toEqual(['NOT_ENOUGH_DEALERS', 'helpers']);
    const e2 = thrown(() => defineRepair({ threshold: 3, validators: cluster.validators, helpers: [1, 2, 5], recipient: 5, rng }));
    expect([e2.code, e2.field, e2.culprits]).toEqual(['INVALID_SHARE_ID', 'recipient', ['5']]);
  });
});
