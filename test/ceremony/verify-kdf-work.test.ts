/**
 * The total KDF-work budget of `verify` (issue 12 part 6, decision 0422): a tree of keystores whose KDF costs are
 * each legal (at the per-keystore cap, 16 times the EIP-2335 default) but together far above what the tree claims
 * is refused before any KDF runs, with one LIMIT_EXCEEDED line naming the budget; an ordinary tree passes. In the
 * dvkeys layout and the Charon layout, in the library and the CLI.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { runCharonSplit } from '../../src/ceremony/charon-split.js';
import { verifyCharonCluster } from '../../src/ceremony/charon-verify.js';
import { fileHash } from '../../src/ceremony/files.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { verifyCeremony, type VerifyReport } from '../../src/ceremony/verify.js';
import { getNetwork } from '../../src/eth/networks.js';
import { DEFAULT_KDF_WORK_PER_KEYSTORE, formatKdfWork, kdfWork } from '../../src/keys/kdf-work.js';
import { DEFAULT_PBKDF2, DEFAULT_SCRYPT } from '../../src/keys/keystore.js';
import { PBKDF2_MAX_C, SCRYPT_MAX_WORK } from '../../src/keys/limits.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const salt = new Uint8Array(32);
/** The most scrypt work one keystore may legally ask for within the memory cap: n=2^19, r=8, p=8 (16 units, 512 MiB). */
const HEAVY = { n: 2 ** 19, r: 8, p: 8 };

/** The keystore JSON text with its KDF replaced by legal-but-heavy scrypt parameters (checksum no longer matches). */
function heavy(text: string): string {
  const ks = JSON.parse(text);
  ks.crypto.kdf = { function: 'scrypt', params: { dklen: 32, ...HEAVY, salt: '00'.repeat(32) }, message: '' };
  return JSON.stringify(ks);
}

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];

async function dvkeysTree(hostile: boolean) {
  const { files } = await runSplit({
    validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: OPERATORS,
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('verify kdf work'),
  });
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const m = JSON.parse(new TextDecoder().decode(byPath.get('ceremony.json')));
  if (hostile) {
    // every keystore heavy, and the manifest's hashes updated, so the budget is the only check that can fail
    for (const [path, bytes] of byPath) {
      if (!/keystore-[0-9]+\.json$/.test(path)) continue;
      const b = utf8(heavy(new TextDecoder().decode(bytes)));
      byPath.set(path, b);
      m.files[path] = fileHash(b);
    }
  }
  const manifestText = `${JSON.stringify(m, null, 2)}\n`;
  const folders: FolderSnapshot[] = OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map([...[...byPath].filter(([p]) => p.startsWith(`${name}/`)).map(([p, b]): [string, Uint8Array] => [p.slice(name.length + 1), b]), ['ceremony.json', utf8(manifestText)]]),
  }));
  return { manifestText, folders };
}

const fails = (r: { lines: readonly { status: string; code?: string; check: string; subject: string }[] }) =>
  r.lines.filter((l) => l.status === 'fail').map(({ check, subject, code }) => ({ check, subject, code }));

describe('KDF work units', () => {
  it('one default keystore is one unit for either KDF; the per-keystore caps are 16 units', () => {
    expect(kdfWork({ function: 'scrypt', ...DEFAULT_SCRYPT, dklen: 32, salt })).toBe(1);
    expect(kdfWork({ function: 'pbkdf2', ...DEFAULT_PBKDF2, dklen: 32, salt })).toBe(1);
    expect(kdfWork({ function: 'scrypt', ...HEAVY, dklen: 32, salt })).toBe(16);
    expect((128 * HEAVY.n * HEAVY.r * HEAVY.p) / SCRYPT_MAX_WORK).toBe(1); // HEAVY is exactly at the scrypt work cap
    expect(kdfWork({ function: 'pbkdf2', c: PBKDF2_MAX_C, dklen: 32, salt })).toBe(16);
    expect(kdfWork({ function: 'scrypt', n: 16, r: 8, p: 1, dklen: 32, salt })).toBe(2 ** -14); // Charon's insecure cost
  });

  it('units print with at most 3 significant digits and never an exponent', () => {
    expect([1e-8, 2 ** -14, 0.5, 2, 16.0001, 33.333, 96, 1234.4].map(formatKdfWork)).toEqual(['0.00000001', '0.000061', '0.5', '2', '16', '33.3', '96', '1234']);
  });
});

describe('verifyCeremony (dvkeys layout)', () => {
  it('an ordinary tree passes with the default budget', async () => {
    const { manifestText, folders } = await dvkeysTree(false);
    const r = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true });
    expect(fails(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a tree of legal keystores at 16 units each is refused before any KDF runs: one LIMIT_EXCEEDED line', async () => {
    const { manifestText, folders } = await dvkeysTree(true);
    const progress: number[][] = [];
    const r: VerifyReport = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true, onProgress: (d, t) => progress.push([d, t]) });
    expect(r.ok).toBe(false);
    expect(fails(r)).toEqual([{ check: 'shares', subject: 'keystores', code: 'LIMIT_EXCEEDED' }]);
    const line = r.lines.find((l) => l.code === 'LIMIT_EXCEEDED')!;
    expect(line.detail).toContain(`the keystores need 96 units of KDF work`);
    expect(line.detail).toContain(`above the budget of ${6 * DEFAULT_KDF_WORK_PER_KEYSTORE} ('maxKdfWork'); nothing was decrypted`);
    expect(line.detail).toContain('the most: out/alice/keystore-0.json, 16');
    expect(progress, 'the decryption batch never started').toEqual([]);
  });

  it('maxKdfWork sets the budget in both directions', async () => {
    const { manifestText, folders } = await dvkeysTree(false);
    // 6 keystores of pbkdf2 c=16: 6 * 16 / 2^18 units
    const need = (6 * 16) / 2 ** 18;
    const tight = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true, maxKdfWork: need / 2 });
    expect(fails(tight)).toEqual([{ check: 'shares', subject: 'keystores', code: 'LIMIT_EXCEEDED' }]);
    const hostile = await dvkeysTree(true);
    const wide = await verifyCeremony({ ...hostile, manifestSource: 'out/ceremony.json', wholeTree: true, maxKdfWork: 95 });
    expect(fails(wide)).toEqual([{ check: 'shares', subject: 'keystores', code: 'LIMIT_EXCEEDED' }]);
    const enough = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true, maxKdfWork: need });
    expect(fails(enough)).toEqual([]);
  });

  it('a bad maxKdfWork, or one with noDecrypt, is refused naming the field', async () => {
    const { manifestText, folders } = await dvkeysTree(false);
    for (const [maxKdfWork, noDecrypt] of [[0, false], [-1, false], [Number.NaN, false], [Number.POSITIVE_INFINITY, false], [10, true]] as const) {
      await expect(verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true, maxKdfWork, noDecrypt })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxKdfWork' });
    }
  });
});

describe('verifyCharonCluster (Charon layout)', () => {
  async function cluster(hostile: boolean): Promise<FolderSnapshot[]> {
    const out = await runCharonSplit({
      validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
      nodes: 4,
      network: getNetwork('hoodi'),
      withdrawalAddresses: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
      feeRecipients: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
      kdfParams: { c: 16 },
      rng: insecureTestRng('verify kdf work charon'),
      now: new Date('2025-06-01T12:00:00Z'),
    });
    return [0, 1, 2, 3].map((k) => {
      const prefix = `node${k}/`;
      const files = new Map(out.files.filter((f) => f.path.startsWith(prefix)).map((f): [string, Uint8Array] => [f.path.slice(prefix.length), f.bytes]));
      if (hostile) for (const [p, b] of files) if (/keystore-[0-9]+\.json$/.test(p)) files.set(p, utf8(heavy(new TextDecoder().decode(b))));
      return { label: `node${k}`, files };
    });
  }

  it('an ordinary cluster passes; a hostile one is refused before any KDF runs, one LIMIT_EXCEEDED line naming maxKdfWork', async () => {
    const ok = await verifyCharonCluster({ folders: await cluster(false), rng: insecureTestRng(1) });
    expect(fails(ok)).toEqual([]);
    const progress: number[][] = [];
    const bad = await verifyCharonCluster({ folders: await cluster(true), rng: insecureTestRng(1), onProgress: (d, t) => progress.push([d, t]) });
    expect(fails(bad)).toEqual([{ check: 'shares', subject: 'keystores', code: 'LIMIT_EXCEEDED' }]);
    expect(bad.lines.find((l) => l.code === 'LIMIT_EXCEEDED')).toMatchObject({ field: 'maxKdfWork' });
    expect(progress).toEqual([]);
    await expect(verifyCharonCluster({ folders: await cluster(false), maxKdfWork: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxKdfWork' });
  });
});

describe('dvkeys verify --max-kdf-work', () => {
  const root = mkdtempSync(join(tmpdir(), 'dvkeys-kdf-work-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a hostile tree fails with one LIMIT_EXCEEDED line; the flag widens or narrows the budget; bad values are refused', async () => {
    const inputs = join(root, 'in');
    mkdirSync(inputs);
    await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
    const out = join(root, 'out');
    const s = await runCli(['split', inputs, '--operators', '3', '--out', out, '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
    expect((await runCli(['verify', out])).code).toBe(0);
    const narrow = await runCli(['verify', out, '--max-kdf-work', '0.0000001', '--json']);
    expect(narrow.code).toBe(1);
    expect((JSON.parse(narrow.out).checks as { status: string; code?: string }[]).filter((l) => l.status === 'fail').map((l) => l.code)).toEqual(['LIMIT_EXCEEDED']);
    // make one operator folder hostile (its keystore and the manifest hashes), then verify that folder alone
    const m = JSON.parse(readFileSync(join(out, 'ceremony.json'), 'utf8'));
    const op = m.operators[0].name as string;
    const name = readdirSync(join(out, op)).find((f) => /^keystore-[0-9]+\.json$/.test(f))!;
    const b = utf8(heavy(readFileSync(join(out, op, name), 'utf8')));
    writeFileSync(join(out, op, name), b);
    m.files[`${op}/${name}`] = fileHash(b);
    const text = `${JSON.stringify(m, null, 2)}\n`;
    writeFileSync(join(out, 'ceremony.json'), text);
    writeFileSync(join(out, op, 'ceremony.json'), text);
    const r = await runCli(['verify', join(out, op)]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').filter((l) => l.includes('LIMIT_EXCEEDED') || l.includes('FAIL '))).toHaveLength(1);
    expect(r.out).toContain("the keystores need 16 units of KDF work");
    for (const bad of ['0', '-1', 'abc', '1e3', '']) {
      const e = await runCli(['verify', out, `--max-kdf-work=${bad}`]);
      expect(e.code, bad).toBe(2);
      expect(e.err).toContain('--max-kdf-work must be a positive number');
    }
    const both = await runCli(['verify', out, '--max-kdf-work', '5', '--no-decrypt']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--max-kdf-work limits decryption, which --no-decrypt skips');
  });
});
