/**
 * `exit sign --validators-file` (issue 13, "Exits against the right validator"; decision 0807): each index is
 * checked against its pubkey in the beacon node's validator list before anything is decrypted; without the file a
 * terminal shows the index-to-pubkey table and needs "yes".
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo, Terminal } from '../../src/cli/io.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let op1: string;
let pubkeys: string[];
let n = 0;
const fresh = (name: string): string => join(root, `${++n}-${name}`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-exitvf-'));
  const inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  const s = await runCli(['split', inputs, '--operators', '4', '--threshold', '3', '--out', join(root, 'tree'), '--insecure-keys']);
  expect(s.code, s.err).toBe(0);
  op1 = join(root, 'tree', 'operator-1');
  pubkeys = JSON.parse(readFileSync(join(root, 'tree', 'ceremony.json'), 'utf8')).validators.map((v: { pubkey: string }) => v.pubkey);
});

/** A saved beacon API response for index -> pubkey pairs, with the other fields a node returns. */
function beaconList(pairs: [number, string][]): string {
  const file = fresh('validators.json');
  const data = pairs.map(([index, pubkey]) => ({ index: String(index), balance: '32000000000', status: 'active_ongoing', validator: { pubkey, withdrawal_credentials: `0x01${'00'.repeat(31)}`, effective_balance: '32000000000', slashed: false, activation_eligibility_epoch: '0', activation_epoch: '0', exit_epoch: '18446744073709551615', withdrawable_epoch: '18446744073709551615' } }));
  writeFileSync(file, JSON.stringify({ execution_optimistic: false, finalized: false, data }));
  return file;
}

const sign = (extra: string[]): Promise<{ code: number; out: string; err: string }> =>
  runCli(['exit', 'sign', '--operator-dir', op1, '--network', 'mainnet', '--epoch', '100', ...extra]);

describe('exit sign --validators-file', () => {
  it('indices that are the validators: signed, and the output says they were checked', async () => {
    const out = fresh('p.json');
    const r = await sign(['--validator-index', '700', '--validator-index', '9', '--validators-file', beaconList([[9, pubkeys[1]!], [700, pubkeys[0]!], [5, `0x${'ab'.repeat(48)}`]]), '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/every index checked against its pubkey in /);
    expect(existsSync(out)).toBe(true);
  });

  it('swapped indices: KEY_MISMATCH naming the index, the pubkeys and the right index; nothing written', async () => {
    const out = fresh('p.json');
    const r = await sign(['--validator-index', '9', '--validator-index', '700', '--validators-file', beaconList([[9, pubkeys[1]!], [700, pubkeys[0]!]]), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`validator index 9 is ${pubkeys[1]!.slice(0, 14)}… on chain, not validator 0 ${pubkeys[0]!.slice(0, 14)}… of ceremony\\.json \\(.* gives validator 0 the index 700\\); nothing was signed \\[KEY_MISMATCH\\]`));
    expect(existsSync(out)).toBe(false);
  });

  it('an index the list lacks, and a list that is not one: refused before signing', async () => {
    const out = fresh('p.json');
    const missing = await sign(['--validators', '0', '--validator-index', '12', '--validators-file', beaconList([[9, pubkeys[0]!]]), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/validator index 12 .* is not in .*validators\.json: fetch it with \?id=12.*\[KEY_MISMATCH\]/);
    const bad = fresh('bad.json');
    writeFileSync(bad, JSON.stringify({ data: [{ index: '9', validator: { pubkey: '0x12' } }] }));
    const malformed = await sign(['--validators', '0', '--validator-index', '9', '--validators-file', bad, '--out', out]);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/data\[0\]\.validator\.pubkey is not a 48-byte 0x-hex public key \[INVALID_FORMAT\]/);
    writeFileSync(bad, JSON.stringify({ validators: [] }));
    expect((await sign(['--validators', '0', '--validator-index', '9', '--validators-file', bad, '--out', out])).err).toMatch(/is not a beacon node's validator list/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('exit sign without --validators-file on a terminal', () => {
  async function onTty(answer: string, out: string) {
    const err: string[] = [];
    const questions: string[] = [];
    const stdin: Terminal = { isTTY: true, askHidden: (q) => (questions.push(q), Promise.resolve(answer)), readAll: () => Promise.resolve('') };
    const io: CliIo = { out: () => {}, err: (x) => void err.push(x), isTTY: false, env: {}, cwd: root, signal: new AbortController().signal, stdin };
    const code = await main(['exit', 'sign', '--operator-dir', op1, '--network', 'mainnet', '--epoch', '100', '--validators', '1', '--validator-index', '42', '--out', out], io);
    return { code, err: err.join('\n'), questions };
  }

  it('shows the index-to-pubkey table and signs on yes', async () => {
    const out = fresh('p.json');
    const r = await onTty('yes', out);
    expect(r.code, r.err).toBe(0);
    expect(r.questions).toEqual(['Sign these exits? Type yes: ']);
    expect(r.err).toContain(`  validator 1  ${pubkeys[1]!}  index 42`);
    expect(existsSync(out)).toBe(true);
  });

  it('anything but yes: nothing signed', async () => {
    const out = fresh('p.json');
    const r = await onTty('y', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not confirmed: nothing was signed \[ABORTED\]/);
    expect(existsSync(out)).toBe(false);
  });
});
