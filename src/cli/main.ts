#!/usr/bin/env node
/**
 * The `dvkeys` command line. The only layer with fs, process and console access (design section 1).
 * Every failure prints one line `dvkeys: error: ...` to stderr and exits non-zero: 2 for usage, 1 otherwise.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DvkeysError } from '../errors.js';
import { nearest } from './args.js';
import { commands } from './commands/index.js';
import { commandHelp, stepHelp } from './help.js';
import { interruptedExitCode, UsageError, type CliIo } from './io.js';
import { assertOneStdinReader } from './prompt.js';
import { processTerminal } from './terminal.js';

const TOP_USAGE = (): string =>
  [
    'dvkeys: threshold-key ceremonies for Ethereum distributed validators',
    '',
    'Usage: dvkeys <command> [options]     (dvkeys help <command> [<step>], or --help after it, for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
  ].join('\n');

/** Runs the CLI with `argv` (without node and script path); returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(TOP_USAGE());
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') return helpCommand(rest, io);
  if (name === '--version') {
    io.out('dvkeys 0.1.0');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const message = `unknown command '${name}'${nearest(name, [...commands.map((c) => c.name), 'help'])}`;
    io.err(`dvkeys: error: ${message} (see dvkeys --help)`);
    if (wantsJson(rest)) io.out(JSON.stringify({ error: { code: 'USAGE', message, field: null, culprits: [] } }));
    return 2;
  }
  const step = command.steps !== undefined && rest[0] !== undefined && command.steps.includes(rest[0]) ? rest[0] : undefined;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(step === undefined ? commandHelp(command) : stepHelp(command, step)!);
    return 0;
  }
  try {
    if (command.steps !== undefined && step === undefined) {
      const list = command.steps.join(', ');
      const first = rest[0];
      throw new UsageError(first === undefined || first.startsWith('-') ? `give a step first: ${list}` : `unknown step '${first}'${nearest(first, command.steps)} (${list})`);
    }
    assertOneStdinReader(rest, io);
    return await command.run(rest, io);
  } catch (e) {
    const code = reportError(e, io, command.name, wantsJson(rest), step === undefined ? command.name : `${command.name} ${step}`);
    return e instanceof DvkeysError && e.code === 'ABORTED' ? interruptedExitCode(io.signal) ?? code : code;
  }
}

/** `dvkeys help [<command> [<step>]]`: the same texts as `--help`; an unknown name is a usage error (exit 2). */
function helpCommand(args: string[], io: CliIo): number {
  const [name, step, ...more] = args;
  if (name === undefined) {
    io.out(TOP_USAGE());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  const fail = (message: string): number => {
    io.err(`dvkeys help: error: ${message} (see dvkeys --help)`);
    return 2;
  };
  if (command === undefined) return fail(`unknown command '${name}'${nearest(name, commands.map((c) => c.name))}`);
  if (more.length > 0) return fail(`give a command and at most one step, got '${args.join(' ')}'`);
  if (step === undefined) {
    io.out(commandHelp(command));
    return 0;
  }
  const text = stepHelp(command, step);
  if (text === undefined) {
    const steps = command.steps;
    return fail(steps === undefined ? `dvkeys ${name} has no steps` : `unknown step '${step}' of dvkeys ${name}${nearest(step, steps)} (${steps.join(', ')})`);
  }
  io.out(text);
  return 0;
}

/**
 * Makes untrusted text safe for a terminal: control characters (which could carry escape sequences from a hostile
 * file's fields) become `\xNN`, and the line is cut at 600 characters.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > 600 ? `${safe.slice(0, 600)}…` : safe;
}

/** What `--json` prints for a failure (decision 0804): one object on stdout, `{"error": …}`. */
export interface JsonError {
  /** A DvkeysError code (docs/errors.md), or the CLI's own `USAGE` (exit 2) or `INTERNAL` (a bug). */
  readonly code: string;
  readonly message: string;
  /** The input at fault (an option, a JSON path, a file), or null. */
  readonly field: string | null;
  /** Who a failed check blames (share ids or operator names); empty when nobody is. */
  readonly culprits: readonly string[];
  /**
   * Who may be at fault when nothing is proven (a withheld message: its sender, or `coordinator`); present only when
   * not empty (decision 0441), never a reason to drop anyone from a retry.
   */
  readonly suspects?: readonly string[];
}

/** True when `args` (a command's, before any `--`) ask for machine-readable output. */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/** The exit code, the one human line and the JSON form of a failure. */
function describeError(e: unknown, commandName: string, helpName: string): { exit: number; line: string; json: JsonError } {
  const prefix = `dvkeys ${commandName}: error: `;
  if (e instanceof UsageError) {
    return { exit: 2, line: `${prefix}${e.message} (see dvkeys ${helpName} --help)`, json: { code: 'USAGE', message: e.message, field: e.field ?? null, culprits: [] } };
  }
  if (e instanceof DvkeysError) {
    return { exit: 1, line: `${prefix}${e.message} [${e.code}]`, json: { code: e.code, message: e.message, field: e.field ?? null, culprits: [...e.culprits], ...(e.suspects.length > 0 ? { suspects: [...e.suspects] } : {}) } };
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.syscall === 'string') {
    const message = systemErrorText(err);
    return { exit: 1, line: `${prefix}${message} [IO_FAILED]`, json: { code: 'IO_FAILED', message, field: err.path ?? null, culprits: [] } };
  }
  const message = e instanceof Error ? e.message.split('\n')[0]! : 'unknown';
  return { exit: 1, line: `dvkeys ${commandName}: internal error: ${message}`, json: { code: 'INTERNAL', message, field: null, culprits: [] } };
}

/** A file system failure in words (`… does not exist`), with Node's code kept at the end for a search. */
function systemErrorText(err: NodeJS.ErrnoException): string {
  const path = err.path ?? 'a file';
  const words: Readonly<Record<string, string>> = {
    ENOENT: `${path} does not exist`,
    EACCES: `permission denied for ${path}`,
    EPERM: `not permitted for ${path}`,
    ENOTDIR: `${path} is not a folder (or a part of its path is a file)`,
    EISDIR: `${path} is a folder, where a file was expected`,
    EEXIST: `${path} already exists`,
    ENOSPC: `no space left on the device while writing ${path}`,
    EROFS: `${path} is on a read-only file system`,
  };
  const said = Object.hasOwn(words, err.code!) ? words[err.code!] : undefined;
  return said === undefined ? `${err.syscall} failed for ${path}: ${err.code}` : `${said} (${err.syscall} ${err.code})`;
}

/**
 * Prints a failure: one line on stderr (terminal-safe), and with `json` also `{"error": …}` on stdout. A stack
 * trace only with DVKEYS_DEBUG=1 and never for DvkeysErrors. Returns the exit code: 2 for usage, 1 otherwise.
 */
export function reportError(e: unknown, io: CliIo, commandName: string, json = false, helpName = commandName): number {
  const { exit, line, json: obj } = describeError(e, commandName, helpName);
  io.err(line.split('\n').map(terminalSafe).join('\n'));
  if (json) io.out(JSON.stringify({ error: obj }));
  if (!(e instanceof UsageError) && !(e instanceof DvkeysError) && io.env['DVKEYS_DEBUG'] === '1' && e instanceof Error && e.stack) {
    io.err(e.stack);
  }
  return exit;
}

/**
 * The real process's streams. Signals: every SIGINT/SIGTERM (not only the first: a second Ctrl-C 10 ms later must
 * not kill the process before it removes its temporary tree) aborts the one controller with the signal's name as
 * the reason; the command stops at its next check and cleans up. A closed pipe (`dvkeys verify … | head -1`) is
 * not an error: further output to that stream is dropped, as Unix tools do. `release()` removes the handlers.
 */
function processIo(): { io: CliIo; release: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (!controller.signal.aborted) controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const closed = { out: false, err: false };
  const quietOnEpipe = (stream: NodeJS.WriteStream, key: 'out' | 'err') =>
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closed[key] = true;
    });
  quietOnEpipe(process.stdout, 'out');
  quietOnEpipe(process.stderr, 'err');
  const write = (stream: NodeJS.WriteStream, key: 'out' | 'err', t: string): void => {
    if (closed[key]) return;
    stream.write(t.endsWith('\n') ? t : `${t}\n`);
  };
  const io: CliIo = {
    out: (t) => write(process.stdout, 'out', t),
    err: (t) => write(process.stderr, 'err', t),
    errRaw: (t) => {
      if (!closed.err) process.stderr.write(t);
    },
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    stdin: processTerminal(controller.signal, () => onSignal('SIGINT')),
  };
  const release = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  return { io, release };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const { io, release } = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      // Interrupted and cleaned up: end by the same signal with its default action, as Unix tools do, so the
      // parent sees a process killed by SIGINT (a shell loop stops; $? is 130) and a later signal arriving while
      // the process exits cannot change the outcome. Once stderr has flushed; exitCode is the fallback.
      const reason: unknown = io.signal.reason;
      if (code === interruptedExitCode(io.signal) && (reason === 'SIGINT' || reason === 'SIGTERM')) {
        process.stderr.write('', () => {
          release();
          process.kill(process.pid, reason);
        });
      }
    },
    () => {
      process.exitCode = 1;
    },
  );
}
