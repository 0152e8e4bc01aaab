/**
 * Argument parsing on node:util's `parseArgs` (strict: unknown options are errors), with helpers that turn option
 * values into numbers and lists and report mistakes as one-line {@link UsageError}s.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link optionsOf} saw: the options a command declared to parse, and whether it takes positionals. */
export interface DeclaredOptions {
  readonly options: Options;
  readonly allowPositionals: boolean;
}

const probe = new AsyncLocalStorage<{ seen?: DeclaredOptions }>();

/** Thrown by {@link parse} inside {@link optionsOf}, so a probed command stops before it does anything. */
class ProbeStop extends Error {}

/**
 * The options a command or step accepts, found by running it: its first {@link parse} call records them and stops
 * the run. For the help test, which checks that every accepted option is in the help text (issue 13).
 * Undefined when the run ended without parsing its arguments.
 */
export async function optionsOf(run: () => Promise<unknown>): Promise<DeclaredOptions | undefined> {
  const box: { seen?: DeclaredOptions } = {};
  await probe.run(box, async () => {
    try {
      await run();
    } catch (e) {
      if (!(e instanceof ProbeStop)) throw e;
    }
  });
  return box.seen;
}

/** Parses `args` against `options`; any unknown option, missing value or stray positional is a UsageError. */
export function parse<O extends Options>(
  args: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>> {
  const box = probe.getStore();
  if (box !== undefined) {
    box.seen = { options, allowPositionals };
    throw new ProbeStop();
  }
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e instanceof Error ? e.message.split('\n')[0]! : String(e)).replace(/^TypeError \[[A-Z_]+\]: /, '');
    const unknown = /^Unknown option '--([^'=]+)'/.exec(msg);
    throw new UsageError(unknown ? `unknown option '--${unknown[1]!}'${nearest(unknown[1]!, Object.keys(options), '--')}` : msg);
  }
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * ` (did you mean '--x'?)` for the known word closest to a mistyped one (at most a third of its letters off, or
 * one it is a prefix of), else ''. For unknown options, commands and steps.
 */
export function nearest(word: string, known: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestCost = Infinity;
  for (const k of known) {
    const cost = k.startsWith(word) && word.length >= 3 ? 0.5 : distance(word, k);
    if (cost < bestCost) [best, bestCost] = [k, cost];
  }
  return best !== undefined && bestCost <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean '${prefix}${best}'?)` : '';
}

/** Parses a positive decimal integer option value. */
export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${name} expects a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be at least ${min}, got '${value}'`);
  return n;
}
