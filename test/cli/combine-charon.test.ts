/**
 * `combine` of a Charon tree through the CLI, end to end on disk (issue 15): `--layout` names the input layout (a
 * folder of another layout, a mix, or SSV input is refused in one line and nothing is written); a whole tree stands
 * for its node folders; `--slashing-protection` takes the nodes' own share-keyed EIP-3076 files as Charon's split
 * wrote them and merges them onto the validator keys exactly as for the dvkeys layout (validated: a key of no share,
 * another chain, a validator no history mentions). The recovered keys then split again into the dvkeys layout with
 * the merged history, and `dvkeys verify` passes on that tree.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { getNetwork } from '../../src/eth/networks.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { withoutProgress } from '../helpers/progress.js';

const ADDR = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const gvr = `0x${Buffer.from(getNetwork('hoodi').genesisValidatorsRoot!).toString('hex')}`;
const pk = (secret: Uint8Array): string => `0x${Buffer.from(secretKeyToPublicKey(secret)).toString('hex')}`;
const hex = (s: string): Uint8Array => Buffer.from(s, 'hex');

let root: string;
let charon: string;
let dvkeys: string;
let lock: { distributed_validators: { distributed_public_key: string; public_shares: string[] }[] };
const keys = SECRETS.slice(0, 2).map((s) => pk(hex(s)));
const node = (k: number, file = ''): string => join(charon, `node${k}`, file);

function oneLine(r: CliResult, pattern: RegExp, out: string): void {
  expect(r.code, r.out).not.toBe(0);
  expect(withoutProgress(r.err).trim().split('\n'), r.err).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(existsSync(join(root, out))).toBe(false);
}

async function recoveredPubkeys(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let v = 0; v < 2; v++) {
    const ks = parseKeystore(readFileSync(join(dir, `keystore-${v}.json`), 'utf8'));
    out.push(pk(await decryptKeystore(ks, readFileSync(join(dir, `keystore-${v}.txt`), 'utf8'))));
  }
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-combine-charon-'));
  const inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  writeFileSync(join(root, 'sp.json'), JSON.stringify({
    metadata: { interchange_format_version: '5', genesis_validators_root: gvr },
    data: keys.map((pubkey, i) => ({ pubkey, signed_blocks: [{ slot: String(100 + i) }, { slot: '7' }], signed_attestations: [{ source_epoch: '5', target_epoch: String(9 + i) }] })),
  }));
  charon = join(root, 'charon');
  const s = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', '--network', 'hoodi', '--withdrawal-address', ADDR, '--fee-recipient', ADDR, '--slashing-protection', join(root, 'sp.json'), '--out', charon, '--insecure-keys']);
  expect(s.code, s.err).toBe(0);
  lock = JSON.parse(readFileSync(node(0, 'cluster-lock.json'), 'utf8'));
  dvkeys = join(root, 'dvkeys');
  const d = await runCli(['split', inputs, '--operators', '4', '--out', dvkeys, '--insecure-keys']);
  expect(d.code, d.err).toBe(0);
});

describe('combine --layout', () => {
  it('combines a whole Charon tree (--layout charon) and a whole dvkeys tree (--layout dvkeys)', async () => {
    for (const [layout, tree, out] of [['charon', charon, 'from-charon'], ['dvkeys', dvkeys, 'from-dvkeys']] as const) {
      const r = await runCli(['combine', '--layout', layout, '--in', tree, '--out', join(root, out), '--insecure-keys', '--json']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).validators).toEqual(keys);
      expect(await recoveredPubkeys(join(root, out))).toEqual(keys);
    }
  });

  it('refuses a folder of another layout than --layout, a mix of layouts and --layout ssv in one line, writing nothing', async () => {
    const base = ['--out', '', '--insecure-keys'];
    const cases: [string, string[], RegExp][] = [
      ['r1', ['--layout', 'charon', '--in', dvkeys], /--in .*dvkeys\/[^ ]+ is a dvkeys folder, not of the charon layout that --layout names \[INVALID_ARGUMENT\]/],
      ['r2', ['--layout', 'dvkeys', '--in', node(0), '--in', node(1), '--in', node(2)], /--in .*node0 is a charon folder, not of the dvkeys layout that --layout names \[INVALID_ARGUMENT\]/],
      ['r3', ['--in', node(0), '--in', join(dvkeys, 'operator-1')], /--in .*operator-1 is a dvkeys folder and .*node0 a charon one: give folders of one cluster \[INVALID_ARGUMENT\]/],
      ['r4', ['--layout', 'ssv', '--in', charon], /--in has no place in the ssv layout: an SSV keyshares\.json holds shares encrypted .*\[LAYOUT_UNSUPPORTED\]/],
      ['r5', ['--layout', 'solo', '--in', charon], /--layout must be dvkeys, charon or ssv, got 'solo' \[INVALID_ARGUMENT\]/],
    ];
    for (const [out, extra, err] of cases) {
      base[1] = join(root, out);
      oneLine(await runCli(['combine', ...extra, ...base]), err, out);
    }
  });
});

describe('combine --slashing-protection of Charon node folders', () => {
  const combine = (out: string, extra: string[]): Promise<CliResult> => runCli(['combine', '--layout', 'charon', ...[0, 1, 2].flatMap((k) => ['--in', node(k)]), '--out', join(root, out), '--insecure-keys', ...extra]);

  it('merges the node files the split wrote back onto the validator keys, with the maxima of every file', async () => {
    // node 3 signed more since the split: its file has a later block and attestation for validator 0
    const later = JSON.parse(readFileSync(node(3, 'slashing-protection.json'), 'utf8'));
    later.data[0].signed_blocks.push({ slot: '250' });
    later.data[0].signed_attestations.push({ source_epoch: '6', target_epoch: '12' });
    writeFileSync(join(root, 'node3-later.json'), JSON.stringify(later));
    const files = [node(0, 'slashing-protection.json'), node(1, 'slashing-protection.json'), join(root, 'node3-later.json')];
    const r = await combine('solo', files.flatMap((f) => ['--slashing-protection', f]));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Import slashing-protection.json with the keys.');
    expect(await recoveredPubkeys(join(root, 'solo'))).toEqual(keys);
    const sp = JSON.parse(readFileSync(join(root, 'solo', 'slashing-protection.json'), 'utf8'));
    expect(sp.metadata.genesis_validators_root).toBe(gvr);
    expect(sp.data).toEqual([
      { pubkey: keys[0], signed_blocks: [{ slot: '250' }], signed_attestations: [{ source_epoch: '6', target_epoch: '12' }] },
      { pubkey: keys[1], signed_blocks: [{ slot: '101' }], signed_attestations: [{ source_epoch: '5', target_epoch: '10' }] },
    ]);
  });

  it('the recovered keys and their merged history split again into the dvkeys layout, and dvkeys verify passes', async () => {
    const again = join(root, 'again');
    const s = await runCli(['split', join(root, 'solo'), '--operators', '3', '--network', 'hoodi', '--slashing-protection', join(root, 'solo', 'slashing-protection.json'), '--out', again, '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
    const v = await runCli(['verify', again]);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('All checks passed.');
    const m = JSON.parse(readFileSync(join(again, 'ceremony.json'), 'utf8'));
    expect(m.validators.map((x: { pubkey: string }) => x.pubkey)).toEqual(keys);
    const op = JSON.parse(readFileSync(join(again, m.operators[0].name, 'slashing-protection.json'), 'utf8'));
    expect(op.data.map((d: { pubkey: string }) => d.pubkey)).toEqual(m.validators.map((x: { public_shares: string[] }) => x.public_shares[0]));
    expect(op.data[0].signed_blocks).toEqual([{ slot: '250' }]);
  });

  it('validates the histories as for the dvkeys layout: a stray key, another chain, a missing validator', async () => {
    const dvOp = JSON.parse(readFileSync(join(dvkeys, 'ceremony.json'), 'utf8')).validators[0].public_shares[0];
    const n0 = JSON.parse(readFileSync(node(0, 'slashing-protection.json'), 'utf8'));
    writeFileSync(join(root, 'stray.json'), JSON.stringify({ ...n0, data: [{ ...n0.data[0], pubkey: dvOp }] }));
    writeFileSync(join(root, 'chain.json'), JSON.stringify({ ...n0, metadata: { ...n0.metadata, genesis_validators_root: `0x${'11'.repeat(32)}` } }));
    writeFileSync(join(root, 'half.json'), JSON.stringify({ ...n0, data: n0.data.slice(0, 1) }));
    const n1 = node(1, 'slashing-protection.json');
    const cases: [string, string[], RegExp][] = [
      ['s1', [n1, join(root, 'stray.json')], /stray\.json\.data\[0\]\.pubkey' .* is neither a validator key nor a share key of this cluster \[SLASHING_PROTECTION_INVALID\]/],
      ['s2', [n1, join(root, 'chain.json')], /chain\.json\.metadata\.genesis_validators_root': the interchange is not for hoodi \(genesis validators root differs\) \[SLASHING_PROTECTION_INVALID\]/],
      ['s3', [join(root, 'half.json')], /mentions validator 0x[0-9a-f]{96}; give every node's history, or --allow-missing-slashing-history .*\[SLASHING_PROTECTION_INVALID\]/],
    ];
    expect(lock.distributed_validators[1]!.distributed_public_key).toBe(keys[1]);
    for (const [out, files, err] of cases) oneLine(await combine(out, files.flatMap((f) => ['--slashing-protection', f])), err, out);
    const ok = await combine('s4', ['--slashing-protection', join(root, 'half.json'), '--allow-missing-slashing-history']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 's4', 'slashing-protection.json'), 'utf8')).data.map((d: { pubkey: string }) => d.pubkey)).toEqual([keys[0]]);
  });
});
