/**
 * Issue 18 part 2: `dkg pull` and `dkg status` against a real `dkg serve` (in process, loopback): rounds 1, 2, 3,
 * finalize and deposit data of a 3-of-4 ceremony run with no file carried between folders, only push and pull
 * (`dvkeys verify` accepts the result); then a hostile server
 * (a node:http stub) that sends truncated, oversized, altered, slow or another ceremony's answers: each is one typed
 * error and the output folder does not exist afterwards.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { parseDefinition } from '../../src/dkg/index.js';
import { cli, fails, hostKey, ok, round1, setup, type Ceremony } from './dkg-helpers.js';

const LIMITS = { maxBodyBytes: 4 * 1024 * 1024, headersTimeoutMs: 5000, requestTimeoutMs: 5000, maxConnections: 16 };
const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;

describe('dvkeys dkg pull and status (issue 18 part 2)', () => {
  let c: Ceremony;
  let srv: RunningServer;
  let stub: Server | undefined;
  afterAll(async () => {
    await srv?.close();
    stub?.closeAllConnections();
    stub?.close();
  });
  const def = (i: number) => join(c.ops[i]!, 'definition.json');
  const pull = (i: number, kind: string, out: string, url = srv.url, extra: string[] = []) => cli('dkg', 'pull', '--coordinator', url, '--definition', def(i), '--kind', kind, '--out', join(c.ops[i]!, out), ...extra);

  it('runs the whole DKG (rounds 1-3, finalize, deposit data) with only push and pull; status names who it waits for', async () => {
    c = await setup('pull');
    srv = await startDkgServer(await Inbox.open(join(c.coord, 'inbox'), JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'))), '127.0.0.1', 0, LIMITS);
    for (let i = 0; i < 3; i++) {
      ok(await round1(c, i));
      ok(await cli('dkg', 'push', '--coordinator', srv.url, join(c.ops[i]!, 'round1.json')));
    }
    const s = ok(await cli('dkg', 'status', '--coordinator', srv.url, '--definition', def(1)));
    expect(s.out).toContain('round1: 3 of 4; waiting for 4 (dave)');
    expect(s.out).toContain('ack: 0 of 4; waiting for 1 (alice), 2 (bob), 3 (carol), 4 (dave)');
    ok(await round1(c, 3));
    ok(await cli('dkg', 'push', '--coordinator', srv.url, join(c.ops[3]!, 'round1.json')));
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      expect(ok(await pull(i, 'round1', 'r1')).out).toContain('Pulled 4 round1 message(s)');
      const r1 = readdirSync(join(dir, 'r1')).map((f) => join(dir, 'r1', f));
      ok(await cli('dkg', 'collect', '--definition', def(i), ...r1, '--out', join(dir, 'collected.json')));
      ok(await cli('dkg', 'round2', ...hostKey(dir, i), '--state', join(dir, 'state-1.json'), '--collected', join(dir, 'collected.json'), '--out', join(dir, 'ack.json'), '--state-out', join(dir, 'state-2.json')));
      ok(await cli('dkg', 'push', '--coordinator', srv.url, join(dir, 'ack.json')));
    }
    expect(new Set(c.ops.map((d) => readFileSync(join(d, 'collected.json'), 'utf8'))).size).toBe(1);
    const js = JSON.parse(ok(await cli('dkg', 'status', '--coordinator', srv.url, '--definition', def(0), '--json')).out);
    expect(js.messages.ack).toEqual({ sent: [1, 2, 3, 4], waiting: [] });
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      ok(await pull(i, 'ack', 'acks'));
      const acks = readdirSync(join(dir, 'acks')).map((f) => join(dir, 'acks', f));
      expect(acks).toHaveLength(4);
      ok(await cli('dkg', 'finalize', ...hostKey(dir, i), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), ...acks, '--out', join(dir, 'validator-keys'), '--insecure-keys'));
    }
    expect(new Set(c.ops.map((d) => readFileSync(join(d, 'validator-keys', 'ceremony.json'), 'utf8'))).size).toBe(1);
    // round 3 over the relay: READY pushed, pulled, collected by each operator from its own final message
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      ok(await cli('dkg', 'ready', ...hostKey(dir, i), '--folder', join(dir, 'validator-keys'), '--out', join(dir, 'ready.json')));
      ok(await cli('dkg', 'push', '--coordinator', srv.url, join(dir, 'ready.json')));
    }
    for (let i = 0; i < 4; i++) {
      const dir = c.ops[i]!;
      const acks = readdirSync(join(dir, 'acks')).map((f) => join(dir, 'acks', f));
      ok(await cli('dkg', 'collect', '--definition', def(i), '--collected', join(dir, 'collected.json'), ...acks, '--out', join(dir, 'final.json')));
      ok(await pull(i, 'ready', 'readies'));
      const readies = readdirSync(join(dir, 'readies')).map((f) => join(dir, 'readies', f));
      ok(await cli('dkg', 'collect', '--definition', def(i), '--collected', join(dir, 'collected.json'), '--final', join(dir, 'final.json'), ...readies, '--out', join(dir, 'deposit')));
      ok(await cli('dkg', 'deposit-data', '--folder', join(dir, 'validator-keys'), '--certificate', join(dir, 'deposit', 'deposit-certificate.json')));
    }
    expect(new Set(c.ops.map((d) => readFileSync(join(d, 'validator-keys', 'deposit-data.json'), 'utf8'))).size).toBe(1);
    expect(ok(await cli('verify', join(c.ops[2]!, 'validator-keys'))).out).not.toBe('');
    // an existing --out is refused before any request
    fails(await pull(0, 'ack', 'acks'), 'OUTPUT_EXISTS');
  }, 180_000);

  it('refuses a hostile server in one typed line and writes nothing', async () => {
    const good = await (await fetch(`${srv.url}/v1/ceremonies/${parseDefinition(JSON.parse(readFileSync(def(0), 'utf8'))).idHex}/messages/round1`, { headers: { 'dvkeys-dkg-protocol': '1' } })).text();
    const list = JSON.parse(good) as Record<string, unknown>[];
    expect(list).toHaveLength(4);
    let mode = '';
    stub = createServer((req, res) => {
      const body = (t: string) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(t) }).end(t);
      if (mode === 'truncated') {
        res.writeHead(200, { 'content-length': Buffer.byteLength(good) });
        res.write(good.slice(0, 1000));
        setTimeout(() => res.destroy(), 50);
      } else if (mode === 'oversized') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 400 && res.write(chunk)) sent++;
          if (sent < 400 && !res.destroyed) res.once('drain', pump);
          else res.end();
        };
        res.on('close', () => (sent = 400));
        pump();
      } else if (mode === 'declared') {
        res.writeHead(200, { 'content-length': String(10 ** 10) });
        res.write('[');
      } else if (mode === 'altered') body(JSON.stringify([list[0], { ...list[1], salt: flip(list[1]!['salt'] as string) }]));
      else if (mode === 'other-ceremony') body(JSON.stringify([list[0], { ...list[1], ceremonyId: `0x${'22'.repeat(32)}` }]));
      else if (mode === 'wrong-kind') body(JSON.stringify(list));
      else if (mode === 'not-json') body('[{"format":');
      else if (mode === 'slow') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 200);
        res.on('close', () => clearInterval(t));
      } else if (mode === 'status-other') body(JSON.stringify({ protocol: 1, ceremonyId: `0x${'22'.repeat(32)}`, messages: {} }));
      else if (mode === 'refuse') res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"this server speaks dvkeys DKG protocol 2; the request says 1"}');
    });
    await new Promise<void>((done) => stub!.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    const cases: [string, string, string, RegExp, string[]?][] = [
      ['truncated', 'round1', 'IO_FAILED', /cannot read from the coordinator/, ['--retries', '0']],
      ['oversized', 'round1', 'LIMIT_EXCEEDED', /exceeds the \d+ bytes/],
      ['declared', 'round1', 'LIMIT_EXCEEDED', /declares 10000000000 bytes/],
      ['altered', 'round1', 'DKG_INVALID_MESSAGE', /message 1 from the coordinator is refused: not signed by the host key the definition enrolls for participant 2/],
      ['other-ceremony', 'round1', 'CEREMONY_MISMATCH', /message 1 from the coordinator belongs to ceremony 0x2222/],
      ['wrong-kind', 'ack', 'INVALID_FORMAT', /message 0 from the coordinator is a round1, not a ack/],
      ['not-json', 'round1', 'INVALID_FORMAT', /is not JSON/],
      ['slow', 'round1', 'IO_FAILED', /did not answer within 2 s/, ['--timeout', '2']],
      ['refuse', 'round1', 'IO_FAILED', /answered HTTP 400: this server speaks dvkeys DKG protocol 2; the request says 1/],
    ];
    for (const [m, kind, code, why, extra] of cases) {
      mode = m;
      const started = Date.now();
      const line = fails(await pull(1, kind, `hostile-${m}`, url, extra ?? []), code);
      expect(line, m).toMatch(why);
      expect(existsSync(join(c.ops[1]!, `hostile-${m}`)), m).toBe(false);
      expect(Date.now() - started, m).toBeLessThan(15000);
    }
    expect(readdirSync(c.ops[1]!).filter((f) => f.startsWith('.') || f.startsWith('hostile'))).toEqual([]);
    mode = 'status-other';
    fails(await cli('dkg', 'status', '--coordinator', url, '--definition', def(1)), 'CEREMONY_MISMATCH');
  });
});
