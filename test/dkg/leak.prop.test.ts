/**
 * Issue 12 property: from the whole public transcript of a ceremony (every round-1 message, collected round 1, Ack,
 * complaint, abort report, verdict, evidence and state any participant returns) no ciphertext from an honest dealer
 * decrypts, whatever the faulty dealers do, and also when honest participants answer a second collected round 1
 * from a stale state. The attacker tries every harvested 32-byte string as a recipient's or an ephemeral secret and
 * every 33-byte string (and simple multiples) as an ECDH point, on every ciphertext (attacker.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { hex } from '../../src/dkg/codec.js';
import {
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  enroll,
  generateHostSecretKey,
  hostPublicKey,
  processRound1,
} from '../../src/dkg/index.js';
import type { DealHooks } from '../../src/dkg/deal.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { parseCollected } from '../../src/dkg/messages.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { insecureTestRng } from '../helpers/rng.js';
import { harvest, openers } from './attacker.js';

type Fault = 'wrong-share' | 'undecryptable' | 'bad-proof';

function hooksOf(fault: Fault, victims: readonly number[]): DealHooks {
  switch (fault) {
    case 'wrong-share':
      return { share: (j, _v, s) => (victims.includes(j) ? Fr.add(s, 1n) : s) };
    case 'undecryptable':
      return { ciphertext: (j, ct) => (victims.includes(j) ? Uint8Array.from(ct, (b, k) => (k === 0 ? b ^ 1 : b)) : ct) };
    case 'bad-proof':
      return { validator: (_v, d) => ({ ...d, proof: { ...d.proof, z: Uint8Array.from(d.proof.z, (b, k) => (k === 31 ? b ^ 1 : b)) } }) };
  }
}

const scenario = fc.record({
  n: fc.integer({ min: 3, max: 4 }),
  seed: fc.string({ minLength: 1, maxLength: 8 }),
  bad: fc.uniqueArray(fc.record({ dealer: fc.integer({ min: 1, max: 4 }), fault: fc.constantFrom<Fault>('wrong-share', 'undecryptable', 'bad-proof'), victims: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2, selector: (b) => b.dealer }),
  stale: fc.boolean(),
});

describe('issue 12: nothing public opens an honest dealer’s ciphertext', () => {
  it('property: transcript + complaints + abort reports + states + verdicts open no ciphertext of an honest dealer', () => {
    fc.assert(
      fc.property(scenario, ({ n, seed, bad, stale }) => {
        const rng = insecureTestRng(`leak-prop/${seed}`);
        const keys = Array.from({ length: n }, () => generateHostSecretKey(rng));
        const draft = createDraft({
          network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
          threshold: n - 1,
          operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
          validators: [{ withdrawalCredentials: `0x01${'00'.repeat(11)}${'11'.repeat(20)}`, amounts: ['32000000000'] }],
          rng,
        });
        const definition = defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng })));
        const faulty = bad.filter((b) => b.dealer <= n);
        const isBad = (i: number): boolean => faulty.some((b) => b.dealer === i);
        const seen: unknown[] = [definition];
        const transcripts: unknown[] = [];
        const attempt = (): { states: unknown[]; collected: unknown } => {
          const r1 = keys.map((k, i) => {
            const f = faulty.find((b) => b.dealer === i + 1);
            return startRound1WithHooks(definition, k, { rng }, f === undefined ? {} : hooksOf(f.fault, f.victims));
          });
          seen.push(...r1.map((r) => r.message), ...r1.map((r) => r.state));
          const c = collectRound1(definition, r1.map((r) => r.message));
          if (!c.ok) throw new Error('collect');
          seen.push(c.message);
          transcripts.push(c.message);
          return { states: r1.map((r) => r.state), collected: c.message };
        };
        const first = attempt();
        const answer = (states: unknown[], collected: unknown): void => {
          const answers = states.map((s, i) => processRound1(s, keys[i]!, collected, { rng }));
          for (const a of answers) seen.push(a.state, a.message, ...(a.ok ? [] : [a.verdict, a.evidence]));
          const r = collectRound2(definition, collected, answers.map((a) => a.message), { rng });
          seen.push(r.ok ? r.message : r.abort);
        };
        answer(first.states, first.collected);
        if (stale) {
          // every honest operator answers again from its stale round-1 state, on a second collected round 1 in which
          // the faulty dealers dealt again (the other messages are the first ones)
          const again = attempt();
          const c1 = first.collected as { round1: unknown[] };
          const mixed = { ...(again.collected as object), round1: (again.collected as { round1: unknown[] }).round1.map((m, i) => (isBad(i + 1) ? m : c1.round1[i])) };
          answer(first.states, mixed);
          transcripts.push(mixed);
        }
        const h = harvest(seen);
        const def = parseDefinition(definition);
        for (const t of transcripts) {
          for (const m of parseCollected(t, def).round1) {
            if (isBad(m.index)) continue;
            for (let r = 1; r <= n; r++) {
              for (const o of openers) expect(o(def, m, r, h), `ct ${m.index}→${r} opened`).toBeUndefined();
            }
          }
        }
        // the harvest is not empty: complaints revealed points, which open a wrong-share dealer's own ciphertexts. A
        // bad proof is a public round-1 fault: round 2 then blames that dealer and nobody complains (CI seed 546306284,
        // bad-proof by 3 with wrong-share by 2, had no complaint to harvest), so only then is the harvest empty.
        const opened = !faulty.some((b) => b.fault === 'bad-proof') && faulty.some((b) => b.fault === 'wrong-share' && b.victims.some((v) => v <= n && v !== b.dealer && !isBad(v)));
        if (opened) {
          const anyBadOpened = parseCollected(first.collected, def).round1.some((m) => isBad(m.index) && [...Array(n).keys()].some((r) => openers.some((o) => o(def, m, r + 1, h) !== undefined)));
          expect(anyBadOpened).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  }, 300_000);
});
