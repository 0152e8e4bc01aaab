/**
 * `dvkeys dkg pull` and `dvkeys dkg status`: the operator's side of the HTTP relay (issue 18;
 * docs/protocols/dkg-http.md). `pull` fetches the stored messages of one kind from a `dkg serve` coordinator into a
 * new folder, after checking every one as the server does (the strict parser, this ceremony's id, the host key the
 * operator's own definition enrolls for its sender), so the file-flow steps (`dkg collect`, `round2`, `finalize`) run
 * on them unchanged. The server is untrusted: a response that is too large, cut short, too slow, not JSON, or holds
 * any message that fails a check is refused with one typed error, and nothing is written (the folder appears whole
 * or not at all). `status` prints who has sent what.
 *
 * @module
 */
import { resolve } from 'node:path';
import { parseDefinition } from '../../dkg/index.js';
import type { Definition } from '../../dkg/definition.js';
import { DvkeysError } from '../../errors.js';
import { intOption, parse } from '../args.js';
import { writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_SMALL_FILE_BYTES, readJsonFile } from './dkg-files.js';
import { authenticate, InboxRefusal, MAX_PER_SENDER, MESSAGE_KINDS, type AuthenticMessage, type MessageKind } from './dkg-inbox.js';
import { bodyCap, PROTOCOL_VERSION } from './dkg-serve.js';
import { caOption, dkgRequest } from './dkg-http-client.js';

/** How a GET is bounded. */
export interface FetchBounds {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly signal: AbortSignal;
  /** PEM certificates to trust for https (`--ca`). */
  readonly ca?: string;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((ok) => {
    const t = setTimeout(ok, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), ok()), { once: true });
  });

const cause = (e: unknown): string => (e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e));

/** One attempt: the status and the body, read up to `maxBytes` within `timeoutMs` (connection, headers and body). */
export function getOnce(url: string, b: FetchBounds): Promise<{ status: number; text: string }> {
  return dkgRequest(url, 'GET', undefined, b);
}

/**
 * GETs `url` and parses its JSON body, retrying network errors with backoff 0.5 s, 1 s, 2 s, …
 * @throws DvkeysError `IO_FAILED` (unreachable, cut short, too slow, an HTTP error with the server's reason),
 *   `LIMIT_EXCEEDED` (too large), `INVALID_FORMAT` (not JSON), `ABORTED`.
 */
export async function getJson(url: string, b: FetchBounds): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let got: { status: number; text: string };
    try {
      got = await getOnce(url, b);
    } catch (e) {
      if (e instanceof DvkeysError) throw e;
      if (b.signal.aborted) throw new DvkeysError('ABORTED', 'interrupted; nothing written');
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || (e.cause instanceof Error && e.cause.name === 'TimeoutError'));
      if (timedOut) throw new DvkeysError('IO_FAILED', `the coordinator did not answer within ${b.timeoutMs / 1000} s; nothing written`, { field: '--coordinator' });
      if (attempt >= b.retries) throw new DvkeysError('IO_FAILED', `cannot read from the coordinator (${url.replace(/\/v1\/.*/, '')}) after ${attempt + 1} attempt(s): ${cause(e)}; nothing written`, { field: '--coordinator' });
      await sleep(500 * 2 ** attempt, b.signal);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(got.text);
    } catch {
      throw new DvkeysError('INVALID_FORMAT', `the coordinator's answer (HTTP ${got.status}) is not JSON; nothing written`, { field: '--coordinator' });
    }
    if (got.status !== 200) {
      const reason = typeof (value as { error?: unknown })?.error === 'string' ? (value as { error: string }).error.slice(0, 300) : 'no reason given';
      throw new DvkeysError('IO_FAILED', `the coordinator answered HTTP ${got.status}: ${reason}`, { field: '--coordinator' });
    }
    return value;
  }
}

/** The largest answer a ceremony's messages of one kind can make: every sender's messages at the body cap. */
export function answerCap(def: Definition): number {
  return MAX_PER_SENDER * def.n * bodyCap(def) + 64 * 1024;
}

/**
 * Checks every message of a `GET …/messages/KIND` answer as the server should have.
 * @throws DvkeysError `INVALID_FORMAT` (not an array, another kind), `CEREMONY_MISMATCH` (another ceremony's
 *   message), `DKG_INVALID_MESSAGE` (malformed or not signed by the enrolled host key; culprit: none, the relay or
 *   the sender), `LIMIT_EXCEEDED` (more than {@link MAX_PER_SENDER} from one sender).
 */
export function checkPulled(def: Definition, kind: MessageKind, value: unknown): AuthenticMessage[] {
  if (!Array.isArray(value)) throw new DvkeysError('INVALID_FORMAT', `the coordinator's answer is not a list of ${kind} messages; nothing written`, { field: '--coordinator' });
  const byName = new Map<string, AuthenticMessage>();
  value.forEach((item, i) => {
    const id = typeof item === 'object' && item !== null ? (item as { ceremonyId?: unknown }).ceremonyId : undefined;
    if (typeof id === 'string' && id !== def.idHex) {
      throw new DvkeysError('CEREMONY_MISMATCH', `message ${i} from the coordinator belongs to ceremony ${id.slice(0, 80)}, not ${def.idHex}; nothing written`, { field: `messages[${i}].ceremonyId` });
    }
    let m: AuthenticMessage;
    try {
      m = authenticate(def, item);
    } catch (e) {
      if (!(e instanceof InboxRefusal)) throw e;
      throw new DvkeysError('DKG_INVALID_MESSAGE', `message ${i} from the coordinator is refused: ${e.message}; nothing written`, { field: `messages[${i}]` });
    }
    if (m.kind !== kind) throw new DvkeysError('INVALID_FORMAT', `message ${i} from the coordinator is a ${m.kind}, not a ${kind}; nothing written`, { field: `messages[${i}].format` });
    byName.set(m.name, m);
  });
  const kept = [...byName.values()];
  for (const m of kept) {
    if (kept.filter((k) => k.index === m.index).length > MAX_PER_SENDER) {
      throw new DvkeysError('LIMIT_EXCEEDED', `the coordinator sent more than ${MAX_PER_SENDER} different ${kind} messages of participant ${m.index}; nothing written`, { field: '--coordinator' });
    }
  }
  return kept.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function coordinatorOption(value: string | undefined): string {
  if (value === undefined || !/^https?:\/\/[^\s/]+/.test(value)) throw new UsageError('--coordinator URL is required (http://HOST:PORT of dvkeys dkg serve, or https:// behind a proxy)');
  return value.replace(/\/+$/, '');
}

const COMMON = { coordinator: { type: 'string' }, definition: { type: 'string' }, timeout: { type: 'string' }, retries: { type: 'string' }, ca: { type: 'string' }, json: { type: 'boolean' } } as const;

async function common(v: { coordinator?: string; definition?: string; timeout?: string; retries?: string; ca?: string }, io: CliIo): Promise<{ base: string; def: Definition; timeoutMs: number; retries: number; ca?: string }> {
  const base = coordinatorOption(v.coordinator);
  if (v.definition === undefined) throw new UsageError('--definition FILE is required (your copy of the ceremony; what the coordinator sends is checked against it)');
  const def = parseDefinition(await readJsonFile(io, v.definition, MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  const ca = await caOption(v.ca, io.cwd);
  return { base, def, timeoutMs: (intOption(v.timeout, '--timeout', 1) ?? 60) * 1000, retries: intOption(v.retries, '--retries', 0) ?? 3, ...(ca === undefined ? {} : { ca }) };
}

/** `dkg pull --coordinator URL --definition FILE --kind round1|ack|complaint|ready --out DIR [--timeout S] [--retries N]`. */
export async function pullRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { ...COMMON, kind: { type: 'string' }, out: { type: 'string' } });
  const kinds = Object.values(MESSAGE_KINDS) as string[];
  if (v.kind === undefined || !kinds.includes(v.kind)) throw new UsageError(`--kind is required: one of ${kinds.join(', ')}`);
  if (v.out === undefined) throw new UsageError('--out DIR is required (a new folder for the messages)');
  const c = await common(v, io);
  const kind = v.kind as MessageKind;
  const answer = await getJson(`${c.base}/v1/ceremonies/${c.def.idHex}/messages/${kind}`, { maxBytes: answerCap(c.def), timeoutMs: c.timeoutMs, retries: c.retries, signal: io.signal, ...(c.ca === undefined ? {} : { ca: c.ca }) });
  const messages = checkPulled(c.def, kind, answer);
  const out = resolve(io.cwd, v.out);
  await writeTreeAtomically(out, messages.map((m) => ({ path: m.name, bytes: new TextEncoder().encode(m.text), secret: false })), io.signal);
  const senders = [...new Set(messages.map((m) => m.index))].sort((a, b) => a - b);
  if (v.json === true) io.out(JSON.stringify({ ok: true, kind, out, files: messages.map((m) => m.name), senders }));
  else io.out(`Pulled ${messages.length} ${kind} message(s) into ${out} (senders: ${senders.join(', ') || 'none'} of ${c.def.n}).`);
  return 0;
}

/** `dkg status --coordinator URL --definition FILE [--json]`: who has sent what, and who the ceremony waits for. */
export async function statusRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, COMMON);
  const c = await common(v, io);
  const s = await getJson(`${c.base}/v1/ceremonies/${c.def.idHex}`, { maxBytes: 1024 * 1024, timeoutMs: c.timeoutMs, retries: c.retries, signal: io.signal, ...(c.ca === undefined ? {} : { ca: c.ca }) });
  const obj = (typeof s === 'object' && s !== null ? s : {}) as { protocol?: unknown; ceremonyId?: unknown; messages?: Record<string, unknown> };
  if (obj.protocol !== Number(PROTOCOL_VERSION)) throw new DvkeysError('INVALID_FORMAT', `the coordinator speaks protocol ${String(obj.protocol).slice(0, 20)}, this dvkeys ${PROTOCOL_VERSION}`, { field: '--coordinator' });
  if (obj.ceremonyId !== c.def.idHex) throw new DvkeysError('CEREMONY_MISMATCH', `the coordinator serves ceremony ${String(obj.ceremonyId).slice(0, 80)}, not ${c.def.idHex}`, { field: '--coordinator' });
  const name = (i: number): string => {
    const n = c.def.json.participants[i - 1]?.name;
    return n === undefined ? `participant ${i}` : `${i} (${n})`;
  };
  const rows: Record<string, { sent: number[]; waiting: number[] }> = {};
  for (const kind of Object.values(MESSAGE_KINDS)) {
    const raw = obj.messages?.[kind];
    if (!Array.isArray(raw) || !raw.every((i) => Number.isInteger(i) && i >= 1 && i <= c.def.n)) throw new DvkeysError('INVALID_FORMAT', `the coordinator's status lists no valid senders for ${kind}`, { field: `messages.${kind}` });
    const sent = [...new Set(raw as number[])].sort((a, b) => a - b);
    rows[kind] = { sent, waiting: c.def.participants.map((p) => p.index).filter((i) => !sent.includes(i)) };
  }
  if (v.json === true) io.out(JSON.stringify({ ok: true, ceremonyId: c.def.idHex, messages: rows }));
  else {
    for (const [kind, r] of Object.entries(rows)) {
      if (kind === 'complaint') io.out(`complaint: ${r.sent.length === 0 ? 'none' : r.sent.map(name).join(', ')}`);
      else io.out(`${kind}: ${r.sent.length} of ${c.def.n}${r.waiting.length === 0 ? '' : `; waiting for ${r.waiting.map(name).join(', ')}`}`);
    }
  }
  return 0;
}
