/**
 * Issue 9: the CLI's argument parsing, fuzzed. Random command lines (known commands and options with random
 * values, and random words) run in an empty temporary folder, so no input exists and no real work can start.
 * Every run must return an exit code (never throw), print at most one error line when it fails, and never fail
 * with an "internal error" (an exception that is not one of ours).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const RUNS = 400;
const COMMANDS = ['split', 'verify', 'combine', 'analyze', 'plan', 'deposit', 'exit', 'bogus', ''];
const OPTIONS = [
  '--operators', '--threshold', '--out', '--in', '--password-file', '--share-password-file', '--mnemonic-file',
  '--validator-indices', '--kdf', '--allow-unsafe-threshold', '--insecure-keys', '--json', '--network',
  '--withdrawal-address', '--amount', '--slashing-protection', '--no-decrypt', '--manifest', '--operator-dir',
  '--epoch', '--validator-index', '--validators', '--compounding', '--top-up', '--cluster', '--top', '-x', '--',
];
const VALUES = fc.oneof(
  fc.constantFrom('9', '0', '-1', '6', 'eridian:3,spacesider:3,cloud:3', 'a:0', 'a:1,a:1', '1..', '0..3', 'hoodi', 'x', '', '1e9', '99999999999999999999', '0x12', 'scrypt', 'sign', 'verify', 'combine'),
  fc.string({ maxLength: 12 }),
);
const argv = fc.tuple(
  fc.constantFrom(...COMMANDS),
  fc.array(fc.oneof(fc.constantFrom(...OPTIONS), VALUES), { maxLength: 8 }),
);

describe('CLI argument fuzzing', () => {
  it(`${RUNS} random command lines end in one line or a result, never an internal error`, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dvkeys-argfuzz-'));
    await fc.assert(
      fc.asyncProperty(argv, async ([cmd, rest]) => {
        const args = cmd === '' ? rest : [cmd, ...rest];
        if (args.includes('--help') || args.includes('-h')) return;
        const r = await runCli(args, { cwd });
        expect(typeof r.code).toBe('number');
        expect(r.err).not.toContain('internal error');
        if (r.code !== 0) {
          const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.includes('WARNING'));
          if (args.length > 0) expect(lines.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
