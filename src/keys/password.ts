/**
 * Keystore passwords: EIP-2335 normalisation and generated per-share passwords.
 *
 * EIP-2335 section "Password requirements": the password is converted to its NFKD representation, then the C0
 * (U+0000..U+001F), C1 (U+0080..U+009F) and Delete (U+007F) control codes are stripped, and the result is
 * UTF-8 encoded. So a trailing newline in a password file does not matter, and "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑" opens a keystore
 * made with "testpassword🔑".
 *
 * We do not implement wealdtech's legacy fallback (it also strips combining marks, so "ü" would equal "u"); such
 * keystores open only with the password as it was actually used (docs/formats/keystore.md).
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { MAX_PASSWORD_LENGTH } from './limits.js';

/** A keystore password: text, or UTF-8 bytes (which the caller may wipe afterwards). */
export type Password = string | Uint8Array;

function isControl(codePoint: number): boolean {
  return codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/** True unless `s` holds an unpaired UTF-16 surrogate (which has no UTF-8 encoding). */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * EIP-2335 password processing: NFKD, strip C0, C1 and Delete control codes, UTF-8 encode. A byte password is
 * first decoded as strict UTF-8 (unlike @chainsafe/bls-keystore, which filters raw bytes and so also drops UTF-8
 * continuation bytes 0x80..0x9F).
 * @returns the bytes the KDF consumes; the caller wipes them.
 * @throws ValidationError `INVALID_ARGUMENT` (field `password`) for a non-string/non-bytes value, bytes that are
 *   not UTF-8, a string with an unpaired surrogate; `LIMIT_EXCEEDED` above {@link MAX_PASSWORD_LENGTH}.
 *   The message never contains the password.
 */
export function normalizePassword(password: Password): Uint8Array {
  const field = 'password';
  let text: string;
  if (typeof password === 'string') {
    text = password;
  } else if (password instanceof Uint8Array) {
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new ValidationError('LIMIT_EXCEEDED', `'${field}' is longer than ${MAX_PASSWORD_LENGTH} bytes`, { field });
    }
    try {
      text = fatalDecoder.decode(password);
    } catch {
      throw new ValidationError('INVALID_ARGUMENT', `'${field}' bytes are not valid UTF-8`, { field });
    }
  } else {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected a string or Uint8Array`, { field });
  }
  if (text.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' is longer than ${MAX_PASSWORD_LENGTH} characters`, {
      field,
    });
  }
  if (!isWellFormed(text)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' contains an unpaired UTF-16 surrogate`, { field });
  }
  let kept = '';
  for (const ch of text.normalize('NFKD')) {
    if (!isControl(ch.codePointAt(0)!)) kept += ch;
  }
  return new TextEncoder().encode(kept);
}

/**
 * A new random keystore password for one share: 32 bytes from the CSPRNG as 64 lowercase hex characters
 * (256 bits). Hex is plain ASCII, so it survives every normalisation, shell and validator client unchanged;
 * it is what goes into `keystore-<v>.txt` (design.md section 3). JS strings cannot be wiped (docs/js-limits.md).
 */
export function generatePassword(rng: RandomBytes = systemRandomBytes): string {
  const bytes = rng(32);
  try {
    return bytesToHex(bytes);
  } finally {
    bytes.fill(0);
  }
}
