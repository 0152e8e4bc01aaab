/**
 * Round 3, deposit readiness (brief B4 "Round 3"; issue 12): after an operator has written its folder and read it
 * back, it signs READY with its host key over what it checked (ceremony id, transcript hash, the SHA-256 fingerprint
 * of its `ceremony.json`, and every deposit_data_root in definition order). Whoever collects n READY messages that all
 * claim the expected values holds a deposit certificate (`dvkeys/dkg-deposit-certificate`): proof that every operator
 * holds a verified share of every validator and wrote the same folder, so depositing cannot strand the funds on a key
 * that some operator never received. docs/formats/dkg-messages.md describes both formats.
 *
 * Messages (strict, versioned, as messages.ts):
 * - READY `{format: "dvkeys/dkg-ready", version: 1, ceremonyId, index, transcriptHash, manifestFingerprint,
 *   depositDataRoots[D], signature}`; the host key signs taggedHash(DST_ready, body) with body = str(format) ‖ u8
 *   version ‖ ceremonyId ‖ u16 index ‖ transcriptHash ‖ manifestFingerprint ‖ u32 D ‖ roots.
 * - the certificate `{format, version: 1, definition, transcriptHash, manifestFingerprint, depositDataRoots[D],
 *   signatures[n]}`, where `signatures[k]` = `{index: k + 1, signature}` is participant k + 1's READY signature over
 *   the same claim. It carries the definition (the host keys are enrolled in it, and its hash is the ceremony id),
 *   so anyone could make a valid-looking certificate of a definition of their own: it is checked against a ceremony
 *   id its holder trusts (the one agreed out of band, or its own recovery data's), never against itself (decision
 *   0424). Entries carry their index so that a certificate missing an operator names that operator.
 *
 * Blame: a READY that does not parse, is for another ceremony or is badly signed is not attributable and is ignored
 * (its sender becomes a suspect of omission, as for round-1 messages); a validly signed READY that claims other
 * values than the expected ones convicts its signer (its folder or software differs from the ceremony's).
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { Writer, equalBytes, hex, readArray, readHeader, readHex, readInt, readObject, taggedHash } from './codec.js';
import { DKG_VERSION, MAX_DEPOSITS, MAX_PARTICIPANTS, TAG_PREFIX } from './constants.js';
import { ceremonyFingerprint, participantIndex, parseDefinition, type CeremonyDefinitionJson, type Definition } from './definition.js';
import { hostSignDigest, hostVerifyDigest } from './host-key.js';
import { verdictOf, type Blame, type Verdict } from './blame.js';

/** Domain-separation tag of the READY signature. */
export const READY_TAG = `${TAG_PREFIX}ready`;

/** What an operator claims in READY (0x-hex strings). */
export interface ReadyClaimJson {
  readonly transcriptHash: string;
  /** SHA-256 of the operator's ceremony.json as written and read back. */
  readonly manifestFingerprint: string;
  /** deposit_data_root of every deposit of the definition, in order, as read back from its deposit-data.json. */
  readonly depositDataRoots: readonly string[];
}

/** A READY message (format `dvkeys/dkg-ready`). */
export interface ReadyJson extends ReadyClaimJson {
  readonly format: 'dvkeys/dkg-ready';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly index: number;
  readonly signature: string;
}

/** A deposit certificate (format `dvkeys/dkg-deposit-certificate`). */
export interface DepositCertificateJson extends ReadyClaimJson {
  readonly format: 'dvkeys/dkg-deposit-certificate';
  readonly version: 1;
  readonly definition: CeremonyDefinitionJson;
  /** The READY signature of participants 1..n, in index order. */
  readonly signatures: readonly { readonly index: number; readonly signature: string }[];
}

interface Claim {
  readonly transcriptHash: Uint8Array;
  readonly manifestFingerprint: Uint8Array;
  readonly depositDataRoots: readonly Uint8Array[];
}

function readClaim(obj: Readonly<Record<string, unknown>>, field: string, deposits: number | undefined): Claim {
  const roots = readArray(obj['depositDataRoots'], `${field}.depositDataRoots`, MAX_DEPOSITS, deposits);
  return {
    transcriptHash: readHex(obj['transcriptHash'], `${field}.transcriptHash`, 32),
    manifestFingerprint: readHex(obj['manifestFingerprint'], `${field}.manifestFingerprint`, 32),
    depositDataRoots: roots.map((r, d) => readHex(r, `${field}.depositDataRoots[${d}]`, 32)),
  };
}

/** The canonical body of a READY message. */
export function readyBody(ceremonyId: Uint8Array, index: number, claim: Claim): Uint8Array {
  const w = new Writer().str('dvkeys/dkg-ready').u8(DKG_VERSION).raw(ceremonyId).u16(index).raw(claim.transcriptHash).raw(claim.manifestFingerprint);
  w.u32(claim.depositDataRoots.length);
  for (const r of claim.depositDataRoots) w.raw(r);
  return w.finish();
}

const readyDigest = (ceremonyId: Uint8Array, index: number, claim: Claim): Uint8Array => taggedHash(READY_TAG, readyBody(ceremonyId, index, claim));

/**
 * Signs READY for the participant whose host key this is.
 * @throws ValidationError for a malformed definition or claim (`DKG_INVALID_MESSAGE`, exactly one root per deposit),
 *   `INVALID_ARGUMENT`/`KEY_MISMATCH` for a host key that is not a participant's.
 */
export function signReady(definition: unknown, hostSecretKey: Uint8Array, claim: ReadyClaimJson, rng: RandomBytes = systemRandomBytes): ReadyJson {
  const def = parseDefinition(definition);
  const c = readClaim(claim as unknown as Record<string, unknown>, 'claim', def.deposits.length);
  const index = participantIndex(def, hostSecretKey);
  const signature = hostSignDigest(hostSecretKey, readyDigest(def.id, index, c), rng(32));
  return { format: 'dvkeys/dkg-ready', version: 1, ceremonyId: def.idHex, index, ...claimJson(c), signature: hex(signature) };
}

function claimJson(c: Claim): ReadyClaimJson {
  return { transcriptHash: hex(c.transcriptHash), manifestFingerprint: hex(c.manifestFingerprint), depositDataRoots: c.depositDataRoots.map(hex) };
}

/** A parsed READY. */
interface Ready extends Claim {
  readonly ceremonyId: Uint8Array;
  readonly index: number;
  readonly signature: Uint8Array;
}

/**
 * Shape-checks a READY message against a definition (exactly one root per deposit, index 1..n).
 * @throws ValidationError `DKG_INVALID_MESSAGE` or `LIMIT_EXCEEDED` naming the field.
 */
function parseReady(value: unknown, def: Definition, field: string): Ready {
  const obj = readObject(value, field, ['format', 'version', 'ceremonyId', 'index', 'transcriptHash', 'manifestFingerprint', 'depositDataRoots', 'signature']);
  readHeader(obj, field, 'dvkeys/dkg-ready');
  return {
    ceremonyId: readHex(obj['ceremonyId'], `${field}.ceremonyId`, 32),
    index: readInt(obj['index'], `${field}.index`, 1, def.n),
    ...readClaim(obj, field, def.deposits.length),
    signature: readHex(obj['signature'], `${field}.signature`, 64),
  };
}

function sameClaim(a: Claim, b: Claim): boolean {
  return equalBytes(a.transcriptHash, b.transcriptHash) && equalBytes(a.manifestFingerprint, b.manifestFingerprint) && a.depositDataRoots.every((r, d) => equalBytes(r, b.depositDataRoots[d]!));
}

function differences(got: Claim, want: Claim): string {
  const out: string[] = [];
  if (!equalBytes(got.transcriptHash, want.transcriptHash)) out.push('transcriptHash');
  if (!equalBytes(got.manifestFingerprint, want.manifestFingerprint)) out.push('manifestFingerprint');
  const d = got.depositDataRoots.findIndex((r, k) => !equalBytes(r, want.depositDataRoots[k]!));
  if (d >= 0) out.push(`depositDataRoots[${d}]`);
  return out.join(', ');
}

/** The result of {@link collectReady}: the certificate, or the verdict on who is not ready. */
export type CollectReadyResult = { readonly ok: true; readonly certificate: DepositCertificateJson } | { readonly ok: false; readonly verdict: Verdict };

/**
 * Collects READY messages (any order; duplicates, foreign and unsigned messages tolerated and ignored) into the
 * deposit certificate, if every participant signed a READY claiming `expected` (what the collector computed from
 * the ceremony's public data: its transcript hash, ceremony.json fingerprint and deposit roots).
 * @throws ValidationError for a malformed definition or `expected`, or more than 4·64 messages.
 */
export function collectReady(definition: unknown, expected: ReadyClaimJson, messages: readonly unknown[]): CollectReadyResult {
  const def = parseDefinition(definition);
  const want = readClaim(expected as unknown as Record<string, unknown>, 'expected', def.deposits.length);
  readArray(messages, 'messages', 4 * MAX_PARTICIPANTS);
  const good = new Map<number, Uint8Array>();
  const wrong = new Map<number, string>();
  for (const [k, raw] of messages.entries()) {
    let m: Ready;
    try {
      m = parseReady(raw, def, `messages[${k}]`);
    } catch {
      continue; // not attributable: as if lost
    }
    if (!equalBytes(m.ceremonyId, def.id) || !hostVerifyDigest(def.participants[m.index - 1]!.hostKey, readyDigest(def.id, m.index, m), m.signature)) continue;
    if (sameClaim(m, want)) good.set(m.index, m.signature);
    else if (!wrong.has(m.index)) wrong.set(m.index, differences(m, want));
  }
  const blames: Blame[] = [];
  for (const [index, what] of wrong) blames.push({ culprit: String(index), fault: 'ready-mismatch', certainty: 'proof', detail: `participant ${index} signed READY for other values (${what}) than the ceremony's` });
  for (const p of def.participants) {
    if (!good.has(p.index) && !wrong.has(p.index)) blames.push({ culprit: String(p.index), fault: 'missing', certainty: 'sender-or-coordinator', detail: `no validly signed READY from participant ${p.index}` });
  }
  if (blames.length > 0) return { ok: false, verdict: verdictOf(def.idHex, blames) };
  const signatures = def.participants.map((p) => ({ index: p.index, signature: hex(good.get(p.index)!) }));
  return { ok: true, certificate: { format: 'dvkeys/dkg-deposit-certificate', version: 1, definition: def.json, ...claimJson(want), signatures } };
}

/** A verified deposit certificate. */
export interface CertifiedDeposits {
  readonly ceremonyId: string;
  readonly definition: Definition;
  readonly claim: ReadyClaimJson;
}

/** What a certificate is checked against (0x-hex). */
export interface CertificateExpectations {
  /**
   * The anchor (required): the id (0x-hex) or fingerprint (ceremonyFingerprint) of the ceremony the holder trusts,
   * agreed out of band or read from its own recovery data. The certificate's definition must have this id.
   */
  readonly ceremonyId: string;
  /** The deposit_data_root of every entry of the deposit-data file it certifies, in file order. */
  readonly depositDataRoots?: readonly string[];
  /** The fingerprint of a ceremony.json it should certify. */
  readonly manifestFingerprint?: string;
}

/** The signature entries of a certificate: at most n, indices strictly increasing in 1..n. */
function readEntries(value: unknown, def: Definition): { readonly index: number; readonly signature: Uint8Array }[] {
  let last = 0;
  return readArray(value, 'certificate.signatures', def.n).map((raw, j) => {
    const field = `certificate.signatures[${j}]`;
    const e = readObject(raw, field, ['index', 'signature']);
    const index = readInt(e['index'], `${field}.index`, last + 1, def.n);
    last = index;
    return { index, signature: readHex(e['signature'], `${field}.signature`, 64) };
  });
}

/**
 * Verifies a deposit certificate: strict shape, its definition the trusted ceremony's (`expect.ceremonyId`, decision
 * 0424), a READY signature of each of the n participants over its claim (each by the host key its definition
 * enrolls), and, when given, the deposit roots of the file it certifies and the ceremony.json fingerprint.
 * @throws ValidationError `DKG_CEREMONY_ID_REQUIRED` (field `ceremonyId`) without an anchor;
 *   `DKG_INVALID_MESSAGE`/`LIMIT_EXCEEDED` (shape: more than n entries, indices not increasing, not one root per
 *   deposit); VerificationError `DKG_NOT_READY` with no culprit and field `certificate.definition` for a certificate
 *   of another ceremony than the anchor (whoever made it chose its operators); `DKG_NOT_READY` with culprits the participants whose confirmation
 *   the certificate lacks (no entry, or a signature that does not verify; field: the first such entry, or
 *   `certificate.signatures` for a missing one), or `coordinator` (the assembler) when no signature verifies at all
 *   (the claim was altered after signing; field `certificate`), or no culprit for a valid certificate of other
 *   deposit data or another ceremony.json than expected (field: the first differing one).
 */
export function verifyDepositCertificate(value: unknown, expect: CertificateExpectations): CertifiedDeposits {
  const anchor = typeof expect.ceremonyId === 'string' ? expect.ceremonyId.trim().toLowerCase() : '';
  if (anchor === '') {
    throw new ValidationError('DKG_CEREMONY_ID_REQUIRED', 'a deposit certificate names its own operators: it is checked only against the ceremony id you trust (the one agreed out of band)', { field: 'ceremonyId' });
  }
  const obj = readObject(value, 'certificate', ['format', 'version', 'definition', 'transcriptHash', 'manifestFingerprint', 'depositDataRoots', 'signatures']);
  readHeader(obj, 'certificate', 'dvkeys/dkg-deposit-certificate');
  const def = parseDefinition(obj['definition']);
  if (anchor !== def.idHex && anchor !== ceremonyFingerprint(def.json)) {
    throw new VerificationError('DKG_NOT_READY', `the deposit certificate is of ceremony ${ceremonyFingerprint(def.json)}, not of the trusted ${expect.ceremonyId.trim()}: its READY signatures are by operators it names itself; do not deposit`, { field: 'certificate.definition' });
  }
  const claim = readClaim(obj, 'certificate', def.deposits.length);
  const entries = readEntries(obj['signatures'], def);
  const bad = entries.filter((e) => !hostVerifyDigest(def.participants[e.index - 1]!.hostKey, readyDigest(def.id, e.index, claim), e.signature));
  if (entries.length > 0 && bad.length === entries.length) {
    throw new VerificationError('DKG_NOT_READY', 'no READY signature of the certificate verifies over its claim: the claim was altered after signing (or the certificate assembled wrongly)', { field: 'certificate', culprits: ['coordinator'] });
  }
  const present = new Set(entries.map((e) => e.index));
  const missing = def.participants.filter((p) => !present.has(p.index)).map((p) => p.index);
  const lacking = [...new Set([...missing, ...bad.map((e) => e.index)])].sort((x, y) => x - y);
  if (lacking.length > 0) {
    const why = [
      ...(missing.length > 0 ? [`holds no READY signature of participant ${missing.join(', ')}`] : []),
      ...(bad.length > 0 ? [`the READY signature of participant ${bad.map((e) => e.index).join(', ')} does not verify over its claim`] : []),
    ].join(', and ');
    const field = bad.length > 0 && (missing.length === 0 || bad[0]!.index < missing[0]!) ? `certificate.signatures[${entries.indexOf(bad[0]!)}].signature` : 'certificate.signatures';
    throw new VerificationError('DKG_NOT_READY', `the deposit certificate ${why}: not every operator confirmed these deposits`, { field, culprits: lacking.map(String) });
  }
  if (expect.depositDataRoots !== undefined) {
    if (expect.depositDataRoots.length !== claim.depositDataRoots.length) {
      throw new VerificationError('DKG_NOT_READY', `the certificate covers ${claim.depositDataRoots.length} deposits, the deposit data holds ${expect.depositDataRoots.length}`, { field: 'certificate.depositDataRoots' });
    }
    const d = expect.depositDataRoots.findIndex((r, k) => r.toLowerCase() !== hex(claim.depositDataRoots[k]!));
    if (d >= 0) throw new VerificationError('DKG_NOT_READY', `deposit ${d}: its deposit_data_root is not the one every operator signed READY for`, { field: `certificate.depositDataRoots[${d}]` });
  }
  if (expect.manifestFingerprint !== undefined && expect.manifestFingerprint.toLowerCase() !== hex(claim.manifestFingerprint)) {
    throw new VerificationError('DKG_NOT_READY', 'the certificate is for another ceremony.json (fingerprint differs)', { field: 'certificate.manifestFingerprint' });
  }
  return { ceremonyId: def.idHex, definition: def, claim: claimJson(claim) };
}

/**
 * Parses a READY message against a definition and checks its host signature (for tools that relay READY one by one).
 * @throws ValidationError `DKG_INVALID_MESSAGE` (shape, another ceremony, a bad signature: culprits none, since it is
 *   not attributable).
 */
export function checkReady(definition: unknown, value: unknown): ReadyJson {
  const def = parseDefinition(definition);
  const m = parseReady(value, def, 'ready');
  if (!equalBytes(m.ceremonyId, def.id)) throw new ValidationError('DKG_INVALID_MESSAGE', "'ready.ceremonyId' is not this ceremony's", { field: 'ready.ceremonyId' });
  if (!hostVerifyDigest(def.participants[m.index - 1]!.hostKey, readyDigest(def.id, m.index, m), m.signature)) {
    throw new ValidationError('DKG_INVALID_MESSAGE', `'ready.signature' is not participant ${m.index}'s host signature over this READY`, { field: 'ready.signature' });
  }
  return { format: 'dvkeys/dkg-ready', version: 1, ceremonyId: def.idHex, index: m.index, ...claimJson(m), signature: hex(m.signature) };
}
