/**
 * Round 1, the dealer's side (brief B4 "Round 1", B8): one Feldman VSS dealing per validator (Pedersen 1991's
 * Joint-Feldman, as analysed by Gennaro, Jarecki, Krawczyk and Rabin, J. Cryptology 2007), a proof of knowledge of
 * each constant term (pok.ts), and one encrypted share bundle per recipient (encryption.ts), signed by the host key.
 *
 * Everything is derived from seed_i = taggedHash(DST_seed, hostSk || rand32 || ceremonyId): coefficients
 * a_{i,v,k} = hash_to_field_Fr(DST_coeff, seed || u32 v) (t elements), proof nonces from the seed, and the host
 * signature's BIP-340 aux from the seed; and, new in version 2 (issue 12, decision 0420), the message salt
 * σ_i = taggedHash(DST_message-salt, seed) and the ephemeral sender secret e_i = hash_to_field(DST_ephemeral, seed)
 * with E_i = e_i·G and its proof of knowledge (dleq.ts), the inputs of every pairwise key (encryption.ts): two deals
 * with different rand32 never share an AEAD key. So the same (definition, host key, rand32) always gives the
 * byte-identical message: a crash and restart cannot turn into equivocation (brief B7 "Determinism and idempotence"). An all-zero
 * rand32 is refused (ChillDKG's RandomnessError).
 *
 * Secret values: the coefficients and shares are bigints while they are used (JS cannot wipe bigints,
 * docs/js-limits.md); byte forms (seed, d_i, e_i, keys, plaintexts) are wiped in `finally`.
 *
 * @module
 */
import { wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { R as ORDER, encodeScalar } from '../bls/field.js';
import { mulBaseSecret, type G1Point } from '../bls/group.js';
import { evaluatePolynomial } from '../sharing/polynomial.js';
import { SecretBytes } from '../types.js';
import { Writer, hashToField, taggedHash } from './codec.js';
import { TAGS } from './constants.js';
import type { Definition } from './definition.js';
import { deriveEncryptionSecret, deriveEphemeralSecret, encryptionPublicKey, pairKey, sealShares, type PairContext } from './encryption.js';
import { proveEphemeral } from './dleq.js';
import { round1Digest, signRound1, type Round1, type Round1Validator } from './messages.js';
import { pokChallenge, pokCommitment, pokNonce, pokResponse } from './pok.js';
import { encodeG1UncompressedBatch } from './points.js';

/**
 * Deviations a simulated faulty dealer applies before signing (simulate.ts only; an honest dealer uses none).
 * @internal
 */
export interface DealHooks {
  /** Replace the coefficients of validator v (1-based); more than t of them evaluate a higher-degree polynomial. */
  readonly coefficients?: (validator: number, coefficients: bigint[]) => bigint[];
  /** Replace the share f_v(j) sent to recipient j. */
  readonly share?: (recipient: number, validator: number, value: bigint) => bigint;
  /** Replace the proof nonce of validator v. */
  readonly nonce?: (validator: number, k: bigint) => bigint;
  /** Replace the wire data of validator v after the proof is made. */
  readonly validator?: (validator: number, data: Round1Validator) => Round1Validator;
  /** Replace the ciphertext to recipient j. */
  readonly ciphertext?: (recipient: number, ciphertext: Uint8Array) => Uint8Array;
  /** Replace the signed content before signing (for example the ceremony id). */
  readonly content?: (content: Omit<Round1, 'signature'>) => Omit<Round1, 'signature'>;
}

/**
 * seed_i = taggedHash(DST_seed, hostSk || rand32 || ceremonyId).
 * @throws ValidationError `INVALID_ARGUMENT` for an all-zero or wrongly sized rand32.
 */
export function dealerSeed(hostSecretKey: Uint8Array, random: Uint8Array, ceremonyId: Uint8Array): SecretBytes {
  if (random.length !== 32 || random.every((b) => b === 0)) {
    throw new ValidationError('INVALID_ARGUMENT', "'random' must be 32 bytes of fresh randomness, not all zero", { field: 'random' });
  }
  const input = new Writer().raw(hostSecretKey).raw(random).raw(ceremonyId).finish();
  try {
    return SecretBytes.copyOf(taggedHash(TAGS.seed, input));
  } finally {
    wipe(input);
  }
}

/** The t coefficients of validator v (1-based), a_{v,k} = hash_to_field_Fr(DST_coeff, seed || u32 v). */
export function dealerCoefficients(seed: Uint8Array, validator: number, t: number): bigint[] {
  return hashToField(TAGS.coeff, new Writer().raw(seed).u32(validator).finish(), ORDER, t);
}

function scalarBundle(values: readonly bigint[]): SecretBytes {
  const out = new SecretBytes(32 * values.length);
  values.forEach((x, v) => {
    const b = encodeScalar(x);
    out.set(b, 32 * v);
    wipe(b);
  });
  return out;
}

/**
 * Builds and signs participant `index`'s round-1 message.
 * @throws ValidationError for an invalid host key or rand32.
 */
export function dealRound1(def: Definition, index: number, hostSecretKey: Uint8Array, random: Uint8Array, hooks: DealHooks = {}): { message: Round1; digest: Uint8Array } {
  const { t, n, V } = def;
  const me = def.participants[index - 1]!;
  const seed = dealerSeed(hostSecretKey, random, def.id);
  const encSecret = deriveEncryptionSecret(hostSecretKey, def.attemptNonce, me.salt);
  const salt = taggedHash(TAGS.messageSalt, seed);
  const ephSecret = deriveEphemeralSecret(seed);
  const ephemeralKey = encryptionPublicKey(ephSecret);
  const polys: bigint[][] = [];
  try {
    // coefficients, commitments a·G and proof nonces k·G: all constant-time base multiplications
    const points: G1Point[] = [];
    const nonces: bigint[] = [];
    for (let v = 1; v <= V; v++) {
      let coeffs = dealerCoefficients(seed, v, t);
      if (coeffs[0] === 0n) throw new RangeError('derived a zero constant term');
      if (hooks.coefficients !== undefined) coeffs = hooks.coefficients(v, coeffs);
      polys.push(coeffs);
      for (let k = 0; k < t; k++) points.push(mulBaseSecret(coeffs[k]!));
      const k0 = pokNonce(seed, v);
      const k = hooks.nonce === undefined ? k0 : hooks.nonce(v, k0);
      nonces.push(k);
      points.push(pokCommitment(k));
    }
    const encoded = encodeG1UncompressedBatch(points);
    const validators: Round1Validator[] = [];
    for (let v = 1; v <= V; v++) {
      const base = (v - 1) * (t + 1);
      const commitments = encoded.slice(base, base + t);
      const r = encoded[base + t]!;
      const c = pokChallenge(def.id, index, v, commitments[0]!, r);
      const z = encodeScalar(pokResponse(nonces[v - 1]!, c, polys[v - 1]![0]!));
      let data: Round1Validator = { commitments, proof: { r, z: Uint8Array.from(z) } };
      wipe(z);
      if (hooks.validator !== undefined) data = hooks.validator(v, data);
      validators.push(data);
    }
    nonces.fill(0n);
    // one share bundle per recipient j (j = index included), encrypted under k_{index→j}
    const ciphertexts: Uint8Array[] = [];
    for (let j = 1; j <= n; j++) {
      const values = polys.map((f, v) => {
        const s = evaluatePolynomial(f, BigInt(j));
        return hooks.share === undefined ? s : hooks.share(j, v + 1, s);
      });
      const bundle = scalarBundle(values);
      values.fill(0n);
      // the self-ciphertext under d_i (the host key alone recovers it), the others under the ephemeral e_i
      const self = j === index;
      const ctx: PairContext = { ceremonyId: def.id, sender: index, recipient: j, senderKey: self ? me.encKey : ephemeralKey, recipientKey: def.participants[j - 1]!.encKey, validators: V, salt };
      const key = pairKey(ctx, self ? encSecret : ephSecret, true);
      try {
        const ct = sealShares(key, ctx, bundle);
        ciphertexts.push(hooks.ciphertext === undefined ? ct : hooks.ciphertext(j, ct));
      } finally {
        wipe(key, bundle);
      }
    }
    const aux = taggedHash(TAGS.aux, seed);
    const ephemeralProof = proveEphemeral(ephSecret, { ceremonyId: def.id, dealer: index, key: ephemeralKey }, aux);
    let content: Omit<Round1, 'signature'> = { ceremonyId: Uint8Array.from(def.id), index, salt, ephemeralKey, ephemeralProof, validators, ciphertexts };
    if (hooks.content !== undefined) content = hooks.content(content);
    const message = signRound1(content, hostSecretKey, aux);
    return { message, digest: round1Digest(content) };
  } finally {
    for (const f of polys) f.fill(0n);
    wipe(seed, encSecret, ephSecret);
  }
}
