/**
 * Help texts (issue 13, decision 0805): `dvkeys help [<command> [<step>]]`, `dvkeys <command> --help` and
 * `dvkeys <command> <step> --help`. A step's help is cut from its command's usage, so the overview and the step
 * never disagree: the lines starting `dvkeys <command> <step>` with the indented lines under them, the command's
 * `Common options:` paragraph, and the step's example (cli/help-examples.ts). test/cli/help.test.ts checks, for
 * every command and step the dispatchers know, that the help names every option the step parses and has an
 * example that parses.
 *
 * @module
 */
import type { Command } from './io.js';
import { EXAMPLES } from './help-examples.js';

/** The help lines of one step cut from `usage`: every `dvkeys <command> <step>` line and the indented ones after. */
function stepSections(usage: string, command: string, step: string): string[] {
  const lines = usage.split('\n');
  const head = new RegExp(`^dvkeys ${command} ${step.replace(/[-]/g, '\\-')}(?: |$)`);
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (head.test(line)) inside = true;
    else if (!line.startsWith(' ') || line.trim() === '') inside = false;
    if (inside) out.push(line);
  }
  return out;
}

/** The `Common options:` paragraph of `usage` (to the next blank line), or none. */
function commonOptions(usage: string): string[] {
  const lines = usage.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Common options:'));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

function example(key: string): string[] {
  const list = EXAMPLES[key] ?? [];
  return list.length === 0 ? [] : ['', list.length === 1 ? 'Example:' : 'Examples:', ...list.map((e) => `  ${e}`)];
}

/** The help of `dvkeys <command>`: its usage, an example, and for a command with steps how to get a step's help. */
export function commandHelp(command: Command): string {
  if (command.steps === undefined) return [command.usage, ...example(command.name)].join('\n');
  return [command.usage, '', `One step only: dvkeys ${command.name} <step> --help (or dvkeys help ${command.name} <step>); steps: ${command.steps.join(', ')}.`].join('\n');
}

/** The help of `dvkeys <command> <step>` alone, or undefined when `step` is not one of the command's steps. */
export function stepHelp(command: Command, step: string): string | undefined {
  if (command.steps === undefined || !command.steps.includes(step)) return undefined;
  const sections = stepSections(command.usage, command.name, step);
  const common = commonOptions(command.usage);
  if (sections.length === 0) sections.push(`dvkeys ${command.name} ${step} [options]`);
  return [
    ...sections.map((l, i) => (i === 0 ? `Usage: ${l}` : l.startsWith('dvkeys ') ? `       ${l}` : l)),
    ...(common.length === 0 ? [] : ['', ...common]),
    ...example(`${command.name} ${step}`),
    '',
    `All steps: dvkeys ${command.name} --help`,
  ].join('\n');
}
