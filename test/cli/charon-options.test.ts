/**
 * `split --layout charon` options that used to be refused or ignored (issue 15): named operators with nodes
 * (safety on the people, operators.json saying which node folder goes to whom, read back by verify), and
 * `--slashing-protection` written into every node folder keyed by that node's share keys (a missing file is an
 * error); and options a layout has no place for refused with LAYOUT_UNSUPPORTED in every layout.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { getNetwork } from '../../src/eth/networks.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

const ADDR = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const ETH = ['--network', 'hoodi', '--withdrawal-address', ADDR, '--fee-recipient', ADDR];
let root: string;
let inputs: string;
const pk = (hex: string): string => `0x${Buffer.from(secretKeyToPublicKey(Buffer.from(hex, 'hex'))).toString('hex')}`;
const gvr = `0x${Buffer.from(getNetwork('hoodi').genesisValidatorsRoot!).toString('hex')}`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-charon-options-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  writeFileSync(join(root, 'sp.json'), JSON.stringify({
    metadata: { interchange_format_version: '5', genesis_validators_root: gvr },
    data: SECRETS.slice(0, 2).map((s, i) => ({ pubkey: pk(s), signed_blocks: [{ slot: String(100 + i) }, { slot: '7' }], signed_attestations: [{ source_epoch: '5', target_epoch: String(9 + i) }] })),
  }));
});

describe('--layout charon --operators eridian:3,spacesider:3,cloud:3', () => {
  let out: string;
  beforeAll(async () => {
    out = join(root, 'named');
    const r = await runCli(['split', inputs, '--layout', 'charon', '--operators', 'eridian:3,spacesider:3,cloud:3', ...ETH, '--slashing-protection', join(root, 'sp.json'), '--out', out, '--insecure-keys', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.nodes).toBe(9);
    expect(s.threshold).toBe(6);
    // on the people: any 1 operator offline (3 nodes) leaves 6; 2 operators (6 nodes) can sign alone
    expect(s.safety).toEqual({ splitBrainSafe: true, crashToleranceOperators: 1, collusionOperators: 2 });
    expect(s.operators).toEqual([
      { name: 'eridian', nodes: ['node0', 'node1', 'node2'] },
      { name: 'spacesider', nodes: ['node3', 'node4', 'node5'] },
      { name: 'cloud', nodes: ['node6', 'node7', 'node8'] },
    ]);
  });

  it('writes operators.json (root and every node folder) bound to the lock hash', () => {
    const lockHash = JSON.parse(readFileSync(join(out, 'node4', 'cluster-lock.json'), 'utf8')).lock_hash;
    const map = JSON.parse(readFileSync(join(out, 'operators.json'), 'utf8'));
    expect(map).toMatchObject({ format: 'dvkeys/operators', version: 1, layout: 'charon', cluster: lockHash, threshold: 6 });
    expect(readFileSync(join(out, 'node8', 'operators.json'), 'utf8')).toBe(readFileSync(join(out, 'operators.json'), 'utf8'));
  });

  it('prints the safety figures on operators, and verify reads the map', async () => {
    const text = await runCli(['verify', out]);
    expect(text.code, text.out).toBe(0);
    expect(text.out).toMatch(/ok\s+operators\s+operators\.json: eridian node0 node1 node2; spacesider node3 node4 node5; cloud node6 node7 node8\. Safety: .*1 operator/);
    const one = await runCli(['verify', join(out, 'node5')]);
    expect(one.code, one.out).toBe(0);
    expect(one.out).toContain('node5 (share 6, operator spacesider)');
  });

  it('a map changed to give a node to another operator fails on its copies; a map of another cluster fails', async () => {
    const node = join(out, 'node1');
    const orig = readFileSync(join(node, 'operators.json'), 'utf8');
    writeFileSync(join(node, 'operators.json'), orig.replace('"node1",', '').replace('"node3",', '"node3", "node1",'));
    const r = await runCli(['verify', out, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).checks.filter((l: { status: string }) => l.status === 'fail').map((l: { code: string }) => l.code)).toEqual(['CEREMONY_MISMATCH']);
    writeFileSync(join(node, 'operators.json'), orig.replace(/"cluster": "0x[0-9a-f]{4}/, '"cluster": "0x0000'));
    const alone = await runCli(['verify', node, '--json']);
    expect(alone.code).toBe(1);
    expect(JSON.parse(alone.out).checks.find((l: { check: string }) => l.check === 'operators')).toMatchObject({ status: 'fail', code: 'CEREMONY_MISMATCH' });
    writeFileSync(join(node, 'operators.json'), orig);
  });

  it('writes slashing-protection.json in every node folder, re-keyed to its share keys and minified', async () => {
    const lock = JSON.parse(readFileSync(join(out, 'node7', 'cluster-lock.json'), 'utf8'));
    const sp = JSON.parse(readFileSync(join(out, 'node7', 'slashing-protection.json'), 'utf8'));
    expect(sp.metadata.genesis_validators_root).toBe(gvr);
    expect(sp.data.map((d: { pubkey: string }) => d.pubkey)).toEqual(lock.distributed_validators.map((dv: { public_shares: string[] }) => dv.public_shares[7]));
    expect(sp.data[1].signed_blocks).toEqual([{ slot: '101' }]);
    expect(sp.data[1].signed_attestations).toEqual([{ source_epoch: '5', target_epoch: '10' }]);
    // verify checks it is keyed by the node's own share keys
    writeFileSync(join(out, 'node7', 'slashing-protection.json'), readFileSync(join(out, 'node6', 'slashing-protection.json')));
    const r = await runCli(['verify', join(out, 'node7'), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).checks.find((l: { check: string }) => l.check === 'slashing-protection')).toMatchObject({ status: 'fail', code: 'SLASHING_PROTECTION_INVALID' });
  });
});

describe('--layout charon --slashing-protection errors', () => {
  it('a missing file is an error and nothing is written', async () => {
    const out = join(root, 'nofile');
    const r = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', ...ETH, '--slashing-protection', join(root, 'absent.json'), '--out', out, '--insecure-keys']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/absent\.json/);
    expect(existsSync(out)).toBe(false);
  });

  it('a history lacking a validator is refused unless --allow-missing-slashing-history', async () => {
    const one = join(root, 'sp-one.json');
    const full = JSON.parse(readFileSync(join(root, 'sp.json'), 'utf8'));
    writeFileSync(one, JSON.stringify({ ...full, data: full.data.slice(0, 1) }));
    const out = join(root, 'missing');
    const r = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', ...ETH, '--slashing-protection', one, '--out', out, '--insecure-keys']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no history for validator .*SLASHING_PROTECTION_INVALID/);
    const ok = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', ...ETH, '--slashing-protection', one, '--allow-missing-slashing-history', '--out', out, '--insecure-keys']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'node0', 'slashing-protection.json'), 'utf8')).data).toHaveLength(1);
  });
});

describe('an option a layout has no place for is refused in one line (LAYOUT_UNSUPPORTED)', () => {
  it.each([
    ['dvkeys', ['--operators', '4', '--fee-recipient', ADDR], '--fee-recipient'],
    ['dvkeys', ['--operators', '4', '--name', 'x'], '--name'],
    ['dvkeys', ['--operators', '4', '--owner-address', ADDR], '--owner-address'],
    ['charon', ['--operators', '4', ...ETH, '--share-password-file', 'pw.txt'], '--share-password-file'],
    ['charon', ['--operators', '4', ...ETH, '--kdf', 'scrypt'], '--kdf'],
    ['charon', ['--operators', '4', ...ETH, '--ssv-operators', '1:x'], '--ssv-operators'],
    ['ssv', ['--ssv-operators', '1:x', '--operators', '4'], '--operators'],
    ['ssv', ['--ssv-operators', '1:x', '--fee-recipient', ADDR], '--fee-recipient'],
    ['ssv', ['--ssv-operators', '1:x', '--slashing-protection', 'sp.json'], '--slashing-protection'],
    ['ssv', ['--ssv-operators', '1:x', '--network', 'hoodi'], '--network'],
  ])('%s %j', async (layout, extra, option) => {
    const out = join(root, `refused-${Math.random().toString(16).slice(2)}`);
    const r = await runCli(['split', inputs, '--layout', layout, ...extra, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${option} has no place in the ${layout} layout`);
    expect(r.err).toMatch(/\[LAYOUT_UNSUPPORTED\]$/);
    expect(existsSync(out)).toBe(false);
  });
});
