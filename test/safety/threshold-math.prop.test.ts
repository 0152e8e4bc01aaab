import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type PartitionWitness } from '../../src/safety/index.js';
import { bruteFigures, bruteNodeLevel } from './brute-force.js';

/**
 * Up to 12 operators and at most 30 shares, plus a threshold 1..n. Half the cases draw 1..3 shares per operator
 * so that 10-12 operators are common; the others 1..8.
 */
const allocation = (maxOps = 12, maxShares = 30) =>
  fc
    .constantFrom(3, 8)
    .chain((maxW) => fc.array(fc.integer({ min: 1, max: maxW }), { minLength: 1, maxLength: maxOps }))
    .map((w) => {
      const out: number[] = [];
      let total = 0;
      for (const x of w) {
        if (total + x > maxShares) continue;
        out.push(x);
        total += x;
      }
      return out;
    })
    .chain((w) => fc.record({ w: fc.constant(w), t: fc.integer({ min: 1, max: w.reduce((s, x) => s + x, 0) }) }));

const withDomains = allocation().chain(({ w, t }) =>
  fc.record({
    w: fc.constant(w),
    t: fc.constant(t),
    domains: fc.array(fc.option(fc.constantFrom('dc1', 'dc2', 'home'), { nil: undefined }), {
      minLength: w.length,
      maxLength: w.length,
    }),
  }),
);

const ops = (w: readonly number[], domains?: readonly (string | undefined)[]) =>
  w.map((shares, i) => ({ name: `op${i}`, shares, failureDomain: domains?.[i] }));

function run(w: readonly number[], t: number, domains?: readonly (string | undefined)[]): Analysis {
  return analyze({ threshold: t, operators: ops(w, domains) });
}

function checkPartition(p: PartitionWitness, w: readonly number[], t: number, wholeOperators: boolean): void {
  const onA = new Map(p.a.operators.map((o) => [o.name, o.shares]));
  const onB = new Map(p.b.operators.map((o) => [o.name, o.shares]));
  w.forEach((shares, i) => {
    const a = onA.get(`op${i}`) ?? 0;
    const b = onB.get(`op${i}`) ?? 0;
    expect(a + b).toBe(shares);
    if (wholeOperators) expect(a === 0 || b === 0).toBe(true);
  });
  const sum = (side: PartitionWitness['a']) => side.operators.reduce((s, o) => s + o.shares, 0);
  expect(sum(p.a)).toBe(p.a.shares);
  expect(sum(p.b)).toBe(p.b.shares);
  expect(p.a.shares).toBeGreaterThanOrEqual(t);
  expect(p.b.shares).toBeGreaterThanOrEqual(t);
}

describe('analyze equals brute force over every operator subset and share-level partition', () => {
  it('every figure, up to 12 operators and 30 shares, with failure domains', () => {
    fc.assert(
      fc.property(withDomains, ({ w, t, domains }) => {
        const a = run(w, t, domains);
        const b = bruteFigures(w, t, domains);
        expect(a.splitBrainSafe).toBe(b.splitBrainSafe);
        expect(a.operatorPartitionSafe).toBe(b.operatorPartitionSafe);
        expect(a.crashTolerance).toEqual({ shares: b.crashShares, operators: b.crashOperators, domains: b.crashDomains });
        expect(a.byzantineTolerance).toEqual(
          b.byzantineShares === null ? null : { shares: b.byzantineShares, operators: b.byzantineOperators },
        );
        expect(a.collusion.operators).toBe(b.collusionOperators);
        expect(a.singleOperatorCanSign).toBe(b.singleOperatorCanSign);
      }),
      { numRuns: 1500 },
    );
  });

  it('share-level figures equal a node-by-node enumeration (3^n assignments) for n <= 9', () => {
    fc.assert(
      fc.property(allocation(9, 9), ({ w, t }) => {
        const a = run(w, t);
        const b = bruteNodeLevel(a.shares, t);
        expect(a.splitBrainSafe).toBe(b.splitBrainSafe);
        expect(a.byzantineTolerance?.shares ?? null).toBe(b.byzantineShares);
      }),
      { numRuns: 120 },
    );
  });

  it('every witness proves its negative answer', () => {
    fc.assert(
      fc.property(withDomains, ({ w, t, domains }) => {
        const a = run(w, t, domains);
        const n = a.shares;
        const weight = (names: readonly string[]) => names.reduce((s, x) => s + w[Number(x.slice(2))]!, 0);
        const { witnesses: x } = a;
        expect(x.splitBrain === null).toBe(a.splitBrainSafe);
        if (x.splitBrain) checkPartition(x.splitBrain, w, t, false);
        expect(x.operatorPartition === null).toBe(a.operatorPartitionSafe);
        if (x.operatorPartition) checkPartition(x.operatorPartition, w, t, true);
        // The smallest halting outage: one more operator than tolerated, and it halts.
        expect(new Set(x.crash.operators).size).toBe(a.crashTolerance.operators + 1);
        expect(weight(x.crash.operators)).toBe(x.crash.shares);
        expect(n - x.crash.shares).toBeLessThan(t);
        expect(x.crashDomains.domains.length).toBe(a.crashTolerance.domains + 1);
        expect(weight(x.crashDomains.operators)).toBe(x.crashDomains.shares);
        expect(n - x.crashDomains.shares).toBeLessThan(t);
        // The smallest coalition reaches t.
        expect(new Set(x.collusion.operators).size).toBe(a.collusion.operators);
        expect(weight(x.collusion.operators)).toBeGreaterThanOrEqual(t);
        // The smallest Byzantine set that breaks safety holds 2t - n shares or more.
        if (a.byzantineTolerance === null) expect(x.byzantine).toBeNull();
        else {
          expect(x.byzantine!.operators.length).toBe(a.byzantineTolerance.operators + 1);
          expect(weight(x.byzantine!.operators)).toBeGreaterThanOrEqual(2 * t - n);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('structure', () => {
  it('raising t never lowers collusion size and never raises crash tolerance', () => {
    fc.assert(
      fc.property(allocation(), fc.nat(), ({ w, t }, d) => {
        const n = w.reduce((s, x) => s + x, 0);
        const t2 = t + (d % (n - t + 1));
        const [lo, hi] = [run(w, t), run(w, t2)];
        expect(hi.collusion.operators).toBeGreaterThanOrEqual(lo.collusion.operators);
        expect(hi.crashTolerance.operators).toBeLessThanOrEqual(lo.crashTolerance.operators);
        expect(hi.crashTolerance.shares).toBeLessThanOrEqual(lo.crashTolerance.shares);
        expect(hi.crashTolerance.domains).toBeLessThanOrEqual(lo.crashTolerance.domains);
        if (lo.splitBrainSafe) expect(hi.splitBrainSafe).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reordering operators changes no figure', () => {
    fc.assert(
      fc.property(
        withDomains.chain((x) => {
          const keys = fc.array(fc.double(), { minLength: x.w.length, maxLength: x.w.length });
          return fc.record({ x: fc.constant(x), keys });
        }),
        ({ x: { w, t, domains }, keys }) => {
          const perm = w.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
          const shuffled = perm.map((i) => ({ name: `op${i}`, shares: w[i]!, failureDomain: domains[i] }));
          const a = run(w, t, domains);
          const b = analyze({ threshold: t, operators: shuffled });
          const figures = (r: Analysis) => ({
            s: r.splitBrainSafe,
            p: r.operatorPartitionSafe,
            c: r.crashTolerance,
            b: r.byzantineTolerance,
            k: r.collusion,
            o: r.singleOperatorCanSign,
            f: [...r.flags].sort(),
          });
          expect(figures(b)).toEqual(figures(a));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('crash tolerance and collusion trade off: operators offline + smallest coalition <= operators', () => {
    fc.assert(
      fc.property(allocation(), ({ w, t }) => {
        const a = run(w, t);
        expect(a.crashTolerance.operators + a.collusion.operators).toBeLessThanOrEqual(w.length);
      }),
      { numRuns: 200 },
    );
  });
});
