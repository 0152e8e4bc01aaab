/**
 * The planner's words and order, exactly (issue 19, docs/mutation.md): the reason of every candidate, the order of
 * candidates that tie, the ranks, the limit statements and the refusals. planner.prop.test.ts checks the ranking
 * against a brute force; this file checks what `dvkeys plan` prints about it.
 */
import { describe, expect, it } from 'vitest';
import { isDvkeysError, type DvkeysError } from '../../src/errors.js';
import { plan, planKey, type PlanInput } from '../../src/safety/planner.js';
import { coreFigures } from '../../src/safety/threshold-math.js';

function thrown(fn: () => unknown): DvkeysError {
  try {
    fn();
  } catch (e) {
    if (isDvkeysError(e)) return e;
    throw e;
  }
  throw new Error('expected a DvkeysError');
}
const rows = (input: PlanInput): [number, string, number, string][] =>
  plan(input).candidates.map((c) => [c.rank, c.allocation.map((o) => o.shares).join('/'), c.threshold, c.reason]);
const statements = (input: PlanInput): [string, string][] => plan(input).limits.map((l) => [l.code, l.statement]);

const TWO_OPERATORS =
  "with two operators no allocation is split-brain safe and survives either one going offline: surviving A's outage " +
  "needs w(B) >= t and surviving B's needs w(A) >= t, so n = w(A) + w(B) >= 2t, contradicting 2t > n; a third " +
  "operator (the seed story's cloud node) removes the contradiction";
const tradeoff = (m: number, f: number, c: number): string =>
  `operator crash tolerance + collusion size <= ${m}: the operators left after the f largest go offline still reach t, ` +
  `so they can sign together (the top choice: ${f} + ${c})`;

describe('plan: reasons, ranks and limits word for word', () => {
  it('three parties up to 4 nodes each', () => {
    const input = { operators: [{ name: 'eridian', maxShares: 4 }, { name: 'spacesider', maxShares: 4 }, { name: 'cloud', maxShares: 4 }] };
    expect(rows(input)).toEqual([
      [1, '4/4/4', 7, 'best of 80 safe choices: any 1 operator or 5 nodes may go offline, 2 operators must collude, 1 Byzantine share tolerated; ahead of #2 on Byzantine shares tolerated (1 vs 0)'],
      [2, '4/4/3', 6, 'any 1 operator or 5 nodes may go offline, 2 operators must collude, 0 Byzantine shares tolerated; behind #1 on Byzantine shares tolerated (0 vs 1)'],
      [3, '4/4/4', 8, 'any 1 operator or 4 nodes may go offline, 2 operators must collude, 3 Byzantine shares tolerated; behind #2 on node crash tolerance (4 vs 5)'],
      [4, '4/4/3', 7, 'any 1 operator or 4 nodes may go offline, 2 operators must collude, 2 Byzantine shares tolerated; behind #3 on Byzantine shares tolerated (2 vs 3)'],
      [5, '4/4/2', 6, 'any 1 operator or 4 nodes may go offline, 2 operators must collude, 1 Byzantine share tolerated; behind #4 on Byzantine shares tolerated (1 vs 2)'],
    ]);
    expect(statements(input)).toEqual([
      ['OPERATOR_CRASH_BOUND', 'with 3 operators no split-brain-safe allocation survives 2 operators offline: split them into two groups of at most 2; if either group could go offline the other would hold t, so n >= 2t (one share each with t = 2 reaches 1)'],
      ['COLLUSION_TRADEOFF', tradeoff(3, 1, 2)],
    ]);
  });

  it('two operators: no operator may go offline, the impossibility stated', () => {
    const input = { operators: [{ name: 'a' }, { name: 'b' }], top: 3 };
    expect(rows(input)).toEqual([
      [1, '4/4', 5, 'best of 27 safe choices: no operator but any 3 nodes may go offline, 2 operators must collude, 1 Byzantine share tolerated; ahead of #2 on collusion size (2 vs 1)'],
      [2, '4/3', 4, 'no operator but any 3 nodes may go offline, one operator can sign alone, 0 Byzantine shares tolerated; behind #1 on collusion size (1 vs 2)'],
      [3, '4/4', 6, 'no operator but any 2 nodes may go offline, 2 operators must collude, 3 Byzantine shares tolerated; behind #2 on node crash tolerance (2 vs 3)'],
    ]);
    expect(statements(input)).toEqual([['TWO_OPERATORS', TWO_OPERATORS], ['COLLUSION_TRADEOFF', tradeoff(2, 0, 2)]]);
  });

  it('one operator: nothing may go offline; one candidate alone has no comparison', () => {
    expect(rows({ operators: [{ name: 'solo', maxShares: 2 }] })).toEqual([
      [1, '2', 2, 'best of 2 safe choices: nothing may go offline, one operator can sign alone, 1 Byzantine share tolerated; ahead of #2 on Byzantine shares tolerated (1 vs 0)'],
      [2, '1', 1, 'nothing may go offline, one operator can sign alone, 0 Byzantine shares tolerated; behind #1 on Byzantine shares tolerated (0 vs 1)'],
    ]);
    expect(rows({ operators: [{ name: 'solo', maxShares: 2 }], top: 1 })).toEqual([
      [1, '2', 2, 'best of 2 safe choices: nothing may go offline, one operator can sign alone, 1 Byzantine share tolerated'],
    ]);
    expect(statements({ operators: [{ name: 'solo', maxShares: 2 }] })).toEqual([
      ['ONE_OPERATOR', 'with one operator nothing is distributed: it holds all n >= t shares, so it can sign alone, and its outage halts the validator'],
    ]);
  });

  it('ties keep the order the search found them in (2/1 before 1/2), and say so', () => {
    const rs = rows({ operators: [{ name: 'a', maxShares: 2 }, { name: 'b', maxShares: 3 }], top: 6 });
    expect(rs.slice(3)).toEqual([
      [4, '1/3', 3, 'no operator but any 1 node may go offline, one operator can sign alone, 1 Byzantine share tolerated; behind #3 on collusion size (1 vs 2)'],
      [5, '2/1', 2, 'no operator but any 1 node may go offline, one operator can sign alone, 0 Byzantine shares tolerated; behind #4 on Byzantine shares tolerated (0 vs 1)'],
      [6, '1/2', 2, 'no operator but any 1 node may go offline, one operator can sign alone, 0 Byzantine shares tolerated; ties with #5 on every criterion'],
    ]);
  });

  it('a share budget: operator crash tolerance decides before node crash tolerance', () => {
    const input = { operators: ['a', 'b', 'c', 'd'].map((name) => ({ name })), maxTotalShares: 6, top: 4 };
    expect(plan(input).searched).toEqual({ allocations: 4, safeChoices: 11 });
    expect(rows(input)).toEqual([
      [1, '2/2/1/1', 4, 'best of 11 safe choices: any 1 operator or 2 nodes may go offline, 2 operators must collude, 1 Byzantine share tolerated; ahead of #2 on Byzantine shares tolerated (1 vs 0)'],
      [2, '2/1/1/1', 3, 'any 1 operator or 2 nodes may go offline, 2 operators must collude, 0 Byzantine shares tolerated; behind #1 on Byzantine shares tolerated (0 vs 1)'],
      [3, '1/1/1/1', 3, 'any 1 operator or 1 node may go offline, 3 operators must collude, 1 Byzantine share tolerated; behind #2 on node crash tolerance (1 vs 2)'],
      [4, '3/1/1/1', 4, 'no operator but any 2 nodes may go offline, 2 operators must collude, 1 Byzantine share tolerated; behind #3 on operator crash tolerance (0 vs 1)'],
    ]);
    expect(statements(input)[0]).toEqual([
      'OPERATOR_CRASH_BOUND',
      'with 4 operators no split-brain-safe allocation survives 2 operators offline: split them into two groups of at most 2; if either group could go offline the other would hold t, so n >= 2t (one share each with t = 3 reaches 1)',
    ]);
    expect(plan({ operators: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, maxShares: 1 })) }).limits[0]!.statement).toBe(
      'with 5 operators no split-brain-safe allocation survives 3 operators offline: split them into two groups of at most 3; if either group could go offline the other would hold t, so n >= 2t (one share each with t = 3 reaches 2)',
    );
  });
});

describe('plan: refusals and the ranking key', () => {
  it('refuses a missing input or operator entry as a ValidationError, not a TypeError', () => {
    expect([thrown(() => plan(null as never)).code, thrown(() => plan(null as never)).message]).toEqual(['INVALID_ARGUMENT', "'operators' expected a non-empty array"]);
    expect(thrown(() => plan({ operators: [{ name: 'a' }, null as never] })).field).toBe('operators[1].name');
  });

  it('says how large the search space is, in full or (above 10^12) in exponent form', () => {
    const rising = (m: number) => Array.from({ length: m }, (_, i) => ({ name: `o${i}`, maxShares: i + 1 }));
    expect(thrown(() => plan({ operators: rising(12) })).message).toBe(
      "'operators' give 479001600 allocations to search, at most 250000; lower the node limits or give operators equal limits",
    );
    expect(thrown(() => plan({ operators: rising(16) })).message).toBe(
      "'operators' give 2.1e+13 allocations to search, at most 250000; lower the node limits or give operators equal limits",
    );
    expect(thrown(() => plan({ operators: rising(17) })).message).toBe("'operators' has 17 operators, the planner searches at most 16");
  });

  it('planKey: absent Byzantine figures count as -1, fewer shares as -n', () => {
    expect(planKey(coreFigures([2, 2], 4, 2), 4)).toEqual([1, 2, 1, -1, -1, -4]);
    expect(planKey(coreFigures([3, 3, 3], 9, 7), 9)).toEqual([0, 2, 3, 1, 4, -9]);
  });
});
