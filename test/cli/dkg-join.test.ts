/**
 * Issue 18, `dvkeys dkg join` over `dkg serve`, every party its own process on loopback (started and stopped here):
 * - 4 operators + the server, 3 of 4, 2 validators: one operator is SIGKILLed while it waits in round 1 and restarted
 *   (it resumes without a second deal, taking over its stale join lock), a second join with a running operator's host
 *   key is refused, and every folder passes `dvkeys verify`, 3 of them `dvkeys combine`;
 * - a coordinator that alters a relayed round-1 message (a proxy in front of the real server, for one operator): that
 *   operator's verdict names the coordinator; the three others, whose Acks were sent, time out waiting for it and
 *   name it as the suspect.
 */
import { createServer, request, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { bytesToHex } from '../../src/bytes.js';
import { cli, fails, hostKey, ok, setup, type Ceremony } from './dkg-helpers.js';
import { dvkeys, kill9, serveProcess, stopAll, until, type Proc } from './dkg-net-helpers.js';

const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;

function joinArgs(c: Ceremony, url: string, i: number, stepTimeout: number): string[] {
  return ['dkg', 'join', '--coordinator', url, ...hostKey(c.ops[i]!, i), '--ceremony-id', c.fingerprint, '--out', join(c.ops[i]!, 'validator-keys'), '--insecure-keys', '--step-timeout', String(stepTimeout)];
}

/** The last error line of a process (main() prints one). */
const errorLine = (p: Proc): string => p.err.trim().split('\n').filter((l) => !l.includes('WARNING')).pop() ?? '';

afterAll(() => stopAll());

describe('dvkeys dkg join: one process per operator against dkg serve (issue 18)', () => {
  it('completes 3-of-4 with an operator SIGKILLed mid-round and restarted (no second deal); folders verify and combine', async () => {
    const c = await setup('join');
    const data = join(c.coord, 'server-data');
    const server = await serveProcess(join(c.coord, 'definition.json'), data);

    // a wrong fingerprint is refused before anything is done
    const wrong = await cli('dkg', 'join', '--coordinator', server.url, ...hostKey(c.ops[3]!, 3), '--ceremony-id', '0000-0000-0000-0000-0000', '--out', join(c.ops[3]!, 'nope'));
    expect(fails(wrong, 'CEREMONY_MISMATCH')).toContain('serves no ceremony 0000-0000-0000-0000-0000');
    expect(existsSync(join(c.ops[3]!, 'nope.join', 'round1.json'))).toBe(false);

    const procs: Proc[] = [0, 1, 2].map((i) => dvkeys(joinArgs(c, server.url, i, 240)));
    for (const p of procs) await until(p, /waiting for participant 4 \(dave\)/);
    for (const p of procs) expect(p.out).toMatch(/\[1\/5\] enroll: ceremony .*you are participant \d \((alice|bob|carol)\)\n\[2\/5\] round 1: dealt/);

    // a second join with alice's host key while hers runs is refused, and changes nothing
    const second = await cli(...joinArgs(c, server.url, 0, 5));
    expect(fails(second, 'DKG_JOURNAL_LOCKED')).toMatch(/another dvkeys dkg join runs with this host key \(pid \d+ on /);

    // bob is killed while he waits in round 1 (after his deal); his lock stays behind
    await kill9(procs[1]!);
    expect(existsSync(join(c.ops[1]!, 'host-key.json.join.lock'))).toBe(true);
    const dave = dvkeys(joinArgs(c, server.url, 3, 240));
    const bob = dvkeys(joinArgs(c, server.url, 1, 240));
    const all = [procs[0]!, bob, procs[2]!, dave];
    const results = await Promise.all(all.map((p) => p.exited));
    results.forEach((r, i) => expect(r.code, `${all[i]!.out}\n${all[i]!.err}`).toBe(0));
    expect(bob.out).toContain('[2/5] round 1: already dealt (resumed)');
    expect(bob.err).toMatch(/took over the stale join lock .*host-key\.json\.join\.lock \(pid \d+ of .* no longer runs\)/);
    // Between READY and Done a participant may wait for others or, when its GET comes while the coordinator collects
    // in the background (409), be told so (decision 0446); both lines are progress, in any order.
    for (const p of all) expect(p.out).toMatch(/\[5\/5\] round 3: READY sent\n( {2}(waiting for|the coordinator is computing) .*\n)*Done: /);

    // no second deal: one journal entry and one stored round-1 message of bob's
    const journal = readFileSync(join(c.ops[1]!, 'host-key.json.journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(journal.filter((e) => e.event === 'dealt')).toHaveLength(1);
    const stored = readdirSync(data);
    expect(stored.filter((f) => f.startsWith('round1-')).map((f) => f.split('-')[1]).sort()).toEqual(['1', '2', '3', '4']);
    expect(stored).toEqual(expect.arrayContaining(['result-round1.json', 'result-round2.json']));
    for (const dir of c.ops) expect(existsSync(join(dir, 'host-key.json.join.lock'))).toBe(false);

    // every folder verifies, holds the same deposit data with its certificate, and 3 of them combine
    const folders = c.ops.map((d) => join(d, 'validator-keys'));
    const deposit = readFileSync(join(folders[0]!, 'deposit-data.json'), 'utf8');
    for (const f of folders) {
      expect(readFileSync(join(f, 'deposit-data.json'), 'utf8')).toBe(deposit);
      expect(existsSync(join(f, 'deposit-certificate.json'))).toBe(true);
      expect(ok(await cli('verify', f)).out).toContain('All checks passed.');
    }
    const back = join(c.base, 'combined');
    ok(await cli('combine', '--in', folders[1]!, '--in', folders[3]!, '--in', folders[0]!, '--out', back, '--insecure-keys'));
    const pubkeys = (JSON.parse(deposit) as { pubkey: string }[]).map((d) => d.pubkey);
    for (let v = 0; v < 2; v++) {
      const ks = parseKeystore(readFileSync(join(back, `keystore-${v}.json`), 'utf8'));
      const secret = await decryptKeystore(ks, readFileSync(join(back, `keystore-${v}.txt`), 'utf8'));
      expect(pubkeys).toContain(bytesToHex(secretKeyToPublicKey(secret)));
    }
    server.proc.child.kill('SIGTERM');
    expect((await server.proc.exited).code).toBe(0);
  }, 600000);

  it('a coordinator altering a relayed message is named by the verdict; the others time out naming the silent operator', async () => {
    const c = await setup('join-proxy');
    const server = await serveProcess(join(c.coord, 'definition.json'), join(c.coord, 'server-data'));
    const target = new URL(server.url);
    // the proxy relays everything to the real server and alters participant 2's salt in the collected round 1
    let altered = 0;
    const proxy: Server = createServer((req, res) => {
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => {
          let body = Buffer.concat(chunks);
          if (r.statusCode === 200 && /\/results\/round1$/.test(req.url ?? '')) {
            const collected = JSON.parse(body.toString()) as { round1: { index: number; salt: string }[] };
            const m = collected.round1.find((x) => x.index === 2)!;
            m.salt = flip(m.salt);
            body = Buffer.from(JSON.stringify(collected));
            altered++;
          }
          res.writeHead(r.statusCode ?? 502, { ...r.headers, 'content-length': body.length });
          res.end(body);
        });
      });
      req.pipe(up);
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const alice = dvkeys(joinArgs(c, proxyUrl, 0, 240));
      const others = [1, 2, 3].map((i) => dvkeys(joinArgs(c, server.url, i, 45)));
      const a = await alice.exited;
      expect(a.code, alice.out + alice.err).toBe(1);
      expect(altered).toBe(1);
      expect(errorLine(alice)).toMatch(/^dvkeys dkg: error: DKG aborted at round 2: culprit: the coordinator; evidence: .*round2\.abort\.json.*\[DKG_ABORTED\]$/);
      expect(existsSync(join(c.ops[0]!, 'validator-keys'))).toBe(false);
      // the evidence convicts the coordinator for anyone
      const verified = await cli('dkg', 'verify-evidence', '--definition', join(c.ops[1]!, 'definition.json'), join(c.ops[0]!, 'validator-keys.join', 'round2.abort.json'));
      expect(verified.out + verified.err).toMatch(/coordinator/);
      for (const p of others) {
        const r = await p.exited;
        expect(r.code, p.out + p.err).toBe(1);
        expect(p.out).toContain('[3/5] round 2: every round-1 message and your shares checked; Ack sent');
        expect(errorLine(p)).toMatch(/^dvkeys dkg: error: round 2: timed out after 45 s; the ceremony is waiting for participant 1 \(alice\), says the coordinator; nothing is proven, suspect \(the sender or the coordinator\): participant 1 \(alice\);.*\[DKG_TIMEOUT\]$/);
      }
    } finally {
      proxy.close();
      proxy.closeAllConnections();
      server.proc.child.kill('SIGTERM');
      await server.proc.exited;
    }
  }, 600000);
});
