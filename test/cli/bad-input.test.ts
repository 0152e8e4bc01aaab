/**
 * The bad-input matrix of issue 5: each case exits non-zero with one error line naming the problem, no stack
 * trace, no secret or password in the output, and no output files left behind.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptKeystore, keystoreToJson } from '../../src/keys/keystore.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let inputs: string;
let tree: string;
let other: string;
const OPS = ['--operators', 'eridian:3,spacesider:3,cloud:3'];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-bad-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  tree = join(root, 'tree');
  expect((await runCli(['split', inputs, ...OPS, '--out', tree, '--insecure-keys'])).code).toBe(0);
  other = join(root, 'other');
  expect((await runCli(['split', inputs, ...OPS, '--out', other, '--insecure-keys'])).code).toBe(0);
});

/** Asserts the failure shape; returns the single error line. */
function failsCleanly(r: CliResult, out: string | undefined, mentions: RegExp): string {
  expect(r.code).not.toBe(0);
  const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.includes('WARNING: --insecure-keys'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dvkeys [a-z]+: error: /);
  expect(lines[0]).toMatch(mentions);
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  for (const secret of [...SECRETS, 'pw-0', 'pw-1']) {
    expect(r.err + r.out).not.toContain(secret);
  }
  if (out !== undefined) {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..')).filter((n) => n.includes('dvkeys-tmp'))).toEqual([]);
  }
  return lines[0]!;
}

const split = (args: string[], out: string): Promise<CliResult> => runCli(['split', ...args, '--out', out, '--insecure-keys']);

describe('split refuses bad input', () => {
  it('missing input', async () => {
    const out = join(root, 'o-missing');
    failsCleanly(await split([join(root, 'nope.json'), ...OPS], out), out, /nope\.json.*does not exist/);
  });

  it('unreadable input (a folder with no keystores)', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const out = join(root, 'o-empty');
    failsCleanly(await split([empty, ...OPS], out), out, /holds no keystore/);
  });

  it('wrong password', async () => {
    const dir = join(root, 'wrongpw');
    mkdirSync(dir);
    cpSync(join(inputs, 'keystore-0.json'), join(dir, 'keystore-0.json'));
    writeFileSync(join(dir, 'keystore-0.txt'), 'not-the-password');
    const out = join(root, 'o-wrongpw');
    failsCleanly(await split([dir, ...OPS], out), out, /WRONG_PASSWORD/);
  });

  it('malformed keystore', async () => {
    const dir = join(root, 'malformed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keystore-0.json'), '{"crypto": ');
    writeFileSync(join(dir, 'keystore-0.txt'), 'x');
    const out = join(root, 'o-malformed');
    failsCleanly(await split([dir, ...OPS], out), out, /keystore-0\.json.*INVALID_JSON|INVALID_JSON/);
  });

  it('keystore pubkey mismatch', async () => {
    const dir = join(root, 'mismatch');
    mkdirSync(dir);
    const a = JSON.parse(readFileSync(join(inputs, 'keystore-0.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(inputs, 'keystore-1.json'), 'utf8'));
    writeFileSync(join(dir, 'keystore-0.json'), JSON.stringify({ ...a, pubkey: b.pubkey }));
    writeFileSync(join(dir, 'keystore-0.txt'), 'pw-0');
    const out = join(root, 'o-mismatch');
    failsCleanly(await split([dir, ...OPS], out), out, /keystore-0\.json.*KEYSTORE_PUBKEY_MISMATCH/);
  });

  it('escape sequences in a hostile keystore never reach the terminal raw (review F7)', async () => {
    const dir = join(root, 'escape');
    mkdirSync(dir);
    const ks = JSON.parse(readFileSync(join(inputs, 'keystore-0.json'), 'utf8'));
    ks.crypto.kdf.function = '\u001b]0;pwned\u0007';
    writeFileSync(join(dir, 'keystore-0.json'), JSON.stringify(ks));
    writeFileSync(join(dir, 'keystore-0.txt'), 'pw-0');
    const out = join(root, 'o-escape');
    const r = await split([dir, ...OPS], out);
    failsCleanly(r, out, /KEYSTORE_UNSUPPORTED|KEYSTORE_INVALID/);
    expect(r.err).not.toContain('\u001b');
    expect(r.err).toContain('\\x1b');
  });

  it('duplicate keys', async () => {
    const out = join(root, 'o-dup');
    failsCleanly(await split([join(inputs, 'keystore-0.json'), join(inputs, 'keystore-0.json'), ...OPS], out), out, /same key.*DUPLICATE_KEY/);
  });

  it('t > n', async () => {
    const out = join(root, 'o-tn');
    failsCleanly(await split([inputs, ...OPS, '--threshold', '10'], out), out, /threshold.*1\.\.9/);
  });

  it('t < 1', async () => {
    const out = join(root, 'o-t0');
    failsCleanly(await split([inputs, ...OPS, '--threshold', '0'], out), out, /threshold/);
  });

  it('unsafe t without override, accepted with it', async () => {
    const out = join(root, 'o-unsafe');
    const line = failsCleanly(await split([inputs, '--operators', 'eridian:3,spacesider:3', '--threshold', '3'], out), out, /UNSAFE_THRESHOLD/);
    expect(line).toContain('slashable');
    const ok = await split([inputs, '--operators', 'eridian:3,spacesider:3', '--threshold', '3', '--allow-unsafe-threshold'], out);
    expect(ok.code).toBe(0);
  });

  it('existing output dir (never overwritten)', async () => {
    const out = join(root, 'o-exists');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = await split([inputs, ...OPS], out);
    failsCleanly(r, undefined, /already exists.*OUTPUT_EXISTS/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('output dir not writable (its parent is a file)', async () => {
    writeFileSync(join(root, 'a-file'), 'x');
    const out = join(root, 'a-file', 'out');
    failsCleanly(await split([inputs, ...OPS], out), undefined, /cannot write into.*IO_FAILED/);
  });

  it('usage mistakes exit 2', async () => {
    const r = await runCli(['split', inputs, '--operators', 'eridian:x', '--out', join(root, 'o-usage')]);
    expect(r.code).not.toBe(0);
    expect(r.err.split('\n')).toHaveLength(1);
    const u = await runCli(['split', inputs, '--bogus']);
    expect(u.code).toBe(2);
  });
});

describe('combine and verify refuse bad trees', () => {
  const folders = (base: string, names: string[]): string[] => names.flatMap((n) => ['--in', join(base, n)]);

  it('combine with t-1 folders', async () => {
    const out = join(root, 'c-few');
    failsCleanly(await runCli(['combine', ...folders(tree, ['eridian-1', 'eridian-2', 'eridian-3', 'cloud-1', 'cloud-2']), '--out', out]), out, /need folders of 6.*got 5.*NOT_ENOUGH_SHARES/);
  });

  it('combine with folders of two ceremonies', async () => {
    const out = join(root, 'c-two');
    const args = [...folders(tree, ['eridian-1', 'eridian-2', 'eridian-3']), ...folders(other, ['cloud-1', 'cloud-2', 'cloud-3'])];
    const line = failsCleanly(await runCli(['combine', ...args, '--out', out]), out, /different ceremony.*CEREMONY_MISMATCH/);
    // Full paths: both trees have a cloud-1 and an eridian-1 (issue 13).
    expect(line).toContain(`${join(other, 'cloud-1')} belongs to a different ceremony than ${join(tree, 'eridian-1')} and 2 other folder(s) (ceremony fingerprints `);
  });

  it('a tampered share keystore: verify fails naming it, combine refuses', async () => {
    const t = join(root, 'tampered');
    cpSync(tree, t, { recursive: true });
    const path = join(t, 'spacesider-2', 'keystore-1.json');
    const ks = JSON.parse(readFileSync(path, 'utf8'));
    const msg: string = ks.crypto.cipher.message;
    ks.crypto.cipher.message = (msg[0] === '0' ? '1' : '0') + msg.slice(1);
    writeFileSync(path, JSON.stringify(ks, null, 2));
    const v = await runCli(['verify', t]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAIL files\s+spacesider-2: spacesider-2\/keystore-1\.json altered/);
    expect(v.out).toMatch(/FAIL shares\s+spacesider-2: .*spacesider-2\/keystore-1\.json.*(wrong password|altered)/);
    expect(v.out).toMatch(/ok {3}shares\s+cloud-1: 2 keystore\(s\) decrypted/);
    const out = join(root, 'c-tampered');
    failsCleanly(await runCli(['combine', ...folders(t, ['spacesider-2', 'eridian-1', 'eridian-2', 'eridian-3', 'cloud-1', 'cloud-2']), '--out', out]), out, /spacesider-2\/keystore-1\.json.*WRONG_PASSWORD/);
  });

  it('with more than t folders, a damaged one is set aside and the rest recover the keys (review F4)', async () => {
    const t = join(root, 'surplus');
    cpSync(tree, t, { recursive: true });
    const path = join(t, 'eridian-1', 'keystore-0.json');
    const ks = JSON.parse(readFileSync(path, 'utf8'));
    ks.crypto.checksum.message = '00'.repeat(32);
    writeFileSync(path, JSON.stringify(ks, null, 2));
    const out = join(root, 'c-surplus');
    const r = await runCli(['combine', ...folders(t, ['eridian-1', 'eridian-2', 'eridian-3', 'spacesider-1', 'cloud-1', 'cloud-2', 'cloud-3']), '--out', out, '--insecure-keys']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: set aside eridian-1: .*WRONG_PASSWORD/);
    expect(r.out).toContain('from eridian-2, eridian-3, spacesider-1, cloud-1, cloud-2, cloud-3');
  });

  it('a share keystore replaced by a valid keystore of another key: refused by pubkey', async () => {
    const t = join(root, 'swapped');
    cpSync(tree, t, { recursive: true });
    const ks = await encryptKeystore(Buffer.from(SECRETS[2]!, 'hex'), 'pw', { kdf: 'pbkdf2', kdfParams: { c: 16 } });
    writeFileSync(join(t, 'cloud-1', 'keystore-0.json'), keystoreToJson(ks));
    const v = await runCli(['verify', join(t, 'cloud-1')]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAIL keystores cloud-1: .*pubkey is no public share/);
  });

  it('a keystore copied to the root does not turn a tree check into a one-folder check (review F2)', async () => {
    const t = join(root, 'rootcopy');
    cpSync(tree, t, { recursive: true });
    cpSync(join(t, 'eridian-1', 'keystore-0.json'), join(t, 'keystore-0.json'));
    rmSync(join(t, 'cloud-2', 'keystore-1.json'));
    const v = await runCli(['verify', t]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^Ceremony tree/);
    expect(v.out).toMatch(/FAIL keystores cloud-2: operator cloud-2: 1 keystore\(s\) missing/);
  });

  it('a missing ceremony.json copy in an operator folder fails verify (review F10)', async () => {
    const t = join(root, 'nocopy');
    cpSync(tree, t, { recursive: true });
    rmSync(join(t, 'spacesider-1', 'ceremony.json'));
    const v = await runCli(['verify', t]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAIL manifest\s+spacesider-1\/ceremony.json: is missing/);
  });

  it('a folder from another sharing of the same key fails --fingerprint (review F1)', async () => {
    const mine = await runCli(['verify', join(tree, 'cloud-1'), '--json']);
    const fp = JSON.parse(mine.out).fingerprint as string;
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect((await runCli(['verify', join(tree, 'eridian-2'), '--fingerprint', fp])).code).toBe(0);
    const theirs = await runCli(['verify', join(other, 'eridian-2'), '--fingerprint', fp]);
    expect(theirs.code).toBe(1);
    expect(theirs.out).toMatch(/FAIL manifest\s+fingerprint: the SHA-256 of ceremony.json is [0-9a-f]{64}, not the fingerprint given/);
  });

  it('a commitment that is not a valid point: verify exits 1 with a FAIL sharing line, never "All checks passed." (issue 19)', async () => {
    const t = join(root, 'badcommitment');
    cpSync(tree, t, { recursive: true });
    const m = JSON.parse(readFileSync(join(t, 'ceremony.json'), 'utf8'));
    m.validators[1].commitments[2] = `0x9f${'ff'.repeat(47)}`;
    const text = `${JSON.stringify(m, null, 2)}\n`;
    for (const dir of ['.', ...readdirSync(t).filter((n) => !n.endsWith('.json'))]) writeFileSync(join(t, dir, 'ceremony.json'), text);
    const v = await runCli(['verify', t]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAIL sharing\s+validator 1 0x[0-9a-f]{12}…: /);
    expect(v.out).not.toContain('All checks passed.');
    expect(v.out).toMatch(/1 check\(s\) FAILED\.$/);
  });

  it('a tampered manifest: verify fails, combine refuses', async () => {
    const t = join(root, 'badmanifest');
    cpSync(tree, t, { recursive: true });
    const m = JSON.parse(readFileSync(join(t, 'ceremony.json'), 'utf8'));
    // swap two public shares of validator 0: both operators' keystores stop matching
    const ps = m.validators[0].public_shares;
    [ps[0], ps[1]] = [ps[1], ps[0]];
    const text = `${JSON.stringify(m, null, 2)}\n`;
    for (const dir of ['.', ...readdirSync(t).filter((n) => !n.endsWith('.json'))]) writeFileSync(join(t, dir, 'ceremony.json'), text);
    const v = await runCli(['verify', t]);
    expect(v.code).toBe(1);
    expect(v.out).toContain('FAIL');
    const out = join(root, 'c-badmanifest');
    failsCleanly(await runCli(['combine', ...folders(t, ['eridian-1', 'eridian-2', 'eridian-3', 'cloud-1', 'cloud-2', 'cloud-3']), '--out', out]), out, /CEREMONY_MISMATCH|KEYSTORE_PUBKEY_MISMATCH|SHARE_MISMATCH/);
  });
});
