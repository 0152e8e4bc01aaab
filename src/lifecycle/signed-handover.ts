/**
 * Host-signed handover messages (docs/protocols/lifecycle.md "The handover rule" and "On the wire"; decision 0442).
 * A new holder's reshare-complete partials ({@link HandoverPartials}, handover.ts) travel through the untrusted
 * coordinator; unsigned, the coordinator could alter one partial and have an honest holder named culprit
 * (`PARTIAL_SIGNATURE_INVALID`), replay a set from another session, or forge one for a silent holder. So each set
 * is bound to the wire session of the step (session id: plan, senders' host keys, enrollments; wire.ts) and signed
 * with the holder's host key (the DKG's BIP-340 identity key, decision 0430):
 *
 *   signature = BIP-340 over taggedHash(`DVKEYS-LIFECYCLE-V1/handover`, session id || u64 member ||
 *               publicDataHash || u32 V || the V partials)
 *
 * An altered, foreign or unsigned set names nobody (the coordinator is suspect); a signed set whose partial fails
 * over the agreed new public data is proof against its holder that anyone can check offline
 * ({@link judgeHandover}); two different signed sets of one holder convict it (`DKG_EQUIVOCATION`).
 *
 * @module
 */
import { ValidationError, VerificationError, isDvkeysError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PartialSignature, RandomBytes, ShareIndex } from '../types.js';
import { Writer, equalBytes } from '../dkg/codec.js';
import { hostPublicKey, hostSign, hostVerify } from '../dkg/host-key.js';
import { findInvalidPartials } from '../sharing/threshold-signature.js';
import { newPublicDataHash, reshareCompleteMessage, type HandoverPartials, type HandoverPublicData } from './handover.js';
import type { WireSession } from './wire.js';
import { COORDINATOR } from './omission.js';

const TAG = 'DVKEYS-LIFECYCLE-V1/handover';

/** A new holder's handover partials, bound to a wire session and signed by its host key. */
export interface SignedHandover {
  /** The wire session of the step the holder finished (wire.ts `WireSession.id`). */
  readonly sessionId: Uint8Array;
  readonly partials: HandoverPartials;
  /** 64-byte BIP-340 signature of the holder's host key. */
  readonly signature: Uint8Array;
}

/** The verdict on a signed handover: its holder signed a partial that does not verify. */
export interface HandoverVerdict {
  readonly culprit: ShareIndex;
  readonly fault: 'invalid-partial';
  /** The validators whose partial fails. */
  readonly validators: readonly number[];
}

const body = (sessionId: Uint8Array, p: HandoverPartials): Uint8Array => {
  const w = new Writer().raw(sessionId).u64(p.member).raw(p.publicDataHash).u32(p.signatures.length);
  for (const s of p.signatures) w.bytes(s);
  return w.finish();
};

/**
 * A new holder signs its handover partials for the session with its host key.
 * @throws ValidationError `INVALID_SHARE_ID` (the member is no recipient of the session with this host key),
 *   `INVALID_LENGTH` (a publicDataHash that is not 32 bytes).
 */
export function signHandoverMessage(session: WireSession, hostSecretKey: Uint8Array, partials: HandoverPartials, rng: RandomBytes = systemRandomBytes): SignedHandover {
  const r = session.recipients.find((x) => x.id === partials.member);
  if (r === undefined || !equalBytes(r.hostKey, hostPublicKey(hostSecretKey))) {
    throw new ValidationError('INVALID_SHARE_ID', `'partials.member' ${partials.member} is no recipient of this session with this host key`, { field: 'partials.member' });
  }
  if (partials.publicDataHash.length !== 32) throw new ValidationError('INVALID_LENGTH', "'partials.publicDataHash' expected 32 bytes", { field: 'partials.publicDataHash' });
  return { sessionId: Uint8Array.from(session.id), partials, signature: hostSign(hostSecretKey, TAG, body(session.id, partials), rng(32)) };
}

/** True when `h` is for this session and signed by the host key of the recipient it names. */
export function verifyHandoverSignature(session: WireSession, h: SignedHandover): boolean {
  const r = session.recipients.find((x) => x.id === h.partials.member);
  return r !== undefined && equalBytes(h.sessionId, session.id) && h.partials.publicDataHash.length === 32 && hostVerify(r.hostKey, TAG, body(session.id, h.partials), h.signature);
}

/**
 * Checks the host signatures of handover messages and keeps one set per holder, for `checkHandover` (handover.ts).
 * A set altered in transit, of another session or naming no recipient is ignored while every holder has a valid
 * set (the coordinator may add junk; it can always withhold); when a holder lacks one, the first such set is
 * reported, naming nobody: the coordinator is suspect.
 * `names` (optional) names each set in fields and messages (the CLI gives the file names).
 * @returns the partials of the validly signed sets, one per holder, in the order given.
 * @throws VerificationError `DKG_EQUIVOCATION` (two different sets its holder signed for this session; culprits:
 *   that holder), `SIGNATURE_INVALID` (a set not signed by the holder it names; suspects: `coordinator`);
 *   ValidationError `CEREMONY_MISMATCH` (a set of another session: a replay; suspects: `coordinator`),
 *   `INVALID_SHARE_ID` (a set naming no recipient; suspects: `coordinator`).
 */
export function checkSignedHandovers(session: WireSession, handovers: readonly SignedHandover[], field = 'handovers', names?: readonly string[]): HandoverPartials[] {
  const at = (i: number): string => names?.[i] ?? `${field}[${i}]`;
  const valid = new Map<bigint, { h: SignedHandover; at: number }>();
  const rejected: { at: number; member: bigint; why: 'foreign' | 'stranger' | 'unsigned' }[] = [];
  handovers.forEach((h, i) => {
    const member = h.partials.member;
    if (!equalBytes(h.sessionId, session.id)) rejected.push({ at: i, member, why: 'foreign' });
    else if (!session.recipients.some((r) => r.id === member)) rejected.push({ at: i, member, why: 'stranger' });
    else if (!verifyHandoverSignature(session, h)) rejected.push({ at: i, member, why: 'unsigned' });
    else {
      const seen = valid.get(member);
      if (seen === undefined) valid.set(member, { h, at: i });
      else if (!equalBytes(body(session.id, seen.h.partials), body(session.id, h.partials))) {
        throw new VerificationError('DKG_EQUIVOCATION', `new holder ${member} host-signed two different handover sets for this session (${at(seen.at)} and ${at(i)}): old shares must not be deleted`, {
          field: at(i),
          culprits: [member.toString()],
        });
      }
    }
  });
  const bad = session.recipients.some((r) => !valid.has(r.id)) ? rejected[0] : undefined;
  if (bad !== undefined) {
    const where = { field: `${at(bad.at)}${bad.why === 'foreign' ? '.sessionId' : bad.why === 'stranger' ? '.member' : '.signature'}`, suspects: [COORDINATOR] };
    if (bad.why === 'foreign') throw new ValidationError('CEREMONY_MISMATCH', `'${at(bad.at)}' is a handover of another session (a replay: the coordinator is suspect); nobody is named; old shares must not be deleted`, where);
    if (bad.why === 'stranger') throw new ValidationError('INVALID_SHARE_ID', `'${at(bad.at)}' names member ${bad.member}, no new holder of this session (the coordinator is suspect); old shares must not be deleted`, where);
    throw new VerificationError('SIGNATURE_INVALID', `'${at(bad.at)}' is not signed by new holder ${bad.member}'s host key: altered in transit or forged (the coordinator is suspect); nobody is named; old shares must not be deleted`, where);
  }
  return [...valid.values()].sort((a, b) => a.at - b.at).map((x) => x.h.partials);
}

/**
 * Anyone rules on one signed handover against the agreed new public data of the step (offline, from the public
 * messages): a set its holder signed, over this public data, with a partial that fails against the holder's new
 * public share convicts that holder. The check is the one `checkHandover` makes, one partial at a time.
 * @returns the verdict naming the holder.
 * @throws ValidationError `DKG_EVIDENCE_INVALID` (no proof: not signed by the holder for this session, over other
 *   new public data, or every partial verifies).
 */
export function judgeHandover(session: WireSession, definitionId: Uint8Array, publicData: readonly HandoverPublicData[], h: SignedHandover, rng: RandomBytes = systemRandomBytes): HandoverVerdict {
  const member = h.partials.member;
  const none = (why: string): never => {
    throw new ValidationError('DKG_EVIDENCE_INVALID', `the handover of new holder ${member} proves no fault: ${why}`, { field: 'handover' });
  };
  if (!verifyHandoverSignature(session, h)) none('it is not signed by that holder\'s host key for this session');
  if (!equalBytes(h.partials.publicDataHash, newPublicDataHash(definitionId, publicData))) none('it is signed over other new public data (another transcript), not over this one');
  if (h.partials.signatures.length !== publicData.length) {
    return { culprit: member, fault: 'invalid-partial', validators: [] };
  }
  const validators: number[] = [];
  publicData.forEach((data, v) => {
    const share = data.publicShares.find((p) => p.id === member);
    if (share === undefined) none('it names no holder of the new public data');
    const partial: PartialSignature = { id: member, signature: h.partials.signatures[v]! };
    try {
      if (findInvalidPartials([share!], reshareCompleteMessage(definitionId, data.groupPublicKey, h.partials.publicDataHash), [partial], rng).length > 0) validators.push(v);
    } catch (e) {
      if (!isDvkeysError(e)) throw e;
      validators.push(v); // a partial that is no G2 point, signed by its holder
    }
  });
  if (validators.length === 0) none('every partial verifies against its new public share');
  return { culprit: member, fault: 'invalid-partial', validators };
}
