/** A deterministic byte source for tests only (never in src/): SHA-256 in counter mode over a seed. */
import { sha256 } from '@noble/hashes/sha2.js';

export function insecureTestRng(seed: number | string = 1): (n: number) => Uint8Array {
  let counter = 0;
  const seedBytes = new TextEncoder().encode(String(seed));
  return (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const block = new Uint8Array(seedBytes.length + 4);
      block.set(seedBytes);
      new DataView(block.buffer).setUint32(seedBytes.length, counter++);
      out.set(sha256(block).subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}
