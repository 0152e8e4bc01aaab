/**
 * End-to-end tests of issue 6's cluster signing (in-process CLI, temp dirs): `dvkeys deposit sign|combine|verify`
 * and `dvkeys exit sign|combine`. Any t operators' partials combine to exactly what the whole key signs
 * (createDepositData, signVoluntaryExit), and each bad case fails with one error line carrying its code and, for a
 * bad partial, the operator to blame. Share keystores use --insecure-keys.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepositData } from '../../src/eth/deposit.js';
import { formatDepositDataFile } from '../../src/eth/deposit-file.js';
import { formatSignedExitFile, signVoluntaryExit } from '../../src/eth/exit.js';
import { parseExitPartialFile } from '../../src/eth/exit-partial.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../src/eth/withdrawal.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const OTHER_ADDRESS = '0x00000000219ab540356cbb839cbe05303d7705fa';
const wc = (kind: 'execution' | 'compounding', address = ADDRESS): Uint8Array =>
  executionWithdrawalCredentials(parseExecutionAddress(address), kind);
const secret = (i: number): Uint8Array => Buffer.from(SECRETS[i]!, 'hex');

let root: string;
let tree: string; // 3-of-4 split of SECRETS[0..1]
let twin: string; // the same two keys split again: other shares, same validators
let stranger: string; // 3-of-4 split of SECRETS[2]
let manifest: string;
let n = 0;

const op = (t: string, k: number): string => join(t, `operator-${k}`);
const fresh = (name: string): string => join(root, `${++n}-${name}`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-dx-'));
  const inputs = join(root, 'in');
  const strangerIn = join(root, 'in-stranger');
  mkdirSync(inputs);
  mkdirSync(strangerIn);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  await makeInputs(strangerIn, 'pbkdf2', SECRETS.slice(2));
  tree = join(root, 'tree');
  twin = join(root, 'twin');
  stranger = join(root, 'stranger');
  for (const [input, out] of [[inputs, tree], [inputs, twin], [strangerIn, stranger]] as const) {
    const s = await runCli(['split', input, '--operators', '4', '--threshold', '3', '--out', out, '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
  }
  manifest = join(tree, 'ceremony.json');
});

/** Asserts one error line `dvkeys <cmd>: error: … [CODE]` (exit 1), mentioning each pattern; no secret printed. */
function fails(r: CliResult, code: string, ...mentions: RegExp[]): string {
  expect(r.code, r.out).toBe(1);
  const lines = r.err.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dvkeys (deposit|exit): error: /);
  expect(lines[0]!.endsWith(`[${code}]`), lines[0]).toBe(true);
  for (const m of mentions) expect(lines[0]).toMatch(m);
  for (const s of SECRETS) expect(r.err + r.out).not.toContain(s);
  return lines[0]!;
}

async function depositSign(t: string, k: number, extra: string[] = [], network = 'hoodi'): Promise<string> {
  const out = fresh(`dp-op${k}.json`);
  const r = await runCli(['deposit', 'sign', '--operator-dir', op(t, k), '--network', network, '--withdrawal-address', ADDRESS, '--out', out, ...extra]);
  expect(r.code, r.err).toBe(0);
  return out;
}

async function exitSign(t: string, k: number, extra: string[] = [], network = 'mainnet'): Promise<string> {
  const out = fresh(`ep-op${k}.json`);
  const r = await runCli(['exit', 'sign', '--operator-dir', op(t, k), '--network', network, '--validators', '0', '--validator-index', '1234', '--epoch', '194048', '--out', out, ...extra]);
  expect(r.code, r.err).toBe(0);
  return out;
}

const depositCombine = (files: string[], out: string, extra: string[] = []): Promise<CliResult> =>
  runCli(['deposit', 'combine', '--manifest', manifest, ...files, '--out', out, ...extra]);
const exitCombine = (files: string[], out: string, extra: string[] = []): Promise<CliResult> =>
  runCli(['exit', 'combine', '--manifest', manifest, ...files, '--out', out, ...extra]);

/** Rewrites a JSON file through `edit`, into a new file. */
function edited(file: string, edit: (json: any) => void): string {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  const out = fresh('edited.json');
  writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  return out;
}

describe('deposit sign/combine/verify', () => {
  it('any t partials (any order) combine to the single-key deposit data, byte for byte: 0x02, partial amounts', async () => {
    const amounts = ['1.5', '40eth', '1000000000'];
    const extra = ['--compounding', ...amounts.flatMap((a) => ['--amount', a])];
    const files = [await depositSign(tree, 4, extra), await depositSign(tree, 1, extra), await depositSign(tree, 3, extra)];
    const partial = JSON.parse(readFileSync(files[0]!, 'utf8'));
    expect(partial).toHaveLength(6);
    expect(partial[0]).toMatchObject({ format: 'dvkeys/deposit-partial', version: 1, network: 'hoodi', fork_version: '0x10000910', share_id: '4', amount: '1500000000' });
    expect(statSync(files[0]!).mode & 0o777).toBe(0o644);
    const out = fresh('deposit-data.json');
    const c = await depositCombine(files, out, ['--json']);
    expect(c.code, c.err).toBe(0);
    expect(JSON.parse(c.out)).toMatchObject({ ok: true, network: 'hoodi', operators: ['operator-4', 'operator-1', 'operator-3'] });
    const gwei = [1_500_000_000n, 40_000_000_000n, 1_000_000_000n];
    const single = [0, 1].flatMap((v) => createDepositData({ secretKey: secret(v), withdrawalCredentials: wc('compounding'), amounts: gwei, network: 'hoodi' }));
    expect(readFileSync(out, 'utf8')).toBe(formatDepositDataFile(single));
    const v = await runCli(['deposit', 'verify', out]);
    expect(v.code, v.err).toBe(0);
    expect(v.out).toContain('6 deposit(s) for hoodi, all valid');
    const vj = await runCli(['deposit', 'verify', out, '--network', 'hoodi', '--json']);
    expect(JSON.parse(vj.out).deposits).toHaveLength(6);
    fails(await runCli(['deposit', 'verify', out, '--network', 'mainnet']), 'NETWORK_UNKNOWN', /fork_version/);
  });

  it('one validator with the default 32 ETH to 0x01, and a 1 ETH top-up (only with --top-up)', async () => {
    const files = [];
    for (const k of [2, 3, 4]) files.push(await depositSign(tree, k, ['--validators', '1']));
    const out = fresh('deposit-data.json');
    expect((await depositCombine(files, out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(formatDepositDataFile(createDepositData({ secretKey: secret(1), withdrawalCredentials: wc('execution'), network: 'hoodi' })));

    const topUp = ['--validators', '0', '--compounding', '--amount', '1', '--top-up'];
    const ups = [await depositSign(tree, 1, topUp), await depositSign(tree, 2, topUp), await depositSign(tree, 3, topUp)];
    const upOut = fresh('top-up.json');
    expect((await depositCombine(ups, upOut)).code).toBe(0);
    const expected = createDepositData({ secretKey: secret(0), withdrawalCredentials: wc('compounding'), amounts: [1_000_000_000n], network: 'hoodi', topUp: true });
    expect(readFileSync(upOut, 'utf8')).toBe(formatDepositDataFile(expected));
    expect((await runCli(['deposit', 'verify', upOut])).code).toBe(0);
    const noFlag = await runCli(['deposit', 'sign', '--operator-dir', op(tree, 1), '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--amount', '1', '--out', fresh('x.json')]);
    fails(noFlag, 'AMOUNT_INVALID', /at least 32 ETH/);
  });

  describe('bad partials', () => {
    let good: string[];
    beforeAll(async () => {
      good = [await depositSign(tree, 1), await depositSign(tree, 2), await depositSign(tree, 3)];
    });

    it('fewer than t operators, or one operator twice', async () => {
      fails(await depositCombine(good.slice(0, 2), fresh('o.json')), 'NOT_ENOUGH_SHARES', /need partials of 3 operators, got 2/);
      fails(await depositCombine([good[0]!, good[1]!, good[0]!], fresh('o.json')), 'DUPLICATE_SHARE_ID', /operator-1/);
    });

    it('a tampered partial names its operator and file', async () => {
      const other = JSON.parse(readFileSync(good[0]!, 'utf8'));
      const tampered = edited(good[2]!, (j) => (j[1].signature = other[1].signature));
      const line = fails(await depositCombine([good[0]!, good[1]!, tampered], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /share 3 = operator-3/, /do not verify under its public share/);
      expect(line).toContain(tampered);
      const out = fresh('o.json');
      fails(await depositCombine([tampered, good[0]!, good[1]!, await depositSign(tree, 4)], out), 'PARTIAL_SIGNATURE_INVALID', /operator-3/);
      expect(existsSync(out)).toBe(false);
    });

    it('the wrong network, or the wrong domain relabelled as the right network', async () => {
      const mainnet = await depositSign(tree, 2, [], 'mainnet');
      fails(await depositCombine([good[0]!, mainnet, good[2]!], fresh('o.json'), ['--network', 'hoodi']), 'PARTIAL_SIGNATURE_INVALID', /operator-2/, /are for network mainnet, not hoodi/);
      const relabelled = edited(mainnet, (j) => {
        for (const e of j) Object.assign(e, { network: 'hoodi', fork_version: '0x10000910' });
      });
      fails(await depositCombine([good[0]!, relabelled, good[2]!], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /operator-2/, /wrong share, key or domain/);
      const badFork = edited(good[1]!, (j) => (j[0].fork_version = '0x00000000'));
      fails(await depositCombine([good[0]!, badFork, good[2]!], fresh('o.json')), 'NETWORK_UNKNOWN', /fork_version/);
    });

    it('a partial from another ceremony: the same keys split again, or another key', async () => {
      const fromTwin = await depositSign(twin, 2);
      fails(await depositCombine([good[0]!, fromTwin, good[2]!], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /share 2 = operator-2/);
      const fromStranger = await depositSign(stranger, 2);
      fails(await depositCombine([good[0]!, fromStranger, good[2]!], fresh('o.json')), 'CEREMONY_MISMATCH', /not in ceremony\.json/);
      const otherDeposits = await depositSign(tree, 2, ['--validators', '0']);
      fails(await depositCombine([good[0]!, otherDeposits, good[2]!], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /operator-2/, /sign other deposits/);
    });

    it('an operator folder that does not match its ceremony.json, or the wrong network or address for it', async () => {
      const mixed = fresh('mixed');
      cpSync(op(tree, 1), mixed, { recursive: true });
      cpSync(join(twin, 'ceremony.json'), join(mixed, 'ceremony.json'));
      const r = await runCli(['deposit', 'sign', '--operator-dir', mixed, '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--out', fresh('o.json')]);
      fails(r, 'KEYSTORE_PUBKEY_MISMATCH', /keystore-0\.json/);

      const recorded = fresh('recorded');
      cpSync(op(tree, 1), recorded, { recursive: true });
      const m = JSON.parse(readFileSync(join(recorded, 'ceremony.json'), 'utf8'));
      m.network = 'hoodi';
      m.fork_version = '0x10000910';
      for (const v of m.validators) v.withdrawal_credentials = `0x${Buffer.from(wc('execution')).toString('hex')}`;
      writeFileSync(join(recorded, 'ceremony.json'), JSON.stringify(m));
      const sign = (extra: string[]): Promise<CliResult> => runCli(['deposit', 'sign', '--operator-dir', recorded, '--out', fresh('o.json'), ...extra]);
      fails(await sign(['--network', 'mainnet']), 'CEREMONY_MISMATCH', /for network hoodi, not mainnet/);
      fails(await sign(['--network', 'hoodi', '--withdrawal-address', OTHER_ADDRESS]), 'WITHDRAWAL_ADDRESS_INVALID', /records withdrawal credentials/);
      fails(await sign(['--network', 'hoodi', '--withdrawal-address', ADDRESS, '--compounding']), 'WITHDRAWAL_ADDRESS_INVALID');
      const ok = await sign(['--network', 'hoodi', '--json']);
      expect(ok.code, ok.err).toBe(0);
      expect(JSON.parse(ok.out).deposits[0].withdrawal_credentials).toBe(`0x${Buffer.from(wc('execution')).toString('hex')}`);
    });

    it('never overwrites, and reports usage mistakes with exit code 2', async () => {
      const out = fresh('exists.json');
      writeFileSync(out, 'keep');
      fails(await depositCombine(good, out), 'OUTPUT_EXISTS');
      fails(await runCli(['deposit', 'sign', '--operator-dir', op(tree, 1), '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--out', out]), 'OUTPUT_EXISTS');
      expect(readFileSync(out, 'utf8')).toBe('keep');
      for (const args of [
        ['deposit'],
        ['deposit', 'frobnicate'],
        ['deposit', 'sign', '--operator-dir', op(tree, 1), '--withdrawal-address', ADDRESS, '--out', fresh('o.json')],
        ['deposit', 'sign', '--operator-dir', op(tree, 1), '--network', 'hoodi', '--amount', '12abc', '--withdrawal-address', ADDRESS, '--out', fresh('o.json')],
        ['deposit', 'sign', '--operator-dir', op(tree, 1), '--network', 'hoodi', '--validators', '7', '--withdrawal-address', ADDRESS, '--out', fresh('o.json')],
        ['deposit', 'combine', ...good, '--out', fresh('o.json')],
      ]) {
        const r = await runCli(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.err).toMatch(/^dvkeys deposit: error: .*\(see dvkeys deposit( sign| combine)? --help\)$/);
      }
      expect(readdirSync(root).filter((f) => f.includes('dvkeys-tmp'))).toEqual([]);
    });
  });

  it('deposit verify names a flipped byte: signature, deposit_data_root, amount, fork_version', async () => {
    const files = [await depositSign(tree, 1), await depositSign(tree, 2), await depositSign(tree, 4)];
    const good = fresh('deposit-data.json');
    expect((await depositCombine(files, good)).code).toBe(0);
    const flip = (h: string, at: number): string => `${h.slice(0, at)}${h[at] === '0' ? '1' : '0'}${h.slice(at + 1)}`;
    const cases: [(j: any) => void, string, RegExp][] = [
      [(j) => (j[1].signature = flip(j[1].signature, 100)), 'SIGNATURE_INVALID', /deposit_data\[1\]\.signature/],
      [(j) => (j[0].deposit_data_root = flip(j[0].deposit_data_root, 7)), 'DEPOSIT_INVALID', /deposit_data\[0\]\.deposit_data_root/],
      [(j) => (j[0].amount -= 1), 'DEPOSIT_INVALID', /deposit_data\[0\]\.deposit_message_root/],
      [(j) => (j[1].fork_version = flip(j[1].fork_version, 7)), 'NETWORK_UNKNOWN', /deposit_data\[1\]\.fork_version/],
    ];
    for (const [edit, code, field] of cases) fails(await runCli(['deposit', 'verify', edited(good, edit)]), code, field);
  });
});

describe('exit sign/combine', () => {
  const EXIT = { validatorIndex: 1234n, epoch: 194048n };

  it('t partials combine to the single-key signed exit (EIP-7044 domain): one validator to a file', async () => {
    const files = [await exitSign(tree, 2), await exitSign(tree, 4), await exitSign(tree, 1)];
    expect(parseExitPartialFile(readFileSync(files[0]!, 'utf8'))).toMatchObject({ network: 'mainnet', exit: EXIT });
    const out = fresh('exit.json');
    const c = await exitCombine(files, out);
    expect(c.code, c.err).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(formatSignedExitFile(signVoluntaryExit(secret(0), EXIT, 'mainnet')));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ message: { epoch: '194048', validator_index: '1234' } });
  });

  it('several validators: one partial file per operator, one signed exit per validator in a new folder', async () => {
    const files = [];
    for (const k of [3, 1, 2]) {
      const out = fresh(`ep-all-${k}.json`);
      const r = await runCli(['exit', 'sign', '--operator-dir', op(tree, k), '--network', 'hoodi', '--validator-index', '100', '--validator-index', '101', '--epoch', '5', '--out', out, '--json']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).exits).toHaveLength(2);
      files.push(out);
    }
    const asFile = await exitCombine(files, fresh('exits.json'));
    expect(asFile.code).toBe(2);
    expect(asFile.err).toMatch(/2 validators: --out must be a new folder/);
    const out = fresh('exits');
    const c = await exitCombine(files, out, ['--json']);
    expect(c.code, c.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['signed-exit-100.json', 'signed-exit-101.json']);
    for (const [v, index] of [[0, 100n], [1, 101n]] as const) {
      expect(readFileSync(join(out, `signed-exit-${index}.json`), 'utf8')).toBe(formatSignedExitFile(signVoluntaryExit(secret(v), { validatorIndex: index, epoch: 5n }, 'hoodi')));
    }
  });

  describe('bad partials', () => {
    let good: string[];
    beforeAll(async () => {
      good = [await exitSign(tree, 1), await exitSign(tree, 2), await exitSign(tree, 3)];
    });

    it('fewer than t operators, or one operator twice', async () => {
      fails(await exitCombine(good.slice(1), fresh('o.json')), 'NOT_ENOUGH_SHARES', /validator 0 .*need 3 partials, got 2/);
      fails(await exitCombine([good[1]!, good[2]!, good[1]!], fresh('o.json')), 'DUPLICATE_SHARE_ID', /operator-2/);
    });

    it('a tampered partial, or one for another exit, names its operator', async () => {
      const sig = JSON.parse(readFileSync(good[0]!, 'utf8')).signature;
      const tampered = edited(good[1]!, (j) => (j.signature = sig));
      fails(await exitCombine([good[0]!, tampered, good[2]!], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /share 2 = operator-2/, /does not verify/);
      const late = await exitSign(tree, 4, ['--epoch', '194049']);
      fails(await exitCombine([...good, late], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /operator-4/, /signed exit 1234\/194049/);
    });

    it('the wrong network or domain, another ceremony, another validator', async () => {
      const hoodi = await exitSign(tree, 3, [], 'hoodi');
      fails(await exitCombine([good[0]!, good[1]!, hoodi], fresh('o.json'), ['--network', 'mainnet']), 'PARTIAL_SIGNATURE_INVALID', /operator-3/, /network hoodi/);
      const relabelled = edited(hoodi, (j) => (j.network = 'mainnet'));
      fails(await exitCombine([good[0]!, good[1]!, relabelled], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /operator-3/, /wrong share, key or domain/);
      fails(await exitCombine([good[0]!, await exitSign(twin, 2), good[2]!], fresh('o.json')), 'PARTIAL_SIGNATURE_INVALID', /share 2 = operator-2/);
      fails(await exitCombine([good[0]!, await exitSign(stranger, 2), good[2]!], fresh('o.json')), 'CEREMONY_MISMATCH', /not in ceremony\.json/);
    });

    it('usage: one --validator-index per chosen validator', async () => {
      const r = await runCli(['exit', 'sign', '--operator-dir', op(tree, 1), '--network', 'mainnet', '--validator-index', '1', '--epoch', '1', '--out', fresh('o.json')]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/2 validator\(s\) chosen .* but 1 --validator-index given/);
    });
  });
});
