/**
 * The faults the simulator can inject (brief B10 "Adversarial cases"), and the dealing deviations that realise the
 * dealer-side ones. Test and benchmark support only: an honest participant never uses any of this.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bigintToBytesBE, bytesToBigintBE } from '../bytes.js';
import { Fr } from '../bls/field.js';
import { G1, mulBaseSecret } from '../bls/group.js';
import type { DealHooks } from './deal.js';
import type { Round1Validator } from './messages.js';
import { decodeG1Uncompressed, encodeG1UncompressedBatch } from './points.js';

/** A fault to inject into a simulated ceremony. Participants are 1-based indices. */
export type SimFault =
  | { readonly kind: 'wrong-share'; readonly dealer: number; readonly recipient: number; readonly validator?: number }
  | { readonly kind: 'undecryptable-share'; readonly dealer: number; readonly recipient: number }
  /** +1 on validator 1 and −1 on validator 2 to one recipient; with `partner`, −1 comes from the partner dealer. */
  | { readonly kind: 'cancelling-shares'; readonly dealer: number; readonly recipient: number; readonly partner?: number }
  | { readonly kind: 'bad-commitment'; readonly dealer: number; readonly validator?: number; readonly variant: BadCommitment }
  | { readonly kind: 'degree-cheat'; readonly dealer: number; readonly validator?: number; readonly variant: 'all' | 'all-but-one'; readonly target?: number }
  | { readonly kind: 'bad-proof'; readonly dealer: number; readonly validator?: number; readonly variant: 'wrong-z' | 'swapped-r' | 'copied' | 'other-ceremony' | 'rogue-key' }
  | { readonly kind: 'replay-round1'; readonly dealer: number }
  | { readonly kind: 'equivocation'; readonly dealer: number; readonly variant: 'commitments' | 'ciphertexts' | 'proof-nonce'; readonly split: readonly number[] }
  | { readonly kind: 'tamper-ciphertext'; readonly dealer: number; readonly recipient: number }
  | { readonly kind: 'missing-round1'; readonly participant: number }
  | { readonly kind: 'wrong-definition'; readonly participant: number }
  | { readonly kind: 'missing-ack'; readonly participant: number }
  | { readonly kind: 'false-complaint'; readonly accuser: number; readonly accused: number; readonly variant: 'valid-evidence' | 'forged-point' | 'no-evidence' | 'public' }
  | { readonly kind: 'bad-partial'; readonly signer: number; readonly variant: 'wrong-message' | 'wrong-share' | 'other-validator' }
  | { readonly kind: 'bad-cert-vote'; readonly signer: number }
  | { readonly kind: 'bad-certificate'; readonly variant: 'invalid-signature' | 'other-transcript' | 'reordered' | 'duplicated' }
  | { readonly kind: 'bad-deposit-signature' };

/** The ways a commitment (or proof nonce) can be malformed. */
export type BadCommitment = 'short' | 'long' | 'not-on-curve' | 'not-in-subgroup' | 'identity-c0' | 'identity-r' | 'compressed-flag' | 'infinity-nonzero' | 'sort-bit-infinity' | 'x-too-large';

const Fp = bls12_381.fields.Fp;

/** A point of E(Fp) outside G1 (a nonzero cofactor-torsion component), uncompressed. */
export function pointOutsideG1(): Uint8Array {
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(rhs);
    } catch {
      continue;
    }
    if (Fp.sqr(y) !== rhs) continue;
    const p = G1.fromAffine({ x, y });
    if (!p.isTorsionFree()) return encodeG1UncompressedBatch([p])[0]!;
  }
}

/** An uncompressed encoding of a point (x, y + 1): not on the curve. */
function offCurve(valid: Uint8Array): Uint8Array {
  const x = bytesToBigintBE(valid.subarray(0, 48));
  const y = (bytesToBigintBE(valid.subarray(48)) + 1n) % Fp.ORDER;
  const out = new Uint8Array(96);
  out.set(bigintToBytesBE(x, 48), 0);
  out.set(bigintToBytesBE(y, 48), 48);
  return out;
}

function malformCommitment(data: Round1Validator, variant: BadCommitment): Round1Validator {
  const c = [...data.commitments];
  const identity = (): Uint8Array => {
    const z = new Uint8Array(96);
    z[0] = 0x40;
    return z;
  };
  const k = Math.min(1, c.length - 1);
  switch (variant) {
    case 'short':
      return { ...data, commitments: c.slice(0, -1) };
    case 'long':
      return { ...data, commitments: [...c, encodeG1UncompressedBatch([mulBaseSecret(7n)])[0]!] };
    case 'not-on-curve':
      c[k] = offCurve(c[k]!);
      break;
    case 'not-in-subgroup':
      c[k] = pointOutsideG1();
      break;
    case 'identity-c0':
      c[0] = identity();
      break;
    case 'identity-r':
      return { ...data, proof: { ...data.proof, r: identity() } };
    case 'compressed-flag':
      c[k] = Uint8Array.from(c[k]!);
      c[k][0]! |= 0x80;
      break;
    case 'infinity-nonzero':
      c[k] = identity();
      c[k][95] = 1;
      break;
    case 'sort-bit-infinity':
      c[k] = identity();
      c[k][0] = 0x60;
      break;
    case 'x-too-large': {
      const out = Uint8Array.from(c[k]!);
      out.set(bigintToBytesBE(Fp.ORDER, 48), 0);
      c[k] = out;
      break;
    }
  }
  return { ...data, commitments: c };
}

/** Context the hooks of some faults need (other dealers' data, made before this dealer's). */
export interface HookContext {
  /** Validator data of another dealer (for `copied`), or of this dealer in another ceremony (`other-ceremony`). */
  readonly foreign?: Round1Validator;
  /** Σ of the honest dealers' C_0 for the validator (for `rogue-key`). */
  readonly honestC0Sum?: Uint8Array;
  /** A random extra coefficient (degree cheat). */
  readonly extra: bigint;
  /** Participants of the ceremony. */
  readonly n: number;
}

/** The dealing deviations of a dealer-side fault (empty for other faults or other dealers). */
export function dealHooks(fault: SimFault, dealer: number, ctx: HookContext): DealHooks {
  switch (fault.kind) {
    case 'wrong-share':
      if (fault.dealer !== dealer) return {};
      return { share: (j, v, s) => (j === fault.recipient && v === (fault.validator ?? 1) ? Fr.add(s, 1n) : s) };
    case 'cancelling-shares': {
      if (fault.dealer === dealer) {
        return { share: (j, v, s) => (j !== fault.recipient ? s : v === 1 ? Fr.add(s, 1n) : v === 2 && fault.partner === undefined ? Fr.sub(s, 1n) : s) };
      }
      if (fault.partner === dealer) return { share: (j, v, s) => (j === fault.recipient && v === 1 ? Fr.sub(s, 1n) : s) };
      return {};
    }
    case 'undecryptable-share':
      if (fault.dealer !== dealer) return {};
      return {
        ciphertext: (j, ct) => {
          if (j !== fault.recipient) return ct;
          const out = Uint8Array.from(ct);
          out[0]! ^= 1;
          return out;
        },
      };
    case 'bad-commitment':
      if (fault.dealer !== dealer) return {};
      return { validator: (v, data) => (v === (fault.validator ?? 1) ? malformCommitment(data, fault.variant) : data) };
    case 'degree-cheat': {
      if (fault.dealer !== dealer) return {};
      const target = fault.validator ?? 1;
      if (fault.variant === 'all') return { coefficients: (v, coeffs) => (v === target ? [...coeffs, ctx.extra] : coeffs) };
      // a degree-(n-1) term that vanishes at every recipient but `fault.target`
      const only = fault.target ?? 1;
      return {
        share: (j, v, s) => {
          if (v !== target) return s;
          let term = ctx.extra;
          for (let m = 1; m <= ctx.n; m++) if (m !== only) term = Fr.mul(term, Fr.sub(BigInt(j), BigInt(m)));
          return Fr.add(s, term);
        },
      };
    }
    case 'bad-proof': {
      if (fault.dealer !== dealer) return {};
      const target = fault.validator ?? 1;
      return {
        validator: (v, data) => {
          if (v !== target) return data;
          switch (fault.variant) {
            case 'wrong-z': {
              const z = Fr.add(bytesToBigintBE(data.proof.z), 1n);
              return { ...data, proof: { ...data.proof, z: bigintToBytesBE(z, 32) } };
            }
            case 'swapped-r':
              return { ...data, proof: { ...data.proof, r: ctx.foreign!.proof.r } };
            case 'copied':
            case 'other-ceremony':
              return { commitments: [ctx.foreign!.commitments[0]!, ...data.commitments.slice(1)], proof: ctx.foreign!.proof };
            case 'rogue-key': {
              const x = mulBaseSecret(123456789n);
              const rogue = x.subtract(decodeG1Uncompressed(ctx.honestC0Sum!, 'sum', true));
              return { ...data, commitments: [encodeG1UncompressedBatch([rogue])[0]!, ...data.commitments.slice(1)] };
            }
          }
        },
      };
    }
    default:
      return {};
  }
}
