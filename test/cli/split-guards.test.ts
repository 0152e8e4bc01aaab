/**
 * The classic split mistakes of issue 13 part 3: a share keystore given as input (refused with SHARE_INPUT unless
 * --allow-share-input, in every layout), a 1-of-1 or t = 1 split (refused even with --allow-unsafe-threshold), and
 * t = n (one warning line that says why).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shareInputReason } from '../../src/ceremony/share-input.js';
import { describeShare } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { MNEMONIC, SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let inputs: string;
let cluster: string;
const OPS = ['--operators', 'eridian:3,spacesider:3,cloud:3'];
const CHARON = ['--layout', 'charon', '--network', 'hoodi', '--withdrawal-address', '0x' + '11'.repeat(20), '--fee-recipient', '0x' + '22'.repeat(20)];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-guards-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 1));
  cluster = join(root, 'cluster');
  expect((await runCli(['split', inputs, ...OPS, '--out', cluster, '--insecure-keys'])).code).toBe(0);
});

/** The one error line (the --insecure-keys warning aside). */
function errorLine(r: CliResult): string {
  const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.includes('WARNING: --insecure-keys'));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const split = (args: string[], out: string): Promise<CliResult> => runCli(['split', ...args, '--out', out, '--insecure-keys']);

describe('share keystores as split input', () => {
  it('refuses an operator folder of a split (its description), in every layout, before any decryption', async () => {
    for (const layout of [[], CHARON]) {
      const out = join(root, `again-${layout.length}`);
      const r = await split([join(cluster, 'eridian-1'), '--operators', '4', ...layout], out);
      expect(r.code).toBe(1);
      const line = errorLine(r);
      expect(line).toMatch(/^dvkeys split: error: .*eridian-1\/keystore-0\.json is a share, not a validator key: its description says it is share 1 \(threshold 6 of 9\) of validator 0x[0-9a-f]{12}…; .*--allow-share-input.* \[SHARE_INPUT\]$/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses a keystore whose pubkey a cluster-lock.json above validator_keys/ lists (Charon writes no description)', async () => {
    const node = join(root, 'node0');
    mkdirSync(join(node, 'validator_keys'), { recursive: true });
    await makeInputs(join(node, 'validator_keys'), 'pbkdf2', SECRETS.slice(1, 2));
    const pubkey = parseKeystore(readFileSync(join(node, 'validator_keys', 'keystore-0.json'), 'utf8')).pubkey!;
    writeFileSync(join(node, 'cluster-lock.json'), JSON.stringify({ distributed_validators: [{ public_shares: [`0x${pubkey}`] }] }));
    const out = join(root, 'o-lock');
    const r = await split([join(node, 'validator_keys'), ...OPS], out);
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain(`its pubkey 0x${pubkey.slice(0, 12)}… is listed in ${join(node, 'cluster-lock.json')}; `);
    expect(errorLine(r)).toMatch(/\[SHARE_INPUT\]$/);
  });

  it('refuses a keystore with a ceremony.json beside it even when nothing else says so', async () => {
    const dir = join(root, 'with-manifest');
    mkdirSync(dir);
    await makeInputs(dir, 'pbkdf2', SECRETS.slice(2, 3));
    writeFileSync(join(dir, 'ceremony.json'), '{}');
    const r = await split([join(dir, 'keystore-0.json'), ...OPS], join(root, 'o-manifest'));
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain(`${join(dir, 'ceremony.json')} beside it marks an operator's folder of a cluster`);
  });

  it('--allow-share-input splits it anyway, with one warning line per share', async () => {
    const out = join(root, 'nested');
    const r = await split([join(cluster, 'cloud-2'), '--operators', '4', '--allow-share-input'], out);
    expect(r.code).toBe(0);
    const warnings = r.err.split('\n').filter((l) => l.includes('--allow-share-input splits it anyway'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^dvkeys split: WARNING: .*cloud-2\/keystore-0\.json is a share \(its description says it is share 8 /);
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('a plain keystore and the combine output pass; --allow-share-input with a mnemonic is refused as a usage error', async () => {
    const back = join(root, 'back');
    const six = ['eridian-1', 'eridian-2', 'spacesider-1', 'spacesider-2', 'cloud-1', 'cloud-2'].flatMap((f) => ['--in', join(cluster, f)]);
    expect((await runCli(['combine', ...six, '--out', back, '--insecure-keys'])).code).toBe(0);
    expect((await split([back, ...OPS], join(root, 're-split'))).code).toBe(0);
    const mn = join(root, 'mnemonic.txt');
    writeFileSync(mn, MNEMONIC);
    const r = await split(['--mnemonic-file', mn, ...OPS, '--allow-share-input'], join(root, 'o-mn'));
    expect(r.code).toBe(2);
    expect(errorLine(r)).toContain('--allow-share-input is for keystore inputs');
  });

  it('shareInputReason: the DKG and split description, a listed pubkey, a marker, nothing', () => {
    const pk = 'a'.repeat(96);
    const ks = (description: string, pubkey = pk) => ({ description, pubkey, path: '', uuid: 'u', version: 4 as const, crypto: {} as never });
    const desc = describeShare({ shareIndex: 2, threshold: 3, total: 4, validatorPubkey: new Uint8Array(48).fill(0xb0) });
    expect(shareInputReason(ks(desc), [])).toBe('its description says it is share 2 (threshold 3 of 4) of validator 0xb0b0b0b0b0b0…');
    expect(shareInputReason(ks(''), [{ path: 'x/ceremony.json', text: `{"public_shares":["${pk.toUpperCase()}"]}` }])).toBe(`its pubkey 0x${pk.slice(0, 12)}… is listed in x/ceremony.json`);
    expect(shareInputReason(ks(''), [{ path: 'x/cluster-lock.json', text: '{}' }])).toBe("x/cluster-lock.json beside it marks an operator's folder of a cluster");
    expect(shareInputReason(ks('my validator'), [])).toBeUndefined();
    expect(shareInputReason(ks(`${desc} (copy)`), [])).toBeUndefined();
  });
});

describe('threshold guards', () => {
  it('refuses 1-of-1 in one line, even with --allow-unsafe-threshold, in the dvkeys and charon layouts', async () => {
    for (const extra of [[], ['--allow-unsafe-threshold']]) {
      const out = join(root, `one-${extra.length}`);
      const r = await split([inputs, '--operators', '1', ...extra], out);
      expect(r.code).toBe(1);
      expect(errorLine(r)).toBe('dvkeys split: error: 1-of-1 is not a split: the one share would be the validator key itself in a new keystore; use at least 3 shares (e.g. --operators 4, threshold 3) [INVALID_THRESHOLD]');
      expect(existsSync(out)).toBe(false);
    }
    const r = await split([inputs, '--operators', '3', '--threshold', '1', '--allow-unsafe-threshold'], join(root, 'one-of-3'));
    expect(errorLine(r)).toBe('dvkeys split: error: threshold 1 of 3 is not a split: every share would be the validator key itself; use a threshold of at least 2 [INVALID_THRESHOLD]');
    const c = await split([inputs, '--operators', '4', '--threshold', '1', '--allow-unsafe-threshold', ...CHARON], join(root, 'one-charon'));
    expect(errorLine(c)).toMatch(/threshold 1 of 4 is not a split.*\[INVALID_THRESHOLD\]$/);
  });

  it('refuses before reading any key: a 1-of-1 over a keystore with no password asks for none', async () => {
    const dir = join(root, 'no-pw');
    mkdirSync(dir);
    await makeInputs(dir, 'pbkdf2', SECRETS.slice(0, 1), true);
    expect(errorLine(await split([dir, '--operators', '1'], join(root, 'o-no-pw')))).toMatch(/1-of-1 is not a split/);
  });

  it('warns on t = n in one line that says why, and still splits', async () => {
    const r = await split([inputs, '--operators', '3', '--threshold', '3'], join(root, 't-eq-n'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.includes('threshold equals n'))).toEqual(['Warning: threshold equals n = 3: any one node offline halts signing']);
  });
});
