/**
 * Issue 18 part 3: a 3-of-4, 2-validator DKG run over `dkg serve` running as its own process (node + tsx, started
 * and stopped by the test), killed with SIGKILL in the middle of round 1 and again in the middle of round 2, and
 * restarted on the same port and data directory each time. The operators' steps run through the CLI's main() in
 * this process (one process per operator step would cost ~60 tsx start-ups on this 2-core machine). The ceremony
 * completes, and `dvkeys verify` accepts every operator's folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fails, hostKey, ok, round1, setup, type Ceremony } from './dkg-helpers.js';

const repo = resolve(__dirname, '../..');

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stored: number;
}

/** Starts `dkg serve` as a child process and resolves with the URL it printed (--json). */
function serve(definition: string, data: string, port: number): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), 'dkg', 'serve', '--definition', definition, '--data', data, '--listen', `127.0.0.1:${port}`, '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`dkg serve did not start: ${err}`)), 30000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && out.includes('\n')) {
        clearTimeout(timer);
        const j = JSON.parse(line) as { url: string; stored: number };
        ok({ child, url: j.url, stored: j.stored });
      }
    });
    child.on('exit', (code) => fail(new Error(`dkg serve exited ${code}: ${err}`)));
  });
}

function kill9(s: Served): Promise<void> {
  return new Promise((done) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', (_code, signal) => {
      expect(signal).toBe('SIGKILL');
      done();
    });
    s.child.kill('SIGKILL');
  });
}

describe('a DKG over a dkg serve process that is SIGKILLed mid-round (issue 18 part 3)', () => {
  let c: Ceremony;
  let s: Served | undefined;
  afterAll(() => {
    s?.child.removeAllListeners('exit');
    s?.child.kill('SIGKILL');
  });

  it('completes after two SIGKILLs and restarts; every folder verifies', async () => {
    c = await setup('e2e');
    const definition = join(c.coord, 'definition.json');
    const data = join(c.coord, 'server-data');
    s = await serve(definition, data, 0);
    const port = Number(new URL(s.url).port);
    const def = (i: number) => join(c.ops[i]!, 'definition.json');
    const push = (file: string) => cli('dkg', 'push', '--coordinator', s!.url, '--retries', '0', file);
    const pull = (i: number, kind: string, out: string) => cli('dkg', 'pull', '--coordinator', s!.url, '--definition', def(i), '--kind', kind, '--out', join(c.ops[i]!, out), '--retries', '0');
    const files = (i: number, dir: string) => readdirSync(join(c.ops[i]!, dir)).map((f) => join(c.ops[i]!, dir, f));

    // round 1: two operators deal, the server dies, the other two cannot reach it, it restarts with both kept
    for (let i = 0; i < 4; i++) ok(await round1(c, i));
    for (let i = 0; i < 2; i++) ok(await push(join(c.ops[i]!, 'round1.json')));
    await kill9(s);
    fails(await push(join(c.ops[2]!, 'round1.json')), 'IO_FAILED');
    s = await serve(definition, data, port);
    expect(s.stored).toBe(2);
    expect(ok(await push(join(c.ops[0]!, 'round1.json'))).out).toContain('already stored');
    for (let i = 2; i < 4; i++) ok(await push(join(c.ops[i]!, 'round1.json')));

    // round 2: each operator collects its own pulled round 1; the server dies after two Acks
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      ok(await pull(i, 'round1', 'r1'));
      ok(await cli('dkg', 'collect', '--definition', def(i), ...files(i, 'r1'), '--out', join(dir, 'collected.json')));
      ok(await cli('dkg', 'round2', ...hostKey(dir, i), '--state', join(dir, 'state-1.json'), '--collected', join(dir, 'collected.json'), '--out', join(dir, 'ack.json'), '--state-out', join(dir, 'state-2.json')));
      if (i < 2) ok(await push(join(dir, 'ack.json')));
    }
    await kill9(s);
    s = await serve(definition, data, port);
    expect(s.stored).toBe(6);
    for (let i = 2; i < 4; i++) ok(await push(join(c.ops[i]!, 'ack.json')));
    const status = JSON.parse(ok(await cli('dkg', 'status', '--coordinator', s.url, '--definition', def(0), '--json')).out);
    expect(status.messages).toMatchObject({ round1: { waiting: [] }, ack: { waiting: [] }, ready: { sent: [] } });

    // finalize, round 3 and the deposit data, over the restarted server
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      ok(await pull(i, 'ack', 'acks'));
      ok(await cli('dkg', 'finalize', ...hostKey(dir, i), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), ...files(i, 'acks'), '--out', join(dir, 'validator-keys'), '--insecure-keys'));
      ok(await cli('dkg', 'ready', ...hostKey(dir, i), '--folder', join(dir, 'validator-keys'), '--out', join(dir, 'ready.json')));
      ok(await push(join(dir, 'ready.json')));
    }
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      ok(await cli('dkg', 'collect', '--definition', def(i), '--collected', join(dir, 'collected.json'), ...files(i, 'acks'), '--out', join(dir, 'final.json')));
      ok(await pull(i, 'ready', 'readies'));
      ok(await cli('dkg', 'collect', '--definition', def(i), '--collected', join(dir, 'collected.json'), '--final', join(dir, 'final.json'), ...files(i, 'readies'), '--out', join(dir, 'deposit')));
      ok(await cli('dkg', 'deposit-data', '--folder', join(dir, 'validator-keys'), '--certificate', join(dir, 'deposit', 'deposit-certificate.json')));
      ok(await cli('verify', join(dir, 'validator-keys')));
    }
    expect(new Set(c.ops.map((d) => readFileSync(join(d, 'validator-keys', 'deposit-data.json'), 'utf8'))).size).toBe(1);
    expect(readdirSync(data).filter((f) => f.includes('dvkeys-tmp'))).toEqual([]);
  }, 240_000);
});
