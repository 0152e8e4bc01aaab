/**
 * Strict Base64 codecs (RFC 4648): the standard alphabet with padding (section 4) and the URL-safe alphabet
 * without padding (section 5), as used by SSV operator keys and by ENR records (EIP-778 text form).
 *
 * Decoding is canonical: characters outside the alphabet, wrong padding, and non-zero unused trailing bits are
 * rejected, so every byte string has exactly one accepted text form. Errors name the field and never echo the
 * input. Pure code, no `atob`/`Buffer`, so it runs unchanged in a browser.
 *
 * @module
 */
import { ValidationError } from './errors.js';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_TABLE = table(STD);
const URL_TABLE = table(URL);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + alphabet[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

function fail(field: string, what: string): never {
  throw new ValidationError('INVALID_FORMAT', `'${field}' ${what}`, { field });
}

function decode(text: unknown, field: string, lookup: Int16Array, padded: boolean): Uint8Array {
  if (typeof text !== 'string') fail(field, 'expected a base64 string');
  let body = text;
  if (padded) {
    if (text.length % 4 !== 0) fail(field, 'is not padded base64 (length is not a multiple of 4)');
    if (body.endsWith('==')) body = body.slice(0, -2);
    else if (body.endsWith('=')) body = body.slice(0, -1);
  }
  if (body.length % 4 === 1) fail(field, 'has an impossible base64 length');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const v = c < 128 ? lookup[c]! : -1;
    if (v < 0) fail(field, `has a character outside the base64 alphabet at position ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) fail(field, 'is not canonical base64 (non-zero trailing bits)');
  return out;
}

/** Standard base64 with `=` padding (RFC 4648 section 4). */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, STD, true);
}

/**
 * Decodes standard padded base64 strictly.
 * @throws ValidationError `INVALID_FORMAT` naming `field` for any non-canonical or invalid text.
 */
export function base64Decode(text: unknown, field: string): Uint8Array {
  return decode(text, field, STD_TABLE, true);
}

/** URL-safe base64 without padding (RFC 4648 section 5; Go's `base64.RawURLEncoding`). */
export function base64UrlEncode(bytes: Uint8Array): string {
  return encode(bytes, URL, false);
}

/**
 * Decodes unpadded URL-safe base64 strictly.
 * @throws ValidationError `INVALID_FORMAT` naming `field` for padding, other alphabets or non-canonical text.
 */
export function base64UrlDecode(text: unknown, field: string): Uint8Array {
  return decode(text, field, URL_TABLE, false);
}
