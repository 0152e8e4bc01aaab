/**
 * Interrupts at several points of a split (issue 13, defect 1): real SIGINT/SIGTERM sent to a real child process,
 * once or twice 10 ms apart, while the key work runs, while the hidden temporary tree is written, and after the
 * tree was renamed into place (during the read-back). Each time: ended by the signal after clean-up (a shell shows 130 or 143), exactly
 * one line saying what was left, and no file at all left in the output's parent folder (no `.<out>.dvkeys-tmp-*`
 * with keystores and passwords, no tree that was never read back).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeInputs } from '../helpers/inputs.js';
import { withoutProgress } from '../helpers/progress.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let root: string;
let inputs: string;
const SECRETS = Array.from({ length: 24 }, (_, i) => (BigInt(i + 7) * 0x1234567890abcdefn).toString(16).padStart(64, '0'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-sig-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS);
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
  parentFiles: string[];
  out: string;
}

/** User + system CPU seconds of a process (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Starts a split into a fresh parent folder, waits until `ready(parent, pid)` holds, then sends `signals` (10 ms
 * apart). Fails the test if the split ended before the moment came (the signal must land in that phase).
 */
async function interrupt(name: string, extra: string[], ready: (parent: string, pid: number) => boolean, signals: NodeJS.Signals[]): Promise<Run> {
  const parent = join(root, name);
  mkdirSync(parent);
  const out = join(parent, 'out');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), 'split', inputs, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', out, ...extra], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let landed = false;
  for (let i = 0; i < 60_000 && child.exitCode === null; i++) {
    if (ready(parent, child.pid!)) {
      for (const [k, s] of signals.entries()) {
        if (k > 0) await new Promise((r) => setTimeout(r, 10));
        child.kill(s);
      }
      landed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const { code, signal } = await exited;
  expect(landed, `the split finished before the signal (stderr: ${err})`).toBe(true);
  return { code, signal, err, parentFiles: readdirSync(parent, { recursive: true }) as string[], out };
}

const hasTmp = (parent: string): boolean => readdirSync(parent).some((n) => n.includes('.dvkeys-tmp-'));
const errorLines = (err: string): string[] => withoutProgress(err).split('\n').filter((l) => l.length > 0 && !l.includes('WARNING: --insecure-keys'));

/**
 * Handled, cleaned up, then ended by the same signal (re-raised with its default action, so a shell reports
 * 128 + signal number: 130 for SIGINT, 143 for SIGTERM). The one line shows the handler ran and cleaned up.
 */
function leftNothing(r: Run, signal: NodeJS.Signals): void {
  expect(r.signal, r.err).toBe(signal);
  expect(r.code).toBe(null);
  const lines = errorLines(r.err);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dvkeys split: error: interrupted; nothing was written \(no .*out, no temporary folder left\) \[ABORTED\]$/);
  expect(r.parentFiles).toEqual([]);
}

describe.runIf(existsSync('/proc/self/stat'))('signals during a split', () => {
  it('two SIGINTs 10 ms apart during the key work: 130, nothing left', async () => {
    // Real pbkdf2 costs for the 216 share keystores: wait for 3 s of CPU (startup is about 1 s), so both signals
    // arrive during the key work whatever the machine's load.
    const r = await interrupt('key-work', [], (_p, pid) => cpuSeconds(pid) >= 3, ['SIGINT', 'SIGINT']);
    leftNothing(r, 'SIGINT');
  });

  it('two SIGINTs 10 ms apart while the temporary tree is written: 130, the temporary tree is removed', async () => {
    const r = await interrupt('writing', ['--insecure-keys'], (p) => hasTmp(p), ['SIGINT', 'SIGINT']);
    leftNothing(r, 'SIGINT');
  });

  it('SIGTERM then SIGINT while the temporary tree is written: 143, nothing left', async () => {
    const r = await interrupt('writing-term', ['--insecure-keys'], (p) => hasTmp(p), ['SIGTERM', 'SIGINT']);
    leftNothing(r, 'SIGTERM');
  });

  it('SIGINT twice after the rename, during the read-back: 130, the unread tree is removed', async () => {
    const r = await interrupt('readback', ['--insecure-keys'], (p) => existsSync(join(p, 'out')), ['SIGINT', 'SIGINT']);
    leftNothing(r, 'SIGINT');
  });
});
