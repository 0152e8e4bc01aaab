import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dvkeys analyze', () => {
  it('answers the seed question for 6 of 9 over three parties, one verdict line per question', async () => {
    const r = await run('analyze', '--threshold', '6', '--operators', 'eridian:3,spacesider:3,cloud:3');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('threshold 6 of 9 shares over 3 operators');
    const answer = (q: string) => {
      const line = lines.find((l) => l.trimStart().startsWith(`${q}  `))!;
      return line.trim().slice(q.length).trim().split(/\s+/)[0];
    };
    expect(answer('split-brain safe (any network split)')).toBe('yes');
    expect(answer('split between operators')).toBe('yes');
    expect(answer('operators that may go offline')).toBe('1');
    expect(answer('nodes that may go offline')).toBe('3');
    expect(answer('operators needed to sign or rebuild the key')).toBe('2');
    expect(answer('one operator can sign alone')).toBe('no');
    expect(answer('Byzantine shares tolerated')).toBe('2');
    expect(answer('Byzantine operators tolerated')).toBe('0');
    expect(lines.at(-1)).toBe(
      'verdict: 6 of 9: safe against split-brain; survives any 1 operator offline; 2 operators must collude',
    );
  });

  it('prints the stable JSON field names with --json', async () => {
    const r = await run('analyze', '--json', '--threshold', '6', '--operators', 'eridian:3,spacesider:3,cloud:3');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      threshold: 6,
      shares: 9,
      splitBrainSafe: true,
      operatorPartitionSafe: true,
      crashTolerance: { shares: 3, operators: 1 },
      byzantineTolerance: { shares: 2, operators: 0 },
      collusion: { operators: 2 },
      singleOperatorCanSign: false,
    });
    expect(Object.keys(j.witnesses).sort()).toEqual(
      ['byzantine', 'collusion', 'crash', 'crashDomains', 'operatorPartition', 'splitBrain'].sort(),
    );
  });

  it('flags 3 of 6 over two parties as slashable with the witness partition', async () => {
    const r = await run('analyze', '--threshold', '3', '--operators', 'eridian:3,spacesider:3');
    expect(r.code).toBe(0);
    expect(r.out).toContain('slashable: 2t <= n (6 <= 6), both sides can sign: eridian:3 (3) | spacesider:3 (3)');
    expect(r.out).toMatch(/verdict: SLASHABLE/);
    const j = JSON.parse((await run('analyze', '--json', '--threshold', '3', '--operators', 'eridian:3,spacesider:3')).out);
    expect(j.splitBrainSafe).toBe(false);
    expect(j.byzantineTolerance).toBeNull();
    expect(j.witnesses.splitBrain.a.operators).toEqual([{ name: 'eridian', shares: 3 }]);
  });

  it("defaults the threshold to ceil(2n/3) and reads the plain N form", async () => {
    const r = await run('analyze', '--operators', '9');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('threshold 6 of 9 shares over 9 operators (threshold defaulted to ceil(2n/3) = 6)');
    expect(r.out).toContain('op9');
  });

  const bad: [string, string[], number, RegExp][] = [
    ['t = 0', ['--threshold', '0', '--operators', 'a:3,b:3,c:3'], 1, /'threshold' expected an integer in 1\.\.9 .*\[INVALID_THRESHOLD\]$/],
    ['t > n', ['--threshold', '10', '--operators', 'a:3,b:3,c:3'], 1, /got 10 \[INVALID_THRESHOLD\]$/],
    ['unknown syntax', ['--operators', 'a=3,b:3'], 1, /'operators\[0\]' expected name, name:count or name:count@domain, got 'a=3'/],
    ['zero shares', ['--operators', 'a:3,b:0'], 1, /'operators\[1\]\.shares' expected 1\.\.4096, got 0 \[INVALID_ARGUMENT\]$/],
    ['negative shares', ['--operators', 'a:-3,b:3'], 1, /'operators\[0\]\.shares' expected 1\.\.4096, got -3/],
    ['duplicate names', ['--operators', 'a:3,b:3,a:1'], 1, /'operators\[2\]\.name' duplicates operators\[0\]: 'a'/],
    ['a threshold that is not a number', ['--threshold', 'six', '--operators', '9'], 2, /--threshold expects a whole number/],
    ['no operators', ['--threshold', '6'], 2, /--operators is required/],
    ['an unknown option', ['--operators', '9', '--frobnicate'], 2, /unknown option '--frobnicate'/],
    ['--pairs without --cluster', ['--operators', '9', '--pairs'], 2, /--pairs needs --cluster/],
    ['--cluster with --operators', ['--operators', '9', '--cluster', 'x=a,b'], 2, /cannot be combined/],
    ['a bad --cluster', ['--cluster', 'obol:6'], 2, /--cluster expects NAME\[:T\]=OPERATORS/],
  ];
  it.each(bad)('rejects %s with one line and a non-zero exit', async (_, args, code, message) => {
    const r = await run('analyze', ...args);
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^dvkeys analyze: error: /);
    expect(r.err).toMatch(message);
  });

  it('shows which clusters stop when one operator goes down', async () => {
    const r = await run(
      'analyze',
      '--cluster',
      'obol:6=eridian:3,spacesider:3,cloud:3',
      '--cluster',
      'stakewise:2=eridian,spacesider',
    );
    expect(r.code).toBe(0);
    const row = (name: string) => r.out.split('\n').find((l) => l.trimStart().startsWith(`${name} `))!;
    expect(row('eridian')).toMatch(/6\/6 ok\s+1\/2 HALTED\s+stakewise$/);
    expect(row('cloud')).toMatch(/6\/6 ok\s+2\/2 ok\s+-$/);
    expect(r.out).toContain('weakest point: eridian down halts stakewise');
    const j = JSON.parse((await run('analyze', '--json', '--cluster', 'obol=a:3,b:3,c:3', '--pairs')).out);
    expect(j.clusters[0].analysis.threshold).toBe(6);
    expect(j.table.map((e: { kind: string }) => e.kind)).toEqual(['operator', 'operator', 'operator', 'pair', 'pair', 'pair']);
  });

  it('prints its help', async () => {
    const r = await run('analyze', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: dvkeys analyze --operators SPEC/);
  });
});

describe('dvkeys plan', () => {
  it('ranks allocations for two stakers and a cloud node, with reasons and limits', async () => {
    const r = await run('plan', '--operators', 'eridian:4,spacesider:4,cloud:4');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^searched 20 allocations, 80 split-brain-safe choices \(eridian, spacesider, cloud are interchangeable/);
    expect(lines.find((l) => /^\s+1\s/.test(l))).toMatch(/eridian:4,spacesider:4,cloud:4\s+7\/12\s+1\s+5\s+2\s+0\s+1$/);
    expect(r.out).toContain('#1: best of 80 safe choices');
    expect(r.out).toContain('what no allocation can do:');
  });

  it('states the two-operator impossibility', async () => {
    const r = await run('plan', '--operators', 'eridian,spacesider', '--max-nodes', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.limits.map((l: { code: string }) => l.code)).toContain('TWO_OPERATORS');
    expect(j.candidates[0].allocation).toEqual([
      { name: 'eridian', shares: 3 },
      { name: 'spacesider', shares: 3 },
    ]);
    expect(j.candidates[0].analysis.crashTolerance.operators).toBe(0);
  });

  it('honours --max-shares and --top', async () => {
    const j = JSON.parse((await run('plan', '--operators', '4', '--max-shares', '5', '--top', '3', '--json')).out);
    expect(j.candidates).toHaveLength(3);
    expect(j.candidates.every((c: { shares: number }) => c.shares <= 5)).toBe(true);
  });

  const bad: [string, string[], number, RegExp][] = [
    ['zero nodes', ['--operators', 'a:0,b'], 1, /'operators\[0\]\.shares' expected 1\.\.4096, got 0/],
    ['too many nodes', ['--operators', 'a:65,b'], 1, /'operators\[0\]\.maxShares' expected 1\.\.64, got 65/],
    ['a budget below one share each', ['--operators', '3', '--max-shares', '2'], 1, /'maxTotalShares' expected 3\.\./],
    ['a domain', ['--operators', 'a@dc,b'], 1, /failure domains/],
    ['too large a search', ['--operators', 'a:9,b:10,c:11,d:12,e:13,f:14,g:15,h:16'], 1, /\[LIMIT_EXCEEDED\]$/],
    ['no operators', [], 2, /--operators is required/],
  ];
  it.each(bad)('rejects %s with one line', async (_, args, code, message) => {
    const r = await run('plan', ...args);
    expect(r.code).toBe(code);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});
