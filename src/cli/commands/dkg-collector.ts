/**
 * The collect steps of `dvkeys dkg serve` (issue 18 part 2, design section 11; docs/protocols/dkg-http.md "Results";
 * decisions 0437, 0439): the server runs on its stored messages exactly what `dkg collect` runs on files, so
 * operators talk only to the server. Each stage is computed once, in the background, as soon as every participant
 * has sent its message of that stage (the server calls {@link Collector.kick} after every stored message and at
 * start); a request never runs a collect step, it answers from what is there:
 *
 * - round 1: every participant's round-1 message → the collected round 1 (`collectRound1`), or an abort report;
 * - round 2: every participant's Ack or complaint, over the collected round 1 → the final message (`collectRound2`),
 *   or an abort report;
 * - round 3: every participant's READY, against the claim the collected round 1 and final message make → the deposit
 *   certificate (`collectReady`); a set of READY messages that makes none is reported (nothing is stored), and
 *   recomputed when another READY arrives.
 *
 * A large ceremony's collect (n × V signature checks, seconds to minutes) runs on a worker thread, so the server keeps
 * answering (`409 computing`) meanwhile; a small one runs on the main thread after the request that completed it.
 *
 * The results of rounds 1 and 2 are written into the data directory (`result-round1.json`, `result-round2.json`,
 * fsynced, never overwritten) before they are served, so a restarted server serves the same bytes it served before
 * (collectRound2 signs nothing, but a recomputation over a different set of kept messages could differ). The server
 * stays untrusted: every operator checks the results as it checks files (round2, finalize, deposit-data).
 *
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { dkgReadyExpectation } from '../../ceremony/dkg-output.js';
import { collectReady, collectRound1, collectRound2, type CeremonyDefinitionJson } from '../../dkg/index.js';
import { parseJsonText } from '../../json.js';
import { readText } from '../files.js';
import { writeNewFile } from '../fs.js';
import { exists } from './dkg-ready.js';
import { verdictLine } from './dkg-files.js';
import type { Inbox, MessageKind } from './dkg-inbox.js';

/** A stage whose result the server computes. */
export type Stage = 'round1' | 'round2' | 'round3';
/** The stages, in order. */
export const STAGES: readonly Stage[] = ['round1', 'round2', 'round3'];
const INPUTS: Readonly<Record<Stage, { kinds: readonly MessageKind[]; what: string }>> = {
  round1: { kinds: ['round1'], what: 'round-1 messages' },
  round2: { kinds: ['ack', 'complaint'], what: 'Acks or complaints' },
  round3: { kinds: ['ready'], what: 'READY messages' },
};

/** A stage's result: the JSON to serve, the participants still to send, a computation under way, or why none. */
export type StageResult =
  | { readonly state: 'done'; readonly value: unknown; readonly body: Buffer }
  | { readonly state: 'waiting'; readonly waiting: readonly number[]; readonly what: string }
  | { readonly state: 'computing'; readonly stage: Stage }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string };

/** One collect computation, as plain JSON (it crosses to a worker thread). */
export type CollectJob =
  | { readonly stage: 'round1'; readonly definition: CeremonyDefinitionJson; readonly messages: readonly unknown[] }
  | { readonly stage: 'round2'; readonly definition: CeremonyDefinitionJson; readonly collected: unknown; readonly messages: readonly unknown[] }
  | { readonly stage: 'round3'; readonly definition: CeremonyDefinitionJson; readonly collected: unknown; readonly final: unknown; readonly messages: readonly unknown[] };
/** Its outcome: the result to store and serve, or (round 3 only) why the READY messages make no certificate. */
export type CollectOutcome = { readonly value: unknown } | { readonly failed: string };
/** Runs a job (inline, on a worker thread, or, in tests, slowed down). */
export type CollectRunner = (job: CollectJob) => Promise<CollectOutcome>;

/** Runs a collect job: the functions `dkg collect` runs. */
export function collectJob(job: CollectJob): CollectOutcome {
  if (job.stage === 'round1') {
    const r = collectRound1(job.definition, job.messages);
    return { value: r.ok ? r.message : r.abort };
  }
  if (job.stage === 'round2') {
    const r = collectRound2(job.definition, job.collected, job.messages);
    return { value: r.ok ? r.message : r.abort };
  }
  const want = dkgReadyExpectation({ format: 'dvkeys/dkg-recovery', version: 1, definition: job.definition, collected: job.collected, final: job.final });
  const r = collectReady(job.definition, want.claim, job.messages);
  return r.ok ? { value: r.certificate } : { failed: `no deposit certificate: ${verdictLine(job.definition, r.verdict)}` };
}

/** On the main thread, after the current request has been answered. */
export const inlineRunner: CollectRunner = async (job) => {
  await new Promise((ok) => setImmediate(ok));
  return collectJob(job);
};

/**
 * On a worker thread of its own (dkg-collect-worker), so the event loop keeps answering. From the TypeScript sources
 * (tests, `node --import tsx`), the worker is bootstrapped through tsx's API, which worker threads do not inherit.
 */
export const workerRunner: CollectRunner = (job) =>
  new Promise((ok, fail) => {
    const self = import.meta.url;
    const ts = self.endsWith('.ts');
    const file = new URL(`./dkg-collect-worker.${ts ? 'ts' : 'js'}`, self).href;
    let worker: Worker;
    if (ts) {
      const api = new URL('./index.mjs', pathToFileURL(createRequire(self).resolve('tsx/esm/api'))).href;
      worker = new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`, { eval: true });
    } else worker = new Worker(new URL(file));
    // a server shut down mid-computation exits at once; its restart computes again from the stored messages
    worker.unref();
    let settled = false;
    const end = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: 'ready' | { ok: true; outcome: CollectOutcome } | { ok: false; error: string }) => {
      if (m === 'ready') worker.postMessage(job);
      else end(() => (m.ok ? ok(m.outcome) : fail(new Error(m.error))));
    });
    worker.on('error', (e) => end(() => fail(e)));
    worker.on('exit', (code) => end(() => fail(new Error(`the collect worker exited (code ${code}) without a result`))));
  });

/** Below this n × V a collect takes milliseconds: a worker thread's start would cost more than it saves. */
export const WORKER_MIN_WORK = 64;

const MAX_RESULT_BYTES = 256 * 1024 * 1024;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const isAbort = (value: unknown): boolean => (value as { format?: unknown } | null)?.format === 'dvkeys/dkg-abort';

type Slot =
  | { readonly state: 'computing' }
  | { readonly state: 'done'; readonly value: unknown }
  | { readonly state: 'failed'; readonly reason: string; readonly atSize: number }
  | { readonly state: 'error'; readonly reason: string };

/** The server's collector over one inbox. */
export class Collector {
  private readonly slots = new Map<Stage, Slot>();
  /**
   * The answer body of each done stage, serialised once (a 10 × 1000 round-1 result is ~25 MB: serialised per GET, it
   * held the event loop for seconds per request). Keyed by the slot it was made from, so a stage computed again
   * (round 3 after more READY messages) is never served a stale body.
   */
  private readonly bodies = new Map<Stage, { readonly slot: Slot; readonly body: Buffer }>();
  private busy = false;
  private again = false;
  private idle: Promise<void> = Promise.resolve();

  private constructor(
    private readonly inbox: Inbox,
    private readonly run: CollectRunner,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * A collector over `inbox`, with the results of rounds 1 and 2 a previous run stored, and the next stage started
   * if its messages are all in. `run` defaults to a worker thread from n × V ≥ {@link WORKER_MIN_WORK}.
   */
  static async open(inbox: Inbox, options: { readonly run?: CollectRunner; readonly log?: (line: string) => void } = {}): Promise<Collector> {
    const def = inbox.definition;
    const c = new Collector(inbox, options.run ?? (def.n * def.V >= WORKER_MIN_WORK ? workerRunner : inlineRunner), options.log ?? (() => {}));
    for (const stage of ['round1', 'round2'] as const) {
      const path = c.path(stage);
      if (!(await exists(path))) break;
      c.slots.set(stage, { state: 'done', value: parseJsonText(await readText(path, MAX_RESULT_BYTES, 'stored result'), MAX_RESULT_BYTES, path) });
    }
    c.kick();
    return c;
  }

  private path(stage: 'round1' | 'round2'): string {
    return join(this.inbox.dir, `result-${stage}.json`);
  }

  /** Participants with no message of these kinds stored. */
  private missing(kinds: readonly MessageKind[]): number[] {
    const s = this.inbox.status();
    const sent = new Set(kinds.flatMap((k) => s[k]));
    return this.inbox.definition.participants.map((p) => p.index).filter((i) => !sent.has(i));
  }

  /** The next stage to compute: its inputs all in, the stages before it done without an abort. */
  private next(): Stage | undefined {
    for (const stage of STAGES) {
      const slot = this.slots.get(stage);
      if (slot === undefined || (slot.state === 'failed' && slot.atSize !== this.inbox.size)) return this.missing(INPUTS[stage].kinds).length === 0 ? stage : undefined;
      if (slot.state !== 'done' || isAbort(slot.value)) return undefined;
    }
    return undefined;
  }

  /** Starts the next computation if one is due (called after every stored message); returns at once. */
  kick(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.idle = this.advance().finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once no computation is under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.busy) await this.idle;
  }

  private done(stage: Stage): unknown {
    return (this.slots.get(stage) as { value: unknown }).value;
  }

  private async advance(): Promise<void> {
    for (let stage = this.next(); stage !== undefined; stage = this.next()) {
      const atSize = this.inbox.size;
      this.slots.set(stage, { state: 'computing' });
      try {
        const definition = this.inbox.definition.json;
        const messages = (await Promise.all(INPUTS[stage].kinds.map((k) => this.inbox.list(k)))).flat();
        const job: CollectJob =
          stage === 'round1' ? { stage, definition, messages } : stage === 'round2' ? { stage, definition, collected: this.done('round1'), messages } : { stage, definition, collected: this.done('round1'), final: this.done('round2'), messages };
        const outcome = await this.run(job);
        if ('failed' in outcome) {
          this.slots.set(stage, { state: 'failed', reason: outcome.failed, atSize });
          continue;
        }
        // stored (file and folder fsynced) before anyone is served it
        if (stage !== 'round3') await writeNewFile(this.path(stage), json(outcome.value), false);
        this.slots.set(stage, { state: 'done', value: outcome.value });
      } catch (e) {
        this.log(`could not compute the ${stage} result: ${e instanceof Error ? e.message : String(e)}`);
        this.slots.set(stage, { state: 'error', reason: `the coordinator could not compute the ${stage} result (see its log; a restart retries)` });
        return;
      }
    }
  }

  /** The result of a stage as it is now (never computes). */
  result(stage: Stage): StageResult {
    for (const s of STAGES) {
      const slot = this.slots.get(s);
      if (slot === undefined) {
        const waiting = this.missing(INPUTS[s].kinds);
        return waiting.length > 0 ? { state: 'waiting', waiting, what: INPUTS[s].what } : { state: 'computing', stage: s };
      }
      if (slot.state === 'computing') return { state: 'computing', stage: s };
      if (slot.state === 'failed') return slot.atSize === this.inbox.size ? { state: 'failed', reason: slot.reason } : { state: 'computing', stage: s };
      if (slot.state === 'error') return slot;
      if (s === stage) return { state: 'done', value: slot.value, body: this.body(s, slot) };
      if (isAbort(slot.value)) return { state: 'failed', reason: `${s.replace('round', 'round ')} aborted (its abort report is the ${s.replace('round', 'round-')} result)` };
    }
    throw new Error('unreachable');
  }

  /** The answer body of a done slot: `JSON.stringify(value)` and a newline in UTF-8, made once per slot. */
  private body(stage: Stage, slot: Slot & { readonly state: 'done' }): Buffer {
    const cached = this.bodies.get(stage);
    if (cached?.slot === slot) return cached.body;
    const body = Buffer.from(`${JSON.stringify(slot.value)}\n`, 'utf8');
    this.bodies.set(stage, { slot, body });
    return body;
  }

  /** Which stages have a stored result (for the status). */
  finished(): Stage[] {
    return (['round1', 'round2'] as const).filter((s) => this.slots.get(s)?.state === 'done');
  }
}
