/** Tamper tests of the lifecycle steps: one injected fault gives one exact code, field and culprit. */
import { describe, expect, it } from 'vitest';
import { simulateReshare, type LifecycleFault } from '../../src/lifecycle/simulate.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { completeRepair, contributeRepair, defineRepair, repairSum, type RepairDefinition } from '../../src/lifecycle/repair.js';
import { G1 } from '../../src/bls/group.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-tamper');
const cluster = makeCluster(3, 5, 2, rng);
const base = { oldThreshold: 3, validators: cluster.validators, dealers: [1, 2, 3, 4], newThreshold: 3, newShares: 4, oldShares: cluster.sharesById, rng };
const run = (faults: LifecycleFault[]) => thrown(() => simulateReshare({ ...base, faults }));

describe('tamper: reshare', () => {
  it('a dealer whose constant is not λ_i·Y_i: DEALING_CONSTANT_MISMATCH naming it', () => {
    const e = run([{ kind: 'wrong-constant', dealer: 2, v: 1 }]);
    expect([e.code, e.field, e.culprits]).toEqual(['DEALING_CONSTANT_MISMATCH', 'dealings[1].commitments[1][0]', ['2']]);
  });
  it('a bad sub-share: SUB_SHARE_INVALID naming the dealer', () => {
    const e = run([{ kind: 'bad-sub-share', dealer: 3, recipient: 2, v: 0 }]);
    expect([e.code, e.culprits]).toEqual(['SUB_SHARE_INVALID', ['3']]);
    expect(e.field).toMatch(/^subShares\[2\]\.secrets\[0\]$/);
  });
  it('a missing dealer: DEALER_MISSING, no culprit; suspects: it and the coordinator (decision 0443)', () => {
    const e = run([{ kind: 'missing-dealer', dealer: 4 }]);
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['DEALER_MISSING', 'dealings', [], ['4', 'coordinator']]);
    expect(e.message).toBe('no dealing from dealer 4: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: dealer 4 or the coordinator; the reshare aborts');
  });
  it('a new holder without partials: HANDOVER_INCOMPLETE, no culprit; suspects: it and the coordinator', () => {
    const e = run([{ kind: 'withhold-partial', member: 3 }]);
    expect([e.code, e.field, e.culprits, e.suspects]).toEqual(['HANDOVER_INCOMPLETE', 'partials', [], ['3', 'coordinator']]);
    expect(e.message).toBe('no reshare-complete partials from new holder 3: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: new holder 3 or the coordinator; old shares must not be deleted');
  });
  it('a wrong reshare-complete partial: PARTIAL_SIGNATURE_INVALID naming the holder', () => {
    const e = run([{ kind: 'bad-partial', member: 1, v: 1 }]);
    expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['1']]);
  });
  it('fewer than t_old dealers: NOT_ENOUGH_DEALERS', () => {
    const e = thrown(() => defineReshare({ ...base, dealers: [1, 2] }));
    expect([e.code, e.field]).toEqual(['NOT_ENOUGH_DEALERS', 'dealers']);
  });
  it('a wrong old threshold (downgrade): DEGREE_CHECK_FAILED naming the validator', () => {
    // With commitments (a dvkeys manifest) their count already refuses it; without (a Charon lock) the degree tests do.
    const withC = thrown(() => defineReshare({ ...base, oldThreshold: 2, dealers: [1, 2] }));
    expect([withC.code, withC.field]).toEqual(['INVALID_LENGTH', 'validators[0].commitments']);
    const bare = cluster.validators.map((v) => ({ groupPublicKey: v.groupPublicKey, publicShares: v.publicShares }));
    for (const oldThreshold of [2, 4]) {
      const e = thrown(() => defineReshare({ ...base, validators: bare, oldThreshold, dealers: [1, 2, 3, 4] }));
      expect([e.code, e.field]).toEqual(['DEGREE_CHECK_FAILED', 'validators[0]']);
      expect(e.message).toMatch(/oldThreshold/);
    }
  });
  it('an unsafe new allocation is refused with the reason; t\' = n\' too', () => {
    const e = thrown(() => defineReshare({ ...base, newThreshold: 2 }));
    expect([e.code, e.field]).toEqual(['UNSAFE_THRESHOLD', 'newThreshold']);
    expect(e.message).toMatch(/2t <= n/);
    expect(thrown(() => defineReshare({ ...base, newThreshold: 4 })).message).toMatch(/no fault tolerance/);
  });
  it('a dealer with shares of another cluster: SHARE_MISMATCH naming it', () => {
    const other = makeCluster(3, 5, 2, rng);
    const e = thrown(() => simulateReshare({ ...base, oldShares: new Map([...cluster.sharesById, [2n, other.sharesById.get(2n)!]]) }));
    expect([e.code, e.field, e.culprits]).toEqual(['SHARE_MISMATCH', 'shares[0]', ['2']]);
  });
});

describe('tamper: repair', () => {
  it('a repaired share that does not match its public share: REPAIRED_SHARE_MISMATCH, nothing returned', () => {
    const def = defineRepair({ threshold: 3, validators: cluster.validators, helpers: [1, 2, 3], recipient: 5, rng });
    const c = def.helpers.map((h) => contributeRepair(def, h, cluster.sharesById.get(h)!, rng));
    const contributions = c.map((x) => x.contribution);
    const sums = def.helpers.map((k) => repairSum(def, k, contributions, c.flatMap((x) => x.bundles).filter((b) => b.to === k), rng));
    // The recipient's copy of Y_r differs from the one the helpers' public data implies.
    const shares = new Map(def.old.validators[0]!.shares);
    shares.set(5n, shares.get(5n)!.add(G1.BASE));
    const tampered: RepairDefinition = { ...def, old: { ...def.old, validators: [{ ...def.old.validators[0]!, shares }, def.old.validators[1]!] } };
    const e = thrown(() => completeRepair(tampered, contributions, sums, rng));
    expect([e.code, e.field, e.culprits]).toEqual(['REPAIRED_SHARE_MISMATCH', 'validators[0].publicShares', []]);
  });
});
