/**
 * Processes of the multi-process DKG tests (issue 18): `dkg serve` and `dkg join`, each its own node process
 * (node --import tsx src/cli/main.ts), started and stopped by the test. Every process is registered so that
 * {@link stopAll} kills what a failed test left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repo = resolve(__dirname, '../..');

/** A child process with its captured output. */
export interface Proc {
  readonly child: ChildProcess;
  out: string;
  err: string;
  /** Resolves with the exit code (null when killed) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts `dvkeys ARGS...` as a child process. */
export function dvkeys(args: readonly string[], env: Record<string, string> = {}, netns?: string): Proc {
  const argv = [process.execPath, '--import', 'tsx', join(repo, 'src/cli/main.ts'), ...args];
  const child = spawn(netns === undefined ? argv[0]! : 'ip', netns === undefined ? argv.slice(1) : ['netns', 'exec', netns, ...argv], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(child);
  const p: Proc = {
    child,
    out: '',
    err: '',
    exited: new Promise((ok) => child.on('exit', (code, signal) => (running.delete(child), ok({ code, signal })))),
  };
  child.stdout.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (p.err += d.toString()));
  return p;
}

/** Resolves once `p`'s standard output matches `re` (rejects after `ms` or when it exits first). */
export function until(p: Proc, re: RegExp, ms = 120000): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => (clearInterval(tick), fail(new Error(`timed out waiting for ${re} in:\n${p.out}\n${p.err}`))), ms);
    const tick = setInterval(() => {
      if (re.test(p.out)) {
        clearTimeout(timer);
        clearInterval(tick);
        ok();
      } else if (p.child.exitCode !== null || p.child.signalCode !== null) {
        clearTimeout(timer);
        clearInterval(tick);
        fail(new Error(`exited before ${re}:\n${p.out}\n${p.err}`));
      }
    }, 100);
  });
}

/** `dkg serve` on 127.0.0.1:port; resolves with the process and its URL once it listens. */
export async function serveProcess(definition: string, data: string, port = 0, extra: readonly string[] = [], host = '127.0.0.1', netns?: string): Promise<{ proc: Proc; url: string }> {
  const proc = dvkeys(['dkg', 'serve', '--definition', definition, '--data', data, '--listen', `${host}:${port}`, '--json', ...extra], {}, netns);
  await until(proc, /^\{.*\}\n/m, 60000);
  const line = proc.out.split('\n').find((l) => l.startsWith('{'))!;
  return { proc, url: (JSON.parse(line) as { url: string }).url };
}

/** SIGKILLs a process and waits for it to be gone. */
export async function kill9(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  const r = await p.exited;
  if (r.signal !== 'SIGKILL') throw new Error(`expected a SIGKILL exit, got ${JSON.stringify(r)}`);
}

/** Kills every process still running (afterAll). */
export function stopAll(): void {
  for (const c of running) c.kill('SIGKILL');
}
