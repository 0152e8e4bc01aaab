/**
 * The KDF floor of a ceremony (issue 14): the key derivations the job cannot avoid, run with bare node:crypto,
 * every call in flight at once on this process's libuv thread pool (the pool the CLI's KDFs run on), timed from the
 * first call to the last result. Nothing else runs meanwhile: no curve work, no file I/O, no JSON.
 *
 * The same EIP-2335 costs as the keystores: scrypt n = 2^18, r = 8, p = 1; PBKDF2-SHA256 c = 2^18; dklen 32.
 * Each call gets its own salt, as each keystore has its own.
 */
import { spawn } from 'node:child_process';
import { pbkdf2, randomBytes, scrypt } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** KDF calls of one floor. */
export interface FloorWork {
  readonly scrypt: number;
  readonly pbkdf2: number;
}

const SCRYPT = { N: 2 ** 18, r: 8, p: 1, maxmem: 2 ** 29 };

/** Runs `work` all at once with node:crypto; returns the wall time in ms. */
export async function kdfFloorMs(work: FloorWork): Promise<number> {
  const calls: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < work.scrypt; i++) {
    calls.push(new Promise((res, rej) => scrypt('floor-password', randomBytes(32), 32, SCRYPT, (e) => (e ? rej(e) : res()))));
  }
  for (let i = 0; i < work.pbkdf2; i++) {
    calls.push(new Promise((res, rej) => pbkdf2('floor-password', randomBytes(32), 2 ** 18, 32, 'sha256', (e) => (e ? rej(e) : res()))));
  }
  await Promise.all(calls);
  return performance.now() - start;
}

/** What one CLI run in a child process reports (cli-child.ts). */
export interface ChildRun {
  readonly code: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
}

/**
 * Runs `dvkeys <args>` in a fresh child process (so that its peak RSS is its own, not the set-up's or the floor's)
 * and returns its exit code, the wall time of `main()` (without the start-up of node and tsx) and its peak RSS.
 */
export function runCliChild(args: readonly string[], cwd: string): Promise<ChildRun> {
  const here = dirname(fileURLToPath(import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(here, 'cli-child.ts'), ...args], {
      cwd: join(here, '..'), // where tsx resolves
      env: { ...process.env, DVKEYS_BENCH_CWD: cwd },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildRun);
      } catch {
        reject(new Error(`the child printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

/** The 1-minute load average, as `uptime` prints it (8 helpers share these cores: it says how quiet the run was). */
export function load1(): number {
  return loadavg()[0]!;
}
