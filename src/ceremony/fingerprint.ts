/**
 * The cluster fingerprint an operator compares over a channel other than the one that carried its folder
 * (docs/threat-model.md, "dishonest dealer"): equal fingerprints mean every operator holds a share of one sharing.
 *
 * - dvkeys layout: the SHA-256 of the exact `ceremony.json` text (docs/formats/ceremony.md);
 * - Charon layout: the cluster lock's `lock_hash` (the hash tree root of the lock, charon/lock-hash.ts), which
 *   covers the public shares of every validator;
 * - SSV layout: the SHA-256 of the exact `keyshares.json` bytes.
 *
 * Both are 32 bytes, written as 64 hex digits with or without `0x`, in either case. A shorter or longer value is
 * never a match (a truncated fingerprint would let a dealer grind a colliding prefix).
 *
 * @module
 */
import type { ErrorCode } from '../errors.js';

/** What a fingerprint is the hash of, as named in messages. */
export type FingerprintKind = 'ceremony.json' | 'lock hash' | 'keyshares.json';

/** The outcome of {@link compareFingerprint}. */
export interface FingerprintCheck {
  readonly ok: boolean;
  readonly detail: string;
  /** `CEREMONY_MISMATCH` when the value given is not this cluster's fingerprint. */
  readonly code?: ErrorCode;
}

/** Normalises a fingerprint to 64 lowercase hex digits, or undefined when it is not one. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.trim().replace(/^0x/i, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/**
 * Compares the fingerprint given by the user with the actual one (64 lowercase hex digits, no `0x`). The detail
 * says what was expected: the full 32-byte value and, for a mismatch, the actual fingerprint (public data).
 */
export function compareFingerprint(actual: string, given: string, kind: FingerprintKind): FingerprintCheck {
  const want = normalizeFingerprint(given);
  const what = kind === 'lock hash' ? 'lock hash' : `SHA-256 of ${kind}`;
  const shown = kind === 'lock hash' ? `0x${actual}` : actual;
  if (want === undefined) {
    const digits = given.trim().replace(/^0x/i, '').length;
    return { ok: false, code: 'CEREMONY_MISMATCH', detail: `expected 64 hex digits (the full ${what}, here ${shown}), but the fingerprint given has ${digits}` };
  }
  if (want !== actual) {
    return { ok: false, code: 'CEREMONY_MISMATCH', detail: `the ${what} is ${shown}, not the fingerprint given (${want}): this folder belongs to a different cluster` };
  }
  return { ok: true, detail: `matches the fingerprint given (the ${what}): this is the same cluster every operator checks` };
}
