/**
 * The two secp256k1 proofs of the share encryption (brief B3/B5; docs/decisions/0420-complaint-ecdh-dleq.md), both
 * Schnorr-style sigma protocols made non-interactive by Fiat-Shamir, 64 bytes (e || s):
 *
 * - Proof of knowledge of a round-1 message's ephemeral sender secret e_j with E_j = e_j·G (Schnorr, CRYPTO 1989):
 *   k·G = A, e = hash_to_field(DST_ephemeral-pok, ceremonyId || u16 j || E_j || A), s = k + e·e_j. Bound to the
 *   ceremony and the dealer, so no dealer can present another's ephemeral key, or a multiple of it, as its own.
 * - Chaum-Pedersen proof of discrete-log equality (CRYPTO 1992) for complaints: complainer i reveals, per accused
 *   dealer j, only the ECDH point P = d_i·E_j and proves log_G(D_i) = log_{E_j}(P), the same d_i as its enrolled D_i:
 *   A1 = k·G, A2 = k·E_j, e = hash_to_field(DST_dleq, ceremonyId || u16 i || u16 j || D_i || E_j || P || A1 || A2),
 *   s = k + e·d_i. Verification recomputes A1 = s·G − e·D_i, A2 = s·E_j − e·P and checks e.
 *
 * Why this opens exactly one ciphertext: ct_{j→i} is keyed from e_j·D_i = d_i·E_j = P (encryption.ts). Every other
 * ciphertext is keyed from a point with another ephemeral or another recipient key, and because each E_j comes with
 * a proof of knowledge of e_j, no dealer can pick E_j = c·E_k (which would make c⁻¹·P = d_i·E_k open honest dealer
 * k's ciphertext). The accused dealer knew P already (it is e_j·D_i): a complaint tells it nothing.
 *
 * Nonces are hedged: k = hash_to_field(DST_dleq-nonce, secret || statement || aux), aux fresh (or, in round 1,
 * derived from the dealer seed so a restart re-sends the byte-identical message). For a DLEQ proof the statement is
 * everything its challenge covers but the nonce points (ceremonyId || u16 i || u16 j || D_i || E_j || P), so even a
 * repeated aux never puts one nonce under two challenges; for the ephemeral proof it is E_j (e_j and aux both come
 * from a seed that already binds the ceremony). All points are 33-byte compressed.
 *
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, concatBytes, wipe } from '../bytes.js';
import { Writer, hashToField } from './codec.js';
import { TAGS } from './constants.js';

/** Length of either proof (e || s). */
export const DLEQ_PROOF_BYTES = 64;

const Point = secp256k1.Point;
const N: bigint = Point.Fn.ORDER;
type P = InstanceType<typeof Point>;

/** What a DLEQ proof is about: prover i (key D_i), dealer j (ephemeral key E_j), P = d_i·E_j. */
export interface DleqStatement {
  readonly ceremonyId: Uint8Array;
  readonly prover: number;
  readonly other: number;
  readonly proverKey: Uint8Array;
  readonly otherKey: Uint8Array;
  readonly point: Uint8Array;
}

/** What a proof of knowledge of an ephemeral secret is about: dealer j and E_j. */
export interface EphemeralStatement {
  readonly ceremonyId: Uint8Array;
  readonly dealer: number;
  readonly key: Uint8Array;
}

function dleqChallenge(st: DleqStatement, a1: Uint8Array, a2: Uint8Array): bigint {
  const msg = new Writer().raw(abytes(st.ceremonyId, 32, 'ceremonyId')).u16(st.prover).u16(st.other).raw(st.proverKey).raw(st.otherKey).raw(st.point).raw(a1).raw(a2).finish();
  return hashToField(TAGS.dleq, msg, N, 1)[0]!;
}

function pokChallenge(st: EphemeralStatement, a: Uint8Array): bigint {
  const msg = new Writer().raw(abytes(st.ceremonyId, 32, 'ceremonyId')).u16(st.dealer).raw(st.key).raw(a).finish();
  return hashToField(TAGS.ephemeralPok, msg, N, 1)[0]!;
}

function scalarOf(secret: Uint8Array): bigint {
  const d = bytesToBigintBE(abytes(secret, 32, 'secret'));
  if (d === 0n || d >= N) throw new RangeError('not a secp256k1 scalar');
  return d;
}

/** The hedged nonce and the response s = k + e·d for the challenge `challenge(k)`. */
function respond(secret: Uint8Array, d: bigint, statement: Uint8Array, aux: Uint8Array, challenge: (k: bigint) => bigint): Uint8Array {
  const input = concatBytes(secret, statement, abytes(aux, 32, 'aux'));
  let k = 0n;
  try {
    k = hashToField(TAGS.dleqNonce, input, N, 1)[0]!;
    if (k === 0n) throw new RangeError('derived a zero proof nonce');
    const e = challenge(k);
    const s = (k + e * d) % N;
    return concatBytes(bigintToBytesBE(e, 32), bigintToBytesBE(s, 32));
  } finally {
    k = 0n;
    wipe(input);
  }
}

/** Splits a proof into (e, s), undefined unless both are below the order. */
function split(proof: Uint8Array): [bigint, bigint] | undefined {
  if (proof.length !== DLEQ_PROOF_BYTES) return undefined;
  const e = bytesToBigintBE(proof.subarray(0, 32));
  const s = bytesToBigintBE(proof.subarray(32));
  return e < N && s < N ? [e, s] : undefined;
}

/** s·B − e·X, with public scalars (verification only). */
function recompute(base: P, s: bigint, x: P, e: bigint): P {
  return base.multiplyUnsafe(s).subtract(x.multiplyUnsafe(e));
}

/**
 * Proves that `st.point` = d·`st.otherKey` for the d with d·G = `st.proverKey`. `aux`: 32 bytes of fresh randomness.
 * @throws RangeError when `secret` does not match the statement (a bug of the caller, never a peer's input).
 */
export function proveDleq(secret: Uint8Array, st: DleqStatement, aux: Uint8Array): Uint8Array {
  const d = scalarOf(secret);
  const B = Point.fromBytes(st.otherKey);
  if (!Point.BASE.multiply(d).equals(Point.fromBytes(st.proverKey)) || !B.multiply(d).equals(Point.fromBytes(st.point))) {
    throw new RangeError('the DLEQ statement does not match the secret');
  }
  // the nonce input holds the whole statement the challenge covers (ceremony, prover, other, keys, point): a repeated
  // aux (a broken or replayed RNG) then never gives one nonce to two challenges, which would reveal d (attack a05)
  const statement = new Writer().raw(abytes(st.ceremonyId, 32, 'ceremonyId')).u16(st.prover).u16(st.other).raw(st.proverKey).raw(st.otherKey).raw(st.point).finish();
  return respond(secret, d, statement, aux, (k) => dleqChallenge(st, Point.BASE.multiply(k).toBytes(true), B.multiply(k).toBytes(true)));
}

/** True when `proof` proves log_G(proverKey) = log_{otherKey}(point). Never throws on bad input. */
export function verifyDleq(proof: Uint8Array, st: DleqStatement): boolean {
  const es = split(proof);
  if (es === undefined) return false;
  const [e, s] = es;
  try {
    const a1 = recompute(Point.BASE, s, Point.fromBytes(st.proverKey), e);
    const a2 = recompute(Point.fromBytes(st.otherKey), s, Point.fromBytes(st.point), e);
    if (a1.is0() || a2.is0()) return false;
    return dleqChallenge(st, a1.toBytes(true), a2.toBytes(true)) === e;
  } catch {
    return false;
  }
}

/**
 * Proves knowledge of `secret` = e_j with e_j·G = `st.key`. `aux`: 32 bytes (random, or derived from the dealer seed).
 * @throws RangeError when `secret` does not match the statement.
 */
export function proveEphemeral(secret: Uint8Array, st: EphemeralStatement, aux: Uint8Array): Uint8Array {
  const d = scalarOf(secret);
  if (!Point.BASE.multiply(d).equals(Point.fromBytes(st.key))) throw new RangeError('the ephemeral key does not match the secret');
  // as in proveDleq, the nonce input holds the whole statement the challenge covers (ceremony, dealer, key): one
  // ephemeral secret proven for two ceremonies or dealers with a repeated aux never reuses a nonce, which would
  // reveal e_j (the a05 fix, extended; found by the mutation review)
  const statement = new Writer().raw(abytes(st.ceremonyId, 32, 'ceremonyId')).u16(st.dealer).raw(st.key).finish();
  return respond(secret, d, statement, aux, (k) => pokChallenge(st, Point.BASE.multiply(k).toBytes(true)));
}

/** True when `proof` proves knowledge of log_G(st.key), bound to the ceremony and dealer. Never throws on bad input. */
export function verifyEphemeral(proof: Uint8Array, st: EphemeralStatement): boolean {
  const es = split(proof);
  if (es === undefined) return false;
  const [e, s] = es;
  try {
    const a = recompute(Point.BASE, s, Point.fromBytes(st.key), e);
    if (a.is0()) return false;
    return pokChallenge(st, a.toBytes(true)) === e;
  } catch {
    return false;
  }
}
