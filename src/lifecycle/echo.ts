/**
 * Transcript agreement of a sealed step (reshare, refresh, repair hop 1) before any recipient combines or writes
 * (design section 6 "CertEq" applied to the lifecycle's wire; research/dkg-brief.md B4 step 6 and B5;
 * docs/protocols/lifecycle.md "Transcript agreement"; decision 0425). Without it an equivocating sender, relayed by a
 * splitting coordinator, leaves recipients on different sharings that all pass their checks (attack a08).
 *
 * 1. Each recipient j collects the checked sealed messages, exactly one per sender ({@link transcriptOf}: two
 *    different validly signed messages of one sender are equivocation, `DKG_EQUIVOCATION`), and host-signs an
 *    **echo**: session id, j, and per sender in session order the body digest and the sender's signature
 *    ({@link signEcho}). The echo hash is taggedHash(`echo-transcript`, session id || the digests in sender order).
 * 2. Before combining, a party requires a valid echo of every recipient over the same digests ({@link checkEchoes}),
 *    the same "the collected set carries every member's signature" rule as the DKG's CertEq certificate.
 * 3. An echo whose digest for sender i differs from one's own carries sender i's signature over that digest for this
 *    session (wire.ts `sealedStatement`): with one's own (digest, signature) pair it is transferable evidence that
 *    convicts exactly sender i ({@link EquivocationEvidence}, checked by anyone with {@link verifyEquivocation}). An
 *    echo whose differing entry sender i did not sign convicts its own signer (it echoed a message it never held).
 *    An echo not signed by its member is an alteration in transit (no culprit: the coordinator is suspect); a member
 *    without any valid echo makes it and the coordinator suspects, not culprits (`ECHO_MISSING`, decision 0441): a
 *    missing message never shows who withheld it.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, SecretBytes, ShareIndex } from '../types.js';
import { Writer, equalBytes, taggedHash } from '../dkg/codec.js';
import { hostPublicKey, hostSign, hostVerify } from '../dkg/host-key.js';
import { checkSealed, openSealed, sealedDigest, verifySealedSignature, type SealedDealing, type WireSession } from './wire.js';
import { COORDINATOR, omissionError } from './omission.js';

const TAG = 'DVKEYS-LIFECYCLE-V1/';
const TAGS = { echo: `${TAG}echo`, transcript: `${TAG}echo-transcript` } as const;

/** One sender's message as a recipient saw it: its body digest and the sender's host signature. */
export interface EchoEntry {
  readonly sender: ShareIndex;
  readonly digest: Uint8Array;
  readonly signature: Uint8Array;
}

/** A recipient's host-signed statement of every sealed message it received in a session. */
export interface Echo {
  readonly sessionId: Uint8Array;
  readonly member: ShareIndex;
  /** In session sender order. */
  readonly dealings: readonly EchoEntry[];
  readonly signature: Uint8Array;
}

/** The checked sealed messages of a session, one per sender in session order. */
export interface Transcript {
  readonly session: WireSession;
  readonly sealed: readonly SealedDealing[];
  readonly entries: readonly EchoEntry[];
  /** taggedHash(`echo-transcript`, session id || digests in sender order): what every echo must agree on. */
  readonly hash: Uint8Array;
}

/** A transcript every recipient echoed: only this may be combined. */
export interface AgreedTranscript extends Transcript {
  readonly echoes: readonly Echo[];
}

/** Two different bodies host-signed by one sender for one session: convicts that sender. */
export interface EquivocationEvidence {
  readonly sessionId: Uint8Array;
  readonly sender: ShareIndex;
  readonly first: { readonly digest: Uint8Array; readonly signature: Uint8Array };
  readonly second: { readonly digest: Uint8Array; readonly signature: Uint8Array };
}

const hashOf = (sessionId: Uint8Array, entries: readonly EchoEntry[]): Uint8Array => {
  const w = new Writer().raw(sessionId).u32(entries.length);
  for (const e of entries) w.raw(e.digest);
  return taggedHash(TAGS.transcript, w.finish());
};

const echoBody = (e: Omit<Echo, 'signature'>): Uint8Array => {
  const w = new Writer().raw(e.sessionId).u64(e.member).u32(e.dealings.length);
  for (const d of e.dealings) w.u64(d.sender).bytes(d.digest).bytes(d.signature);
  return w.finish();
};

const short = (b: Uint8Array): string => `0x${Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join('')}…`;

/**
 * Checks every sealed message and orders them by sender: exactly one per sender (identical copies are one).
 * @throws everything `checkSealed` throws (naming `${field}[i]`); VerificationError `DKG_EQUIVOCATION` (two different
 *   validly signed messages of one sender; culprits: it); ValidationError `DEALER_MISSING` (no culprit; suspects:
 *   the senders without a message and `coordinator`).
 */
export function transcriptOf(session: WireSession, sealed: readonly SealedDealing[], field = 'dealings'): Transcript {
  const bySender = new Map<bigint, { m: SealedDealing; digest: Uint8Array }>();
  sealed.forEach((m, i) => {
    checkSealed(session, m, `${field}[${i}]`);
    const digest = sealedDigest(m);
    const seen = bySender.get(m.sender);
    if (seen === undefined) bySender.set(m.sender, { m, digest });
    else if (!equalBytes(seen.digest, digest)) {
      throw new VerificationError('DKG_EQUIVOCATION', `sender ${m.sender} host-signed two different sealed messages for this session (${short(seen.digest)} and ${short(digest)}): it equivocated; nothing may be combined`, {
        field: `${field}[${i}]`,
        culprits: [m.sender.toString()],
      });
    }
  });
  const missing = session.senders.filter((s) => !bySender.has(s.id)).map((s) => s.id.toString());
  if (missing.length > 0) throw omissionError('DEALER_MISSING', `no sealed message from sender ${missing.join(', ')}`, 'sender', missing, field, 'the step aborts');
  const ordered = session.senders.map((s) => bySender.get(s.id)!);
  const entries = ordered.map(({ m, digest }) => ({ sender: m.sender, digest, signature: m.signature }));
  return { session, sealed: ordered.map((o) => o.m), entries, hash: hashOf(session.id, entries) };
}

/**
 * Recipient `me` host-signs its echo of a transcript.
 * @throws ValidationError `INVALID_SHARE_ID` (no recipient of the session, or another recipient's host key).
 */
export function signEcho(transcript: Transcript, me: bigint | number, hostSecretKey: Uint8Array, rng: RandomBytes = systemRandomBytes): Echo {
  const id = BigInt(me) as ShareIndex;
  const r = transcript.session.recipients.find((x) => x.id === id);
  if (r === undefined || !equalBytes(r.hostKey, hostPublicKey(hostSecretKey))) {
    throw new ValidationError('INVALID_SHARE_ID', `'me' ${id} is no recipient of this session with this host key`, { field: 'me' });
  }
  const body = { sessionId: Uint8Array.from(transcript.session.id), member: id, dealings: transcript.entries.map((e) => ({ ...e })) };
  return { ...body, signature: hostSign(hostSecretKey, TAGS.echo, echoBody(body), rng(32)) };
}

/** The equivocation evidence in a set of sealed messages and echoes against `transcript` (one item per sender). */
export function findEquivocations(transcript: Transcript, echoes: readonly Echo[]): EquivocationEvidence[] {
  const { session } = transcript;
  const out = new Map<bigint, EquivocationEvidence>();
  for (const e of echoes) {
    const r = session.recipients.find((x) => x.id === e.member);
    if (r === undefined || !equalBytes(e.sessionId, session.id) || !hostVerify(r.hostKey, TAGS.echo, echoBody(e), e.signature)) continue;
    for (const d of e.dealings) {
      const mine = transcript.entries.find((x) => x.sender === d.sender);
      if (mine === undefined || out.has(d.sender) || equalBytes(mine.digest, d.digest)) continue;
      if (verifySealedSignature(session, d.sender, d.digest, d.signature)) {
        out.set(d.sender, { sessionId: Uint8Array.from(session.id), sender: d.sender, first: { digest: mine.digest, signature: mine.signature }, second: { digest: d.digest, signature: d.signature } });
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.sender < b.sender ? -1 : 1));
}

/**
 * The equivocation evidence among given sealed messages (two of one sender) and echoes, for a tool that reports it
 * after `transcriptOf` or `checkEchoes` threw `DKG_EQUIVOCATION`. Each message is checked first; unchecked ones are
 * skipped.
 */
export function equivocationsIn(session: WireSession, sealed: readonly SealedDealing[], echoes: readonly Echo[]): EquivocationEvidence[] {
  const first = new Map<bigint, EchoEntry>();
  const found = new Map<bigint, EquivocationEvidence>();
  for (const m of sealed) {
    try {
      checkSealed(session, m);
    } catch {
      continue;
    }
    const e = { sender: m.sender, digest: sealedDigest(m), signature: m.signature };
    const seen = first.get(m.sender);
    if (seen === undefined) first.set(m.sender, e);
    else if (!equalBytes(seen.digest, e.digest) && !found.has(m.sender)) found.set(m.sender, { sessionId: Uint8Array.from(session.id), sender: m.sender, first: seen, second: e });
  }
  if (found.size === 0 && first.size === session.senders.length) {
    const entries = session.senders.map((s) => first.get(s.id)!);
    for (const ev of findEquivocations({ session, sealed: [], entries, hash: hashOf(session.id, entries) }, echoes)) found.set(ev.sender, ev);
  }
  return [...found.values()].sort((a, b) => (a.sender < b.sender ? -1 : 1));
}

/**
 * Anyone checks equivocation evidence against the session.
 * @returns the convicted sender.
 * @throws ValidationError `DKG_EVIDENCE_INVALID` (another session, equal digests, or a signature the sender did not make).
 */
export function verifyEquivocation(session: WireSession, ev: EquivocationEvidence): ShareIndex {
  const bad = (why: string): never => {
    throw new ValidationError('DKG_EVIDENCE_INVALID', `the equivocation evidence against sender ${ev.sender} does not hold: ${why}`, { field: 'evidence' });
  };
  if (!equalBytes(ev.sessionId, session.id)) bad('it is for another session');
  if (equalBytes(ev.first.digest, ev.second.digest)) bad('the two digests are the same message');
  if (!verifySealedSignature(session, ev.sender, ev.first.digest, ev.first.signature)) bad('the first signature is not the sender\'s over its digest in this session');
  if (!verifySealedSignature(session, ev.sender, ev.second.digest, ev.second.signature)) bad('the second signature is not the sender\'s over its digest in this session');
  return ev.sender;
}

/**
 * The agreement rule: a valid echo of every recipient over this transcript's digests; only then may a party
 * combine. Faults are reported most-proven first.
 * @returns the agreed transcript.
 * @throws VerificationError `DKG_EQUIVOCATION` (an echo shows another message of sender i that i signed for this
 *   session; culprits: those senders), `TRANSCRIPT_MISMATCH` (a member echoed a message its sender did not sign, or
 *   a malformed echo; culprits: those members), `SIGNATURE_INVALID` (an echo its member did not sign: altered in
 *   transit, no culprit; suspect the coordinator); ValidationError `CEREMONY_MISMATCH` (an echo of another session, no
 *   culprit; suspect the coordinator), `ECHO_MISSING` (no culprit; suspects: the recipients without a valid echo and
 *   `coordinator`).
 */
export function checkEchoes(transcript: Transcript, echoes: readonly Echo[], field = 'echoes'): AgreedTranscript {
  const { session } = transcript;
  const valid = new Map<bigint, Echo>();
  const liars = new Map<bigint, string>();
  let altered: { at: number; why: 'foreign' | 'unsigned' } | undefined;
  echoes.forEach((e, i) => {
    const r = session.recipients.find((x) => x.id === e.member);
    if (!equalBytes(e.sessionId, session.id)) altered ??= { at: i, why: 'foreign' };
    else if (r === undefined || !hostVerify(r.hostKey, TAGS.echo, echoBody(e), e.signature)) altered ??= { at: i, why: 'unsigned' };
    else {
      const shape = e.dealings.length === transcript.entries.length && e.dealings.every((d, k) => d.sender === transcript.entries[k]!.sender);
      const differs = shape ? e.dealings.filter((d, k) => !equalBytes(d.digest, transcript.entries[k]!.digest)) : [];
      if (!shape) liars.set(e.member, `member ${e.member} signed an echo that does not list every sender once in session order`);
      for (const d of differs) {
        if (!verifySealedSignature(session, d.sender, d.digest, d.signature)) liars.set(e.member, `member ${e.member} echoed a message of sender ${d.sender} (${short(d.digest)}) that sender ${d.sender} did not sign`);
      }
      if (shape && differs.length === 0) valid.set(e.member, e);
    }
  });
  const evidence = findEquivocations(transcript, echoes);
  if (evidence.length > 0) {
    const culprits = evidence.map((ev) => ev.sender.toString());
    const ev = evidence[0]!;
    throw new VerificationError('DKG_EQUIVOCATION', `sender ${culprits.join(', ')} host-signed two different sealed messages for this session (${short(ev.first.digest)} received here, ${short(ev.second.digest)} echoed by another member): it equivocated; nothing may be combined`, {
      field,
      culprits,
    });
  }
  if (liars.size > 0) {
    const culprits = [...liars.keys()].sort((a, b) => (a < b ? -1 : 1)).map(String);
    throw new VerificationError('TRANSCRIPT_MISMATCH', `${[...liars.values()][0]}: nothing may be combined`, { field, culprits });
  }
  const missing = session.recipients.filter((r) => !valid.has(r.id)).map((r) => r.id.toString());
  if (missing.length === 0) return { ...transcript, echoes: session.recipients.map((r) => valid.get(r.id)!) };
  if (altered !== undefined) {
    const where = { field: `${field}[${altered.at}]`, suspects: [COORDINATOR] };
    if (altered.why === 'foreign') throw new ValidationError('CEREMONY_MISMATCH', `'${field}[${altered.at}]' is an echo of another session (a replay: the coordinator is suspect)`, where);
    throw new VerificationError('SIGNATURE_INVALID', `'${field}[${altered.at}]' is not signed by the member it names: altered in transit (the coordinator is suspect)`, where);
  }
  // A missing echo proves nothing about who withheld it (attack a15): the silent members and the coordinator that
  // relays their echoes are suspects, never culprits (decision 0441), so a retry must not drop them on this alone.
  throw new ValidationError('ECHO_MISSING', `no valid echo from member ${missing.join(', ')}: nothing is proven (a missing message does not show who withheld it); suspects, not culprits: member ${missing.join(', ')} or the coordinator; nothing may be combined`, {
    field,
    suspects: [...missing, COORDINATOR],
  });
}

/**
 * Recipient `me` opens its ciphertext of every message of an agreed transcript (the only way the CLI opens a
 * dealing before combining).
 * @returns per sender in session order its V secrets, or undefined where the ciphertext does not decrypt (a
 *   complaint follows); the caller wipes them.
 */
export function openAgreed(agreed: AgreedTranscript, me: bigint | number, hostSecretKey: Uint8Array): { sender: ShareIndex; secrets: SecretBytes[] | undefined }[] {
  return agreed.sealed.map((m) => ({ sender: m.sender, secrets: openSealed(agreed.session, me, hostSecretKey, m) }));
}
