/**
 * Dealer-side Shamir secret sharing of a BLS secret key with Feldman commitments (design section 3), and recovery
 * of the key from t shares.
 *
 * `split` draws a degree t-1 polynomial with the key as constant term and the other coefficients from the CSPRNG,
 * evaluates it at the share ids, commits to the coefficients, and computes each public share from its secret
 * share. It returns public data that recombine.ts checks before anything is written.
 *
 * @module
 */
import { wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { PublicShare, RandomBytes, SecretBytes, SecretShare, ShareIndex } from '../types.js';
import { decodeScalar, encodeScalar } from '../bls/field.js';
import { encodeG1, mulBaseSecret } from '../bls/group.js';
import { clearPolynomial, evaluatePolynomial, interpolateAtZero, randomPolynomial } from './polynomial.js';
import { defaultIds, validateIds, validateThreshold } from './ids.js';
import { commit, encodeCommitments } from './vss.js';

/** Options of {@link split}. Give either `shares` (ids 1..n) or explicit `ids` (e.g. SSV operator ids). */
export interface SplitOptions {
  /** Shares needed to sign or recover: 1 <= t <= n. */
  readonly threshold: number;
  /** Number of shares n, with ids 1..n. */
  readonly shares?: number;
  /** Explicit share ids in 1..2^64-1, distinct. */
  readonly ids?: readonly (bigint | number)[];
  /** Randomness for the polynomial; default the system CSPRNG. */
  readonly rng?: RandomBytes;
}

/** The dealer's output: secret shares and the public data anyone can check. */
export interface SplitResult {
  readonly threshold: number;
  /** The validator public key, 48 bytes (= commitments[0]). */
  readonly groupPublicKey: Uint8Array;
  /** Feldman commitments C_0..C_{t-1}, 48 bytes each. */
  readonly commitments: readonly Uint8Array[];
  /** Secret shares in id order. The caller wipes each `secret` when done. */
  readonly shares: readonly SecretShare[];
  /** Public key shares f(id)·G1, in the same order. */
  readonly publicShares: readonly PublicShare[];
}

function resolveIds(options: SplitOptions): ShareIndex[] {
  if (options.ids !== undefined && options.shares !== undefined && options.ids.length !== options.shares) {
    throw new ValidationError('INVALID_ARGUMENT', `'ids' has ${options.ids.length} entries but 'shares' is ${options.shares}`, {
      field: 'ids',
    });
  }
  if (options.ids !== undefined) return validateIds(options.ids, 'ids');
  if (options.shares === undefined) {
    throw new ValidationError('INVALID_ARGUMENT', "give 'shares' (a count) or 'ids'", { field: 'shares' });
  }
  validateThreshold(1, options.shares);
  return defaultIds(options.shares);
}

/**
 * Splits a 32-byte secret key into shares with threshold t.
 * @throws ValidationError `INVALID_THRESHOLD`, `INVALID_SHARE_ID`, `DUPLICATE_SHARE_ID`, `ZERO_SCALAR`,
 *   `SCALAR_OUT_OF_RANGE` (the key), `INVALID_ARGUMENT`.
 */
export function split(secretKey: Uint8Array, options: SplitOptions): SplitResult {
  const ids = resolveIds(options);
  const t = validateThreshold(options.threshold, ids.length);
  const key = decodeScalar(secretKey, 'secretKey');
  const rng = options.rng ?? systemRandomBytes;
  for (;;) {
    const coeffs = randomPolynomial(key, t - 1, rng);
    try {
      const values = ids.map((id) => evaluatePolynomial(coeffs, id));
      // A zero share is no valid BLS key (probability about n/r); draw another polynomial.
      if (values.includes(0n)) continue;
      const commitments = encodeCommitments(commit(coeffs));
      const shares = ids.map((id, i) => ({ id, secret: encodeScalar(values[i]!) }));
      const publicShares = ids.map((id, i) => ({ id, publicKey: encodeG1(mulBaseSecret(values[i]!)) }));
      values.fill(0n);
      return { threshold: t, groupPublicKey: commitments[0]!, commitments, shares, publicShares };
    } finally {
      clearPolynomial(coeffs);
    }
  }
}

/**
 * Recovers the secret key f(0) from at least `threshold` shares by Lagrange interpolation (all given shares are
 * used; with more than t consistent shares the result is the same).
 * @throws ValidationError `NOT_ENOUGH_SHARES`, `DUPLICATE_SHARE_ID`, `INVALID_SHARE_ID`, scalar errors naming
 *   `shares[i].secret`, and `ZERO_SCALAR` when the shares interpolate to zero (they are not from one key).
 */
export function recoverSecret(shares: readonly SecretShare[], threshold?: number): SecretBytes {
  const need = threshold ?? 1;
  if (shares.length < need || shares.length === 0) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need at least ${need} shares, got ${shares.length}`, {
      field: 'shares',
    });
  }
  const ids = validateIds(
    shares.map((s) => s.id),
    'shares.id',
  );
  const ys = shares.map((s, i) => decodeScalar(s.secret, `shares[${i}].secret`, { allowZero: true }));
  const key = interpolateAtZero(ids, ys);
  ys.fill(0n);
  if (key === 0n) throw new ValidationError('ZERO_SCALAR', 'the shares interpolate to zero', { field: 'shares' });
  return encodeScalar(key);
}

/** Wipes every secret share's bytes. */
export function wipeShares(shares: readonly SecretShare[]): void {
  for (const s of shares) wipe(s.secret);
}
