/**
 * Byte helpers: titled assertions, a strict hex codec, constant-time comparison and wiping.
 *
 * Assertions follow noble's `abytes`/`anumber`: every failure names the field, e.g.
 * `'publicShares[2]' expected 48 bytes, got 47`. Hex is only used at the JSON edge; internal APIs take bytes.
 *
 * @module
 */
import { ValidationError } from './errors.js';

/** Throws unless `value` is a Uint8Array (of `length` bytes when given). Returns it, typed. */
export function abytes(value: unknown, length: number | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected Uint8Array, got ${describe(value)}`, { field });
  }
  if (length !== undefined && value.length !== length) {
    throw new ValidationError('INVALID_LENGTH', `'${field}' expected ${length} bytes, got ${value.length}`, { field });
  }
  return value;
}

/** Throws unless `value` is a safe integer within [min, max]. */
export function anumber(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected an integer, got ${describe(value)}`, { field });
  }
  if (value < min || value > max) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected ${min}..${max}, got ${value}`, { field });
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  return typeof value;
}

const HEX_CHARS = '0123456789abcdef';

/** Lowercase hex of `bytes`, with a `0x` prefix when `prefix` is true. */
export function bytesToHex(bytes: Uint8Array, prefix = false): string {
  let out = prefix ? '0x' : '';
  for (const b of bytes) out += HEX_CHARS[b >> 4]! + HEX_CHARS[b & 15]!;
  return out;
}

/** How {@link hexToBytes} treats a `0x` prefix. */
export type HexPrefix = 'required' | 'forbidden' | 'optional';

/** Options of {@link hexToBytes}. */
export interface HexOptions {
  /** Expected byte length, if fixed. */
  readonly length?: number;
  /** `0x` prefix rule; default `optional`. */
  readonly prefix?: HexPrefix;
  /** Accept uppercase digits (foreign formats); default false (our own canonical formats are lowercase). */
  readonly allowUppercase?: boolean;
}

/**
 * Strict hex decoder for values read from JSON. Rejects odd length, non-hex characters, a wrong prefix, uppercase
 * (unless allowed) and a wrong length, naming `field`.
 */
export function hexToBytes(hex: unknown, field: string, options: HexOptions = {}): Uint8Array {
  if (typeof hex !== 'string') {
    throw new ValidationError('INVALID_HEX', `'${field}' expected a hex string, got ${describe(hex)}`, { field });
  }
  const prefix = options.prefix ?? 'optional';
  const has0x = hex.startsWith('0x') || hex.startsWith('0X');
  if (prefix === 'required' && !hex.startsWith('0x')) {
    throw new ValidationError('INVALID_HEX', `'${field}' expected a 0x-prefixed hex string`, { field });
  }
  if (prefix === 'forbidden' && has0x) {
    throw new ValidationError('INVALID_HEX', `'${field}' expected hex without a 0x prefix`, { field });
  }
  const body = has0x ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) {
    throw new ValidationError('INVALID_HEX', `'${field}' has an odd number of hex digits`, { field });
  }
  const re = options.allowUppercase === true ? /^[0-9a-fA-F]*$/ : /^[0-9a-f]*$/;
  if (!re.test(body)) {
    throw new ValidationError('INVALID_HEX', `'${field}' contains a character that is not lowercase hex`, { field });
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  if (options.length !== undefined && out.length !== options.length) {
    throw new ValidationError('INVALID_LENGTH', `'${field}' expected ${options.length} bytes, got ${out.length}`, {
      field,
    });
  }
  return out;
}

/** Constant-time equality of two byte arrays (time depends only on the lengths). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Overwrites every given array with zeros. JS cannot promise that no copy survives elsewhere (docs/js-limits.md). */
export function wipe(...arrays: (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Big-endian encoding of a non-negative bigint into exactly `length` bytes. */
export function bigintToBytesBE(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError('value does not fit');
  return out;
}

/** Big-endian decoding of bytes into a bigint. */
export function bytesToBigintBE(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** UTF-8 encoding. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
