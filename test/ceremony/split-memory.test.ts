/**
 * Issue 14: every KDF job of a split goes through one scheduler, so the scrypt memory of all the batches in flight
 * together stays within its bound. Counted with an observer on the injected scheduler (no timing).
 */
import { describe, expect, it } from 'vitest';
import { encodeScalar } from '../../src/bls/field.js';
import { runSplit } from '../../src/ceremony/split.js';
import { scryptMemoryBytes } from '../../src/keys/limits.js';
import { KdfScheduler } from '../../src/keys/scheduler.js';
import { insecureTestRng } from '../helpers/rng.js';

const OPERATORS = [1, 2, 3, 4].map((i) => ({ index: i, name: `op-${i}`, group: `op-${i}` }));

describe('runSplit memory bound', () => {
  it('admits every share encryption through the one scheduler and never holds more scrypt memory than its bound', async () => {
    const job = scryptMemoryBytes(16, 8, 1);
    let peak = 0;
    let admissions = 0;
    let jobs = 0;
    const scheduler = new KdfScheduler({
      maxMemory: 3 * job, // four shares per validator and two validators in flight would ask for 8 jobs at once
      observer: (st) => {
        if (st.jobs > jobs) admissions++;
        jobs = st.jobs;
        peak = Math.max(peak, st.memory);
      },
    });
    const V = 5;
    const out = await runSplit({
      validators: Array.from({ length: V }, (_, v) => ({ secret: encodeScalar(BigInt(1000 + v)), source: `v${v}` })),
      operators: OPERATORS,
      threshold: 3,
      kdf: 'scrypt',
      kdfParams: { n: 16 },
      sharePassword: 'share password',
      rng: insecureTestRng('split memory'),
      scheduler,
    });
    expect(out.manifest.validators).toHaveLength(V);
    expect(admissions).toBe(V * OPERATORS.length);
    expect(peak).toBe(3 * job); // the bound is reached and never passed
    expect(scheduler.state).toEqual({ jobs: 0, memory: 0, waiting: 0 });
  });
});
