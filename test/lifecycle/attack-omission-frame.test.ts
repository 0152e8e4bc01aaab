/**
 * Attack (decision 0443): the coordinator drops an honest party's message (a dealing, a sum, a handover set) to get
 * it named culprit, so that a retry "without the culprit" drops it. Every omission abort now names no culprit; the
 * silent party and the coordinator are suspects.
 */
import { describe, expect, it } from 'vitest';
import { simulateReshare } from '../../src/lifecycle/simulate.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('attack-omission-frame');
const cluster = makeCluster(2, 3, 1, rng);

describe('attack: the coordinator withholds an honest message', () => {
  it('a dropped reshare dealing or handover set names nobody', () => {
    const base = { oldThreshold: 2, validators: cluster.validators, oldShares: cluster.sharesById, dealers: [1, 2], newThreshold: 2, newShares: 3, rng };
    for (const [faults, code, silent] of [
      [[{ kind: 'missing-dealer', dealer: 2 }], 'DEALER_MISSING', '2'],
      [[{ kind: 'withhold-partial', member: 1 }], 'HANDOVER_INCOMPLETE', '1'],
    ] as const) {
      const e = thrown(() => simulateReshare({ ...base, faults: [...faults] }));
      expect([e.code, e.culprits, e.suspects]).toEqual([code, [], [silent, 'coordinator']]);
    }
  });
});
