/**
 * Shared steps of the CLI DKG tests (test/cli/dkg*.test.ts): a 4-operator, threshold-3, 2-validator ceremony run
 * through files, each operator and the coordinator in its own temp folder, files "carried" between them by copying.
 * Operator 1's host key is encrypted (tiny KDF costs); the others are in the clear.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

export const NAMES = ['alice', 'bob', 'carol', 'dave'];
export const ADDRESS = `0x${'ab'.repeat(20)}`;

export interface Ceremony {
  readonly base: string;
  readonly coord: string;
  readonly ops: string[];
  readonly fingerprint: string;
}

let root: string | undefined;
/** A fresh temp root per test file. */
export function tempRoot(): string {
  root ??= mkdtempSync(join(tmpdir(), 'dvkeys-dkg-'));
  return root;
}

export const cli = (...args: string[]): Promise<CliResult> => runCli(args);

export function ok(r: CliResult): CliResult {
  expect(r.code, r.err).toBe(0);
  return r;
}

/** Fails with exit 1 and one error line ending in [code] (after --insecure-keys warnings, if any). */
export function fails(r: CliResult, code: string): string {
  expect(r.code, r.out).toBe(1);
  const lines = r.err.trim().split('\n').filter((l) => !l.includes('WARNING: --insecure-keys'));
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^dvkeys [a-z]+: error: .*\\[${code}\\]$`));
  return lines[0]!;
}

/** "Carries" a file from one participant's folder to another's. */
export function carry(from: string, to: string): string {
  copyFileSync(from, to);
  return to;
}

export function hostKey(dir: string, i: number): string[] {
  return ['--host-key', join(dir, 'host-key.json'), ...(i === 0 ? ['--password-file', join(dir, 'host-pw.txt')] : [])];
}

/** The raw secret of an unencrypted host key file. */
export function hostSecret(dir: string): Buffer {
  return Buffer.from(JSON.parse(readFileSync(join(dir, 'host-key.json'), 'utf8')).secretKey.slice(2), 'hex');
}

/** keygen (operator 1's host key encrypted) → init → enroll ×4 → define, each party in its own folder. */
export async function setup(tag: string): Promise<Ceremony> {
  const base = join(tempRoot(), tag);
  const coord = join(base, 'coordinator');
  const ops = NAMES.map((n) => join(base, n));
  for (const d of [coord, ...ops]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ops[0]!, 'host-pw.txt'), 'correct horse battery staple\n');
  const pubs: string[] = [];
  for (const [i, dir] of ops.entries()) {
    const enc = i === 0 ? ['--password-file', join(dir, 'host-pw.txt'), '--insecure-keys'] : [];
    const r = ok(await cli('dkg', 'keygen', '--out', join(dir, 'host-key.json'), ...enc, '--json'));
    pubs.push(JSON.parse(r.out).hostPublicKey);
  }
  ok(await cli('dkg', 'init', ...pubs.flatMap((p, i) => ['--operator', `${NAMES[i]}=${p}`]), '--threshold', '3', '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--num-validators', '2', '--out', join(coord, 'draft.json')));
  const enrollments: string[] = [];
  for (const [i, dir] of ops.entries()) {
    const r = ok(await cli('dkg', 'enroll', '--draft', carry(join(coord, 'draft.json'), join(dir, 'draft.json')), ...hostKey(dir, i), '--out', join(dir, 'enrollment.json')));
    expect(r.out).toContain(`Enrolled as operator ${i + 1} of 4`);
    enrollments.push(carry(join(dir, 'enrollment.json'), join(coord, `enrollment-${i + 1}.json`)));
  }
  const d = ok(await cli('dkg', 'define', '--draft', join(coord, 'draft.json'), ...enrollments.reverse(), '--out', join(coord, 'definition.json'), '--json'));
  for (const dir of ops) carry(join(coord, 'definition.json'), join(dir, 'definition.json'));
  return { base, coord, ops, fingerprint: JSON.parse(d.out).fingerprint };
}

export async function round1(c: Ceremony, i: number, suffix = '', dir = c.ops[i]!): Promise<CliResult> {
  return cli('dkg', 'round1', '--definition', join(c.ops[i]!, 'definition.json'), ...hostKey(dir, i), '--ceremony-id', c.fingerprint, '--out', join(dir, `round1${suffix}.json`), '--state-out', join(dir, `state-1${suffix}.json`));
}

export async function collect1(c: Ceremony, files: readonly string[], out = 'collected.json'): Promise<CliResult> {
  const inbox = files.map((f, k) => carry(f, join(c.coord, `in-r1-${k}-${out}`)));
  return cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), ...inbox, '--out', join(c.coord, out));
}

export async function round2(c: Ceremony, i: number, collected: string, suffix = '', state = 'state-1.json', dir = c.ops[i]!): Promise<CliResult> {
  return cli('dkg', 'round2', ...hostKey(dir, i), '--state', join(dir, state), '--collected', carry(collected, join(dir, `collected${suffix}.json`)), '--out', join(dir, `ack${suffix}.json`), '--state-out', join(dir, `state-2${suffix}.json`));
}

export async function collect2(c: Ceremony, acks: readonly string[]): Promise<CliResult> {
  const inbox = acks.map((f, k) => carry(f, join(c.coord, `ack-${k + 1}.json`)));
  return cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), '--collected', join(c.coord, 'collected.json'), ...inbox, '--out', join(c.coord, 'final.json'));
}

/** Rounds 1 and 2 of an honest ceremony: every operator's ack.json, and the coordinator's collected.json. */
export async function honestRounds(c: Ceremony): Promise<string[]> {
  for (let i = 0; i < 4; i++) ok(await round1(c, i));
  ok(await collect1(c, c.ops.map((d) => join(d, 'round1.json'))));
  const acks: string[] = [];
  for (let i = 0; i < 4; i++) {
    ok(await round2(c, i, join(c.coord, 'collected.json')));
    acks.push(join(c.ops[i]!, 'ack.json'));
  }
  return acks;
}
