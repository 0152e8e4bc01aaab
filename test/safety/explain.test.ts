/**
 * The verdict lines and summary of explain.ts, word for word (issue 19, docs/mutation.md): `dvkeys analyze` prints
 * them and operators act on them, so a flipped comparison, a wrong count or the wrong witness in a reason fails
 * here. Each allocation reaches different branches (split-brain / operator-partition / domains / plurals / ties).
 */
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/safety/explain.js';
import { analyze, formatPartition, summary, verdicts, type Analysis } from '../../src/safety/index.js';

const QUESTIONS = [
  'split-brain safe (any network split)',
  'split between operators',
  'operators that may go offline',
  'nodes that may go offline',
  'operators needed to sign or rebuild the key',
  'one operator can sign alone',
  'Byzantine shares tolerated',
  'Byzantine operators tolerated',
];
const WITH_DOMAINS = [...QUESTIONS.slice(0, 4), 'failure domains that may go offline', ...QUESTIONS.slice(4)];

/** [answer, ok, reason] per verdict, after checking the questions and their order. */
function lines(a: Analysis): [string, boolean, string][] {
  const v = verdicts(a);
  const domains = a.allocation.some((o) => o.failureDomain !== null);
  expect(v.map((x) => x.question)).toEqual(domains ? WITH_DOMAINS : QUESTIONS);
  return v.map((x) => [x.answer, x.ok, x.reason]);
}

describe('explain: verdicts and summary', () => {
  it("6 of 9 with 3/3/3 (split-brain safe, no Byzantine operator)", () => {
    const a = analyze({ threshold: 6, operators: [{ name: 'eridian', shares: 3 }, { name: 'spacesider', shares: 3 }, { name: 'cloud', shares: 3 }] });
    expect(summary(a)).toBe("6 of 9: safe against split-brain; survives any 1 operator offline; 2 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (12 > 9): two sides of a split can never both reach 6 shares"],
      ["yes", true, "implied by 2t > n"],
      ["1", true, "any 1 operator may be offline: eridian + spacesider hold 6, leaving 3 < 6"],
      ["3", true, "any 3 of 9 nodes; one more leaves 5 < 6"],
      ["2", true, "smallest coalition: eridian + spacesider hold 6 >= 6 shares"],
      ["no", true, "largest operator eridian holds 3 < 6"],
      ["2", true, "2t - n - 1 = 2: that many nodes signing on both sides of a split cannot make two quorums"],
      ["0", false, "none: eridian holds 3 > 2 shares"],
    ]);
  });

  it("3 of 6 with 3/3 (a split between operators signs twice)", () => {
    const a = analyze({ threshold: 3, operators: [{ name: 'eridian', shares: 3 }, { name: 'spacesider', shares: 3 }] });
    expect(summary(a)).toBe("SLASHABLE: 3 of 6 lets a split between operators sign twice; use t >= 4");
    expect(lines(a)).toEqual([
      ["NO", false, "slashable: 2t <= n (6 <= 6), both sides can sign: eridian:3 (3) | spacesider:3 (3)"],
      ["NO", false, "slashable: eridian:3 (3) | spacesider:3 (3)"],
      ["1", true, "any 1 operator may be offline: eridian + spacesider hold 6, leaving 0 < 3"],
      ["3", true, "any 3 of 6 nodes; one more leaves 2 < 3"],
      ["1", false, "smallest coalition: eridian holds 3 >= 3 shares"],
      ["YES", false, "largest operator eridian holds 3 >= 3"],
      ["none", false, "not split-brain safe: honest nodes alone can double-sign"],
      ["none", false, "not split-brain safe"],
    ]);
  });

  it("3 of 6 with 4/1/1 (only a split between nodes signs twice)", () => {
    const a = analyze({ threshold: 3, operators: [{ name: 'big', shares: 4 }, { name: 'b', shares: 1 }, { name: 'c', shares: 1 }] });
    expect(summary(a)).toBe("SLASHABLE: 3 of 6 lets a split between nodes sign twice; use t >= 4");
    expect(lines(a)).toEqual([
      ["NO", false, "slashable: 2t <= n (6 <= 6), both sides can sign: big:3 (3) | big:1 + b:1 + c:1 (3)"],
      ["yes", true, "no group of operators holds between 3 and 3 shares (a split between nodes still can)"],
      ["0", false, "no operator may be offline: big holds 4, leaving 2 < 3"],
      ["3", true, "any 3 of 6 nodes; one more leaves 2 < 3"],
      ["1", false, "smallest coalition: big holds 4 >= 3 shares"],
      ["YES", false, "largest operator big holds 4 >= 3"],
      ["none", false, "not split-brain safe: honest nodes alone can double-sign"],
      ["none", false, "not split-brain safe"],
    ]);
  });

  it("4 of 4 single-share operators (no crash tolerance, all must collude)", () => {
    const a = analyze({ threshold: 4, operators: ['a', 'b', 'c', 'd'].map((name) => ({ name, shares: 1 })) });
    expect(summary(a)).toBe("4 of 4: safe against split-brain; one operator offline can halt it; 4 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (8 > 4): two sides of a split can never both reach 4 shares"],
      ["yes", true, "implied by 2t > n"],
      ["0", false, "no operator may be offline: a holds 1, leaving 3 < 4"],
      ["0", false, "any 0 of 4 nodes; one more leaves 3 < 4"],
      ["4", true, "smallest coalition: a + b + c + d hold 4 >= 4 shares"],
      ["no", true, "largest operator a holds 1 < 4"],
      ["3", true, "2t - n - 1 = 3: that many nodes signing on both sides of a split cannot make two quorums"],
      ["3", true, "any 3 operators: a + b + c + d hold 4 > 3 shares"],
    ]);
  });

  it("3 of 4 with 3/1 (one operator signs alone)", () => {
    const a = analyze({ threshold: 3, operators: [{ name: 'a', shares: 3 }, { name: 'b', shares: 1 }] });
    expect(summary(a)).toBe("3 of 4: safe against split-brain; one operator offline can halt it; one operator can sign alone");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (6 > 4): two sides of a split can never both reach 3 shares"],
      ["yes", true, "implied by 2t > n"],
      ["0", false, "no operator may be offline: a holds 3, leaving 1 < 3"],
      ["1", true, "any 1 of 4 nodes; one more leaves 2 < 3"],
      ["1", false, "smallest coalition: a holds 3 >= 3 shares"],
      ["YES", false, "largest operator a holds 3 >= 3"],
      ["1", true, "2t - n - 1 = 1: that many nodes signing on both sides of a split cannot make two quorums"],
      ["0", false, "none: a holds 3 > 1 shares"],
    ]);
  });

  it("3 of 5 single-share operators (plural operators, zero Byzantine shares)", () => {
    const a = analyze({ threshold: 3, operators: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, shares: 1 })) });
    expect(summary(a)).toBe("3 of 5: safe against split-brain; survives any 2 operators offline; 3 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (6 > 5): two sides of a split can never both reach 3 shares"],
      ["yes", true, "implied by 2t > n"],
      ["2", true, "any 2 operators may be offline: a + b + c hold 3, leaving 2 < 3"],
      ["2", true, "any 2 of 5 nodes; one more leaves 2 < 3"],
      ["3", true, "smallest coalition: a + b + c hold 3 >= 3 shares"],
      ["no", true, "largest operator a holds 1 < 3"],
      ["0", false, "2t - n - 1 = 0: that many nodes signing on both sides of a split cannot make two quorums"],
      ["0", false, "none: a holds 1 > 0 shares"],
    ]);
  });

  it("5 of 7 with failure domains (one domain halts it, one Byzantine operator tolerated)", () => {
    const a = analyze({ threshold: 5, operators: [{ name: 'a', shares: 2, failureDomain: 'dc1' }, { name: 'b', shares: 1, failureDomain: 'dc1' }, { name: 'c', shares: 2, failureDomain: 'dc2' }, { name: 'd', shares: 2 }] });
    expect(summary(a)).toBe("5 of 7: safe against split-brain; survives any 1 operator offline; 3 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (10 > 7): two sides of a split can never both reach 5 shares"],
      ["yes", true, "implied by 2t > n"],
      ["1", true, "any 1 operator may be offline: a + c hold 4, leaving 3 < 5"],
      ["2", true, "any 2 of 7 nodes; one more leaves 4 < 5"],
      ["0", false, "no domain may be offline: dc1 holds 3, leaving 4 < 5"],
      ["3", true, "smallest coalition: a + c + d hold 6 >= 5 shares"],
      ["no", true, "largest operator a holds 2 < 5"],
      ["2", true, "2t - n - 1 = 2: that many nodes signing on both sides of a split cannot make two quorums"],
      ["1", true, "any 1 operator: a + c hold 4 > 2 shares"],
    ]);
  });

  it("4 of 6 with three domains (any one may be offline)", () => {
    const a = analyze({ threshold: 4, operators: [{ name: 'a', shares: 2, failureDomain: 'dc1' }, { name: 'b', shares: 2, failureDomain: 'dc2' }, { name: 'c', shares: 2, failureDomain: 'dc3' }] });
    expect(summary(a)).toBe("4 of 6: safe against split-brain; survives any 1 operator offline; 2 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (8 > 6): two sides of a split can never both reach 4 shares"],
      ["yes", true, "implied by 2t > n"],
      ["1", true, "any 1 operator may be offline: a + b hold 4, leaving 2 < 4"],
      ["2", true, "any 2 of 6 nodes; one more leaves 3 < 4"],
      ["1", true, "any 1 domain may be offline: dc1 + dc2 hold 4, leaving 2 < 4"],
      ["2", true, "smallest coalition: a + b hold 4 >= 4 shares"],
      ["no", true, "largest operator a holds 2 < 4"],
      ["1", true, "2t - n - 1 = 1: that many nodes signing on both sides of a split cannot make two quorums"],
      ["0", false, "none: a holds 2 > 1 shares"],
    ]);
  });

  it("5 of 7 with seven one-operator domains (plural domains)", () => {
    const a = analyze({ threshold: 5, operators: [{ name: 'a', shares: 1, failureDomain: 'x' }, { name: 'b', shares: 1, failureDomain: 'y' }, { name: 'c', shares: 1, failureDomain: 'z' }, { name: 'd', shares: 1, failureDomain: 'w' }, { name: 'e', shares: 1, failureDomain: 'v' }, { name: 'f', shares: 1, failureDomain: 'u' }, { name: 'g', shares: 1, failureDomain: 's' }] });
    expect(summary(a)).toBe("5 of 7: safe against split-brain; survives any 2 operators offline; 5 operators must collude");
    expect(lines(a)).toEqual([
      ["yes", true, "2t > n (10 > 7): two sides of a split can never both reach 5 shares"],
      ["yes", true, "implied by 2t > n"],
      ["2", true, "any 2 operators may be offline: a + b + c hold 3, leaving 4 < 5"],
      ["2", true, "any 2 of 7 nodes; one more leaves 4 < 5"],
      ["2", true, "any 2 domains may be offline: x + y + z hold 3, leaving 4 < 5"],
      ["5", true, "smallest coalition: a + b + c + d + e hold 5 >= 5 shares"],
      ["no", true, "largest operator a holds 1 < 5"],
      ["2", true, "2t - n - 1 = 2: that many nodes signing on both sides of a split cannot make two quorums"],
      ["2", true, "any 2 operators: a + b + c hold 3 > 2 shares"],
    ]);
  });

  it('formatPartition and plural', () => {
    expect(formatPartition({
      a: { operators: [{ name: 'eridian', shares: 3 }, { name: 'cloud', shares: 1 }], shares: 4 },
      b: { operators: [{ name: 'spacesider', shares: 3 }], shares: 3 },
    })).toBe('eridian:3 + cloud:1 (4) | spacesider:3 (3)');
    expect([plural(0, 'node'), plural(1, 'node'), plural(2, 'node')]).toEqual(['0 nodes', '1 node', '2 nodes']);
  });
});
