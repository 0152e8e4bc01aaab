/**
 * The KDF-work budget of a batch of untrusted keystores (issue 12 part 6, decision 0422).
 *
 * Each keystore's KDF is capped on its own (limits.ts: scrypt 128·n·r·p ≤ 2^32, memory ≤ 1 GiB, n ≤ 2^20; pbkdf2
 * c ≤ 2^22), 16 times the EIP-2335 default. A hostile tree of many keystores, each at that legal cap, would still
 * make `verify` run 16 times longer than the tree it claims to be (hours for a large tree). So the total work of
 * every keystore to be decrypted is counted before any KDF runs and refused above a budget.
 *
 * Work is counted in units of one default EIP-2335 keystore KDF of the same function (keystore.ts DEFAULT_SCRYPT,
 * DEFAULT_PBKDF2): scrypt 128·n·r·p / (128·2^18·8·1) = n·r·p / 2^21; pbkdf2 c / 2^18. A tree of default keystores
 * costs one unit per keystore whatever its KDF; the test cost of Charon's insecure keystores (scrypt n = 2^4) next
 * to nothing.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import type { KdfParams } from './kdf.js';
import { validateKeystore, type Keystore } from './keystore-format.js';

/** Default budget per keystore to decrypt, in {@link kdfWork} units: twice the EIP-2335 default, on average. */
export const DEFAULT_KDF_WORK_PER_KEYSTORE = 2;

/** The work of one KDF run in units of the EIP-2335 default of the same function (see the module comment). */
export function kdfWork(params: KdfParams): number {
  return params.function === 'scrypt' ? (params.n * params.r * params.p) / 2 ** 21 : params.c / 2 ** 18;
}

/** One keystore to count. */
export interface KdfWorkItem {
  readonly keystore: Keystore;
  /** File name for the message. */
  readonly source: string;
}

/** The outcome of {@link kdfWorkOf}. */
export interface KdfWorkTotal {
  /** Total work, in units. */
  readonly total: number;
  /** The budget it was held against, in units. */
  readonly budget: number;
  /** The keystore with the most work, and its work, when there is one. */
  readonly heaviest?: { readonly source: string; readonly work: number };
}

/**
 * Checks a `maxKdfWork` option: a positive finite number of units.
 * @throws ValidationError `INVALID_ARGUMENT` naming `field`.
 */
export function checkMaxKdfWork(value: unknown, field = 'maxKdfWork'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' must be a positive number of KDF work units (one unit: one default EIP-2335 keystore)`, { field });
  }
  return value;
}

/**
 * Sums the KDF work of `items` (without running any KDF) against `maxKdfWork`, or by default
 * {@link DEFAULT_KDF_WORK_PER_KEYSTORE} units per item. A keystore that does not validate counts nothing here: the
 * decryption refuses it before its KDF runs.
 */
export function kdfWorkOf(items: readonly KdfWorkItem[], maxKdfWork?: number): KdfWorkTotal {
  const budget = maxKdfWork === undefined ? DEFAULT_KDF_WORK_PER_KEYSTORE * items.length : checkMaxKdfWork(maxKdfWork);
  let total = 0;
  let heaviest: { source: string; work: number } | undefined;
  for (const it of items) {
    let work: number;
    try {
      work = kdfWork(validateKeystore(it.keystore, it.source).crypto.kdf);
    } catch {
      continue;
    }
    total += work;
    if (heaviest === undefined || work > heaviest.work) heaviest = { source: it.source, work };
  }
  return { total, budget, ...(heaviest === undefined ? {} : { heaviest }) };
}

/** A number of units for people: at most 3 significant digits, no exponent. */
export function formatKdfWork(units: number): string {
  // String() of a number below 1e-6 has an exponent ('1e-8'); the en-US form never does
  return units >= 100 ? String(Math.round(units)) : Number(units.toPrecision(3)).toLocaleString('en-US', { maximumSignificantDigits: 3, useGrouping: false });
}

/**
 * The one-line refusal of a total above its budget, as a ValidationError `LIMIT_EXCEEDED` naming `field`, or
 * undefined when the total fits.
 */
export function kdfWorkRefusal(w: KdfWorkTotal, field = 'maxKdfWork'): ValidationError | undefined {
  if (w.total <= w.budget) return undefined;
  const most = w.heaviest === undefined ? '' : `; the most: ${w.heaviest.source}, ${formatKdfWork(w.heaviest.work)}`;
  return new ValidationError(
    'LIMIT_EXCEEDED',
    `the keystores need ${formatKdfWork(w.total)} units of KDF work (one unit: one default EIP-2335 keystore${most}), above the budget of ${formatKdfWork(w.budget)} ('${field}'); nothing was decrypted`,
    { field },
  );
}
