/**
 * `dvkeys analyze`: the slashing-safety figures of a threshold and an allocation (design section 5), or the
 * correlated-failure table of several clusters over the same operators.
 *
 * @module
 */
import {
  analyze,
  analyzeClusters,
  defaultThreshold,
  parseOperators,
  summary,
  verdicts,
  type Analysis,
  type ClusterInput,
  type MultiClusterAnalysis,
} from '../../safety/index.js';
import { intOption, parse } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { formatTable } from '../table.js';

const USAGE = `Usage: dvkeys analyze --operators SPEC [--threshold T] [--json]
       dvkeys analyze --cluster NAME[:T]=SPEC [--cluster ...] [--pairs] [--json]

Answers, for a threshold t and shares spread over operators: can a network split make two sides sign (slashable)?
How many operators or nodes may go offline? How many operators must collude to sign alone or rebuild the key? How
many Byzantine shares or operators does it survive? (docs/threshold-math.md)

Options:
  --operators SPEC   operators and their shares (one node per share): eridian:3,spacesider:3,cloud:3
                     (name:count[@failure-domain]; a bare name holds one share), or a number N for N operators
                     op1..opN with one share each
  --threshold T      signing threshold, 1..n (default ceil(2n/3), Charon's default)
  --cluster DEF      one cluster NAME[:T]=SPEC, repeatable: which clusters stop when an operator goes down
                     (operators with the same name are the same machine across clusters)
  --pairs            with --cluster, also tabulate every pair of operators down at once
  --json             print the analysis as JSON (field names in docs/threshold-math.md)

Exit status: 0 after any analysis (even a slashable one), 1 for invalid input, 2 for a usage mistake.
Example: dvkeys analyze --threshold 6 --operators eridian:3,spacesider:3,cloud:3`;

const OPTIONS = {
  operators: { type: 'string' },
  threshold: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  pairs: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The `analyze` command. */
export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'slashing-safety analysis of a threshold and share allocation',
  usage: USAGE,
  run: (args: string[], io: CliIo): Promise<number> => {
    const { values } = parse(args, OPTIONS);
    const json = values.json === true;
    if (values.cluster !== undefined) {
      if (values.operators !== undefined || values.threshold !== undefined) {
        throw new UsageError('--cluster cannot be combined with --operators or --threshold');
      }
      const result = analyzeClusters(values.cluster.map(parseCluster), { pairs: values.pairs === true });
      io.out(json ? JSON.stringify(result, null, 2) : renderClusters(result).join('\n'));
      return Promise.resolve(0);
    }
    if (values.pairs === true) throw new UsageError('--pairs needs --cluster');
    if (values.operators === undefined) throw new UsageError('--operators is required');
    const operators = parseOperators(values.operators);
    const given = intOption(values.threshold, 'threshold', 0);
    const threshold = given ?? defaultThreshold(operators.reduce((s, o) => s + o.shares, 0));
    const a = analyze({ threshold, operators });
    if (json) io.out(JSON.stringify(a, null, 2));
    else io.out(renderAnalysis(a, given === undefined).join('\n'));
    return Promise.resolve(0);
  },
};

const CLUSTER = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?::([0-9]+))?=(.+)$/;

function parseCluster(def: string, i: number): ClusterInput {
  const m = CLUSTER.exec(def.trim());
  if (m === null) throw new UsageError(`--cluster expects NAME[:T]=OPERATORS, got '${def.slice(0, 40)}'`);
  const [, name, t, spec] = m;
  const operators = parseOperators(spec!, { field: `clusters[${i}].operators` });
  const threshold = t === undefined ? defaultThreshold(operators.reduce((s, o) => s + o.shares, 0)) : Number(t);
  return { name: name!, threshold, operators };
}

function renderAnalysis(a: Analysis, defaulted: boolean): string[] {
  const m = a.allocation.length;
  const lines = [
    `threshold ${a.threshold} of ${a.shares} shares over ${m} operator${m === 1 ? '' : 's'}` +
      (defaulted ? ` (threshold defaulted to ceil(2n/3) = ${a.threshold})` : ''),
    ...formatTable(
      ['operator', 'shares', 'failure domain'],
      a.allocation.map((o) => [o.name, String(o.shares), o.failureDomain ?? '-']),
    ),
    '',
    ...formatTable(
      ['question', 'answer', 'why'],
      verdicts(a).map((v) => [v.question, v.answer, v.reason]),
    ),
    '',
  ];
  const c = a.classic;
  lines.push(
    `compare: ${c.n} single-share nodes at Charon's default t = ${c.charonThreshold} tolerate ${c.cft} offline and ` +
      `${c.byzantineSafety} Byzantine; classic BFT f = ${c.bft}; smallest safe t = ${c.majorityThreshold}; ` +
      (c.ssvThreshold === null ? 'not an SSV size' : `SSV uses t = ${c.ssvThreshold}`),
  );
  if (a.flags.length > 0) lines.push(`flags: ${a.flags.join(', ')}`);
  lines.push(`verdict: ${summary(a)}`);
  return lines;
}

function renderClusters(r: MultiClusterAnalysis): string[] {
  const lines = [
    `${r.clusters.length} clusters over ${r.operators.length} operators`,
    ...formatTable(
      ['cluster', 't/n', 'operators', 'verdict'],
      r.clusters.map(({ name, analysis: a }) => [
        name,
        `${a.threshold}/${a.shares}`,
        a.allocation.map((o) => `${o.name}:${o.shares}`).join(','),
        summary(a).replace(/^[0-9]+ of [0-9]+: /, ''),
      ]),
    ),
    '',
    'when operators go down (shares left/threshold):',
    ...formatTable(
      ['down', ...r.clusters.map((c) => c.name), 'stops'],
      r.table.map((e) => [
        e.kind === 'domain' ? `${e.label} (${e.operators.join(', ')})` : e.label,
        ...e.clusters.map((s) => `${s.sharesLeft}/${s.threshold} ${s.attesting ? 'ok' : 'HALTED'}`),
        e.halted.length === 0 ? '-' : e.halted.join(', '),
      ]),
    ),
    '',
    `weakest point: ${r.weakest.operators.join(' + ')} down halts ${r.weakest.halted.join(', ')}`,
  ];
  return lines;
}
