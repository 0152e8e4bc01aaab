/**
 * The KDF-work budget of `combine`, Charon's combine and the CLI signing path (`deposit sign`, `exit sign`) (issue 12
 * attack a10, decision 0213): the work of every share keystore they may decrypt is counted before the first KDF by
 * verify's rule (decision 0422), so a tree of legal-but-heavy keystores (16 units each) is refused with one
 * LIMIT_EXCEEDED and no KDF run; `maxKdfWork` / `--max-kdf-work` sets the budget; ordinary trees are unaffected.
 *
 * Heavy KDFs are never really run: a vi.mock wrapper records every deriveKey call and runs a heavy one at n = 2^4
 * instead (its checksum then fails, so the keystore reads as a wrong password), so a missing budget shows here as
 * recorded heavy calls, not as a hung test.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { runCharonCombine } from '../../src/ceremony/charon-combine.js';
import { runCharonSplit } from '../../src/ceremony/charon-split.js';
import { runCombine } from '../../src/ceremony/combine.js';
import { fileHash } from '../../src/ceremony/files.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { getNetwork } from '../../src/eth/networks.js';
import type { KdfParams } from '../../src/keys/kdf.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const calls: KdfParams[] = [];
vi.mock('../../src/keys/kdf.js', async (importOriginal) => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vitest's importOriginal needs the module type
  const orig = await importOriginal<typeof import('../../src/keys/kdf.js')>();
  return {
    ...orig,
    deriveKey: (params: KdfParams, password: Uint8Array, options?: Parameters<typeof orig.deriveKey>[2]) => {
      calls.push(params);
      const run = params.function === 'scrypt' && params.n >= 2 ** 19 ? { ...params, n: 16, p: 1 } : params;
      return orig.deriveKey(run, password, options);
    },
  };
});
const heavyCalls = (): number => calls.filter((p) => p.function === 'scrypt' && p.n >= 2 ** 19).length;

/** The keystore JSON text with its KDF replaced by the legal maximum scrypt (n=2^19, r=8, p=8: 16 units). */
function heavy(text: string): string {
  const ks = JSON.parse(text);
  ks.crypto.kdf = { function: 'scrypt', params: { dklen: 32, n: 2 ** 19, r: 8, p: 8, salt: '00'.repeat(32) }, message: '' };
  return JSON.stringify(ks);
}

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];
const PASSWORD = 'recovered-password';
const OUT_KDF = { kdf: 'pbkdf2', kdfParams: { c: 16 } } as const;

/** A 2-of-3 split of 2 validators (pbkdf2 c=16 shares), the keystores of `hostile` operators made heavy. */
async function dvkeysFolders(hostile: readonly string[]): Promise<FolderSnapshot[]> {
  const { files } = await runSplit({
    validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: OPERATORS,
    threshold: 2,
    ...OUT_KDF,
    rng: insecureTestRng('combine kdf work'),
  });
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const m = JSON.parse(new TextDecoder().decode(byPath.get('ceremony.json')));
  for (const [path, bytes] of byPath) {
    if (!/keystore-[0-9]+\.json$/.test(path) || !hostile.includes(path.split('/')[0]!)) continue;
    const b = utf8(heavy(new TextDecoder().decode(bytes)));
    byPath.set(path, b);
    m.files[path] = fileHash(b);
  }
  const manifest = utf8(`${JSON.stringify(m, null, 2)}\n`);
  return OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map([...[...byPath].filter(([p]) => p.startsWith(`${name}/`)).map(([p, b]): [string, Uint8Array] => [p.slice(name.length + 1), b]), ['ceremony.json', manifest]]),
  }));
}

async function refusal(p: Promise<unknown>): Promise<{ code?: string; field?: string; message: string } | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => e as { code?: string; field?: string; message: string },
  );
}

describe('runCombine (dvkeys folders)', () => {
  it('an ordinary tree combines with the default budget', async () => {
    const folders = await dvkeysFolders([]);
    calls.length = 0;
    const r = await runCombine({ folders, password: PASSWORD, ...OUT_KDF });
    expect(r.operators).toEqual(['alice', 'bob']);
    expect(calls).toHaveLength(2 * 2 + 2); // t·V share decryptions, V recovered-keystore encryptions
  });

  it('a tree of heavy keystores is refused before any KDF: LIMIT_EXCEEDED naming maxKdfWork, no progress', async () => {
    const folders = await dvkeysFolders(['alice', 'bob', 'carol']);
    calls.length = 0;
    const progress: number[][] = [];
    const e = await refusal(runCombine({ folders, password: PASSWORD, ...OUT_KDF, onProgress: (d, t) => progress.push([d, t]) }));
    expect(e).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'maxKdfWork' });
    expect(e!.message).toBe(
      "the keystores need 96 units of KDF work (one unit: one default EIP-2335 keystore; the most: out/alice/keystore-0.json, 16), above the budget of 12 ('maxKdfWork'); nothing was decrypted",
    );
    expect(calls).toHaveLength(0);
    expect(progress).toEqual([]);
  });

  it('a heavy folder beyond the first t counts too (combine tries it when one of the first fails); without it the rest combine', async () => {
    const folders = await dvkeysFolders(['carol']);
    calls.length = 0;
    const e = await refusal(runCombine({ folders, password: PASSWORD, ...OUT_KDF }));
    expect(e).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'maxKdfWork' });
    expect(e!.message).toContain('need 32 units of KDF work (one unit: one default EIP-2335 keystore; the most: out/carol/keystore-0.json, 16), above the budget of 12');
    expect(calls).toHaveLength(0);
    const r = await runCombine({ folders: folders.slice(0, 2), password: PASSWORD, ...OUT_KDF });
    expect(r.operators).toEqual(['alice', 'bob']);
    expect(heavyCalls()).toBe(0);
  });

  it('a heavy folder combine cannot decrypt for want of a password is not counted (it runs no KDF)', async () => {
    const [alice, bob, carol] = await dvkeysFolders(['carol']);
    const folders = [alice!, bob!, { label: carol!.label, files: new Map([...carol!.files].filter(([p]) => !p.endsWith('.txt'))) }];
    calls.length = 0;
    const r = await runCombine({ folders, password: PASSWORD, ...OUT_KDF });
    expect(r.operators).toEqual(['alice', 'bob']);
    expect(r.skipped).toEqual([]); // never reached: alice and bob opened first
    expect(heavyCalls()).toBe(0);
  });

  it('maxKdfWork sets the budget both ways; a bad value is refused before any work', async () => {
    const ordinary = await dvkeysFolders([]);
    const need = (6 * 16) / 2 ** 18; // 6 share keystores of pbkdf2 c=16
    calls.length = 0;
    expect(await refusal(runCombine({ folders: ordinary, password: PASSWORD, ...OUT_KDF, maxKdfWork: need / 2 }))).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'maxKdfWork' });
    expect(calls).toHaveLength(0);
    expect((await runCombine({ folders: ordinary, password: PASSWORD, ...OUT_KDF, maxKdfWork: need })).operators).toEqual(['alice', 'bob']);
    // a wider budget admits the heavy folder: its (here cheapened, so failing) KDFs run and it is set aside
    const oneHeavy = await dvkeysFolders(['alice']);
    calls.length = 0;
    const wide = await runCombine({ folders: oneHeavy, password: PASSWORD, ...OUT_KDF, maxKdfWork: 33 });
    expect(heavyCalls()).toBeGreaterThan(0);
    expect(wide.operators).toEqual(['bob', 'carol']);
    expect(wide.skipped.map((s) => [s.folder, s.code])).toEqual([['out/alice', 'WRONG_PASSWORD']]);
    for (const maxKdfWork of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      calls.length = 0;
      expect(await refusal(runCombine({ folders: ordinary, password: PASSWORD, ...OUT_KDF, maxKdfWork }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxKdfWork' });
      expect(calls).toHaveLength(0);
    }
  });
});

async function charonFiles() {
  const out = await runCharonSplit({
    validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
    nodes: 4,
    network: getNetwork('hoodi'),
    withdrawalAddresses: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
    feeRecipients: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
    kdfParams: { c: 16 },
    rng: insecureTestRng('combine kdf work charon'),
    now: new Date('2025-06-01T12:00:00Z'),
  });
  return out.files;
}

describe('runCharonCombine', () => {
  async function nodes(hostile: readonly number[]): Promise<FolderSnapshot[]> {
    const files = await charonFiles();
    return [0, 1, 2, 3].map((k) => {
      const prefix = `node${k}/`;
      const map = new Map(files.filter((f) => f.path.startsWith(prefix)).map((f): [string, Uint8Array] => [f.path.slice(prefix.length), f.bytes]));
      if (hostile.includes(k)) for (const [p, b] of map) if (/keystore-[0-9]+\.json$/.test(p)) map.set(p, utf8(heavy(new TextDecoder().decode(b))));
      return { label: `node${k}`, files: map };
    });
  }

  it('an ordinary cluster combines; one heavy node among the t used is refused before any KDF, naming it', async () => {
    const ok = await runCharonCombine({ folders: await nodes([]), password: PASSWORD, ...OUT_KDF, rng: insecureTestRng(1) });
    expect(ok.used.map((u) => u.nodeIndex)).toEqual([0, 1, 2]);
    const hostile = await nodes([1]);
    const ordinary = await nodes([]);
    calls.length = 0;
    const e = await refusal(runCharonCombine({ folders: hostile, password: PASSWORD, ...OUT_KDF, rng: insecureTestRng(1) }));
    expect(e).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'maxKdfWork' });
    // Every keystore combine may decrypt is counted, as in the dvkeys layout (one pipeline, decision 0311; it was the
    // first t nodes only): 4 nodes x 2 keystores, budget 16; node1's two at 16 each
    expect(e!.message).toMatch(/^the keystores need 32 units of KDF work \(one unit: one default EIP-2335 keystore; the most: node1\/validator_keys\/keystore-0\.json, 16\), above the budget of 16 \('maxKdfWork'\); nothing was decrypted$/);
    expect(calls).toHaveLength(0);
    expect(await refusal(runCharonCombine({ folders: ordinary, password: PASSWORD, maxKdfWork: 0 }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxKdfWork' });
    expect(calls).toHaveLength(0);
  });
});

describe('CLI: combine, deposit sign and exit sign with --max-kdf-work', () => {
  let root: string;
  let tree: string;
  let cluster: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dvkeys-combine-kdf-'));
    const inputs = join(root, 'in');
    mkdirSync(inputs);
    await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
    tree = join(root, 'tree');
    const s = await runCli(['split', inputs, '--operators', '3', '--threshold', '2', '--out', tree, '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
    // operator-1 made hostile: its keystores heavy, the manifest hashes updated in every copy
    const m = JSON.parse(readFileSync(join(tree, 'ceremony.json'), 'utf8'));
    for (const name of readdirSync(join(tree, 'operator-1')).filter((f) => /^keystore-[0-9]+\.json$/.test(f))) {
      const b = utf8(heavy(readFileSync(join(tree, 'operator-1', name), 'utf8')));
      writeFileSync(join(tree, 'operator-1', name), b);
      m.files[`operator-1/${name}`] = fileHash(b);
    }
    const text = `${JSON.stringify(m, null, 2)}\n`;
    for (const dir of ['', 'operator-1', 'operator-2', 'operator-3']) writeFileSync(join(tree, dir, 'ceremony.json'), text);
    cluster = join(root, 'cluster');
    for (const f of await charonFiles()) {
      const path = join(cluster, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, /^node0\/validator_keys\/keystore-[0-9]+\.json$/.test(f.path) ? heavy(new TextDecoder().decode(f.bytes)) : f.bytes);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let n = 0;
  const fresh = (name: string): string => join(root, `${++n}-${name}`);
  /** One line `dvkeys <cmd>: error: … [LIMIT_EXCEEDED]` naming --max-kdf-work, exit 1, no KDF run, nothing at `out`. */
  function refused(r: CliResult, command: string, out: string, need: number, heaviest: string, budget: number): void {
    expect(r.code, r.err).toBe(1);
    const lines = r.err.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^dvkeys ${command}: error: the keystores need ${need} units of KDF work \\(one unit: one default EIP-2335 keystore; the most: \\S*${heaviest}, 16\\), above the budget of ${budget} \\(--max-kdf-work\\); nothing was decrypted \\[LIMIT_EXCEEDED\\]$`));
    expect(calls).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  }
  function usage(r: CliResult, out: string): void {
    expect(r.code).toBe(2);
    expect(r.err).toContain('--max-kdf-work must be a positive number of KDF work units');
    expect(calls).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  }

  it('combine (dvkeys): a heavy folder is refused in one line, nothing written; --max-kdf-work admits it, and it is set aside', async () => {
    const ins = ['operator-1', 'operator-2', 'operator-3'].flatMap((d) => ['--in', join(tree, d)]);
    const out = fresh('combined');
    calls.length = 0;
    // 3 folders x 1 keystore: budget 6; operator-1's keystore 16 units, the others next to nothing
    refused(await runCli(['combine', ...ins, '--out', out, '--insecure-keys']), 'combine', out, 16, 'operator-1/keystore-0.json', 6);
    for (const bad of ['0', '-1', 'abc', '1e3', '']) {
      calls.length = 0;
      usage(await runCli(['combine', ...ins, '--out', out, '--insecure-keys', `--max-kdf-work=${bad}`]), out);
    }
    calls.length = 0;
    const wide = await runCli(['combine', ...ins, '--out', out, '--insecure-keys', '--max-kdf-work', '17']);
    expect(wide.code, wide.err).toBe(0);
    expect(heavyCalls()).toBe(1);
    expect(wide.err).toMatch(/warning: set aside \S*operator-1: .*\[WRONG_PASSWORD\]/);
    expect(existsSync(join(out, 'keystore-0.json'))).toBe(true);
  });

  it('combine (Charon): a heavy node folder is refused in one line, nothing written', async () => {
    const out = fresh('combined-charon');
    calls.length = 0;
    // t = 3 nodes x 2 keystores: budget 12; node0's two keystores 16 units each
    refused(await runCli(['combine', ...[0, 1, 2].flatMap((k) => ['--in', join(cluster, `node${k}`)]), '--out', out, '--insecure-keys']), 'combine', out, 32, 'node0/validator_keys/keystore-0.json', 12);
  });

  it('deposit sign and exit sign: a heavy operator folder is refused in one line, no partial written; bad values are usage errors', async () => {
    const dir = join(tree, 'operator-1');
    const dOut = fresh('deposit-partial.json');
    calls.length = 0;
    refused(await runCli(['deposit', 'sign', '--operator-dir', dir, '--network', 'hoodi', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', '--out', dOut]), 'deposit', dOut, 16, 'operator-1/keystore-0.json', 2);
    usage(await runCli(['deposit', 'sign', '--operator-dir', dir, '--network', 'hoodi', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', '--out', dOut, '--max-kdf-work', '0']), dOut);
    const eOut = fresh('exit-partial.json');
    const exitArgs = ['exit', 'sign', '--operator-dir', dir, '--network', 'hoodi', '--validator-index', '1234', '--epoch', '194048', '--out', eOut];
    refused(await runCli(exitArgs), 'exit', eOut, 16, 'operator-1/keystore-0.json', 2);
    usage(await runCli([...exitArgs, '--max-kdf-work', 'x']), eOut);
    // an ordinary folder signs with the default budget; a budget below its tiny cost refuses it
    const okOut = fresh('exit-ok.json');
    const ok = await runCli(['exit', 'sign', '--operator-dir', join(tree, 'operator-2'), '--network', 'hoodi', '--validator-index', '1234', '--epoch', '194048', '--out', okOut]);
    expect(ok.code, ok.err).toBe(0);
    expect(existsSync(okOut)).toBe(true);
    const tight = await runCli(['exit', 'sign', '--operator-dir', join(tree, 'operator-2'), '--network', 'hoodi', '--validator-index', '1234', '--epoch', '194048', '--out', fresh('exit-tight.json'), '--max-kdf-work', '0.00001']);
    expect(tight.code).toBe(1);
    expect(tight.err).toMatch(/above the budget of 0\.00001 \(--max-kdf-work\).*\[LIMIT_EXCEEDED\]$/);
  });
});
