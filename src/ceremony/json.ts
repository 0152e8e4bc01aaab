/**
 * Strict reading of JSON objects for our own versioned formats (design convention 7, after frost's Header):
 * unknown fields are rejected, every field is typed, and every error names its path.
 *
 * @module
 */
import { hexToBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Parses JSON text, naming `source` on failure. Never echoes the text (it may hold secrets). */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('INVALID_JSON', `${source}: not valid JSON`, { field: source });
  }
}

/** Throws unless `value` is a plain object whose keys are all in `allowed` (and `required` are present). */
export function expectObject(value: unknown, field: string, required: readonly string[], optional: readonly string[] = []): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' expected an object`, { field });
  }
  const obj = value as JsonObject;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new ValidationError('INVALID_FORMAT', `'${field}.${key}' is not a known field`, { field: `${field}.${key}` });
    }
  }
  for (const key of required) {
    if (!(key in obj)) throw new ValidationError('INVALID_FORMAT', `'${field}.${key}' is missing`, { field: `${field}.${key}` });
  }
  return obj;
}

/** Throws unless `value` is a plain object (any keys: a map). */
export function expectRecord(value: unknown, field: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' expected an object`, { field });
  }
  return value as JsonObject;
}

/** Throws unless `value` is an array of at most `max` entries. */
export function expectArray(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError('INVALID_FORMAT', `'${field}' expected an array`, { field });
  if (value.length > max) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' has ${value.length} entries, more than ${max}`, { field });
  }
  return value;
}

/** Throws unless `value` is a string (of at most `max` characters). */
export function expectString(value: unknown, field: string, max = 256): string {
  if (typeof value !== 'string') throw new ValidationError('INVALID_FORMAT', `'${field}' expected a string`, { field });
  if (value.length > max) throw new ValidationError('LIMIT_EXCEEDED', `'${field}' is longer than ${max} characters`, { field });
  return value;
}

/** Throws unless `value` is a safe integer in [min, max]. */
export function expectInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' expected an integer in ${min}..${max}`, { field });
  }
  return value;
}

/** Canonical lowercase 0x-prefixed hex of a fixed length. */
export function expectHex(value: unknown, field: string, length: number): Uint8Array {
  return hexToBytes(value, field, { length, prefix: 'required' });
}

/** Our canonical JSON text: two-space indentation and a final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
