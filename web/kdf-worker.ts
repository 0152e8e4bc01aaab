/**
 * The KDF Web Worker of the page (issue 17, design section 10): runs one EIP-2335 KDF job at a time off the main
 * thread, so the page stays responsive and Cancel can stop a job by terminating its worker (web/kdf-pool.ts).
 * scrypt is @noble/hashes (pure JS, synchronous here: nothing else runs in this worker); PBKDF2-HMAC-SHA256 is
 * WebCrypto's. Parameters were validated by the library before the job was posted (src/keys/limits.ts).
 *
 * Secrets: the password arrives as a transferred copy and is wiped here; the derived key is transferred back (this
 * worker keeps no copy).
 *
 * @module
 */
import { scrypt } from '@noble/hashes/scrypt.js';

/** A job posted by web/kdf-pool.ts. */
export interface KdfJobMessage {
  readonly id: number;
  readonly fn: 'scrypt' | 'pbkdf2';
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly c: number;
  readonly dklen: number;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly password: Uint8Array<ArrayBuffer>;
}

/** The answer: the derived key, or that the implementation refused the parameters. */
export type KdfJobAnswer = { readonly id: number; readonly key: Uint8Array } | { readonly id: number; readonly failed: true };

interface WorkerScope {
  onmessage: ((ev: MessageEvent<KdfJobMessage>) => void) | null;
  postMessage(message: KdfJobAnswer, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

async function derive(job: KdfJobMessage): Promise<Uint8Array> {
  if (job.fn === 'scrypt') {
    const maxmem = 128 * job.r * (job.n + job.p + 2) + 4096;
    return scrypt(job.password, job.salt, { N: job.n, r: job.r, p: job.p, dkLen: job.dklen, maxmem });
  }
  const key = await crypto.subtle.importKey('raw', job.password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: job.salt, iterations: job.c }, key, job.dklen * 8);
  return new Uint8Array(bits);
}

scope.onmessage = (ev) => {
  const job = ev.data;
  derive(job).then(
    (key) => scope.postMessage({ id: job.id, key }, [key.buffer]),
    () => scope.postMessage({ id: job.id, failed: true }),
  ).finally(() => job.password.fill(0));
};
