/**
 * Encoding helpers of the DKG: the canonical binary writer that every hash and host signature covers, tagged
 * hashes, hash-to-field, and the strict JSON readers used by every message codec.
 *
 * - Binary (brief B2 "Encoding"): fixed-width big-endian integers, byte strings with a u32 length prefix, ASCII
 *   strings with a u16 length prefix. Every variable-length vector carries its count, so a message of the wrong
 *   shape still has a well-defined digest and signature: a malformed but signed message is attributable to its
 *   sender.
 * - Tagged hashes: BIP-340's `SHA256(SHA256(tag) || SHA256(tag) || m)`.
 * - hash_to_field: RFC 9380 section 5.2 (expand_message_xmd with SHA-256, L = 48 bytes per element, k = 128).
 * - JSON: hex is 0x-prefixed lowercase of the exact length; objects have a closed key set; arrays are capped;
 *   integers are safe integers in a range. Every failure is a `DKG_INVALID_MESSAGE` naming the field.
 *
 * @module
 */
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { DKG_VERSION, MESSAGE_VERSION } from './constants.js';

/** Canonical binary writer (big-endian, length-prefixed vectors). */
export class Writer {
  private readonly parts: Uint8Array[] = [];

  /** Appends one byte. */
  u8(v: number): this {
    this.parts.push(Uint8Array.of(v & 0xff));
    return this;
  }

  /** Appends a big-endian u16. */
  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError('u16 out of range');
    this.parts.push(Uint8Array.of(v >>> 8, v & 0xff));
    return this;
  }

  /** Appends a big-endian u32. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError('u32 out of range');
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v);
    this.parts.push(b);
    return this;
  }

  /** Appends a big-endian u64. */
  u64(v: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v);
    this.parts.push(b);
    return this;
  }

  /** Appends bytes as they are (fixed-length fields). */
  raw(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }

  /** Appends a u32 length prefix and the bytes. */
  bytes(b: Uint8Array): this {
    return this.u32(b.length).raw(b);
  }

  /** Appends a u16 length prefix and the UTF-8 bytes of `s`. */
  str(s: string): this {
    const b = utf8(s);
    return this.u16(b.length).raw(b);
  }

  /** The concatenated bytes (no argument spread: a round-1 body at V = 3000 has over 10^5 parts). */
  finish(): Uint8Array {
    let len = 0;
    for (const p of this.parts) len += p.length;
    const out = new Uint8Array(len);
    let off = 0;
    for (const p of this.parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

const tagPrefixes = new Map<string, Uint8Array>();

/** BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data). */
export function taggedHash(tag: string, data: Uint8Array): Uint8Array {
  let prefix = tagPrefixes.get(tag);
  if (prefix === undefined) {
    const t = sha256(utf8(tag));
    prefix = concatBytes(t, t);
    tagPrefixes.set(tag, prefix);
  }
  return sha256.create().update(prefix).update(data).digest();
}

/**
 * RFC 9380 hash_to_field into Z_p: `count` elements, each from 48 bytes of expand_message_xmd(SHA-256, dst).
 * The bias is below 2^-128 for a 256-bit p.
 */
export function hashToField(dst: string, msg: Uint8Array, p: bigint, count: number): bigint[] {
  return hash_to_field(msg, count, { DST: dst, p, m: 1, k: 128, expand: 'xmd', hash: sha256 }).map((e) => e[0]!);
}

/** 0x-prefixed lowercase hex. */
export function hex(bytes: Uint8Array): string {
  return bytesToHex(bytes, true);
}

/**
 * Throws the shape error of a DKG message.
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming `field`.
 */
export function invalidMessage(field: string, what: string): never {
  throw new ValidationError('DKG_INVALID_MESSAGE', `'${field}' ${what}`, { field });
}



/** A read-only JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Checks that `value` is a plain object with exactly the `required` keys plus any of `optional`.
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field or the unknown/missing key.
 */
export function readObject(value: unknown, field: string, required: readonly string[], optional: readonly string[] = []): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidMessage(field, 'expected an object');
  const obj = value as JsonObject;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) invalidMessage(`${field}.${key.slice(0, 40)}`, 'is not a known field');
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) invalidMessage(`${field}.${key}`, 'is missing');
  }
  return obj;
}

/**
 * Checks the `format` and `version` fields of a message object.
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function readHeader(obj: JsonObject, field: string, format: string, version: number = DKG_VERSION): void {
  if (obj['format'] !== format) invalidMessage(`${field}.format`, `expected "${format}"`);
  if (obj['version'] !== version) {
    if (version === MESSAGE_VERSION && obj['version'] === 1) {
      invalidMessage(`${field}.version`, `version 1 of "${format}" is no longer accepted (its complaints revealed the encryption secret, issue 12); expected ${version}: deal again on a new draft`);
    }
    invalidMessage(`${field}.version`, `expected ${version}`);
  }
}

/**
 * Checks that `value` is an array of at most `max` (and, when given, exactly `exact`) items.
 * @throws ValidationError `DKG_INVALID_MESSAGE` (or `LIMIT_EXCEEDED` above `max`).
 */
export function readArray(value: unknown, field: string, max: number, exact?: number): readonly unknown[] {
  if (!Array.isArray(value)) invalidMessage(field, 'expected an array');
  if (value.length > max) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' has ${value.length} items; the limit is ${max}`, { field });
  }
  if (exact !== undefined && value.length !== exact) invalidMessage(field, `expected ${exact} items, got ${value.length}`);
  return value;
}

/**
 * Checks that `value` is a safe integer in [min, max].
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function readInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    invalidMessage(field, `expected an integer in ${min}..${max}`);
  }
  return value;
}

const HEX_VALUES = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = 10 + i;
  return t;
})();

/**
 * Decodes 0x-prefixed lowercase hex of exactly `length` bytes (or at most `max` bytes).
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming `field`.
 */
export function readHex(value: unknown, field: string, length: number | { readonly max: number }): Uint8Array {
  const max = typeof length === 'number' ? length : length.max;
  const what = `0x-prefixed lowercase hex of ${typeof length === 'number' ? '' : 'at most '}${max} bytes`;
  if (typeof value !== 'string' || value.length > 2 + 2 * max || value.length % 2 !== 0 || !value.startsWith('0x')) {
    invalidMessage(field, `expected ${what}`);
  }
  const out = new Uint8Array((value.length - 2) / 2);
  for (let i = 0, c = 2; i < out.length; i++, c += 2) {
    const hi = HEX_VALUES[value.charCodeAt(c)] ?? -1;
    const lo = HEX_VALUES[value.charCodeAt(c + 1)] ?? -1;
    if (hi < 0 || lo < 0) invalidMessage(field, `expected ${what}`);
    out[i] = (hi << 4) | lo;
  }
  if (typeof length === 'number' && out.length !== length) invalidMessage(field, `expected ${length} bytes, got ${out.length}`);
  return out;
}

/**
 * Checks that `value` is a string of 1..`max` printable ASCII characters.
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function readName(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !/^[\x20-\x7e]+$/.test(value)) {
    invalidMessage(field, `expected 1-${max} printable ASCII characters`);
  }
  return value;
}

/**
 * Parses a canonical decimal uint64 string (no sign, no leading zero).
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function readUint64(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value)) invalidMessage(field, 'expected a decimal integer string');
  const v = BigInt(value);
  if (v >= 1n << 64n) invalidMessage(field, 'exceeds 2^64-1');
  return v;
}

/** Byte equality (not constant time: public data only). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
