/**
 * Secrets typed by a person or piped in (issue 13, "Prompts"), for every option that names a secret's file
 * (`--password-file`, `--share-password-file`, `--mnemonic-file`, `--mnemonic-passphrase-file`):
 *
 * - `FILE`: read from the file, as before;
 * - `-`: read from standard input; when standard input is a terminal, asked without echo instead;
 * - nothing, where a command asks (split's input keystores with no `.txt` beside them): asked on a terminal,
 *   else one line naming the flag to give.
 * A password for keystores about to be written is asked twice and must have at least 8 characters; an existing one
 * is asked once. A mnemonic is asked hidden with its word count shown as it is typed, and checked (word list,
 * count, checksum) on Enter, with the list's nearest words for a misspelt one. Standard input is read by one option
 * only when piped (a terminal is asked once per option). Every prompt ends on Ctrl-C (the run's interrupt) and on the run's abort signal.
 *
 * @module
 */
import { resolve } from 'node:path';
import { DvkeysError } from '../errors.js';
import { MAX_MNEMONIC_LENGTH, MAX_PASSWORD_LENGTH } from '../keys/limits.js';
import { mnemonicHint, mnemonicWordCount } from '../keys/mnemonic-hints.js';
import { loadBip39Wordlists } from '../keys/mnemonic.js';
import { readMnemonicFile, readPasswordFile } from './files.js';
import { UsageError, type CliIo, type Terminal } from './io.js';

/** Which secret an option holds, for prompts and messages. */
export interface SecretSpec {
  /** The option, e.g. `--password-file`. */
  readonly flag: string;
  /** What it is, e.g. `password of the input keystores` (used after "no " and in the prompt). */
  readonly what: string;
  /** Ask twice (a password for keystores about to be written, a BIP-39 passphrase: a typo is not caught later). */
  readonly confirm?: boolean;
  /** Fewest characters accepted at the prompt ({@link NEW_PASSWORD} for new keystores). */
  readonly minLength?: number;
}

/** A password for keystores about to be written: asked twice, at least 8 characters (staking-deposit-cli's rule). */
export const NEW_PASSWORD = { confirm: true, minLength: 8 } as const;
const TRIES = 3;
const stdinTaken = new WeakMap<CliIo, string>();

/** The options whose value `-` means standard input (a prompt when it is a terminal). */
export const STDIN_OPTIONS: readonly string[] = ['--password-file', '--share-password-file', '--mnemonic-file', '--mnemonic-passphrase-file'];

/**
 * Refuses, before anything is read, a command line where two options read piped standard input (`-`): the
 * first would take all of it. On a terminal each `-` is its own prompt, so any number is allowed (decision 0802).
 * Options are named in the order given; `--` ends the options.
 * @throws UsageError naming both options.
 */
export function assertOneStdinReader(args: readonly string[], io: CliIo): void {
  if (io.stdin?.isTTY === true) return;
  const readers: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!STDIN_OPTIONS.includes(name)) continue;
    const value = eq < 0 ? args[++i] : a.slice(eq + 1);
    if (value === '-') readers.push(name);
  }
  if (readers.length > 1) throw new UsageError(`${readers[0]!} already reads standard input (-); give ${readers[1]!} a FILE`);
}

/** Standard input for `spec.flag -`: piped input is read by one option per run; a terminal is asked each time. */
function takeStdin(io: CliIo, flag: string): Terminal {
  if (io.stdin === undefined) throw new UsageError(`${flag} - reads standard input, which this run does not have; give ${flag} FILE`);
  if (io.stdin.isTTY) return io.stdin;
  const first = stdinTaken.get(io);
  if (first !== undefined) throw new UsageError(`${first} already reads standard input (-); give ${flag} a FILE`);
  stdinTaken.set(io, flag);
  return io.stdin;
}

/** The secret an option names: undefined when the option is absent, else from its file, stdin or a prompt. */
export async function secretOption(io: CliIo, value: string | undefined, spec: SecretSpec): Promise<string | undefined> {
  if (value === undefined) return undefined;
  if (value !== '-') return readPasswordFile(resolve(io.cwd, value));
  const t = takeStdin(io, spec.flag);
  if (t.isTTY) return askSecret(io, spec);
  return (await t.readAll(MAX_PASSWORD_LENGTH * 4)).replace(/\r?\n$/, '');
}

/**
 * Asks for a secret on the terminal, without echo (twice with `confirm`).
 * @throws DvkeysError `INVALID_ARGUMENT` (field: the flag) when there is no terminal, saying which flag to give,
 *   or after 3 failed tries; AbortedError on Ctrl-C.
 */
export async function askSecret(io: CliIo, spec: SecretSpec): Promise<string> {
  const t = io.stdin;
  if (t === undefined || !t.isTTY) {
    throw new DvkeysError('INVALID_ARGUMENT', `no ${spec.what}: give ${spec.flag} FILE (or ${spec.flag} - to pipe it in); there is no terminal to ask on`, { field: spec.flag });
  }
  const label = spec.what.charAt(0).toUpperCase() + spec.what.slice(1);
  for (let i = 0; i < TRIES; i++) {
    const first = await t.askHidden(`${label} (not shown): `);
    if (first.length === 0) {
      io.err('  nothing typed; type it again (Ctrl-C stops)');
      continue;
    }
    if ([...first].length < (spec.minLength ?? 1)) {
      io.err(`  at least ${spec.minLength!} characters, please; type it again (Ctrl-C stops)`);
      continue;
    }
    if (spec.confirm !== true) return first;
    const again = await t.askHidden('The same again, to confirm (not shown): ');
    if (again === first) return first;
    io.err('  the two entries differ; type it again (Ctrl-C stops)');
  }
  throw new DvkeysError('INVALID_ARGUMENT', `no ${spec.what} after ${TRIES} tries`, { field: spec.flag });
}

/**
 * The mnemonic `--mnemonic-file` names: from the file, from piped stdin (`-`), or typed at a hidden prompt that
 * shows the word count and checks the phrase on Enter (5 tries).
 * @throws DvkeysError `MNEMONIC_INVALID` after 5 invalid phrases; AbortedError on Ctrl-C.
 */
export async function mnemonicOption(io: CliIo, value: string): Promise<string> {
  if (value !== '-') return readMnemonicFile(resolve(io.cwd, value));
  const t = takeStdin(io, '--mnemonic-file');
  if (!t.isTTY) return (await t.readAll(MAX_MNEMONIC_LENGTH * 4)).trim();
  await loadBip39Wordlists();
  for (let i = 0; i < 5; i++) {
    const phrase = await t.askHidden('Mnemonic (not shown; Enter when done): ', (typed) => `[${mnemonicWordCount(typed)} words]`);
    const hint = mnemonicHint(phrase);
    if (hint === undefined) return phrase.trim();
    io.err(`  ${hint}; type it again (Ctrl-C stops)`);
  }
  throw new DvkeysError('MNEMONIC_INVALID', 'no valid mnemonic after 5 tries', { field: '--mnemonic-file' });
}
