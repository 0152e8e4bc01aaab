/**
 * Types that keep secret and public values apart (after frost-core's SigningShare vs VerifyingShare).
 *
 * - {@link SecretBytes}: a Uint8Array subclass for every secret (keys, shares, seeds). It prints `<redacted>` from
 *   `toString`, `toJSON` and Node's `inspect`, so a secret that reaches a log or `JSON.stringify` shows nothing.
 *   Owners wipe it with `fill(0)` (or {@link wipe} from bytes.ts) in a `finally` block.
 * - {@link ShareIndex}: a Shamir x-coordinate, a branded bigint in 1..2^64-1. Zero is never an id: f(0) is the key.
 * - {@link SecretShare} and {@link PublicShare}: structurally different, so one cannot be passed for the other.
 *
 * @module
 */
import { ValidationError } from './errors.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A secret byte string. Prints `<redacted>`; wipe it when done. */
export class SecretBytes extends Uint8Array {
  /** Copies `bytes` into a new SecretBytes (the caller may then wipe its own copy). */
  static copyOf(bytes: Uint8Array): SecretBytes {
    const out = new SecretBytes(bytes.length);
    out.set(bytes);
    return out;
  }
  override toString(): string {
    return '<redacted>';
  }
  override toLocaleString(): string {
    return '<redacted>';
  }
  override join(): string {
    return '<redacted>';
  }
  toJSON(): string {
    return '<redacted>';
  }
  [INSPECT](): string {
    return `SecretBytes(${this.length}) <redacted>`;
  }
}

/** A BLS12-381 secret key: 32 big-endian bytes of a scalar in [1, r). */
export type SecretKey = SecretBytes;

/** A Shamir x-coordinate: an integer in 1..2^64-1. */
export type ShareIndex = bigint & { readonly __brand: 'ShareIndex' };

/** Largest share id (SSV operator ids are uint64). */
export const MAX_SHARE_INDEX: bigint = (1n << 64n) - 1n;

/**
 * Validates and brands a share id. Accepts a safe integer or a bigint; throws `INVALID_SHARE_ID` naming `field`
 * for 0, negatives, non-integers and values above 2^64-1.
 */
export function toShareIndex(value: unknown, field = 'id'): ShareIndex {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else throw new ValidationError('INVALID_SHARE_ID', `'${field}' expected an integer share id`, { field });
  if (v < 1n || v > MAX_SHARE_INDEX) {
    throw new ValidationError('INVALID_SHARE_ID', `'${field}' must be in 1..2^64-1, got ${v}`, { field });
  }
  return v as ShareIndex;
}

/** One holder's secret share: f(id) as a 32-byte big-endian scalar. */
export interface SecretShare {
  readonly id: ShareIndex;
  readonly secret: SecretBytes;
}

/** One holder's public key share: f(id)·G1, compressed (48 bytes). */
export interface PublicShare {
  readonly id: ShareIndex;
  readonly publicKey: Uint8Array;
}

/** A partial signature: the holder's share signing a message, compressed G2 (96 bytes). */
export interface PartialSignature {
  readonly id: ShareIndex;
  readonly signature: Uint8Array;
}

/**
 * A source of random bytes. Defaults everywhere to the system CSPRNG (`crypto.getRandomValues`); tests may pass a
 * deterministic one, whose name must contain `insecure`.
 */
export type RandomBytes = (length: number) => Uint8Array;
