/**
 * The page's native KDF: a pool of Web Workers, one per core (issue 17, design section 10). The build
 * (scripts/build-web.mjs) resolves the library's `#kdf-native` import to this module, so every KDF the library
 * runs in the page (src/keys/kdf.ts `deriveKey`, through the batch APIs and the split, verify and combine
 * pipelines) is a job here and the main thread only waits. It implements src/keys/kdf-native.ts `NativeKdf`
 * exactly as the Node module does with the libuv pool.
 *
 * Cancel: {@link cancelKdfJobs} terminates every worker, which stops a running scrypt at once, and rejects every
 * running and queued job; the library, whose AbortSignal the page aborted first, turns that into AbortedError.
 * Workers are made again on the next job.
 *
 * The worker's code is inlined by the build as a string and started from a blob: URL (the page's
 * Content-Security-Policy allows workers from blob: and nothing else).
 *
 * @module
 */
import type { NativeKdf } from '../src/keys/kdf-native.js';
import type { Pbkdf2Params, ScryptParams } from '../src/keys/kdf.js';
import type { KdfJobAnswer, KdfJobMessage } from './kdf-worker.js';

declare const __KDF_WORKER_SOURCE__: string;

interface Job {
  readonly message: KdfJobMessage;
  readonly resolve: (key: Uint8Array) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
}

let workerUrl: string | undefined;
let slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 1;

/** Cores offered to the page (navigator.hardwareConcurrency, 1..8). */
export function cores(): number {
  const hc = navigator.hardwareConcurrency;
  return typeof hc === 'number' && hc >= 1 ? Math.min(hc, 8) : 2;
}

function makeSlot(): Slot {
  workerUrl ??= URL.createObjectURL(new Blob([__KDF_WORKER_SOURCE__], { type: 'text/javascript' }));
  const slot: Slot = { worker: new Worker(workerUrl), job: undefined };
  slot.worker.onmessage = (ev: MessageEvent<KdfJobAnswer>) => {
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined && job.message.id === ev.data.id) {
      if ('key' in ev.data) job.resolve(ev.data.key);
      else job.reject(new Error('the KDF refused its parameters'));
    }
    pump();
  };
  slot.worker.onerror = () => {
    const job = slot.job;
    slot.job = undefined;
    job?.reject(new Error('the KDF worker failed'));
    pump();
  };
  return slot;
}

function pump(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => s.job === undefined);
    if (slot === undefined && slots.length < cores()) {
      slot = makeSlot();
      slots.push(slot);
    }
    if (slot === undefined) return;
    const job = queue.shift()!;
    slot.job = job;
    slot.worker.postMessage(job.message, [job.message.password.buffer]);
  }
}

function submit(fields: Omit<KdfJobMessage, 'id' | 'password' | 'salt'> & { readonly salt: Uint8Array }, password: Uint8Array): Promise<Uint8Array> {
  // A copy, transferred to the worker (which wipes it); the caller's password stays the caller's to wipe.
  const message: KdfJobMessage = { ...fields, salt: new Uint8Array(fields.salt), id: nextId++, password: new Uint8Array(password) };
  return new Promise((resolve, reject) => {
    queue.push({ message, resolve, reject });
    pump();
  });
}

/**
 * Stops every KDF job: terminates the workers (a running job stops at once) and rejects every running and queued
 * job. The caller aborts the library call's AbortSignal first, so the library reports AbortedError.
 */
export function cancelKdfJobs(): void {
  const jobs = [...slots.flatMap((s) => (s.job === undefined ? [] : [s.job])), ...queue.splice(0)];
  for (const s of slots) s.worker.terminate();
  slots = [];
  for (const job of jobs) {
    // Still ours when the job was queued; a posted one was transferred (detached, length 0) and the worker dies with it.
    if (job.message.password.byteLength > 0) job.message.password.fill(0);
    job.reject(new Error('cancelled'));
  }
}

/** How many jobs are running or queued (for tests and the progress line). */
export function pendingKdfJobs(): number {
  return queue.length + slots.filter((s) => s.job !== undefined).length;
}

/** `#kdf-native` in the page. */
export const nativeKdf: NativeKdf = {
  scrypt: (params: ScryptParams, password: Uint8Array) =>
    submit({ fn: 'scrypt', n: params.n, r: params.r, p: params.p, c: 0, dklen: params.dklen, salt: params.salt }, password),
  pbkdf2: (params: Pbkdf2Params, password: Uint8Array) =>
    submit({ fn: 'pbkdf2', n: 0, r: 0, p: 0, c: params.c, dklen: params.dklen, salt: params.salt }, password),
  cores,
};
