/**
 * The two EIP-2335 key derivation functions (section "KDF": scrypt per RFC 7914, PBKDF2-HMAC-SHA256 per RFC 8018),
 * run off the main thread where the platform allows it.
 *
 * Shared code: it imports no `node:` module. The native path comes from `#kdf-native` (kdf-native.ts), which
 * package.json `imports` conditions resolve to node:crypto's async `scrypt`/`pbkdf2` on the libuv thread pool under
 * Node (several run in parallel, the event loop stays free) and to nothing in browser bundles. Without it this
 * module uses WebCrypto PBKDF2 (native in every browser) and @noble/hashes `scryptAsync` (pure JS on the calling
 * thread, yielding every 10 ms: run it in a Web Worker, docs/js-limits.md), or @noble/hashes for both. docs/decisions/0200-keystore-kdf-path.md explains why (@chainsafe/bls-keystore runs
 * `scryptSync` on the calling thread under Node).
 *
 * Callers validate parameters first (keystore.ts, against limits.ts); this module trusts them.
 *
 * Secrets: the returned key is the caller's to wipe. node:crypto and WebCrypto copy the password into memory we
 * cannot reach or wipe; noble wipes its own work buffers.
 *
 * @module
 */
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AbortedError, KeystoreError, ValidationError } from '../errors.js';
import { nativeKdf } from '#kdf-native';
import type { NativeKdf } from './kdf-native.js';
import { scryptMemoryBytes } from './limits.js';

/** scrypt parameters of an EIP-2335 kdf module, salt decoded. */
export interface ScryptParams {
  readonly function: 'scrypt';
  /** CPU/memory cost, a power of two. */
  readonly n: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
  /** Derived key length in bytes (32 in EIP-2335). */
  readonly dklen: number;
  readonly salt: Uint8Array;
}

/** PBKDF2 parameters of an EIP-2335 kdf module (the prf is always HMAC-SHA256), salt decoded. */
export interface Pbkdf2Params {
  readonly function: 'pbkdf2';
  /** Iteration count. */
  readonly c: number;
  /** Derived key length in bytes (32 in EIP-2335). */
  readonly dklen: number;
  readonly salt: Uint8Array;
}

/** Decoded parameters of either EIP-2335 KDF. */
export type KdfParams = ScryptParams | Pbkdf2Params;

/**
 * Which implementation runs the KDF.
 * - `node`: node:crypto async scrypt/pbkdf2 on the libuv pool (Node, Deno, Bun: the `node` import condition);
 * - `web`: WebCrypto PBKDF2 and @noble/hashes scryptAsync (browsers);
 * - `noble`: @noble/hashes for both (pure JS everywhere);
 * - `auto` (default): `node` where the native KDF was bundled (kdf-native.ts), else `web` where `crypto.subtle`
 *   exists, else `noble`.
 */
export type KdfBackend = 'auto' | 'node' | 'web' | 'noble';

/** Options of {@link deriveKey}. */
export interface DeriveKeyOptions {
  /** Implementation to use; default `auto`. */
  readonly backend?: KdfBackend;
  /** Cancels the derivation: noble stops within about 10 ms; native jobs finish and their output is wiped. */
  readonly signal?: AbortSignal | undefined;
}

function nativeOrThrow(): NativeKdf {
  if (nativeKdf === undefined) throw new Error('native KDF unavailable');
  return nativeKdf;
}

function hasSubtle(): boolean {
  return typeof globalThis.crypto?.subtle?.deriveBits === 'function';
}

/** The backend `backend` resolves to. */
function resolveNow(backend: KdfBackend): Exclude<KdfBackend, 'auto'> {
  if (backend === 'noble') return 'noble';
  if (backend === 'web') return hasSubtle() ? 'web' : 'noble';
  if (nativeKdf !== undefined) return 'node';
  if (backend === 'node') {
    throw new ValidationError('INVALID_ARGUMENT', "'kdfBackend' is 'node' but node:crypto is not available here", {
      field: 'kdfBackend',
    });
  }
  return hasSubtle() ? 'web' : 'noble';
}

/**
 * Resolves `auto` to the backend this runtime uses.
 * @throws ValidationError `INVALID_ARGUMENT` (field `kdfBackend`) if `node` is asked for where node:crypto is absent.
 */
export function resolveKdfBackend(backend: KdfBackend = 'auto'): Promise<Exclude<KdfBackend, 'auto'>> {
  try {
    return Promise.resolve(resolveNow(backend));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * How many KDF jobs of this kind run usefully at once on this backend:
 * - node:crypto PBKDF2: the available parallelism (pure CPU work);
 * - node:crypto scrypt: twice the available parallelism. A quarter to a half of each scrypt is the kernel zeroing
 *   its fresh 256 MiB table; with two jobs per core that overlaps the hashing of the other job. Measured on a quiet
 *   2-vCPU machine: 1 in flight 1.33/s, 2 in flight 2.23/s, 3 2.40/s, 4 2.54/s (benchmarks/keystore.bench.ts).
 *   Four is also what the default libuv pool runs; the batch APIs still bound the memory in flight (limits.ts);
 * - WebCrypto PBKDF2 (browsers run it off the main thread): `navigator.hardwareConcurrency`, at most 8;
 * - pure-JS jobs (noble), which share the main thread: 1.
 */
export async function kdfParallelism(kind: KdfParams['function'], backend: KdfBackend = 'auto'): Promise<number> {
  const resolved = await resolveKdfBackend(backend);
  if (resolved === 'node') {
    const cores = nativeOrThrow().cores();
    return kind === 'scrypt' ? 2 * cores : cores;
  }
  if (resolved === 'web' && kind === 'pbkdf2') {
    const hc = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator?.hardwareConcurrency;
    return typeof hc === 'number' && hc >= 1 ? Math.min(hc, 8) : 2;
  }
  return 1;
}

/** Memory one KDF job holds while it runs, in bytes (scrypt: 128 * r * (n + p + 2); PBKDF2: negligible). */
export function kdfMemoryBytes(params: KdfParams): number {
  return params.function === 'scrypt' ? scryptMemoryBytes(params.n, params.r, params.p) : 0;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortedError();
}

/**
 * Runs the KDF of an EIP-2335 kdf module over the normalised password and returns `dklen` bytes (the caller wipes
 * them). A native job is handed to the pool before this returns, so the caller can do other work on this thread
 * meanwhile.
 * @throws AbortedError when `signal` is aborted before or during the run.
 * @throws KeystoreError `KEYSTORE_UNSUPPORTED` if the implementation refuses the parameters (they are validated
 *   against limits.ts before this is called, so this means a platform limit).
 */
export function deriveKey(
  params: KdfParams,
  password: Uint8Array,
  options: DeriveKeyOptions = {},
): Promise<Uint8Array> {
  const { signal } = options;
  if (signal?.aborted === true) return Promise.reject(new AbortedError());
  let job: Promise<Uint8Array>;
  try {
    job = start(resolveNow(options.backend ?? 'auto'), params, password, signal);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return job.then(
    (key) => {
      if (signal?.aborted === true) {
        key.fill(0);
        throw new AbortedError();
      }
      return key;
    },
    (e: unknown) => {
      if (e instanceof AbortedError || e instanceof ValidationError) throw e;
      checkAborted(signal);
      throw new KeystoreError('KEYSTORE_UNSUPPORTED', `the ${params.function} implementation refused its parameters`, {
        field: 'crypto.kdf.params',
        cause: e,
      });
    },
  );
}

/** Starts one KDF job on a resolved backend; native jobs are submitted before this returns. */
function start(
  backend: Exclude<KdfBackend, 'auto'>,
  params: KdfParams,
  password: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  try {
    if (backend === 'node') {
      const native = nativeOrThrow();
      return params.function === 'scrypt' ? native.scrypt(params, password) : native.pbkdf2(params, password);
    }
    if (params.function === 'pbkdf2') {
      if (backend === 'web') return webPbkdf2(params, password);
      return pbkdf2Async(sha256, password, params.salt, { c: params.c, dkLen: params.dklen });
    }
    return scryptAsync(password, params.salt, {
      N: params.n,
      r: params.r,
      p: params.p,
      dkLen: params.dklen,
      maxmem: scryptMemoryBytes(params.n, params.r, params.p) + 4096,
      onProgress: () => checkAborted(signal),
    });
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

async function webPbkdf2(params: Pbkdf2Params, password: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const pw = new Uint8Array(password); // WebCrypto wants an ArrayBuffer-backed view
  let bits: ArrayBuffer;
  try {
    const key = await subtle.importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
    const salt = new Uint8Array(params.salt);
    const algorithm = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: params.c };
    bits = await subtle.deriveBits(algorithm, key, params.dklen * 8);
  } finally {
    pw.fill(0);
  }
  const out = new Uint8Array(bits.slice(0));
  new Uint8Array(bits).fill(0);
  return out;
}
