/** Loads a copied known-answer vector file from test/vectors/ (provenance: test/vectors/README.md). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

export function loadVector<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(join(root, relativePath), 'utf8')) as T;
}

/** Hex (with or without 0x) to bytes, for test data only. */
export function hex(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
}

/** Bytes to lowercase hex with 0x, for comparisons. */
export function toHex(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}
