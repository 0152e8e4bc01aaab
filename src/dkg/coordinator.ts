/**
 * The coordinator (brief B4 "The coordinator checks…", "Coordinator finalize"): untrusted, so it only collects,
 * forwards and aggregates what participants verify themselves. Anyone can run it: a server, one operator, or a
 * person carrying files.
 *
 * - {@link collectRound1}: keeps, per index, the first round-1 message that parses and carries its sender's valid
 *   host signature for this ceremony (anything else cannot be attributed and is ignored, as if lost), and forwards
 *   all n verbatim in index order (C1). Two different signed messages from one sender convict it of equivocation;
 *   a missing one aborts with that participant as suspect.
 * - {@link collectRound2}: needs n Acks. Any complaint, missing Ack, conflicting messages, bad CertEq vote or bad
 *   partial signature aborts with evidence (verifyEvidence re-checks it). Otherwise it checks all n·D partials in one
 *   pairing product, combines the lowest t per deposit, checks the results under the validator keys, and returns
 *   the final message (C2): the certificate (every vote) and the deposit signatures.
 *
 * @module
 */
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { ValidationError } from '../errors.js';
import { G1, encodeG2, type G1Point, type G2Point } from '../bls/group.js';
import { decodeG2Strict } from './g2.js';
import { equalBytes, hex, readArray } from './codec.js';
import { MAX_PARTICIPANTS } from './constants.js';
import { parseDefinition, type Definition } from './definition.js';
import { combineDeposits, depositSignaturesValid, depositSigningRoots, hashDeposits, invalidPartialsOf, partialsValid, type DepositRootFn } from './deposit.js';
import {
  ackToJson,
  complaintToJson,
  finalToJson,
  parseCollected,
  parseRound1,
  parseRound2,
  round1Digest,
  round1ToJson,
  verifyAckSignature,
  verifyComplaintSignature,
  verifyRound1Signature,
  type Ack,
  type CollectedJson,
  type FinalJson,
  type Round1,
  type Round2,
} from './messages.js';
import { decodeG1Uncompressed } from './points.js';
import { checkRelay, invalidCertificateEntries, transcriptHash, verifyCertSignature } from './transcript.js';
import { publicOutputs } from './verify.js';
import type { AbortReportJson, EvidenceJson } from './blame.js';

/** The result of a coordinator step: the message to forward, or an abort report for everyone. */
export type CollectResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly abort: AbortReportJson };

function abort(def: Definition, stage: AbortReportJson['stage'], evidence: EvidenceJson[], collected?: CollectedJson): { ok: false; abort: AbortReportJson } {
  return { ok: false, abort: { format: 'dvkeys/dkg-abort', version: 1, ceremonyId: def.idHex, stage, ...(collected === undefined ? {} : { collected }), evidence } };
}

/**
 * Collects round-1 messages (any order; duplicates and foreign messages tolerated) into the collected round 1.
 * @throws ValidationError for a malformed definition, or more than 4·64 messages.
 */
export function collectRound1(definition: unknown, messages: readonly unknown[]): CollectResult<CollectedJson> {
  const def = parseDefinition(definition);
  readArray(messages, 'messages', 4 * MAX_PARTICIPANTS);
  const kept = new Map<number, { message: Round1; digest: Uint8Array }>();
  const evidence: EvidenceJson[] = [];
  const convicted = new Set<number>();
  for (const raw of messages) {
    let m: Round1;
    try {
      m = parseRound1(raw, 'round1', def);
    } catch {
      continue; // unparseable: not attributable to anyone
    }
    const p = def.participants[m.index - 1];
    if (p === undefined || !equalBytes(m.ceremonyId, def.id)) continue;
    const digest = round1Digest(m);
    if (!verifyRound1Signature(m, p.hostKey, digest)) continue;
    const first = kept.get(m.index);
    if (first === undefined) {
      kept.set(m.index, { message: m, digest });
    } else if (!equalBytes(first.digest, digest) && !convicted.has(m.index)) {
      convicted.add(m.index);
      evidence.push({ kind: 'equivocation', first: round1ToJson(first.message), second: round1ToJson(m) });
    }
  }
  for (const p of def.participants) {
    if (!kept.has(p.index)) evidence.push({ kind: 'missing', index: p.index, stage: 'round1', detail: `no round-1 message from participant ${p.index}` });
  }
  if (evidence.length > 0) return abort(def, 'round1', evidence);
  const round1 = def.participants.map((p) => round1ToJson(kept.get(p.index)!.message));
  return { ok: true, message: { format: 'dvkeys/dkg-collected', version: 1, ceremonyId: def.idHex, round1 } };
}

/** Options of {@link collectRound2}. */
export interface CollectRound2Options {
  readonly rng?: RandomBytes;
  readonly depositSigningRoot?: DepositRootFn;
}

/** Σ_j C_{j,v,k} without the participants' checks (they all acknowledged the transcript). */
function summedCommitments(def: Definition, round1: readonly Round1[]): G1Point[][] {
  const sums = Array.from({ length: def.V }, () => new Array<G1Point>(def.t).fill(G1.ZERO));
  for (const m of round1) {
    m.validators.forEach((d, v) => d.commitments.forEach((c, k) => (sums[v]![k] = sums[v]![k]!.add(decodeG1Uncompressed(c, 'commitment')))));
  }
  return sums;
}

/**
 * Collects round-2 messages against the collected round 1 it forwarded, and finalises: the final message, or an
 * abort report with evidence.
 * @throws ValidationError for a malformed definition or collected round 1, or one that is not a valid relay
 *   (`DKG_INVALID_MESSAGE`).
 */
export function collectRound2(definition: unknown, collected: unknown, messages: readonly unknown[], options: CollectRound2Options = {}): CollectResult<FinalJson> {
  const def = parseDefinition(definition);
  const rng = options.rng ?? systemRandomBytes;
  const c = parseCollected(collected, def);
  const relay = checkRelay(def, c.ceremonyId, c.round1);
  if (!relay.ok) {
    throw new ValidationError('DKG_INVALID_MESSAGE', `'collected' is not a valid relay: ${relay.problems[0]!.detail}`, { field: 'collected' });
  }
  const collectedJson: CollectedJson = { format: 'dvkeys/dkg-collected', version: 1, ceremonyId: def.idHex, round1: c.round1.map(round1ToJson) };
  const hash = transcriptHash(def.id, relay.digests);
  readArray(messages, 'messages', 4 * MAX_PARTICIPANTS);
  const kept = new Map<number, Round2>();
  const evidence: EvidenceJson[] = [];
  for (const raw of messages) {
    let m: Round2;
    try {
      m = parseRound2(raw);
    } catch {
      continue;
    }
    const body = m.kind === 'ack' ? m.ack : m.complaint;
    const p = def.participants[body.index - 1];
    if (p === undefined || !equalBytes(body.ceremonyId, def.id)) continue;
    const signed = m.kind === 'ack' ? verifyAckSignature(m.ack, p.hostKey) : verifyComplaintSignature(m.complaint, p.hostKey);
    if (!signed) continue;
    const first = kept.get(body.index);
    if (first === undefined || (first.kind === 'ack' && m.kind === 'complaint')) kept.set(body.index, m);
  }
  for (const m of kept.values()) if (m.kind === 'complaint') evidence.push({ kind: 'complaint', complaint: complaintToJson(m.complaint) });
  for (const p of def.participants) {
    if (!kept.has(p.index)) evidence.push({ kind: 'missing', index: p.index, stage: 'round2', detail: `no Ack from participant ${p.index}` });
  }
  if (evidence.length > 0) return abort(def, 'round2', evidence, collectedJson);
  const acks = def.participants.map((p) => (kept.get(p.index) as { kind: 'ack'; ack: Ack }).ack);
  for (const ack of acks) {
    if (!equalBytes(ack.transcriptHash, hash)) {
      evidence.push({ kind: 'missing', index: ack.index, stage: 'round2', detail: `participant ${ack.index} acknowledged another transcript (it or the coordinator is faulty; compare collected round-1 copies)` });
    } else if (!verifyCertSignature(def, ack.index, hash, ack.certSignature)) {
      evidence.push({ kind: 'invalid-ack', ack: ackToJson(ack) });
    }
  }
  const partials: G2Point[][] = [];
  for (const ack of acks) {
    try {
      if (ack.depositPartials.length !== def.deposits.length) throw new RangeError('count');
      partials.push(ack.depositPartials.map((s, d) => decodeG2Strict(s, `depositPartials[${d}]`)));
    } catch {
      if (!evidence.some((e) => e.kind === 'invalid-ack' && e.ack.index === ack.index)) evidence.push({ kind: 'invalid-ack', ack: ackToJson(ack) });
    }
  }
  if (evidence.length > 0) return abort(def, 'round2', evidence, collectedJson);
  const out = publicOutputs(def, summedCommitments(def, c.round1));
  const hashed = hashDeposits(depositSigningRoots(def, out.pubkeys, options.depositSigningRoot));
  const signers = def.participants.map((p) => p.index);
  if (!partialsValid(def, hashed, out.publicSharePoints, signers, partials, rng)) {
    acks.forEach((ack, s) => {
      const wrong = invalidPartialsOf(def, hashed, out.publicSharePoints, ack.index, partials[s]!, rng);
      if (wrong.length > 0) evidence.push({ kind: 'invalid-partial', ack: ackToJson(ack), deposit: wrong[0]! });
    });
    return abort(def, 'round2', evidence, collectedJson);
  }
  const chosen = signers.slice(0, def.t);
  const combined = combineDeposits(chosen, partials.slice(0, def.t), def.deposits.length);
  if (!depositSignaturesValid(def, hashed, out.pubkeyPoints, combined, rng)) {
    throw new RangeError('collectRound2: valid partials combined into an invalid signature');
  }
  const final = finalToJson({ ceremonyId: def.id, transcriptHash: hash, certificate: acks.map((a) => a.certSignature), depositSignatures: combined.map(encodeG2) });
  if (invalidCertificateEntries(def, hash, acks.map((a) => a.certSignature)).length > 0) throw new RangeError('collectRound2: certificate check failed after vote checks');
  return { ok: true, message: final };
}

/**
 * The transcript hash (0x-hex) of a collected round 1, e.g. to show operators.
 * @throws ValidationError `DKG_INVALID_MESSAGE` for a malformed collected round 1 or an invalid relay.
 */
export function collectedTranscriptHash(definition: unknown, collected: unknown): string {
  const def = parseDefinition(definition);
  const c = parseCollected(collected, def);
  const relay = checkRelay(def, c.ceremonyId, c.round1);
  if (!relay.ok) throw new ValidationError('DKG_INVALID_MESSAGE', `'collected' is not a valid relay: ${relay.problems[0]!.detail}`, { field: 'collected' });
  return hex(transcriptHash(def.id, relay.digests));
}
