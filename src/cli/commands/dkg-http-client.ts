/**
 * The HTTP client of `dkg push`, `pull`, `status` and `join` (issue 18; docs/protocols/dkg-http.md "TLS"): one
 * request over node:http or node:https, bounded in size (declared and streamed) and in time (connection, headers and
 * body together), with an optional CA certificate to trust for `https://` instead of the system's (`--ca FILE`: a
 * coordinator's self-signed certificate, or a private CA). Every request carries the protocol header.
 *
 * Network failures reject with a plain Error (the callers retry them); a timeout with an Error named `TimeoutError`;
 * an answer over the cap with DvkeysError `LIMIT_EXCEEDED` (never retried).
 *
 * @module
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import { DvkeysError } from '../../errors.js';
import { readText } from '../files.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from './dkg-serve.js';

/** How one request is bounded. */
export interface RequestBounds {
  /** Largest answer body read, in bytes. */
  readonly maxBytes: number;
  /** Time for the whole exchange (connect, headers, body), in ms. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** PEM certificates to trust for https (instead of the system's). */
  readonly ca?: string;
}

/** Largest `--ca` file read: 1 MiB. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

/** Reads `--ca FILE` (PEM), or undefined when not given. */
export async function caOption(path: string | undefined, cwd: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const text = await readText(resolve(cwd, path), MAX_CA_FILE_BYTES, 'CA certificate file');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new DvkeysError('INVALID_FORMAT', `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, { field: '--ca' });
  return text;
}

function timeoutError(ms: number): Error {
  const e = new Error(`no complete answer within ${ms / 1000} s`);
  e.name = 'TimeoutError';
  return e;
}

/**
 * One request; resolves with the status and the body text.
 * @throws DvkeysError `LIMIT_EXCEEDED`; Error (network, cut short, TimeoutError, aborted).
 */
export function dkgRequest(url: string, method: 'GET' | 'POST', body: string | undefined, b: RequestBounds): Promise<{ status: number; text: string }> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const headers: Record<string, string | number> = { [PROTOCOL_HEADER]: PROTOCOL_VERSION };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const options = { method, headers, ...(b.ca === undefined ? {} : { ca: b.ca }) };
    let settled = false;
    const done = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      b.signal.removeEventListener('abort', onAbort);
      f();
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, options, (res: IncomingMessage) => {
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > b.maxBytes) {
        res.destroy();
        done(() => fail(new DvkeysError('LIMIT_EXCEEDED', `the coordinator's answer declares ${declared} bytes, more than the ${b.maxBytes} this ceremony's messages can take; nothing written`, { field: '--coordinator' })));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > b.maxBytes) {
          res.destroy();
          done(() => fail(new DvkeysError('LIMIT_EXCEEDED', `the coordinator's answer exceeds the ${b.maxBytes} bytes this ceremony's messages can take; nothing written`, { field: '--coordinator' })));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        if (!res.complete) done(() => fail(new Error('the answer was cut short')));
        else done(() => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      res.on('error', (e) => done(() => fail(e)));
      res.on('close', () => done(() => fail(new Error('the answer was cut short'))));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(() => fail(timeoutError(b.timeoutMs)));
    }, b.timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      done(() => fail(new Error('aborted')));
    };
    if (b.signal.aborted) return onAbort();
    b.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => done(() => fail(e)));
    req.end(body);
  });
}
