import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from '../../src/safety/index.js';
import { bruteFigures, bruteKey, cmpKey } from './brute-force.js';

/** Every allocation (no symmetry assumed) and every threshold, scored with the brute-force oracle. */
function bruteSpace(maxes: readonly number[], budget: number) {
  const out: { w: number[]; t: number; key: number[]; canon: string }[] = [];
  const w = maxes.map(() => 1);
  const canonical = (v: readonly number[]) => {
    // Operators with equal limits are interchangeable: sort shares within each equal-limit group.
    const groups = new Map<number, number[]>();
    v.forEach((x, i) => groups.set(maxes[i]!, [...(groups.get(maxes[i]!) ?? []), x]));
    return [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([m, xs]) => `${m}:${[...xs].sort((a, b) => b - a).join('.')}`)
      .join('|');
  };
  for (;;) {
    const n = w.reduce((s, x) => s + x, 0);
    if (n <= budget) {
      for (let t = 1; t <= n; t++) {
        const f = bruteFigures(w, t);
        if (f.splitBrainSafe) out.push({ w: [...w], t, key: bruteKey(f, n), canon: `${canonical(w)}/${t}` });
      }
    }
    let i = 0;
    while (i < w.length && w[i] === maxes[i]) w[i++] = 1;
    if (i === w.length) return out;
    w[i]!++;
  }
}

const input = fc.record({
  maxes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
  budget: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  top: fc.integer({ min: 1, max: 8 }),
});

describe('the planner against the brute-force space', () => {
  it('its ranked list is the best distinct choices of the brute-force space, in order, and nothing beats #1', () => {
    fc.assert(
      fc.property(input, ({ maxes, budget, top }) => {
        const m = maxes.length;
        const cap = budget === undefined ? undefined : m + budget; // at least one share each
        const operators = maxes.map((x, i) => ({ name: `op${i}`, maxShares: x }));
        const p = plan({ operators, maxTotalShares: cap, top } satisfies PlanInput);
        const space = bruteSpace(maxes, cap ?? Infinity);
        // #1 is never beaten by any allocation under the planner's own ordering.
        const first = p.candidates[0]!;
        const firstKey = bruteKey(bruteFigures(first.allocation.map((o) => o.shares), first.threshold), first.shares);
        for (const s of space) expect(cmpKey(s.key, firstKey)).toBeLessThanOrEqual(0);
        // The whole list: the top keys of the space, one entry per choice up to interchangeable operators.
        const distinct = new Map<string, number[]>();
        for (const s of space) distinct.set(s.canon, s.key);
        const expected = [...distinct.values()].sort((a, b) => cmpKey(b, a)).slice(0, top);
        const got = p.candidates.map((c) => {
          const w = c.allocation.map((o) => o.shares);
          const f = bruteFigures(w, c.threshold);
          expect(f.splitBrainSafe).toBe(true);
          expect(w.every((x, i) => x >= 1 && x <= maxes[i]!)).toBe(true);
          expect(c.shares).toBe(w.reduce((s, x) => s + x, 0));
          if (cap !== undefined) expect(c.shares).toBeLessThanOrEqual(cap);
          return bruteKey(f, c.shares);
        });
        expect(got).toEqual(expected);
        expect(p.searched.safeChoices).toBe(distinct.size);
      }),
      { numRuns: 300 },
    );
  });

  it('with two operators nothing survives either one going offline, and the planner says so', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (a, b) => {
        const p = plan({ operators: [{ name: 'a', maxShares: a }, { name: 'b', maxShares: b }], top: 50 });
        expect(bruteSpace([a, b], Infinity).every((s) => s.key[0] === 0)).toBe(true);
        expect(p.candidates.every((c) => c.analysis.crashTolerance.operators === 0)).toBe(true);
        expect(p.limits.map((l) => l.code)).toContain('TWO_OPERATORS');
      }),
      { numRuns: 30 },
    );
  });

  it('the best operator crash tolerance is floor((m-1)/2), as the stated bound says', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 6 }), (maxes) => {
        const p = plan({ operators: maxes.map((x, i) => ({ name: `op${i}`, maxShares: x })) });
        expect(p.candidates[0]!.analysis.crashTolerance.operators).toBe(Math.floor((maxes.length - 1) / 2));
        expect(p.limits.map((l) => l.code)).toContain('OPERATOR_CRASH_BOUND');
      }),
      { numRuns: 40 },
    );
  });
});
