/**
 * The participant as a pure, serialisable state machine (brief B7): no I/O, no clock, randomness passed in, every
 * input parsed and copied, one JSON state between steps.
 *
 * - {@link startRound1}(definition, hostSk, {random}) → state `round1` + round-1 message. Deterministic in
 *   (definition, host key, random): a restart re-sends the byte-identical message (no accidental equivocation).
 * - {@link processRound1}(state, hostSk, collected) → state `round2` + Ack (CertEq vote and deposit partials), or
 *   state `aborted` + complaint (or a coordinator verdict). Refuses a state of another step, and a second, different
 *   collected round 1 (`DKG_REPLAY`). A participant that complains never votes, and one that voted never complains
 *   (its state has moved on).
 * - finalize.ts then turns state `round2` and the final message into the output.
 *
 * @module
 */
import { wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { encodeScalar } from '../bls/field.js';
import { equalBytes, hex } from './codec.js';
import { TAGS } from './constants.js';
import { dealRound1, type DealHooks } from './deal.js';
import { participantIndex, parseDefinition, type Definition } from './definition.js';
import { depositSigningRoots, hashDeposits, signDeposits, type DepositRootFn } from './deposit.js';
import { deriveEncryptionSecret, sharedPoint } from './encryption.js';
import { proveDleq } from './dleq.js';
import { hostSign } from './host-key.js';
import {
  COMPLAINT_FAULTS,
  ackToJson,
  certMessage,
  complaintToJson,
  parseCollected,
  round1ToJson,
  signAck,
  signComplaint,
  type AckJson,
  type ComplaintAccusation,
  type ComplaintJson,
  type Round1,
  type Round1Json,
} from './messages.js';
import { encodeG2Uncompressed } from './points.js';
import { receiveShares } from './shares.js';
import { parseState, type ParticipantStateJson } from './state.js';
import { checkRelay, transcriptHash } from './transcript.js';
import { checkPublic, publicOutputs, type Finding } from './verify.js';
import { verdictOf, type Blame, type EvidenceJson, type Verdict } from './blame.js';

/** Options of {@link startRound1}. */
export interface StartRound1Options {
  /** rand32: 32 bytes of fresh randomness (never all zero); default from `rng`. Same value → same message. */
  readonly random?: Uint8Array;
  readonly rng?: RandomBytes;
  /** The ceremony id (0x-hex) the operator approved out of band; a different definition is refused. */
  readonly expectedCeremonyId?: string;
  /**
   * Every state of this operator the caller holds (from earlier runs). If one of them, for this ceremony and index,
   * dealt another round-1 message, or has moved past round 1, startRound1 refuses with `DKG_ALREADY_DONE`: one deal
   * per operator and ceremony, a retry needs a new draft (new attempt nonce, new ceremony id). A state of the same
   * deal (same randomness, so the byte-identical message) at step round1 is a restart and passes.
   */
  readonly priorStates?: readonly unknown[];
}

/** The result of {@link startRound1}. */
export interface StartRound1Result {
  readonly state: ParticipantStateJson;
  readonly message: Round1Json;
}

function round1State(def: Definition, index: number, digest: Uint8Array): ParticipantStateJson {
  return { format: 'dvkeys/dkg-state', version: 1, step: 'round1', ceremonyId: def.idHex, index, definition: def.json, round1Digest: hex(digest) };
}

/**
 * Round 1: checks the definition (and that it is the approved one), finds this operator's index from its host key,
 * and deals.
 * @throws ValidationError (definition errors), `CEREMONY_MISMATCH` (not the approved ceremony id),
 *   `INVALID_ARGUMENT` (host key not in the definition, or an all-zero `random`), `KEY_MISMATCH` (enrolled key not
 *   derived from this host key).
 */
export function startRound1(definition: unknown, hostSecretKey: Uint8Array, options: StartRound1Options = {}): StartRound1Result {
  return startRound1WithHooks(definition, hostSecretKey, options, {});
}

/**
 * {@link startRound1} with dealing deviations (simulate.ts only).
 * @internal
 */
export function startRound1WithHooks(definition: unknown, hostSecretKey: Uint8Array, options: StartRound1Options, hooks: DealHooks): StartRound1Result {
  const def = parseDefinition(definition);
  if (options.expectedCeremonyId !== undefined && options.expectedCeremonyId !== def.idHex) {
    throw new ValidationError('CEREMONY_MISMATCH', `the definition's ceremony id ${def.idHex} is not the approved ${options.expectedCeremonyId}`, { field: 'definition' });
  }
  const index = participantIndex(def, hostSecretKey);
  const random = options.random === undefined ? (options.rng ?? systemRandomBytes)(32) : Uint8Array.from(options.random);
  try {
    const { message, digest } = dealRound1(def, index, hostSecretKey, random, hooks);
    assertNotDealt(def, index, digest, options.priorStates ?? []);
    return { state: round1State(def, index, digest), message: round1ToJson(message) };
  } finally {
    wipe(random);
  }
}

/** Refuses a second deal in one ceremony when the caller shows a state of an earlier one (issue 12). */
function assertNotDealt(def: Definition, index: number, digest: Uint8Array, priorStates: readonly unknown[]): void {
  for (const [k, prior] of priorStates.entries()) {
    const p = parseState(prior);
    if (p.def.idHex !== def.idHex || p.index !== index) continue;
    if (p.step === 'round1' && equalBytes(p.round1Digest, digest)) continue;
    const what = equalBytes(p.round1Digest, digest) ? `already moved past round 1 (state ${p.step})` : `already dealt another round-1 message (digest ${hex(p.round1Digest)})`;
    throw new ValidationError('DKG_ALREADY_DONE', `participant ${index} ${what} in ceremony ${def.idHex}; a retry needs a new draft (new attempt nonce, new ceremony id)`, {
      field: `options.priorStates[${k}]`,
    });
  }
}

/** Options of {@link processRound1}. */
export interface ProcessRound1Options {
  readonly rng?: RandomBytes;
  /** Deposit signing roots; default src/eth's (deposit.ts). */
  readonly depositSigningRoot?: DepositRootFn;
  /**
   * Every other state of this operator the caller holds (for example the states a previous run of this step
   * returned). If one of them, for this ceremony and index, has answered round 2 (it carries a transcript hash: an Ack
   * or a complaint was signed), or belongs to another deal (another round-1 digest), processRound1 refuses with
   * `DKG_REPLAY`: one deal and one answer per operator and ceremony (decision 0411, issue 12). The library keeps no
   * memory itself; the CLI keeps a journal beside the host key (decision 0430), so this check is what a library
   * caller that keeps several states must use.
   */
  readonly laterStates?: readonly unknown[];
}

/** The result of {@link processRound1}. */
export type ProcessRound1Result =
  | { readonly ok: true; readonly state: ParticipantStateJson; readonly message: AckJson }
  | {
      readonly ok: false;
      readonly state: ParticipantStateJson;
      /** The signed complaint to send, when the fault is a participant's. */
      readonly message: ComplaintJson | undefined;
      /** This participant's own verdict (from its evidence). */
      readonly verdict: Verdict;
      /** The evidence behind the verdict (to check with verifyEvidence, with the collected round 1 as context). */
      readonly evidence: EvidenceJson[];
    };

/** An aborted state; `answered` is the transcript hash of a complaint this participant signed (it answered round 2). */
function aborted(state: ParticipantStateJson, reason: string, answered?: Uint8Array): ParticipantStateJson {
  return {
    format: 'dvkeys/dkg-state',
    version: 1,
    step: 'aborted',
    ceremonyId: state.ceremonyId,
    index: state.index,
    definition: state.definition,
    round1Digest: state.round1Digest,
    ...(answered === undefined ? {} : { transcriptHash: hex(answered) }),
    reason,
  };
}

/**
 * Refuses a second answer to round 2 when the caller shows a later state that already answered (decision 0411), or a
 * state of another deal in this ceremony (issue 12).
 */
function assertNotAnswered(def: Definition, index: number, digest: Uint8Array, laterStates: readonly unknown[]): void {
  for (const [k, later] of laterStates.entries()) {
    const l = parseState(later);
    if (l.def.idHex !== def.idHex || l.index !== index) continue;
    if (!equalBytes(l.round1Digest, digest)) {
      throw new ValidationError('DKG_REPLAY', `participant ${index} dealt twice in this ceremony (another state has round-1 digest ${hex(l.round1Digest)}); only a new draft starts again`, {
        field: `options.laterStates[${k}]`,
      });
    }
    if (l.transcriptHash === undefined) continue;
    throw new ValidationError(
      'DKG_REPLAY',
      `participant ${index} already answered round 2 of this ceremony (state ${l.step}, transcript ${hex(l.transcriptHash)}); a second answer could reveal the keys of the first, so a new attempt needs a new attempt nonce`,
      { field: `options.laterStates[${k}]` },
    );
  }
}

function findingBlames(findings: readonly Finding[]): Blame[] {
  return findings.map((f) => ({ culprit: String(f.accused), fault: f.fault, certainty: 'proof', ...(f.validator === undefined ? {} : { validator: f.validator }), detail: f.detail }));
}

/**
 * Round 2: processes the collected round 1 (relay checks, every proof and commitment, this participant's shares)
 * and answers with an Ack, or with a complaint naming the dealers at fault.
 * @throws ValidationError `DKG_WRONG_ROUND` (state not at round 1), `DKG_REPLAY` (a different collected round 1 than
 *   the one this state already processed), `KEY_MISMATCH` (host key not this state's), and shape errors of the
 *   state or the collected message (`DKG_INVALID_MESSAGE`, `LIMIT_EXCEEDED`).
 */
export function processRound1(state: unknown, hostSecretKey: Uint8Array, collected: unknown, options: ProcessRound1Options = {}): ProcessRound1Result {
  const s = parseState(state);
  const def = s.def;
  const c = parseCollected(collected, def);
  if (s.step !== 'round1') {
    const relay = checkRelay(def, c.ceremonyId, c.round1);
    if (s.transcriptHash !== undefined && relay.ok && !equalBytes(transcriptHash(def.id, relay.digests), s.transcriptHash)) {
      throw new ValidationError('DKG_REPLAY', 'this state already answered a different collected round 1; a new attempt needs a new attempt nonce', { field: 'collected' });
    }
    throw new ValidationError('DKG_WRONG_ROUND', `the state is at step ${s.step}, not round1`, { field: 'state.step' });
  }
  if (participantIndex(def, hostSecretKey) !== s.index) {
    throw new ValidationError('KEY_MISMATCH', `the host key is not participant ${s.index}'s`, { field: 'hostSecretKey' });
  }
  assertNotAnswered(def, s.index, s.round1Digest, options.laterStates ?? []);
  const rng = options.rng ?? systemRandomBytes;
  const base = s.json;
  const relay = checkRelay(def, c.ceremonyId, c.round1, { index: s.index, digest: s.round1Digest });
  if (!relay.ok) {
    const blames: Blame[] = relay.problems.map((p) => ({ culprit: 'coordinator', fault: p.fault, certainty: 'coordinator', detail: p.detail }));
    const evidence: EvidenceJson[] = relay.problems.map((p) => ({ kind: 'coordinator', fault: p.fault, detail: p.detail, collected: collected as never }));
    return { ok: false, state: aborted(base, blames[0]!.detail), message: undefined, verdict: verdictOf(def.idHex, blames), evidence };
  }
  const hash = transcriptHash(def.id, relay.digests);
  const pub = checkPublic(def, c.round1, rng, s.index);
  if (pub.sums === undefined) {
    if (pub.findings.length === 0) {
      const reason = pub.unattributable ?? 'the round 1 is invalid';
      return { ok: false, state: aborted(base, reason), message: undefined, verdict: { ...verdictOf(def.idHex, []), reason }, evidence: [] };
    }
    return complain(def, base, hostSecretKey, hash, c.round1, pub.findings, undefined, rng);
  }
  const encSecret = deriveEncryptionSecret(hostSecretKey, def.attemptNonce, def.participants[s.index - 1]!.salt);
  try {
    const received = receiveShares(def, c.round1, s.index, encSecret, pub.sums, rng);
    if (!received.ok) return complain(def, base, hostSecretKey, hash, c.round1, received.findings, encSecret, rng);
    const out = publicOutputs(def, pub.sums, pub.shares);
    const hashed = hashDeposits(depositSigningRoots(def, out.pubkeys, options.depositSigningRoot));
    const partials = signDeposits(def, received.shares, hashed);
    const certSignature = hostSign(hostSecretKey, TAGS.certeq, certMessage(def.id, s.index, hash), rng(32));
    const ack = signAck({ ceremonyId: Uint8Array.from(def.id), index: s.index, transcriptHash: hash, certSignature, depositPartials: partials }, hostSecretKey, rng(32));
    const shares = received.shares.map((x) => {
      const b = encodeScalar(x);
      const h = hex(b);
      wipe(b);
      return h;
    });
    received.shares.fill(0n);
    const next: ParticipantStateJson = {
      ...round1State(def, s.index, s.round1Digest),
      step: 'round2',
      transcriptHash: hex(hash),
      secret: true,
      shares,
      pubkeys: out.pubkeys.map(hex),
      commitments: out.commitments.map((row) => row.map(hex)),
      publicShares: out.publicShares.map((row) => row.map(hex)),
      hashedDeposits: hashed.map((h) => hex(encodeG2Uncompressed(h))),
    };
    return { ok: true, state: next, message: ackToJson(ack) };
  } finally {
    wipe(encSecret);
  }
}

/** Rank of a fault in a deterministic accusation choice: the order of {@link COMPLAINT_FAULTS}. */
function rank(f: Finding): [number, number, number] {
  return [COMPLAINT_FAULTS.indexOf(f.fault), f.validator ?? 0, f.coefficient ?? -1];
}

/**
 * The one accusation per accused dealer a complaint carries (decision 0420): of each dealer's findings, the least by
 * (fault in the order of COMPLAINT_FAULTS, validator, coefficient); dealers in increasing order. At most n − 1
 * accusations, so a complaint fits its cap for every n, t and V a definition allows (issue 12).
 */
export function chooseAccusations(findings: readonly Finding[]): Finding[] {
  const chosen = new Map<number, Finding>();
  for (const f of findings) {
    const cur = chosen.get(f.accused);
    if (cur === undefined) {
      chosen.set(f.accused, f);
      continue;
    }
    const [a, b] = [rank(f), rank(cur)];
    if (a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))) chosen.set(f.accused, f);
  }
  return [...chosen.values()].sort((x, y) => x.accused - y.accused);
}

function complain(def: Definition, base: ParticipantStateJson, hostSecretKey: Uint8Array, hash: Uint8Array, round1: readonly Round1[], findings: readonly Finding[], encSecret: Uint8Array | undefined, rng: RandomBytes): ProcessRound1Result {
  const me = def.participants[base.index - 1]!;
  const accusations: ComplaintAccusation[] = chooseAccusations(findings).map((f) => {
    const a = {
      accused: f.accused,
      fault: f.fault,
      ...(f.validator === undefined ? {} : { validator: f.validator }),
      ...(f.coefficient === undefined ? {} : { coefficient: f.coefficient }),
    };
    if (f.fault !== 'undecryptable-share' && f.fault !== 'invalid-share') return a;
    if (encSecret === undefined) throw new RangeError('a private finding without the encryption secret');
    // reveal only the ECDH point with the accused dealer's ephemeral key, proven to use our enrolled key (never d_i)
    const otherKey = round1[f.accused - 1]!.ephemeralKey;
    const ecdhPoint = sharedPoint(encSecret, otherKey);
    const dleqProof = proveDleq(encSecret, { ceremonyId: def.id, prover: base.index, other: f.accused, proverKey: me.encKey, otherKey, point: ecdhPoint }, rng(32));
    return { ...a, evidence: { ecdhPoint, dleqProof } };
  });
  const complaint = signComplaint({ ceremonyId: Uint8Array.from(def.id), index: base.index, transcriptHash: hash, accusations }, hostSecretKey, rng(32));
  const json = complaintToJson(complaint);
  const blames = findingBlames(findings);
  return {
    ok: false,
    state: aborted(base, blames.map((b) => b.detail).join('; '), hash),
    message: json,
    verdict: verdictOf(def.idHex, blames),
    evidence: [{ kind: 'complaint', complaint: json }],
  };
}
