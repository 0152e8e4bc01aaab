/**
 * Strict Base64 codecs (RFC 4648): the standard alphabet with padding (section 4) and the URL-safe alphabet
 * without padding (section 5), as used by SSV operator keys and by ENR records (EIP-778 text form).
 *
 * The codec is @scure/base's (strict RFC 4648: characters outside the alphabet, white space, wrong padding and
 * non-zero unused trailing bits are rejected, so every byte string has exactly one accepted text form; it uses
 * the platform's `Uint8Array.fromBase64` in strict mode where present and pure JS elsewhere). This module only
 * turns its errors into ValidationErrors that name the field and never echo the input.
 *
 * @module
 */
import { base64, base64urlnopad } from '@scure/base';
import { ValidationError } from './errors.js';

function decodeWith(codec: { decode(s: string): Uint8Array }, text: unknown, field: string, what: string): Uint8Array {
  if (typeof text !== 'string') throw new ValidationError('INVALID_FORMAT', `'${field}' expected a base64 string`, { field });
  try {
    return codec.decode(text);
  } catch {
    throw new ValidationError('INVALID_FORMAT', `'${field}' is not canonical ${what} (RFC 4648)`, { field });
  }
}

/** Standard base64 with `=` padding (RFC 4648 section 4). */
export function base64Encode(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/**
 * Decodes standard padded base64 strictly.
 * @throws ValidationError `INVALID_FORMAT` naming `field` for any non-canonical or invalid text.
 */
export function base64Decode(text: unknown, field: string): Uint8Array {
  return decodeWith(base64, text, field, 'padded base64');
}

/** URL-safe base64 without padding (RFC 4648 section 5; Go's `base64.RawURLEncoding`). */
export function base64UrlEncode(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/**
 * Decodes unpadded URL-safe base64 strictly.
 * @throws ValidationError `INVALID_FORMAT` naming `field` for padding, other alphabets or non-canonical text.
 */
export function base64UrlDecode(text: unknown, field: string): Uint8Array {
  return decodeWith(base64urlnopad, text, field, 'unpadded URL-safe base64');
}
