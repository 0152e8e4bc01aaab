/**
 * Issue 13 "Progress everywhere" (the final listing summarised, full with --list-files) and "Fingerprints people can
 * compare" (printed in 8 groups of 8, accepted in that form by verify --fingerprint; a shortened one says "expected
 * 64 hex digits"). Decision 0806.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintGroups, printTree } from '../../src/cli/commands/shared.js';
import { runCli } from '../helpers/cli.js';
import { makeInputs } from '../helpers/inputs.js';

let root: string;
let inputs: string;
const SEVEN = Array.from({ length: 7 }, (_, i) => (i + 11).toString(16).padStart(64, '0'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-listing-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SEVEN);
});

const lines = (text: string): string[] => text.split('\n');

describe('the listing of written files', () => {
  it('printTree: a folder of up to 6 files by name, a fuller one by name pattern with a hint', () => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: () => {}, isTTY: false, env: {}, cwd: '/', signal: new AbortController().signal };
    printTree(io, ['ceremony.json', 'a/keystore-0.json', 'a/keystore-0.txt', 'a/ceremony.json']);
    expect(out).toEqual(['  ceremony.json', '  a/  keystore-0.json  keystore-0.txt  ceremony.json']);
    out.length = 0;
    const many = Array.from({ length: 12 }, (_, v) => [`b/keystore-${v}.json`, `b/keystore-${v}.txt`]).flat();
    printTree(io, [...many, 'b/ceremony.json']);
    expect(out).toEqual(['  b/  25 files: 12 keystore-*.json, 12 keystore-*.txt, ceremony.json', '  (--list-files lists every file)']);
    out.length = 0;
    printTree(io, [...many, 'b/ceremony.json'], true);
    expect(out).toHaveLength(1);
    expect(out[0]!.split('  ').filter((x) => x.length > 0)).toHaveLength(26);
  });

  it('split of 7 validators: one summary line per folder; --list-files lists every file', async () => {
    const r = await runCli(['split', inputs, '--operators', '3', '--out', join(root, 'short'), '--insecure-keys']);
    expect(r.code, r.err).toBe(0);
    const l = lines(r.out);
    for (const k of [1, 2, 3]) expect(l).toContain(`  operator-${k}/  15 files: 7 keystore-*.json, 7 keystore-*.txt, ceremony.json`);
    expect(l).toContain('  (--list-files lists every file)');
    const full = await runCli(['split', inputs, '--operators', '3', '--out', join(root, 'full'), '--insecure-keys', '--list-files']);
    expect(full.code, full.err).toBe(0);
    const row = lines(full.out).find((x) => x.startsWith('  operator-2/'))!;
    expect(row).toContain('keystore-6.json  keystore-6.txt');
    expect(full.out).not.toContain('--list-files lists every file');
  });
});

describe('fingerprints in groups', () => {
  it('split and verify print the fingerprint in 8 groups of 8; verify --fingerprint takes that form', async () => {
    const tree = join(root, 'short');
    const v = await runCli(['verify', join(tree, 'operator-1')]);
    expect(v.code, v.out).toBe(0);
    const fp = /^Ceremony fingerprint: ([0-9a-f]{64})$/m.exec(v.out)![1]!;
    const groups = fingerprintGroups(fp);
    expect(groups.split(' ')).toHaveLength(8);
    expect(groups.replace(/ /g, '')).toBe(fp);
    expect(v.out).toContain(`  in groups, to read aloud: ${groups}`);
    const ok = await runCli(['verify', join(tree, 'operator-2'), '--fingerprint', groups]);
    expect(ok.code, ok.out).toBe(0);
    const short = await runCli(['verify', join(tree, 'operator-2'), '--fingerprint', groups.split(' ').slice(0, 7).join(' ')]);
    expect(short.code).toBe(1);
    expect(short.out).toMatch(/expected 64 hex digits .* has 56/);
  });
});
