/**
 * Strict JSON helpers shared by every file format we read (design convention 7): a size-capped parse, objects
 * with a closed key set, bounded strings, integers, canonical hex and uint64 decimal strings. Every failure names
 * the field; the text itself is never echoed (it may hold secrets).
 *
 * @module
 */
import { hexToBytes } from './bytes.js';
import { ValidationError, type ErrorCode } from './errors.js';

/** Largest uint64. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * JSON.parse of untrusted text after a length check. The length is counted in UTF-16 code units, which is never
 * more than the UTF-8 byte count, so a file within a byte cap of `maxLength` always passes; the CLI should also
 * refuse to read a larger file at all.
 * @throws ValidationError `LIMIT_EXCEEDED` above `maxLength`, `INVALID_JSON` for text that is not JSON.
 */
export function parseJsonText(text: unknown, maxLength: number, field: string): unknown {
  if (typeof text !== 'string') {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected the file's text`, { field });
  }
  if (text.length > maxLength) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' is ${text.length} characters; the limit is ${maxLength}`, {
      field,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('INVALID_JSON', `'${field}' is not valid JSON`, { field });
  }
}

/** A plain JSON object's entries, read-only. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Checks that `value` is a plain object whose keys are all in `required` or `optional`, and that every `required`
 * key is present.
 * @throws ValidationError with `code` naming `field` or `field.key`.
 */
export function expectObject(
  value: unknown,
  field: string,
  required: readonly string[],
  optional: readonly string[] = [],
  code: ErrorCode = 'INVALID_FORMAT',
): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(code, `'${field}' expected an object`, { field });
  }
  const obj = value as JsonObject;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) {
      const shown = JSON.stringify(key.slice(0, 40));
      throw new ValidationError(code, `'${field}' has an unknown field ${shown}`, {
        field: `${field}.${key.slice(0, 40)}`,
      });
    }
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      throw new ValidationError(code, `'${field}' is missing '${key}'`, { field: `${field}.${key}` });
    }
  }
  return obj;
}

/**
 * Checks that `value` is an array of at most `maxLength` items.
 * @throws ValidationError with `code` for another type; `LIMIT_EXCEEDED` for too many items.
 */
export function expectArray(
  value: unknown,
  field: string,
  maxLength: number,
  code: ErrorCode = 'INVALID_FORMAT',
): readonly unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(code, `'${field}' expected an array`, { field });
  if (value.length > maxLength) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' has ${value.length} items; the limit is ${maxLength}`, {
      field,
    });
  }
  return value;
}

/**
 * Checks that `value` is a string of 1..`maxLength` printable ASCII characters.
 * @throws ValidationError with `code` naming `field`.
 */
export function expectString(
  value: unknown,
  field: string,
  maxLength: number,
  code: ErrorCode = 'INVALID_FORMAT',
): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !/^[\x20-\x7e]+$/.test(value)) {
    throw new ValidationError(code, `'${field}' expected 1-${maxLength} printable ASCII characters`, { field });
  }
  return value;
}

/**
 * Parses a canonical decimal uint64 string ("0", "12"; no sign, no leading zero, at most 2^64-1), the way the
 * beacon API and EIP-3076 write integers.
 * @throws ValidationError with `code` naming `field`.
 */
export function parseUint64String(value: unknown, field: string, code: ErrorCode): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value)) {
    throw new ValidationError(code, `'${field}' expected a decimal integer string without leading zeros`, { field });
  }
  const v = BigInt(value);
  if (v > MAX_UINT64) throw new ValidationError(code, `'${field}' exceeds 2^64-1`, { field });
  return v;
}

/**
 * Converts a number or bigint to a uint64 bigint.
 * @throws ValidationError with `code` naming `field` for a non-integer, a negative value or one above 2^64-1.
 */
export function toUint64(value: unknown, field: string, code: ErrorCode = 'INVALID_ARGUMENT'): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else throw new ValidationError(code, `'${field}' expected an integer`, { field });
  if (v < 0n || v > MAX_UINT64) throw new ValidationError(code, `'${field}' must be in 0..2^64-1`, { field });
  return v;
}

/** Checks that `value` is a plain object used as a map (any keys). @throws ValidationError `INVALID_FORMAT`. */
export function expectRecord(value: unknown, field: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' expected an object`, { field });
  }
  return value as JsonObject;
}

/** Checks that `value` is a safe integer in [min, max]. @throws ValidationError `INVALID_FORMAT`. */
export function expectInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' expected an integer in ${min}..${max}`, { field });
  }
  return value;
}

/** Canonical lowercase `0x` hex of a fixed byte length. @throws ValidationError `INVALID_HEX`, `INVALID_LENGTH`. */
export function expectHex(value: unknown, field: string, length: number): Uint8Array {
  return hexToBytes(value, field, { length, prefix: 'required' });
}

/** Our canonical JSON text: two-space indentation and a final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
