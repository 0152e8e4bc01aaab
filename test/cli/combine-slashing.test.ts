/**
 * `combine --slashing-protection FILE` (repeatable; issue 15): the nodes' share-keyed EIP-3076 histories merged
 * onto the validator keys, per validator the highest slot, source and target epoch seen in any file; a history
 * entry for a key of no validator or share of the cluster, files of different chains, or a validator no history
 * mentions (without --allow-missing-slashing-history) refuse the command and write nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNetwork } from '../../src/eth/networks.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { withoutProgress } from '../helpers/progress.js';

let root: string;
let tree: string;
let validators: { pubkey: string; public_shares: string[] }[];
let folders: string[];
const gvr = `0x${Buffer.from(getNetwork('hoodi').genesisValidatorsRoot!).toString('hex')}`;

/** A node's history: `rows[v]` = [slot, source, target] for validator v, keyed by node k's share key. */
function history(name: string, k: number, rows: ([number, number, number] | null)[], root32 = gvr): string {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify({
    metadata: { interchange_format_version: '5', genesis_validators_root: root32 },
    data: rows.flatMap((r, v) => (r === null ? [] : [{ pubkey: validators[v]!.public_shares[k]!, signed_blocks: [{ slot: String(r[0]) }], signed_attestations: [{ source_epoch: String(r[1]), target_epoch: String(r[2]) }] }])),
  }));
  return path;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-combine-slashing-'));
  const inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  tree = join(root, 'tree');
  const s = await runCli(['split', inputs, '--operators', '4', '--out', tree, '--insecure-keys', '--json']);
  expect(s.code, s.err).toBe(0);
  const manifest = JSON.parse(readFileSync(join(tree, 'ceremony.json'), 'utf8'));
  validators = manifest.validators;
  folders = manifest.operators.map((o: { name: string }) => join(tree, o.name));
});

const combine = (out: string, extra: string[]) => runCli(['combine', ...folders.slice(0, 3).flatMap((f) => ['--in', f]), '--out', join(root, out), '--insecure-keys', ...extra]);

describe('combine --slashing-protection', () => {
  it('merges the share-keyed histories onto the validator keys with the maxima of every file', async () => {
    const a = history('a.json', 0, [[100, 5, 9], [40, 2, 3]]);
    const b = history('b.json', 1, [[90, 6, 8], [41, 1, 4]]);
    const c = history('c.json', 3, [[101, 4, 7], null]);
    const r = await combine('solo', ['--slashing-protection', a, '--slashing-protection', b, '--slashing-protection', c]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Import slashing-protection.json with the keys.');
    const sp = JSON.parse(readFileSync(join(root, 'solo', 'slashing-protection.json'), 'utf8'));
    expect(sp.metadata.genesis_validators_root).toBe(gvr);
    expect(sp.data).toEqual([
      { pubkey: validators[0]!.pubkey, signed_blocks: [{ slot: '101' }], signed_attestations: [{ source_epoch: '6', target_epoch: '9' }] },
      { pubkey: validators[1]!.pubkey, signed_blocks: [{ slot: '41' }], signed_attestations: [{ source_epoch: '2', target_epoch: '4' }] },
    ]);
  });

  it('refuses a stray key, two chains, or a validator no history mentions, and writes nothing', async () => {
    const good = history('g.json', 0, [[1, 1, 2], [1, 1, 2]]);
    const stray = join(root, 'stray.json');
    writeFileSync(stray, JSON.stringify({ metadata: { interchange_format_version: '5', genesis_validators_root: gvr }, data: [{ pubkey: validators[0]!.pubkey.replace(/.$/, (c) => (c === '0' ? '1' : '0')), signed_blocks: [], signed_attestations: [] }] }));
    const other = history('other.json', 1, [[1, 1, 2], [1, 1, 2]], `0x${'11'.repeat(32)}`);
    const half = history('half.json', 0, [[1, 1, 2], null]);
    const cases: [string, string[], RegExp][] = [
      ['x1', ['--slashing-protection', good, '--slashing-protection', stray], /stray\.json\.data\[0\]\.pubkey' .* is neither a validator key nor a share key of this cluster \[SLASHING_PROTECTION_INVALID\]/],
      ['x2', ['--slashing-protection', good, '--slashing-protection', other], /other\.json\.metadata\.genesis_validators_root' differs .*\[SLASHING_PROTECTION_INVALID\]/],
      ['x3', ['--slashing-protection', half], /mentions validator 0x[0-9a-f]{96}; give every node's history, or --allow-missing-slashing-history .*\[SLASHING_PROTECTION_INVALID\]/],
      ['x4', ['--allow-missing-slashing-history'], /--allow-missing-slashing-history needs --slashing-protection/],
    ];
    for (const [out, extra, err] of cases) {
      const r = await combine(out, extra);
      expect(r.code, out).not.toBe(0);
      expect(withoutProgress(r.err).trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(err);
      expect(existsSync(join(root, out))).toBe(false);
    }
    const ok = await combine('x5', ['--slashing-protection', half, '--allow-missing-slashing-history']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'x5', 'slashing-protection.json'), 'utf8')).data.map((d: { pubkey: string }) => d.pubkey)).toEqual([validators[0]!.pubkey]);
  });
});
