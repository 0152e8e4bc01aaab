/**
 * The worked examples of docs/formats/dkg-messages.md are generated here from a tiny deterministic ceremony
 * (n = 2, t = 2, V = 1, insecureTestRng): each fenced block tagged `json dkg-example:<name>` must equal what the code
 * produces today, so the document cannot drift from the encoding. Regenerate with
 * `DVKEYS_UPDATE_DOCS=1 npx vitest run test/dkg/docs.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hex } from '../../src/dkg/codec.js';
import { Fr } from '../../src/bls/field.js';
import {
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  enroll,
  finalizeParticipant,
  generateHostSecretKey,
  hostPublicKey,
  processRound1,
  sealState,
  collectReady,
  signReady,
  startRound1,
  verifyAbortReport,
} from '../../src/dkg/index.js';
import { dkgReadyExpectation } from '../../src/ceremony/dkg-output.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { insecureTestRng } from '../helpers/rng.js';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats', 'dkg-messages.md');

function examples(): Record<string, unknown> {
  const rng = insecureTestRng('docs');
  const keys = [generateHostSecretKey(rng), generateHostSecretKey(rng)];
  const draft = createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: 2,
    operators: keys.map((k, i) => ({ hostPublicKey: hex(hostPublicKey(k)), name: `operator-${i + 1}` })),
    validators: [{ withdrawalCredentials: `0x01${'00'.repeat(11)}${'aa'.repeat(20)}`, amounts: ['32000000000'] }],
    rng,
  });
  const enrollments = keys.map((k) => enroll(draft, k, { rng }));
  const definition = defineCeremony(draft, enrollments);
  const r1 = keys.map((k) => startRound1(definition, k, { random: rng(32) }));
  const c1 = collectRound1(definition, r1.map((r) => r.message));
  if (!c1.ok) throw new Error('collect');
  const r2 = keys.map((k, i) => processRound1(r1[i]!.state, k, c1.message, { rng }));
  const acks = r2.map((r) => (r.ok ? r.message : undefined));
  const c2 = collectRound2(definition, c1.message, acks, { rng });
  if (!c2.ok) throw new Error('collect 2');
  const fin = finalizeParticipant(r2[0]!.state, c1.message, c2.message, { rng });
  if (!fin.ok) throw new Error('finalize');
  // an abort: participant 2 deals participant 1 a share that fails the Feldman check
  const bad = keys.map((k, i) =>
    startRound1WithHooks(definition, k, { random: rng(32) }, i === 1 ? { share: (j, _v, s) => (j === 1 ? Fr.add(s, 1n) : s) } : {}),
  );
  const bc1 = collectRound1(definition, bad.map((r) => r.message));
  if (!bc1.ok) throw new Error('collect bad');
  const complaint = processRound1(bad[0]!.state, keys[0]!, bc1.message, { rng });
  if (complaint.ok || complaint.message === undefined) throw new Error('expected a complaint');
  const ack2 = processRound1(bad[1]!.state, keys[1]!, bc1.message, { rng });
  const abort = collectRound2(definition, bc1.message, [complaint.message, ack2.ok ? ack2.message : undefined], { rng });
  if (abort.ok) throw new Error('expected an abort');
  const verdict = verifyAbortReport(definition, abort.abort, { rng });
  const sealed = sealState(r2[0]!.state, keys[0]!, rng);
  // round 3 of the successful ceremony (last, so that the examples above keep their randomness)
  const want = dkgReadyExpectation({ format: 'dvkeys/dkg-recovery', version: 1, definition, collected: c1.message, final: c2.message });
  const readies = keys.map((k) => signReady(definition, k, want.claim, rng));
  const certificate = collectReady(definition, want.claim, readies);
  if (!certificate.ok) throw new Error('collect ready');
  return {
    draft,
    enrollment: enrollments[0],
    definition,
    round1: r1[0]!.message,
    'state-round1': r1[0]!.state,
    ack: acks[0],
    'state-round2': r2[0]!.state,
    'sealed-state': sealed,
    final: c2.message,
    complaint: complaint.message,
    abort: abort.abort,
    verdict: { culprits: verdict.culprits, suspects: verdict.suspects, blames: verdict.blames },
    ready: readies[0],
    'deposit-certificate': certificate.certificate,
  };
}

const BLOCK = /```json dkg-example:([a-z0-9-]+)\n([\s\S]*?)```/g;

describe('docs/formats/dkg-messages.md', () => {
  it('every worked example is what the code produces', () => {
    const generated = examples();
    let text = readFileSync(DOC, 'utf8');
    if (process.env['DVKEYS_UPDATE_DOCS'] === '1') {
      text = text.replace(BLOCK, (_, name: string) => `\`\`\`json dkg-example:${name}\n${JSON.stringify(generated[name], null, 2)}\n\`\`\``);
      writeFileSync(DOC, text);
    }
    const found = new Set<string>();
    for (const m of text.matchAll(BLOCK)) {
      const name = m[1]!;
      found.add(name);
      expect(generated, `unknown example ${name}`).toHaveProperty(name);
      expect(JSON.parse(m[2]!), `example ${name}`).toEqual(JSON.parse(JSON.stringify(generated[name])));
    }
    expect([...found].sort()).toEqual(Object.keys(generated).sort());
  });
});
