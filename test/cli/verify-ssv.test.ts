/**
 * `dvkeys verify` on an SSV keyshares.json (issue 15): the file or a folder holding it; `--ssv-operator-key FILE`
 * (repeatable) decrypts that operator's shares; without a key the shares are not verified and verify exits 1
 * (SHARES_NOT_DECRYPTED) unless --no-decrypt; `--fingerprint` is the SHA-256 of the file bytes; options the
 * layout has no place for are refused in one line (LAYOUT_UNSUPPORTED), in SSV and in the other layouts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { loadVector } from '../helpers/vectors.js';

interface Case { id: string; fingerprint: string; keyshares: string; operator_keys: { id: number; private_key: string }[] }
const V = loadVector<{ cases: Case[] }>('ssv/dvkeys-keyshares-operator-keys.json');
const MOCK = loadVector<{ cases: { keyshares: unknown }[] }>('ssv/ssv-keyshares.json');
const C = V.cases[0]!;

let root: string;
let ks: string;
const key = (i: number): string => join(root, `operator-${C.operator_keys[i]!.id}.key`);
interface Line { status: string; code?: string; field?: string; culprits?: string[]; subject: string }
const lines = (r: CliResult): Line[] => JSON.parse(r.out).checks as Line[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-verify-ssv-'));
  mkdirSync(join(root, 'out'));
  ks = join(root, 'out', 'keyshares.json');
  writeFileSync(ks, C.keyshares);
  C.operator_keys.forEach((k, i) => writeFileSync(key(i), `${k.private_key}\n`));
  // The PEM form of the first key, and an encrypted-keystore-shaped file.
  writeFileSync(join(root, 'pem.key'), Buffer.from(C.operator_keys[0]!.private_key, 'base64'));
  writeFileSync(join(root, 'encrypted.json'), '{"checksum": {}, "pubKey": "x"}');
  writeFileSync(join(root, 'mock.json'), JSON.stringify(MOCK.cases[0]!.keyshares));
  mkdirSync(join(root, 'dvkeys'));
  writeFileSync(join(root, 'dvkeys', 'ceremony.json'), '{}');
});

describe('verify <keyshares.json>', () => {
  it('with two operators\' keys (raw and PEM forms) decrypts and checks their shares; the others are skipped', async () => {
    const r = await runCli(['verify', ks, '--ssv-operator-key', key(1), '--ssv-operator-key', join(root, 'pem.key'), '--fingerprint', C.fingerprint]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('SSV keyshares');
    expect(r.out).toContain('operators 11, 22, 33, 44, threshold 3 of 4');
    expect(r.out.match(/ok {3}shares/g)).toHaveLength(4);
    expect(r.out).toMatch(/skip shares +other operators: shares of operator\(s\) 33, 44 not decrypted/);
    expect(r.out).toContain(`Keyshares fingerprint (SHA-256 of keyshares.json): ${C.fingerprint}`);
    expect(r.out).toContain('All checks passed.');
  });

  it('reads a folder holding keyshares.json; without a key it fails SHARES_NOT_DECRYPTED, with --no-decrypt passes', async () => {
    const none = await runCli(['verify', join(root, 'out'), '--json']);
    expect(none.code).toBe(1);
    expect(lines(none).filter((l) => l.status === 'fail').map((l) => l.code)).toEqual(['SHARES_NOT_DECRYPTED']);
    const pub = await runCli(['verify', join(root, 'out'), '--no-decrypt']);
    expect(pub.code, pub.out).toBe(0);
    expect(pub.out).toContain('skip shares    encrypted shares: not decrypted (--no-decrypt)');
  });

  it('checks the ssv-keys mock file (public checks; its operators\' private keys are not published)', async () => {
    const r = await runCli(['verify', join(root, 'mock.json'), '--no-decrypt', '--json']);
    expect(r.code, r.out).toBe(0);
    expect(lines(r).map((l) => l.status)).toEqual(['pass', 'pass', 'skipped']);
  });

  it('a wrong or truncated fingerprint fails CEREMONY_MISMATCH saying what it expected', async () => {
    const wrong = await runCli(['verify', ks, '--no-decrypt', '--fingerprint', `0x${'ab'.repeat(32)}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(`the SHA-256 of keyshares.json is ${C.fingerprint}, not the fingerprint given`);
    const short = await runCli(['verify', ks, '--no-decrypt', '--fingerprint', C.fingerprint.slice(0, 8), '--json']);
    expect(short.code).toBe(1);
    expect(lines(short).filter((l) => l.status === 'fail').map((l) => l.code)).toEqual(['CEREMONY_MISMATCH']);
  });

  it('a key of another cluster fails CEREMONY_MISMATCH', async () => {
    const other = join(root, 'other.key');
    writeFileSync(other, V.cases[1]!.operator_keys[0]!.private_key);
    const r = await runCli(['verify', ks, '--ssv-operator-key', key(0), '--ssv-operator-key', other, '--json']);
    expect(r.code).toBe(1);
    expect(lines(r).filter((l) => l.status === 'fail').map((l) => [l.code, l.subject])).toEqual([['CEREMONY_MISMATCH', 'other.key']]);
  });

  it('refuses in one line what it cannot honour', async () => {
    const cases: [string[], number, RegExp][] = [
      [['verify', ks, '--password-file', key(0)], 1, /--password-file has no place in the ssv layout: .*\[LAYOUT_UNSUPPORTED\]/],
      [['verify', ks, '--max-kdf-work', '4'], 1, /--max-kdf-work has no place in the ssv layout: an SSV keyshares.json holds no keystores.*\[LAYOUT_UNSUPPORTED\]/],
      [['verify', ks, '--strict-operator-signatures'], 1, /--strict-operator-signatures has no place in the ssv layout.*\[LAYOUT_UNSUPPORTED\]/],
      [['verify', join(root, 'dvkeys'), '--ssv-operator-key', key(0)], 1, /--ssv-operator-key has no place in the dvkeys layout.*\[LAYOUT_UNSUPPORTED\]/],
      [['verify', join(root, 'dvkeys'), '--strict-operator-signatures'], 1, /--strict-operator-signatures has no place in the dvkeys layout.*\[LAYOUT_UNSUPPORTED\]/],
      [['verify', ks, '--no-decrypt', '--ssv-operator-key', key(0)], 2, /--no-decrypt decrypts nothing, so --ssv-operator-key would be ignored/],
      [['verify', join(root, 'dvkeys'), '--no-decrypt', '--password-file', key(0)], 2, /--no-decrypt decrypts nothing, so --password-file would be ignored/],
      [['verify', ks, '--ssv-operator-key', join(root, 'encrypted.json')], 1, /is an encrypted operator keystore \(JSON\).*\[INVALID_ARGUMENT\]/],
      [['verify', ks, '--ssv-operator-key', ks], 1, /--ssv-operator-key keyshares.json is an encrypted operator keystore|neither a PEM private key/],
      [['verify', join(root, 'nothing-here')], 1, /nothing-here: it does not exist \[IO_FAILED\]/],
      [['verify', root], 2, /has no ceremony.json, cluster-lock.json or keyshares.json/],
    ];
    for (const [argv, code, err] of cases) {
      const r = await runCli(argv);
      expect([r.code, r.err.split('\n').length], argv.join(' ')).toEqual([code, 1]);
      expect(r.err).toMatch(err);
      expect(r.out).toBe('');
    }
  });

  it('refuses a file whose items use different operator sets in one line, as the SSV adapter reads it (decision 0309)', async () => {
    const a = JSON.parse(V.cases[0]!.keyshares) as { shares: unknown[] };
    const b = JSON.parse(V.cases[1]!.keyshares) as { shares: unknown[] };
    const mixed = join(root, 'mixed.json');
    writeFileSync(mixed, JSON.stringify({ ...a, shares: [a.shares[0], b.shares[0]] }));
    for (const extra of [['--no-decrypt'], ['--ssv-operator-key', key(0)], ['--no-decrypt', '--json']]) {
      const r = await runCli(['verify', mixed, ...extra]);
      expect([r.code, r.err.trim().split('\n').length], extra.join(' ')).toEqual([1, 1]);
      expect(r.err).toMatch(/'shares\[1\]\.data\.operators' differs from the first item's operators: one cluster has one operator set; split the file per operator set \[LAYOUT_UNSUPPORTED\]/);
    }
    // the items alone, each in a file of its own, verify
    writeFileSync(join(root, 'second.json'), JSON.stringify({ ...b, shares: [b.shares[0]] }));
    const one = await runCli(['verify', join(root, 'second.json'), '--no-decrypt']);
    expect(one.code, one.out).toBe(0);
  });
});
