/**
 * `dvkeys plan`: ranked split-brain-safe allocations and thresholds for a set of operators (design section 5).
 *
 * @module
 */
import { PLAN_LIMITS, parseOperators, plan, type Plan } from '../../safety/index.js';
import { intOption, parse } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { formatTable } from '../table.js';

const USAGE = `Usage: dvkeys plan --operators SPEC [--max-nodes N] [--max-shares N] [--top K] [--json]

Proposes how many shares (nodes) each operator should run and which threshold to use. Only split-brain-safe
choices (2t > n) are listed, ranked by: operators that may go offline, nodes that may go offline, operators needed
to collude, Byzantine operators then shares tolerated, fewer shares. Also states what no allocation can achieve.

Options:
  --operators SPEC   the operators and the most nodes each can run: eridian:4,spacesider:4,cloud:4 (a bare name
                     uses --max-nodes), or a number N for N operators op1..opN
  --max-nodes N      limit for operators given without a count (default ${PLAN_LIMITS.defaultMaxShares})
  --max-shares N     most shares in total (n)
  --top K            how many choices to list (default ${PLAN_LIMITS.defaultTop}, at most ${PLAN_LIMITS.maxTop})
  --json             print the plan as JSON

Searches at most ${PLAN_LIMITS.maxOperators} operators and ${PLAN_LIMITS.maxAllocations} allocations (operators \
with equal limits count once per permutation).
Example: dvkeys plan --operators eridian:4,spacesider:4,cloud:4`;

const OPTIONS = {
  operators: { type: 'string' },
  'max-nodes': { type: 'string' },
  'max-shares': { type: 'string' },
  top: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The `plan` command. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'rank safe share allocations and thresholds for a set of operators',
  usage: USAGE,
  run: (args: string[], io: CliIo): Promise<number> => {
    const { values } = parse(args, OPTIONS);
    if (values.operators === undefined) throw new UsageError('--operators is required');
    const maxNodes = intOption(values['max-nodes'], 'max-nodes', 1) ?? PLAN_LIMITS.defaultMaxShares;
    const parsed = parseOperators(values.operators, { defaultCount: maxNodes, allowDomains: false });
    const result = plan({
      operators: parsed.map((o) => ({ name: o.name, maxShares: o.shares })),
      maxTotalShares: intOption(values['max-shares'], 'max-shares', 1),
      top: intOption(values.top, 'top', 1),
    });
    io.out(values.json === true ? JSON.stringify(result, null, 2) : render(result).join('\n'));
    return Promise.resolve(0);
  },
};

function render(p: Plan): string[] {
  const same = p.interchangeable.map((g) => `${g.join(', ')} are interchangeable`).join('; ');
  const lines = [
    `searched ${p.searched.allocations} allocations, ${p.searched.safeChoices} split-brain-safe choices` +
      (same === '' ? '' : ` (${same}: each allocation stands for its permutations)`),
    `ranked by: ${p.criteria.join(', ')}`,
    ...formatTable(
      ['#', 'allocation', 't/n', 'ops off', 'nodes off', 'collude', 'byz ops', 'byz shares'],
      p.candidates.map((c) => {
        const a = c.analysis;
        return [
          String(c.rank),
          c.allocation.map((o) => `${o.name}:${o.shares}`).join(','),
          `${c.threshold}/${c.shares}`,
          String(a.crashTolerance.operators),
          String(a.crashTolerance.shares),
          String(a.collusion.operators),
          String(a.byzantineTolerance?.operators ?? '-'),
          String(a.byzantineTolerance?.shares ?? '-'),
        ];
      }),
    ),
    '',
    ...p.candidates.map((c) => `  #${c.rank}: ${c.reason}`),
  ];
  if (p.limits.length > 0) lines.push('', 'what no allocation can do:', ...p.limits.map((l) => `  - ${l.statement}`));
  return lines;
}
