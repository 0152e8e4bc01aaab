/**
 * Attack a13 (dkg serve, availability): a client that never reads its answers. The server caps the time to send
 * headers and a request (slowloris: cut off, the setup test shows it) and the number of connections, but nothing
 * bounds how long an ANSWER may wait for its reader. One unauthenticated client opens `maxConnections` sockets,
 * writes a few thousand pipelined `GET .../messages/round1` on each (a few hundred KB) and never reads: each
 * socket's answers fill the kernel buffers, node stops parsing that socket, and the connection stays open with no
 * request timeout running. Measured: 4 sockets x 400 GETs (235 KB sent in all) grow the server's rss by about
 * 1.3 GiB, because each GET reads every stored message with readCapped's 1 MiB read buffers (2 MiB per 3 KB file)
 * and node runs the pipelined requests of a socket concurrently; 8 x 3000 GETs took 6.8 GiB and blocked the event
 * loop past 60 s. While the answers wait (about 20 s at a 0.8 s request timeout), the slots are taken and the
 * operator's status request times out or is reset.
 *
 * DEFENDED (dkg-cli): at most MAX_PIPELINED requests of one connection in progress (past it the connection is
 * closed), a connection whose answer makes no progress for a request timeout is closed, and list answers are built
 * once per kind and store size (src/cli/commands/dkg-serve.ts). Measured after the fix: +3 MiB, no connection held
 * after 8 s, the honest status 200 and push stored. See notes/attack.md a13.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { PROTOCOL_HEADER, startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { parseDefinition } from '../../src/dkg/index.js';
import { runCli } from '../helpers/cli.js';
import { cli, ok, round1, setup, type Ceremony } from '../cli/dkg-helpers.js';

const PIPELINED = 400;
const LIMITS = { maxBodyBytes: 256 * 1024, headersTimeoutMs: 800, requestTimeoutMs: 800, maxConnections: 4 };

let c: Ceremony;
let srv: RunningServer;
let id: string;
let port: number;
const sockets: Socket[] = [];

const connections = (): Promise<number> => new Promise((done, fail) => srv.server.getConnections((e, n) => (e ? fail(e) : done(n))));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** An honest operator's request: the status. Resolves to the HTTP status, or the error's code. */
async function honest(): Promise<number | string> {
  try {
    return (await fetch(`${srv.url}/v1/ceremonies/${id}`, { headers: { [PROTOCOL_HEADER]: '1' }, signal: AbortSignal.timeout(2000) })).status;
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    return cause?.code ?? (e as Error).name;
  }
}

beforeAll(async () => {
  c = await setup('a13');
  const definition = JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'));
  id = parseDefinition(definition).idHex;
  srv = await startDkgServer(await Inbox.open(join(c.coord, 'inbox'), definition), '127.0.0.1', 0, LIMITS);
  port = Number(new URL(srv.url).port);
  for (let i = 0; i < 4; i++) ok(await round1(c, i)); // dave's (index 4) is pushed during the attack
  ok(await cli('dkg', 'push', '--coordinator', srv.url, ...[0, 1, 2].map((i) => join(c.ops[i]!, 'round1.json'))));
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await srv?.close();
});

describe('a13: a client that never reads holds every connection of dkg serve', () => {
  it('setup: the server answers, and cuts a slow-header client off within a few request timeouts', async () => {
    expect(await honest()).toBe(200);
    const start = Date.now();
    await new Promise<void>((done) => {
      const s = connect(port, '127.0.0.1', () => s.write(`GET /v1/ceremonies/${id} HTTP/1.1\r\nHost: a\r\n`));
      s.on('data', () => {});
      s.on('close', () => done());
      s.on('error', () => {});
    });
    expect(Date.now() - start).toBeLessThan(5 * LIMITS.requestTimeoutMs);
  });

  // was SUCCEEDS: 4 x 58800 request bytes grew the server's rss by about 1.3 GiB and held its connections for about 10 request timeouts
  it('DEFENDED: a few hundred KB of pipelined GETs from a client that never reads cost the server under 256 MiB and leave an operator a connection', async () => {
    const request = `GET /v1/ceremonies/${id}/messages/round1 HTTP/1.1\r\nHost: a\r\n${PROTOCOL_HEADER}: 1\r\n\r\n`;
    const one = (await (await fetch(`${srv.url}/v1/ceremonies/${id}/messages/round1`, { headers: { [PROTOCOL_HEADER]: '1' } })).text()).length;
    await sleep(6000); // the fetch's keep-alive connection closes
    const base = await connections();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    for (let k = 0; k < LIMITS.maxConnections; k++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => {});
      await new Promise<void>((done) => s.once('connect', () => done()));
      s.pause(); // never read
      s.write(request.repeat(PIPELINED));
      sockets.push(s);
    }
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    await sleep(10 * LIMITS.requestTimeoutMs);
    clearInterval(sampler);
    const held = (await connections()) - base;
    const rss = Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20);
    const status = await honest();
    const push = await runCli(['dkg', 'push', '--coordinator', srv.url, '--retries', '0', join(c.ops[3]!, 'round1.json')], { signal: AbortSignal.timeout(5000) });
    console.log(`a13: ${LIMITS.maxConnections} sockets x ${PIPELINED} pipelined GETs (${request.length * PIPELINED} request bytes each; one answer ${one} bytes); after ${10 * LIMITS.requestTimeoutMs} ms: ${held} connections still held; rss +${rss} MiB (peak +${Math.round((peak - rssBefore) / 2 ** 20)} MiB); an honest status request: ${status}; dkg push exit ${push.code} (${push.out.trim().split('\n').at(-1) ?? ''})`);
    await sleep(15_000);
    const heldLater = (await connections()) - base;
    const statusLater = await honest();
    console.log(`a13: ${10 * LIMITS.requestTimeoutMs + 15_000 + 7000} ms after the attack began: ${heldLater} connections still held; an honest status request: ${statusLater}`);
    // the defence: a bounded answer queue per connection (or answers built without MiB-sized read buffers) and a slot
    // for the operator while one client misbehaves
    expect(Math.round((peak - rssBefore) / 2 ** 20)).toBeLessThan(256);
    expect(status).toBe(200);
  }, 90_000);
});
