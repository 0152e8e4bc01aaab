/**
 * The coordinator server's message store (issue 18, design section 11; docs/protocols/dkg-http.md): the signed
 * participant messages of one ceremony (round-1 messages, Acks, complaints, READY), each authenticated against the
 * host key the definition enrolls for its sender before it is kept, and each kept as its own file in the data
 * directory, written and fsynced (file and folder) before the server acknowledges it. The files are exactly those
 * of the file flow, so `dvkeys dkg collect DIR/round1-*.json` runs on them unchanged, and a restarted server resumes
 * from them (every one authenticated again).
 *
 * The store adds no trust: it never changes a message, it only refuses what no participant signed, exact replays,
 * and more than {@link MAX_PER_SENDER} different messages of one kind from one sender (two are kept: the second is
 * the evidence of an equivocation).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkReady, parseDefinition, type CeremonyDefinitionJson } from '../../dkg/index.js';
import type { Definition } from '../../dkg/definition.js';
import { parseAck, parseComplaint, parseRound1, verifyAckSignature, verifyComplaintSignature, verifyRound1Signature } from '../../dkg/messages.js';
import { DvkeysError, isDvkeysError } from '../../errors.js';
import { canonicalJson, parseJsonText } from '../../json.js';
import { readText } from '../files.js';
import { writeNewFile } from '../fs.js';
import { exists } from './dkg-ready.js';

/** The participant messages the server accepts, by their `format`. */
export const MESSAGE_KINDS = { 'dvkeys/dkg-round1': 'round1', 'dvkeys/dkg-ack': 'ack', 'dvkeys/dkg-complaint': 'complaint', 'dvkeys/dkg-ready': 'ready' } as const;
/** A kind of stored message. */
export type MessageKind = (typeof MESSAGE_KINDS)[keyof typeof MESSAGE_KINDS];
const KINDS: readonly MessageKind[] = Object.values(MESSAGE_KINDS);

/** Most different messages of one kind kept from one sender (the first, and the second as equivocation evidence). */
export const MAX_PER_SENDER = 2;

const STORED = /^(round1|ack|complaint|ready)-([0-9]{1,2})-([0-9a-f]{16})\.json$/;

/** A refused message: the HTTP status and a one-line reason (never the message content). */
export class InboxRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'InboxRefusal';
  }
}

/** A message that passed {@link authenticate}: its kind, sender, the text to store and its file name. */
export interface AuthenticMessage {
  readonly kind: MessageKind;
  readonly index: number;
  readonly text: string;
  readonly name: string;
}

function refuse(status: number, message: string): never {
  throw new InboxRefusal(status, message);
}

/**
 * Checks that a message is a participant message of this ceremony signed by the host key enrolled for its sender.
 * @throws InboxRefusal 400 (not a participant message, malformed, another ceremony), 403 (no valid signature by an
 *   enrolled host key).
 */
export function authenticate(def: Definition, value: unknown): AuthenticMessage {
  const format = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['format'] : undefined;
  const kind = typeof format === 'string' && Object.hasOwn(MESSAGE_KINDS, format) ? MESSAGE_KINDS[format as keyof typeof MESSAGE_KINDS] : undefined;
  if (kind === undefined) refuse(400, 'not a participant message (a round-1 message, Ack, complaint or READY)');
  if ((value as Record<string, unknown>)['ceremonyId'] !== def.idHex) refuse(400, `the message is not of ceremony ${def.idHex}`);
  let index: number;
  let signed: boolean;
  try {
    if (kind === 'round1') {
      const m = parseRound1(value, 'round1', def);
      index = m.index;
      signed = def.participants[index - 1] !== undefined && verifyRound1Signature(m, def.participants[index - 1]!.hostKey);
    } else if (kind === 'ack') {
      const m = parseAck(value);
      index = m.index;
      signed = def.participants[index - 1] !== undefined && verifyAckSignature(m, def.participants[index - 1]!.hostKey);
    } else if (kind === 'complaint') {
      const m = parseComplaint(value);
      index = m.index;
      signed = def.participants[index - 1] !== undefined && verifyComplaintSignature(m, def.participants[index - 1]!.hostKey);
    } else {
      index = checkReady(def.json, value).index;
      signed = true;
    }
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    if (kind === 'ready' && e.field === 'ready.signature') refuse(403, e.message);
    refuse(400, `malformed ${kind} message: ${e.message}`);
  }
  if (!signed) refuse(403, `not signed by the host key the definition enrolls for participant ${index}`);
  // named by the signature: one signed message has one name whatever the key order or spacing it arrives in
  const text = canonicalJson(value);
  const digest = createHash('sha256').update(`${kind}:${index}:${String((value as Record<string, unknown>)['signature'])}`).digest('hex').slice(0, 16);
  return { kind, index, text, name: `${kind}-${index}-${digest}.json` };
}

/** The store of one ceremony in one data directory. */
export class Inbox {
  private readonly kept = new Map<string, { kind: MessageKind; index: number }>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string, readonly definition: Definition) {}

  /**
   * Opens (or creates) the data directory of a ceremony: writes `definition.json` the first time, refuses another
   * ceremony's directory, and authenticates every stored message again. Temporary files of a write a crash
   * interrupted were never acknowledged and are ignored (reported through `warn`).
   * @throws DvkeysError `CEREMONY_MISMATCH` (another definition), `INVALID_FORMAT` (a stored file that was altered).
   */
  static async open(dir: string, definitionJson: CeremonyDefinitionJson, warn: (line: string) => void = () => {}): Promise<Inbox> {
    const def = parseDefinition(definitionJson);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const defPath = join(dir, 'definition.json');
    const defText = `${JSON.stringify(def.json, null, 2)}\n`;
    if (await exists(defPath)) {
      const stored = parseDefinition(parseJsonText(await readText(defPath, 16 * 1024 * 1024, 'definition'), 16 * 1024 * 1024, defPath));
      if (stored.idHex !== def.idHex) throw new DvkeysError('CEREMONY_MISMATCH', `${dir} holds the messages of another ceremony (${stored.idHex})`, { field: defPath });
    } else {
      await writeNewFile(defPath, defText, false);
    }
    const inbox = new Inbox(dir, def);
    for (const name of (await readdir(dir)).sort()) {
      if (name.startsWith('.') && name.includes('.dvkeys-tmp-')) {
        warn(`ignored ${name}: an interrupted write, never acknowledged`);
        continue;
      }
      if (!STORED.test(name)) continue;
      const path = join(dir, name);
      let m: AuthenticMessage;
      try {
        m = authenticate(def, parseJsonText(await readText(path, 256 * 1024 * 1024, 'stored message'), 256 * 1024 * 1024, path));
      } catch (e) {
        if (!(e instanceof InboxRefusal)) throw e;
        throw new DvkeysError('INVALID_FORMAT', `${path} is no longer the message that was stored (${e.message}); move it away to start`, { field: path });
      }
      if (m.name !== name) throw new DvkeysError('INVALID_FORMAT', `${path} was altered after it was stored (its content is ${m.name}); move it away to start`, { field: path });
      inbox.kept.set(name, { kind: m.kind, index: m.index });
    }
    return inbox;
  }

  /** How many messages are stored. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * Authenticates and stores a message; resolves once its file and the folder are fsynced. Calls run one at a time,
   * so the caps hold under concurrent requests.
   * @throws InboxRefusal (see {@link authenticate}; 409 an exact replay; 429 a third different message).
   */
  accept(value: unknown): Promise<string> {
    const run = this.queue.then(async () => {
      const m = authenticate(this.definition, value);
      if (this.kept.has(m.name)) refuse(409, `already stored as ${m.name}`);
      const same = [...this.kept.values()].filter((k) => k.kind === m.kind && k.index === m.index).length;
      if (same >= MAX_PER_SENDER) refuse(429, `participant ${m.index} already sent ${same} different ${m.kind} messages; no more are kept`);
      await writeNewFile(join(this.dir, m.name), m.text, false);
      this.kept.set(m.name, { kind: m.kind, index: m.index });
      return m.name;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The stored messages of one kind, in file-name order. */
  async list(kind: MessageKind): Promise<unknown[]> {
    const names = [...this.kept.entries()].filter(([, k]) => k.kind === kind).map(([n]) => n).sort();
    const out: unknown[] = [];
    for (const n of names) out.push(parseJsonText(await readText(join(this.dir, n), 256 * 1024 * 1024, 'stored message'), 256 * 1024 * 1024, n));
    return out;
  }

  /** Who has sent what: for each kind, the sender indices (a sender twice when it sent two different messages). */
  status(): Record<MessageKind, number[]> {
    const out = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<MessageKind, number[]>;
    for (const k of this.kept.values()) out[k.kind].push(k.index);
    for (const k of KINDS) out[k].sort((a, b) => a - b);
    return out;
  }
}
