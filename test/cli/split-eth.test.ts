/**
 * `dvkeys split` with Ethereum options (issue 6): deposit data signed with each full key while it is in memory,
 * and the solo validator's EIP-3076 history carried into every operator folder, re-keyed to its share key.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { createDepositData } from '../../src/eth/deposit.js';
import { formatDepositDataFile } from '../../src/eth/deposit-file.js';
import { getNetwork } from '../../src/eth/networks.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../src/eth/withdrawal.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

const ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'; // EIP-55 example
let root: string;
let inputs: string;
const hoodiRoot = (): string => `0x${Buffer.from(getNetwork('hoodi').genesisValidatorsRoot!).toString('hex')}`;
const pk = (hex: string): string => `0x${Buffer.from(secretKeyToPublicKey(Buffer.from(hex, 'hex'))).toString('hex')}`;

function interchange(pubkeys: string[], gvr = hoodiRoot()): string {
  return JSON.stringify({
    metadata: { interchange_format_version: '5', genesis_validators_root: gvr },
    data: pubkeys.map((pubkey, i) => ({
      pubkey,
      signed_blocks: [{ slot: String(100 + i) }, { slot: String(90 + i) }],
      signed_attestations: [
        { source_epoch: '5', target_epoch: String(6 + i) },
        { source_epoch: '3', target_epoch: '4' },
      ],
    })),
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-eth-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
});

const split = (out: string, extra: string[]) => runCli(['split', inputs, '--operators', 'a:2,b:2,c:1', '--out', out, '--insecure-keys', ...extra]);

describe('split with deposit data and slashing protection', () => {
  it('writes deposit data byte-equal to single-key deposit data, and per-node re-keyed minified histories', async () => {
    writeFileSync(join(root, 'sp.json'), interchange(SECRETS.slice(0, 2).map(pk)));
    const out = join(root, 'full');
    const r = await split(out, ['--network', 'hoodi', '--withdrawal-address', ADDRESS, '--compounding', '--amount', '32', '--amount', '1.5', '--slashing-protection', join(root, 'sp.json')]);
    expect(r.code, r.err).toBe(0);
    const wc = executionWithdrawalCredentials(parseExecutionAddress(ADDRESS), 'compounding');
    const expected = formatDepositDataFile(
      SECRETS.slice(0, 2).flatMap((hex) => createDepositData({ secretKey: Buffer.from(hex, 'hex'), withdrawalCredentials: wc, network: 'hoodi', amounts: [32_000_000_000n, 1_500_000_000n] })),
    );
    expect(readFileSync(join(out, 'deposit-data.json'), 'utf8')).toBe(expected);
    expect(readFileSync(join(out, 'b-1', 'deposit-data.json'), 'utf8')).toBe(expected);
    const manifest = JSON.parse(readFileSync(join(out, 'ceremony.json'), 'utf8'));
    expect(manifest.network).toBe('hoodi');
    expect(manifest.fork_version).toBe('0x10000910');
    expect(manifest.validators[1].withdrawal_credentials).toBe(`0x${Buffer.from(wc).toString('hex')}`);
    const sp = JSON.parse(readFileSync(join(out, 'b-1', 'slashing-protection.json'), 'utf8'));
    expect(sp.data.map((d: { pubkey: string }) => d.pubkey)).toEqual([manifest.validators[0].public_shares[2], manifest.validators[1].public_shares[2]]);
    expect(sp.data[1].signed_blocks).toEqual([{ slot: '101' }]);
    expect(sp.data[1].signed_attestations).toEqual([{ source_epoch: '5', target_epoch: '7' }]);
    const v = await runCli(['verify', out]);
    expect(v.code).toBe(0);
    expect(v.out).toContain('4 deposit(s): roots and signatures verify');
  });

  it('refuses a history that lacks a split validator unless told it never signed', async () => {
    writeFileSync(join(root, 'sp1.json'), interchange([pk(SECRETS[0]!)]));
    const out = join(root, 'missing');
    const r = await split(out, ['--network', 'hoodi', '--slashing-protection', join(root, 'sp1.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no history for validator .*SLASHING_PROTECTION_INVALID/);
    const ok = await split(out, ['--network', 'hoodi', '--slashing-protection', join(root, 'sp1.json'), '--allow-missing-slashing-history']);
    expect(ok.code, ok.err).toBe(0);
  });

  it('refuses a history of another network', async () => {
    writeFileSync(join(root, 'sp-main.json'), interchange(SECRETS.slice(0, 2).map(pk), `0x${'11'.repeat(32)}`));
    const r = await split(join(root, 'othernet'), ['--network', 'hoodi', '--slashing-protection', join(root, 'sp-main.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not for hoodi.*SLASHING_PROTECTION_INVALID/);
  });

  it.each([
    [['--network', 'hoodi', '--withdrawal-address', '0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed'], /WITHDRAWAL_ADDRESS_INVALID/],
    [['--network', 'hoodi', '--withdrawal-address', '0x1234'], /WITHDRAWAL_ADDRESS_INVALID/],
    [['--network', 'nonet', '--withdrawal-address', ADDRESS], /NETWORK_UNKNOWN/],
    [['--network', 'hoodi', '--withdrawal-address', ADDRESS, '--amount', '0.5'], /AMOUNT_INVALID/],
    [['--network', 'hoodi', '--withdrawal-address', ADDRESS, '--amount', '16'], /AMOUNT_INVALID/],
    [['--withdrawal-address', ADDRESS], /need --network/],
  ])('refuses bad deposit options %j', async (extra, message) => {
    const out = join(root, `bad-${Math.random().toString(16).slice(2)}`);
    const r = await split(out, extra);
    expect(r.code).not.toBe(0);
    expect(r.err.split('\n').filter((l) => !l.includes('WARNING'))).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});
