/**
 * Issue 13 part 4: `dvkeys verify A B` reports one validator split into two clusters as a slashing risk
 * (DOUBLE_CLUSTER), across layouts, and never flags one cluster seen twice.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossCheckLines, findDoubleClusters } from '../../src/ceremony/double-cluster.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

let root: string;
let a: string;
let b: string;
let c: string;
let charon: string;
let pubkey: string;
const OPS = ['--operators', '4', '--insecure-keys'];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-double-'));
  const one = join(root, 'in-one');
  const other = join(root, 'in-other');
  mkdirSync(one);
  mkdirSync(other);
  await makeInputs(one, 'pbkdf2', SECRETS.slice(0, 1));
  await makeInputs(other, 'pbkdf2', SECRETS.slice(1, 2));
  a = join(root, 'a');
  b = join(root, 'b');
  c = join(root, 'c');
  charon = join(root, 'charon');
  for (const [input, out] of [[one, a], [one, b], [other, c]] as const) expect((await runCli(['split', input, ...OPS, '--out', out])).code).toBe(0);
  const addr = '0x' + '11'.repeat(20);
  expect((await runCli(['split', one, ...OPS, '--out', charon, '--layout', 'charon', '--network', 'hoodi', '--withdrawal-address', addr, '--fee-recipient', addr])).code).toBe(0);
  pubkey = (JSON.parse(readFileSync(join(a, 'ceremony.json'), 'utf8')) as { validators: { pubkey: string }[] }).validators[0]!.pubkey;
});

describe('verify A B', () => {
  it('the same validator split twice: DOUBLE_CLUSTER naming both folders, exit 1', async () => {
    const r = await runCli(['verify', a, b], { cwd: root });
    expect(r.code).toBe(1);
    const risk = r.out.split('\n').filter((l) => l.includes('[DOUBLE_CLUSTER]'));
    expect(risk).toHaveLength(1);
    expect(risk[0]).toMatch(new RegExp(`^  FAIL clusters  ${pubkey}: slashing risk: this validator is in 2 different clusters \\(${a.replace(/[/.]/g, '\\$&')} fingerprint [0-9a-f]{16}…, ${b.replace(/[/.]/g, '\\$&')} fingerprint [0-9a-f]{16}…\\); if both run`));
    expect(r.out.split('\n').at(-1)).toBe('FAILED: a validator is in two clusters: slashing risk.');
    // each tree on its own passes: the risk is only visible across them
    expect(r.out.split('\n').filter((l) => l === 'All checks passed.')).toHaveLength(2);
  });

  it('--json: one check line with the exact code, the pubkey and both folders as culprits', async () => {
    const r = await runCli(['verify', 'a', 'b', '--json'], { cwd: root });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { ok: boolean; trees: { ok: boolean; fingerprint: string; validators: string[] }[]; checks: { status: string; code?: string; subject: string; culprits?: string[] }[] };
    expect(j.ok).toBe(false);
    expect(j.trees.map((t) => t.ok)).toEqual([true, true]);
    expect(j.trees[0]!.validators).toEqual([pubkey]);
    expect(j.trees[0]!.fingerprint).not.toBe(j.trees[1]!.fingerprint);
    expect(j.checks).toEqual([expect.objectContaining({ status: 'fail', code: 'DOUBLE_CLUSTER', subject: pubkey, culprits: ['a', 'b'] })]);
  });

  it('a dvkeys tree and a Charon cluster of the same key are two clusters too', async () => {
    const r = await runCli(['verify', 'a', 'charon', '--json', '--no-decrypt'], { cwd: root });
    const j = JSON.parse(r.out) as { checks: { code?: string; culprits?: string[] }[] };
    expect(j.checks).toEqual([expect.objectContaining({ code: 'DOUBLE_CLUSTER', culprits: ['a', 'charon'] })]);
    expect(r.code).toBe(1);
  });

  it('different validators, or one cluster seen twice (a tree and its operator folder), pass', async () => {
    const r = await runCli(['verify', 'a', 'c'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.out).toContain('  ok   clusters  a, c: no validator is in two different clusters\n');
    const same = await runCli(['verify', 'a', 'a/operator-2'], { cwd: root });
    expect(same.code).toBe(0);
    expect(same.out).toContain('no validator is in two different clusters (a and a/operator-2 are one cluster: same fingerprint)');
  });

  it('--fingerprint with two folders is a usage error', async () => {
    const r = await runCli(['verify', 'a', 'c', '--fingerprint', '00'.repeat(32)], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.err).toBe("dvkeys verify: error: --fingerprint is one cluster's: give one folder with it (see dvkeys verify --help)");
  });
});

describe('findDoubleClusters', () => {
  const pk = '0x' + 'ab'.repeat(48);
  it('compares fingerprints with or without 0x, in either case, and each validator once per cluster', () => {
    expect(findDoubleClusters([
      { label: 'x', fingerprint: 'AA'.repeat(32), validators: [pk, pk] },
      { label: 'y', fingerprint: '0x' + 'aa'.repeat(32), validators: [pk.toUpperCase().replace('0X', '0x')] },
    ])).toEqual([]);
    expect(findDoubleClusters([
      { label: 'x', fingerprint: 'aa'.repeat(32), validators: [pk] },
      { label: 'y', fingerprint: 'bb'.repeat(32), validators: ['0x' + 'cd'.repeat(48)] },
      { label: 'z', fingerprint: 'cc'.repeat(32), validators: [pk] },
    ])).toEqual([{ pubkey: pk, clusters: [{ label: 'x', fingerprint: 'aa'.repeat(32) }, { label: 'z', fingerprint: 'cc'.repeat(32) }] }]);
    expect(crossCheckLines([{ label: 'x', fingerprint: 'aa'.repeat(32), validators: [pk] }, { label: 'z', fingerprint: 'cc'.repeat(32), validators: [pk] }])[0]!.code).toBe('DOUBLE_CLUSTER');
  });
});
