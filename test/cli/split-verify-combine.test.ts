/**
 * End-to-end CLI tests in temp dirs (issue 5): split -> verify -> combine round-trips to the original secrets
 * for keystore input (scrypt and pbkdf2, Charon-style .txt passwords and --password-file) and mnemonic input.
 * Input keystores use low KDF costs; share keystores use --insecure-keys except in one real-cost test.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptKeystore, encryptKeystore, keystoreToJson } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { deriveValidatorKeys } from '../../src/keys/mnemonic.js';
import { runCli } from '../helpers/cli.js';
import { MNEMONIC, SECRETS, makeInputs } from '../helpers/inputs.js';

async function recovered(dir: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let v = 0; v < count; v++) {
    const ks = parseKeystore(readFileSync(join(dir, `keystore-${v}.json`), 'utf8'));
    const pw = readFileSync(join(dir, `keystore-${v}.txt`), 'utf8');
    out.push(Buffer.from(await decryptKeystore(ks, pw)).toString('hex'));
  }
  return out;
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-e2e-'));
});

describe('split -> verify -> combine', () => {
  it.each(['scrypt', 'pbkdf2'] as const)('round-trips %s input keystores with Charon-style .txt passwords', async (kdf) => {
    const base = join(root, `rt-${kdf}`);
    const inputs = join(base, 'in');
    mkdirp(inputs);
    await makeInputs(inputs, kdf);
    const out = join(base, 'out');
    const s = await runCli(['split', inputs, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', out, '--insecure-keys']);
    expect(s.err).toContain('--insecure-keys');
    expect(s.code).toBe(0);
    expect(s.out).toContain('threshold 6 of 9');
    expect(s.out).toContain('STOP the solo validator');
    expect(readdirSync(out).sort()).toEqual(['ceremony.json', 'cloud-1', 'cloud-2', 'cloud-3', 'eridian-1', 'eridian-2', 'eridian-3', 'spacesider-1', 'spacesider-2', 'spacesider-3']);
    expect(readdirSync(join(out, 'eridian-2')).sort()).toEqual(['ceremony.json', 'keystore-0.json', 'keystore-0.txt', 'keystore-1.json', 'keystore-1.txt', 'keystore-2.json', 'keystore-2.txt']);
    expect(statSync(join(out, 'eridian-2')).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, 'eridian-2', 'keystore-1.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'eridian-2', 'keystore-1.txt')).mode & 0o777).toBe(0o600);
    const v = await runCli(['verify', out]);
    expect(v.code).toBe(0);
    expect(v.out).toContain('All checks passed.');
    expect(v.out).toContain('threshold-signature: partial signatures of shares');
    const single = await runCli(['verify', join(out, 'cloud-3')]);
    expect(single.code).toBe(0);
    const back = join(base, 'back');
    // any 6 folders, in any order; shares are found by pubkey, not by folder name
    const c = await runCli(['combine', ...['cloud-3', 'eridian-1', 'spacesider-2', 'cloud-1', 'spacesider-3', 'eridian-2'].flatMap((f) => ['--in', join(out, f)]), '--out', back, '--insecure-keys']);
    expect(c.code).toBe(0);
    expect(await recovered(back, 3)).toEqual(SECRETS);
  });

  it('reads --password-file for all inputs and writes one --share-password-file password (no .txt files)', async () => {
    const base = join(root, 'pwfile');
    const inputs = join(base, 'in');
    mkdirp(inputs);
    for (const [i, hex] of SECRETS.slice(0, 2).entries()) {
      const ks = await encryptKeystore(Buffer.from(hex, 'hex'), 'same-password', { kdf: 'pbkdf2', kdfParams: { c: 16 } });
      writeFileSync(join(inputs, `validator-${i}.json`), keystoreToJson(ks));
    }
    writeFileSync(join(base, 'pw.txt'), 'same-password\n');
    writeFileSync(join(base, 'share-pw.txt'), 'operators-password\n');
    const out = join(base, 'out');
    const s = await runCli(['split', join(inputs, 'validator-0.json'), join(inputs, 'validator-1.json'), '--operators', '4', '--threshold', '3', '--out', out, '--password-file', join(base, 'pw.txt'), '--share-password-file', join(base, 'share-pw.txt'), '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
    expect(readdirSync(join(out, 'operator-2')).sort()).toEqual(['ceremony.json', 'keystore-0.json', 'keystore-1.json']);
    expect(JSON.parse(readFileSync(join(out, 'operator-1', 'keystore-0.json'), 'utf8')).crypto.kdf.function).toBe('scrypt');
    // shares not decrypted are not verified: without the password verify fails, unless --no-decrypt says so
    const noPw = await runCli(['verify', out, '--json']);
    expect(noPw.code).toBe(1);
    expect(JSON.parse(noPw.out).checks.filter((l: { status: string }) => l.status === 'fail').map((l: { code: string }) => l.code)).toEqual(['SHARES_NOT_DECRYPTED']);
    const publicOnly = await runCli(['verify', out, '--no-decrypt']);
    expect(publicOnly.code).toBe(0);
    expect(publicOnly.out).toContain('not decrypted (--no-decrypt)');
    const withPw = await runCli(['verify', out, '--password-file', join(base, 'share-pw.txt')]);
    expect(withPw.code).toBe(0);
    expect(withPw.out).toContain('8 keystore(s) decrypted');
    const back = join(base, 'back');
    const c = await runCli(['combine', '--in', join(out, 'operator-4'), '--in', join(out, 'operator-1'), '--in', join(out, 'operator-3'), '--out', back, '--share-password-file', join(base, 'share-pw.txt'), '--insecure-keys']);
    expect(c.code, c.err).toBe(0);
    expect(await recovered(back, 2)).toEqual(SECRETS.slice(0, 2));
  });

  it('splits mnemonic keys (EIP-2334 indices) and combines them back', async () => {
    const base = join(root, 'mnemonic');
    mkdirp(base);
    writeFileSync(join(base, 'mnemonic.txt'), `${MNEMONIC}\n`);
    const out = join(base, 'out');
    const s = await runCli(['split', '--mnemonic-file', join(base, 'mnemonic.txt'), '--validator-indices', '0..1,5', '--operators', 'a:2,b:2,c:1', '--out', out, '--insecure-keys', '--json']);
    expect(s.code, s.err).toBe(0);
    const summary = JSON.parse(s.out);
    expect(summary.threshold).toBe(4);
    const expected = await deriveValidatorKeys(MNEMONIC, { indices: [0, 1, 5] });
    expect(summary.validators).toEqual(expected.map((k) => `0x${Buffer.from(k.publicKey).toString('hex')}`));
    const back = join(base, 'back');
    const c = await runCli(['combine', '--in', join(out, 'a-1'), '--in', join(out, 'b-2'), '--in', join(out, 'c-1'), '--in', join(out, 'a-2'), '--out', back, '--insecure-keys']);
    expect(c.code, c.err).toBe(0);
    expect(await recovered(back, 3)).toEqual(expected.map((k) => Buffer.from(k.secret).toString('hex')));
  });

  it('writes share keystores at the real pbkdf2 cost by default (c = 2^18)', async () => {
    const base = join(root, 'real');
    const inputs = join(base, 'in');
    mkdirp(inputs);
    await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
    const out = join(base, 'out');
    const s = await runCli(['split', inputs, '--operators', '3', '--out', out]);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'operator-1', 'keystore-0.json'), 'utf8')).crypto.kdf.params.c).toBe(262144);
    expect((await runCli(['verify', out])).code).toBe(0);
  });
});

function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
