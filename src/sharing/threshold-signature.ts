/**
 * Threshold BLS signatures (Boldyreva, "Threshold signatures, multisignatures and blind signatures based on the
 * Gap-Diffie-Hellman-group signature scheme", PKC 2003): each holder signs with its share, σ_x = s_x·H(m); any t
 * partials combine by Lagrange interpolation in G2, σ = Σ λ_x σ_x, which equals the plain signature of the group
 * key and verifies with the standard Ethereum verifier.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PartialSignature, PublicShare, RandomBytes, SecretShare } from '../types.js';
import { decodeScalar, randomWeight } from '../bls/field.js';
import { decodeG1, decodeG2, encodeG2, g1Generator, type G1Point, type G2Point } from '../bls/group.js';
import { msmG1, msmG2 } from '../bls/msm.js';
import { pairingProductIsOne } from '../bls/pairing.js';
import { hashToG2, signHashed, verify, verifyPoints } from '../bls/signature.js';
import { validateIds, validateThreshold } from './ids.js';
import { lagrangeCoefficientsAtZero } from './polynomial.js';

/** σ_x = s_x·H for an already hashed message, as a point (constant-time multiplication). */
export function partialSignPoint(share: SecretShare, hashed: G2Point, field = 'share.secret'): G2Point {
  return signHashed(decodeScalar(share.secret, field), hashed);
}

/**
 * A partial signature of `message` with one secret share.
 * @throws ValidationError for an invalid share scalar (zero or >= r).
 */
export function partialSign(share: SecretShare, message: Uint8Array): PartialSignature {
  return { id: share.id, signature: encodeG2(partialSignPoint(share, hashToG2(message))) };
}

/** True when e(Y_x, H(m)) = e(G1, σ_x): the partial was made by the share behind `publicShare`. */
export function verifyPartial(publicShare: PublicShare, message: Uint8Array, partial: PartialSignature): boolean {
  if (publicShare.id !== partial.id) return false;
  return verify(publicShare.publicKey, message, partial.signature);
}

/** A decoded partial: id, its public share point and its signature point. */
interface DecodedPartial {
  readonly id: bigint;
  readonly publicShare: G1Point;
  readonly signature: G2Point;
}

function decodePartials(publicShares: readonly PublicShare[], partials: readonly PartialSignature[]): DecodedPartial[] {
  validateIds(
    partials.map((p) => p.id),
    'partials.id',
  );
  const byId = new Map(publicShares.map((s) => [s.id, s]));
  return partials.map((p, i) => {
    const ps = byId.get(p.id);
    if (ps === undefined) {
      throw new ValidationError('INVALID_SHARE_ID', `'partials[${i}]' has share id ${p.id}, which has no public share`, {
        field: `partials[${i}].id`,
        culprits: [p.id.toString()],
      });
    }
    return {
      id: p.id,
      publicShare: decodeG1(ps.publicKey, `publicShares[id ${p.id}]`),
      signature: decodeG2(p.signature, `partials[${i}].signature`, { allowInfinity: false }),
    };
  });
}

/**
 * Checks many partial signatures of ONE message at once: e(G1, Σ w_i σ_i) = e(Σ w_i Y_i, H(m)), two pairings for
 * any number of partials; on failure each partial is checked alone to name the culprits.
 * @returns the ids (decimal strings) of partials that fail; empty when all are valid.
 * @throws ValidationError for malformed partials, duplicate ids or ids without a public share.
 */
export function findInvalidPartials(
  publicShares: readonly PublicShare[],
  message: Uint8Array,
  partials: readonly PartialSignature[],
  rng: RandomBytes = systemRandomBytes,
): string[] {
  const decoded = decodePartials(publicShares, partials);
  const hashed = hashToG2(message);
  const weights = decoded.map(() => randomWeight(rng));
  const sig = msmG2(
    decoded.map((d) => d.signature),
    weights,
  );
  const pk = msmG1(
    decoded.map((d) => d.publicShare),
    weights,
  );
  const ok = pairingProductIsOne([
    { g1: pk, g2: hashed },
    { g1: g1Generator().negate(), g2: sig },
  ]);
  if (ok) return [];
  return decoded.filter((d) => !verifyPoints(d.publicShare, hashed, d.signature)).map((d) => d.id.toString());
}

/**
 * Lagrange-combines partial signatures at zero: σ = Σ λ_x σ_x over all given partials (give exactly t, or more
 * from one consistent sharing). Does not verify anything; see {@link combinePartialSignatures}.
 * @throws ValidationError for an empty list, duplicate or invalid ids, or malformed signatures.
 */
export function aggregatePartials(partials: readonly PartialSignature[]): Uint8Array {
  if (partials.length === 0) {
    throw new ValidationError('NOT_ENOUGH_SHARES', "'partials' must not be empty", { field: 'partials' });
  }
  const ids = validateIds(
    partials.map((p) => p.id),
    'partials.id',
  );
  const points = partials.map((p, i) => decodeG2(p.signature, `partials[${i}].signature`));
  return encodeG2(lagrangeCombineG2(ids, points));
}

/** Σ λ_x σ_x at zero for decoded partial signature points (ids validated by the caller). */
export function lagrangeCombineG2(ids: readonly bigint[], points: readonly G2Point[]): G2Point {
  return msmG2(points, lagrangeCoefficientsAtZero(ids));
}

/** Input of {@link combinePartialSignatures}. */
export interface CombineInput {
  readonly threshold: number;
  readonly groupPublicKey: Uint8Array;
  readonly publicShares: readonly PublicShare[];
  readonly message: Uint8Array;
  readonly partials: readonly PartialSignature[];
  readonly rng?: RandomBytes;
}

/**
 * The checked path from partials to a signature: every partial is verified against its public share (batched);
 * if any fails, nothing is combined and the error names every bad share. Otherwise the first t partials are
 * combined and the result is verified under the group key with the standard verifier.
 * @throws ValidationError `NOT_ENOUGH_SHARES` (fewer than t partials); VerificationError
 *   `PARTIAL_SIGNATURE_INVALID` naming the culprit ids, or `SIGNATURE_INVALID` if the combination fails.
 */
export function combinePartialSignatures(input: CombineInput): Uint8Array {
  const { threshold, partials } = input;
  validateThreshold(threshold, Math.max(1, input.publicShares.length));
  if (partials.length < threshold) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need ${threshold} partial signatures, got ${partials.length}`, {
      field: 'partials',
    });
  }
  const bad = findInvalidPartials(input.publicShares, input.message, partials, input.rng);
  if (bad.length > 0) {
    throw new VerificationError(
      'PARTIAL_SIGNATURE_INVALID',
      `partial signature of share ${bad.join(', ')} does not verify against its public share`,
      { field: 'partials', culprits: bad },
    );
  }
  const signature = aggregatePartials(partials.slice(0, threshold));
  if (!verify(input.groupPublicKey, input.message, signature)) {
    throw new VerificationError('SIGNATURE_INVALID', 'the combined signature does not verify under the group key', {
      field: 'groupPublicKey',
    });
  }
  return signature;
}
