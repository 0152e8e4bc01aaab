/**
 * Issue 18 part 5: the memory of a `dkg serve` process (its own process, started and stopped here) under hostile
 * input: oversized bodies (declared and streamed) and malformed JSON, then 80 oversized requests at once, then slowloris
 * connections beyond the connection cap with more streamed bodies. The server's peak resident memory (VmHWM in /proc/PID/status) may grow by at most 64 MiB over
 * its idle peak: at most --max-connections bodies of at most the body cap are ever buffered (here 64 × ~72 KiB), so
 * an unbounded buffer (a missing cap, a body read before the check) would blow through it. It still answers after.
 */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setup } from './dkg-helpers.js';
import { serveProcess, stopAll } from './dkg-net-helpers.js';

afterAll(() => stopAll());

const kib = (pid: number, field: 'VmRSS' | 'VmHWM'): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

/** One POST; resolves with the status, or 0 when the server cut the connection. */
function post(url: string, path: string, headers: Record<string, string | number>, body: (write: (b: Buffer) => boolean, end: () => void) => void): Promise<number> {
  return new Promise((ok) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'dvkeys-dkg-protocol': '1', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
      res.on('error', () => ok(res.statusCode ?? 0));
    });
    req.on('error', () => ok(0));
    body((b) => req.write(b), () => req.end());
  });
}

describe('dkg serve memory under hostile input (issue 18 part 5)', () => {
  it('peak memory stays bounded under oversized bodies, slowloris and garbage; the server answers after', async () => {
    const c = await setup('mem');
    const { proc, url } = await serveProcess(join(c.coord, 'definition.json'), join(c.coord, 'data'), 0, ['--request-timeout', '3', '--max-connections', '64', '--max-connections-per-address', '64']);
    const pid = proc.child.pid!;
    const id = await new Promise<string>((ok) => request(`${url}/v1/ceremonies`, { headers: { 'dvkeys-dkg-protocol': '1' } }, (r) => {
      let t = '';
      r.on('data', (d: Buffer) => (t += d.toString()));
      r.on('end', () => ok((JSON.parse(t) as { ceremonies: { ceremonyId: string }[] }).ceremonies[0]!.ceremonyId));
    }).end());
    const path = `/v1/ceremonies/${id}/messages`;
    const status = (): Promise<number> => new Promise((ok) => request(`${url}/v1/ceremonies/${id}`, { headers: { 'dvkeys-dkg-protocol': '1' } }, (r) => (r.resume(), ok(r.statusCode ?? 0))).on('error', () => ok(0)).end());
    expect(await status()).toBe(200);
    const idle = kib(pid, 'VmHWM');
    const { port } = new URL(url);

    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    // 40 bodies of malformed JSON at once; then 40 declaring 1 GB and 40 streaming 16 MiB each without a length, at once
    const declared = (): Promise<number>[] => Array.from({ length: 40 }, () => post(url, path, { 'content-type': 'application/json', 'content-length': 1e9 }, (w, end) => (w(chunk), end())));
    const streamed = (): Promise<number>[] => Array.from({ length: 40 }, () =>
      post(url, path, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, (w, end) => {
        for (let m = 0; m < 16; m++) w(chunk);
        end();
      }),
    );
    const garbage = await Promise.all(Array.from({ length: 40 }, (_, k) => post(url, path, { 'content-type': 'application/json' }, (w, end) => (w(Buffer.from(`{"format":"dvkeys/dkg-round1","x":${'['.repeat(k * 50)}`)), end()))));
    const codes = [...garbage, ...(await Promise.all([...declared(), ...streamed()]))];
    // then, with the connection cap taken by slow clients, more streamed bodies (dropped or refused)
    // slowloris: 150 connections (the cap is 64) that send a header byte every 200 ms
    const slow: Socket[] = [];
    for (let k = 0; k < 150; k++) {
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => {});
      s.resume();
      s.write(`POST ${path} HTTP/1.1\r\nHost: x\r\n`);
      slow.push(s);
    }
    const drip = setInterval(() => slow.forEach((s) => s.destroyed || s.write('x')), 200);
    const more = await Promise.all(Array.from({ length: 40 }, () => post(url, path, { 'transfer-encoding': 'chunked' }, (w, end) => (w(chunk), w(chunk), end()))));
    await new Promise((ok) => setTimeout(ok, 4000)); // past --request-timeout: the slow clients are cut off
    clearInterval(drip);
    const cut = slow.filter((s) => s.destroyed || s.readableEnded).length;
    expect(cut).toBe(150); // 86 dropped at the cap, 64 cut at --request-timeout
    slow.forEach((s) => s.destroy());

    const peak = kib(pid, 'VmHWM');
    const rss = kib(pid, 'VmRSS');
    console.info(`dkg serve memory: idle peak ${idle} KiB, peak under attack ${peak} KiB (+${peak - idle} KiB), RSS after ${rss} KiB; 413/400/0 counts: ${[413, 400, 0].map((s) => codes.filter((x) => x === s).length).join('/')}; slow connections cut ${cut} of 150 (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}, 2 shared cores)`);
    expect(peak - idle).toBeLessThan(64 * 1024);
    // nothing was accepted, and every refusal was a 4xx or a cut connection (never a 2xx or a 5xx)
    expect([...codes, ...more].every((s) => s === 413 || s === 400 || s === 0)).toBe(true);
    expect(codes.filter((s) => s === 413).length).toBeGreaterThan(0);
    expect(codes.filter((s) => s === 400).length).toBeGreaterThan(0);
    expect(await status()).toBe(200);
    const st = await new Promise<string>((ok) => request(`${url}/v1/ceremonies/${id}`, { headers: { 'dvkeys-dkg-protocol': '1' } }, (r) => {
      let t = '';
      r.on('data', (d: Buffer) => (t += d.toString()));
      r.on('end', () => ok(t));
    }).end());
    expect((JSON.parse(st) as { messages: Record<string, number[]> }).messages).toEqual({ round1: [], ack: [], complaint: [], ready: [] });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  }, 180000);
});
