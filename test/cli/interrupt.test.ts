/**
 * Kill tests (issue 5): a split interrupted while writing leaves no partial output tree. The CLI runs as a real
 * child process; we wait until its hidden temporary folder appears (the write phase) and then SIGKILL it, or send
 * SIGINT during the key work. Either way the destination must not exist (SIGINT also removes the temporary folder).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeInputs } from '../helpers/inputs.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let root: string;
let inputs: string;
const SECRETS = Array.from({ length: 24 }, (_, i) => (BigInt(i + 1) * 0x1234567890abcdefn).toString(16).padStart(64, '0'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-kill-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS);
});

function startSplit(out: string, extra: string[] = []): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), 'split', inputs, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', out, ...extra], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const tmpDirs = (parent: string): string[] => readdirSync(parent).filter((n) => n.includes('.dvkeys-tmp-'));

describe('interrupted split', () => {
  it('SIGKILL while writing leaves no output tree', async () => {
    const parent = join(root, 'kill');
    mkdirSync(parent);
    const out = join(parent, 'out');
    const child = startSplit(out, ['--insecure-keys']);
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    let killedWhileWriting = false;
    // Poll until the temporary tree appears or the child exits; bounded by wall time, not by a count of polls
    // (under load each poll of 2 ms takes far longer).
    const deadline = performance.now() + 100_000;
    while (child.exitCode === null && performance.now() < deadline) {
      if (tmpDirs(parent).length > 0) {
        child.kill('SIGKILL');
        killedWhileWriting = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await exited;
    expect(killedWhileWriting).toBe(true);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it.runIf(existsSync('/proc/self/stat'))('SIGINT during the key work exits non-zero with one line and leaves nothing', async () => {
    const parent = join(root, 'int');
    mkdirSync(parent);
    const out = join(parent, 'out');
    const child = startSplit(out); // real pbkdf2 costs: 216 keystores take several seconds
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Wait until the child has used 3 s of CPU (startup takes about 1 s; the whole run about 15 s), so the signal
    // arrives during the key work whatever the machine's load. CPU time, unlike wall time, does not stretch.
    while (child.exitCode === null && cpuSeconds(child.pid!) < 3) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).not.toBe(0);
    // Without a TTY the CLI prints a progress line every 10 s (issue 13); under load the run may last that long.
    const lines = err.trim().split('\n').filter((l) => !/: \d+\/\d+ \(\d+ %\)/.test(l));
    expect(lines).toHaveLength(1);
    expect(err).toMatch(/ABORTED/);
    expect(existsSync(out)).toBe(false);
    expect(tmpDirs(parent)).toEqual([]);
  });
});
