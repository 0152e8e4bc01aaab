/**
 * Issue 18 part 5: the same ceremony across network namespaces: `dkg serve` in its own namespace behind a bridge,
 * each of the 4 `dkg join` operators in its own namespace with a veth into it (ip netns + veth, created and removed
 * here). Skipped, with a message, where `ip netns add` is not allowed (no root or no CAP_NET_ADMIN).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, hostKey, ok, setup } from './dkg-helpers.js';
import { dvkeys, serveProcess, stopAll } from './dkg-net-helpers.js';

const tag = `dvk${process.pid % 100000}`;
const server = `${tag}s`;
const ops = [0, 1, 2, 3].map((k) => `${tag}o${k}`);
const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: 'ignore' });

function allowed(): boolean {
  try {
    ip('netns', 'add', server);
    return true;
  } catch {
    return false;
  }
}
const canNetns = allowed();
if (!canNetns) console.info('dkg netns test skipped: `ip netns add` is not allowed here (needs root or CAP_NET_ADMIN)');

afterAll(() => {
  stopAll();
  for (const ns of [server, ...ops]) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not created
    }
  }
});

describe('dkg serve and join across network namespaces (issue 18 part 5)', () => {
  it.skipIf(!canNetns)('4 operators, each in its own namespace, complete against a server in another', async () => {
    // the server's namespace holds a bridge 10.231.7.1/24; each operator gets a veth into it
    const x = (ns: string, ...args: string[]): void => ip('netns', 'exec', ns, 'ip', ...args);
    x(server, 'link', 'set', 'lo', 'up');
    x(server, 'link', 'add', 'br0', 'type', 'bridge');
    x(server, 'addr', 'add', '10.231.7.1/24', 'dev', 'br0');
    x(server, 'link', 'set', 'br0', 'up');
    ops.forEach((ns, k) => {
      ip('netns', 'add', ns);
      ip('link', 'add', `${tag}a${k}`, 'type', 'veth', 'peer', 'name', `${tag}b${k}`);
      ip('link', 'set', `${tag}a${k}`, 'netns', server);
      ip('link', 'set', `${tag}b${k}`, 'netns', ns);
      x(server, 'link', 'set', `${tag}a${k}`, 'master', 'br0');
      x(server, 'link', 'set', `${tag}a${k}`, 'up');
      x(ns, 'link', 'set', 'lo', 'up');
      x(ns, 'addr', 'add', `10.231.7.${10 + k}/24`, 'dev', `${tag}b${k}`);
      x(ns, 'link', 'set', `${tag}b${k}`, 'up');
    });

    const c = await setup('netns');
    const s = await serveProcess(join(c.coord, 'definition.json'), join(c.coord, 'data'), 0, [], '10.231.7.1', server);
    expect(s.url).toMatch(/^http:\/\/10\.231\.7\.1:\d+$/);
    // the test's own namespace has no route to it: only the namespaces' veths reach the server
    const outside = await cli('dkg', 'status', '--coordinator', s.url, '--definition', join(c.ops[0]!, 'definition.json'), '--retries', '0', '--timeout', '3');
    expect(outside.code).toBe(1);
    const procs = c.ops.map((dir, i) => dvkeys(['dkg', 'join', '--coordinator', s.url, ...hostKey(dir, i), '--ceremony-id', c.fingerprint, '--out', join(dir, 'validator-keys'), '--insecure-keys', '--step-timeout', '300'], {}, ops[i]));
    const exits = await Promise.all(procs.map((p) => p.exited));
    exits.forEach((e, i) => expect(e.code, `${procs[i]!.out}\n${procs[i]!.err}`).toBe(0));
    const deposit = readFileSync(join(c.ops[0]!, 'validator-keys', 'deposit-data.json'), 'utf8');
    for (const dir of c.ops) expect(readFileSync(join(dir, 'validator-keys', 'deposit-data.json'), 'utf8')).toBe(deposit);
    expect(ok(await cli('verify', join(c.ops[1]!, 'validator-keys'))).out).toContain('All checks passed.');
    s.proc.child.kill('SIGTERM');
    await s.proc.exited;
  }, 400000);
});
