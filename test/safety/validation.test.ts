/**
 * Input validation, subset sums, multi-cluster tables, the split gate and outages of src/safety, branch by branch
 * (issue 19, docs/mutation.md): each test names the exact code, field and text a caller sees, or checks the algebra
 * against a brute force, so a changed bound, a dropped guard or a wrong field name fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDvkeysError, type DvkeysError } from '../../src/errors.js';
import {
  analyzeClusters,
  assertSplitSafety,
  checkSplitSafety,
  evaluateOutage,
  parseOperators,
  SAFETY_LIMITS,
} from '../../src/safety/index.js';
import { validateOperators, validateThreshold } from '../../src/safety/input.js';
import { subsetSums, subsetWithSum } from '../../src/safety/subset-sum.js';
import { MAX_CLUSTERS } from '../../src/safety/clusters.js';

function thrown(fn: () => unknown): DvkeysError {
  try {
    fn();
  } catch (e) {
    if (isDvkeysError(e)) return e;
    throw e;
  }
  throw new Error('expected a DvkeysError');
}
const what = (e: DvkeysError): unknown[] => [e.code, e.field, e.message];
const ops = (count: number, shares = 1): { name: string; shares: number }[] =>
  Array.from({ length: count }, (_, i) => ({ name: `o${i}`, shares }));

describe('input.ts', () => {
  it('validateOperators: empty, too many, not an object, duplicate (case-insensitive), too many shares in all', () => {
    expect(what(thrown(() => validateOperators([], 'ops')))).toEqual(['INVALID_ARGUMENT', 'ops', "'ops' expected a non-empty array of operators"]);
    expect(thrown(() => validateOperators('a:1')).field).toBe('operators');
    expect(validateOperators(ops(SAFETY_LIMITS.maxOperators)).names).toHaveLength(256);
    expect(what(thrown(() => validateOperators(ops(SAFETY_LIMITS.maxOperators + 1))))).toEqual([
      'LIMIT_EXCEEDED', 'operators', "'operators' has 257 operators, at most 256 allowed",
    ]);
    for (const bad of [null, 'a', 3]) {
      expect(what(thrown(() => validateOperators([{ name: 'a', shares: 1 }, bad])))).toEqual([
        'INVALID_ARGUMENT', 'operators[1]', "'operators[1]' expected an object {name, shares}",
      ]);
    }
    expect(what(thrown(() => validateOperators([{ name: 'Eri', shares: 1 }, { name: 'b', shares: 1 }, { name: 'eri', shares: 2 }])))).toEqual([
      'INVALID_ARGUMENT', 'operators[2].name', "'operators[2].name' duplicates operators[0]: 'eri'",
    ]);
    expect(validateOperators([{ name: 'a', shares: 4000 }, { name: 'b', shares: 96 }]).total).toBe(SAFETY_LIMITS.maxShares);
    expect(what(thrown(() => validateOperators([{ name: 'a', shares: 4000 }, { name: 'b', shares: 97 }])))).toEqual([
      'LIMIT_EXCEEDED', 'operators', "'operators' hold 4097 shares, at most 4096",
    ]);
  });

  it('names: 1..64 characters, no control characters; failure domains checked the same way', () => {
    expect(validateOperators([{ name: 'x'.repeat(64), shares: 1 }]).names[0]).toHaveLength(64);
    for (const name of ['', 'x'.repeat(65), 7]) {
      expect(what(thrown(() => validateOperators([{ name, shares: 1 }])))).toEqual([
        'INVALID_ARGUMENT', 'operators[0].name', "'operators[0].name' expected a name of 1..64 characters",
      ]);
    }
    expect(what(thrown(() => validateOperators([{ name: 'a\u0007b', shares: 1 }])))).toEqual([
      'INVALID_ARGUMENT', 'operators[0].name', "'operators[0].name' contains a control character",
    ]);
    expect(thrown(() => validateOperators([{ name: 'a', shares: 1, failureDomain: '' }])).field).toBe('operators[0].failureDomain');
    expect(validateOperators([{ name: 'a', shares: 1, failureDomain: 'dc' }, { name: 'b', shares: 1 }]).domains).toEqual(['dc', undefined]);
  });

  it('validateThreshold: says what it got, for numbers and for other types', () => {
    expect(validateThreshold(3, 3)).toBe(3);
    expect(what(thrown(() => validateThreshold(4, 3)))).toEqual(['INVALID_THRESHOLD', 'threshold', "'threshold' expected an integer in 1..3 (n = 3), got 4"]);
    expect(what(thrown(() => validateThreshold(0, 3, 't')))).toEqual(['INVALID_THRESHOLD', 't', "'t' expected an integer in 1..3 (n = 3), got 0"]);
    expect(thrown(() => validateThreshold(1.5, 3)).message).toBe("'threshold' expected an integer in 1..3 (n = 3), got 1.5");
    expect(thrown(() => validateThreshold('2', 3)).message).toBe("'threshold' expected an integer in 1..3 (n = 3), got string");
  });

  it('parseOperators: trims, needs the whole spec to be a number for the N form, quotes a bad entry trimmed and cut at 40', () => {
    expect(parseOperators('  3 ')).toEqual([{ name: 'op1', shares: 1 }, { name: 'op2', shares: 1 }, { name: 'op3', shares: 1 }]);
    expect(parseOperators('3a:2')).toEqual([{ name: '3a', shares: 2 }]);
    expect(parseOperators('a@dc,b:2')).toEqual([{ name: 'a', shares: 1, failureDomain: 'dc' }, { name: 'b', shares: 2 }]);
    expect(parseOperators('a:2@dc', { allowDomains: true })).toEqual([{ name: 'a', shares: 2, failureDomain: 'dc' }]);
    expect(what(thrown(() => parseOperators('a, b c ')))).toEqual([
      'INVALID_ARGUMENT', 'operators[1]', "'operators[1]' expected name, name:count or name:count@domain, got 'b c'",
    ]);
    const long = `${'x'.repeat(50)}!`;
    expect(thrown(() => parseOperators(`  ${long}`, { field: 'f' })).message).toBe(
      `'f[0]' expected name, name:count or name:count@domain, got '${'x'.repeat(40)}'`,
    );
    expect(what(thrown(() => parseOperators('a,b@dc', { allowDomains: false })))).toEqual([
      'INVALID_ARGUMENT', 'operators[1]', "'operators[1]' failure domains (@dc) are not accepted here",
    ]);
  });
});

describe('subset-sum.ts', () => {
  it('subsetWithSum: out-of-range and unreachable sums give undefined, 0 gives the empty set', () => {
    const w = [3, 5];
    const sums = subsetSums(w, 8);
    expect([-1, 1, 2, 4, 6, 7, 9, 100].map((s) => subsetWithSum(sums, w, s))).toEqual(Array(8).fill(undefined));
    expect(subsetWithSum(sums, w, 0)).toEqual([]);
    expect(subsetWithSum(sums, w, 8)).toEqual([0, 1]);
    expect(subsetWithSum(sums, w, 5)).toEqual([1]);
  });

  it('property: a returned subset is ascending, repeats no item and sums to the target; undefined exactly when none does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }), (w) => {
        const total = w.reduce((a, b) => a + b, 0);
        const reachable = new Set<number>();
        for (let mask = 0; mask < 1 << w.length; mask++) {
          reachable.add(w.reduce((s, x, i) => (mask & (1 << i) ? s + x : s), 0));
        }
        const sums = subsetSums(w, total);
        for (let s = -1; s <= total + 1; s++) {
          const items = subsetWithSum(sums, w, s);
          if (!reachable.has(s)) {
            expect(items).toBeUndefined();
            continue;
          }
          expect(items).toBeDefined();
          expect(items!.every((x, k) => k === 0 || x > items![k - 1]!)).toBe(true);
          expect(items!.reduce((a, i) => a + w[i]!, 0)).toBe(s);
        }
      }),
      { seed: 19, numRuns: 150 },
    );
  });
});

describe('clusters.ts', () => {
  const c = (name: string, threshold: number, operators: { name: string; shares: number; failureDomain?: string }[]) => ({ name, threshold, operators });

  it('refuses a non-array, an empty list and more than 64 clusters; accepts 64', () => {
    for (const bad of [[], 'x', null]) {
      expect(what(thrown(() => analyzeClusters(bad as never)))).toEqual(['INVALID_ARGUMENT', 'clusters', "'clusters' expected a non-empty array"]);
    }
    const many = Array.from({ length: MAX_CLUSTERS + 1 }, (_, i) => c(`c${i}`, 1, [{ name: 'a', shares: 1 }]));
    expect(what(thrown(() => analyzeClusters(many)))).toEqual(['LIMIT_EXCEEDED', 'clusters', "'clusters' has 65, at most 64"]);
    expect(analyzeClusters(many.slice(0, MAX_CLUSTERS)).clusters).toHaveLength(64);
    expect(thrown(() => analyzeClusters([c('x', 1, [{ name: 'a', shares: 1 }]), null as never])).field).toBe('clusters[1].name');
  });

  it('one operator in two domains is refused naming the second place; the same domain twice is fine', () => {
    const a = c('A', 1, [{ name: 'op', shares: 1, failureDomain: 'dc1' }]);
    expect(what(thrown(() => analyzeClusters([a, c('B', 1, [{ name: 'x', shares: 1 }, { name: 'OP', shares: 1, failureDomain: 'dc2' }])])))).toEqual([
      'INVALID_ARGUMENT', 'clusters[1].operators[1].failureDomain', "'clusters[1].operators[1].failureDomain' is 'dc2', another cluster says 'dc1'",
    ]);
    expect(analyzeClusters([a, c('B', 1, [{ name: 'op', shares: 1, failureDomain: 'dc1' }])]).operators).toEqual(['op']);
    expect(analyzeClusters([a, c('B', 1, [{ name: 'op', shares: 1 }])]).clusters[1]!.analysis.allocation[0]!.failureDomain).toBe('dc1');
  });

  it('a domain row only for a domain of two or more operators; pair rows only when asked, labelled a + b', () => {
    const clusters = [c('A', 3, [{ name: 'a', shares: 2, failureDomain: 'solo' }, { name: 'b', shares: 1, failureDomain: 'dc' }, { name: 'c', shares: 1, failureDomain: 'dc' }])];
    const plain = analyzeClusters(clusters);
    expect(plain.table.map((r) => [r.kind, r.label, r.operators, r.halted])).toEqual([
      ['operator', 'a', ['a'], ['A']],
      ['operator', 'b', ['b'], []],
      ['operator', 'c', ['c'], []],
      ['domain', 'dc', ['b', 'c'], ['A']],
    ]);
    expect(analyzeClusters(clusters, { pairs: false }).table).toHaveLength(4);
    const pairs = analyzeClusters(clusters, { pairs: true }).table.filter((r) => r.kind === 'pair');
    expect(pairs.map((r) => [r.label, r.operators, r.halted])).toEqual([
      ['a + b', ['a', 'b'], ['A']],
      ['a + c', ['a', 'c'], ['A']],
      ['b + c', ['b', 'c'], ['A']],
    ]);
  });

  it('the weakest point is the first cluster with the smallest halting outage', () => {
    const strong = c('strong', 2, [{ name: 'a', shares: 1 }, { name: 'b', shares: 1 }, { name: 'c', shares: 1 }]);
    const weakA = c('weakA', 2, [{ name: 'd', shares: 1 }, { name: 'e', shares: 1 }]);
    const weakB = c('weakB', 2, [{ name: 'f', shares: 1 }, { name: 'g', shares: 1 }]);
    expect(analyzeClusters([strong, weakA, weakB]).weakest).toEqual({ operators: ['d'], halted: ['weakA'] });
    expect(analyzeClusters([strong, weakB, weakA]).weakest).toEqual({ operators: ['f'], halted: ['weakB'] });
  });
});

describe('split-check.ts and outage.ts', () => {
  it('a single operator holding every share is not refused as an operator that signs alone (nothing is distributed)', () => {
    const c = checkSplitSafety({ threshold: 2, operators: [{ name: 'solo', shares: 3 }] });
    expect(c).toMatchObject({ safe: true, reasons: [] });
    expect(assertSplitSafety({ threshold: 2, operators: [{ name: 'solo', shares: 3 }] }).safe).toBe(true);
  });

  it('every reason and warning word for word, and the culprit only when one operator signs alone', () => {
    const c = checkSplitSafety({ threshold: 2, operators: parseOperators('big:3,b') });
    expect(c.reasons).toEqual([
      'threshold 2 of 4 is slashable: 2t <= n lets both sides of a network split sign (big:2 (2) | big:1 + b:1 (2)); use a threshold of at least 3',
      "operator 'big' holds 3 shares >= threshold 2: it can sign and rebuild the key alone",
    ]);
    expect(c.warnings).toEqual(['two operators only: no allocation survives either one going offline without being slashable; add a third', "threshold 2 differs from Charon's default ceil(2n/3) = 3"]);
    const e = thrown(() => assertSplitSafety({ threshold: 2, operators: parseOperators('big:3,b') }));
    expect([e.code, e.field, e.culprits, e.message]).toEqual(['UNSAFE_THRESHOLD', 'threshold', ['big'], c.reasons.join('; ')]);
    const slashable = thrown(() => assertSplitSafety({ threshold: 2, operators: parseOperators('4') }));
    expect([slashable.code, slashable.culprits]).toEqual(['UNSAFE_THRESHOLD', []]);
    // t = n = 1 is no "t = n" warning; three operators, one whose outage halts signing
    expect(checkSplitSafety({ threshold: 1, operators: parseOperators('1') }).warnings).toEqual([]);
    expect(checkSplitSafety({ threshold: 4, operators: parseOperators('a:3,b:1,c:1') }).warnings).toEqual(["operator 'a' going offline halts signing"]);
    // ... but no such warning when that operator can sign alone (a reason already says so)
    expect(checkSplitSafety({ threshold: 3, operators: parseOperators('a:3,b:1,c:1') }).warnings).toEqual(["threshold 3 differs from Charon's default ceil(2n/3) = 4"]);
  });

  it('a threshold of 1 is refused even with the override, with its own text for 1-of-1 and for 1-of-n', () => {
    const one = thrown(() => assertSplitSafety({ threshold: 1, operators: parseOperators('1') }, { allowUnsafe: true }));
    expect([one.name, ...what(one), one.culprits]).toEqual([
      'ValidationError',
      'INVALID_THRESHOLD',
      'threshold',
      '1-of-1 is not a split: the one share would be the validator key itself in a new keystore; use at least 3 shares (e.g. --operators 4, threshold 3)',
      [],
    ]);
    // n = 5: the suggested threshold is floor(5/2) + 1 = 3 (not n / 2, not floor - 1)
    const many = thrown(() => assertSplitSafety({ threshold: 1, operators: parseOperators('5') }, { allowUnsafe: true }));
    expect([many.name, ...what(many), many.culprits]).toEqual([
      'ValidationError',
      'INVALID_THRESHOLD',
      'threshold',
      'threshold 1 of 5 is not a split: every share would be the validator key itself; use a threshold of at least 3',
      [],
    ]);
    expect(thrown(() => assertSplitSafety({ threshold: 1, operators: parseOperators('a:2,b:2') })).code).toBe('INVALID_THRESHOLD');
    // threshold 2 is the smallest that passes this gate
    expect(assertSplitSafety({ threshold: 2, operators: parseOperators('3') }).safe).toBe(true);
  });

  it('one operator holding every share is no culprit of a slashable split; two operators warn once, not as an outage', () => {
    const solo = thrown(() => assertSplitSafety({ threshold: 2, operators: [{ name: 'solo', shares: 4 }] }));
    expect([solo.code, solo.field, solo.culprits]).toEqual(['UNSAFE_THRESHOLD', 'threshold', []]);
    expect(solo.message).toMatch(/^threshold 2 of 4 is slashable: /);
    // a:2,b:2 at t = 3: either outage halts signing, but with two operators only the two-operator warning is given
    expect(checkSplitSafety({ threshold: 3, operators: parseOperators('a:2,b:2') }).warnings).toEqual([
      'two operators only: no allocation survives either one going offline without being slashable; add a third',
    ]);
  });

  it('evaluateOutage: whole operators, node counts, and the text for an unknown operator', () => {
    const input = { threshold: 6, operators: parseOperators('a:3,b:3,c:3') };
    expect(evaluateOutage(input, { a: 'all', b: 0 })).toEqual({ sharesLeft: 6, threshold: 6, attesting: true });
    expect(evaluateOutage(input, { a: 'all', b: 1 })).toEqual({ sharesLeft: 5, threshold: 6, attesting: false });
    expect(what(thrown(() => evaluateOutage(input, { z: 1 })))).toEqual(['INVALID_ARGUMENT', 'down.z', "'down.z' is not an operator of the allocation"]);
  });
});
