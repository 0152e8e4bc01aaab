/**
 * JSON encodings of the lifecycle's wire messages (docs/formats/lifecycle-messages.md; decision 1005): recipient
 * enrollments, sealed messages (a reshare's or refresh's dealing, a repair's deltas or sums), complaints and the
 * handover partials of the new holders. Every byte string is 0x-prefixed lowercase hex; share ids are integers.
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
import type { HandoverPartials } from './handover.js';
import { MAX_LIFECYCLE_VALIDATORS } from './public-data.js';
import type { Enrollment, SealedDealing, WireComplaint } from './wire.js';

/** The format tags of the lifecycle's message files. */
export const LIFECYCLE_FORMATS = {
  enrollment: 'dvkeys/lifecycle-enrollment',
  sealed: 'dvkeys/lifecycle-sealed',
  complaint: 'dvkeys/lifecycle-complaint',
  handover: 'dvkeys/lifecycle-handover',
} as const;

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
    version: 1,
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
  readHeader(o, field, LIFECYCLE_FORMATS.sealed, 1);
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

/** A new holder's handover file: its reshare-complete partial signature of every validator. */
export function handoverToJson(planId: Uint8Array, p: HandoverPartials): Record<string, unknown> {
  return { format: LIFECYCLE_FORMATS.handover, version: 1, planId: hex(planId), member: Number(p.member), signatures: p.signatures.map(hex) };
}

/**
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field, `LIMIT_EXCEEDED`.
 */
export function parseHandover(value: unknown, field = 'handover'): { planId: Uint8Array; partials: HandoverPartials } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'member', 'signatures']);
  readHeader(o, field, LIFECYCLE_FORMATS.handover, 1);
  return {
    planId: readPlanId(o, field),
    partials: {
      member: id(o['member'], `${field}.member`),
      signatures: readArray(o['signatures'], `${field}.signatures`, MAX_LIFECYCLE_VALIDATORS).map((s, v) => readHex(s, `${field}.signatures[${v}]`, 96)),
    },
  };
}
