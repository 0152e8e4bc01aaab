/**
 * Output into a pipe whose reader has gone (issue 13, defect 2): `dvkeys verify … | head -1`, `deposit verify … |
 * head`, `combine … | head`. Real shell pipelines run the real CLI; the reader `true` exits at once, so every write
 * hits a closed pipe (EPIPE), and `head -1` closes it after the first line. Wanted: no stack trace, no error line,
 * the command's own exit code, and work that writes files (combine) still completes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeInputs } from '../helpers/inputs.js';
import { withoutProgress } from '../helpers/progress.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADDRESS = '0x8943545177806ed17b9f23f0a21ee5948ecaa776';
let root: string;
let tree: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-pipe-'));
  mkdirSync(join(root, 'in'));
  await makeInputs(join(root, 'in'), 'pbkdf2');
  tree = join(root, 'tree');
  const s = await runCli(['split', join(root, 'in'), '--operators', 'a,b,c', '--out', tree, '--insecure-keys', '--network', 'hoodi', '--withdrawal-address', ADDRESS]);
  expect(s.code, s.err).toBe(0);
});

/** Runs `dvkeys <args> | <reader>` in bash; returns the CLI's exit status, its stderr and the reader's output. */
function piped(args: string[], reader: string): { code: number; err: string; out: string } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const script = `node --import tsx src/cli/main.ts ${quoted} 2>"$ERRFILE" | ${reader}; echo "status=\${PIPESTATUS[0]}"`;
  const errFile = join(root, `err-${Math.random().toString(16).slice(2)}`);
  const r = spawnSync('bash', ['-c', `${script}; cat "$ERRFILE"`], { cwd: repo, env: { ...process.env, ERRFILE: errFile }, encoding: 'utf8' });
  const m = /status=(\d+)\n/.exec(r.stdout);
  expect(m, r.stdout + r.stderr).not.toBe(null);
  return { code: Number(m![1]), out: r.stdout.slice(0, m!.index), err: r.stdout.slice(m!.index + m![0].length) };
}

describe('a closed output pipe', () => {
  it.each([
    ['verify', () => ['verify', tree]],
    ['verify --json', () => ['verify', tree, '--json']],
    ['deposit verify', () => ['deposit', 'verify', join(tree, 'deposit-data.json')]],
  ])('%s | true: quiet, exit 0', (_name, args) => {
    const r = piped(args(), 'true');
    expect(withoutProgress(r.err)).toBe('');
    expect(r.code).toBe(0);
  });

  it('verify | head -1: the first line, nothing on stderr, exit 0', () => {
    const r = piped(['verify', tree], 'head -1');
    expect(r.out).toBe(`Ceremony tree ${tree}: split, threshold 2 of 3, 3 validator(s)\n`);
    expect(withoutProgress(r.err)).toBe('');
    expect(r.code).toBe(0);
  });

  it('combine | true: writes and checks the keys, quiet, exit 0', () => {
    const back = join(root, 'back');
    const r = piped(['combine', '--in', join(tree, 'a-1'), '--in', join(tree, 'c-1'), '--out', back, '--insecure-keys'], 'true');
    expect(withoutProgress(r.err).split('\n').filter((l) => l.length > 0 && !l.includes('--insecure-keys'))).toEqual([]);
    expect(r.code).toBe(0);
    expect(existsSync(join(back, 'keystore-2.json'))).toBe(true);
  });

  it('a failure still reports on stderr when stdout is closed', () => {
    const r = piped(['verify', join(root, 'missing')], 'true');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dvkeys verify: error: .*missing/);
    expect(r.err).not.toContain('    at ');
  });
});
