/**
 * The system CSPRNG: `crypto.getRandomValues` (WebCrypto, in Node 20+ and every browser).
 *
 * @module
 */
import type { RandomBytes } from './types.js';

const MAX_CHUNK = 65536; // getRandomValues' per-call limit

/** Fills a new array with `length` bytes from the system CSPRNG. */
export const systemRandomBytes: RandomBytes = (length: number): Uint8Array => {
  const out = new Uint8Array(length);
  for (let off = 0; off < length; off += MAX_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(length, off + MAX_CHUNK)));
  }
  return out;
};
