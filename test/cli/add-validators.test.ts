/**
 * `dvkeys add-validators split|merge` end to end (issue 16 "add validators"; decision 1011): a 3-of-4 split of
 * validators 0-1 gets validator 2 (with deposit data); each operator merges its addition into a new folder that
 * verify accepts with one fingerprint for all; 3 merged folders combine to all three original keys; the old folders
 * are unchanged; then the refusals, each with its code and nothing written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { cli, fails, ok, recovered, splitCluster, tempDir } from './lifecycle-helpers.js';

let root: string;
let old: string;
let add: string;
const ADDRESS = '0x' + '11'.repeat(20);

const folderHash = (dir: string): string => {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) h.update(name).update(readFileSync(join(dir, name)));
  return h.digest('hex');
};

beforeAll(async () => {
  root = tempDir('addval');
  old = await splitCluster(root);
  const inputs = join(root, 'new-in');
  mkdirSync(inputs, { recursive: true });
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(2, 3));
  add = join(root, 'add');
  const r = ok(await cli('add-validators', 'split', inputs, '--to', join(old, 'operator-2', 'ceremony.json'), '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--out', add, '--insecure-keys'));
  expect(r.out).toContain('validators 2..2 of 3');
}, 240_000);

describe('dvkeys add-validators', () => {
  it('each operator merges; verify accepts every new folder with one fingerprint; 3 combine to all three keys; old folders unchanged', async () => {
    const before = [1, 2, 3, 4].map((k) => folderHash(join(old, `operator-${k}`)));
    expect(readdirSync(join(add, 'operator-1')).sort()).toEqual(['ceremony.json', 'deposit-data-2-2.json', 'keystore-2.json', 'keystore-2.txt']);
    expect(existsSync(join(add, 'deposit-data-2-2.json'))).toBe(true);
    const m = JSON.parse(readFileSync(join(add, 'ceremony.json'), 'utf8')) as { kind: string; network: string; validators: { pubkey: string }[]; files: Record<string, string> };
    const o = JSON.parse(readFileSync(join(old, 'ceremony.json'), 'utf8')) as typeof m;
    expect(m.validators.slice(0, 2)).toEqual(o.validators);
    expect(m.validators).toHaveLength(3);
    for (const [path, hash] of Object.entries(o.files)) expect(m.files[path]).toBe(hash);
    expect(m.network).toBe('hoodi');
    const fps = new Set<string>();
    const merged: string[] = [];
    for (const k of [1, 2, 3, 4]) {
      const out = join(root, `merged-${k}`);
      const r = ok(await cli('add-validators', 'merge', '--folder', join(old, `operator-${k}`), '--add', join(add, `operator-${k}`), '--out', out, '--json'));
      const j = JSON.parse(r.out) as { operator: string; first: number; added: number; validators: number; fingerprint: string };
      expect([j.operator, j.first, j.added, j.validators]).toEqual([`operator-${k}`, 2, 1, 3]);
      fps.add(j.fingerprint);
      merged.push(out);
      const v = ok(await cli('verify', out, '--json'));
      const report = JSON.parse(v.out) as { ok: boolean; checks: { subject: string; status: string }[] };
      expect(report.ok).toBe(true);
      // verify checks the added range's deposit data too, not only deposit-data.json
      expect(report.checks.find((c) => c.subject === 'deposit-data-2-2.json')?.status).toBe('pass');
    }
    expect(fps.size).toBe(1);
    const back = join(root, 'back');
    ok(await cli('combine', '--in', merged[3]!, '--in', merged[0]!, '--in', merged[2]!, '--out', back, '--insecure-keys'));
    expect(await recovered(back, 3)).toEqual(SECRETS.slice(0, 3));
    expect([1, 2, 3, 4].map((k) => folderHash(join(old, `operator-${k}`)))).toEqual(before);
    // the deposit data of the new validator verify as deposit data
    ok(await cli('deposit', 'verify', join(merged[0]!, 'deposit-data-2-2.json'), '--network', 'hoodi'));
  }, 240_000);

  it('refuses another operator\'s addition, a tampered addition, a key the cluster has, a non-split cluster and an existing output; nothing is written', async () => {
    const out = join(root, 'never');
    // another operator's addition
    expect(fails(await cli('add-validators', 'merge', '--folder', join(old, 'operator-1'), '--add', join(add, 'operator-2'), '--out', out), 'CEREMONY_MISMATCH')).toContain('operator-2');
    expect(existsSync(out)).toBe(false);
    // an addition whose ceremony.json changes an old validator's public share
    const bad = join(root, 'bad-add');
    mkdirSync(bad);
    for (const name of readdirSync(join(add, 'operator-1'))) writeFileSync(join(bad, name), readFileSync(join(add, 'operator-1', name)));
    const m = JSON.parse(readFileSync(join(bad, 'ceremony.json'), 'utf8')) as { validators: { public_shares: string[] }[] };
    [m.validators[0]!.public_shares[0], m.validators[0]!.public_shares[1]] = [m.validators[0]!.public_shares[1]!, m.validators[0]!.public_shares[0]!];
    writeFileSync(join(bad, 'ceremony.json'), JSON.stringify(m, null, 2));
    expect(fails(await cli('add-validators', 'merge', '--folder', join(old, 'operator-1'), '--add', bad, '--out', out), 'CEREMONY_MISMATCH')).toContain('validator 0 differs');
    expect(existsSync(out)).toBe(false);
    // a key the cluster already has
    const dup = join(root, 'dup-in');
    mkdirSync(dup);
    await makeInputs(dup, 'pbkdf2', SECRETS.slice(1, 2));
    fails(await cli('add-validators', 'split', dup, '--to', join(old, 'ceremony.json'), '--out', out, '--insecure-keys'), 'DUPLICATE_KEY');
    expect(existsSync(out)).toBe(false);
    // a cluster of another kind (its keys were never held by one machine)
    const dkgLike = join(root, 'refresh-ceremony.json');
    writeFileSync(dkgLike, readFileSync(join(old, 'ceremony.json'), 'utf8').replace('"kind": "split"', '"kind": "refresh"'));
    expect(fails(await cli('add-validators', 'split', dup, '--to', dkgLike, '--out', out, '--insecure-keys'), 'INVALID_ARGUMENT')).toContain('kind refresh');
    expect(existsSync(out)).toBe(false);
    // an existing output folder is never written into
    const r = await cli('add-validators', 'merge', '--folder', join(old, 'operator-1'), '--add', join(add, 'operator-1'), '--out', join(old, 'operator-2'));
    expect(r.code).not.toBe(0);
    expect(readdirSync(join(old, 'operator-2'))).not.toContain('keystore-2.json');
  }, 240_000);
});
