/**
 * Plain-language verdicts for an {@link Analysis} (design section 5): one line per question a staker asks, with the
 * witness that explains a negative answer. Pure text; the CLI prints it.
 *
 * @module
 */
import type { Analysis, OperatorSetWitness, PartitionWitness } from './threshold-math.js';

/** One question, its short answer and the reason. `ok` is false when the answer is a risk. */
export interface Verdict {
  readonly question: string;
  readonly answer: string;
  readonly ok: boolean;
  readonly reason: string;
}

/** `eridian:3 + cloud:1 | spacesider:3 + cloud:2` */
export function formatPartition(p: PartitionWitness): string {
  const side = (s: PartitionWitness['a']): string => s.operators.map((o) => `${o.name}:${o.shares}`).join(' + ');
  return `${side(p.a)} (${p.a.shares}) | ${side(p.b)} (${p.b.shares})`;
}

function names(w: OperatorSetWitness): string {
  return `${w.operators.join(' + ')} ${w.operators.length === 1 ? 'holds' : 'hold'}`;
}

/** `1 operator`, `2 operators`. */
export function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/**
 * The verdict lines of design section 5 for `a`, in a fixed order: split-brain, operator partition, operators,
 * nodes and domains offline, collusion, single operator, Byzantine shares and operators.
 */
export function verdicts(a: Analysis): Verdict[] {
  const { threshold: t, shares: n, witnesses: w } = a;
  const out: Verdict[] = [];
  out.push({
    question: 'split-brain safe (any network split)',
    answer: a.splitBrainSafe ? 'yes' : 'NO',
    ok: a.splitBrainSafe,
    reason: a.splitBrainSafe
      ? `2t > n (${2 * t} > ${n}): two sides of a split can never both reach ${t} shares`
      : `slashable: 2t <= n (${2 * t} <= ${n}), both sides can sign: ${formatPartition(w.splitBrain!)}`,
  });
  out.push({
    question: 'split between operators',
    answer: a.operatorPartitionSafe ? 'yes' : 'NO',
    ok: a.operatorPartitionSafe,
    reason: a.splitBrainSafe
      ? 'implied by 2t > n'
      : a.operatorPartitionSafe
        ? `no group of operators holds between ${t} and ${n - t} shares (a split between nodes still can)`
        : `slashable: ${formatPartition(w.operatorPartition!)}`,
  });
  const co = a.crashTolerance.operators;
  out.push({
    question: 'operators that may go offline',
    answer: String(co),
    ok: co > 0,
    reason: `${co === 0 ? 'no operator' : `any ${plural(co, 'operator')}`} may be offline: ${names(w.crash)} ${
      w.crash.shares
    }, leaving ${n - w.crash.shares} < ${t}`,
  });
  out.push({
    question: 'nodes that may go offline',
    answer: String(a.crashTolerance.shares),
    ok: a.crashTolerance.shares > 0,
    reason: `any ${a.crashTolerance.shares} of ${n} nodes; one more leaves ${t - 1} < ${t}`,
  });
  if (a.allocation.some((o) => o.failureDomain !== null)) {
    const cd = a.crashTolerance.domains;
    out.push({
      question: 'failure domains that may go offline',
      answer: String(cd),
      ok: cd > 0,
      reason: `${cd === 0 ? 'no domain' : `any ${plural(cd, 'domain')}`} may be offline: ${w.crashDomains.domains.join(
        ' + ',
      )} ${w.crashDomains.domains.length === 1 ? 'holds' : 'hold'} ${w.crashDomains.shares}, leaving ${n - w.crashDomains.shares} < ${t}`,
    });
  }
  out.push({
    question: 'operators needed to sign or rebuild the key',
    answer: String(a.collusion.operators),
    ok: a.collusion.operators > 1,
    reason: `smallest coalition: ${names(w.collusion)} ${w.collusion.shares} >= ${t} shares`,
  });
  const largest = a.allocation.reduce((x, y) => (y.shares > x.shares ? y : x));
  out.push({
    question: 'one operator can sign alone',
    answer: a.singleOperatorCanSign ? 'YES' : 'no',
    ok: !a.singleOperatorCanSign,
    reason: `largest operator ${largest.name} holds ${largest.shares} ${a.singleOperatorCanSign ? '>=' : '<'} ${t}`,
  });
  const bt = a.byzantineTolerance;
  out.push({
    question: 'Byzantine shares tolerated',
    answer: bt === null ? 'none' : String(bt.shares),
    ok: bt !== null && bt.shares > 0,
    reason:
      bt === null
        ? 'not split-brain safe: honest nodes alone can double-sign'
        : `2t - n - 1 = ${bt.shares}: that many nodes signing on both sides of a split cannot make two quorums`,
  });
  out.push({
    question: 'Byzantine operators tolerated',
    answer: bt === null ? 'none' : String(bt.operators),
    ok: bt !== null && bt.operators > 0,
    reason:
      bt === null || w.byzantine === null
        ? 'not split-brain safe'
        : `${bt.operators === 0 ? 'none' : `any ${plural(bt.operators, 'operator')}`}: ${names(w.byzantine)} ${
            w.byzantine.shares
          } > ${bt.shares} shares`,
  });
  return out;
}

/** One line: the overall verdict on `a`. */
export function summary(a: Analysis): string {
  const { threshold: t, shares: n } = a;
  if (!a.splitBrainSafe) {
    const how = a.operatorPartitionSafe ? 'a split between nodes' : 'a split between operators';
    return `SLASHABLE: ${t} of ${n} lets ${how} sign twice; use t >= ${Math.floor(n / 2) + 1}`;
  }
  const co = a.crashTolerance.operators;
  const parts = [
    `safe against split-brain`,
    co > 0 ? `survives any ${plural(co, 'operator')} offline` : 'one operator offline can halt it',
    a.singleOperatorCanSign ? `one operator can sign alone` : `${a.collusion.operators} operators must collude`,
  ];
  return `${t} of ${n}: ${parts.join('; ')}`;
}
