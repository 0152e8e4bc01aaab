/**
 * Help for every command and every step (issue 13, decision 0805). The commands and steps come from the
 * dispatcher (`commands` and each command's `steps`, the keys its run dispatches on), never from a list written
 * here, so a new step without help fails this test. For each: `dvkeys help <cmd> [<step>]` and `--help` print the
 * same text, a step's help is that step's alone, it starts with its usage line, names every option the step
 * really parses (found by running it: cli/args.ts optionsOf) or the step refuses that option in one line, every
 * option its own lines name is accepted, and it has an example that parses against the step's real options.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { optionsOf } from '../../src/cli/args.js';
import { commands } from '../../src/cli/commands/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../helpers/cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'dvkeys-help-'));
const io: CliIo = { out: () => {}, err: () => {}, isTTY: false, env: {}, cwd, signal: new AbortController().signal };

/** Every `[command, step]` of the dispatcher; step undefined for a command without steps. */
const targets: [string, string | undefined][] = commands.flatMap((c): [string, string | undefined][] => (c.steps === undefined ? [[c.name, undefined]] : c.steps.map((s) => [c.name, s])));

/** Options of other tools that a help text quotes (split: "as charon create cluster --split-existing-keys"). */
const OTHER_TOOLS = ['split-existing-keys'];

/** The example command lines of a help text: after `Example:`/`Examples:`, on that line or indented below it. */
function examples(help: string): string[] {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => /^Examples?:/.test(l));
  if (at < 0) return [];
  const out: string[] = [];
  const inline = lines[at]!.replace(/^Examples?:\s*/, '');
  if (inline.startsWith('dvkeys ')) out.push(inline);
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('  dvkeys ')) break;
    out.push(l.trim());
  }
  return out;
}

it('the dispatcher has the commands and steps this test walks', () => {
  expect(targets.length).toBeGreaterThan(40);
  expect(targets).toContainEqual(['exit', 'sign']);
  expect(targets).toContainEqual(['dkg', 'round2']);
  expect(targets).toContainEqual(['deposit', 'combine']);
  expect(targets).toContainEqual(['split', undefined]);
});

describe.each(targets)('dvkeys %s %s', (name, step) => {
  const command = commands.find((c) => c.name === name)!;
  const words = step === undefined ? [name] : [name, step];

  it('has help with its usage line, every option it accepts, and an example that parses', async () => {
    const viaFlag = await runCli([...words, '--help']);
    const viaHelp = await runCli(['help', ...words]);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp).toEqual(viaFlag);
    const help = viaFlag.out;
    expect(help.startsWith(`Usage: dvkeys ${words.join(' ')}`), help.slice(0, 200)).toBe(true);
    if (step !== undefined) {
      // Only this step: no other step's usage line.
      for (const other of command.steps!.filter((s) => s !== step)) {
        expect(help, `${other} in ${step}'s help`).not.toMatch(new RegExp(`^\\s*(Usage: )?dvkeys ${name} ${other}( |$)`, 'm'));
      }
    }

    const declared = await optionsOf(() => command.run([...words.slice(1), '--dvkeys-help-probe'], io));
    expect(declared, 'the step parses its arguments before anything else').toBeDefined();
    for (const [option, spec] of Object.entries(declared!.options)) {
      if (new RegExp(`--${option}(?![a-z0-9-])`).test(help)) continue;
      // Not in the help: then the step must refuse it in one line naming it (an option of a sibling step).
      const r = await runCli([...words, `--${option}`, ...(spec.type === 'string' ? ['x'] : [])], { cwd });
      expect(r.code, `--${option} is accepted by ${words.join(' ')} but not in its help: ${r.err}`).toBe(2);
      expect(r.err).toMatch(new RegExp(`error: .*--${option}(?![a-z0-9-])`));
    }
    // Every option the step's own lines name (before the common options) is one it accepts.
    const own = help.split(/\n(?:Common options:|Example)/)[0]!;
    for (const m of own.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)) {
      if (OTHER_TOOLS.includes(m[1]!)) continue;
      expect(Object.keys(declared!.options), `--${m[1]} in the help of ${words.join(' ')}`).toContain(m[1]);
    }

    const list = examples(help);
    expect(list.length, `an example in the help of ${words.join(' ')}`).toBeGreaterThan(0);
    for (const e of list) {
      const tokens = e.split(/\s+/);
      expect(tokens.slice(0, 1 + words.length)).toEqual(['dvkeys', ...words]);
      expect(() => parseArgs({ args: tokens.slice(1 + words.length), options: declared!.options, allowPositionals: declared!.allowPositionals, strict: true }), e).not.toThrow();
    }
  });
});

describe('help words and mistakes', () => {
  it('dvkeys help lists the commands; help of a command with steps says how to get one step', async () => {
    const top = await runCli(['help']);
    expect(top.code).toBe(0);
    for (const c of commands) expect(top.out).toMatch(new RegExp(`^  ${c.name} `, 'm'));
    const dkg = await runCli(['help', 'dkg']);
    expect(dkg.out).toContain('One step only: dvkeys dkg <step> --help');
  });

  it('an unknown step or command suggests the nearest one, exit 2', async () => {
    const r = await runCli(['dkg', 'rond2', '--host-key', 'k']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dvkeys dkg: error: unknown step 'rond2' \(did you mean 'round2'\?\) \(keygen, /);
    const h = await runCli(['help', 'exit', 'sing']);
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/unknown step 'sing' of dvkeys exit \(did you mean 'sign'\?\)/);
    expect((await runCli(['help', 'verfy'])).err).toMatch(/did you mean 'verify'\?/);
    expect((await runCli(['exit'])).err).toMatch(/give a step first: sign, combine/);
  });

  it('a usage mistake in a step points at that step\'s help', async () => {
    const r = await runCli(['exit', 'sign', '--network', 'mainnet']);
    expect(r.err).toMatch(/\(see dvkeys exit sign --help\)$/);
  });

  it('the probe runs wrote nothing', () => {
    expect(readdirSync(cwd)).toEqual([]);
  });
});
