/**
 * One admission queue for KDF jobs, shared by every batch of a ceremony so that the memory of all the jobs in flight
 * together stays within a bound (issue 14: with two batches of scrypt jobs each bounded on its own, a split could
 * hold about 2 GiB of scrypt tables at once).
 *
 * Jobs are admitted in the order they ask (first come, first served, so a large job is never starved by small
 * ones) while the memory in flight plus theirs stays within `maxMemory`; a job that alone exceeds the bound is
 * admitted when nothing else runs. The count of jobs per batch is bounded by the batch itself (batch.ts).
 *
 * @module
 */
import { MAX_CONCURRENT_KDF_MEMORY_BYTES } from './limits.js';

/** What the scheduler holds after each change (admission or release). */
export interface KdfSchedulerState {
  /** Jobs admitted and not yet released. */
  readonly jobs: number;
  /** Their memory, in bytes. */
  readonly memory: number;
  /** Jobs waiting for admission. */
  readonly waiting: number;
}

/** Options of {@link KdfScheduler}. */
export interface KdfSchedulerOptions {
  /** Bound on the memory of the jobs in flight, in bytes; default {@link MAX_CONCURRENT_KDF_MEMORY_BYTES}. */
  readonly maxMemory?: number;
  /** Called synchronously after every admission and release (tests count the memory in flight with it). */
  readonly observer?: (state: KdfSchedulerState) => void;
}

/** Frees what {@link KdfScheduler.admit} granted; a second call does nothing. */
export type KdfRelease = () => void;

interface Waiter {
  readonly memory: number;
  readonly grant: (release: KdfRelease | undefined) => void;
}

/** A FIFO admission queue bounding the memory of the KDF jobs in flight (see the module comment). */
export class KdfScheduler {
  readonly maxMemory: number;
  readonly #observer: ((state: KdfSchedulerState) => void) | undefined;
  readonly #queue: Waiter[] = [];
  #jobs = 0;
  #memory = 0;

  constructor(options: KdfSchedulerOptions = {}) {
    const max = options.maxMemory ?? MAX_CONCURRENT_KDF_MEMORY_BYTES;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError('maxMemory must be a non-negative integer');
    this.maxMemory = max;
    this.#observer = options.observer;
  }

  /**
   * Waits until a job holding `memory` bytes may start.
   * @returns the release to call when the job has settled, or undefined when `signal` aborted first (the job
   *   must not start).
   */
  admit(memory: number, signal?: AbortSignal): Promise<KdfRelease | undefined> {
    if (signal?.aborted === true) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) {
          this.#queue.splice(at, 1);
          resolve(undefined);
          this.#drain(); // the head may have been what blocked the rest
        }
      };
      const waiter: Waiter = {
        memory,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (this.#jobs > 0 && this.#memory + head.memory > this.maxMemory) break;
      this.#queue.shift();
      this.#jobs++;
      this.#memory += head.memory;
      let released = false;
      head.grant(() => {
        if (released) return;
        released = true;
        this.#jobs--;
        this.#memory -= head.memory;
        this.#notify();
        this.#drain();
      });
      this.#notify();
    }
  }

  /** What the scheduler holds now. */
  get state(): KdfSchedulerState {
    return { jobs: this.#jobs, memory: this.#memory, waiting: this.#queue.length };
  }

  #notify(): void {
    this.#observer?.(this.state);
  }
}
