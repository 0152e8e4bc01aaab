/**
 * The input stage of the split pipeline (issue 14; design section 7; docs/decisions/0212-split-input-pipeline.md):
 * validator keys given as EIP-2335 keystores are decrypted inside {@link runSplit}, through the same
 * {@link KdfScheduler} as the share encryptions, a few validators ahead of the split, so that the input KDFs, the
 * curve work of each validator and the share KDFs overlap instead of running one stage after another.
 *
 * Every keystore is validated (and every password normalised) before any KDF runs. Decryptions start in input
 * order, at most `lookahead` ahead of the validator being split; their memory is bounded together with the share
 * encryptions' by the one scheduler (FIFO, so a decryption is never starved by share jobs). A secret decrypted
 * here belongs to the feed: the split takes it with {@link InputFeed.take} and wipes it once its shares are made,
 * and {@link InputFeed.close} aborts what is still running and wipes every secret not taken.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { decryptKeystores } from '../keys/batch.js';
import { kdfMemoryBytes, type KdfBackend } from '../keys/kdf.js';
import { validateKeystore, type Keystore } from '../keys/keystore-format.js';
import { normalizePassword, type Password } from '../keys/password.js';
import type { KdfScheduler } from '../keys/scheduler.js';

/** One validator key to split, already decrypted; `source` names it in errors (a file name, or `mnemonic index 3`). */
export interface ValidatorKeyInput {
  readonly secret: Uint8Array;
  readonly source: string;
}

/** One validator key given as its EIP-2335 keystore: runSplit decrypts it in its pipeline. */
export interface EncryptedValidatorInput {
  readonly keystore: Keystore;
  readonly password: Password;
  readonly source: string;
}

/** A validator key to split: a secret (the caller's, the caller wipes it) or a keystore (runSplit decrypts it). */
export type SplitValidatorInput = ValidatorKeyInput | EncryptedValidatorInput;

/** True when `v` is given as a keystore. */
export function isEncryptedInput(v: SplitValidatorInput): v is EncryptedValidatorInput {
  return (v as Partial<EncryptedValidatorInput>).keystore !== undefined;
}

/** Options of {@link InputFeed}. */
export interface InputFeedOptions {
  readonly scheduler: KdfScheduler;
  readonly signal?: AbortSignal | undefined;
  readonly kdfBackend?: KdfBackend | undefined;
  /** Decryptions started ahead of the validator being taken; default: as many scrypt jobs as the bound holds (2-8). */
  readonly lookahead?: number;
  /** Called after each finished decryption. */
  readonly onDecrypted?: () => void;
}

/** A validator's secret as the split gets it: `owned` when the feed decrypted it (the split wipes it). */
export interface FedSecret {
  readonly secret: Uint8Array;
  readonly owned: boolean;
}

/** The decryptions of a split's keystore inputs, run ahead of the split (see the module comment). */
export class InputFeed {
  readonly #inputs: readonly SplitValidatorInput[];
  readonly #options: InputFeedOptions;
  readonly #abort = new AbortController();
  readonly #lookahead: number;
  readonly #running: (Promise<Uint8Array> | undefined)[];
  readonly #results: (Uint8Array | undefined)[];
  #started = 0;
  #closed = false;

  /**
   * Validates every keystore input and its password (no KDF runs yet).
   * @throws KeystoreError for a keystore that does not parse, ValidationError for a bad password (both naming the
   *   input's source).
   */
  constructor(inputs: readonly SplitValidatorInput[], options: InputFeedOptions) {
    this.#inputs = inputs;
    this.#options = options;
    let memory = 0;
    inputs.forEach((v, i) => {
      if (!isEncryptedInput(v)) return;
      const kdf = validateKeystore(v.keystore, v.source).crypto.kdf;
      memory = Math.max(memory, kdfMemoryBytes(kdf));
      try {
        normalizePassword(v.password).fill(0);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(e.code, `${v.source}: ${e.message}`, { cause: e, field: `validators[${i}]` });
        throw e;
      }
    });
    const fits = memory === 0 ? 8 : Math.floor(options.scheduler.maxMemory / memory);
    this.#lookahead = options.lookahead ?? Math.min(8, Math.max(2, fits));
    this.#running = new Array<Promise<Uint8Array> | undefined>(inputs.length);
    this.#results = new Array<Uint8Array | undefined>(inputs.length);
    if (options.signal !== undefined) {
      const outer = options.signal;
      if (outer.aborted) this.#abort.abort();
      else outer.addEventListener('abort', () => this.#abort.abort(), { once: true, signal: this.#abort.signal });
    }
  }

  /** Number of inputs given as keystores (each one decryption). */
  get decryptions(): number {
    return this.#inputs.filter(isEncryptedInput).length;
  }

  /**
   * The secret of validator `i` (inputs are taken in order), starting the decryptions up to `i + lookahead`.
   * @throws the decryption's error (KeystoreError naming the source, AbortedError).
   */
  async take(i: number): Promise<FedSecret> {
    this.#startUpTo(i + this.#lookahead);
    const v = this.#inputs[i]!;
    if (!isEncryptedInput(v)) return { secret: v.secret, owned: false };
    const secret = await this.#running[i]!;
    this.#results[i] = undefined;
    this.#running[i] = undefined;
    return { secret, owned: true };
  }

  #startUpTo(last: number): void {
    const { scheduler, kdfBackend, onDecrypted } = this.#options;
    while (!this.#closed && this.#started <= last && this.#started < this.#inputs.length) {
      const i = this.#started++;
      const v = this.#inputs[i]!;
      if (!isEncryptedInput(v)) continue;
      const p = decryptKeystores([{ keystore: v.keystore, password: v.password, source: v.source }], {
        scheduler,
        signal: this.#abort.signal,
        concurrency: 1,
        ...(kdfBackend === undefined ? {} : { kdfBackend }),
      }).then(([secret]) => {
        if (this.#closed) {
          secret!.fill(0);
          throw new Error('closed');
        }
        this.#results[i] = secret;
        onDecrypted?.();
        return secret!;
      });
      p.catch(() => undefined); // a failure is reported when its validator is taken, or dropped by close()
      this.#running[i] = p;
    }
  }

  /** Aborts the decryptions still running, waits for them, and wipes every secret decrypted and not taken. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    await Promise.allSettled(this.#running.filter((p) => p !== undefined));
    for (const s of this.#results) s?.fill(0);
    this.#results.fill(undefined);
  }
}
