/**
 * Shared steps of the CLI lifecycle tests (test/cli/lifecycle*.test.ts): a 3-of-4 split of two validators, host keys
 * per party, and the reshare / refresh / repair rounds run through files, each party in its own folder and every
 * message "carried" through a coordinator folder (the coordinator never holds a host key or a share).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

export const cli = (...args: string[]): Promise<CliResult> => runCli(args);

export function ok(r: CliResult): CliResult {
  expect(r.code, r.err).toBe(0);
  return r;
}

/** Exit 1 and one error line ending in [code] (after --insecure-keys warnings); returns the line. */
export function fails(r: CliResult, code: string): string {
  expect(r.code, r.out).toBe(1);
  const lines = r.err.trim().split('\n').filter((l) => !l.includes('WARNING: --insecure-keys'));
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^dvkeys [a-z-]+: error: .*\\[${code}\\]$`));
  return lines[0]!;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dvkeys-${prefix}-`));
}

/** A party: its own folder with an unencrypted host key. */
export interface Party {
  readonly dir: string;
  readonly pub: string;
}

export async function party(root: string, name: string): Promise<Party> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const r = ok(await cli('dkg', 'keygen', '--out', join(dir, 'host-key.json'), '--json'));
  return { dir, pub: JSON.parse(r.out).hostPublicKey as string };
}

export const hk = (p: Party): string[] => ['--host-key', join(p.dir, 'host-key.json')];

/** A 3-of-4 split of SECRETS[0..1] in root/old (folders operator-1..4, .txt passwords beside each keystore). */
export async function splitCluster(root: string): Promise<string> {
  const inputs = join(root, 'in');
  mkdirSync(inputs, { recursive: true });
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  const old = join(root, 'old');
  ok(await cli('split', inputs, '--operators', '4', '--threshold', '3', '--out', old, '--insecure-keys'));
  return old;
}

/** The recovered secrets of a combine output folder. */
export async function recovered(dir: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let v = 0; v < count; v++) {
    const ks = parseKeystore(readFileSync(join(dir, `keystore-${v}.json`), 'utf8'));
    out.push(Buffer.from(await decryptKeystore(ks, readFileSync(join(dir, `keystore-${v}.txt`), 'utf8'))).toString('hex'));
  }
  return out;
}

/** The validator pubkeys of a ceremony.json. */
export function pubkeysOf(manifestPath: string): string[] {
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { validators: { pubkey: string }[] }).validators.map((v) => v.pubkey);
}

/** Combines the folders and checks the original secrets come back. */
export async function expectCombinesToOriginal(root: string, folders: readonly string[], name: string): Promise<void> {
  const back = join(root, name);
  ok(await cli('combine', ...folders.flatMap((f) => ['--in', f]), '--out', back, '--insecure-keys'));
  expect(await recovered(back, 2)).toEqual(SECRETS.slice(0, 2));
}

/** Runs `dvkeys verify <folder>` and expects success. */
export async function expectVerifies(folder: string): Promise<void> {
  const r = ok(await cli('verify', folder, '--json'));
  expect(JSON.parse(r.out).ok, r.out).toBe(true);
}

/** The plan fingerprint of a plan written by init --json. */
export function fingerprintOf(r: CliResult): string {
  return JSON.parse(ok(r).out).fingerprint as string;
}

/** Every recipient signs its echo of the dealings (the transcript-agreement step); returns the echo files. */
export async function echoAll(kind: 'reshare' | 'refresh', plan: string, recipients: readonly Party[], files: readonly string[], name = 'echo'): Promise<string[]> {
  const out: string[] = [];
  for (const p of recipients) {
    out.push(join(p.dir, `${name}.json`));
    // The journal allows one echo per plan and host key (decision 0444); a test that plays a further scenario on the
    // same plan echoes with a copy of the key (a copy has its own, empty journal: decision 0430).
    let key = join(p.dir, 'host-key.json');
    if (name !== 'echo') {
      const copy = join(p.dir, `host-key-${name}.json`);
      copyFileSync(key, copy);
      key = copy;
    }
    ok(await cli(kind, 'echo', '--plan', plan, '--host-key', key, '--out', out.at(-1)!, ...files));
  }
  return out;
}
