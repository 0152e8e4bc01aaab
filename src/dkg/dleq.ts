/**
 * Chaum-Pedersen proof of discrete-log equality on secp256k1 (Chaum and Pedersen, CRYPTO 1992; the non-interactive
 * form by Fiat-Shamir), for complaints (brief B5; docs/decisions/0420-complaint-ecdh-dleq.md).
 *
 * A complainer i reveals, per accused dealer j, only the pairwise ECDH point P = d_i·D_j and proves
 * log_G(D_i) = log_{D_j}(P): the same d_i as its enrolled D_i. Anyone can then derive k_{j→i} (encryption.ts
 * `pairKeyFromShared`) and open ct_{j→i}, and only that ciphertext: d_i itself stays secret, so no ciphertext from
 * another dealer opens.
 *
 * Proof (e, s), 64 bytes: k = hash_to_field(DST_dleq-nonce, d || D_i || D_j || P || aux) (hedged), A1 = k·G,
 * A2 = k·D_j, e = hash_to_field(DST_dleq, ceremonyId || u16 i || u16 j || D_i || D_j || P || A1 || A2),
 * s = k + e·d mod n. Verification recomputes A1 = s·G − e·D_i, A2 = s·D_j − e·P and checks e. All points are
 * 33-byte compressed; the tag binds the proof to this use, the transcript to the ceremony, both keys and the point.
 *
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, concatBytes, wipe } from '../bytes.js';
import { Writer, hashToField } from './codec.js';
import { TAGS } from './constants.js';

/** Length of a DLEQ proof (e || s). */
export const DLEQ_PROOF_BYTES = 64;

const Point = secp256k1.Point;
const N: bigint = Point.Fn.ORDER;

/** What a DLEQ proof is about: prover i (key D_i), other party j (key D_j), P = d_i·D_j. */
export interface DleqStatement {
  readonly ceremonyId: Uint8Array;
  readonly prover: number;
  readonly other: number;
  readonly proverKey: Uint8Array;
  readonly otherKey: Uint8Array;
  readonly point: Uint8Array;
}

function challenge(st: DleqStatement, a1: Uint8Array, a2: Uint8Array): bigint {
  const msg = new Writer().raw(abytes(st.ceremonyId, 32, 'ceremonyId')).u16(st.prover).u16(st.other).raw(st.proverKey).raw(st.otherKey).raw(st.point).raw(a1).raw(a2).finish();
  return hashToField(TAGS.dleq, msg, N, 1)[0]!;
}

/**
 * Proves that `st.point` = d·`st.otherKey` for the d with d·G = `st.proverKey`. `aux` is 32 bytes of fresh
 * randomness (hedging the deterministic nonce).
 * @throws RangeError when `secret` does not match the statement (a bug of the caller, never a peer's input).
 */
export function proveDleq(secret: Uint8Array, st: DleqStatement, aux: Uint8Array): Uint8Array {
  const d = bytesToBigintBE(abytes(secret, 32, 'secret'));
  const D = Point.BASE.multiply(d);
  const B = Point.fromBytes(st.otherKey);
  if (!D.equals(Point.fromBytes(st.proverKey)) || !B.multiply(d).equals(Point.fromBytes(st.point))) throw new RangeError('the DLEQ statement does not match the secret');
  const input = concatBytes(secret, st.proverKey, st.otherKey, st.point, abytes(aux, 32, 'aux'));
  let k = 0n;
  try {
    k = hashToField(TAGS.dleqNonce, input, N, 1)[0]!;
    if (k === 0n) throw new RangeError('derived a zero DLEQ nonce');
    const e = challenge(st, Point.BASE.multiply(k).toBytes(true), B.multiply(k).toBytes(true));
    const s = (k + e * d) % N;
    return concatBytes(bigintToBytesBE(e, 32), bigintToBytesBE(s, 32));
  } finally {
    k = 0n;
    wipe(input);
  }
}

/** True when `proof` proves log_G(proverKey) = log_{otherKey}(point). Never throws on bad input. */
export function verifyDleq(proof: Uint8Array, st: DleqStatement): boolean {
  if (proof.length !== DLEQ_PROOF_BYTES) return false;
  const e = bytesToBigintBE(proof.subarray(0, 32));
  const s = bytesToBigintBE(proof.subarray(32));
  if (e >= N || s >= N) return false;
  try {
    const D = Point.fromBytes(st.proverKey);
    const B = Point.fromBytes(st.otherKey);
    const P = Point.fromBytes(st.point);
    const a1 = Point.BASE.multiplyUnsafe(s).subtract(D.multiplyUnsafe(e));
    const a2 = B.multiplyUnsafe(s).subtract(P.multiplyUnsafe(e));
    if (a1.is0() || a2.is0()) return false;
    return challenge(st, a1.toBytes(true), a2.toBytes(true)) === e;
  } catch {
    return false;
  }
}
