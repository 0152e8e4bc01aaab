/**
 * The Charon cluster layout end to end, in memory: runCharonSplit's node folders (files, formats, Charon's
 * keystore cost and passwords), reading them back (nodes found by keystore pubkeys, not folder names), verify,
 * and combine from any t folders with charon combine's bail-outs.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { runCharonCombine } from '../../src/ceremony/charon-combine.js';
import { readCharonCluster, readCharonNode } from '../../src/ceremony/charon-node.js';
import { runCharonSplit, type CharonSplitInput } from '../../src/ceremony/charon-split.js';
import { verifyCharonCluster } from '../../src/ceremony/charon-verify.js';
import type { CeremonyFile } from '../../src/ceremony/files.js';
import { depositFileName } from '../../src/ceremony/layouts/charon.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { parseDepositDataFile } from '../../src/eth/deposit-file.js';
import { getNetwork } from '../../src/eth/networks.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';
import { caught } from './fixtures.js';

/** What an async call rejected with (or undefined). */
async function rejected(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const SECRETS = ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138'];
const A = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const F = '0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494';
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function splitInput(seed: string, overrides: Partial<CharonSplitInput> = {}): CharonSplitInput {
  return {
    validators: SECRETS.map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
    nodes: 4,
    network: getNetwork('hoodi'),
    withdrawalAddresses: A,
    feeRecipients: [F, A],
    kdfParams: { c: 16 },
    rng: insecureTestRng(seed),
    now: new Date('2025-06-01T12:00:00Z'),
    ...overrides,
  };
}

/** Node folder k of an output as a snapshot labelled `label` (paths relative to the folder). */
function folder(files: readonly CeremonyFile[], k: number, label = `node${k}`): FolderSnapshot {
  const prefix = `node${k}/`;
  return { label, files: new Map(files.filter((f) => f.path.startsWith(prefix)).map((f) => [f.path.slice(prefix.length), f.bytes])) };
}

function codeOf(e: unknown): [string | undefined, string | undefined] {
  const err = e as { code?: string; field?: string };
  return [err.code, err.field];
}

const out = await runCharonSplit(splitInput('cluster'));
const folders = [0, 1, 2, 3].map((k) => folder(out.files, k));

describe('runCharonSplit: the node folders', () => {
  it('writes what charon create cluster --split-existing-keys writes, per node, plus the operators map', () => {
    for (let k = 0; k < 4; k++) {
      expect(out.files.filter((f) => f.path.startsWith(`node${k}/`)).map((f) => f.path.slice(6))).toEqual([
        'charon-enr-private-key',
        'cluster-lock.json',
        'deposit-data-1eth.json',
        'deposit-data.json',
        'validator_keys/keystore-0.json',
        'validator_keys/keystore-0.txt',
        'validator_keys/keystore-1.json',
        'validator_keys/keystore-1.txt',
        'operators.json',
      ]);
    }
    expect(out.files.filter((f) => f.path === 'operators.json')).toHaveLength(1);
    expect(out.files).toHaveLength(37);
    const secret = out.files.filter((f) => f.secret).map((f) => f.path.split('/').pop()!.replace(/[0-9]/g, 'N'));
    expect(new Set(secret)).toEqual(new Set(['charon-enr-private-key', 'keystore-N.json', 'keystore-N.txt']));
  });

  it('writes the same lock everywhere, node keys and passwords in Charon’s formats', () => {
    const locks = out.files.filter((f) => f.path.endsWith('cluster-lock.json')).map((f) => text(f.bytes));
    expect(new Set(locks).size).toBe(1);
    expect(locks[0]).toBe(out.lockText);
    for (const f of out.files.filter((x) => x.path.endsWith('charon-enr-private-key'))) expect(text(f.bytes)).toMatch(/^[0-9a-f]{64}$/);
    for (const f of out.files.filter((x) => x.path.endsWith('.txt'))) expect(text(f.bytes)).toMatch(/^[0-9a-f]{32}$/);
    expect(out.report.ok).toBe(true);
  });

  it('writes pbkdf2 keystores of each node’s share with Charon’s path', async () => {
    const ks = JSON.parse(text(folder(out.files, 2).files.get('validator_keys/keystore-1.json')!));
    expect(ks.crypto.kdf.function).toBe('pbkdf2');
    expect(ks.path).toBe('m/12381/3600/0/0/0');
    expect(ks.pubkey).toBe(bytesToHex(out.lock.validators[1]!.publicShares[2]!));
    const pw = text(folder(out.files, 2).files.get('validator_keys/keystore-1.txt')!);
    const share = await decryptKeystore(ks, pw);
    expect(share).toHaveLength(32);
  });

  it('writes one deposit file per amount, sorted by pubkey, verifying on the network', () => {
    expect([depositFileName(1_000_000_000n), depositFileName(32_000_000_000n), depositFileName(500_000_000n), depositFileName(256_000_000_000n)]).toEqual([
      'deposit-data-1eth.json',
      'deposit-data.json',
      'deposit-data-0.5eth.json',
      'deposit-data-256eth.json',
    ]);
    for (const name of ['deposit-data-1eth.json', 'deposit-data.json']) {
      const entries = parseDepositDataFile(text(folders[0]!.files.get(name)!), { network: 'hoodi' });
      expect(entries).toHaveLength(2);
      const pubkeys = entries.map((e) => bytesToHex(e.pubkey));
      expect(pubkeys).toEqual([...pubkeys].sort());
      expect(new Set(entries.map((e) => e.amount))).toEqual(new Set([name === 'deposit-data.json' ? 32_000_000_000n : 1_000_000_000n]));
    }
  });

  it('uses the fee recipient of each validator in the lock and its registration', () => {
    expect(out.lock.definition.validators.map((v) => v.feeRecipientAddress)).toEqual([F, A]);
    expect(out.lock.validators.map((v) => v.builderRegistration!.feeRecipient)).toEqual([F.toLowerCase(), A.toLowerCase()]);
    expect(out.lock.validators[0]!.builderRegistration!.timestamp).toBe(Date.parse('2025-06-01T12:00:00Z') / 1000);
  });

  it('writes keystores at Charon’s default cost (pbkdf2 c = 2^18) without an override', async () => {
    const { kdfParams: _lowCost, ...rest } = splitInput('real cost', { validators: [{ secret: hex(SECRETS[0]!), source: 'k' }], nodes: 3, feeRecipients: A });
    const real = await runCharonSplit(rest);
    const ks = JSON.parse(text(real.files.find((f) => f.path === 'node0/validator_keys/keystore-0.json')!.bytes));
    expect(ks.crypto.kdf.params.c).toBe(262144);
    expect(real.lock.definition.threshold).toBe(2);
  });

  it('refuses unsafe or impossible clusters', async () => {
    expect(codeOf(await rejected(() => runCharonSplit(splitInput('x', { nodes: 2 }))))).toEqual(['INVALID_ARGUMENT', 'nodes']);
    expect(codeOf(await rejected(() => runCharonSplit(splitInput('x', { threshold: 2 }))))).toEqual(['UNSAFE_THRESHOLD', 'threshold']);
    expect(codeOf(await rejected(() => runCharonSplit(splitInput('x', { feeRecipients: [A] }))))).toEqual(['INVALID_ARGUMENT', 'feeRecipients']);
    const dup = splitInput('x', { validators: [{ secret: hex(SECRETS[0]!), source: 'a' }, { secret: hex(SECRETS[0]!), source: 'b' }] });
    expect(codeOf(await rejected(() => runCharonSplit(dup)))).toEqual(['DUPLICATE_KEY', 'validators[1]']);
  });
});

describe('reading node folders', () => {
  it('finds each node by its keystores, whatever the folder is called', () => {
    const renamed = [3, 0, 2, 1].map((k, i) => folder(out.files, k, `.charon-${i}`));
    expect(readCharonCluster(renamed).map((n) => [n.label, n.nodeIndex, n.shareIndex])).toEqual([
      ['.charon-0', 3, 4n],
      ['.charon-1', 0, 1n],
      ['.charon-2', 2, 3n],
      ['.charon-3', 1, 2n],
    ]);
    expect(readCharonNode(folders[1]!).nodeKey).toBe('match');
  });

  it('identifies a folder without keystores by its node key, and reports a foreign node key', () => {
    const lockOnly = new Map([...folders[2]!.files].filter(([p]) => !p.startsWith('validator_keys/')));
    expect(readCharonNode({ label: 'n', files: lockOnly }).nodeIndex).toBe(2);
    const swapped = new Map(folders[2]!.files);
    swapped.set('charon-enr-private-key', folders[1]!.files.get('charon-enr-private-key')!);
    expect(readCharonNode({ label: 'n', files: swapped }).nodeKey).toBe('mismatch');
  });

  it('refuses a keystore whose pubkey is no public share, and mixed nodes', () => {
    const other = folder(out.files, 1);
    const bad = new Map(folders[0]!.files);
    bad.set('validator_keys/keystore-0.json', other.files.get('validator_keys/keystore-1.json')!);
    expect(codeOf(caught(() => readCharonNode({ label: 'n0', files: bad })))).toEqual(['KEYSTORE_PUBKEY_MISMATCH', 'n0/validator_keys/keystore-0.json']);
    const mixed = new Map(folders[0]!.files);
    mixed.set('validator_keys/keystore-1.json', other.files.get('validator_keys/keystore-1.json')!);
    expect(codeOf(caught(() => readCharonNode({ label: 'n0', files: mixed })))).toEqual(['CEREMONY_MISMATCH', 'n0']);
    const extra = new Map(folders[0]!.files);
    extra.set('validator_keys/keystore-7.json', other.files.get('validator_keys/keystore-1.json')!);
    expect(codeOf(caught(() => readCharonNode({ label: 'n0', files: extra })))).toEqual(['INVALID_FORMAT', 'n0/validator_keys/keystore-7.json']);
  });
});

describe('verify', () => {
  it('passes every line for the cluster', async () => {
    const report = await verifyCharonCluster({ folders, rng: insecureTestRng(3) });
    expect(report.ok, JSON.stringify(report.lines.filter((l) => l.status === 'fail'))).toBe(true);
    expect(report.lines.filter((l) => l.check === 'deposit-data')).toHaveLength(8);
    // The shared pipeline (cluster-checks.ts, decision 0310): one decryption line, then per validator its shares
    // against their public shares and a threshold signature; and one keystores line per node.
    expect(report.lines.filter((l) => l.check === 'shares').map((l) => [l.subject.replace(/ 0x[0-9a-f]+…/, ''), l.status])).toEqual([
      ['keystores', 'pass'],
      ['validator 0 shares', 'pass'],
      ['validator 0 threshold-signature', 'pass'],
      ['validator 1 shares', 'pass'],
      ['validator 1 threshold-signature', 'pass'],
    ]);
    expect(report.lines.filter((l) => l.check === 'sharing').map((l) => l.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(report.lines.filter((l) => l.check === 'keystores').map((l) => l.status)).toEqual(folders.map(() => 'pass'));
  });

  it('reports a tampered lock copy as folders of different clusters', async () => {
    const tampered = new Map(folders[1]!.files);
    const h = bytesToHex(out.lock.lockHash);
    const flipped = h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');
    tampered.set('cluster-lock.json', new TextEncoder().encode(out.lockText.replace(h, flipped)));
    const e = await rejected(() => verifyCharonCluster({ folders: [folders[0]!, { label: 'node1', files: tampered }] }));
    expect(codeOf(e)).toEqual(['CEREMONY_MISMATCH', 'node1']);
    const alone = await verifyCharonCluster({ folders: [{ label: 'node1', files: tampered }], noDecrypt: true });
    expect(alone.ok).toBe(false);
    expect(alone.lines.find((l) => l.status === 'fail')).toMatchObject({ check: 'lock', subject: 'hashes', code: 'LOCK_HASH_MISMATCH', field: 'lock_hash' });
  });
});

describe('combine', () => {
  const subsets = [
    [0, 1, 2],
    [0, 1, 3],
    [0, 2, 3],
    [1, 2, 3],
  ];
  it.each(subsets)('recovers both keys from nodes %i, %i, %i', async (...ks) => {
    const res = await runCharonCombine({ folders: ks.map((k) => folders[k]!).reverse(), password: 'combined', kdfParams: { n: 16 }, noVerify: ks[0] !== 0 });
    expect(res.used.map((u) => u.nodeIndex)).toEqual(ks);
    for (const [v, f] of res.files.entries()) {
      expect(f.path).toBe(`keystore-${v}.json`);
      expect(bytesToHex(await decryptKeystore(JSON.parse(text(f.bytes)), 'combined'))).toBe(SECRETS[v]);
    }
  });

  it('bails out like charon combine, with typed errors', async () => {
    const otherCluster = await runCharonSplit(splitInput('other cluster'));
    const foreign = folder(otherCluster.files, 2);
    expect(codeOf(await rejected(() => runCharonCombine({ folders: [folders[0]!, folders[1]!, foreign], password: 'p' })))).toEqual(['CEREMONY_MISMATCH', 'node2']);
    expect(codeOf(await rejected(() => runCharonCombine({ folders: [folders[0]!, folders[1]!], password: 'p' })))).toEqual(['NOT_ENOUGH_SHARES', 'folders']);
    const twice = { label: 'copy-of-node1', files: folders[1]!.files };
    expect(codeOf(await rejected(() => runCharonCombine({ folders: [folders[0]!, folders[1]!, twice], password: 'p' })))).toEqual(['CEREMONY_MISMATCH', 'copy-of-node1']);
    const noTxt = new Map([...folders[2]!.files].filter(([p]) => !p.endsWith('.txt')));
    expect(codeOf(await rejected(() => runCharonCombine({ folders: [folders[0]!, folders[1]!, { label: 'n2', files: noTxt }], password: 'p' })))).toEqual([
      'INVALID_ARGUMENT',
      'n2/validator_keys/keystore-0.json',
    ]);
    const wrongPw = new Map(folders[2]!.files);
    wrongPw.set('validator_keys/keystore-1.txt', new TextEncoder().encode('0'.repeat(32)));
    expect(codeOf(await rejected(() => runCharonCombine({ folders: [folders[0]!, folders[1]!, { label: 'n2', files: wrongPw }], password: 'p' })))[0]).toBe('WRONG_PASSWORD');
  });

  it('refuses a lock that fails verification unless told not to verify', async () => {
    const forged = out.lockText.replace(/"signature_aggregate": "0x[0-9a-f]+"/, `"signature_aggregate": "0x${bytesToHex(out.lock.validators[0]!.builderRegistration!.signature)}"`);
    const withForged = folders.slice(0, 3).map((f) => ({ label: f.label, files: new Map([...f.files, ['cluster-lock.json', new TextEncoder().encode(forged)]]) }));
    expect(codeOf(await rejected(() => runCharonCombine({ folders: withForged, password: 'p' })))).toEqual(['SIGNATURE_INVALID', 'signature_aggregate']);
    const res = await runCharonCombine({ folders: withForged, password: 'p', noVerify: true, kdfParams: { n: 16 } });
    expect(res.report).toBeUndefined();
    expect(res.files).toHaveLength(2);
  });
});
