/**
 * Slashing-safety math speed (issue 4: analyze under 50 ms for 64 operators).
 * `npx tsx benchmarks/threshold-math.bench.ts` or `npm run bench -- threshold-math`.
 */
import { analyze, analyzeClusters, plan, type OperatorInput } from '../src/safety/index.js';
import { report, time, type Row } from './lib.js';

const operators = (m: number, maxShares: number): OperatorInput[] =>
  Array.from({ length: m }, (_, i) => ({ name: `op${i + 1}`, shares: 1 + ((i * 7919) % maxShares) }));
const total = (ops: readonly OperatorInput[]): number => ops.reduce((s, o) => s + o.shares, 0);

const rows: Row[] = [];
for (const [m, maxShares] of [
  [3, 3],
  [64, 4],
  [64, 64],
  [256, 16],
] as const) {
  const ops = operators(m, maxShares);
  const n = total(ops);
  // 2t > n skips the subset-sum; t = floor(n/2) runs it (the operator-partition witness search).
  for (const [label, t] of [
    ['ceil(2n/3)', Math.ceil((2 * n) / 3)],
    ['floor(n/2), subset-sum', Math.floor(n / 2)],
  ] as const) {
    const r = await time(() => analyze({ threshold: t, operators: ops }), 20);
    rows.push({ case: `analyze ${m} operators, n = ${n}, t = ${label}`, ...r });
  }
}

for (const [label, input] of [
  ['plan 3 operators <= 4 nodes', { operators: ['eridian', 'spacesider', 'cloud'].map((name) => ({ name })) }],
  ['plan 8 operators <= 4 nodes', { operators: Array.from({ length: 8 }, (_, i) => ({ name: `o${i}` })) }],
  ['plan 16 operators <= 4 nodes', { operators: Array.from({ length: 16 }, (_, i) => ({ name: `o${i}` })) }],
  [
    'plan 6 operators, limits 1..6',
    { operators: Array.from({ length: 6 }, (_, i) => ({ name: `o${i}`, maxShares: i + 1 })) },
  ],
  [
    'plan 16 operators <= 8 nodes (near the cap)',
    { operators: Array.from({ length: 16 }, (_, i) => ({ name: `o${i}`, maxShares: 8 })) },
  ],
  [
    'plan 4 operators <= 16 nodes, top 20',
    { operators: Array.from({ length: 4 }, (_, i) => ({ name: `o${i}`, maxShares: 16 })), top: 20 },
  ],
] as const) {
  const r = await time(() => plan(input), 3);
  const p = plan(input);
  rows.push({ case: `${label}: ${p.searched.allocations} allocations`, ...r });
}

const clusters = Array.from({ length: 8 }, (_, c) => {
  const ops = operators(64, 4).filter((_, i) => (i + c) % 3 !== 0);
  return { name: `cluster${c}`, threshold: Math.ceil((2 * total(ops)) / 3), operators: ops };
});
const mc = await time(() => analyzeClusters(clusters, { pairs: true }), 5);
rows.push({ case: 'analyzeClusters 8 clusters over 64 operators, with pairs', ...mc });

report('threshold-math', 'Slashing-safety threshold math', rows);
