/**
 * Many keystores at once: bounded-concurrency encryption and decryption with progress and cancellation.
 *
 * The KDF dominates (one EIP-2335 scrypt keystore: 256 MiB and about 1.25 s of one core), so jobs run
 * concurrently through kdf.ts, where node:crypto runs them on the libuv pool. Concurrency defaults to the
 * platform's useful parallelism ({@link kdfParallelism}: on Node the core count for pbkdf2 and twice that for
 * scrypt; 1 for pure-JS scrypt in browsers) and is also bounded by memory: jobs start only while the scrypt memory
 * in flight stays within `MAX_CONCURRENT_KDF_MEMORY_BYTES` of limits.ts (four default scrypt jobs, just over 1 GiB), across
 * every batch that shares one {@link KdfScheduler} (scheduler.ts).
 *
 * Failure and cancellation: every input is validated before any KDF starts. The first failure (or an abort of
 * `signal`) stops new jobs from starting and aborts the running ones (pure-JS KDFs stop within about 10 ms; a
 * native job cannot be interrupted, so it finishes and its output is wiped). When every running job has settled,
 * the call rejects with that first error (AbortedError for an abort), after wiping every secret already
 * decrypted. Results come back in input order.
 *
 * @module
 */
import { AbortedError, ValidationError, isDvkeysError, type DvkeysError } from '../errors.js';
import { hexToBytes } from '../bytes.js';
import type { SecretBytes } from '../types.js';
import { kdfMemoryBytes, kdfParallelism, type KdfBackend, type KdfParams } from './kdf.js';
import { validateKeystore, type Keystore } from './keystore-format.js';
import { KeptKey, wipeKeptKeys, type KeptKeystore } from './kept-key.js';
import {
  decryptKeystore,
  encryptionPassword,
  planEncryption,
  runEncryption,
  runEncryptionKeepingKey,
  type EncryptOptions,
} from './keystore.js';
import { MAX_BATCH_ITEMS, MAX_KDF_CONCURRENCY } from './limits.js';
import { KdfScheduler } from './scheduler.js';
import { normalizePassword, type Password } from './password.js';

/** Options of {@link encryptKeystores} and {@link decryptKeystores}. */
export interface BatchOptions {
  /** Jobs run at once; default the platform's useful parallelism, always capped by memory and 64. */
  readonly concurrency?: number;
  /** Called with (0, total) first, then after each finished job. A throw fails the batch. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Cancels the batch: no new job starts, and the call rejects with AbortedError. */
  readonly signal?: AbortSignal;
  /** KDF implementation for every job; default `auto`. */
  readonly kdfBackend?: KdfBackend;
  /**
   * The admission queue bounding the memory in flight; pass one scheduler to every batch that may run at the same
   * time so that their memory together stays within its bound. Default: a new one for this batch alone.
   */
  readonly scheduler?: KdfScheduler;
}

/** One keystore to decrypt. */
export interface DecryptItem {
  readonly keystore: Keystore;
  readonly password: Password;
  /** File name for error messages; default `items[<i>]`. */
  readonly source?: string;
}

/** One secret to encrypt. `signal` and `kdfBackend` come from the batch options. */
export interface EncryptItem {
  readonly secret: Uint8Array;
  readonly password: Password;
  readonly options: Omit<EncryptOptions, 'signal' | 'kdfBackend'>;
}

/** One keystore to open by {@link openKeystores}: with the key kept from its encryption, or from its password. */
export interface OpenItem extends DecryptItem {
  /** The key that encrypted it ({@link encryptKeystoresKeepingKeys}); without one the KDF runs on the password. */
  readonly key?: KeptKey | undefined;
}

async function concurrencyFor(jobs: readonly PoolJob[], options: BatchOptions): Promise<number> {
  if (options.concurrency !== undefined) {
    const c = options.concurrency;
    if (!Number.isSafeInteger(c) || c < 1) {
      throw new ValidationError('INVALID_ARGUMENT', "'concurrency' must be a positive integer", {
        field: 'concurrency',
      });
    }
    return Math.min(c, MAX_KDF_CONCURRENCY);
  }
  const kinds = new Set(jobs.map((j) => j.kind));
  let best = 1;
  for (const kind of kinds) best = Math.max(best, await kdfParallelism(kind, options.kdfBackend));
  return Math.min(best, MAX_KDF_CONCURRENCY);
}

/** Runs `f`, prefixing the message of a ValidationError with the item's label (`items[3]` or its source). */
function forItem<T>(label: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValidationError) {
      const options = { cause: e, ...(e.field === undefined ? {} : { field: e.field }) };
      throw new ValidationError(e.code, `${label}: ${e.message}`, options);
    }
    throw e;
  }
}

function checkCount(n: number): void {
  if (n > MAX_BATCH_ITEMS) {
    throw new ValidationError('LIMIT_EXCEEDED', `'items' has ${n} entries; the cap is ${MAX_BATCH_ITEMS}`, {
      field: 'items',
    });
  }
}

/** What the pool needs to know about one job. */
export interface PoolJob {
  /** The KDF the job runs. */
  readonly kind: KdfParams['function'];
  /** Memory the job holds while it runs, in bytes. */
  readonly memory: number;
}

/**
 * Runs `run(i, signal)` for every job with at most `concurrency` in flight, each admitted by the batch's
 * {@link KdfScheduler} (memory in flight within limits.ts `MAX_CONCURRENT_KDF_MEMORY_BYTES` by default, across every
 * batch sharing that scheduler; a job that alone exceeds it runs alone). See the module comment for
 * failure semantics; `discard` wipes results when the batch fails. Internal: exported for tests.
 */
export function runPool<T>(
  jobs: readonly PoolJob[],
  concurrency: number,
  options: BatchOptions,
  run: (i: number, signal: AbortSignal) => Promise<T>,
  discard: (result: T) => void,
): Promise<T[]> {
  const total = jobs.length;
  const results = new Array<T | undefined>(total);
  const inner = new AbortController();
  const scheduler = options.scheduler ?? new KdfScheduler();
  let next = 0;
  let inFlight = 0; // admitted or waiting for admission
  let done = 0;
  let failure: { error: Error } | undefined;

  return new Promise<T[]>((resolve, reject) => {
    const fail = (error: unknown): void => {
      failure ??= { error: error instanceof Error ? error : new Error(String(error)) };
      inner.abort();
    };
    const onAbort = (): void => {
      fail(new AbortedError());
      settle();
    };
    const settle = (): void => {
      if (inFlight > 0) return;
      if (failure !== undefined) {
        options.signal?.removeEventListener('abort', onAbort);
        for (const r of results) if (r !== undefined) discard(r);
        reject(failure.error);
      } else if (done === total) {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(results as T[]);
      }
    };
    const progress = (): void => {
      try {
        options.onProgress?.(done, total);
      } catch (e) {
        fail(e);
      }
    };
    const pump = (): void => {
      while (failure === undefined && next < total && inFlight < concurrency) {
        const i = next++;
        inFlight++;
        void scheduler.admit(jobs[i]!.memory, inner.signal).then((release) => {
          if (release === undefined || failure !== undefined) {
            release?.();
            inFlight--;
            settle();
            return;
          }
          run(i, inner.signal).then(
            (r) => {
              if (failure === undefined) {
                results[i] = r;
                done++;
                progress();
              } else {
                discard(r);
              }
            },
            (e: unknown) => fail(e),
          ).finally(() => {
            release();
            inFlight--;
            pump();
            settle();
          });
        });
      }
    };
    if (options.signal?.aborted === true) {
      reject(new AbortedError());
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    progress();
    pump();
    settle();
  });
}

/** Checks every item (count, password, keystore format) before any KDF runs; the pool jobs and the items' sources. */
function prepareDecrypt(items: readonly DecryptItem[]): { sources: string[]; jobs: PoolJob[] } {
  checkCount(items.length);
  const sources = items.map((it, i) => it.source ?? `items[${i}]`);
  const jobs = items.map((it, i): PoolJob => {
    forItem(sources[i]!, () => normalizePassword(it.password).fill(0));
    const kdf = validateKeystore(it.keystore, sources[i]).crypto.kdf;
    return { kind: kdf.function, memory: kdfMemoryBytes(kdf) };
  });
  return { sources, jobs };
}

/**
 * Decrypts many EIP-2335 keystores concurrently (each as {@link decryptKeystore}: checksum, then the pubkey check).
 * All keystores are validated before any KDF runs.
 * @returns the secrets in input order; the caller wipes them.
 * @throws the first error of any item (KeystoreError naming the item's source, ValidationError for a bad
 *   password), ValidationError `LIMIT_EXCEEDED` for more than {@link MAX_BATCH_ITEMS} items, AbortedError.
 */
export async function decryptKeystores(
  items: readonly DecryptItem[],
  options: BatchOptions = {},
): Promise<SecretBytes[]> {
  const { sources, jobs } = prepareDecrypt(items);
  const concurrency = await concurrencyFor(jobs, options);
  return runPool(
    jobs,
    concurrency,
    options,
    (i, signal) =>
      decryptKeystore(items[i]!.keystore, items[i]!.password, {
        source: sources[i],
        signal,
        kdfBackend: options.kdfBackend,
      }),
    (secret) => secret.fill(0),
  );
}

/** One item's outcome in {@link decryptKeystoresSettled}: its secret, or the typed error that item alone raised. */
export type DecryptOutcome = { readonly ok: true; readonly secret: SecretBytes } | { readonly ok: false; readonly error: DvkeysError };

/**
 * As {@link decryptKeystores}, but one item's typed failure (wrong password, bad checksum, pubkey mismatch) does not
 * stop the others: every KDF runs once, so a caller that reports per item never decrypts anything twice (attack
 * a09: verify used to run every KDF again after the first failure). Untyped errors and AbortedError still reject,
 * wiping every secret already opened.
 * @returns one outcome per item, in input order; the caller wipes the secrets.
 * @throws as {@link decryptKeystores} for validation before any KDF, AbortedError, and any non-DvkeysError.
 */
export async function decryptKeystoresSettled(items: readonly DecryptItem[], options: BatchOptions = {}): Promise<DecryptOutcome[]> {
  const { sources, jobs } = prepareDecrypt(items);
  const concurrency = await concurrencyFor(jobs, options);
  return runPool(
    jobs,
    concurrency,
    options,
    async (i, signal): Promise<DecryptOutcome> => {
      try {
        return { ok: true, secret: await decryptKeystore(items[i]!.keystore, items[i]!.password, { source: sources[i], signal, kdfBackend: options.kdfBackend }) };
      } catch (e) {
        if (!isDvkeysError(e) || e.code === 'ABORTED') throw e;
        return { ok: false, error: e };
      }
    },
    (r) => {
      if (r.ok) r.secret.fill(0);
    },
  );
}

/**
 * Opens keystores read back after writing them: each item with a kept key by {@link KeptKey.open} (no KDF), every
 * other one by {@link decryptKeystores} from its password (the sample that proves the KDF is deterministic).
 * Progress counts both. Fails closed: on any error every secret already opened is wiped.
 * @returns the secrets in input order; the caller wipes them.
 * @throws the first error, as KeptKey.open or decryptKeystores.
 */
export async function openKeystores(items: readonly OpenItem[], options: BatchOptions = {}): Promise<SecretBytes[]> {
  checkCount(items.length);
  const out = new Array<SecretBytes | undefined>(items.length);
  try {
    const derive: number[] = [];
    let kept = 0;
    items.forEach((it, i) => {
      if (it.key === undefined) derive.push(i);
      else {
        out[i] = it.key.open(it.keystore, it.source ?? `items[${i}]`);
        kept++;
      }
    });
    options.onProgress?.(kept, items.length);
    const got = await decryptKeystores(
      derive.map((i) => items[i]!),
      {
        ...options,
        ...(options.onProgress === undefined ? {} : { onProgress: (d: number) => options.onProgress!(kept + d, items.length) }),
      },
    );
    derive.forEach((i, j) => (out[i] = got[j]));
    return out as SecretBytes[];
  } catch (e) {
    for (const s of out) s?.fill(0);
    throw e;
  }
}

/** Checks and plans every item of an encryption batch (no KDF runs yet) and sizes the pool for it. */
async function planEncryptions(items: readonly EncryptItem[], options: BatchOptions) {
  checkCount(items.length);
  const plans = items.map((it, i) =>
    forItem(`items[${i}]`, () => {
      encryptionPassword(it.password).fill(0);
      return planEncryption(it.secret, it.options, `items[${i}]`);
    }),
  );
  const jobs = plans.map((p): PoolJob => ({ kind: p.params.function, memory: kdfMemoryBytes(p.params) }));
  return { plans, jobs, concurrency: await concurrencyFor(jobs, options) };
}

/**
 * Encrypts many secrets as EIP-2335 keystores concurrently (each as {@link encryptKeystore}).
 * @returns the keystores in input order.
 * @throws the first error of any item (see encryptKeystore), ValidationError `LIMIT_EXCEEDED` for more than
 *   {@link MAX_BATCH_ITEMS} items, AbortedError.
 */
export async function encryptKeystores(
  items: readonly EncryptItem[],
  options: BatchOptions = {},
): Promise<Keystore[]> {
  const { plans, jobs, concurrency } = await planEncryptions(items, options);
  return runPool(
    jobs,
    concurrency,
    options,
    (i, signal) =>
      runEncryption(plans[i]!, items[i]!.secret, items[i]!.password, { signal, kdfBackend: options.kdfBackend }),
    () => undefined,
  );
}

/**
 * {@link encryptKeystores}, also keeping each keystore's derived key so that the keystore can be checked once
 * written without a second KDF ({@link openKeystores}). The caller wipes the keys (kept-key.ts); on failure they
 * are wiped here.
 */
export async function encryptKeystoresKeepingKeys(
  items: readonly EncryptItem[],
  options: BatchOptions = {},
): Promise<KeptKeystore[]> {
  const { plans, jobs, concurrency } = await planEncryptions(items, options);
  return runPool(
    jobs,
    concurrency,
    options,
    async (i, signal) => {
      const plan = plans[i]!;
      const { keystore, dk } = await runEncryptionKeepingKey(plan, items[i]!.secret, items[i]!.password, {
        signal,
        kdfBackend: options.kdfBackend,
      });
      const checksum = hexToBytes(keystore.crypto.checksum.message, 'crypto.checksum.message');
      return { keystore, key: new KeptKey(dk, plan.params, plan.iv, checksum) };
    },
    (r) => wipeKeptKeys([r.key]),
  );
}
