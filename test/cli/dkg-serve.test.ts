/**
 * Issue 18 (first pieces): `dkg serve` over node:http on loopback, in process, and `dkg push`. Round-1 messages of a
 * real 3-of-4 ceremony are pushed, stored as files that `dkg collect` reads unchanged, and survive a server restart;
 * hostile input (oversized bodies, declared or streamed; malformed JSON; unknown ceremony; a bad signature; replays;
 * a third message from one sender; a wrong protocol version; a slow client) gets a 4xx with a one-line reason, stores
 * nothing, and the server keeps answering.
 */
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { PROTOCOL_HEADER, startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { parseDefinition, signReady } from '../../src/dkg/index.js';
import { cli, fails, hostSecret, ok, round1, setup, type Ceremony } from './dkg-helpers.js';

const LIMITS = { maxBodyBytes: 256 * 1024, headersTimeoutMs: 800, requestTimeoutMs: 800, maxConnections: 16 };
const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;

describe('dvkeys dkg serve and push (issue 18)', () => {
  let c: Ceremony;
  let data: string;
  let srv: RunningServer;
  let id: string;
  const definition = () => JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'));
  const post = (body: string, headers: Record<string, string> = { [PROTOCOL_HEADER]: '1' }, ceremony = id) =>
    fetch(`${srv.url}/v1/ceremonies/${ceremony}/messages`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const stored = () => readdirSync(data).filter((f) => !f.startsWith('.') && !f.startsWith('result-') && f !== 'definition.json').sort();
  afterAll(async () => srv?.close());

  it('stores pushed round-1 messages as files that dkg collect reads unchanged; a replay is "already stored"', async () => {
    c = await setup('serve');
    data = join(c.coord, 'inbox');
    id = parseDefinition(definition()).idHex;
    srv = await startDkgServer(await Inbox.open(data, definition()), '127.0.0.1', 0, LIMITS);
    for (let i = 0; i < 4; i++) ok(await round1(c, i));
    const files = c.ops.map((d) => join(d, 'round1.json'));
    const r = ok(await cli('dkg', 'push', '--coordinator', srv.url, files[0]!, files[1]!));
    expect(r.out).toMatch(/round1\.json: stored as round1-1-[0-9a-f]{16}\.json/);
    const again = ok(await cli('dkg', 'push', '--coordinator', srv.url, ...files));
    expect(again.out.split('\n').filter((l) => l.includes('already stored'))).toHaveLength(2);
    expect(stored().map((f) => f.split('-').slice(0, 2).join('-'))).toEqual(['round1-1', 'round1-2', 'round1-3', 'round1-4']);
    const status = await (await fetch(`${srv.url}/v1/ceremonies/${id}`, { headers: { [PROTOCOL_HEADER]: '1' } })).json();
    expect(status).toMatchObject({ protocol: 1, ceremonyId: id, n: 4, messages: { round1: [1, 2, 3, 4], ack: [] } });
    const relayed = (await (await fetch(`${srv.url}/v1/ceremonies/${id}/messages/round1`, { headers: { [PROTOCOL_HEADER]: '1' } })).json()) as unknown[];
    expect(relayed).toHaveLength(4);
    ok(await cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), ...stored().map((f) => join(data, f)), '--out', join(c.coord, 'collected.json')));
  });

  it('refuses hostile input with a 4xx and a one-line reason, storing nothing', async () => {
    const before = stored();
    const msg = JSON.parse(readFileSync(join(c.ops[1]!, 'round1.json'), 'utf8'));
    const cases: [string, Promise<Response>, number, RegExp][] = [
      ['declared too large', post('x'.repeat(LIMITS.maxBodyBytes + 1)), 413, /larger than the 262144 bytes/],
      ['malformed JSON', post('{"format": '), 400, /not JSON/],
      ['not a message', post(JSON.stringify({ format: 'dvkeys/dkg-final' })), 400, /not a participant message/],
      ['unknown ceremony', post(JSON.stringify(msg), undefined, `0x${'11'.repeat(32)}`), 404, /unknown ceremony/],
      ['bad signature', post(JSON.stringify({ ...msg, signature: flip(msg.signature) })), 403, /not signed by the host key the definition enrolls for participant 2/],
      ['another sender index', post(JSON.stringify({ ...msg, index: 3 })), 403, /participant 3/],
      ['wrong protocol', post(JSON.stringify(msg), { [PROTOCOL_HEADER]: '2' }), 400, /speaks dvkeys DKG protocol 1; the request says 2/],
      ['no protocol', post(JSON.stringify(msg), {}), 400, /has no dvkeys-dkg-protocol header/],
    ];
    for (const [name, pending, status, why] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as { error: string };
      expect(body.error, name).toMatch(why);
      expect(body.error.includes('\n'), name).toBe(false);
    }
    // a body streamed without a length, past the cap
    const big = new ReadableStream({ start: (ctl) => { for (let k = 0; k < 8; k++) ctl.enqueue(new Uint8Array(64 * 1024)); ctl.close(); } });
    const streamed = await fetch(`${srv.url}/v1/ceremonies/${id}/messages`, { method: 'POST', body: big, duplex: 'half', headers: { [PROTOCOL_HEADER]: '1' } } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(stored()).toEqual(before);
  });

  it('keeps two different messages of one kind from one sender (equivocation evidence), refuses a third', async () => {
    const def = definition();
    const claim = { transcriptHash: `0x${'aa'.repeat(32)}`, manifestFingerprint: `0x${'bb'.repeat(32)}`, depositDataRoots: [`0x${'cc'.repeat(32)}`, `0x${'dd'.repeat(32)}`] };
    const statuses: number[] = [];
    for (let k = 0; k < 3; k++) statuses.push((await post(JSON.stringify(signReady(def, hostSecret(c.ops[2]!), claim)))).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect(stored().filter((f) => f.startsWith('ready-3-'))).toHaveLength(2);
  });

  it('cuts off a client that sends its headers too slowly, and keeps answering others', async () => {
    let answer = '';
    const closed = await new Promise<number>((done) => {
      const start = Date.now();
      const s = connect(Number(new URL(srv.url).port), '127.0.0.1', () => s.write('POST /v1/ceremonies/x/messages HTTP/1.1\r\nHost: a\r\n'));
      s.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      s.on('close', () => done(Date.now() - start));
      s.on('error', () => {});
    });
    expect(closed).toBeLessThan(5000);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect((await fetch(`${srv.url}/v1/ceremonies/${id}`, { headers: { [PROTOCOL_HEADER]: '1' } })).status).toBe(200);
  });

  it('a restarted server resumes from its directory; a stored file altered meanwhile stops it in one line', async () => {
    await srv.close();
    const inbox = await Inbox.open(data, definition());
    expect(inbox.status()).toMatchObject({ round1: [1, 2, 3, 4], ready: [3, 3] });
    srv = await startDkgServer(inbox, '127.0.0.1', 0, LIMITS);
    expect((await post(readFileSync(join(c.ops[0]!, 'round1.json'), 'utf8'))).status).toBe(409);
    await srv.close();
    const victim = join(data, stored().find((f) => f.startsWith('round1-2-'))!);
    const m = JSON.parse(readFileSync(victim, 'utf8'));
    writeFileSync(victim, JSON.stringify({ ...m, salt: flip(m.salt) }));
    await expect(Inbox.open(data, definition())).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringContaining('is no longer the message that was stored') });
    // the CLI refuses to serve it, in one line
    fails(await cli('dkg', 'serve', '--definition', join(c.coord, 'definition.json'), '--data', data, '--listen', '127.0.0.1:0'), 'INVALID_FORMAT');
    srv = await startDkgServer(await Inbox.open(join(c.coord, 'inbox-2'), definition()), '127.0.0.1', 0, LIMITS);
  });

  it('push names refused files and exits 1 (DKG_PUSH_REFUSED); an unreachable server is IO_FAILED', async () => {
    const msg = JSON.parse(readFileSync(join(c.ops[1]!, 'round1.json'), 'utf8'));
    const bad = join(c.coord, 'bad-round1.json');
    writeFileSync(bad, JSON.stringify({ ...msg, signature: flip(msg.signature) }));
    const r = await cli('dkg', 'push', '--coordinator', srv.url, bad);
    expect(r.out).toContain('refused (HTTP 403): not signed by the host key');
    fails(r, 'DKG_PUSH_REFUSED');
    fails(await cli('dkg', 'push', '--coordinator', 'http://127.0.0.1:9', '--retries', '0', join(c.ops[0]!, 'round1.json')), 'IO_FAILED');
  });

  it('caps the connections of one address (503 with a one-line reason); other addresses and freed slots still get in', async () => {
    const cap = await startDkgServer(await Inbox.open(join(c.coord, 'inbox-cap'), definition()), '127.0.0.1', 0, { ...LIMITS, requestTimeoutMs: 10000, headersTimeoutMs: 10000, maxConnectionsPerAddress: 3 });
    const port = Number(new URL(cap.url).port);
    const status = (localAddress: string) =>
      new Promise<number>((done, fail) => {
        const req = httpGet({ host: '127.0.0.1', port, localAddress, path: `/v1/ceremonies/${id}`, headers: { [PROTOCOL_HEADER]: '1' }, agent: false }, (r) => (r.resume(), done(r.statusCode ?? 0)));
        req.on('error', fail);
      });
    try {
      // three idle connections from 127.0.0.1 hold its three slots
      const held = await Promise.all([0, 1, 2].map(() => new Promise<Socket>((done) => { const s = connect(port, '127.0.0.1', () => done(s)); s.on('error', () => {}); })));
      let answer = '';
      await new Promise<void>((done) => {
        const s = connect(port, '127.0.0.1', () => s.write(`GET /v1/ceremonies/${id} HTTP/1.1\r\nHost: a\r\n${PROTOCOL_HEADER}: 1\r\n\r\n`));
        s.on('data', (d: Buffer) => (answer += d.toString('latin1')));
        s.on('close', () => done());
        s.on('error', () => {});
      });
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'too many connections from 127.0.0.1 (at most 3 at once); retry later' });
      // another address is not held back
      expect(await status('127.0.0.2')).toBe(200);
      // a freed slot is usable again
      held[0]!.destroy();
      let code = 0;
      for (let k = 0; k < 50 && code !== 200; k++) {
        await new Promise((done) => setTimeout(done, 50));
        code = await status('127.0.0.1').catch(() => 0);
      }
      expect(code).toBe(200);
      for (const s of held) s.destroy();
    } finally {
      await cap.close();
    }
  });
});
