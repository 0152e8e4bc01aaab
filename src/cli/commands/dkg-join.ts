/**
 * `dvkeys dkg join`: one operator's whole ceremony against a `dkg serve` coordinator (issue 18, design section 11;
 * docs/protocols/dkg-http.md "dkg join"; decisions 0435, 0436). It drives the file-flow steps (round1, round2,
 * finalize, ready, deposit-data: the same functions, on files in a work folder `<out>.join/`), sends each message
 * with `push`, and takes each round's result from the server's collect steps. Every step is skipped when its output
 * file exists, so a `join` killed at any point is resumed by running it again; the host key's journal still refuses
 * to deal or answer twice (a lost state is an error, never a second deal). One `join` per host key at a time (the
 * join lock, src/cli/join-lock.ts).
 *
 * Network errors are retried with backoff until the step's deadline (`--step-timeout`); a step that times out names
 * the operators the server's status says the ceremony is waiting for.
 *
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { ceremonyFingerprint, hostPublicKey, parseDefinition } from '../../dkg/index.js';
import type { Definition } from '../../dkg/definition.js';
import { DvkeysError } from '../../errors.js';
import { intOption, parse } from '../args.js';
import { writeNewFile } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { takeJoinLock } from '../join-lock.js';
import { journalPath } from '../journal.js';
import { dkgMessageCap, MAX_DKG_SMALL_FILE_BYTES, partyName, readHostKey, readJsonFile } from './dkg-files.js';
import { finalizeRun, round1Run, round2Run } from './dkg-participant.js';
import { getOnce } from './dkg-pull.js';
import { caOption } from './dkg-http-client.js';
import { pushMessage } from './dkg-push.js';
import { DEPOSIT_CERTIFICATE_FILE, depositDataRun, exists, readyRun } from './dkg-ready.js';
import { DEPOSIT_FILE } from '../../ceremony/layouts/dvkeys.js';
import type { Stage } from './dkg-collector.js';

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((ok) => {
    const t = setTimeout(ok, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), ok()), { once: true });
  });

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

interface Ctx {
  readonly io: CliIo;
  readonly base: string;
  readonly stepMs: number;
  readonly timeoutMs: number;
  /** PEM certificates to trust for https (`--ca`). */
  readonly ca: string | undefined;
  /** Prints one progress line. */
  readonly say: (line: string) => void;
}

function cause(e: unknown): string {
  if (e instanceof DvkeysError) return e.message;
  return e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
}

/** A network failure worth retrying (not a refusal, not a size cap). */
function transient(e: unknown): boolean {
  return !(e instanceof DvkeysError) || (e.code === 'IO_FAILED' && !/answered HTTP/.test(e.message));
}

function aborted(c: Ctx): void {
  if (c.io.signal.aborted) throw new DvkeysError('ABORTED', 'interrupted; run the same dkg join again to resume');
}

/** One GET with the bounds of the context; network errors retried with backoff until `deadline`. */
async function get(c: Ctx, path: string, maxBytes: number, deadline: number, what: string): Promise<{ status: number; value: unknown }> {
  for (let attempt = 0; ; attempt++) {
    aborted(c);
    try {
      const r = await getOnce(`${c.base}${path}`, { maxBytes, timeoutMs: c.timeoutMs, retries: 0, signal: c.io.signal, ...(c.ca === undefined ? {} : { ca: c.ca }) });
      // 503: too many connections from this address (or the server is otherwise busy): retried like a network error
      if (r.status === 503) throw new Error(`HTTP 503: ${r.text.slice(0, 200).trim()}`);
      let value: unknown;
      try {
        value = JSON.parse(r.text);
      } catch {
        throw new DvkeysError('INVALID_FORMAT', `the coordinator's answer for ${what} (HTTP ${r.status}) is not JSON`, { field: '--coordinator' });
      }
      return { status: r.status, value };
    } catch (e) {
      aborted(c);
      if (!transient(e)) throw e;
      const wait = Math.min(30000, 500 * 2 ** Math.min(attempt, 6));
      if (Date.now() + wait > deadline) {
        throw new DvkeysError('DKG_TIMEOUT', `${what}: the coordinator at ${c.base} could not be reached before the step's deadline (last error: ${cause(e).slice(0, 200)})`, { field: '--step-timeout', culprits: ['coordinator'] });
      }
      if (attempt === 0) c.say(`  the coordinator does not answer (${cause(e).slice(0, 120)}); retrying with backoff`);
      await sleep(wait, c.io.signal);
    }
  }
}

function reasonOf(value: unknown): string {
  const r = (value as { error?: unknown } | null)?.error;
  return typeof r === 'string' ? r.slice(0, 300) : 'no reason given';
}

/** Pushes one message file, retrying network errors until `deadline`; an exact replay counts as sent. */
async function push(c: Ctx, file: string, deadline: number, what: string): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
  for (let attempt = 0; ; attempt++) {
    aborted(c);
    try {
      const r = await pushMessage(c.base, value, { retries: 0, timeoutMs: c.timeoutMs, signal: c.io.signal, ...(c.ca === undefined ? {} : { ca: c.ca }) });
      if (r.ok) return;
      if (r.status === 503) throw new Error(`HTTP 503: ${r.reason}`);
      throw new DvkeysError('DKG_PUSH_REFUSED', `${what}: the coordinator refused ${file} (HTTP ${r.status}): ${r.reason}`, { field: file });
    } catch (e) {
      aborted(c);
      if (!transient(e)) throw e;
      const wait = Math.min(30000, 500 * 2 ** Math.min(attempt, 6));
      if (Date.now() + wait > deadline) {
        throw new DvkeysError('DKG_TIMEOUT', `${what}: could not send ${file} to the coordinator at ${c.base} before the step's deadline (last error: ${cause(e).slice(0, 200)})`, { field: '--step-timeout', culprits: ['coordinator'] });
      }
      if (attempt === 0) c.say(`  the coordinator does not answer (${cause(e).slice(0, 120)}); retrying with backoff`);
      await sleep(wait, c.io.signal);
    }
  }
}

/**
 * Waits for the server's result of a stage and writes it to `file` (once; a resumed join reads the file).
 * @throws DvkeysError `DKG_TIMEOUT` naming whom the server says the ceremony waits for; `DKG_NOT_READY` /
 *   `DKG_ABORTED` when the server says the stage failed.
 */
async function awaitResult(c: Ctx, def: Definition, stage: Stage, file: string, deadline: number, what: string, me: number): Promise<void> {
  if (await exists(file)) return;
  const cap = stage === 'round3' ? MAX_DKG_SMALL_FILE_BYTES : dkgMessageCap(def);
  let waiting: readonly number[] = [];
  let computing = false;
  let shown = '';
  for (let poll = 0; ; poll++) {
    const r = await get(c, `/v1/ceremonies/${def.idHex}/results/${stage}`, cap, deadline, what);
    if (r.status === 200) {
      await writeNewFile(file, json(r.value), false, c.io.signal);
      return;
    }
    if (r.status === 422) {
      throw new DvkeysError(stage === 'round3' ? 'DKG_NOT_READY' : 'DKG_ABORTED', `${what}: the coordinator reports that the round failed: ${reasonOf(r.value)} (its claim; the signed messages are at GET /v1/ceremonies/ID/messages/KIND)`, { field: '--coordinator' });
    }
    if (r.status !== 409) throw new DvkeysError('IO_FAILED', `${what}: the coordinator answered HTTP ${r.status}: ${reasonOf(r.value)}`, { field: '--coordinator' });
    const w = (r.value as { waiting?: unknown }).waiting;
    waiting = Array.isArray(w) ? [...new Set(w.filter((i): i is number => Number.isInteger(i) && i >= 1 && i <= def.n))] : [];
    computing = waiting.length === 0 && typeof (r.value as { computing?: unknown }).computing === 'string';
    const names = waiting.map((i) => partyName(def.json, String(i))).join(', ');
    const line = computing ? `  the coordinator is computing the ${what} result` : `  waiting for ${names || 'the coordinator'}`;
    if (line !== shown) {
      c.say(line);
      shown = line;
    }
    const wait = Math.min(5000, 250 * 2 ** Math.min(poll, 5));
    if (Date.now() + wait > deadline) throw timedOut(c, def, what, waiting, computing, me);
    await sleep(wait, c.io.signal);
  }
}

/**
 * The verdict of a step that timed out. The server's word is all there is: the operators it says it waits for and
 * the coordinator are suspects, none proven (culprits lists them all). Only when it says it waits for this operator,
 * whose message it acknowledged, is the coordinator alone named: it withholds what it stored.
 */
function timedOut(c: Ctx, def: Definition, what: string, waiting: readonly number[], computing: boolean, me: number): DvkeysError {
  const head = `${what}: timed out after ${c.stepMs / 1000} s;`;
  const tail = 'run the same dkg join again to resume';
  if (waiting.includes(me)) {
    return new DvkeysError('DKG_TIMEOUT', `${head} the coordinator says the ceremony is waiting for you (${partyName(def.json, String(me))}), but it acknowledged your message: the coordinator withholds it (suspect: the coordinator); ${tail}`, {
      field: '--step-timeout',
      culprits: ['coordinator'],
    });
  }
  if (waiting.length === 0) {
    const why = computing ? 'the coordinator was still computing the result' : 'the coordinator sent no result and names nobody it waits for';
    return new DvkeysError('DKG_TIMEOUT', `${head} ${why} (suspect: the coordinator); ${tail}`, { field: '--step-timeout', culprits: ['coordinator'] });
  }
  const names = waiting.map((i) => partyName(def.json, String(i))).join(', ');
  return new DvkeysError('DKG_TIMEOUT', `${head} the ceremony is waiting for ${names}, says the coordinator; nothing is proven, ${waiting.length === 1 ? 'suspect' : 'suspects'} (the sender or the coordinator): ${names}; ${tail}`, {
    field: '--step-timeout',
    culprits: [...waiting.map(String), 'coordinator'],
  });
}

/** The definition: from the work folder, or fetched from the server and checked against `--ceremony-id`. */
async function definitionOf(c: Ctx, work: string, expected: string, deadline: number): Promise<Definition> {
  const path = join(work, 'definition.json');
  const want = expected.trim().toLowerCase();
  let def: Definition;
  if (await exists(path)) def = parseDefinition(await readJsonFile(c.io, path, MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  else {
    const list = await get(c, '/v1/ceremonies', 1024 * 1024, deadline, 'enroll');
    if (list.status !== 200) throw new DvkeysError('IO_FAILED', `enroll: the coordinator answered HTTP ${list.status}: ${reasonOf(list.value)}`, { field: '--coordinator' });
    const items = (list.value as { ceremonies?: unknown }).ceremonies;
    const found: unknown = Array.isArray(items) ? (items as unknown[]).find((x) => typeof x === 'object' && x !== null && ((x as { fingerprint?: unknown }).fingerprint === want || (x as { ceremonyId?: unknown }).ceremonyId === want)) : undefined;
    const id = (found as { ceremonyId?: unknown } | undefined)?.ceremonyId;
    if (typeof id !== 'string' || !/^0x[0-9a-f]{64}$/.test(id)) throw new DvkeysError('CEREMONY_MISMATCH', `enroll: the coordinator at ${c.base} serves no ceremony ${expected.trim()}: do not take part`, { field: '--ceremony-id' });
    const r = await get(c, `/v1/ceremonies/${id}/definition`, MAX_DKG_SMALL_FILE_BYTES, deadline, 'enroll');
    if (r.status !== 200) throw new DvkeysError('IO_FAILED', `enroll: the coordinator answered HTTP ${r.status}: ${reasonOf(r.value)}`, { field: '--coordinator' });
    def = parseDefinition(r.value);
  }
  // the definition itself is what counts, never the server's listing
  const fp = ceremonyFingerprint(def.json);
  if (want !== fp && want !== def.idHex) {
    throw new DvkeysError('CEREMONY_MISMATCH', `enroll: the coordinator's definition has ceremony id ${def.idHex} (fingerprint ${fp}), not the approved ${expected.trim()}: do not take part`, { field: '--ceremony-id' });
  }
  if (!(await exists(path))) await writeNewFile(path, json(def.json), false, c.io.signal);
  return def;
}

/** `dkg join --coordinator URL --host-key FILE --ceremony-id FP --out DIR [options]`. */
export async function joinRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    coordinator: { type: 'string' },
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    'ceremony-id': { type: 'string' },
    out: { type: 'string' },
    'step-timeout': { type: 'string' },
    timeout: { type: 'string' },
    ca: { type: 'string' },
    'share-password-file': { type: 'string' },
    kdf: { type: 'string' },
    'insecure-keys': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (v.coordinator === undefined || !/^https?:\/\/[^\s/]+/.test(v.coordinator)) throw new UsageError('--coordinator URL is required (http://HOST:PORT of dvkeys dkg serve, or https://)');
  if (v['host-key'] === undefined) throw new UsageError('--host-key FILE is required (written by dvkeys dkg keygen)');
  if (v['ceremony-id'] === undefined) throw new DvkeysError('DKG_CEREMONY_ID_REQUIRED', 'give --ceremony-id: the fingerprint (or id) of the definition all operators compared over a separate channel', { field: '--ceremony-id' });
  if (v.out === undefined) throw new UsageError('--out DIR is required (your operator folder; the work files go to DIR.join/)');
  const stepMs = (intOption(v['step-timeout'], '--step-timeout', 1) ?? 3600) * 1000;
  const timeoutMs = (intOption(v.timeout, '--timeout', 1) ?? 60) * 1000;
  const out = resolve(io.cwd, v.out);
  const work = `${out}.join`;
  const hostKey = resolve(io.cwd, v['host-key']);
  // --json: the progress lines go to stderr, stdout gets one JSON object at the end (decision 0447)
  const say = (line: string): void => (v.json === true ? io.err(line) : io.out(line));
  const c: Ctx = { io, base: v.coordinator.replace(/\/+$/, ''), stepMs, timeoutMs, ca: await caOption(v.ca, io.cwd), say };
  const quiet: CliIo = { ...io, out: () => {} };
  const key = ['--host-key', hostKey, ...(v['password-file'] === undefined ? [] : ['--password-file', resolve(io.cwd, v['password-file'])])];
  const keystore = [
    ...(v['share-password-file'] === undefined ? [] : ['--share-password-file', resolve(io.cwd, v['share-password-file'])]),
    ...(v.kdf === undefined ? [] : ['--kdf', v.kdf]),
    ...(v['insecure-keys'] === true ? ['--insecure-keys'] : []),
  ];
  const w = (name: string): string => join(work, name);
  const deadline = (): number => Date.now() + stepMs;

  const lock = await takeJoinLock(hostKey, (l) => io.err(`dvkeys dkg join: warning: ${l}`));
  try {
    await mkdir(work, { recursive: true, mode: 0o700 });
    // step 1, enroll: the definition every enrollment is in, checked against the approved fingerprint and this key
    const def = await definitionOf(c, work, v['ceremony-id'], deadline());
    const secret = await readHostKey(io, hostKey, v['password-file'] === undefined ? undefined : resolve(io.cwd, v['password-file']));
    let index: number;
    try {
      const me = bytesToHex(hostPublicKey(secret), true);
      index = def.participants.findIndex((p) => bytesToHex(p.hostKey, true) === me) + 1;
    } finally {
      secret.fill(0);
    }
    if (index === 0) throw new DvkeysError('KEY_MISMATCH', `enroll: this host key is not enrolled in ceremony ${ceremonyFingerprint(def.json)}: do not take part`, { field: '--host-key' });
    const fp = ceremonyFingerprint(def.json);
    say(`[1/5] enroll: ceremony ${fp}, ${def.t} of ${def.n}, ${def.V} validator(s); you are ${partyName(def.json, String(index))}`);

    // step 2, round 1: deal once (the journal refuses a second deal), send, wait for the collected round 1
    if (!(await exists(w('round1.json')))) {
      if (await exists(w('state-1.json'))) throw lostFile(work, 'round1.json', 'round 1', hostKey);
      await round1Run(['--definition', w('definition.json'), ...key, '--ceremony-id', def.idHex, '--out', w('round1.json'), '--state-out', w('state-1.json')], quiet);
      say('[2/5] round 1: dealt (the journal records it); sending');
    } else say('[2/5] round 1: already dealt (resumed); sending again');
    let d = deadline();
    await push(c, w('round1.json'), d, 'round 1');
    await awaitResult(c, def, 'round1', w('collected.json'), d, 'round 1', index);

    // step 3, round 2: check everything, Ack (or complain), send, wait for the final message
    if (!(await exists(w('ack.json')))) {
      if (await exists(w('state-2.json'))) throw lostFile(work, 'ack.json', 'round 2', hostKey);
      try {
        await round2Run([...key, '--state', w('state-1.json'), '--collected', w('collected.json'), '--out', w('ack.json'), '--state-out', w('state-2.json'), '--abort-out', w('round2.abort.json')], quiet);
      } catch (e) {
        // a complaint is written before round2 stops with the verdict: the others need it
        if (await exists(w('ack.json'))) await push(c, w('ack.json'), deadline(), 'round 2').catch(() => undefined);
        throw e;
      }
      say('[3/5] round 2: every round-1 message and your shares checked; Ack sent');
    } else say('[3/5] round 2: already answered (resumed); sending again');
    d = deadline();
    await push(c, w('ack.json'), d, 'round 2');
    await awaitResult(c, def, 'round2', w('final.json'), d, 'round 2', index);

    // step 4, finalize: the operator folder
    if (!(await exists(out))) {
      await finalizeRun([...key, '--state', w('state-2.json'), '--collected', w('collected.json'), '--final', w('final.json'), '--out', out, '--abort-out', w('finalize.abort.json'), ...keystore], quiet);
      say(`[4/5] finalize: wrote ${out} (read back and verified)`);
    } else say(`[4/5] finalize: ${out} exists (resumed)`);

    // step 5, round 3: READY, then deposit data beside the certificate of all n
    if (!(await exists(w('ready.json')))) {
      await readyRun([...key, '--folder', out, '--out', w('ready.json'), ...(v['share-password-file'] === undefined ? [] : ['--share-password-file', resolve(io.cwd, v['share-password-file'])])], quiet);
    }
    d = deadline();
    await push(c, w('ready.json'), d, 'round 3');
    say('[5/5] round 3: READY sent');
    await awaitResult(c, def, 'round3', w('deposit-certificate.json'), d, 'round 3', index);
    if (!(await exists(join(out, 'deposit-data.json')))) await depositDataRun(['--folder', out, '--certificate', w('deposit-certificate.json')], quiet);
    if (v.json === true) {
      io.out(JSON.stringify({ ok: true, out, work, ceremonyId: def.idHex, fingerprint: fp, index, depositData: join(out, DEPOSIT_FILE), certificate: join(out, DEPOSIT_CERTIFICATE_FILE), deposits: await depositCount(join(out, DEPOSIT_FILE)) }, null, 2));
      return 0;
    }
    say(`Done: ${out} holds your keystores, ceremony.json (fingerprint in dvkeys verify), deposit-data.json and the deposit certificate.`);
    say(`Compare the ceremony fingerprint ${fp} with the other operators; ${work} holds the messages and sealed states (delete the states once backed up).`);
    return 0;
  } finally {
    await lock.release();
  }
}

/** The number of deposits in the folder's deposit-data.json (written and checked by deposit-data just before). */
async function depositCount(path: string): Promise<number> {
  const entries = JSON.parse(await readFile(path, 'utf8')) as unknown;
  return Array.isArray(entries) ? entries.length : 0;
}

function lostFile(work: string, name: string, step: string, hostKey: string): DvkeysError {
  return new DvkeysError('DKG_ALREADY_DONE', `${step}: ${work} has the next sealed state but not ${name} (a join killed between the two writes); the journal (${journalPath(hostKey)}) refuses a second deal or answer, so this attempt cannot go on: start a new ceremony`, { field: join(work, name) });
}
