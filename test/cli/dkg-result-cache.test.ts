/**
 * Issue 18, `dkg serve`'s result bodies: the collector serialises each stage's result once (a 10 × 1000 round-1
 * result is ~25 MB; serialised per GET it held the event loop for seconds per status request). The cached bytes
 * equal a fresh serialisation, a second GET gets the same bytes without serialising again, and a stage computed
 * anew (round 3 after a failed attempt and one more READY message) is served its new bytes, never the old ones.
 * The inbox is a stand-in (the collector reads only its definition, status, size and lists) and the runner is
 * scripted, so the test checks the cache alone; dkg-serve-collect.test.ts runs the real collect steps over HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collector, type CollectJob, type CollectRunner } from '../../src/cli/commands/dkg-collector.js';
import type { Inbox, MessageKind } from '../../src/cli/commands/dkg-inbox.js';

/** Two participants; `sent` says who has sent which kind, `size` counts stored messages. */
function standIn(dir: string): { inbox: Inbox; send: (kind: MessageKind, i: number) => void } {
  const status: Record<MessageKind, number[]> = { round1: [], ack: [], complaint: [], ready: [] };
  let size = 0;
  const inbox = {
    dir,
    definition: { n: 2, V: 1, participants: [{ index: 1 }, { index: 2 }], json: { format: 'stand-in' } },
    get size() {
      return size;
    },
    status: () => status,
    list: (k: MessageKind) => Promise.resolve(status[k].map((i) => ({ kind: k, from: i }))),
  } as unknown as Inbox;
  return { inbox, send: (kind, i) => (status[kind].push(i), size++) };
}

const body = (c: Collector, stage: 'round1' | 'round2' | 'round3'): Buffer => {
  const r = c.result(stage);
  if (r.state !== 'done') throw new Error(`${stage} is ${r.state}`);
  expect(r.body.equals(Buffer.from(`${JSON.stringify(r.value)}\n`, 'utf8'))).toBe(true);
  return r.body;
};

describe('dkg serve: each stage result is serialised once (issue 18)', () => {
  it('serves bytes equal to a fresh serialisation, the same bytes on every GET, and new bytes once a stage is computed anew', async () => {
    const { inbox, send } = standIn(mkdtempSync(join(tmpdir(), 'dvkeys-result-cache-')));
    const jobs: CollectJob[] = [];
    let round3Attempts = 0;
    const run: CollectRunner = (job) => {
      jobs.push(job);
      if (job.stage !== 'round3') return Promise.resolve({ value: { format: `result-${job.stage}`, messages: job.messages, note: 'é ✓' } });
      round3Attempts++;
      return Promise.resolve(round3Attempts === 1 ? { failed: 'no deposit certificate: test' } : { value: { format: 'certificate', attempt: round3Attempts, messages: job.messages } });
    };
    const c = await Collector.open(inbox, { run });
    send('round1', 1);
    send('round1', 2);
    c.kick();
    await c.settled();
    const r1 = body(c, 'round1');
    expect(body(c, 'round1')).toBe(r1); // the same Buffer: not serialised again
    expect(JSON.parse(r1.toString('utf8'))).toMatchObject({ format: 'result-round1', note: 'é ✓' });

    send('ack', 1);
    send('ack', 2);
    c.kick();
    await c.settled();
    const r2 = body(c, 'round2');
    expect(JSON.parse(r2.toString('utf8')).format).toBe('result-round2');
    expect(body(c, 'round1')).toBe(r1); // round 2 leaves round 1's bytes alone

    send('ready', 1);
    send('ready', 2);
    c.kick();
    await c.settled();
    expect(c.result('round3')).toEqual({ state: 'failed', reason: 'no deposit certificate: test' });
    send('ready', 1); // one more READY message: round 3 is computed anew
    c.kick();
    await c.settled();
    const first = body(c, 'round3');
    expect(JSON.parse(first.toString('utf8'))).toMatchObject({ format: 'certificate', attempt: 2 });
    expect(jobs.map((j) => j.stage)).toEqual(['round1', 'round2', 'round3', 'round3']);
  });
});
