/**
 * Argument parsing on node:util's `parseArgs` (strict: unknown options are errors), with helpers that turn option
 * values into numbers and lists and report mistakes as one-line {@link UsageError}s.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` against `options`; any unknown option, missing value or stray positional is a UsageError. */
export function parse<O extends Options>(
  args: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new UsageError(msg.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Parses a positive decimal integer option value. */
export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${name} expects a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be at least ${min}, got '${value}'`);
  return n;
}
