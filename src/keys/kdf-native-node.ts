/**
 * The native KDF under Node (and Deno, Bun): node:crypto's async `scrypt` and `pbkdf2` run on the libuv thread pool,
 * so several run in parallel and the event loop stays free. Chosen for `#kdf-native` by the package.json `node`
 * import condition (kdf-native.ts); this is the only module outside src/cli/ that imports from `node:`.
 *
 * Secrets: node:crypto copies the password into memory we cannot reach or wipe; the derived Buffer is copied into
 * a plain Uint8Array and wiped.
 *
 * @module
 */
import { pbkdf2, scrypt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Pbkdf2Params, ScryptParams } from './kdf.js';
import type { NativeKdf } from './kdf-native.js';
import { scryptMemoryBytes } from './limits.js';

/** Copies a Node Buffer into a plain Uint8Array and wipes the Buffer. */
function takeBuffer(buf: Uint8Array): Uint8Array {
  const out = Uint8Array.from(buf);
  buf.fill(0);
  return out;
}

function nodeScrypt(params: ScryptParams, password: Uint8Array): Promise<Uint8Array> {
  const options = {
    N: params.n,
    r: params.r,
    p: params.p,
    maxmem: scryptMemoryBytes(params.n, params.r, params.p) + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password, params.salt, params.dklen, options, (err, key) => {
      if (err === null) resolve(takeBuffer(key));
      else reject(err);
    });
  });
}

function nodePbkdf2(params: Pbkdf2Params, password: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, params.salt, params.c, params.dklen, 'sha256', (err, key) => {
      if (err === null) resolve(takeBuffer(key));
      else reject(err);
    });
  });
}

/** node:crypto's scrypt and PBKDF2. */
export const nativeKdf: NativeKdf | undefined = {
  scrypt: nodeScrypt,
  pbkdf2: nodePbkdf2,
  cores: () => Math.max(1, availableParallelism()),
};
