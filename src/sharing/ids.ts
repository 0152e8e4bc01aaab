/**
 * Validation of share ids and thresholds, shared by every sharing module.
 *
 * Share ids are Shamir x-coordinates in 1..2^64-1 (design section 3): 0 is forbidden because f(0) is the key, and
 * ids must be distinct. Since 2^64 < r, distinct ids are distinct field elements.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { toShareIndex, type ShareIndex } from '../types.js';

/** Most shares one split may have (Charon clusters stay far below; SSV uses 4..13). */
export const MAX_SHARES = 1000;

/**
 * Checks 1 <= threshold <= n <= MAX_SHARES.
 * @throws ValidationError `INVALID_THRESHOLD` naming `threshold` (or `INVALID_ARGUMENT` for n).
 */
export function validateThreshold(threshold: unknown, n: number, field = 'threshold'): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SHARES) {
    throw new ValidationError('INVALID_ARGUMENT', `share count must be in 1..${MAX_SHARES}, got ${n}`, {
      field: 'shares',
    });
  }
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold)) {
    throw new ValidationError('INVALID_THRESHOLD', `'${field}' expected an integer`, { field });
  }
  if (threshold < 1 || threshold > n) {
    throw new ValidationError('INVALID_THRESHOLD', `'${field}' must be in 1..${n} (the number of shares), got ${threshold}`, {
      field,
    });
  }
  return threshold;
}

/**
 * Brands and checks a list of ids: each in 1..2^64-1, no duplicates.
 * @throws ValidationError `INVALID_SHARE_ID` or `DUPLICATE_SHARE_ID` naming `field[i]`.
 */
export function validateIds(ids: readonly unknown[], field = 'ids'): ShareIndex[] {
  const seen = new Set<bigint>();
  return ids.map((raw, i) => {
    const id = toShareIndex(raw, `${field}[${i}]`);
    if (seen.has(id)) {
      throw new ValidationError('DUPLICATE_SHARE_ID', `'${field}[${i}]' repeats share id ${id}`, {
        field: `${field}[${i}]`,
        culprits: [id.toString()],
      });
    }
    seen.add(id);
    return id;
  });
}

/** The default ids 1..n (operator k holds x = k, as Charon does). */
export function defaultIds(n: number): ShareIndex[] {
  return Array.from({ length: n }, (_, i) => BigInt(i + 1) as ShareIndex);
}
