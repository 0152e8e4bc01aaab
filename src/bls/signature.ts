/**
 * The Ethereum BLS signature scheme: BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (draft-irtf-cfrg-bls-signature-05
 * section 4.2.3, proof-of-possession scheme; consensus-specs phase0 "BLS signatures"). Public keys in G1, signatures
 * in G2, messages hashed to G2 with the POP DST (never noble's `_NUL_` default).
 *
 * Byte-level functions (`verify`, `fastAggregateVerify`, `aggregateVerify`) return false for any invalid encoding,
 * as the spec's functions do; `sign` and `aggregate` throw typed errors for invalid input.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { abytes, bytesToHex } from '../bytes.js';
import { DvkeysError, ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { decodeScalar, randomWeight } from './field.js';
import { decodeG1, decodeG2, encodeG1, encodeG2, g1Generator, G1, G2, mulBaseSecret } from './group.js';
import type { G1Point, G2Point } from './group.js';
import { pairingProductIsOne, type PairingTerm } from './pairing.js';

/** The Ethereum proof-of-possession ciphersuite's domain separation tag. */
export const ETH_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';

/** hash_to_point: the message hashed to G2 with {@link ETH_DST} (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_). */
export function hashToG2(message: Uint8Array): G2Point {
  return bls12_381.longSignatures.hash(abytes(message, undefined, 'message'), ETH_DST);
}

/**
 * SkToPk: the compressed G1 public key of a 32-byte secret key.
 * @throws ValidationError `INVALID_LENGTH`, `SCALAR_OUT_OF_RANGE`, `ZERO_SCALAR` for field `secretKey`.
 */
export function secretKeyToPublicKey(secretKey: Uint8Array): Uint8Array {
  return encodeG1(mulBaseSecret(decodeScalar(secretKey, 'secretKey')));
}

/** Signs an already hashed message with a scalar (constant-time multiplication). */
export function signHashed(k: bigint, hashed: G2Point): G2Point {
  return hashed.multiply(k);
}

/**
 * Sign (draft section 2.6 CoreSign): the 96-byte signature of `message` under `secretKey`.
 * @throws ValidationError for an invalid secret key (zero or >= r).
 */
export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const k = decodeScalar(secretKey, 'secretKey');
  return encodeG2(signHashed(k, hashToG2(message)));
}

/** e(pk, H) = e(G1, sig), for validated points. */
export function verifyPoints(publicKey: G1Point, hashed: G2Point, signature: G2Point): boolean {
  if (publicKey.is0()) return false;
  return pairingProductIsOne([
    { g1: publicKey, g2: hashed },
    { g1: g1Generator().negate(), g2: signature },
  ]);
}

function tryDecode<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (e instanceof DvkeysError) return undefined;
    throw e;
  }
}

/** Verify (draft section 2.7 CoreVerify with KeyValidate): false for any invalid key, signature or mismatch. */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const pk = tryDecode(() => decodeG1(publicKey, 'publicKey'));
  const sig = tryDecode(() => decodeG2(signature, 'signature'));
  if (pk === undefined || sig === undefined) return false;
  return verifyPoints(pk, hashToG2(message), sig);
}

/**
 * Aggregate (draft section 2.8): the sum of the signatures.
 * @throws ValidationError `INVALID_ARGUMENT` for an empty list; decoding errors name `signatures[i]`.
 */
export function aggregate(signatures: readonly Uint8Array[]): Uint8Array {
  if (signatures.length === 0) {
    throw new ValidationError('INVALID_ARGUMENT', "'signatures' must not be empty", { field: 'signatures' });
  }
  let acc = G2.ZERO;
  signatures.forEach((s, i) => {
    acc = acc.add(decodeG2(s, `signatures[${i}]`));
  });
  return encodeG2(acc);
}

/**
 * The sum of public keys (each KeyValidate'd).
 * @throws ValidationError for an empty list or an invalid key `publicKeys[i]`.
 */
export function aggregatePublicKeys(publicKeys: readonly Uint8Array[]): Uint8Array {
  return encodeG1(sumPublicKeys(publicKeys));
}

function sumPublicKeys(publicKeys: readonly Uint8Array[]): G1Point {
  if (publicKeys.length === 0) {
    throw new ValidationError('INVALID_ARGUMENT', "'publicKeys' must not be empty", { field: 'publicKeys' });
  }
  let acc = G1.ZERO;
  publicKeys.forEach((p, i) => {
    acc = acc.add(decodeG1(p, `publicKeys[${i}]`));
  });
  return acc;
}

/** FastAggregateVerify (draft section 3.3.4): many keys, one message. False for empty or invalid input. */
export function fastAggregateVerify(
  publicKeys: readonly Uint8Array[],
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const pk = tryDecode(() => sumPublicKeys(publicKeys));
  const sig = tryDecode(() => decodeG2(signature, 'signature'));
  if (pk === undefined || sig === undefined) return false;
  return verifyPoints(pk, hashToG2(message), sig);
}

/**
 * AggregateVerify (draft section 2.9 CoreAggregateVerify, POP scheme): key i signed message i. As the spec allows,
 * keys are not checked for proofs of possession here: (pk, −pk) with the identity signature verifies. Callers must
 * only pass keys whose possession was proven (Ethereum's deposit signatures do that for validator keys).
 */
export function aggregateVerify(
  publicKeys: readonly Uint8Array[],
  messages: readonly Uint8Array[],
  signature: Uint8Array,
): boolean {
  if (publicKeys.length === 0 || publicKeys.length !== messages.length) return false;
  const sig = tryDecode(() => decodeG2(signature, 'signature'));
  const pks = tryDecode(() => publicKeys.map((p, i) => decodeG1(p, `publicKeys[${i}]`)));
  if (sig === undefined || pks === undefined) return false;
  const terms: PairingTerm[] = pks.map((pk, i) => ({ g1: pk, g2: hashToG2(messages[i]!) }));
  terms.push({ g1: g1Generator().negate(), g2: sig });
  return pairingProductIsOne(terms);
}

/** One (public key, message, signature) triple for {@link batchVerify}. */
export interface SignatureItem {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Checks many independent signatures at once by a random linear combination (Boneh-Drijvers-Neven batch
 * verification, ethresear.ch "fast verification of multiple BLS signatures"): with random nonzero 64-bit weights
 * w_i, e(G1, Σ w_i·σ_i) = Π_m e(Σ_{i: m_i = m} w_i·pk_i, H(m)). Accepts exactly when every item verifies, except
 * with probability below 2^-63 over the weights. Items with equal messages share one pairing. False for an empty
 * list or any invalid encoding; use {@link verify} per item to find which one failed.
 */
export function batchVerify(items: readonly SignatureItem[], rng: RandomBytes = systemRandomBytes): boolean {
  if (items.length === 0) return false;
  let sigSum = G2.ZERO;
  const byMessage = new Map<string, { hashed: G2Point; pk: G1Point }>();
  for (const [i, item] of items.entries()) {
    const pk = tryDecode(() => decodeG1(item.publicKey, `items[${i}].publicKey`));
    const sig = tryDecode(() => decodeG2(item.signature, `items[${i}].signature`));
    if (pk === undefined || sig === undefined) return false;
    const w = randomWeight(rng);
    sigSum = sigSum.add(sig.multiplyUnsafe(w));
    const key = bytesToHex(item.message);
    const entry = byMessage.get(key) ?? { hashed: hashToG2(item.message), pk: G1.ZERO };
    byMessage.set(key, { hashed: entry.hashed, pk: entry.pk.add(pk.multiplyUnsafe(w)) });
  }
  const terms: PairingTerm[] = [...byMessage.values()].map(({ hashed, pk }) => ({ g1: pk, g2: hashed }));
  terms.push({ g1: g1Generator().negate(), g2: sigSum });
  return pairingProductIsOne(terms);
}
