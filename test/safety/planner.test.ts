import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/errors.js';
import { isDvkeysError } from '../../src/errors.js';
import { plan, PLAN_CRITERIA, PLAN_LIMITS, type PlanInput } from '../../src/safety/index.js';

const threeParties: PlanInput = {
  operators: [
    { name: 'eridian', maxShares: 4 },
    { name: 'spacesider', maxShares: 4 },
    { name: 'cloud', maxShares: 4 },
  ],
};

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('expected a throw');
}

describe('plan', () => {
  it('two stakers and one cloud node, up to 4 nodes each: 4/4/4 with t = 7 first, and why', () => {
    const p = plan(threeParties);
    expect(p.searched).toEqual({ allocations: 20, safeChoices: 80 });
    expect(p.interchangeable).toEqual([['eridian', 'spacesider', 'cloud']]);
    expect(p.criteria).toEqual(PLAN_CRITERIA);
    const [first, second, third] = p.candidates;
    expect(first!.allocation.map((o) => o.shares)).toEqual([4, 4, 4]);
    expect(first!.threshold).toBe(7);
    expect(first!.analysis.crashTolerance).toEqual({ shares: 5, operators: 1, domains: 1 });
    expect(first!.reason).toBe(
      'best of 80 safe choices: any 1 operator or 5 nodes may go offline, 2 operators must collude, ' +
        '1 Byzantine share tolerated; ahead of #2 on Byzantine shares tolerated (1 vs 0)',
    );
    expect([second!.allocation.map((o) => o.shares), second!.threshold]).toEqual([[4, 4, 3], 6]);
    // Charon's default for 12 nodes comes third: one node less may go offline.
    expect([third!.allocation.map((o) => o.shares), third!.threshold]).toEqual([[4, 4, 4], 8]);
    expect(third!.reason).toMatch(/behind #2 on node crash tolerance \(4 vs 5\)$/);
    expect(p.candidates).toHaveLength(PLAN_LIMITS.defaultTop);
    expect(p.limits.map((l) => l.code)).toEqual(['OPERATOR_CRASH_BOUND', 'COLLUSION_TRADEOFF']);
  });

  it('proves the two-operator impossibility as an answer', () => {
    const p = plan({ operators: [{ name: 'eridian' }, { name: 'spacesider' }] });
    expect(p.candidates.every((c) => c.analysis.crashTolerance.operators === 0)).toBe(true);
    const two = p.limits.find((l) => l.code === 'TWO_OPERATORS')!;
    expect(two.statement).toMatch(/n = w\(A\) \+ w\(B\) >= 2t, contradicting 2t > n/);
  });

  it('one operator: nothing is distributed', () => {
    const p = plan({ operators: [{ name: 'solo', maxShares: 2 }] });
    expect(p.limits.map((l) => l.code)).toEqual(['ONE_OPERATOR']);
    expect(p.candidates[0]!.analysis.singleOperatorCanSign).toBe(true);
  });

  it('respects the share budget and different limits', () => {
    const operators = [
      { name: 'a', maxShares: 1 },
      { name: 'b', maxShares: 3 },
      { name: 'c', maxShares: 3 },
    ];
    const p = plan({ operators, maxTotalShares: 5, top: 100 });
    expect(p.candidates.every((c) => c.shares <= 5 && c.allocation[0]!.shares === 1)).toBe(true);
    expect(p.interchangeable).toEqual([['b', 'c']]);
    // Each allocation appears once up to swapping b and c.
    const seen = p.candidates.map((c) => `${c.allocation.map((o) => o.shares).join('/')}@${c.threshold}`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.some((s) => s.startsWith('1/1/2'))).toBe(false);
  });

  const abc = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
  const rising = (m: number) => Array.from({ length: m }, (_, i) => ({ name: `o${i}`, maxShares: i + 1 }));
  const bad: [string, unknown, string, string][] = [
    ['no operators', { operators: [] }, 'INVALID_ARGUMENT', 'operators'],
    ['not a list', { operators: 'a,b' }, 'INVALID_ARGUMENT', 'operators'],
    ['zero nodes', { operators: [{ name: 'a' }, { name: 'b', maxShares: 0 }] }, 'INVALID_ARGUMENT', 'operators[1].maxShares'],
    ['too many nodes', { operators: [{ name: 'a', maxShares: 65 }] }, 'INVALID_ARGUMENT', 'operators[0].maxShares'],
    ['duplicate names', { operators: [{ name: 'a' }, { name: 'A' }] }, 'INVALID_ARGUMENT', 'operators[1].name'],
    ['budget below one share each', { operators: abc, maxTotalShares: 2 }, 'INVALID_ARGUMENT', 'maxTotalShares'],
    ['top 0', { operators: [{ name: 'a' }], top: 0 }, 'INVALID_ARGUMENT', 'top'],
    ['17 operators', { operators: Array.from({ length: 17 }, (_, i) => ({ name: `o${i}` })) }, 'LIMIT_EXCEEDED', 'operators'],
    ['search space too large', { operators: rising(12) }, 'LIMIT_EXCEEDED', 'operators'],
  ];
  it.each(bad)('refuses %s', (_, input, code, field) => {
    const e = thrown(() => plan(input as PlanInput));
    expect(isDvkeysError(e, code as 'INVALID_ARGUMENT')).toBe(true);
    expect(e.field).toBe(field);
  });

  it('searches the largest equal-limit space it allows quickly', () => {
    // 16 operators with up to 4 nodes: C(19, 16) = 969 allocations up to permutation.
    const t0 = performance.now();
    const p = plan({ operators: Array.from({ length: 16 }, (_, i) => ({ name: `o${i}` })) });
    expect(p.searched.allocations).toBe(969);
    expect(p.candidates[0]!.analysis.crashTolerance.operators).toBe(7);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
