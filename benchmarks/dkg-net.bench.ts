/**
 * Issue 18 targets, through the real server on loopback: n operators × V validators end to end, `dkg serve` and n
 * `dkg join` each its own node process (as operators run them), all on this machine. Reports the wall time from the
 * first join's start to the last join's exit, the server's share of all CPU time spent (target < 5 %), and the
 * peak RSS of the server and of the largest join. Targets: (10, 1000) end to end under 10 minutes.
 *
 * Each process runs under GNU time (`/usr/bin/time`, required), which reports its CPU time and peak RSS even when it
 * is stopped by a signal (the server is stopped with SIGTERM once every join has exited). Keystores are written with
 * `--insecure-keys` (the low KDF cost of tests): the KDF's cost per keystore is the keystore benchmark's subject, not
 * the network's. Setup (host keys, draft, enrollments, definition) runs in this process through the CLI and is not
 * timed.
 *
 * Usage: `npm run bench -- dkg-net` runs (4, 10); `npx tsx benchmarks/dkg-net.bench.ts N:V [N:V ...]` other sizes,
 * e.g. `4:100 10:1000`. The load average before and after each run is recorded: on the shared machine wall time
 * depends on it, CPU time much less.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { report, type Row } from './lib.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';
const ADDRESS = '0x000000000000000000000000000000000000dEaD';

interface Usage {
  wall: number;
  cpu: number;
  rssMiB: number;
  code: number | null;
  out: string;
  err: string;
}

/** `dvkeys ARGS` in this process (setup only); its standard output, or it throws with the error lines. */
async function cli(cwd: string, ...args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += `${t}\n`), err: (t: string) => void (err += `${t}\n`), isTTY: false, env: process.env, cwd, signal: new AbortController().signal };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`dvkeys ${args.slice(0, 2).join(' ')} failed (${code}): ${err}`);
  return out;
}

/** Starts `dvkeys ARGS` under GNU time; `onOut` sees its standard output as it comes. */
function child(dir: string, tag: string, args: readonly string[], onOut: (text: string) => void = () => {}): { stop: () => void; done: Promise<Usage> } {
  const usage = join(dir, `${tag}.time.json`);
  const p = spawn(TIME, ['-o', usage, '-f', '{"wall":%e,"user":%U,"sys":%S,"maxRssKiB":%M}', process.execPath, '--import', 'tsx', join(repo, 'src/cli/main.ts'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString(), onOut(out)));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Usage>((ok) =>
    p.on('exit', (code) => {
      // GNU time writes one line per signal note ("Command terminated by signal 15") before the format line
      const line = existsSync(usage) ? readFileSync(usage, 'utf8').trim().split('\n').pop() ?? '{}' : '{}';
      const u = JSON.parse(line) as { wall?: number; user?: number; sys?: number; maxRssKiB?: number };
      ok({ wall: (u.wall ?? NaN) * 1000, cpu: ((u.user ?? NaN) + (u.sys ?? NaN)) * 1000, rssMiB: (u.maxRssKiB ?? NaN) / 1024, code, out, err });
    }),
  );
  // SIGTERM to the node process under time (time itself would die without writing its report)
  const stop = (): void => {
    for (const pid of readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/).filter((x) => x !== '')) process.kill(Number(pid), 'SIGTERM');
  };
  return { stop, done };
}

/** Host keys, draft, enrollments and definition of an n-operator, V-validator ceremony in `dir`. */
async function setup(dir: string, n: number, V: number): Promise<{ definition: string; fingerprint: string; keys: string[] }> {
  const keys: string[] = [];
  const pubs: string[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(join(dir, `host-key-${i + 1}.json`));
    pubs.push((JSON.parse(await cli(dir, 'dkg', 'keygen', '--out', keys[i]!, '--json')) as { hostPublicKey: string }).hostPublicKey);
  }
  const t = Math.max(2, Math.ceil((2 * n) / 3));
  await cli(dir, 'dkg', 'init', ...pubs.flatMap((p) => ['--operator', p]), '--threshold', String(t), '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--num-validators', String(V), '--out', 'draft.json');
  const enrollments: string[] = [];
  for (let i = 0; i < n; i++) {
    enrollments.push(`enrollment-${i + 1}.json`);
    await cli(dir, 'dkg', 'enroll', '--draft', 'draft.json', '--host-key', keys[i]!, '--out', enrollments[i]!);
  }
  const d = JSON.parse(await cli(dir, 'dkg', 'define', '--draft', 'draft.json', ...enrollments, '--out', 'definition.json', '--json')) as { fingerprint: string };
  return { definition: join(dir, 'definition.json'), fingerprint: d.fingerprint, keys };
}

async function run(n: number, V: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), `dvkeys-bench-dkg-net-${n}x${V}-`));
  try {
    const c = await setup(dir, n, V);
    const before = loadavg()[0]!.toFixed(2);
    let url = '';
    let listening!: () => void;
    const listens = new Promise<void>((ok) => (listening = ok));
    const server = child(dir, 'serve', ['dkg', 'serve', '--definition', c.definition, '--data', join(dir, 'data'), '--listen', '127.0.0.1:0', '--json'], (out) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && url === '') {
        url = (JSON.parse(line) as { url: string }).url;
        listening();
      }
    });
    await Promise.race([listens, server.done.then((u) => Promise.reject(new Error(`dkg serve exited (${u.code}): ${u.err}`)))]);
    const t0 = performance.now();
    const joins = c.keys.map((key, i) => child(dir, `join-${i + 1}`, ['dkg', 'join', '--coordinator', url, '--host-key', key, '--ceremony-id', c.fingerprint, '--out', join(dir, `operator-${i + 1}`), '--insecure-keys', '--json']));
    const ends = await Promise.all(joins.map((j) => j.done));
    const wall = performance.now() - t0;
    server.stop();
    const srv = await server.done;
    const failed = ends.findIndex((u) => u.code !== 0);
    if (failed >= 0) throw new Error(`join ${failed + 1} exited ${ends[failed]!.code}: ${ends[failed]!.err.trim().split('\n').pop() ?? ''}`);
    const joinCpu = ends.reduce((a, u) => a + u.cpu, 0);
    const s = (ms: number): number => Math.round(ms / 100) / 10;
    return {
      'n,t,V': `${n},${Math.max(2, Math.ceil((2 * n) / 3))},${V}`,
      'wall s': s(wall),
      'server cpu s': s(srv.cpu),
      'joins cpu s': s(joinCpu),
      'server cpu %': Math.round((1000 * srv.cpu) / (srv.cpu + joinCpu)) / 10,
      'server peak MiB': Math.round(srv.rssMiB),
      'join peak MiB': Math.round(Math.max(...ends.map((u) => u.rssMiB))),
      load: `${before} → ${loadavg()[0]!.toFixed(2)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(TIME)) {
  console.error(`dkg-net needs GNU time at ${TIME} (apt-get install time)`);
  process.exit(2);
}
const sizes = (process.argv.length > 2 ? process.argv.slice(2) : ['4:10']).map((a) => {
  const m = /^(\d+):(\d+)$/.exec(a);
  if (m === null) throw new Error(`give sizes as N:V (e.g. 4:10), not ${a}`);
  return [Number(m[1]), Number(m[2])] as const;
});
const rows: Row[] = [];
for (const [n, V] of sizes) {
  rows.push(await run(n, V));
  console.log(JSON.stringify(rows[rows.length - 1]));
}
report(process.argv.length > 2 ? `dkg-net-${sizes.map(([n, V]) => `${n}x${V}`).join('-')}` : 'dkg-net', 'DKG over HTTP on loopback: serve + n joins as processes (seconds, MiB)', rows, {
  targets: '(10,1000) end to end < 10 min; server CPU < 5 % of the total; peak memory per process reported',
  keystores: '--insecure-keys (low KDF cost)',
});
