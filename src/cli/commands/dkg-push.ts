/**
 * `dvkeys dkg push --coordinator URL FILE...`: uploads message files (round-1 messages, Acks, complaints, READY) to
 * a `dkg serve` coordinator (issue 18; docs/protocols/dkg-http.md), for example for an air-gapped operator whose
 * files someone else carries, so one ceremony can mix the file flow and the server. Each file gets one line: stored,
 * already stored (an exact replay: the server kept it before), or refused with the server's reason. Network errors
 * are retried with backoff; the exit status is 1 if any file was not stored.
 *
 * @module
 */
import { DvkeysError } from '../../errors.js';
import { intOption, parse } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_MESSAGE_FILE_BYTES, readJsonFile } from './dkg-files.js';
import { caOption, dkgRequest } from './dkg-http-client.js';

/** The outcome of one upload. */
export type PushOutcome = { readonly ok: true; readonly already: boolean; readonly name: string } | { readonly ok: false; readonly status: number; readonly reason: string };

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((ok) => {
    const t = setTimeout(ok, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), ok()), { once: true });
  });

/**
 * POSTs one message to `<coordinator>/v1/ceremonies/<ceremonyId>/messages`, retrying network errors (not HTTP
 * refusals) `retries` times with backoff 0.5 s, 1 s, 2 s, …
 * @throws DvkeysError `IO_FAILED` when the server cannot be reached; AbortedError-like on the signal.
 */
export async function pushMessage(coordinator: string, value: unknown, o: { retries: number; timeoutMs: number; signal: AbortSignal; ca?: string }): Promise<PushOutcome> {
  const id = (value as { ceremonyId?: unknown }).ceremonyId;
  if (typeof id !== 'string' || !/^0x[0-9a-f]{64}$/.test(id)) throw new DvkeysError('INVALID_FORMAT', 'the message has no ceremonyId (0x + 64 hex digits)', { field: 'ceremonyId' });
  const url = `${coordinator.replace(/\/+$/, '')}/v1/ceremonies/${id}/messages`;
  const body = JSON.stringify(value);
  for (let attempt = 0; ; attempt++) {
    let res: { status: number; text: string };
    try {
      res = await dkgRequest(url, 'POST', body, { maxBytes: 64 * 1024, timeoutMs: o.timeoutMs, signal: o.signal, ...(o.ca === undefined ? {} : { ca: o.ca }) });
    } catch (e) {
      if (e instanceof DvkeysError) throw e;
      if (o.signal.aborted) throw new DvkeysError('ABORTED', 'interrupted while pushing');
      if (attempt >= o.retries) throw new DvkeysError('IO_FAILED', `cannot reach the coordinator at ${coordinator} after ${attempt + 1} attempt(s): ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, { field: '--coordinator' });
      await sleep(500 * 2 ** attempt, o.signal);
      continue;
    }
    const text = res.text;
    let answer: { stored?: unknown; error?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      // not JSON: reported below with the status
    }
    if (res.status === 201 && typeof answer.stored === 'string') return { ok: true, already: false, name: answer.stored };
    const reason = typeof answer.error === 'string' ? answer.error.slice(0, 300) : `HTTP ${res.status} without a reason`;
    const already = /^already stored as (\S+)$/.exec(reason);
    if (res.status === 409 && already !== null) return { ok: true, already: true, name: already[1]! };
    return { ok: false, status: res.status, reason };
  }
}

/** `dkg push --coordinator URL [--retries N] [--timeout SECONDS] FILE...`. */
export async function pushRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: files } = parse(args, { coordinator: { type: 'string' }, retries: { type: 'string' }, timeout: { type: 'string' }, ca: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (v.coordinator === undefined || !/^https?:\/\/[^\s/]+/.test(v.coordinator)) throw new UsageError('--coordinator URL is required (http://HOST:PORT of dvkeys dkg serve, or https:// behind a proxy)');
  if (files.length === 0) throw new UsageError('give the message files to push');
  const ca = await caOption(v.ca, io.cwd);
  const o = { retries: intOption(v.retries, '--retries', 0) ?? 3, timeoutMs: (intOption(v.timeout, '--timeout', 1) ?? 60) * 1000, signal: io.signal, ...(ca === undefined ? {} : { ca }) };
  const results: { file: string; outcome: PushOutcome }[] = [];
  for (const file of files) {
    const value = await readJsonFile(io, file, MAX_DKG_MESSAGE_FILE_BYTES, 'message');
    const outcome = await pushMessage(v.coordinator, value, o);
    results.push({ file, outcome });
    if (v.json !== true) io.out(outcome.ok ? `${file}: ${outcome.already ? 'already stored' : 'stored'} as ${outcome.name}` : `${file}: refused (HTTP ${outcome.status}): ${outcome.reason}`);
  }
  if (v.json === true) io.out(JSON.stringify({ ok: results.every((r) => r.outcome.ok), results }, null, 2));
  const refused = results.filter((r) => !r.outcome.ok);
  if (refused.length > 0) throw new DvkeysError('DKG_PUSH_REFUSED', `${refused.length} of ${files.length} file(s) refused by the coordinator (first: ${refused[0]!.file})`, { field: refused[0]!.file });
  return 0;
}
