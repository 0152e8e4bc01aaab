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
    throw new ValidationError('INVALID_JSON', `'${field}' is not valid JSON (${jsonErrorPlace(text)})`, { field });
  }
}

/**
 * Where text that JSON.parse refused goes wrong, as a reader finds it: `line 3, column 14` (the first character
 * that cannot continue a JSON text), or `it ends early`. Never quotes the text, which may be a secret's file.
 */
export function jsonErrorPlace(text: string): string {
  const at = jsonErrorOffset(text);
  if (at === undefined || at >= text.length) return 'it ends early';
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - before.lastIndexOf('\n')}`;
}

/** The offset of the first character that cannot continue a JSON text (text.length: it ends early); undefined when valid. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const word = (w: string): void => {
    for (const c of w) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      i++;
      if (c === '"') return;
      if (c === '\\') {
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail(); else i++;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      }
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  // Iterative over containers: a stack of the open brackets, so deep nesting cannot overflow the call stack.
  const value = (): void => {
    const open: string[] = [];
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          open.push(c);
          if (c === '{') {
            if (text[i] !== '"') fail();
            string();
            ws();
            if (text[i] !== ':') fail();
            i++;
          }
          continue;
        }
      } else if (c === '"') string();
      else if (c === 't') word('true');
      else if (c === 'f') word('false');
      else if (c === 'n') word('null');
      else if (c === '-' || /[0-9]/.test(c ?? '')) number();
      else fail();
      // After a value: close containers or go on with the next element.
      for (;;) {
        if (open.length === 0) return;
        ws();
        const top = open[open.length - 1]!;
        if (text[i] === ',') {
          i++;
          if (top === '{') {
            ws();
            if (text[i] !== '"') fail();
            string();
            ws();
            if (text[i] !== ':') fail();
            i++;
          }
          break;
        }
        if (text[i] === (top === '{' ? '}' : ']')) {
          i++;
          open.pop();
          continue;
        }
        fail();
      }
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (!(e instanceof JsonStop)) throw e;
    return Math.min(e.at, text.length);
  }
}

/** Stops {@link jsonErrorOffset}'s scan at the offset of the first bad character. */
class JsonStop extends Error {
  constructor(readonly at: number) {
    super('invalid JSON');
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
