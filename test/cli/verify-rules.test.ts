/**
 * `dvkeys verify` rules that hold in every layout (issue 15): `--fingerprint` is checked for Charon node folders
 * (against the lock hash) as for dvkeys folders (against the SHA-256 of ceremony.json), a wrong or truncated
 * fingerprint fails with CEREMONY_MISMATCH and says what was expected; share keystores that were not decrypted
 * fail the report (SHARES_NOT_DECRYPTED) unless --no-decrypt is given.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

const ADDR = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
let root: string;
let inputs: string;
let charon: string;
let lockHash: string;

interface Line { status: string; code?: string; subject: string; detail: string }
const failures = (r: CliResult): string[] => (JSON.parse(r.out).checks as Line[]).filter((l) => l.status === 'fail').map((l) => l.code ?? '?');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-verify-rules-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
  charon = join(root, 'charon');
  const s = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', '--network', 'hoodi', '--withdrawal-address', ADDR, '--fee-recipient', ADDR, '--out', charon, '--insecure-keys']);
  expect(s.code, s.err).toBe(0);
  lockHash = JSON.parse(readFileSync(join(charon, 'node0', 'cluster-lock.json'), 'utf8')).lock_hash;
});

describe('verify --fingerprint on a Charon node folder checks the lock hash', () => {
  it('passes with the lock hash (with or without 0x, any case) and prints it', async () => {
    for (const fp of [lockHash, lockHash.slice(2).toUpperCase()]) {
      const r = await runCli(['verify', join(charon, 'node2'), '--fingerprint', fp]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('matches the fingerprint given (the lock hash)');
      expect(r.out).toContain(`Cluster fingerprint (lock hash): ${lockHash}`);
    }
  });

  it('fails on a wrong fingerprint, naming the lock hash expected', async () => {
    const wrong = `0x${'ab'.repeat(32)}`;
    const r = await runCli(['verify', join(charon, 'node2'), '--fingerprint', wrong]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`the lock hash is ${lockHash}, not the fingerprint given (${'ab'.repeat(32)})`);
    expect(failures(await runCli(['verify', join(charon, 'node2'), '--fingerprint', wrong, '--json']))).toEqual(['CEREMONY_MISMATCH']);
  });

  it('fails on a truncated fingerprint (the issue\'s 0xdeadbeef, and the lock hash less one digit)', async () => {
    const r = await runCli(['verify', join(charon, 'node1'), '--fingerprint', '0xdeadbeef']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`expected 64 hex digits (the full lock hash, here ${lockHash}), but the fingerprint given has 8`);
    expect(failures(await runCli(['verify', join(charon, 'node1'), '--fingerprint', lockHash.slice(0, -1), '--json']))).toEqual(['CEREMONY_MISMATCH']);
  });
});

describe('a dvkeys folder: truncated fingerprints fail too', () => {
  it('fails on a prefix of the right fingerprint', async () => {
    const out = join(root, 'dvkeys');
    expect((await runCli(['split', inputs, '--operators', '3', '--out', out, '--insecure-keys'])).code).toBe(0);
    const fp = JSON.parse((await runCli(['verify', join(out, 'operator-1'), '--json'])).out).fingerprint as string;
    expect((await runCli(['verify', join(out, 'operator-1'), '--fingerprint', fp])).code).toBe(0);
    const r = await runCli(['verify', join(out, 'operator-1'), '--fingerprint', fp.slice(0, 16)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`expected 64 hex digits (the full SHA-256 of ceremony.json, here ${fp}), but the fingerprint given has 16`);
  });
});

describe('shares not decrypted are not verified', () => {
  it('a Charon node folder without its .txt passwords fails unless --no-decrypt', async () => {
    const node = join(charon, 'node3');
    rmSync(join(node, 'validator_keys', 'keystore-0.txt'));
    const r = await runCli(['verify', node, '--fingerprint', lockHash, '--json']);
    expect(r.code).toBe(1);
    expect(failures(r)).toEqual(['SHARES_NOT_DECRYPTED']);
    const text = await runCli(['verify', node, '--fingerprint', lockHash]);
    expect(text.out).toMatch(/1 keystore\(s\) not decrypted for want of a password \(node3\/validator_keys\/keystore-0\.json\)/);
    const pub = await runCli(['verify', node, '--fingerprint', lockHash, '--no-decrypt']);
    expect(pub.code, pub.out).toBe(0);
    expect(pub.out).toContain('not decrypted (--no-decrypt)');
  });
});
