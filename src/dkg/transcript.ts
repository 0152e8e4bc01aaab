/**
 * The transcript and CertEq (brief B4 step 6, A3 "CertEq"; ChillDKG's certifying equality check).
 *
 * - transcriptHash = taggedHash(DST_transcript, ceremonyId || u16 n || digest_1 || ... || digest_n), where digest_j is
 *   the round-1 digest of participant j (messages.ts): it covers every commitment, proof and ciphertext, so the
 *   transcript is also the recovery data.
 * - CertEq vote of participant i: BIP-340 over taggedHash(DST_certeq, ceremonyId || u16 i || transcriptHash). The n
 *   votes, in index order, are the certificate: if any honest participant holds a valid certificate, every
 *   participant signed the same transcript hash, which replaces the broadcast channel that Joint-Feldman needs
 *   (equivocation by a dealer through a splitting coordinator yields different hashes and no certificate).
 * - Relay checks of a collected round 1: the coordinator may only reorder nothing, drop nothing, alter nothing; every
 *   failure here is its fault (brief B5: a message not signed by its sender, one of another ceremony, or the
 *   participant's own message altered).
 *
 * @module
 */
import { Writer, equalBytes, taggedHash } from './codec.js';
import { TAGS } from './constants.js';
import type { Definition } from './definition.js';
import { hostVerify } from './host-key.js';
import { certMessage, round1Digest, verifyRound1Signature, type Round1 } from './messages.js';

/** taggedHash(DST_transcript, ceremonyId || u16 n || digests). */
export function transcriptHash(ceremonyId: Uint8Array, digests: readonly Uint8Array[]): Uint8Array {
  const w = new Writer().raw(ceremonyId).u16(digests.length);
  for (const d of digests) w.raw(d);
  return taggedHash(TAGS.transcript, w.finish());
}

/** True when `signature` is participant `index`'s valid CertEq vote for `hash`. */
export function verifyCertSignature(def: Definition, index: number, hash: Uint8Array, signature: Uint8Array): boolean {
  const p = def.participants[index - 1];
  if (p === undefined) return false;
  return hostVerify(p.hostKey, TAGS.certeq, certMessage(def.id, index, hash), signature);
}

/**
 * The indices (1-based) whose certificate entry is not a valid vote for `hash`; a certificate of the wrong length
 * fails entirely (every index). Reordered or duplicated votes fail because each vote binds its signer's index.
 */
export function invalidCertificateEntries(def: Definition, hash: Uint8Array, certificate: readonly Uint8Array[]): number[] {
  if (certificate.length !== def.n) return def.participants.map((p) => p.index);
  return def.participants.filter((p) => !verifyCertSignature(def, p.index, hash, certificate[p.index - 1]!)).map((p) => p.index);
}

/** Why a collected round 1 is the coordinator's fault. */
export type RelayFault = 'wrong-ceremony' | 'missing-message' | 'misordered' | 'invalid-relay-signature' | 'replayed-round1' | 'altered-own-round1';

/** A relay fault with the position concerned (1-based; 0 for the whole message). */
export interface RelayProblem {
  readonly fault: RelayFault;
  readonly index: number;
  readonly detail: string;
}

/** Result of {@link checkRelay}: the digests of a well-relayed round 1, or the coordinator's faults. */
export type RelayResult = { readonly ok: true; readonly digests: Uint8Array[] } | { readonly ok: false; readonly problems: RelayProblem[] };

/**
 * Checks a collected round 1 as a relay: its ceremony id, one message per index in order, every host signature,
 * every message's ceremony id, and (for a participant) that its own message is byte-identical to what it sent.
 * Cheap: one BIP-340 verification per message; no point is decoded.
 */
export function checkRelay(def: Definition, ceremonyId: Uint8Array, round1: readonly Round1[], own?: { readonly index: number; readonly digest: Uint8Array }): RelayResult {
  const problems: RelayProblem[] = [];
  if (!equalBytes(ceremonyId, def.id)) problems.push({ fault: 'wrong-ceremony', index: 0, detail: 'the collected round 1 is for another ceremony' });
  if (round1.length !== def.n) {
    problems.push({ fault: 'missing-message', index: 0, detail: `the collected round 1 has ${round1.length} messages, expected ${def.n}` });
    return { ok: false, problems };
  }
  const digests: Uint8Array[] = [];
  round1.forEach((m, pos) => {
    const index = pos + 1;
    const digest = round1Digest(m);
    digests.push(digest);
    if (m.index !== index) {
      problems.push({ fault: 'misordered', index, detail: `position ${index} holds the message of participant ${m.index}` });
      return;
    }
    if (!verifyRound1Signature(m, def.participants[pos]!.hostKey, digest)) {
      problems.push({ fault: 'invalid-relay-signature', index, detail: `the round-1 message of participant ${index} is not signed by its host key` });
      return;
    }
    if (!equalBytes(m.ceremonyId, def.id)) {
      problems.push({ fault: 'replayed-round1', index, detail: `the round-1 message of participant ${index} belongs to another ceremony or attempt` });
      return;
    }
    if (own !== undefined && own.index === index && !equalBytes(own.digest, digest)) {
      problems.push({ fault: 'altered-own-round1', index, detail: 'our own round-1 message was replaced' });
    }
  });
  return problems.length === 0 ? { ok: true, digests } : { ok: false, problems };
}
