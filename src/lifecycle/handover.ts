/**
 * The handover rule (research/dkg-brief.md B9 "Reshare" step 4; design section 9): before any old share may be
 * deleted, EVERY new holder threshold-signs a "reshare-complete" message under the unchanged validator key, and all
 * n' partial signatures must be valid. This is the defence against the forget-and-forgive failure of proactive
 * schemes (Aumasson and Shlomovits, "Attacking threshold wallets", 2020): old holders who delete before each new
 * holder has a working share can lose the key.
 *
 * The message is `dvkeys/reshare-complete/v2:` || definition id (32 bytes, SHA-256 of the reshare or refresh
 * definition, public-data.ts) || PK_v (48 bytes) || new public data hash (32 bytes, {@link newPublicDataHash}): 139
 * bytes, so it can never equal a 32-byte signing root that a validator signs, a certificate of one definition is no
 * certificate of another, and a partial made on other new public data (another "world" of a split transcript,
 * attack a08; decision 0427) states so: it is reported as `TRANSCRIPT_MISMATCH` without naming its signer, never
 * as an invalid partial of an honest holder.
 *
 * A certificate is the combined signature of each validator (verifiable with the standard Ethereum verifier under
 * PK_v). It proves that t' new holders signed with shares of the unchanged keys and, because every one of the n'
 * partials was checked against its new public share before combining, that each new holder holds a working share.
 * It cannot prove that old shares are deleted: deletion is not enforceable (docs/protocols/lifecycle.md).
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bigintToBytesBE, bytesToHex, concatBytes, utf8 } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PartialSignature, PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { verify } from '../bls/signature.js';
import { aggregatePartials, findInvalidPartials, partialSign } from '../sharing/threshold-signature.js';
import { validateIds, validateThreshold } from '../sharing/ids.js';
import { equalBytes } from '../dkg/codec.js';
import { omissionError } from './omission.js';

/** Prefix of the handover message. */
export const RESHARE_COMPLETE_PREFIX = 'dvkeys/reshare-complete/v2:';

/** The new public data the handover is checked against (a reshare's or a refresh's output). */
export interface HandoverPublicData {
  readonly groupPublicKey: Uint8Array;
  /** C'_{v,k}, when the output has them. */
  readonly commitments?: readonly Uint8Array[];
  readonly publicShares: readonly PublicShare[];
}

/** One new holder's partial signatures, one per validator, over the new public data it finished with. */
export interface HandoverPartials {
  readonly member: ShareIndex;
  /** {@link newPublicDataHash} of the new public data the member combined its shares against. */
  readonly publicDataHash: Uint8Array;
  readonly signatures: readonly Uint8Array[];
}

/** The certificate old holders check before deleting: one full signature per validator. */
export interface HandoverCertificate {
  readonly definitionId: Uint8Array;
  readonly publicDataHash: Uint8Array;
  readonly signatures: readonly Uint8Array[];
}

const u64 = (x: number | bigint): Uint8Array => bigintToBytesBE(BigInt(x), 8);

/**
 * SHA-256 over a tagged, length-prefixed encoding of the definition id and every validator's new public data (PK_v,
 * its new commitments when present, every new public share with its id).
 */
export function newPublicDataHash(definitionId: Uint8Array, publicData: readonly HandoverPublicData[]): Uint8Array {
  const parts: Uint8Array[] = [utf8('dvkeys/lifecycle/new-public-data/v1'), definitionId, u64(publicData.length)];
  for (const d of publicData) {
    parts.push(d.groupPublicKey, u64(d.commitments?.length ?? 0), ...(d.commitments ?? []), u64(d.publicShares.length));
    for (const p of d.publicShares) parts.push(u64(p.id), p.publicKey);
  }
  return sha256(concatBytes(...parts));
}

/** The reshare-complete message of one validator. */
export function reshareCompleteMessage(definitionId: Uint8Array, groupPublicKey: Uint8Array, publicDataHash: Uint8Array): Uint8Array {
  if (definitionId.length !== 32) throw new ValidationError('INVALID_LENGTH', "'definitionId' expected 32 bytes", { field: 'definitionId' });
  if (publicDataHash.length !== 32) throw new ValidationError('INVALID_LENGTH', "'publicDataHash' expected 32 bytes", { field: 'publicDataHash' });
  return concatBytes(utf8(RESHARE_COMPLETE_PREFIX), definitionId, groupPublicKey, publicDataHash);
}

/** A new holder signs the reshare-complete message of every validator with its new shares. */
export function signHandover(definitionId: Uint8Array, publicData: readonly HandoverPublicData[], shares: readonly SecretShare[]): HandoverPartials {
  if (shares.length !== publicData.length || shares.length === 0) {
    throw new ValidationError('INVALID_LENGTH', `'shares' has ${shares.length} entries for ${publicData.length} validators`, { field: 'shares' });
  }
  const member = shares[0]!.id;
  const publicDataHash = newPublicDataHash(definitionId, publicData);
  return { member, publicDataHash, signatures: shares.map((s, v) => partialSign(s, reshareCompleteMessage(definitionId, publicData[v]!.groupPublicKey, publicDataHash)).signature) };
}

/**
 * Checks the handover: a valid partial from every new holder for every validator, then combines t' of them and
 * verifies the result under PK_v with the Ethereum verifier.
 * @returns the certificate; the CLI may say "old shares may now be deleted" only when this returns.
 * @throws ValidationError `HANDOVER_INCOMPLETE` (no culprit; suspects: the holders without partials and `coordinator`, decision 0443),
 *   `INVALID_SHARE_ID` (partials from a non-member), `INVALID_LENGTH` (culprits: the holder);
 *   VerificationError `TRANSCRIPT_MISMATCH` (partials over other new public data: the holders finished on another
 *   transcript, or the coordinator altered the hash; nobody is named), `PARTIAL_SIGNATURE_INVALID` (culprits: every
 *   holder with an invalid partial over this public data), `SIGNATURE_INVALID` (the combination does not verify).
 */
export function checkHandover(
  definitionId: Uint8Array,
  threshold: number,
  publicData: readonly HandoverPublicData[],
  partials: readonly HandoverPartials[],
  rng: RandomBytes = systemRandomBytes,
): HandoverCertificate {
  if (publicData.length === 0) throw new ValidationError('INVALID_ARGUMENT', "'publicData' must not be empty", { field: 'publicData' });
  const members = validateIds(
    publicData[0]!.publicShares.map((p) => p.id),
    'publicData[0].publicShares.id',
  );
  validateThreshold(threshold, members.length, 'threshold');
  const byMember = new Map<bigint, HandoverPartials>();
  partials.forEach((p, i) => {
    if (!members.includes(p.member)) {
      throw new ValidationError('INVALID_SHARE_ID', `'partials[${i}]' is from ${p.member}, no new holder`, { field: `partials[${i}].member`, culprits: [p.member.toString()] });
    }
    if (byMember.has(p.member)) throw new ValidationError('DUPLICATE_SHARE_ID', `two partial sets from ${p.member}`, { field: `partials[${i}]`, culprits: [p.member.toString()] });
    if (p.signatures.length !== publicData.length) {
      throw new ValidationError('INVALID_LENGTH', `'partials[${i}].signatures' has ${p.signatures.length} entries for ${publicData.length} validators`, { field: `partials[${i}].signatures`, culprits: [p.member.toString()] });
    }
    byMember.set(p.member, p);
  });
  const missing = members.filter((m) => !byMember.has(m));
  if (missing.length > 0) {
    throw omissionError('HANDOVER_INCOMPLETE', `no reshare-complete partials from new holder ${missing.join(', ')}`, 'new holder', missing, 'partials', 'old shares must not be deleted');
  }
  const hash = newPublicDataHash(definitionId, publicData);
  const other = members.filter((m) => !equalBytes(byMember.get(m)!.publicDataHash, hash));
  if (other.length > 0) {
    throw new VerificationError('TRANSCRIPT_MISMATCH', `new holder ${other.join(', ')} signed reshare-complete over other new public data (${bytesToHex(byMember.get(other[0]!)!.publicDataHash, true).slice(0, 14)}…, not ${bytesToHex(hash, true).slice(0, 14)}…): the holders did not finish one transcript (compare their echoes); nobody is named; old shares must not be deleted`, {
      field: 'partials',
    });
  }
  const bad = new Set<string>();
  const perValidator = publicData.map((data, v) => {
    const message = reshareCompleteMessage(definitionId, data.groupPublicKey, hash);
    const list: PartialSignature[] = members.map((m) => ({ id: m, signature: byMember.get(m)!.signatures[v]! }));
    for (const id of findInvalidPartials(data.publicShares, message, list, rng)) bad.add(id);
    return { message, list };
  });
  if (bad.size > 0) {
    const culprits = members.map(String).filter((m) => bad.has(m));
    throw new VerificationError('PARTIAL_SIGNATURE_INVALID', `the reshare-complete partial of new holder ${culprits.join(', ')} does not verify: old shares must not be deleted`, {
      field: 'partials',
      culprits,
    });
  }
  const signatures = perValidator.map(({ message, list }, v) => {
    const signature = aggregatePartials(list.slice(0, threshold));
    if (!verify(publicData[v]!.groupPublicKey, message, signature)) {
      throw new VerificationError('SIGNATURE_INVALID', `validator ${v}: the combined reshare-complete signature does not verify under the validator key`, { field: `publicData[${v}]` });
    }
    return signature;
  });
  return { definitionId: Uint8Array.from(definitionId), publicDataHash: hash, signatures };
}

/**
 * An old holder's check of a certificate before it deletes its shares: every signature verifies under its PK_v for
 * this definition (and, when the holder knows the new public data, for that data's hash).
 * @throws VerificationError `SIGNATURE_INVALID` naming `signatures[v]` or `publicDataHash`; ValidationError `INVALID_LENGTH`.
 */
export function verifyHandoverCertificate(definitionId: Uint8Array, groupPublicKeys: readonly Uint8Array[], certificate: HandoverCertificate, publicDataHash?: Uint8Array): void {
  if (publicDataHash !== undefined && !equalBytes(publicDataHash, certificate.publicDataHash)) {
    throw new VerificationError('SIGNATURE_INVALID', 'the certificate is for other new public data', { field: 'publicDataHash' });
  }
  if (certificate.signatures.length !== groupPublicKeys.length) {
    throw new ValidationError('INVALID_LENGTH', `the certificate has ${certificate.signatures.length} signatures for ${groupPublicKeys.length} validators`, { field: 'signatures' });
  }
  if (certificate.definitionId.length !== 32 || !certificate.definitionId.every((b, i) => b === definitionId[i])) {
    throw new VerificationError('SIGNATURE_INVALID', 'the certificate is for another definition', { field: 'definitionId' });
  }
  certificate.signatures.forEach((sig, v) => {
    if (!verify(groupPublicKeys[v]!, reshareCompleteMessage(definitionId, groupPublicKeys[v]!, certificate.publicDataHash), sig)) {
      throw new VerificationError('SIGNATURE_INVALID', `signature ${v} of the certificate does not verify under its validator key`, { field: `signatures[${v}]` });
    }
  });
}
