/** Worker of benchmarks/dkg.bench.ts's parallel mode: runs one participant step per message (JSON in, JSON out). */
import { parentPort } from 'node:worker_threads';
import { g1Generator } from '../src/bls/group.js';
import { hexToBytes } from '../src/bytes.js';
import { finalizeParticipant, processRound1, startRound1 } from '../src/dkg/index.js';

g1Generator();

interface Job {
  readonly id: number;
  readonly op: 'round1' | 'round2' | 'finalize';
  readonly key: string;
  readonly args: readonly unknown[];
}

parentPort!.on('message', (job: Job) => {
  const key = hexToBytes(job.key, 'key');
  let result: unknown;
  if (job.op === 'round1') result = startRound1(job.args[0], key);
  else if (job.op === 'round2') result = processRound1(job.args[0], key, job.args[1]);
  else {
    const r = finalizeParticipant(job.args[0], job.args[1], job.args[2]);
    result = { ok: r.ok };
  }
  parentPort!.postMessage({ id: job.id, result });
});
parentPort!.postMessage('ready');
