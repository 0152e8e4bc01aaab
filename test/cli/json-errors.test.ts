/**
 * `--json` errors (issue 13, decision 0804): every command given --json prints a failure as one JSON object
 * `{"error":{"code","message","field","culprits"}}` on stdout, keeps the one human line on stderr, and exits with
 * the same code as without --json. Over several commands and every kind of failure: usage, DvkeysError (with
 * field and culprits), file system, an unknown command or step.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let inputs: string;
let tree: string;
let n = 0;
const fresh = (name: string): string => join(root, `${++n}-${name}`);
const OPS = ['--operators', '4', '--threshold', '3'];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-jsonerr-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
  tree = join(root, 'tree');
  const s = await runCli(['split', inputs, ...OPS, '--out', tree, '--insecure-keys']);
  expect(s.code, s.err).toBe(0);
});

interface JsonError {
  code: string;
  message: string;
  field: string | null;
  culprits: string[];
}

/**
 * Runs `args` with and without --json: the same exit code, the same human error line on stderr; with --json stdout
 * is exactly one line holding exactly {"error":{code,message,field,culprits}} whose message is the human line's.
 */
async function jsonFailure(args: string[], exit: number): Promise<JsonError> {
  const plain = await runCli(args);
  const json: CliResult = await runCli([...args, '--json']);
  expect(plain.code, plain.err).toBe(exit);
  expect(json.code, json.err).toBe(exit);
  const errLine = (r: CliResult): string => r.err.split('\n').filter((l) => / error: /.test(l)).join('\n');
  expect(errLine(json)).toBe(errLine(plain));
  expect(errLine(json)).not.toBe('');
  expect(plain.out).not.toContain('"error"');
  const lines = json.out.split('\n').filter((l) => l.length > 0);
  expect(lines, json.out).toHaveLength(1);
  const parsed = JSON.parse(lines[0]!) as { error: JsonError };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(Object.keys(parsed.error)).toEqual(['code', 'message', 'field', 'culprits']);
  expect(typeof parsed.error.message).toBe('string');
  expect(errLine(json)).toContain(parsed.error.message);
  expect(Array.isArray(parsed.error.culprits)).toBe(true);
  for (const s of SECRETS) expect(json.out + json.err).not.toContain(s);
  return parsed.error;
}

describe('--json errors', () => {
  it('a usage mistake: USAGE, exit 2, the option as field, the nearest known option suggested', async () => {
    const e = await jsonFailure(['split', inputs, ...OPS, '--out', fresh('o'), '--passwrod-file', 'x'], 2);
    expect(e).toEqual({ code: 'USAGE', message: "unknown option '--passwrod-file' (did you mean '--password-file'?)", field: '--passwrod-file', culprits: [] });
    const m = await jsonFailure(['exit', 'sign', '--network', 'mainnet'], 2);
    expect(m).toMatchObject({ code: 'USAGE', field: '--operator-dir', culprits: [] });
  });

  it('a DvkeysError keeps its code and field: split with t > n', async () => {
    const e = await jsonFailure(['split', inputs, '--operators', '3', '--threshold', '9', '--out', fresh('o'), '--insecure-keys'], 1);
    expect(e).toEqual({ code: 'INVALID_THRESHOLD', message: "'threshold' expected an integer in 1..3 (n = 3), got 9", field: 'threshold', culprits: [] });
  });

  it('a missing input names the path: split and verify', async () => {
    const missing = join(root, 'nope');
    const s = await jsonFailure(['split', missing, ...OPS, '--out', fresh('o'), '--insecure-keys'], 1);
    expect(s).toMatchObject({ code: 'IO_FAILED', field: missing });
    const v = await jsonFailure(['verify', missing], 1);
    expect(v).toMatchObject({ code: 'IO_FAILED', field: missing });
    expect(v.message).toMatch(/does not exist/);
  });

  it('culprits: exit combine with a tampered partial names the operator', async () => {
    const sign = async (k: number): Promise<string> => {
      const out = fresh(`ep${k}.json`);
      const r = await runCli(['exit', 'sign', '--operator-dir', join(tree, `operator-${k}`), '--network', 'mainnet', '--validator-index', '7', '--epoch', '1', '--out', out]);
      expect(r.code, r.err).toBe(0);
      return out;
    };
    const good = [await sign(1), await sign(2), await sign(3)];
    const tampered = fresh('tampered.json');
    const j = JSON.parse(readFileSync(good[1]!, 'utf8'));
    j.signature = JSON.parse(readFileSync(good[0]!, 'utf8')).signature;
    writeFileSync(tampered, JSON.stringify(j));
    const e = await jsonFailure(['exit', 'combine', '--manifest', join(tree, 'ceremony.json'), good[0]!, tampered, good[2]!, '--out', fresh('exit.json')], 1);
    expect(e.code).toBe('PARTIAL_SIGNATURE_INVALID');
    expect(e.culprits).toEqual(['operator-2']);
  });

  it('combine with fewer than t folders: NOT_ENOUGH_SHARES', async () => {
    const dirs = ['operator-1', 'operator-2'].flatMap((d) => ['--in', join(tree, d)]);
    const e = await jsonFailure(['combine', ...dirs, '--out', fresh('keys')], 1);
    expect(e.code).toBe('NOT_ENOUGH_SHARES');
  });

  it('an unknown command, an unknown step, a command without --json of its own', async () => {
    expect(await jsonFailure(['splitt'], 2)).toEqual({ code: 'USAGE', message: "unknown command 'splitt' (did you mean 'split'?)", field: null, culprits: [] });
    const step = await jsonFailure(['dkg', 'rond1'], 2);
    expect(step.code).toBe('USAGE');
    expect(step.message).toMatch(/^unknown step 'rond1'/);
    // demo has no --json: the refusal itself is still JSON.
    expect(await jsonFailure(['demo', '--bogus'], 2)).toMatchObject({ code: 'USAGE', field: '--bogus' });
  });

  it('--json after -- is a positional, not a request for JSON', async () => {
    const r = await runCli(['verify', '--', '--json']);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('"error"');
  });
});
