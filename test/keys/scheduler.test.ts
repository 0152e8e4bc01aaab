/**
 * The shared KDF admission queue: memory in flight within the bound across batches, FIFO order, a job over the
 * bound alone, abort while waiting. No timing: jobs are promises the test settles by hand.
 */
import { describe, expect, it } from 'vitest';
import { runPool, type PoolJob } from '../../src/keys/batch.js';
import { MAX_CONCURRENT_KDF_MEMORY_BYTES, scryptMemoryBytes } from '../../src/keys/limits.js';
import { KdfScheduler, type KdfRelease, type KdfSchedulerState } from '../../src/keys/scheduler.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('KdfScheduler', () => {
  it('admits in order while the memory fits, a job over the bound alone, and frees on release', async () => {
    const states: KdfSchedulerState[] = [];
    const s = new KdfScheduler({ maxMemory: 10, observer: (st) => states.push(st) });
    const got: (KdfRelease | undefined)[] = [];
    const ask = (m: number): void => void s.admit(m).then((r) => got.push(r));
    ask(6);
    ask(4);
    ask(1); // 6 + 4 + 1 > 10: waits
    ask(20); // over the bound: only alone
    ask(0); // behind the big one (first come, first served)
    await flush();
    expect(got).toHaveLength(2);
    expect(s.state).toEqual({ jobs: 2, memory: 10, waiting: 3 });
    got[0]!();
    got[0]!(); // a second release does nothing
    await flush();
    expect(got).toHaveLength(3);
    expect(s.state).toEqual({ jobs: 2, memory: 5, waiting: 2 });
    got[1]!();
    got[2]!();
    await flush();
    expect(got).toHaveLength(4); // the big one, alone
    expect(s.state).toEqual({ jobs: 1, memory: 20, waiting: 1 });
    got[3]!();
    await flush();
    expect(got).toHaveLength(5);
    expect(Math.max(...states.filter((st) => st.jobs > 1).map((st) => st.memory))).toBeLessThanOrEqual(10);
  });

  it('a waiter whose signal aborts leaves the queue with undefined and unblocks the ones behind it', async () => {
    const s = new KdfScheduler({ maxMemory: 10 });
    const first = await s.admit(8);
    const ctl = new AbortController();
    const blocked = s.admit(5, ctl.signal);
    let small: KdfRelease | undefined;
    void s.admit(2).then((r) => (small = r));
    await flush();
    expect(small).toBeUndefined(); // behind the 5
    ctl.abort();
    expect(await blocked).toBeUndefined();
    await flush();
    expect(small).toBeTypeOf('function');
    expect(await s.admit(1, AbortSignal.abort())).toBeUndefined();
    first!();
  });

  it('two pools sharing one scheduler keep their scrypt memory together within the bound', async () => {
    const memory = scryptMemoryBytes(2 ** 18, 8, 1);
    let peak = 0;
    let admitted = 0;
    const s = new KdfScheduler({
      observer: (st) => {
        peak = Math.max(peak, st.memory);
        admitted = Math.max(admitted, st.jobs);
      },
    });
    const pending: (() => void)[] = [];
    const run = (): Promise<number> => new Promise((r) => pending.push(() => r(1)));
    const jobs = Array.from({ length: 8 }, (): PoolJob => ({ kind: 'scrypt', memory }));
    const a = runPool(jobs, 4, { scheduler: s }, run, () => undefined);
    const b = runPool(jobs, 4, { scheduler: s }, run, () => undefined);
    for (let round = 0; round < 20; round++) {
      await flush();
      const now = pending.splice(0);
      if (now.length === 0) break;
      now.forEach((f) => f());
    }
    expect(await a).toHaveLength(8);
    expect(await b).toHaveLength(8);
    expect(admitted).toBe(4); // each pool asks for 4, so 8 would run without the shared bound
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENT_KDF_MEMORY_BYTES);
  });
});
