/**
 * Prompts (issue 13): secrets asked through the io's Terminal (a scripted one here), `-` reading piped stdin,
 * new passwords asked twice, the mnemonic checked with suggestions, no terminal = one line naming the flag, and
 * an abort (Ctrl-C) at a prompt ends the run with nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/errors.js';
import { main } from '../../src/cli/main.js';
import type { CliIo, Terminal } from '../../src/cli/io.js';
import { mnemonicHint, suggestWords } from '../../src/keys/mnemonic-hints.js';
import { MNEMONIC, SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let noTxt: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-prompt-'));
  noTxt = join(root, 'no-txt');
  mkdirSync(noTxt);
  await makeInputs(noTxt, 'pbkdf2', SECRETS.slice(0, 2), true); // passwords pw-0, pw-1: no .txt
});

/** Runs the CLI with a terminal that answers `answers` in order (or pipes `piped` when not a TTY). */
async function run(argv: string[], t: { tty: boolean; answers?: string[]; piped?: string; abortAt?: number }) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const controller = new AbortController();
  const answers = [...(t.answers ?? [])];
  const stdin: Terminal = {
    isTTY: t.tty,
    askHidden: (q) => {
      questions.push(q);
      if (t.abortAt === questions.length) {
        controller.abort('SIGINT');
        return Promise.reject(new AbortedError('interrupted at a prompt; nothing was written'));
      }
      const a = answers.shift();
      if (a === undefined) return Promise.reject(new Error(`unexpected prompt ${q}`));
      return Promise.resolve(a);
    },
    readAll: () => Promise.resolve(t.piped ?? ''),
  };
  const io: CliIo = { out: (x) => void out.push(x), err: (x) => void err.push(x), isTTY: false, env: {}, cwd: root, signal: controller.signal, stdin };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), questions };
}

const OPS = ['--operators', '4', '--insecure-keys'];

describe('password prompts', () => {
  it('split asks once, hidden, for input keystores with no .txt, and the split succeeds', async () => {
    const r = await run(['split', noTxt, ...OPS, '--out', 'asked'], { tty: true, answers: ['pw-0'] });
    // both keystores had no .txt; one was asked, pw-0 opens only keystore-0: the wrong one names keystore-1
    expect(r.questions).toEqual([`Password of ${join(noTxt, 'keystore-0.json')} (and of any other input keystore with no .txt) (not shown): `]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/keystore-1\.json.*\[WRONG_PASSWORD\]/);
    expect(existsSync(join(root, 'asked'))).toBe(false);
  });

  it('without a terminal: one line naming the flag, no prompt', async () => {
    const r = await run(['split', noTxt, ...OPS, '--out', 'x'], { tty: false });
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => !l.includes('--insecure-keys'))).toEqual([
      `dvkeys split: error: no password for ${join(noTxt, 'keystore-0.json')}: give --password-file FILE (- to pipe it in) or put ${join(noTxt, 'keystore-0.txt')} beside it [INVALID_ARGUMENT]`,
    ]);
  });

  it('--password-file - reads piped stdin; a second - is refused', async () => {
    const one = join(root, 'one');
    mkdirSync(one);
    await makeInputs(one, 'pbkdf2', SECRETS.slice(0, 1), true);
    const r = await run(['split', one, ...OPS, '--out', 'piped', '--password-file', '-'], { tty: false, piped: 'pw-0\n' });
    expect(r.code).toBe(0);
    const two = await run(['split', one, ...OPS, '--out', 'p2', '--password-file', '-', '--share-password-file', '-'], { tty: false, piped: 'pw-0\n' });
    expect(two.code).toBe(2);
    expect(two.err).toContain('--password-file already reads standard input (-); give --share-password-file a FILE');
    expect(existsSync(join(root, 'p2'))).toBe(false);
    // named in the order given, the = form too, refused before anything is read
    const three = await run(['split', one, ...OPS, '--out', 'p3', '--share-password-file=-', '--password-file', '-'], { tty: false, piped: 'pw-0\n' });
    expect(three.code).toBe(2);
    expect(three.err).toContain('--share-password-file already reads standard input (-); give --password-file a FILE');
    // on a terminal each - is its own prompt
    const four = await run(['split', '--mnemonic-file', '-', '--mnemonic-passphrase-file', '-', '--validator-indices', '0', ...OPS, '--out', 'p4'], { tty: true, answers: [MNEMONIC, 'a passphrase', 'a passphrase'] });
    expect(four.code).toBe(0);
    expect(four.questions).toEqual(['Mnemonic (not shown; Enter when done): ', 'BIP-39 passphrase (not shown): ', 'The same again, to confirm (not shown): ']);
  });

  it('a new share password on a terminal is asked twice, re-asked when short or different', async () => {
    const one = join(root, 'one-b');
    mkdirSync(one);
    await makeInputs(one, 'pbkdf2', SECRETS.slice(2, 3));
    const r = await run(['split', one, ...OPS, '--out', 'new-pw', '--share-password-file', '-'], { tty: true, answers: ['short', 'long enough 1', 'long enough 2', 'long enough 1', 'long enough 1'] });
    expect(r.code).toBe(0);
    expect(r.questions).toEqual([
      'Password for the share keystores (not shown): ',
      'Password for the share keystores (not shown): ',
      'The same again, to confirm (not shown): ',
      'Password for the share keystores (not shown): ',
      'The same again, to confirm (not shown): ',
    ]);
    expect(r.err).toContain('at least 8 characters');
    expect(r.err).toContain('the two entries differ');
    expect(r.out + r.err).not.toContain('long enough');
    const v = await run(['verify', 'new-pw', '--password-file', '-'], { tty: true, answers: ['long enough 1'] });
    expect(v.code).toBe(0);
  });

  it('Ctrl-C at a prompt: exit 130, nothing written', async () => {
    const r = await run(['split', noTxt, ...OPS, '--out', 'ctrl-c'], { tty: true, abortAt: 1 });
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/interrupted/);
    expect(existsSync(join(root, 'ctrl-c'))).toBe(false);
  });
});

describe('mnemonic prompt', () => {
  it('--mnemonic-file - on a terminal: re-asked with the problem and suggestions, then split', async () => {
    const typo = MNEMONIC.replace(/about$/, 'abuot');
    const r = await run(['split', '--mnemonic-file', '-', '--validator-indices', '0..1', ...OPS, '--out', 'mn'], { tty: true, answers: ['abandon abandon', typo, MNEMONIC] });
    expect(r.code).toBe(0);
    expect(r.questions).toHaveLength(3);
    expect(r.err).toContain('  2 word(s) typed; a BIP-39 mnemonic has 12, 15, 18, 21 or 24; type it again (Ctrl-C stops)');
    expect(r.err).toContain('  word 12 is not a BIP-39 word; did you mean about');
    expect(r.err).not.toContain('abuot');
  });

  it('hints: checksum, suggestions by prefix and by edits, valid', () => {
    expect(mnemonicHint(MNEMONIC)).toBeUndefined();
    expect(mnemonicHint(MNEMONIC.replace(/about$/, 'abandon'))).toBe('every word is a BIP-39 word but the checksum is wrong: a word is wrong or two are swapped');
    expect(suggestWords('abanxyz')[0]).toBe('abandon');
    expect(suggestWords('zoo')).toContain('zoo');
    expect(suggestWords('qqqqqqqq')).toEqual([]);
  });

  it('without a terminal, --mnemonic-file - reads the piped phrase', async () => {
    const r = await run(['split', '--mnemonic-file', '-', '--validator-indices', '0..1', ...OPS, '--out', 'mn-piped'], { tty: false, piped: `${MNEMONIC}\n` });
    expect(r.code).toBe(0);
    // the same validator keys as from the file
    writeFileSync(join(root, 'mnemonic.txt'), `${MNEMONIC}\n`);
    const f = await run(['split', '--mnemonic-file', 'mnemonic.txt', '--validator-indices', '0..1', ...OPS, '--out', 'mn-file'], { tty: false });
    expect(f.code).toBe(0);
    const pubkeys = (d: string) => (JSON.parse(readFileSync(join(root, d, 'ceremony.json'), 'utf8')) as { validators: { pubkey: string }[] }).validators.map((v) => v.pubkey);
    expect(pubkeys('mn-piped')).toHaveLength(2);
    expect(pubkeys('mn-piped')).toEqual(pubkeys('mn-file'));
  });
});
