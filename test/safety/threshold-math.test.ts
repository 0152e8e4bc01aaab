import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDvkeysError, SafetyError, ValidationError } from '../../src/errors.js';
import {
  analyze,
  assertSplitSafety,
  checkSplitSafety,
  classicRow,
  classicTable,
  defaultThreshold,
  evaluateOutage,
  parseOperators,
  SAFETY_LIMITS,
  summary,
  verdicts,
  type AnalyzeInput,
} from '../../src/safety/index.js';

const seed69: AnalyzeInput = {
  threshold: 6,
  operators: [
    { name: 'eridian', shares: 3 },
    { name: 'spacesider', shares: 3 },
    { name: 'cloud', shares: 3 },
  ],
};
const twoParties36: AnalyzeInput = {
  threshold: 3,
  operators: [
    { name: 'eridian', shares: 3 },
    { name: 'spacesider', shares: 3 },
  ],
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('the background document (evolution of solo staking, step 4)', () => {
  it('6/9 with 3/3/3 survives any one party offline and no single party can sign', () => {
    const a = analyze(seed69);
    expect(a.splitBrainSafe).toBe(true);
    expect(a.operatorPartitionSafe).toBe(true);
    expect(a.crashTolerance).toEqual({ shares: 3, operators: 1, domains: 1 });
    expect(a.singleOperatorCanSign).toBe(false);
    expect(a.collusion.operators).toBe(2);
    expect(a.byzantineTolerance).toEqual({ shares: 2, operators: 0 });
    expect(a.flags).toEqual([]);
    expect(a.witnesses.crash.operators).toHaveLength(2);
    expect(summary(a)).toBe('6 of 9: safe against split-brain; survives any 1 operator offline; 2 operators must collude');
  });

  it('3/6 with 3/3 is flagged slashable, with the witness partition eridian | spacesider', () => {
    const a = analyze(twoParties36);
    expect(a.splitBrainSafe).toBe(false);
    expect(a.operatorPartitionSafe).toBe(false);
    expect(a.byzantineTolerance).toBeNull();
    expect(a.singleOperatorCanSign).toBe(true);
    const p = a.witnesses.operatorPartition!;
    expect([p.a.operators, p.b.operators]).toEqual([[{ name: 'eridian', shares: 3 }], [{ name: 'spacesider', shares: 3 }]]);
    expect(a.witnesses.splitBrain).toEqual(p);
    expect(a.flags).toEqual(['THRESHOLD_AT_MOST_HALF', 'SINGLE_OPERATOR_CAN_SIGN', 'TWO_OPERATORS_ONLY']);
    expect(summary(a)).toMatch(/^SLASHABLE: 3 of 6 lets a split between operators sign twice/);
    // "if the connection between their Charon nodes dropped out, they would both be able to perform their duties"
    expect(evaluateOutage(twoParties36, { spacesider: 'all' }).attesting).toBe(true);
    expect(evaluateOutage(twoParties36, { eridian: 'all' }).attesting).toBe(true);
  });

  const cases: [string, Record<string, number | 'all'>][] = [
    ['normal operation', {}],
    ['cloud auxiliary client offline', { cloud: 'all' }],
    ['eridian offline', { eridian: 'all' }],
    ['spacesider offline', { spacesider: 'all' }],
    ['a VC-client failure (one node of one party)', { eridian: 1 }],
    ['a multi-system failure (one node at each party)', { eridian: 1, spacesider: 1, cloud: 1 }],
  ];
  it.each(cases)('6/9 keeps attesting: %s', (_, down) => {
    const o = evaluateOutage(seed69, down);
    expect(o.attesting).toBe(true);
    expect(o.sharesLeft).toBeGreaterThanOrEqual(6);
  });

  it('6/9 stops (without being slashable) when two parties are offline or four nodes fail', () => {
    expect(evaluateOutage(seed69, { eridian: 'all', cloud: 'all' })).toEqual({ sharesLeft: 3, threshold: 6, attesting: false });
    expect(evaluateOutage(seed69, { eridian: 2, spacesider: 1, cloud: 1 }).attesting).toBe(false);
  });

  it('the cloud node alone (3 of 9 keys) cannot sign', () => {
    const a = analyze(seed69);
    expect(a.witnesses.collusion.shares).toBeGreaterThanOrEqual(6);
    expect(a.witnesses.collusion.operators).not.toEqual(['cloud']);
  });
});

describe('figures and flags', () => {
  it('a split between nodes of one operator can be slashable while no operator split is', () => {
    // 5 + 1 shares, t = 3: no operator group holds 3..3 shares, but 3 of the 5 nodes against the other 3 do.
    const a = analyze({ threshold: 3, operators: [{ name: 'a', shares: 5 }, { name: 'b', shares: 1 }] });
    expect(a.operatorPartitionSafe).toBe(true);
    expect(a.splitBrainSafe).toBe(false);
    expect(a.witnesses.splitBrain).toEqual({
      a: { operators: [{ name: 'a', shares: 3 }], shares: 3 },
      b: { operators: [{ name: 'a', shares: 2 }, { name: 'b', shares: 1 }], shares: 3 },
    });
  });

  it('t = n: no node may go offline', () => {
    const a = analyze({ threshold: 4, operators: parseOperators('4') });
    expect(a.crashTolerance).toEqual({ shares: 0, operators: 0, domains: 0 });
    expect(a.flags).toContain('THRESHOLD_EQUALS_SHARES');
    expect(a.flags).toContain('NO_OPERATOR_CRASH_TOLERANCE');
  });

  it('failure domains: two operators in one data centre fail together', () => {
    const a = analyze({ threshold: 3, operators: parseOperators('a@dc,b@dc,c,d') });
    expect(a.crashTolerance.operators).toBe(1);
    expect(a.crashTolerance.domains).toBe(0);
    expect(a.witnesses.crashDomains).toEqual({ domains: ['dc'], operators: ['a', 'b'], shares: 2 });
    expect(verdicts(a).map((v) => v.question)).toContain('failure domains that may go offline');
  });

  it('analyses 64 operators in well under 50 ms, also when the subset-sum runs', () => {
    const operators = Array.from({ length: 64 }, (_, i) => ({ name: `op${i}`, shares: 1 + ((i * 7) % 4) }));
    const n = operators.reduce((s, o) => s + o.shares, 0);
    for (const threshold of [defaultThreshold(n), Math.floor(n / 2)]) {
      analyze({ threshold, operators });
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) analyze({ threshold, operators });
      expect((performance.now() - t0) / 10).toBeLessThan(50);
    }
  });
});

describe('input validation names the field', () => {
  const ops = (...list: [string, number][]) => list.map(([name, shares]) => ({ name, shares }));
  const domain = 'operators[0].failureDomain';
  const bad: [string, unknown, string, string][] = [
    ['t = 0', { threshold: 0, operators: [{ name: 'a', shares: 2 }] }, 'INVALID_THRESHOLD', 'threshold'],
    ['t > n', { threshold: 10, operators: seed69.operators }, 'INVALID_THRESHOLD', 'threshold'],
    ['fractional t', { threshold: 2.5, operators: seed69.operators }, 'INVALID_THRESHOLD', 'threshold'],
    ['zero shares', { threshold: 1, operators: ops(['a', 1], ['b', 0]) }, 'INVALID_ARGUMENT', 'operators[1].shares'],
    ['negative shares', { threshold: 1, operators: [{ name: 'a', shares: -3 }] }, 'INVALID_ARGUMENT', 'operators[0].shares'],
    ['duplicate name', { threshold: 1, operators: ops(['Ann', 1], ['ann', 1]) }, 'INVALID_ARGUMENT', 'operators[1].name'],
    ['empty name', { threshold: 1, operators: [{ name: '', shares: 1 }] }, 'INVALID_ARGUMENT', 'operators[0].name'],
    ['control character', { threshold: 1, operators: [{ name: 'a\nb', shares: 1 }] }, 'INVALID_ARGUMENT', 'operators[0].name'],
    ['bad domain', { threshold: 1, operators: [{ name: 'a', shares: 1, failureDomain: 7 }] }, 'INVALID_ARGUMENT', domain],
    ['no operators', { threshold: 1, operators: [] }, 'INVALID_ARGUMENT', 'operators'],
    ['not an input', null, 'INVALID_ARGUMENT', 'input'],
    ['too many operators', { threshold: 1, operators: parseOperators('256').concat(ops(['x', 1])) }, 'LIMIT_EXCEEDED', 'operators'],
    ['too many shares', { threshold: 1, operators: ops(['a', SAFETY_LIMITS.maxShares], ['b', 1]) }, 'LIMIT_EXCEEDED', 'operators'],
  ];
  it.each(bad)('%s', (_, input, code, field) => {
    const e = thrown(() => analyze(input as AnalyzeInput));
    expect(e).toBeInstanceOf(ValidationError);
    expect(isDvkeysError(e, code as 'INVALID_ARGUMENT')).toBe(true);
    expect((e as ValidationError).field).toBe(field);
    expect((e as Error).message).not.toContain('\n');
  });
});

describe('parseOperators', () => {
  it('reads name:count lists, bare names, domains and the plain N form', () => {
    expect(parseOperators('eridian:3, spacesider:3,cloud')).toEqual([
      { name: 'eridian', shares: 3 },
      { name: 'spacesider', shares: 3 },
      { name: 'cloud', shares: 1 },
    ]);
    expect(parseOperators('a:2@home,b@dc-1')).toEqual([
      { name: 'a', shares: 2, failureDomain: 'home' },
      { name: 'b', shares: 1, failureDomain: 'dc-1' },
    ]);
    expect(parseOperators('3')).toEqual([
      { name: 'op1', shares: 1 },
      { name: 'op2', shares: 1 },
      { name: 'op3', shares: 1 },
    ]);
    expect(parseOperators('2', { defaultCount: 4 }).map((o) => o.shares)).toEqual([4, 4]);
  });

  const bad: [string, string, string][] = [
    ['a:b:c', 'INVALID_ARGUMENT', 'operators[0]'],
    ['a:3,,b', 'INVALID_ARGUMENT', 'operators[1]'],
    ['', 'INVALID_ARGUMENT', 'operators[0]'],
    ['a:0', 'INVALID_ARGUMENT', 'operators[0].shares'],
    ['a:3,b:-2', 'INVALID_ARGUMENT', 'operators[1].shares'],
    ['a:3,A:2', 'INVALID_ARGUMENT', 'operators[1].name'],
    ['0', 'INVALID_ARGUMENT', 'operators'],
    ['300', 'INVALID_ARGUMENT', 'operators'],
    ['a:99999', 'INVALID_ARGUMENT', 'operators[0].shares'],
  ];
  it.each(bad)('rejects %j', (spec, code, field) => {
    const e = thrown(() => parseOperators(spec));
    expect(isDvkeysError(e, code as 'INVALID_ARGUMENT')).toBe(true);
    expect((e as ValidationError).field).toBe(field);
  });

  it('refuses domains where they are not used', () => {
    expect(() => parseOperators('a@x', { allowDomains: false })).toThrow(/failure domains/);
  });
});

describe('classic figures', () => {
  it("defaultThreshold is Charon's ceil(2n/3)", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 22].map(defaultThreshold)).toEqual([1, 2, 2, 3, 4, 4, 5, 6, 7, 9, 15]);
    expect(isDvkeysError(thrown(() => defaultThreshold(0)), 'INVALID_ARGUMENT')).toBe(true);
  });

  it('classic BFT f = floor((n-1)/3) is the smaller of CFT and Byzantine safety at the default threshold', () => {
    for (const r of classicTable(64)) expect(r.bft).toBe(Math.min(r.cft, r.byzantineSafety));
    expect(classicRow(4)).toEqual({ n: 4, charonThreshold: 3, cft: 1, byzantineSafety: 1, bft: 1, majorityThreshold: 3, ssvThreshold: 3 });
    expect([7, 10, 13].map((n) => classicRow(n).ssvThreshold)).toEqual([5, 7, 9]);
    expect(classicRow(9).ssvThreshold).toBeNull();
  });

  it('docs/threshold-math.md carries the table for n = 1..22 as computed', () => {
    const doc = readFileSync(new URL('../../docs/threshold-math.md', import.meta.url), 'utf8');
    const rows = doc
      .split('\n')
      .filter((l) => /^\| *[0-9]+ *\|/.test(l))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(rows).toHaveLength(22);
    classicTable(22).forEach((r, i) => {
      expect(rows[i]!.slice(0, 8)).toEqual(
        [r.n, r.charonThreshold, r.cft, r.byzantineSafety, r.bft, r.majorityThreshold, r.n - r.majorityThreshold]
          .map(String)
          .concat(String(r.ssvThreshold ?? '-')),
      );
    });
  });
});

describe('the split gate', () => {
  it('passes 6/9 over three parties', () => {
    const c = assertSplitSafety(seed69);
    expect(c.safe).toBe(true);
    expect(c.reasons).toEqual([]);
    expect(c.warnings).toEqual([]);
  });

  it('refuses 3/6 over two parties with one line naming the witness', () => {
    const e = thrown(() => assertSplitSafety(twoParties36));
    expect(e).toBeInstanceOf(SafetyError);
    expect(isDvkeysError(e, 'UNSAFE_THRESHOLD')).toBe(true);
    expect((e as SafetyError).field).toBe('threshold');
    expect((e as Error).message).not.toContain('\n');
    expect((e as Error).message).toContain('eridian:3 (3) | spacesider:3 (3)');
    expect((e as Error).message).toContain('at least 4');
  });

  it('refuses an operator that can sign alone and blames it', () => {
    const input = { threshold: 4, operators: parseOperators('big:5,b,c') };
    const e = thrown(() => assertSplitSafety(input)) as SafetyError;
    expect(e.code).toBe('UNSAFE_THRESHOLD');
    expect(e.culprits).toEqual(['big']);
    expect(e.message).toMatch(/'big' holds 5 shares >= threshold 4/);
  });

  it('returns the check with the override', () => {
    const c = assertSplitSafety(twoParties36, { allowUnsafe: true });
    expect(c.safe).toBe(false);
    expect(c.reasons).toHaveLength(2);
  });

  it('warns on t = n, two operators, an operator whose outage halts, and a non-default threshold', () => {
    expect(checkSplitSafety({ threshold: 3, operators: parseOperators('3') }).warnings).toEqual([
      'threshold equals n = 3: any one node offline halts signing',
      "operator 'op1' going offline halts signing",
      "threshold 3 differs from Charon's default ceil(2n/3) = 2",
    ]);
    const two = checkSplitSafety({ threshold: 4, operators: parseOperators('a:3,b:3') });
    expect(two.safe).toBe(true);
    expect(two.warnings[0]).toMatch(/^two operators only/);
  });

  it('evaluateOutage names unknown operators and impossible node counts', () => {
    expect((thrown(() => evaluateOutage(seed69, { nobody: 1 })) as ValidationError).field).toBe('down.nobody');
    expect((thrown(() => evaluateOutage(seed69, { cloud: 4 })) as ValidationError).field).toBe('down.cloud');
  });
});

// Issue 19: each test below fails on a mutant of src/safety/threshold-math.ts that the suite once let through.
describe('threshold math: witnesses and edge cases (mutation kills)', () => {
  const fig = async () => (await import('../../src/safety/threshold-math.js')).coreFigures;

  it('coreFigures: no Byzantine tolerance (null, not a negative count) when 2t - n - 1 < 0', async () => {
    const coreFigures = await fig();
    expect(coreFigures([1, 1, 1, 1], 4, 2)).toMatchObject({ splitBrainSafe: false, byzantineShares: null, byzantineOperators: null });
    expect(coreFigures([1, 1, 1, 1], 4, 3)).toMatchObject({ splitBrainSafe: true, byzantineShares: 1, byzantineOperators: 1 });
  });

  it('the operator-partition witness is the most even split: 2-of-6 one share each splits 3 / 3', () => {
    const a = analyze({ threshold: 2, operators: parseOperators('6') });
    expect(a.operatorPartitionSafe).toBe(false);
    expect([a.witnesses.operatorPartition!.a.shares, a.witnesses.operatorPartition!.b.shares]).toEqual([3, 3]);
    expect(a.witnesses.splitBrain).toEqual(a.witnesses.operatorPartition);
  });

  it('the node-partition witness when no operator split exists: 4-of-9 over 3+3+3 takes one operator whole', () => {
    const a = analyze({ threshold: 4, operators: parseOperators('a:3,b:3,c:3') });
    expect(a.operatorPartitionSafe).toBe(true);
    expect(a.witnesses.splitBrain).toEqual({
      a: { operators: [{ name: 'a', shares: 3 }, { name: 'b', shares: 1 }], shares: 4 },
      b: { operators: [{ name: 'b', shares: 2 }, { name: 'c', shares: 3 }], shares: 5 },
    });
  });

  it('operators with equal share counts keep their input order in the witnesses', () => {
    const a = analyze({ threshold: 3, operators: parseOperators('x:1,y:1,z:1,w:1') });
    expect(a.witnesses.crash).toEqual({ operators: ['x', 'y'], shares: 2 });
    expect(a.witnesses.collusion).toEqual({ operators: ['x', 'y', 'z'], shares: 3 });
  });

  it('refuses bad arguments naming the field', () => {
    expect((thrown(() => analyze(5 as unknown as AnalyzeInput)) as ValidationError).field).toBe('input');
    expect((thrown(() => analyze(null as unknown as AnalyzeInput)) as ValidationError).message).toBe("'input' expected an object {threshold, operators}");
    expect((thrown(() => defaultThreshold(0)) as ValidationError).field).toBe('n');
    expect((thrown(() => classicTable(0)) as ValidationError).field).toBe('maxN');
    expect(classicTable()).toHaveLength(22);
    expect(classicTable(3).map((r) => r.charonThreshold)).toEqual([1, 2, 2]);
  });
});
