/**
 * Sealed dealings of a reshare or refresh over an untrusted coordinator (issue 16; design section 9: "same
 * messages, encryption, complaints (pairwise key + DLEQ only) ... as the DKG"; docs/protocols/lifecycle.md "On the
 * wire"; docs/decisions/1004-lifecycle-wire.md). Reuses src/dkg's host keys (BIP-340), per-recipient encryption
 * (secp256k1 ECDH with a per-message ephemeral sender key and salt, HKDF-SHA256, ChaCha20-Poly1305) and DLEQ
 * proofs, unchanged; only the roster and the message bodies are the lifecycle's.
 *
 * 1. Each recipient enrolls: d_j = deriveEncryptionSecret(hostSk, definition id, salt_j), D_j = d_j·G, signed by
 *    its host key. The session id binds the definition id, every sender's host key and every enrollment; parties
 *    compare it out of band (as the DKG's ceremony fingerprint).
 * 2. A sender seals its public dealing and, per recipient, its sub-share bundle under k = HKDF(e_i·D_j, ...) with a
 *    fresh ephemeral E_i (proof of knowledge) and salt; it host-signs (session id, sender, digest of the whole body)
 *    ({@link sealedStatement}; decision 0425), so a (digest, signature) pair in an echo (echo.ts) is evidence alone.
 * 3. A recipient opens its ciphertexts. A ciphertext that does not open, or a sub-share that fails its Feldman
 *    check, makes a signed complaint revealing only P = d_j·E_i with a DLEQ proof: it opens that one ciphertext,
 *    which the accused wrote, and nothing else. Anyone can check it ({@link judgeComplaint}).
 *
 * Party positions in the encryption context: sender k at k+1, recipient k at |senders|+k+1 (one space, so that an
 * old dealer and a new member with the same share id are never mistaken for a self-ciphertext).
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, wipe } from '../bytes.js';
import { ValidationError, VerificationError, isDvkeysError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes, type ShareIndex } from '../types.js';
import { Writer, taggedHash } from '../dkg/codec.js';
import { assertEncryptionPublicKey, deriveEncryptionSecret, deriveEphemeralSecret, encryptionPublicKey, openShares, pairKey, pairKeyFromShared, sealShares, sharedPoint, type PairContext } from '../dkg/encryption.js';
import { proveDleq, proveEphemeral, verifyDleq, verifyEphemeral } from '../dkg/dleq.js';
import { assertHostPublicKey, hostPublicKey, hostSign, hostSignDigest, hostVerify, hostVerifyDigest } from '../dkg/host-key.js';
import { G1 } from '../bls/group.js';
import { decodeG1UncheckedSubgroup } from '../bls/uncompressed.js';
import { failingClaims } from './sub-sharing.js';

const TAG = 'DVKEYS-LIFECYCLE-V1/';
const TAGS = { session: `${TAG}session`, enroll: `${TAG}enroll`, sealedBody: `${TAG}sealed-body`, sealed: `${TAG}sealed-statement`, complaint: `${TAG}complaint` } as const;

/** A recipient's enrollment: its encryption key for this definition, signed by its host key. */
export interface Enrollment {
  readonly id: ShareIndex;
  readonly hostKey: Uint8Array;
  readonly salt: Uint8Array;
  readonly encKey: Uint8Array;
  readonly signature: Uint8Array;
}

/** The agreed roster of one step: who sends (by old share id) and who receives (by share id). */
export interface WireSession {
  /** The session id: taggedHash over the definition id, the senders' host keys and the enrollments. */
  readonly id: Uint8Array;
  readonly definitionId: Uint8Array;
  readonly senders: readonly { readonly id: ShareIndex; readonly hostKey: Uint8Array }[];
  readonly recipients: readonly Enrollment[];
  readonly validators: number;
}

/** A sender's sealed message: its public dealing and one ciphertext per recipient, host-signed. */
export interface SealedDealing {
  readonly sessionId: Uint8Array;
  readonly sender: ShareIndex;
  readonly salt: Uint8Array;
  readonly ephemeralKey: Uint8Array;
  readonly ephemeralProof: Uint8Array;
  /** The public dealing (a reshare's G_{i,v,k} or a refresh's Z_{i,v,k}), per validator. */
  readonly commitments: readonly (readonly Uint8Array[])[];
  /** In recipient order. */
  readonly ciphertexts: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

/** A recipient's signed accusation of one sender, revealing only the pairwise ECDH point. */
export interface WireComplaint {
  readonly sessionId: Uint8Array;
  readonly complainer: ShareIndex;
  readonly accused: ShareIndex;
  readonly point: Uint8Array;
  readonly dleqProof: Uint8Array;
  readonly signature: Uint8Array;
}

/** The verdict on a complaint: exactly one party is at fault. */
export interface ComplaintVerdict {
  readonly culprit: ShareIndex;
  readonly fault: 'undecryptable-sub-share' | 'invalid-sub-share' | 'false-complaint';
}

const enrollBody = (definitionId: Uint8Array, e: Omit<Enrollment, 'signature'>): Uint8Array => new Writer().raw(definitionId).u64(e.id).raw(e.hostKey).raw(e.salt).raw(e.encKey).finish();

/**
 * A recipient enrolls for a definition with its host key.
 * @returns the public enrollment (d_j is re-derived from the host key when needed, never stored).
 */
export function enrollRecipient(definitionId: Uint8Array, id: bigint | number, hostSecretKey: Uint8Array, rng: RandomBytes = systemRandomBytes): Enrollment {
  const salt = rng(32);
  const d = deriveEncryptionSecret(hostSecretKey, definitionId, salt);
  const body = { id: BigInt(id) as ShareIndex, hostKey: hostPublicKey(hostSecretKey), salt, encKey: encryptionPublicKey(d) };
  wipe(d);
  return { ...body, signature: hostSign(hostSecretKey, TAGS.enroll, enrollBody(definitionId, body), rng(32)) };
}

/**
 * Builds the session from the definition id, the senders' host keys and the recipients' enrollments.
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_POINT`, `DUPLICATE_SHARE_ID`; VerificationError
 *   `SIGNATURE_INVALID` (an enrollment its host key did not sign; culprits: that recipient).
 */
export function wireSession(definitionId: Uint8Array, validators: number, senders: readonly { id: bigint | number; hostKey: Uint8Array }[], enrollments: readonly Enrollment[]): WireSession {
  if (definitionId.length !== 32) throw new ValidationError('INVALID_LENGTH', "'definitionId' expected 32 bytes", { field: 'definitionId' });
  const seen = new Set<string>();
  const w = new Writer().raw(definitionId).u32(validators).u32(senders.length);
  const s = senders.map((x, i) => {
    assertHostPublicKey(x.hostKey, `senders[${i}].hostKey`);
    if (seen.has(`s${x.id}`)) throw new ValidationError('DUPLICATE_SHARE_ID', `sender ${x.id} listed twice`, { field: `senders[${i}]` });
    seen.add(`s${x.id}`);
    w.u64(BigInt(x.id)).raw(x.hostKey);
    return { id: BigInt(x.id) as ShareIndex, hostKey: Uint8Array.from(x.hostKey) };
  });
  w.u32(enrollments.length);
  enrollments.forEach((e, i) => {
    assertHostPublicKey(e.hostKey, `enrollments[${i}].hostKey`);
    assertEncryptionPublicKey(e.encKey, `enrollments[${i}].encKey`);
    if (e.salt.length !== 32) throw new ValidationError('INVALID_LENGTH', `'enrollments[${i}].salt' expected 32 bytes`, { field: `enrollments[${i}].salt` });
    if (seen.has(`r${e.id}`)) throw new ValidationError('DUPLICATE_SHARE_ID', `recipient ${e.id} enrolled twice`, { field: `enrollments[${i}]`, culprits: [e.id.toString()] });
    seen.add(`r${e.id}`);
    if (!hostVerify(e.hostKey, TAGS.enroll, enrollBody(definitionId, e), e.signature)) {
      throw new VerificationError('SIGNATURE_INVALID', `the enrollment of recipient ${e.id} is not signed by its host key`, { field: `enrollments[${i}].signature`, culprits: [e.id.toString()] });
    }
    w.u64(e.id).raw(e.hostKey).raw(e.salt).raw(e.encKey);
  });
  return { id: taggedHash(TAGS.session, w.finish()), definitionId: Uint8Array.from(definitionId), senders: s, recipients: [...enrollments], validators };
}

function position(session: WireSession, role: 'sender' | 'recipient', id: bigint, field: string): number {
  const list = role === 'sender' ? session.senders : session.recipients;
  const k = list.findIndex((x) => x.id === id);
  if (k < 0) throw new ValidationError('INVALID_SHARE_ID', `'${field}' ${id} is no ${role} of this session`, { field, culprits: [id.toString()] });
  return role === 'sender' ? k + 1 : session.senders.length + k + 1;
}

function context(session: WireSession, m: Pick<SealedDealing, 'sender' | 'ephemeralKey' | 'salt'>, recipient: number): PairContext {
  const r = session.recipients[recipient]!;
  return { ceremonyId: session.id, sender: position(session, 'sender', m.sender, 'sender'), recipient: session.senders.length + recipient + 1, senderKey: m.ephemeralKey, recipientKey: r.encKey, validators: session.validators, salt: m.salt };
}

function sealedBody(m: Omit<SealedDealing, 'signature'>): Uint8Array {
  const w = new Writer().raw(m.sessionId).u64(m.sender).raw(m.salt).raw(m.ephemeralKey).raw(m.ephemeralProof).u32(m.commitments.length);
  for (const cs of m.commitments) {
    w.u32(cs.length);
    for (const c of cs) w.bytes(c);
  }
  w.u32(m.ciphertexts.length);
  for (const ct of m.ciphertexts) w.bytes(ct);
  return w.finish();
}

/**
 * The digest of a sealed message's body (everything but the signature): what echoes compare (echo.ts).
 */
export function sealedDigest(m: Omit<SealedDealing, 'signature'>): Uint8Array {
  return taggedHash(TAGS.sealedBody, sealedBody(m));
}

/**
 * What a sender host-signs: taggedHash(`sealed-statement`, session id || u64 sender || body digest). Binding the
 * session and the sender outside the digest lets a (digest, signature) pair alone prove "sender i signed this body
 * for this session", so two pairs with different digests are transferable evidence of equivocation (echo.ts).
 */
export function sealedStatement(sessionId: Uint8Array, sender: bigint, digest: Uint8Array): Uint8Array {
  return taggedHash(TAGS.sealed, new Writer().raw(sessionId).u64(sender).raw(digest).finish());
}

/** True when `signature` is sender `sender`'s host signature over a sealed body with digest `digest` in this session. */
export function verifySealedSignature(session: WireSession, sender: bigint, digest: Uint8Array, signature: Uint8Array): boolean {
  const s = session.senders.find((x) => x.id === sender);
  return s !== undefined && digest.length === 32 && hostVerifyDigest(s.hostKey, sealedStatement(session.id, sender, digest), signature);
}

/**
 * A sender seals its dealing: `bundles[k]` are its secrets for recipient k (session order), 32 bytes per validator.
 * The caller wipes the bundles afterwards.
 */
export function sealDealing(
  session: WireSession,
  sender: bigint | number,
  hostSecretKey: Uint8Array,
  commitments: readonly (readonly Uint8Array[])[],
  bundles: readonly (readonly Uint8Array[])[],
  rng: RandomBytes = systemRandomBytes,
): SealedDealing {
  const me = BigInt(sender) as ShareIndex;
  const at = position(session, 'sender', me, 'sender');
  if (bundles.length !== session.recipients.length) throw new ValidationError('INVALID_LENGTH', `'bundles' has ${bundles.length} entries for ${session.recipients.length} recipients`, { field: 'bundles' });
  const salt = rng(32);
  const seed = rng(32);
  const eph = deriveEphemeralSecret(seed);
  wipe(seed);
  try {
    const ephemeralKey = encryptionPublicKey(eph);
    const ephemeralProof = proveEphemeral(eph, { ceremonyId: session.id, dealer: at, key: ephemeralKey }, rng(32));
    const ciphertexts = bundles.map((secrets, k) => {
      const ctx = context(session, { sender: me, ephemeralKey, salt }, k);
      const key = pairKey(ctx, eph, true);
      const pt = concatBytes(...secrets);
      try {
        return sealShares(key, ctx, pt);
      } finally {
        wipe(key);
        wipe(pt);
      }
    });
    const body = { sessionId: Uint8Array.from(session.id), sender: me, salt, ephemeralKey, ephemeralProof, commitments, ciphertexts };
    return { ...body, signature: hostSignDigest(hostSecretKey, sealedStatement(session.id, me, sealedDigest(body)), rng(32)) };
  } finally {
    wipe(eph);
  }
}

/**
 * Checks a sealed message's host signature and ephemeral proof.
 * @throws VerificationError `SIGNATURE_INVALID` (not signed by the sender: altered in transit, no culprit, the
 *   coordinator is suspect); ValidationError `INVALID_SHARE_ID`, `CEREMONY_MISMATCH` (another session),
 *   `INVALID_LENGTH`; VerificationError `DKG_INVALID_MESSAGE` (a signed but invalid ephemeral proof; culprits: the
 *   sender).
 */
export function checkSealed(session: WireSession, m: SealedDealing, field = 'sealed'): void {
  const at = position(session, 'sender', m.sender, `${field}.sender`);
  if (m.sessionId.length !== 32 || !m.sessionId.every((b, i) => b === session.id[i])) throw new ValidationError('CEREMONY_MISMATCH', `'${field}' is for another session`, { field: `${field}.sessionId` });
  if (m.ciphertexts.length !== session.recipients.length) throw new ValidationError('INVALID_LENGTH', `'${field}.ciphertexts' has ${m.ciphertexts.length} entries for ${session.recipients.length} recipients`, { field: `${field}.ciphertexts` });
  if (!verifySealedSignature(session, m.sender, sealedDigest(m), m.signature)) {
    throw new VerificationError('SIGNATURE_INVALID', `'${field}' is not signed by sender ${m.sender}: altered in transit (the coordinator is suspect)`, { field: `${field}.signature` });
  }
  if (!verifyEphemeral(m.ephemeralProof, { ceremonyId: session.id, dealer: at, key: m.ephemeralKey })) {
    throw new VerificationError('DKG_INVALID_MESSAGE', `sender ${m.sender} signed an invalid ephemeral-key proof`, { field: `${field}.ephemeralProof`, culprits: [m.sender.toString()] });
  }
}

/**
 * Recipient `me` opens its ciphertext of a checked sealed message.
 * @returns the V secrets (the caller wipes them), or undefined when it does not decrypt (a complaint follows).
 */
export function openSealed(session: WireSession, me: bigint | number, hostSecretKey: Uint8Array, m: SealedDealing): SecretBytes[] | undefined {
  const k = position(session, 'recipient', BigInt(me), 'me') - session.senders.length - 1;
  const r = session.recipients[k]!;
  const d = deriveEncryptionSecret(hostSecretKey, session.definitionId, r.salt);
  const ctx = context(session, m, k);
  const key = pairKey(ctx, d, false);
  wipe(d);
  const pt = openShares(key, ctx, m.ciphertexts[k]!);
  wipe(key);
  if (pt === undefined) return undefined;
  const out = Array.from({ length: session.validators }, (_, v) => SecretBytes.copyOf(pt.subarray(32 * v, 32 * v + 32)));
  wipe(pt);
  return out;
}

const complaintBody = (c: Omit<WireComplaint, 'signature'>): Uint8Array => new Writer().raw(c.sessionId).u64(c.complainer).u64(c.accused).raw(c.point).raw(c.dleqProof).finish();

/** Recipient `me` accuses the sender of `m`: reveals P = d_me·E_sender with a DLEQ proof, host-signed. */
export function complain(session: WireSession, me: bigint | number, hostSecretKey: Uint8Array, m: SealedDealing, rng: RandomBytes = systemRandomBytes): WireComplaint {
  const at = position(session, 'recipient', BigInt(me), 'me');
  const r = session.recipients[at - session.senders.length - 1]!;
  const d = deriveEncryptionSecret(hostSecretKey, session.definitionId, r.salt);
  try {
    const point = sharedPoint(d, m.ephemeralKey);
    const dleqProof = proveDleq(d, { ceremonyId: session.id, prover: at, other: position(session, 'sender', m.sender, 'accused'), proverKey: r.encKey, otherKey: m.ephemeralKey, point }, rng(32));
    const body = { sessionId: Uint8Array.from(session.id), complainer: r.id, accused: m.sender, point, dleqProof };
    return { ...body, signature: hostSign(hostSecretKey, TAGS.complaint, complaintBody(body), rng(32)) };
  } finally {
    wipe(d);
  }
}

/**
 * Anyone judges a complaint against the accused's checked sealed message: exactly one of the two is at fault.
 * @param omitConstant true for a refresh (the commitments lack the identity constant).
 * @throws VerificationError `SIGNATURE_INVALID` (the complaint is not signed by its complainer: no verdict, the
 *   coordinator is suspect); ValidationError `INVALID_ARGUMENT` (the message is not the accused's).
 */
export function judgeComplaint(session: WireSession, c: WireComplaint, m: SealedDealing, omitConstant: boolean, rng: RandomBytes = systemRandomBytes): ComplaintVerdict {
  const at = position(session, 'recipient', c.complainer, 'complaint.complainer');
  const k = at - session.senders.length - 1;
  const r = session.recipients[k]!;
  if (!hostVerify(r.hostKey, TAGS.complaint, complaintBody(c), c.signature)) {
    throw new VerificationError('SIGNATURE_INVALID', `the complaint is not signed by recipient ${c.complainer} (the coordinator is suspect)`, { field: 'complaint.signature' });
  }
  if (m.sender !== c.accused) throw new ValidationError('INVALID_ARGUMENT', `the sealed message is from ${m.sender}, the complaint accuses ${c.accused}`, { field: 'sealed.sender' });
  const st = { ceremonyId: session.id, prover: at, other: position(session, 'sender', c.accused, 'complaint.accused'), proverKey: r.encKey, otherKey: m.ephemeralKey, point: c.point };
  if (!verifyDleq(c.dleqProof, st)) return { culprit: c.complainer, fault: 'false-complaint' };
  const ctx = context(session, m, k);
  const key = pairKeyFromShared(ctx, c.point);
  const pt = openShares(key, ctx, m.ciphertexts[k]!);
  wipe(key);
  if (pt === undefined) return { culprit: c.accused, fault: 'undecryptable-sub-share' };
  try {
    if (m.commitments.length !== session.validators) return { culprit: c.accused, fault: 'invalid-sub-share' };
    const claims = m.commitments.map((cs, v) => {
      const points = cs.map((p, j) => decodeG1UncheckedSubgroup(p, `sealed.commitments[${v}][${j}]`, omitConstant || j > 0));
      return { value: pt.subarray(32 * v, 32 * v + 32), commitments: omitConstant ? [G1.ZERO, ...points] : points, x: r.id };
    });
    const bad = failingClaims(claims, claims.map((_, v) => `subShares[${v}]`), rng);
    return bad.length > 0 ? { culprit: c.accused, fault: 'invalid-sub-share' } : { culprit: c.complainer, fault: 'false-complaint' };
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    // A signed commitment that is no point, or a sub-share that is no scalar: the accused wrote both.
    return { culprit: c.accused, fault: 'invalid-sub-share' };
  } finally {
    wipe(pt);
  }
}

/** SHA-256 of the session id in hex groups, for operators to compare out of band. */
export function sessionFingerprint(session: WireSession): string {
  return Array.from(sha256(session.id).subarray(0, 10), (b) => b.toString(16).padStart(2, '0')).join('').replace(/(.{4})(?=.)/g, '$1-');
}
