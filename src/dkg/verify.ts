/**
 * Round-1 processing, the public part (brief B4 "Participant processing of C1" steps 1-2 and 5, B8): decode every
 * dealer's commitments and proofs, batch-verify all proofs of knowledge, sum the commitments per validator, check the
 * sums lie in G1, and compute the public outputs (validator keys, summed commitments, every public share).
 *
 * Everything here uses public data only, so it is shared by participants (round 2, recovery), the coordinator and
 * auditors, and every result is deterministic: a batch check that fails falls back to per-item checks, so the
 * accusations do not depend on the random weights.
 *
 * Point checks (docs/decisions/0402-dkg-point-checks.md): each round-1 point is decoded canonically and checked on
 * the curve; subgroup membership is checked on the V·t summed commitments Ĉ_{v,k} = Σ_j C_{j,v,k}. If a sum is
 * outside G1, at least one summand is, and per-point checks at that position name the dealer(s). Points outside G1
 * whose torsion cancels across two colluding dealers never reach an output.
 *
 * @module
 */
import { ValidationError, VerificationError } from '../errors.js';
import type { RandomBytes } from '../types.js';
import { decodeScalar } from '../bls/field.js';
import { G1, type G1Point } from '../bls/group.js';
import { hex } from './codec.js';
import type { Definition } from './definition.js';
import { AEAD_TAG_BYTES, assertEncryptionPublicKey } from './encryption.js';
import { verifyEphemeral } from './dleq.js';
import type { Accusation, Round1 } from './messages.js';
import { pokChallenge, verifyPok, verifyPokBatch, type PokItem } from './pok.js';
import { decodeG1Uncompressed, encodeG1Batch, inG1, mulSmall } from './points.js';

/** An accusation found locally, with a one-line reason for people (not signed, not part of any message). */
export interface Finding extends Accusation {
  readonly detail: string;
}

/** One validator of a decoded round-1 message. */
export interface DecodedValidator {
  readonly commitments: G1Point[];
  readonly proof: PokItem;
}

function malformed(field: string, what: string): never {
  throw new ValidationError('DKG_INVALID_MESSAGE', `'${field}' ${what}`, { field });
}

/**
 * Decodes the content of a (signed) round-1 message against the definition: V validators of t commitments each,
 * canonical on-curve non-identity points, z < r, n ciphertexts of 32·V + 16 bytes, and an ephemeral sender key on
 * secp256k1 with a valid proof of knowledge (dleq.ts; without it a dealer could reuse a multiple of another's key and
 * turn a complaint against it into a key to that dealer's ciphertexts, decision 0420).
 * @throws ValidationError naming the first bad field (the message is malformed: its signer's fault).
 */
export function decodeRound1Content(def: Definition, m: Round1): DecodedValidator[] {
  const f = `round1[${m.index}]`;
  if (m.validators.length !== def.V) malformed(`${f}.validators`, `has ${m.validators.length} entries, expected ${def.V}`);
  try {
    assertEncryptionPublicKey(m.ephemeralKey, `${f}.ephemeralKey`);
  } catch {
    malformed(`${f}.ephemeralKey`, 'is not a compressed secp256k1 point');
  }
  if (!verifyEphemeral(m.ephemeralProof, { ceremonyId: m.ceremonyId, dealer: m.index, key: m.ephemeralKey })) {
    malformed(`${f}.ephemeralProof`, 'does not prove knowledge of the ephemeral key');
  }
  if (m.ciphertexts.length !== def.n) malformed(`${f}.ciphertexts`, `has ${m.ciphertexts.length} entries, expected ${def.n}`);
  m.ciphertexts.forEach((ct, j) => {
    if (ct.length !== 32 * def.V + AEAD_TAG_BYTES) malformed(`${f}.ciphertexts[${j}]`, `has ${ct.length} bytes, expected ${32 * def.V + AEAD_TAG_BYTES}`);
  });
  return m.validators.map((data, i) => {
    const v = i + 1;
    const fv = `${f}.validators[${i}]`;
    if (data.commitments.length !== def.t) malformed(`${fv}.commitments`, `has ${data.commitments.length} entries, expected ${def.t}`);
    const commitments = data.commitments.map((c, k) => decodeG1Uncompressed(c, `${fv}.commitments[${k}]`));
    const r = decodeG1Uncompressed(data.proof.r, `${fv}.proof.r`);
    const z = decodeScalar(data.proof.z, `${fv}.proof.z`, { allowZero: true });
    const c = pokChallenge(m.ceremonyId, m.index, v, data.commitments[0]!, data.proof.r);
    return { commitments, proof: { c0: commitments[0]!, r, z, c } };
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : 'malformed';
}

/** The result of {@link checkPublic}. */
export interface PublicCheck {
  /** Public faults of dealers (empty when the round 1 is publicly valid). */
  readonly findings: Finding[];
  /** A failure no single dealer can be blamed for (a degree-reduced or zero key), if any. */
  readonly unattributable: string | undefined;
  /** Ĉ[v][k] = Σ_j C_{j,v,k}, when there is no finding. */
  readonly sums: G1Point[][] | undefined;
  /** Y[v][m-1] = Ĉ_v(m), every public share (none the identity), with `sums`. */
  readonly shares: G1Point[][] | undefined;
}

/**
 * The public checks of a relay-checked round 1: content of every message, all proofs (one batch; per-proof on
 * failure), the summed commitments in G1 (per-point on failure), and a non-degenerate sum (Ĉ_{v,0} and Ĉ_{v,t-1}
 * not the identity: a zero key, or a degree below t-1 that would let t-1 shares rebuild the key).
 * `skipProofsOf` skips the proofs of one dealer (a participant's own, which it made itself).
 */
export function checkPublic(def: Definition, round1: readonly Round1[], rng: RandomBytes, skipProofsOf = 0): PublicCheck {
  const findings: Finding[] = [];
  const sums: G1Point[][] = Array.from({ length: def.V }, () => new Array<G1Point>(def.t).fill(G1.ZERO));
  const proofs: { dealer: number; validator: number; item: PokItem }[] = [];
  for (const m of round1) {
    let decoded: DecodedValidator[];
    try {
      decoded = decodeRound1Content(def, m);
    } catch (e) {
      findings.push({ accused: m.index, fault: 'malformed-round1', detail: describe(e) });
      continue;
    }
    decoded.forEach((d, i) => {
      const row = sums[i]!;
      d.commitments.forEach((c, k) => (row[k] = row[k]!.add(c)));
      if (m.index !== skipProofsOf) proofs.push({ dealer: m.index, validator: i + 1, item: d.proof });
    });
  }
  if (!verifyPokBatch(proofs.map((p) => p.item), rng)) {
    for (const p of proofs) {
      if (!verifyPok(p.item)) {
        findings.push({ accused: p.dealer, fault: 'invalid-proof', validator: p.validator, detail: `participant ${p.dealer}'s proof of knowledge for validator ${p.validator} does not verify` });
      }
    }
  }
  if (findings.length > 0) return { findings, unattributable: undefined, sums: undefined, shares: undefined };
  sums.forEach((row, i) => {
    row.forEach((sum, k) => {
      if (inG1(sum)) return;
      for (const m of round1) {
        const c = decodeG1Uncompressed(m.validators[i]!.commitments[k]!, 'commitment');
        if (!inG1(c)) {
          findings.push({ accused: m.index, fault: 'commitment-not-in-subgroup', validator: i + 1, coefficient: k, detail: `participant ${m.index}'s commitment ${k} for validator ${i + 1} is not in G1` });
        }
      }
    });
  });
  if (findings.length > 0) return { findings, unattributable: undefined, sums: undefined, shares: undefined };
  const abort = (reason: string): PublicCheck => ({ findings, unattributable: reason, sums: undefined, shares: undefined });
  for (const [i, row] of sums.entries()) {
    if (row[0]!.is0()) return abort(`the key of validator ${i + 1} is the identity`);
    if (row[def.t - 1]!.is0()) return abort(`the summed polynomial of validator ${i + 1} has degree below ${def.t - 1}: ${def.t - 1} shares would rebuild the key`);
  }
  // review finding D3 (decision 0412): t-1 rushing colluders can choose their commitments so that Ĉ_v(m) = O for a
  // corrupt index m while every honest share still verifies; no single dealer is provably at fault, so this is an
  // abort without blame, reached identically by every honest participant (it depends on public sums only)
  const shares = evaluateAll(def, sums);
  for (const [i, row] of shares.entries()) {
    const m = row.findIndex((y) => y.is0());
    if (m >= 0) return abort(`the public share of participant ${m + 1} for validator ${i + 1} is the identity (a zero share: colluding dealers can force this; no single one is provably at fault)`);
  }
  return { findings, unattributable: undefined, sums, shares };
}

/** Y[v][m-1] = Ĉ_v(m) for every validator v and participant m. */
function evaluateAll(def: Definition, sums: readonly G1Point[][]): G1Point[][] {
  return sums.map((row) => def.participants.map((p) => evaluateCommitments(row, p.index)));
}

/** Y = Σ_k m^k·Ĉ_k by Horner's rule with small multipliers. */
export function evaluateCommitments(commitments: readonly G1Point[], m: number): G1Point {
  const x = BigInt(m);
  let acc = commitments[commitments.length - 1]!;
  for (let k = commitments.length - 2; k >= 0; k--) {
    acc = (x === 1n ? acc : mulSmall(acc, x)).add(commitments[k]!);
  }
  return acc;
}

/** Public outputs of a valid round 1, per validator (compressed encodings, points kept for verification). */
export interface PublicOutputs {
  /** PK_v = Ĉ_{v,0} (48 bytes). */
  readonly pubkeys: Uint8Array[];
  /** Ĉ_{v,0..t-1} (48 bytes each). */
  readonly commitments: Uint8Array[][];
  /** Y_{v,1..n} (48 bytes each). */
  readonly publicShares: Uint8Array[][];
  readonly pubkeyPoints: G1Point[];
  readonly publicSharePoints: G1Point[][];
}

/**
 * Computes PK_v, Ĉ_v and every public share Y_{v,m} = Ĉ_v(m) from the sums (V·n Horner evaluations unless
 * {@link checkPublic} already computed them, one batched normalisation for the encodings).
 * @throws VerificationError `DKG_ABORTED` if a public share is the identity (checkPublic reports this as an
 *   unattributable abort first; callers that skip it, like the coordinator, get a typed error, never a RangeError).
 */
export function publicOutputs(def: Definition, sums: readonly G1Point[][], precomputed?: readonly G1Point[][]): PublicOutputs {
  const shares = precomputed === undefined ? evaluateAll(def, sums) : precomputed.map((row) => [...row]);
  for (const [v, row] of shares.entries()) {
    for (const [j, y] of row.entries()) {
      if (y.is0()) throw new VerificationError('DKG_ABORTED', `the public share of participant ${j + 1} for validator ${v + 1} is the identity`, { field: 'collected', culprits: [] });
    }
  }
  const flat = encodeG1Batch([...sums.flat(), ...shares.flat()]);
  const t = def.t;
  const n = def.n;
  const commitments = sums.map((_, v) => flat.slice(v * t, (v + 1) * t));
  const off = def.V * t;
  const publicShares = shares.map((_, v) => flat.slice(off + v * n, off + (v + 1) * n));
  return {
    pubkeys: commitments.map((c) => c[0]!),
    commitments,
    publicShares,
    pubkeyPoints: sums.map((row) => row[0]!),
    publicSharePoints: shares,
  };
}

/** A compact text of a 48-byte key for messages. */
export function shortKey(key: Uint8Array): string {
  return `${hex(key).slice(0, 18)}…`;
}
