import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/errors.js';
import { isDvkeysError } from '../../src/errors.js';
import { analyzeClusters, parseOperators, type ClusterInput } from '../../src/safety/index.js';
import { weightOf } from './brute-force.js';

const obol: ClusterInput = { name: 'obol', threshold: 6, operators: parseOperators('eridian:3,spacesider:3,cloud:3') };
const stakewise: ClusterInput = { name: 'stakewise', threshold: 2, operators: parseOperators('eridian,spacesider') };

describe('several clusters over the same operators', () => {
  it('an Obol cluster and a StakeWise vault cluster: which stop when one operator goes down', () => {
    const r = analyzeClusters([obol, stakewise]);
    expect(r.operators).toEqual(['eridian', 'spacesider', 'cloud']);
    const row = (label: string) => r.table.find((e) => e.label === label)!;
    expect(row('eridian').halted).toEqual(['stakewise']);
    expect(row('spacesider').halted).toEqual(['stakewise']);
    expect(row('cloud').halted).toEqual([]);
    expect(row('eridian').clusters).toEqual([
      { cluster: 'obol', sharesLeft: 6, threshold: 6, attesting: true },
      { cluster: 'stakewise', sharesLeft: 1, threshold: 2, attesting: false },
    ]);
    expect(r.weakest).toEqual({ operators: ['eridian'], halted: ['stakewise'] });
    expect(r.clusters.map((c) => c.analysis.splitBrainSafe)).toEqual([true, true]);
  });

  it('failure domains: one row per shared domain, domains merged across clusters', () => {
    const a: ClusterInput = { name: 'a', threshold: 2, operators: parseOperators('x@dc,y,z') };
    const b: ClusterInput = { name: 'b', threshold: 2, operators: parseOperators('X,y@dc,w') };
    const r = analyzeClusters([a, b], { pairs: true });
    const dc = r.table.find((e) => e.kind === 'domain')!;
    expect(dc.label).toBe('dc');
    expect(dc.operators).toEqual(['x', 'y']);
    expect(dc.halted).toEqual(['a', 'b']);
    expect(r.clusters[1]!.analysis.allocation[0]!.failureDomain).toBe('dc');
    expect(r.table.filter((e) => e.kind === 'pair')).toHaveLength(6);
  });

  const bad: [string, unknown, string, string][] = [
    ['no clusters', [], 'INVALID_ARGUMENT', 'clusters'],
    ['duplicate cluster names', [obol, { ...stakewise, name: 'OBOL' }], 'INVALID_ARGUMENT', 'clusters[1].name'],
    ['a bad threshold', [obol, { ...stakewise, threshold: 3 }], 'INVALID_THRESHOLD', 'clusters[1].threshold'],
    ['bad shares', [obol, { ...stakewise, operators: [{ name: 'a', shares: 0 }] }], 'INVALID_ARGUMENT', 'clusters[1].operators[0].shares'],
    [
      'domains that disagree',
      [
        { name: 'a', threshold: 1, operators: parseOperators('x@one') },
        { name: 'b', threshold: 1, operators: parseOperators('x@two') },
      ],
      'INVALID_ARGUMENT',
      'clusters[1].operators[0].failureDomain',
    ],
  ];
  it.each(bad)('refuses %s', (_, input, code, field) => {
    let e: unknown;
    try {
      analyzeClusters(input as ClusterInput[]);
    } catch (x) {
      e = x;
    }
    expect(isDvkeysError(e, code as 'INVALID_ARGUMENT')).toBe(true);
    expect((e as ValidationError).field).toBe(field);
  });

  it('every row and the weakest point equal a brute force over operator subsets', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const cluster = fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 })
      .filter((w) => w.some((x) => x > 0))
      .chain((w) => fc.record({ w: fc.constant(w), t: fc.integer({ min: 1, max: w.reduce((s, x) => s + x, 0) }) }));
    fc.assert(
      fc.property(fc.array(cluster, { minLength: 1, maxLength: 4 }), (cs) => {
        const input = cs.map(({ w, t }, i) => ({
          name: `c${i}`,
          threshold: t,
          operators: names.flatMap((name, j) => (w[j]! > 0 ? [{ name, shares: w[j]! }] : [])),
        }));
        const r = analyzeClusters(input, { pairs: true });
        const used = [...new Set(input.flatMap((c) => c.operators.map((o) => o.name)))]; // first appearance
        const down = (mask: number) => cs.map(({ w, t }) => weightOf(mask, w) <= w.reduce((s, x) => s + x, 0) - t);
        for (const e of r.table) {
          const mask = e.operators.reduce((m, o) => m | (1 << names.indexOf(o)), 0);
          expect(e.clusters.map((s) => s.attesting)).toEqual(down(mask));
        }
        expect(r.table.filter((e) => e.kind === 'operator').map((e) => e.label)).toEqual(used);
        // weakest: no smaller operator set halts any cluster, and it halts what it says.
        const size = r.weakest.operators.length;
        for (let mask = 0; mask < 32; mask++) {
          let bits = 0;
          for (let j = 0; j < 5; j++) if (mask & (1 << j)) bits++;
          if (bits < size) expect(down(mask).every(Boolean)).toBe(true);
        }
        const wmask = r.weakest.operators.reduce((m, o) => m | (1 << names.indexOf(o)), 0);
        expect(r.weakest.halted).toEqual(input.filter((_, i) => !down(wmask)[i]).map((c) => c.name));
        expect(r.weakest.halted.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
