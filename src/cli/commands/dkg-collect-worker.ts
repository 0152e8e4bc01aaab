/**
 * The worker thread of `dkg serve`'s collector (dkg-collector.ts, decision 0439): runs one collect job and posts its
 * outcome, so a large ceremony's collect never blocks the server's event loop.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { collectJob, type CollectJob } from './dkg-collector.js';

const port = parentPort!;
port.once('message', (job: CollectJob) => {
  try {
    port.postMessage({ ok: true, outcome: collectJob(job) });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage('ready');
