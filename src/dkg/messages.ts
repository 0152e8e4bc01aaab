/**
 * The DKG's wire messages (brief B4): round 1 (`dvkeys/dkg-round1`), the collected round 1 (`dvkeys/dkg-collected`,
 * "C1"), round 2 acknowledgements (`dvkeys/dkg-ack`) and complaints (`dvkeys/dkg-complaint`), and the final
 * certificate (`dvkeys/dkg-final`, "C2"). docs/formats/dkg-messages.md has each with a worked example.
 *
 * Each message has a JSON form (files; 0x-hex, closed key sets, capped sizes; version 2 for round 1 and complaints,
 * {@link MESSAGE_VERSION}, version 1 for the others) and a canonical binary
 * body (codec.ts Writer). The host signature covers taggedHash(tag, body); the round-1 digest is also the
 * message's entry in the transcript hash.
 *
 * Parsing happens in two stages, so that blame is right:
 * 1. shape (this module): JSON types, hex syntax, caps. A message failing here cannot be attributed (its signature
 *    cannot even be checked) and is the carrier's fault, i.e. the coordinator's;
 * 2. content (round1.ts, blame.ts): lengths against the definition, points, scalars, proofs. Checked only after the
 *    host signature verifies, so a failure is the signer's, with the signed message as evidence.
 *
 * @module
 */
import { Writer, hex, invalidMessage, readArray, readHeader, readHex, readInt, readObject, taggedHash } from './codec.js';
import { DKG_VERSION, MAX_ACCUSATIONS, MAX_DEPOSITS, MAX_PARTICIPANTS, MAX_VALIDATORS, MESSAGE_VERSION, TAGS } from './constants.js';
import { hostSignDigest, hostVerifyDigest } from './host-key.js';

/** A dealer's data for one validator: Feldman commitments and the proof of knowledge (wire bytes). */
export interface Round1Validator {
  /** C_{i,v,0..t-1}, 96-byte uncompressed G1. */
  readonly commitments: readonly Uint8Array[];
  /** The proof (R, z): R 96-byte uncompressed G1, z 32-byte scalar. */
  readonly proof: { readonly r: Uint8Array; readonly z: Uint8Array };
}

/** A round-1 message, shape-checked (content not yet checked). */
export interface Round1 {
  readonly ceremonyId: Uint8Array;
  readonly index: number;
  /** σ_i: 32 fresh bytes per deal, input of every pairwise key (encryption.ts): no key encrypts twice. */
  readonly salt: Uint8Array;
  /** E_i = e_i·G, the ephemeral sender key of every ciphertext to another participant (33 bytes compressed). */
  readonly ephemeralKey: Uint8Array;
  /** Proof of knowledge of e_i (dleq.ts, 64 bytes), bound to the ceremony and the dealer. */
  readonly ephemeralProof: Uint8Array;
  readonly validators: readonly Round1Validator[];
  /** ct_{i→j} for j = 1..n (including i itself). */
  readonly ciphertexts: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

/** JSON form of {@link Round1}. */
export interface Round1Json {
  readonly format: 'dvkeys/dkg-round1';
  readonly version: 2;
  readonly ceremonyId: string;
  readonly index: number;
  readonly salt: string;
  readonly ephemeralKey: string;
  readonly ephemeralProof: string;
  readonly validators: readonly { readonly commitments: readonly string[]; readonly proof: { readonly r: string; readonly z: string } }[];
  readonly ciphertexts: readonly string[];
  readonly signature: string;
}

/** The collected round 1 (C1), as the coordinator forwards it: every round-1 message in index order. */
export interface CollectedJson {
  readonly format: 'dvkeys/dkg-collected';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly round1: readonly Round1Json[];
}

/** A round-2 acknowledgement. */
export interface Ack {
  readonly ceremonyId: Uint8Array;
  readonly index: number;
  readonly transcriptHash: Uint8Array;
  /** The CertEq vote: BIP-340 over taggedHash(DST_certeq, ceremonyId || u16 i || transcriptHash). */
  readonly certSignature: Uint8Array;
  /** s_{v,i}·H(signing root) per deposit of the definition, in order (96-byte compressed G2). */
  readonly depositPartials: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

/** JSON form of {@link Ack}. */
export interface AckJson {
  readonly format: 'dvkeys/dkg-ack';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly index: number;
  readonly transcriptHash: string;
  readonly certSignature: string;
  readonly depositPartials: readonly string[];
  readonly signature: string;
}

/** What a complaint may accuse a dealer of (brief B5; blame.ts verifies each). */
export const COMPLAINT_FAULTS = ['malformed-round1', 'invalid-proof', 'commitment-not-in-subgroup', 'undecryptable-share', 'invalid-share'] as const;
/** A fault a complaint may name. */
export type ComplaintFault = (typeof COMPLAINT_FAULTS)[number];

/** One accusation: the accused dealer, the fault and where (validator 1..V, coefficient 0..t-1) when it applies. */
export interface Accusation {
  readonly accused: number;
  readonly fault: ComplaintFault;
  readonly validator?: number;
  readonly coefficient?: number;
}

/**
 * The evidence of a private accusation (decision 0420): the ECDH point P = d_i·E_j of complainer i and the ephemeral
 * key of accused dealer j's round-1 message, and a DLEQ proof (dleq.ts) that P uses the same d_i as the enrolled D_i.
 * It opens ct_{j→i} and no other ciphertext.
 */
export interface PairEvidence {
  /** P, 33-byte compressed secp256k1. */
  readonly ecdhPoint: Uint8Array;
  /** The DLEQ proof (e || s), 64 bytes. */
  readonly dleqProof: Uint8Array;
}

/** One accusation of a complaint: a private one (undecryptable or invalid share) carries its pair evidence. */
export interface ComplaintAccusation extends Accusation {
  readonly evidence?: PairEvidence;
}

/**
 * A round-2 complaint (version 2): at most one accusation per accused dealer, in increasing dealer order; each
 * private accusation carries the pair evidence, nothing else is revealed (no encryption secret: issue 12).
 * `transcriptHash` is the hash of the collected round 1 the complainer processed: the complaint is judged against
 * that transcript only (decision 0410), so nobody can present it with another collected round 1.
 */
export interface Complaint {
  readonly ceremonyId: Uint8Array;
  readonly index: number;
  readonly transcriptHash: Uint8Array;
  readonly accusations: readonly ComplaintAccusation[];
  readonly signature: Uint8Array;
}

/** JSON form of one complaint accusation. */
export interface ComplaintAccusationJson extends Accusation {
  readonly ecdhPoint?: string;
  readonly dleqProof?: string;
}

/** JSON form of {@link Complaint}. */
export interface ComplaintJson {
  readonly format: 'dvkeys/dkg-complaint';
  readonly version: 2;
  readonly ceremonyId: string;
  readonly index: number;
  readonly transcriptHash: string;
  readonly accusations: readonly ComplaintAccusationJson[];
  readonly signature: string;
}

/** The final message (C2): the CertEq certificate and the combined deposit signatures. */
export interface FinalJson {
  readonly format: 'dvkeys/dkg-final';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly transcriptHash: string;
  /** certSignature of participants 1..n, in index order. */
  readonly certificate: readonly string[];
  /** One combined signature per deposit of the definition, in order (96-byte compressed G2). */
  readonly depositSignatures: readonly string[];
}

const MAX_POINT = { max: 96 } as const;
const MAX_SCALAR = { max: 32 } as const;
const MAX_CT = { max: 32 * MAX_VALIDATORS + 16 } as const;

// ---- round 1 ----

/** The canonical body of a round-1 message (everything but the signature). */
export function round1Body(m: Omit<Round1, 'signature'>): Uint8Array {
  const w = new Writer().str('dvkeys/dkg-round1').u8(MESSAGE_VERSION).raw(m.ceremonyId).u16(m.index).raw(m.salt).raw(m.ephemeralKey).raw(m.ephemeralProof).u32(m.validators.length);
  for (const v of m.validators) {
    w.u32(v.commitments.length);
    for (const c of v.commitments) w.bytes(c);
    w.bytes(v.proof.r).bytes(v.proof.z);
  }
  w.u32(m.ciphertexts.length);
  for (const c of m.ciphertexts) w.bytes(c);
  return w.finish();
}

/** The round-1 digest taggedHash(DST_round1, body): what the host key signs and the transcript hash lists. */
export function round1Digest(m: Omit<Round1, 'signature'>): Uint8Array {
  return taggedHash(TAGS.round1, round1Body(m));
}

/** Signs a round-1 body with the host key. */
export function signRound1(m: Omit<Round1, 'signature'>, hostSecretKey: Uint8Array, aux: Uint8Array): Round1 {
  return { ...m, signature: hostSignDigest(hostSecretKey, round1Digest(m), aux) };
}

/** True when the round-1 message carries a valid host signature by `hostKey`. */
export function verifyRound1Signature(m: Round1, hostKey: Uint8Array, digest = round1Digest(m)): boolean {
  return hostVerifyDigest(hostKey, digest, m.signature);
}

/**
 * The shape a definition fixes (n participants, threshold t, V validators): with it, the parsers refuse, before
 * decoding any hex, a message more than one item larger than that shape in any count (review finding D5, decision
 * 0414). One extra item stays parseable so that a slightly malformed signed message (t+1 commitments, a degree
 * cheat) remains attributable to its signer by the content checks; anything larger is only a resource attack.
 */
export interface ShapeBounds {
  readonly n: number;
  readonly t: number;
  readonly V: number;
}

/** Checks the counts of a round-1 JSON message against the bounds before any decoding. */
function checkRound1Counts(obj: Readonly<Record<string, unknown>>, field: string, b: ShapeBounds): void {
  const validators = readArray(obj['validators'], `${field}.validators`, b.V + 1);
  readArray(obj['ciphertexts'], `${field}.ciphertexts`, b.n + 1);
  for (const [v, raw] of validators.entries()) {
    const c = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['commitments'] : undefined;
    if (Array.isArray(c)) readArray(c, `${field}.validators[${v}].commitments`, b.t + 1);
  }
}

/**
 * Shape-checks a round-1 JSON message; with `bounds` (the definition's n, t, V), sizes are capped by the definition
 * first (counts at most one above it, ciphertexts at most 32·(V+1) + 16 bytes).
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED` naming the field.
 */
export function parseRound1(value: unknown, field = 'round1', bounds?: ShapeBounds): Round1 {
  readVersionFirst(value, field, 'dvkeys/dkg-round1');
  const obj = readObject(value, field, ['format', 'version', 'ceremonyId', 'index', 'salt', 'ephemeralKey', 'ephemeralProof', 'validators', 'ciphertexts', 'signature']);
  readHeader(obj, field, 'dvkeys/dkg-round1', MESSAGE_VERSION);
  if (bounds !== undefined) checkRound1Counts(obj, field, bounds);
  const maxCt = bounds === undefined ? MAX_CT : { max: 32 * (bounds.V + 1) + 16 };
  const validators = readArray(obj['validators'], `${field}.validators`, MAX_VALIDATORS).map((raw, v) => {
    const f = `${field}.validators[${v}]`;
    const o = readObject(raw, f, ['commitments', 'proof']);
    const commitments = readArray(o['commitments'], `${f}.commitments`, MAX_PARTICIPANTS).map((c, k) => readHex(c, `${f}.commitments[${k}]`, MAX_POINT));
    const p = readObject(o['proof'], `${f}.proof`, ['r', 'z']);
    return { commitments, proof: { r: readHex(p['r'], `${f}.proof.r`, MAX_POINT), z: readHex(p['z'], `${f}.proof.z`, MAX_SCALAR) } };
  });
  return {
    ceremonyId: readHex(obj['ceremonyId'], `${field}.ceremonyId`, 32),
    index: readInt(obj['index'], `${field}.index`, 1, MAX_PARTICIPANTS),
    salt: readHex(obj['salt'], `${field}.salt`, 32),
    ephemeralKey: readHex(obj['ephemeralKey'], `${field}.ephemeralKey`, 33),
    ephemeralProof: readHex(obj['ephemeralProof'], `${field}.ephemeralProof`, 64),
    validators,
    ciphertexts: readArray(obj['ciphertexts'], `${field}.ciphertexts`, MAX_PARTICIPANTS).map((c, j) => readHex(c, `${field}.ciphertexts[${j}]`, maxCt)),
    signature: readHex(obj['signature'], `${field}.signature`, 64),
  };
}

/** JSON form of a round-1 message. */
export function round1ToJson(m: Round1): Round1Json {
  return {
    format: 'dvkeys/dkg-round1',
    version: 2,
    ceremonyId: hex(m.ceremonyId),
    index: m.index,
    salt: hex(m.salt),
    ephemeralKey: hex(m.ephemeralKey),
    ephemeralProof: hex(m.ephemeralProof),
    validators: m.validators.map((v) => ({ commitments: v.commitments.map(hex), proof: { r: hex(v.proof.r), z: hex(v.proof.z) } })),
    ciphertexts: m.ciphertexts.map(hex),
    signature: hex(m.signature),
  };
}

/**
 * Shape-checks a collected round 1 (C1): up to 64 round-1 messages; with `bounds`, at most n + 1, each bounded as in
 * {@link parseRound1}, all counts checked before any message is decoded.
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED`.
 */
export function parseCollected(value: unknown, bounds?: ShapeBounds): { ceremonyId: Uint8Array; round1: Round1[] } {
  const obj = readObject(value, 'collected', ['format', 'version', 'ceremonyId', 'round1']);
  readHeader(obj, 'collected', 'dvkeys/dkg-collected');
  const list = readArray(obj['round1'], 'collected.round1', bounds === undefined ? MAX_PARTICIPANTS : bounds.n + 1);
  if (bounds !== undefined) {
    for (const [j, m] of list.entries()) {
      if (typeof m === 'object' && m !== null && !Array.isArray(m)) checkRound1Counts(m as Readonly<Record<string, unknown>>, `collected.round1[${j}]`, bounds);
    }
  }
  return {
    ceremonyId: readHex(obj['ceremonyId'], 'collected.ceremonyId', 32),
    round1: list.map((m, j) => parseRound1(m, `collected.round1[${j}]`, bounds)),
  };
}

// ---- round 2 ----

/** The CertEq message: ceremonyId || u16 i || transcriptHash. */
export function certMessage(ceremonyId: Uint8Array, index: number, transcriptHash: Uint8Array): Uint8Array {
  return new Writer().raw(ceremonyId).u16(index).raw(transcriptHash).finish();
}

/** The canonical body of an Ack. */
export function ackBody(m: Omit<Ack, 'signature'>): Uint8Array {
  const w = new Writer().str('dvkeys/dkg-ack').u8(DKG_VERSION).raw(m.ceremonyId).u16(m.index).raw(m.transcriptHash).bytes(m.certSignature);
  w.u32(m.depositPartials.length);
  for (const p of m.depositPartials) w.bytes(p);
  return w.finish();
}

/** Signs an Ack body with the host key. */
export function signAck(m: Omit<Ack, 'signature'>, hostSecretKey: Uint8Array, aux: Uint8Array): Ack {
  return { ...m, signature: hostSignDigest(hostSecretKey, taggedHash(TAGS.ack, ackBody(m)), aux) };
}

/** True when the Ack carries a valid host signature by `hostKey`. */
export function verifyAckSignature(m: Ack, hostKey: Uint8Array): boolean {
  return hostVerifyDigest(hostKey, taggedHash(TAGS.ack, ackBody(m)), m.signature);
}

/**
 * Shape-checks an Ack.
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED`.
 */
export function parseAck(value: unknown, field = 'ack'): Ack {
  const obj = readObject(value, field, ['format', 'version', 'ceremonyId', 'index', 'transcriptHash', 'certSignature', 'depositPartials', 'signature']);
  readHeader(obj, field, 'dvkeys/dkg-ack');
  return {
    ceremonyId: readHex(obj['ceremonyId'], `${field}.ceremonyId`, 32),
    index: readInt(obj['index'], `${field}.index`, 1, MAX_PARTICIPANTS),
    transcriptHash: readHex(obj['transcriptHash'], `${field}.transcriptHash`, 32),
    certSignature: readHex(obj['certSignature'], `${field}.certSignature`, { max: 64 }),
    depositPartials: readArray(obj['depositPartials'], `${field}.depositPartials`, MAX_DEPOSITS).map((p, d) => readHex(p, `${field}.depositPartials[${d}]`, { max: 96 })),
    signature: readHex(obj['signature'], `${field}.signature`, 64),
  };
}

/** JSON form of an Ack. */
export function ackToJson(m: Ack): AckJson {
  return {
    format: 'dvkeys/dkg-ack',
    version: 1,
    ceremonyId: hex(m.ceremonyId),
    index: m.index,
    transcriptHash: hex(m.transcriptHash),
    certSignature: hex(m.certSignature),
    depositPartials: m.depositPartials.map(hex),
    signature: hex(m.signature),
  };
}

/** The canonical body of a complaint. */
export function complaintBody(m: Omit<Complaint, 'signature'>): Uint8Array {
  const w = new Writer().str('dvkeys/dkg-complaint').u8(MESSAGE_VERSION).raw(m.ceremonyId).u16(m.index).raw(m.transcriptHash).u32(m.accusations.length);
  for (const a of m.accusations) {
    w.u16(a.accused).str(a.fault).u32(a.validator ?? 0).u16(a.coefficient ?? 0xffff);
    if (a.evidence === undefined) w.u8(0);
    else w.u8(1).bytes(a.evidence.ecdhPoint).bytes(a.evidence.dleqProof);
  }
  return w.finish();
}

/** Signs a complaint body with the host key. */
export function signComplaint(m: Omit<Complaint, 'signature'>, hostSecretKey: Uint8Array, aux: Uint8Array): Complaint {
  return { ...m, signature: hostSignDigest(hostSecretKey, taggedHash(TAGS.complaint, complaintBody(m)), aux) };
}

/** True when the complaint carries a valid host signature by `hostKey`. */
export function verifyComplaintSignature(m: Complaint, hostKey: Uint8Array): boolean {
  return hostVerifyDigest(hostKey, taggedHash(TAGS.complaint, complaintBody(m)), m.signature);
}

/**
 * Shape-checks one accusation.
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function parseAccusation(value: unknown, field: string): Accusation {
  const o = readObject(value, field, ['accused', 'fault'], ['validator', 'coefficient']);
  const fault = o['fault'];
  if (typeof fault !== 'string' || !(COMPLAINT_FAULTS as readonly string[]).includes(fault)) {
    invalidMessage(`${field}.fault`, `expected one of ${COMPLAINT_FAULTS.join(', ')}`);
  }
  return {
    accused: readInt(o['accused'], `${field}.accused`, 1, MAX_PARTICIPANTS),
    fault: fault as ComplaintFault,
    ...(o['validator'] === undefined ? {} : { validator: readInt(o['validator'], `${field}.validator`, 1, MAX_VALIDATORS) }),
    ...(o['coefficient'] === undefined ? {} : { coefficient: readInt(o['coefficient'], `${field}.coefficient`, 0, MAX_PARTICIPANTS - 1) }),
  };
}

/**
 * Refuses version 1 of a round-1 or complaint message with one clear line before its (older) key set is checked.
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming `field.version`.
 */
function readVersionFirst(value: unknown, field: string, format: string): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>)['version'] === 1) {
    readHeader(value as Readonly<Record<string, unknown>>, field, format, MESSAGE_VERSION);
  }
}

/**
 * Shape-checks a complaint (version 2). Counting, order and pairing of the accusations with their evidence are
 * content, judged in blame.ts against the signer (a signed complaint that breaks them is a false complaint).
 * @throws ValidationError `DKG_INVALID_MESSAGE` (a version-1 complaint by name) or `LIMIT_EXCEEDED`.
 */
export function parseComplaint(value: unknown, field = 'complaint'): Complaint {
  readVersionFirst(value, field, 'dvkeys/dkg-complaint');
  const obj = readObject(value, field, ['format', 'version', 'ceremonyId', 'index', 'transcriptHash', 'accusations', 'signature']);
  readHeader(obj, field, 'dvkeys/dkg-complaint', MESSAGE_VERSION);
  const accusations = readArray(obj['accusations'], `${field}.accusations`, MAX_ACCUSATIONS).map((raw, k): ComplaintAccusation => {
    const f = `${field}.accusations[${k}]`;
    const o = readObject(raw, f, ['accused', 'fault'], ['validator', 'coefficient', 'ecdhPoint', 'dleqProof']);
    const { ecdhPoint, dleqProof, ...rest } = o;
    const a = parseAccusation(rest, f);
    if ((ecdhPoint === undefined) !== (dleqProof === undefined)) invalidMessage(f, 'carries an ECDH point without its DLEQ proof, or the reverse');
    if (ecdhPoint === undefined) return a;
    return { ...a, evidence: { ecdhPoint: readHex(ecdhPoint, `${f}.ecdhPoint`, 33), dleqProof: readHex(dleqProof, `${f}.dleqProof`, 64) } };
  });
  return {
    ceremonyId: readHex(obj['ceremonyId'], `${field}.ceremonyId`, 32),
    index: readInt(obj['index'], `${field}.index`, 1, MAX_PARTICIPANTS),
    transcriptHash: readHex(obj['transcriptHash'], `${field}.transcriptHash`, 32),
    accusations,
    signature: readHex(obj['signature'], `${field}.signature`, 64),
  };
}

/** JSON form of a complaint. */
export function complaintToJson(m: Complaint): ComplaintJson {
  return {
    format: 'dvkeys/dkg-complaint',
    version: 2,
    ceremonyId: hex(m.ceremonyId),
    index: m.index,
    transcriptHash: hex(m.transcriptHash),
    accusations: m.accusations.map(({ evidence, ...a }) => ({ ...a, ...(evidence === undefined ? {} : { ecdhPoint: hex(evidence.ecdhPoint), dleqProof: hex(evidence.dleqProof) }) })),
    signature: hex(m.signature),
  };
}

/** A parsed round-2 message of either kind. */
export type Round2 = { readonly kind: 'ack'; readonly ack: Ack } | { readonly kind: 'complaint'; readonly complaint: Complaint };

/**
 * Shape-checks a round-2 message (Ack or complaint, by its `format`).
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED`.
 */
export function parseRound2(value: unknown, field = 'round2'): Round2 {
  const format = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['format'] : undefined;
  if (format === 'dvkeys/dkg-complaint') return { kind: 'complaint', complaint: parseComplaint(value, field) };
  return { kind: 'ack', ack: parseAck(value, field) };
}

/** A shape-checked final message. */
export interface Final {
  readonly ceremonyId: Uint8Array;
  readonly transcriptHash: Uint8Array;
  readonly certificate: readonly Uint8Array[];
  readonly depositSignatures: readonly Uint8Array[];
}

/**
 * Shape-checks a final message (C2).
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED`.
 */
export function parseFinal(value: unknown, field = 'final'): Final {
  const obj = readObject(value, field, ['format', 'version', 'ceremonyId', 'transcriptHash', 'certificate', 'depositSignatures']);
  readHeader(obj, field, 'dvkeys/dkg-final');
  return {
    ceremonyId: readHex(obj['ceremonyId'], `${field}.ceremonyId`, 32),
    transcriptHash: readHex(obj['transcriptHash'], `${field}.transcriptHash`, 32),
    certificate: readArray(obj['certificate'], `${field}.certificate`, MAX_PARTICIPANTS).map((s, j) => readHex(s, `${field}.certificate[${j}]`, 64)),
    depositSignatures: readArray(obj['depositSignatures'], `${field}.depositSignatures`, MAX_DEPOSITS).map((s, d) => readHex(s, `${field}.depositSignatures[${d}]`, 96)),
  };
}

/** JSON form of a final message. */
export function finalToJson(m: Final): FinalJson {
  return {
    format: 'dvkeys/dkg-final',
    version: 1,
    ceremonyId: hex(m.ceremonyId),
    transcriptHash: hex(m.transcriptHash),
    certificate: m.certificate.map(hex),
    depositSignatures: m.depositSignatures.map(hex),
  };
}
