/**
 * Issue 18, `dkg serve`'s collect steps and a withholding coordinator (decision 0439), in process on loopback:
 * - the collect of a stage runs once, in the background, when its last message is stored (here slowed down by a
 *   gate the test holds): meanwhile `results/round1` answers `409 computing` at once and the status answers too; the
 *   result is on disk (fsynced) before the first `200`, and a restarted server serves it without computing again;
 * - the worker-thread runner (used from n × V = 64) gives the inline result;
 * - a coordinator that withholds dave's round-1 message (a proxy answering `409 waiting: [4]`) and one that never
 *   finishes computing: every `join` ends with a one-line DKG_TIMEOUT and the right suspects (dave or the
 *   coordinator; for dave, whose message it acknowledged, the coordinator; the coordinator when it computes forever).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { collectJob, inlineRunner, workerRunner, type CollectJob, type CollectRunner } from '../../src/cli/commands/dkg-collector.js';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { PROTOCOL_HEADER, startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { parseDefinition } from '../../src/dkg/index.js';
import { cli, fails, hostKey, ok, round1, setup } from './dkg-helpers.js';

const LIMITS = { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 10000, requestTimeoutMs: 10000, maxConnections: 32 };
const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(url, { headers: { [PROTOCOL_HEADER]: '1' } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

const servers: RunningServer[] = [];
const proxies: Server[] = [];
afterAll(async () => {
  for (const p of proxies) {
    p.close();
    p.closeAllConnections();
  }
  for (const s of servers) await s.close();
});

/** A proxy to `target` that answers `GET …/results/round1` with `fake` itself. */
async function proxy(target: string, fake: unknown): Promise<string> {
  const up = new URL(target);
  const p = createServer((req, res) => {
    if (/\/results\/round1$/.test(req.url ?? '')) {
      const text = JSON.stringify(fake);
      res.writeHead(409, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    req.pipe(request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => (res.writeHead(r.statusCode ?? 502, r.headers), r.pipe(res))));
  });
  proxies.push(p);
  await new Promise<void>((done) => p.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(p.address() as AddressInfo).port}`;
}

describe('dkg serve: collect in the background; a withholding coordinator over HTTP (issue 18)', () => {
  it('answers 409 computing while the round-1 collect runs, then serves the result it stored first; a restart serves it without computing', async () => {
    const c = await setup('bg-collect');
    const definition = JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'));
    const id = parseDefinition(definition).idHex;
    const data = join(c.coord, 'data');
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const slow: CollectRunner = async (job) => {
      calls++;
      await gate;
      return inlineRunner(job);
    };
    const srv = await startDkgServer(await Inbox.open(data, definition), '127.0.0.1', 0, LIMITS, () => {}, undefined, slow);
    servers.push(srv);
    for (let i = 0; i < 4; i++) ok(await round1(c, i));
    ok(await cli('dkg', 'push', '--coordinator', srv.url, ...c.ops.slice(0, 3).map((d) => join(d, 'round1.json'))));
    expect(await get(`${srv.url}/v1/ceremonies/${id}/results/round1`)).toMatchObject({ status: 409, body: { waiting: [4] } });
    expect(calls).toBe(0);
    ok(await cli('dkg', 'push', '--coordinator', srv.url, join(c.ops[3]!, 'round1.json')));

    // the last message started the collect; it is held at the gate, and every request is answered meanwhile
    for (let k = 0; k < 3; k++) {
      const r = await get(`${srv.url}/v1/ceremonies/${id}/results/round1`);
      expect(r).toMatchObject({ status: 409, body: { computing: 'round1', waiting: [] } });
      expect(r.body.error).toBe('not yet: computing the round1 result');
    }
    expect(await get(`${srv.url}/v1/ceremonies/${id}/results/round2`)).toMatchObject({ status: 409, body: { computing: 'round1' } });
    expect(await get(`${srv.url}/v1/ceremonies/${id}`)).toMatchObject({ status: 200, body: { results: [] } });
    expect(existsSync(join(data, 'result-round1.json'))).toBe(false);
    await vi.waitFor(() => expect(calls).toBe(1)); // the collect reads the stored messages before it runs
    expect(await get(`${srv.url}/v1/ceremonies/${id}/results/round1`)).toMatchObject({ status: 409, body: { computing: 'round1' } });

    release();
    let r = await get(`${srv.url}/v1/ceremonies/${id}/results/round1`);
    for (let k = 0; r.status === 409 && k < 100; k++) {
      await new Promise((done) => setTimeout(done, 50));
      r = await get(`${srv.url}/v1/ceremonies/${id}/results/round1`);
    }
    expect(r.status).toBe(200);
    expect(r.body.format).toBe('dvkeys/dkg-collected');
    expect(JSON.parse(readFileSync(join(data, 'result-round1.json'), 'utf8'))).toEqual(r.body);
    expect(await get(`${srv.url}/v1/ceremonies/${id}/results/round2`)).toMatchObject({ status: 409, body: { waiting: [1, 2, 3, 4] } });
    expect(calls).toBe(1);

    // a restarted server on the same directory serves the stored result and computes nothing
    let again = 0;
    const srv2 = await startDkgServer(await Inbox.open(data, definition), '127.0.0.1', 0, LIMITS, () => {}, undefined, async (job) => (again++, inlineRunner(job)));
    servers.push(srv2);
    expect(await get(`${srv2.url}/v1/ceremonies/${id}/results/round1`)).toEqual({ status: 200, body: r.body });
    expect(again).toBe(0);

    // the worker thread a large ceremony uses computes the same result as the main thread
    const job: CollectJob = { stage: 'round1', definition, messages: c.ops.map((d) => JSON.parse(readFileSync(join(d, 'round1.json'), 'utf8'))) };
    expect(await workerRunner(job)).toEqual(collectJob(job));
  }, 120000);

  it('a coordinator that withholds a message or never finishes: each join ends in one DKG_TIMEOUT line naming the right suspects', async () => {
    const c = await setup('withhold');
    const definition = JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'));
    const srv = await startDkgServer(await Inbox.open(join(c.coord, 'data'), definition), '127.0.0.1', 0, LIMITS);
    servers.push(srv);
    // dave's round-1 message is stored (201) but the coordinator claims it is still waiting for it
    const withholds = await proxy(srv.url, { error: 'not yet: waiting for the round-1 messages of participant(s) 4', waiting: [4] });
    const computes = await proxy(srv.url, { error: 'not yet: computing the round1 result', waiting: [], computing: 'round1' });
    const urls = [withholds, withholds, computes, withholds];
    const runs = await Promise.all(c.ops.map((dir, i) => cli('dkg', 'join', '--coordinator', urls[i]!, ...hostKey(dir, i), '--ceremony-id', c.fingerprint, '--out', join(dir, 'validator-keys'), '--insecure-keys', '--step-timeout', '4')));
    const lines = runs.map((r) => fails(r, 'DKG_TIMEOUT'));
    for (const i of [0, 1]) {
      expect(runs[i]!.out).toContain('waiting for participant 4 (dave)');
      expect(lines[i]).toBe(
        'dvkeys dkg: error: round 1: timed out after 4 s; the ceremony is waiting for participant 4 (dave), says the coordinator; nothing is proven, suspect (the sender or the coordinator): participant 4 (dave); run the same dkg join again to resume [DKG_TIMEOUT]',
      );
    }
    expect(runs[2]!.out).toContain('the coordinator is computing the round 1 result');
    expect(lines[2]).toContain('round 1: timed out after 4 s; the coordinator was still computing the result (suspect: the coordinator)');
    expect(lines[3]).toContain('the coordinator says the ceremony is waiting for you (participant 4 (dave)), but it acknowledged your message: the coordinator withholds it (suspect: the coordinator)');
    // dave's message is in the real server: the withholding was the proxy's
    expect((await get(`${srv.url}/v1/ceremonies/${parseDefinition(definition).idHex}`)).body.messages).toMatchObject({ round1: [1, 2, 3, 4] });
    // culprits in --json: the suspects (dave and the coordinator), or the coordinator alone
    const again = await cli('dkg', 'join', '--coordinator', withholds, ...hostKey(c.ops[0]!, 0), '--ceremony-id', c.fingerprint, '--out', join(c.ops[0]!, 'validator-keys'), '--insecure-keys', '--step-timeout', '1', '--json');
    expect(JSON.parse(again.out.trim().split('\n').pop()!)).toMatchObject({ error: { code: 'DKG_TIMEOUT', culprits: ['4', 'coordinator'] } });
  }, 120000);
});
