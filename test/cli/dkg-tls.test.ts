/**
 * Issue 18 part 4: `dkg serve --tls-cert/--tls-key` (node:https) and `--ca` on the clients, with a self-signed
 * certificate made here by openssl. A whole 3-of-4 ceremony runs with four `dkg join` over https (in this process,
 * concurrently); a client without `--ca` refuses the certificate; a server given half a TLS pair or a bad key
 * refuses to start in one line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { cli, fails, hostKey, ok, setup } from './dkg-helpers.js';

const LIMITS = { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 10000, requestTimeoutMs: 10000, maxConnections: 32 };

describe('dkg serve over TLS (issue 18 part 4)', () => {
  let srv: RunningServer | undefined;
  afterAll(async () => srv?.close());

  it('runs a ceremony over https with --ca; without it the self-signed certificate is refused', async () => {
    const c = await setup('tls');
    const cert = join(c.coord, 'cert.pem');
    const key = join(c.coord, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const definition = join(c.coord, 'definition.json');

    // the CLI refuses half a pair and a key that is no key, before it listens
    const half = await cli('dkg', 'serve', '--definition', definition, '--data', join(c.coord, 'd0'), '--listen', '127.0.0.1:0', '--tls-cert', cert);
    expect(half.code).toBe(2);
    expect(half.err).toContain('--tls-cert FILE and --tls-key FILE go together');
    writeFileSync(join(c.coord, 'bad.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(fails(await cli('dkg', 'serve', '--definition', definition, '--data', join(c.coord, 'd0'), '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', join(c.coord, 'bad.pem')), 'INVALID_FORMAT')).toContain('not a usable PEM certificate chain and matching private key');

    srv = await startDkgServer(await Inbox.open(join(c.coord, 'data'), JSON.parse(readFileSync(definition, 'utf8'))), '127.0.0.1', 0, LIMITS, () => {}, { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') });
    expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    // without --ca: the certificate is not trusted (one line)
    const untrusted = await cli('dkg', 'status', '--coordinator', srv.url, '--definition', join(c.ops[0]!, 'definition.json'), '--retries', '0');
    expect(fails(untrusted, 'IO_FAILED')).toMatch(/self[- ]signed certificate/);
    // with --ca: status works, and an http:// client gets no answer it could mistake for the server's
    ok(await cli('dkg', 'status', '--coordinator', srv.url, '--definition', join(c.ops[0]!, 'definition.json'), '--ca', cert));
    fails(await cli('dkg', 'status', '--coordinator', srv.url.replace('https', 'http'), '--definition', join(c.ops[0]!, 'definition.json'), '--retries', '0', '--timeout', '5'), 'IO_FAILED');

    // the whole ceremony: four joins over https, concurrently
    const runs = await Promise.all(c.ops.map((dir, i) => cli('dkg', 'join', '--coordinator', srv!.url, '--ca', cert, ...hostKey(dir, i), '--ceremony-id', c.fingerprint, '--out', join(dir, 'validator-keys'), '--insecure-keys', '--step-timeout', '300')));
    runs.forEach((r) => expect(r.out, r.err).toContain('Done: '));
    runs.forEach((r) => ok(r));
    const deposit = readFileSync(join(c.ops[0]!, 'validator-keys', 'deposit-data.json'), 'utf8');
    for (const dir of c.ops) expect(readFileSync(join(dir, 'validator-keys', 'deposit-data.json'), 'utf8')).toBe(deposit);
    expect(ok(await cli('verify', join(c.ops[2]!, 'validator-keys'))).out).toContain('All checks passed.');
  }, 400000);
});
