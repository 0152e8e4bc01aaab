/**
 * What a CLI command may touch: output streams, the terminal flag, the environment and the working directory.
 * Commands receive a {@link CliIo} so tests can run them in-process and capture what they print.
 *
 * @module
 */

/** Streams and context handed to every command. */
export interface CliIo {
  /** Writes a line (or lines) to standard output. */
  readonly out: (text: string) => void;
  /** Writes a line (or lines) to standard error. */
  readonly err: (text: string) => void;
  /**
   * Writes text to standard error exactly as given (no newline added): the terminal progress bar's `\r` redraws.
   * Absent (tests, embedding) means progress is reported as plain lines through {@link CliIo.err}.
   */
  readonly errRaw?: (text: string) => void;
  /** True when standard error is a terminal (progress bars go there). */
  readonly isTTY: boolean;
  /** The process environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory that relative paths resolve against. */
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM; long commands stop and clean up. */
  readonly signal: AbortSignal;
  /** Standard input, for prompts and `-` values (cli/prompt.ts); absent means none (tests, embedding). */
  readonly stdin?: Terminal;
}

/** Standard input as prompts use it (cli/terminal.ts for the real process, a script in tests). */
export interface Terminal {
  /** True when standard input is a terminal a person types at. */
  readonly isTTY: boolean;
  /**
   * Asks on stderr and reads one line from the terminal without echo. `status(typed)` is redrawn after the
   * question on every key (the mnemonic's word count); without it nothing at all is shown while typing.
   * Ctrl-C aborts the run (SIGINT); rejects with AbortedError when the run's signal aborts, and with a
   * DvkeysError on Ctrl-D at an empty line.
   */
  readonly askHidden: (question: string, status?: (typed: string) => string) => Promise<string>;
  /** Reads all of standard input (not a terminal) as UTF-8, refusing more than `max` bytes. */
  readonly readAll: (max: number) => Promise<string>;
}

/**
 * The exit code of a run stopped by a signal, as shells report a process killed by it (128 + signal number):
 * 130 for SIGINT, 143 for SIGTERM. The signal's name is the abort reason the CLI's process streams give (main.ts).
 */
export function interruptedExitCode(signal: AbortSignal): number | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason === 'SIGINT' ? 130 : signal.reason === 'SIGTERM' ? 143 : undefined;
}

/**
 * A command line usage mistake: printed as one line with a hint to `--help`, exit code 2. `field` is the option at
 * fault (`--json` errors); by default the first `--option` the message names.
 */
export class UsageError extends Error {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'UsageError';
    this.field = field ?? /(?:^|[\s'(])(--[a-z0-9][a-z0-9-]*)/.exec(message)?.[1];
  }
}

/** One `dvkeys <name>` command. */
export interface Command {
  /** The word after `dvkeys`. */
  readonly name: string;
  /** One line for `dvkeys --help`. */
  readonly summary: string;
  /**
   * The full `--help` text. With steps, each step's help is its sections of this text (the lines starting
   * `dvkeys <name> <step>` and the indented lines under them) and the `Common options:` paragraph (cli/help.ts).
   */
  readonly usage: string;
  /** The `<step>` words `run` dispatches on (`dkg round1`, `exit sign`), in help order; absent for a flat command. */
  readonly steps?: readonly string[];
  /** Runs the command; returns the process exit code. Throws UsageError or DvkeysError for one-line failures. */
  readonly run: (args: string[], io: CliIo) => Promise<number>;
}
