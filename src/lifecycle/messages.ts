/**
 * JSON encodings of the lifecycle's wire messages (docs/formats/lifecycle-messages.md; decisions 1005, 0425-0428):
 * recipient enrollments, sealed messages (a reshare's or refresh's dealing, a repair's deltas or sums), echoes
 * (transcript agreement, echo.ts), complaints, equivocation evidence and the handover partials of the new holders. Every byte string is 0x-prefixed lowercase hex; share ids are integers.
 * Parsing is strict (unknown or missing fields, wrong lengths: `DKG_INVALID_MESSAGE` naming the field, as the DKG's
 * messages, whose reader helpers these are); signatures are checked by wire.ts, not here.
 *
 * @module
 */
import { hex, invalidMessage, readArray, readHeader, readHex, readInt, readObject } from '../dkg/codec.js';
import { DLEQ_PROOF_BYTES } from '../dkg/dleq.js';
import { ENCRYPTION_PUBLIC_KEY_BYTES } from '../dkg/encryption.js';
import { HOST_PUBLIC_KEY_BYTES, HOST_SIGNATURE_BYTES } from '../dkg/host-key.js';
import type { ShareIndex } from '../types.js';
import type { SignedHandover } from './signed-handover.js';
import { MAX_LIFECYCLE_VALIDATORS } from './public-data.js';
import type { Echo, EquivocationEvidence } from './echo.js';
import type { Enrollment, SealedDealing, WireComplaint } from './wire.js';

/** The format tags of the lifecycle's message files. */
export const LIFECYCLE_FORMATS = {
  enrollment: 'dvkeys/lifecycle-enrollment',
  sealed: 'dvkeys/lifecycle-sealed',
  complaint: 'dvkeys/lifecycle-complaint',
  handover: 'dvkeys/lifecycle-handover',
  echo: 'dvkeys/lifecycle-echo',
  equivocation: 'dvkeys/lifecycle-equivocation',
} as const;

/**
 * Format versions: sealed 2 (the signature binds session, sender and body digest, decision 0425) and handover 3
 * (partials bind the new public data hash, decision 0427, and the set is bound to the session and host-signed,
 * decision 0442); older versions of either are refused.
 */
const VERSIONS = { sealed: 2, handover: 3, echo: 1, equivocation: 1 } as const;

/** What a sealed message carries: a reshare or refresh dealing, a repair helper's deltas, or its sums. */
export type SealedStep = 'deal' | 'repair-deltas' | 'repair-sums';
const STEPS: readonly SealedStep[] = ['deal', 'repair-deltas', 'repair-sums'];

const MAX_ID = 2 ** 32;
const MAX_PARTIES = 1024;
const MAX_COMMITMENTS = 1024;

const id = (value: unknown, field: string): ShareIndex => BigInt(readInt(value, field, 1, MAX_ID)) as ShareIndex;

const readPlanId = (obj: Readonly<Record<string, unknown>>, field: string): Uint8Array => readHex(obj['planId'], `${field}.planId`, 32);

/** An enrollment file: the {@link Enrollment} with the plan it is for. */
export function enrollmentToJson(planId: Uint8Array, e: Enrollment): Record<string, unknown> {
  return { format: LIFECYCLE_FORMATS.enrollment, version: 1, planId: hex(planId), id: Number(e.id), hostPublicKey: hex(e.hostKey), salt: hex(e.salt), encryptionKey: hex(e.encKey), signature: hex(e.signature) };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field.
 */
export function parseEnrollment(value: unknown, field = 'enrollment'): { planId: Uint8Array; enrollment: Enrollment } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'id', 'hostPublicKey', 'salt', 'encryptionKey', 'signature']);
  readHeader(o, field, LIFECYCLE_FORMATS.enrollment, 1);
  return {
    planId: readPlanId(o, field),
    enrollment: {
      id: id(o['id'], `${field}.id`),
      hostKey: readHex(o['hostPublicKey'], `${field}.hostPublicKey`, HOST_PUBLIC_KEY_BYTES),
      salt: readHex(o['salt'], `${field}.salt`, 32),
      encKey: readHex(o['encryptionKey'], `${field}.encryptionKey`, ENCRYPTION_PUBLIC_KEY_BYTES),
      signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES),
    },
  };
}

/** A sealed-message file. */
export function sealedToJson(planId: Uint8Array, step: SealedStep, m: SealedDealing): Record<string, unknown> {
  return {
    format: LIFECYCLE_FORMATS.sealed,
    version: VERSIONS.sealed,
    planId: hex(planId),
    step,
    sessionId: hex(m.sessionId),
    sender: Number(m.sender),
    salt: hex(m.salt),
    ephemeralKey: hex(m.ephemeralKey),
    ephemeralProof: hex(m.ephemeralProof),
    commitments: m.commitments.map((cs) => cs.map(hex)),
    ciphertexts: m.ciphertexts.map(hex),
    signature: hex(m.signature),
  };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field, `LIMIT_EXCEEDED`.
 */
export function parseSealed(value: unknown, field = 'sealed'): { planId: Uint8Array; step: SealedStep; sealed: SealedDealing } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'step', 'sessionId', 'sender', 'salt', 'ephemeralKey', 'ephemeralProof', 'commitments', 'ciphertexts', 'signature']);
  readHeader(o, field, LIFECYCLE_FORMATS.sealed, VERSIONS.sealed);
  const step = o['step'];
  if (typeof step !== 'string' || !(STEPS as readonly string[]).includes(step)) invalidMessage(`${field}.step`, `expected one of ${STEPS.join(', ')}`);
  const commitments = readArray(o['commitments'], `${field}.commitments`, MAX_LIFECYCLE_VALIDATORS).map((cs, v) =>
    readArray(cs, `${field}.commitments[${v}]`, MAX_COMMITMENTS).map((c, k) => readHex(c, `${field}.commitments[${v}][${k}]`, 96)),
  );
  const ciphertexts = readArray(o['ciphertexts'], `${field}.ciphertexts`, MAX_PARTIES).map((c, k) => readHex(c, `${field}.ciphertexts[${k}]`, { max: 32 * MAX_LIFECYCLE_VALIDATORS + 16 }));
  return {
    planId: readPlanId(o, field),
    step: step as SealedStep,
    sealed: {
      sessionId: readHex(o['sessionId'], `${field}.sessionId`, 32),
      sender: id(o['sender'], `${field}.sender`),
      salt: readHex(o['salt'], `${field}.salt`, 32),
      ephemeralKey: readHex(o['ephemeralKey'], `${field}.ephemeralKey`, ENCRYPTION_PUBLIC_KEY_BYTES),
      ephemeralProof: readHex(o['ephemeralProof'], `${field}.ephemeralProof`, { max: 128 }),
      commitments,
      ciphertexts,
      signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES),
    },
  };
}

/** A complaint file. */
export function complaintToJson(planId: Uint8Array, c: WireComplaint): Record<string, unknown> {
  return { format: LIFECYCLE_FORMATS.complaint, version: 1, planId: hex(planId), sessionId: hex(c.sessionId), complainer: Number(c.complainer), accused: Number(c.accused), point: hex(c.point), dleqProof: hex(c.dleqProof), signature: hex(c.signature) };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field.
 */
export function parseComplaint(value: unknown, field = 'complaint'): { planId: Uint8Array; complaint: WireComplaint } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'sessionId', 'complainer', 'accused', 'point', 'dleqProof', 'signature']);
  readHeader(o, field, LIFECYCLE_FORMATS.complaint, 1);
  return {
    planId: readPlanId(o, field),
    complaint: {
      sessionId: readHex(o['sessionId'], `${field}.sessionId`, 32),
      complainer: id(o['complainer'], `${field}.complainer`),
      accused: id(o['accused'], `${field}.accused`),
      point: readHex(o['point'], `${field}.point`, ENCRYPTION_PUBLIC_KEY_BYTES),
      dleqProof: readHex(o['dleqProof'], `${field}.dleqProof`, DLEQ_PROOF_BYTES),
      signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES),
    },
  };
}

/** A new holder's handover file: its reshare-complete partial signature of every validator, host-signed. */
export function handoverToJson(planId: Uint8Array, h: SignedHandover): Record<string, unknown> {
  const p = h.partials;
  return { format: LIFECYCLE_FORMATS.handover, version: VERSIONS.handover, planId: hex(planId), sessionId: hex(h.sessionId), member: Number(p.member), publicDataHash: hex(p.publicDataHash), signatures: p.signatures.map(hex), signature: hex(h.signature) };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field (a version-1 or -2 file, not host-signed, is
 *   refused at `.version` before any other field is read), `LIMIT_EXCEEDED`.
 */
export function parseHandover(value: unknown, field = 'handover'): { planId: Uint8Array; handover: SignedHandover } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Readonly<Record<string, unknown>>;
    if (o['format'] === LIFECYCLE_FORMATS.handover && (o['version'] === 1 || o['version'] === 2)) {
      invalidMessage(`${field}.version`, `version ${o['version']} of "${LIFECYCLE_FORMATS.handover}" is no longer accepted (not bound to the session nor host-signed, so the coordinator could alter it; decision 0442); expected ${VERSIONS.handover}: the new holder signs its handover with this dvkeys`);
    }
  }
  const o = readObject(value, field, ['format', 'version', 'planId', 'sessionId', 'member', 'publicDataHash', 'signatures', 'signature']);
  readHeader(o, field, LIFECYCLE_FORMATS.handover, VERSIONS.handover);
  return {
    planId: readPlanId(o, field),
    handover: {
      sessionId: readHex(o['sessionId'], `${field}.sessionId`, 32),
      partials: {
        member: id(o['member'], `${field}.member`),
        publicDataHash: readHex(o['publicDataHash'], `${field}.publicDataHash`, 32),
        signatures: readArray(o['signatures'], `${field}.signatures`, MAX_LIFECYCLE_VALIDATORS).map((s, v) => readHex(s, `${field}.signatures[${v}]`, 96)),
      },
      signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES),
    },
  };
}

const entryJson = (e: { digest: Uint8Array; signature: Uint8Array }): Record<string, string> => ({ digest: hex(e.digest), signature: hex(e.signature) });
const readEntry = (value: unknown, field: string, extra: readonly string[] = []): { digest: Uint8Array; signature: Uint8Array; o: Readonly<Record<string, unknown>> } => {
  const o = readObject(value, field, [...extra, 'digest', 'signature']);
  return { o, digest: readHex(o['digest'], `${field}.digest`, 32), signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES) };
};

/** An echo file: a recipient's host-signed list of the sealed messages it received (echo.ts). */
export function echoToJson(planId: Uint8Array, e: Echo): Record<string, unknown> {
  return {
    format: LIFECYCLE_FORMATS.echo,
    version: VERSIONS.echo,
    planId: hex(planId),
    sessionId: hex(e.sessionId),
    member: Number(e.member),
    dealings: e.dealings.map((d) => ({ sender: Number(d.sender), ...entryJson(d) })),
    signature: hex(e.signature),
  };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field, `LIMIT_EXCEEDED`.
 */
export function parseEcho(value: unknown, field = 'echo'): { planId: Uint8Array; echo: Echo } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'sessionId', 'member', 'dealings', 'signature']);
  readHeader(o, field, LIFECYCLE_FORMATS.echo, VERSIONS.echo);
  return {
    planId: readPlanId(o, field),
    echo: {
      sessionId: readHex(o['sessionId'], `${field}.sessionId`, 32),
      member: id(o['member'], `${field}.member`),
      dealings: readArray(o['dealings'], `${field}.dealings`, MAX_PARTIES).map((d, k) => {
        const e = readEntry(d, `${field}.dealings[${k}]`, ['sender']);
        return { sender: id(e.o['sender'], `${field}.dealings[${k}].sender`), digest: e.digest, signature: e.signature };
      }),
      signature: readHex(o['signature'], `${field}.signature`, HOST_SIGNATURE_BYTES),
    },
  };
}

/** An equivocation evidence file: two bodies one sender host-signed for one session (echo.ts verifyEquivocation). */
export function equivocationToJson(planId: Uint8Array, ev: EquivocationEvidence): Record<string, unknown> {
  return { format: LIFECYCLE_FORMATS.equivocation, version: VERSIONS.equivocation, planId: hex(planId), sessionId: hex(ev.sessionId), sender: Number(ev.sender), first: entryJson(ev.first), second: entryJson(ev.second) };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field.
 */
export function parseEquivocation(value: unknown, field = 'equivocation'): { planId: Uint8Array; evidence: EquivocationEvidence } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'sessionId', 'sender', 'first', 'second']);
  readHeader(o, field, LIFECYCLE_FORMATS.equivocation, VERSIONS.equivocation);
  const first = readEntry(o['first'], `${field}.first`);
  const second = readEntry(o['second'], `${field}.second`);
  return {
    planId: readPlanId(o, field),
    evidence: {
      sessionId: readHex(o['sessionId'], `${field}.sessionId`, 32),
      sender: id(o['sender'], `${field}.sender`),
      first: { digest: first.digest, signature: first.signature },
      second: { digest: second.digest, signature: second.signature },
    },
  };
}
