/**
 * The collect steps of `dvkeys dkg serve` (issue 18 part 2, design section 11; docs/protocols/dkg-http.md "Results"):
 * the server runs on its stored messages exactly what `dkg collect` runs on files, so operators talk only to the
 * server. Each stage is computed once every participant has sent its message of that stage:
 *
 * - round 1: every participant's round-1 message → the collected round 1 (`collectRound1`), or an abort report;
 * - round 2: every participant's Ack or complaint, over the collected round 1 → the final message (`collectRound2`),
 *   or an abort report;
 * - round 3: every participant's READY, against the claim the collected round 1 and final message make → the deposit
 *   certificate (`collectReady`); a set of READY messages that makes none is reported (nothing is stored).
 *
 * The results of rounds 1 and 2 are written into the data directory (`result-round1.json`, `result-round2.json`,
 * fsynced, never overwritten) before they are served, so a restarted server serves the same bytes it served before
 * (collectRound2 signs nothing, but a recomputation over a different set of kept messages could differ). The server
 * stays untrusted: every operator checks the results as it checks files (round2, finalize, deposit-data).
 *
 * @module
 */
import { join } from 'node:path';
import { dkgReadyExpectation } from '../../ceremony/dkg-output.js';
import { collectReady, collectRound1, collectRound2 } from '../../dkg/index.js';
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

/** A stage's result: the JSON to serve, the participants still to send, or why no result can be made. */
export type StageResult =
  | { readonly state: 'done'; readonly value: unknown }
  | { readonly state: 'waiting'; readonly waiting: readonly number[]; readonly what: string }
  | { readonly state: 'failed'; readonly reason: string };

const MAX_RESULT_BYTES = 256 * 1024 * 1024;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The server's collector over one inbox. */
export class Collector {
  private readonly done = new Map<Stage, unknown>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly inbox: Inbox) {}

  private path(stage: 'round1' | 'round2'): string {
    return join(this.inbox.dir, `result-${stage}.json`);
  }

  /** Participants with no message of these kinds stored. */
  private missing(kinds: readonly MessageKind[]): number[] {
    const s = this.inbox.status();
    const sent = new Set(kinds.flatMap((k) => s[k]));
    return this.inbox.definition.participants.map((p) => p.index).filter((i) => !sent.has(i));
  }

  /** The stored (or just computed and stored) result of round 1 or 2. */
  private async stored(stage: 'round1' | 'round2', make: () => Promise<unknown>): Promise<unknown> {
    const cached = this.done.get(stage);
    if (cached !== undefined) return cached;
    const path = this.path(stage);
    let value: unknown;
    if (await exists(path)) value = parseJsonText(await readText(path, MAX_RESULT_BYTES, 'stored result'), MAX_RESULT_BYTES, path);
    else {
      value = await make();
      await writeNewFile(path, json(value), false);
    }
    this.done.set(stage, value);
    return value;
  }

  /** The result of a stage (computed one at a time: concurrent requests wait for the first). */
  result(stage: Stage): Promise<StageResult> {
    const run = this.running.then(() => this.compute(stage));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async compute(stage: Stage): Promise<StageResult> {
    const def = this.inbox.definition;
    const r1 = await this.round1();
    if (stage === 'round1' || r1.state !== 'done') return r1;
    const collected = r1.value;
    if ((collected as { format?: unknown }).format === 'dvkeys/dkg-abort') return { state: 'failed', reason: 'round 1 aborted (its abort report is the round-1 result)' };
    const waiting2 = this.missing(['ack', 'complaint']);
    if (waiting2.length > 0 && !this.done.has('round2') && !(await exists(this.path('round2')))) return { state: 'waiting', waiting: waiting2, what: 'Acks or complaints' };
    const final = await this.stored('round2', async () => {
      const answers = [...(await this.inbox.list('ack')), ...(await this.inbox.list('complaint'))];
      const r = collectRound2(def.json, collected, answers);
      return r.ok ? r.message : r.abort;
    });
    if (stage === 'round2') return { state: 'done', value: final };
    if ((final as { format?: unknown }).format === 'dvkeys/dkg-abort') return { state: 'failed', reason: 'round 2 aborted (its abort report is the round-2 result)' };
    const waiting3 = this.missing(['ready']);
    if (waiting3.length > 0) return { state: 'waiting', waiting: waiting3, what: 'READY messages' };
    const want = dkgReadyExpectation({ format: 'dvkeys/dkg-recovery', version: 1, definition: def.json, collected, final });
    const r = collectReady(def.json, want.claim, await this.inbox.list('ready'));
    return r.ok ? { state: 'done', value: r.certificate } : { state: 'failed', reason: `no deposit certificate: ${verdictLine(def.json, r.verdict)}` };
  }

  private async round1(): Promise<StageResult> {
    const waiting = this.missing(['round1']);
    if (waiting.length > 0 && !this.done.has('round1') && !(await exists(this.path('round1')))) return { state: 'waiting', waiting, what: 'round-1 messages' };
    const value = await this.stored('round1', async () => {
      const r = collectRound1(this.inbox.definition.json, await this.inbox.list('round1'));
      return r.ok ? r.message : r.abort;
    });
    return { state: 'done', value };
  }

  /** Which stages have a stored result (for the status). */
  async finished(): Promise<Stage[]> {
    const out: Stage[] = [];
    for (const s of ['round1', 'round2'] as const) if (this.done.has(s) || (await exists(this.path(s)))) out.push(s);
    return out;
  }
}
