/**
 * `dvkeys dkg serve`: the coordinator as an HTTP server over node:http (issue 18, design section 11;
 * docs/protocols/dkg-http.md). It holds no secret and stays untrusted: it accepts only participant messages signed
 * by a host key its definition enrolls, stores each one (file and folder fsynced) before it answers 201, and relays
 * them to anyone who asks. A killed server restarts from its data directory. Requests are capped: the body (from
 * the definition: about twice the largest message it allows), the time to send headers and the whole request
 * (slow clients are cut off), and the number of connections. Every refusal is a 4xx with a one-line JSON reason.
 *
 * It also runs the collect steps of rounds 1, 2 and 3 on the stored messages (dkg-collector.ts, decision 0437),
 * serves the definition, and lists its ceremony, so `dkg join` operators talk only to it. Not here: TLS (run it
 * behind a reverse proxy that terminates TLS).
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { ceremonyFingerprint, parseDefinition } from '../../dkg/index.js';
import { DvkeysError } from '../../errors.js';
import { intOption, parse } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_SMALL_FILE_BYTES, readJsonFile } from './dkg-files.js';
import { readText } from '../files.js';
import { Inbox, InboxRefusal, MESSAGE_KINDS, type MessageKind } from './dkg-inbox.js';
import { Collector, STAGES, type CollectRunner, type Stage } from './dkg-collector.js';

/** The version of the HTTP protocol, sent by every client in the {@link PROTOCOL_HEADER} header. */
export const PROTOCOL_VERSION = '1';
/** The request header naming the client's protocol version. */
export const PROTOCOL_HEADER = 'dvkeys-dkg-protocol';

/** Limits of one server. */
export interface ServeLimits {
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Time a client has to send its headers, in ms. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send its whole request, in ms. */
  readonly requestTimeoutMs: number;
  /** Most open connections. */
  readonly maxConnections: number;
  /**
   * Most open connections from one remote address (default: `maxConnections`, no cap of its own; the CLI's default
   * is a quarter of it), so one client cannot take every slot (decision 0446).
   */
  readonly maxConnectionsPerAddress?: number;
}

/** The body cap of a ceremony: twice the largest round-1 message its n, t and V allow, plus 64 KiB. */
export function bodyCap(shape: { readonly n: number; readonly t: number; readonly V: number }): number {
  const str = (bytes: number): number => 2 + 2 * bytes + 24;
  const round1 = shape.V * (shape.t * str(96) + str(96) + str(32) + 64) + shape.n * str(32 * shape.V + 16) + 1024;
  return 2 * round1 + 64 * 1024;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A ceremony served: its stored messages and the collect steps over them. */
export interface Served {
  readonly inbox: Inbox;
  readonly collector: Collector;
  /** The last `GET …/messages/KIND` answer text per kind, with the store size it was made at. */
  readonly lists: Map<MessageKind, { size: number; text: string }>;
}

/**
 * Most requests of one connection in progress at once (attack a13: thousands of pipelined GETs from a client that
 * never reads). A connection past it is closed.
 */
export const MAX_PIPELINED = 4;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(status >= 400 ? { connection: 'close' } : {}) });
  res.end(text);
}

/** Reads a request body up to `max` bytes. @throws InboxRefusal 413 beyond it. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) return Promise.reject(new InboxRefusal(413, `the body is larger than the ${max} bytes this ceremony's messages can take`));
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        fail(new InboxRefusal(413, `the body is larger than the ${max} bytes this ceremony's messages can take`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

async function handle(served: Served, limits: ServeLimits, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { inbox, collector } = served;
  const version = req.headers[PROTOCOL_HEADER];
  if (version !== PROTOCOL_VERSION) {
    throw new InboxRefusal(400, `this server speaks dvkeys DKG protocol ${PROTOCOL_VERSION}; the request ${typeof version === 'string' ? `says ${version}` : `has no ${PROTOCOL_HEADER} header`}`);
  }
  const parts = (req.url ?? '').split('?')[0]!.split('/').filter((p) => p !== '');
  if (parts[0] !== 'v1' || parts[1] !== 'ceremonies' || parts.length < 2 || parts.length > 5) throw new InboxRefusal(404, 'no such resource (see docs/protocols/dkg-http.md)');
  const def = inbox.definition;
  if (parts.length === 2) {
    if (req.method !== 'GET') throw new InboxRefusal(405, 'GET only');
    send(res, 200, { protocol: Number(PROTOCOL_VERSION), ceremonies: [{ ceremonyId: def.idHex, fingerprint: ceremonyFingerprint(def.json) }] });
    return;
  }
  if (parts[2] !== def.idHex) throw new InboxRefusal(404, `unknown ceremony ${parts[2]!.slice(0, 80)}: this server serves ${def.idHex}`);
  if (parts.length === 3) {
    if (req.method !== 'GET') throw new InboxRefusal(405, 'GET only');
    send(res, 200, { protocol: Number(PROTOCOL_VERSION), ceremonyId: def.idHex, fingerprint: ceremonyFingerprint(def.json), n: def.n, t: def.t, V: def.V, messages: inbox.status(), results: collector.finished() });
    return;
  }
  if (parts[3] === 'definition' && parts.length === 4) {
    if (req.method !== 'GET') throw new InboxRefusal(405, 'GET only');
    send(res, 200, def.json);
    return;
  }
  if (parts[3] === 'results' && parts.length === 5) {
    if (req.method !== 'GET') throw new InboxRefusal(405, 'GET only');
    const stage = parts[4]!;
    if (!(STAGES as readonly string[]).includes(stage)) throw new InboxRefusal(404, `no stage ${stage.slice(0, 40)} (round1, round2, round3)`);
    const r = collector.result(stage as Stage);
    if (r.state === 'done') {
      // the bytes the collector serialised once for this result (not once per GET)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': r.body.length });
      res.end(r.body);
    } else if (r.state === 'waiting') send(res, 409, { error: `not yet: waiting for the ${r.what} of participant(s) ${r.waiting.join(', ')}`, waiting: r.waiting });
    else if (r.state === 'computing') send(res, 409, { error: `not yet: computing the ${r.stage} result`, waiting: [], computing: r.stage });
    else if (r.state === 'failed') send(res, 422, { error: r.reason });
    else send(res, 500, { error: r.reason });
    return;
  }
  if (parts[3] !== 'messages') throw new InboxRefusal(404, 'no such resource (see docs/protocols/dkg-http.md)');
  if (parts.length === 4) {
    if (req.method !== 'POST') throw new InboxRefusal(405, 'POST only');
    const text = await readBody(req, limits.maxBodyBytes);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InboxRefusal(400, 'the body is not JSON');
    }
    const name = await inbox.accept(value);
    collector.kick();
    send(res, 201, { stored: name });
    return;
  }
  const kind = parts[4]!;
  if (!(Object.values(MESSAGE_KINDS) as string[]).includes(kind)) throw new InboxRefusal(404, `no message kind ${kind.slice(0, 40)} (round1, ack, complaint, ready)`);
  if (req.method !== 'GET') throw new InboxRefusal(405, 'GET only');
  // one answer text per kind and store size: a flood of GETs costs no file reads and shares one string. The size is
  // taken before the reads (attack a18): a message stored while they run leaves the list cached under the older
  // size, so the next GET builds it again instead of answering it without that message
  const size = inbox.size;
  const cached = served.lists.get(kind as MessageKind);
  const text = cached?.size === size ? cached.text : JSON.stringify(await inbox.list(kind as MessageKind));
  if (cached?.size !== size && (served.lists.get(kind as MessageKind)?.size ?? -1) <= size) served.lists.set(kind as MessageKind, { size, text });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) + 1 });
  res.end(`${text}\n`);
}

/**
 * Starts a server for the ceremony of `inbox` on host:port (port 0: any free one). `collect` replaces how the
 * collect steps run (tests slow them down); by default a worker thread for a large ceremony.
 */
export async function startDkgServer(
  inbox: Inbox,
  host: string,
  port: number,
  limits: ServeLimits,
  log: (line: string) => void = () => {},
  tls?: { readonly cert: string; readonly key: string },
  collect?: CollectRunner,
): Promise<RunningServer> {
  const served: Served = { inbox, collector: await Collector.open(inbox, { log, ...(collect === undefined ? {} : { run: collect }) }), lists: new Map() };
  const inFlight = new WeakMap<object, number>();
  const refused = new WeakSet<object>();
  const options = { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: Math.max(100, Math.min(1000, limits.headersTimeoutMs / 2)), keepAliveTimeout: 5000 };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    // attack a13: bound the pipelined requests of one connection, and close a connection whose answer makes no
    // progress for a request timeout (a client that never reads)
    const socket = req.socket;
    if (refused.has(socket)) return void socket.destroy();
    const count = (inFlight.get(socket) ?? 0) + 1;
    inFlight.set(socket, count);
    if (count > MAX_PIPELINED) return void socket.destroy();
    let written = -1;
    const stall = setInterval(() => {
      if (res.writableEnded && socket.bytesWritten === written) socket.destroy();
      written = socket.bytesWritten;
    }, limits.requestTimeoutMs);
    res.on('close', () => {
      clearInterval(stall);
      inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
    });
    handle(served, limits, req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof InboxRefusal) send(res, e.status, { error: e.message });
      else if (e instanceof DvkeysError) send(res, 500, { error: `could not store the message: ${e.code}` });
      else {
        log(`internal error on ${req.method ?? '?'} ${(req.url ?? '').slice(0, 100)}: ${e instanceof Error ? e.message : String(e)}`);
        send(res, 500, { error: 'internal error' });
      }
      if (e instanceof InboxRefusal && e.status === 413) res.on('finish', () => req.destroy());
    });
  };
  // TLS: node:https with the same limits; a failed handshake costs a connection slot until Node drops it
  const server: Server = tls === undefined ? createServer(options, listener) : createTlsServer({ ...options, cert: tls.cert, key: tls.key, handshakeTimeout: limits.headersTimeoutMs }, listener);
  server.maxConnections = limits.maxConnections;
  // one remote address gets at most maxConnectionsPerAddress of the slots: past it, a one-line 503 (over plain HTTP;
  // over TLS the connection is closed, nothing can be said before the handshake) and the connection is closed
  const perAddress = new Map<string, number>();
  const cap = limits.maxConnectionsPerAddress ?? limits.maxConnections;
  server.on('connection', (socket: Socket) => {
    const addr = socket.remoteAddress ?? '?';
    const count = (perAddress.get(addr) ?? 0) + 1;
    if (count > cap) {
      refused.add(socket);
      if (tls !== undefined) return void socket.destroy();
      const body = `${JSON.stringify({ error: `too many connections from ${addr.slice(0, 60)} (at most ${cap} at once); retry later` })}\n`;
      socket.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => socket.destroy());
      return;
    }
    perAddress.set(addr, count);
    socket.once('close', () => {
      const left = (perAddress.get(addr) ?? 1) - 1;
      if (left > 0) perAddress.set(addr, left);
      else perAddress.delete(addr);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `${tls === undefined ? 'http' : 'https'}://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** `HOST:PORT` (IPv6 in brackets). */
function listenOption(value: string | undefined): { host: string; port: number } {
  if (value === undefined) throw new UsageError('--listen HOST:PORT is required (for example 127.0.0.1:8080; port 0 picks a free one)');
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  const port = m === null ? -1 : Number(m[3]);
  if (m === null || port > 65535) throw new UsageError(`--listen expects HOST:PORT, not ${value}`);
  return { host: m[1] ?? m[2]!, port };
}

/**
 * `dkg serve --definition FILE --data DIR --listen HOST:PORT [--max-body-bytes N] [--request-timeout SECONDS]
 * [--max-connections N] [--max-connections-per-address N]`: serves until SIGINT or SIGTERM, then exits 0.
 */
export async function serveRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    definition: { type: 'string' },
    data: { type: 'string' },
    listen: { type: 'string' },
    'max-body-bytes': { type: 'string' },
    'request-timeout': { type: 'string' },
    'max-connections': { type: 'string' },
    'max-connections-per-address': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (v.definition === undefined) throw new UsageError('--definition FILE is required (the ceremony this server relays)');
  if (v.data === undefined) throw new UsageError('--data DIR is required (where every accepted message is stored)');
  const { host, port } = listenOption(v.listen);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new UsageError('--tls-cert FILE and --tls-key FILE go together (PEM certificate chain and its private key)');
  const tls = v['tls-cert'] === undefined ? undefined : { cert: await readText(resolve(io.cwd, v['tls-cert']), 1024 * 1024, 'TLS certificate'), key: await readText(resolve(io.cwd, v['tls-key']!), 1024 * 1024, 'TLS private key') };
  if (tls !== undefined) {
    try {
      createSecureContext(tls);
    } catch (e) {
      throw new DvkeysError('INVALID_FORMAT', `--tls-cert/--tls-key: not a usable PEM certificate chain and matching private key (${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'})`, { field: '--tls-cert' });
    }
  }
  const def = parseDefinition(await readJsonFile(io, v.definition, MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  const timeout = (intOption(v['request-timeout'], '--request-timeout', 1) ?? 30) * 1000;
  let limits: ServeLimits = {
    maxBodyBytes: intOption(v['max-body-bytes'], '--max-body-bytes', 1024) ?? bodyCap(def),
    headersTimeoutMs: timeout,
    requestTimeoutMs: timeout,
    maxConnections: intOption(v['max-connections'], '--max-connections', 1) ?? 64,
  };
  const perAddress = intOption(v['max-connections-per-address'], '--max-connections-per-address', 1) ?? Math.ceil(limits.maxConnections / 4);
  if (perAddress > limits.maxConnections) throw new UsageError(`--max-connections-per-address ${perAddress} is above --max-connections ${limits.maxConnections}`);
  limits = { ...limits, maxConnectionsPerAddress: perAddress };
  const dir = resolve(io.cwd, v.data);
  const inbox = await Inbox.open(dir, def.json, (l) => io.err(`dvkeys dkg serve: ${l}`));
  const running = await startDkgServer(inbox, host, port, limits, (l) => io.err(`dvkeys dkg serve: ${l}`), tls);
  if (v.json === true) io.out(JSON.stringify({ ok: true, url: running.url, ceremonyId: def.idHex, data: dir, stored: inbox.size }));
  else {
    io.out(`Serving ceremony ${ceremonyFingerprint(def.json)} (${def.n} operators) on ${running.url}; ${inbox.size} message(s) already in ${dir}.`);
    io.out(`Operators send their messages with: dvkeys dkg push --coordinator ${running.url} FILE...`);
  }
  await new Promise<void>((ok) => {
    if (io.signal.aborted) ok();
    else io.signal.addEventListener('abort', () => ok(), { once: true });
  });
  await running.close();
  return 0;
}
