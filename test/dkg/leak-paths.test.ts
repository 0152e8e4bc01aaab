/**
 * Issue 12, leak paths: the coordinator plus one colluding dealer try to rebuild the key of a 2-of-3 ceremony that
 * reported success, from everything the coordinator sees. Reproduced on the library API as the issue describes them:
 * 1. stale state: after success, operator 1 answers round 2 again from a backed-up round-1 state, on a collected
 *    round 1 in which the colluding dealer 2 signed a second message with a bad share for operator 1;
 * 2. retry: after an abort with a complaint, every operator deals again on the same definition.
 * Each must leave the attacker unable to open any ciphertext from an honest dealer, so the rebuilt key is not the
 * validator key.
 */
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { decodeScalar } from '../../src/bls/field.js';
import { hex } from '../../src/dkg/codec.js';
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
  startRound1,
  type CeremonyDefinitionJson,
  type ParticipantOutput,
} from '../../src/dkg/index.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { insecureTestRng } from '../helpers/rng.js';
import { deriveEncryptionSecret } from '../../src/dkg/encryption.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { attack, openers } from './attacker.js';

type Rng = (n: number) => Uint8Array;

function ceremony(seed: string): { keys: Uint8Array[]; definition: CeremonyDefinitionJson; rng: Rng } {
  const rng = insecureTestRng(seed);
  const keys = Array.from({ length: 3 }, () => generateHostSecretKey(rng));
  const draft = createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: 2,
    operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
    validators: [{ withdrawalCredentials: `0x01${'00'.repeat(11)}${'11'.repeat(20)}`, amounts: ['32000000000'] }],
    rng,
  });
  return { keys, definition: defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng }))), rng };
}

/** Runs rounds 1-3 honestly; returns everything the coordinator saw, the outputs and each round-1 state. */
function succeed(definition: CeremonyDefinitionJson, keys: Uint8Array[], rng: Rng) {
  const seen: unknown[] = [];
  const r1 = keys.map((k) => startRound1(definition, k, { rng }));
  seen.push(...r1.map((r) => r.message));
  const c1 = collectRound1(definition, r1.map((r) => r.message));
  if (!c1.ok) throw new Error('collect1');
  seen.push(c1.message);
  const r2 = r1.map((r, i) => processRound1(r.state, keys[i]!, c1.message, { rng }));
  const acks = r2.map((r) => (r.ok ? r.message : undefined));
  seen.push(...acks);
  const c2 = collectRound2(definition, c1.message, acks, { rng });
  if (!c2.ok) throw new Error('collect2');
  seen.push(c2.message);
  const outputs = r2.map((r) => {
    const f = finalizeParticipant(r.state, c1.message, c2.message, { rng });
    if (!f.ok) throw new Error('finalize');
    seen.push(f.recovery);
    return f.output;
  });
  return { seen, outputs, round1States: r1.map((r) => r.state), collected: c1.message };
}

function sharesOf(o: ParticipantOutput): bigint[] {
  return o.validators.map((v) => decodeScalar(v.share.secret, 'share'));
}

describe('issue 12 leak paths (coordinator + dealer 2 of a 2-of-3 ceremony)', () => {
  it('stale state: a backed-up round-1 state answering round 2 again after success does not let them rebuild the key', () => {
    const { keys, definition, rng } = ceremony('leak/stale');
    const ok = succeed(definition, keys, rng);
    // dealer 2 signs a second round-1 message with a bad share for operator 1; the coordinator relays it to 1 only
    const evil = startRound1WithHooks(definition, keys[1]!, { rng }, { share: (j, _v, s) => (j === 1 ? Fr.add(s, 1n) : s) });
    const honest1 = ok.collected.round1[0]!;
    const honest3 = ok.collected.round1[2]!;
    const c = collectRound1(definition, [honest1, evil.message, honest3]);
    if (!c.ok) throw new Error('collect evil');
    const stale = processRound1(ok.round1States[0], keys[0]!, c.message, { rng });
    expect(stale.ok).toBe(false); // operator 1 complains about dealer 2, as it must
    const seen = [...ok.seen, stale.message, stale.state, ...(stale.ok ? [] : [stale.verdict, ...stale.evidence])];
    const a = attack(definition, ok.collected, seen, new Map([[2, sharesOf(ok.outputs[1]!)]]), ok.outputs[0]!.validators.map((v) => v.pubkey), openers);
    // only dealer 2's own ciphertext to 1 may open (dealer 2 wrote it); nothing from honest dealers 1 and 3
    expect(a.rebuilt).toEqual([false]);
    expect(a.opened.filter(([dealer]) => dealer !== 2)).toEqual([]);
  });

  it('retry: a second round 1 on the same definition after a complaint abort does not let them rebuild the key', () => {
    const { keys, definition, rng } = ceremony('leak/retry');
    // attempt 1: dealer 2 deals operator 1 a bad share; operator 1 complains; the ceremony aborts
    const bad = startRound1WithHooks(definition, keys[1]!, { rng }, { share: (j, _v, s) => (j === 1 ? Fr.add(s, 1n) : s) });
    const first = [startRound1(definition, keys[0]!, { rng }), bad, startRound1(definition, keys[2]!, { rng })];
    const c = collectRound1(definition, first.map((r) => r.message));
    if (!c.ok) throw new Error('collect');
    const answers = first.map((r, i) => processRound1(r.state, keys[i]!, c.message, { rng }));
    expect(answers[0]!.ok).toBe(false);
    const abort = collectRound2(definition, c.message, answers.map((r) => r.message), { rng });
    expect(abort.ok).toBe(false);
    const seen: unknown[] = [c.message, ...answers.map((r) => r.message), ...answers.map((r) => r.state), abort.ok ? undefined : abort.abort];
    // the "retry" on the same definition (here without any journal: the worst case, a restored machine)
    const ok = succeed(definition, keys, rng);
    const a = attack(definition, ok.collected, [...seen, ...ok.seen], new Map([[2, sharesOf(ok.outputs[1]!)]]), ok.outputs[0]!.validators.map((v) => v.pubkey), openers);
    expect(a.rebuilt).toEqual([false]);
    expect(a.opened.filter(([dealer]) => dealer !== 2)).toEqual([]);
  });

  it('the attacker is able: given d_1 (what a version-1 complaint revealed) it opens every share to 1 and rebuilds the key', () => {
    const { keys, definition, rng } = ceremony('leak/oracle');
    const ok = succeed(definition, keys, rng);
    const def = parseDefinition(definition);
    const d1 = deriveEncryptionSecret(keys[0]!, def.attemptNonce, def.participants[0]!.salt);
    const a = attack(definition, ok.collected, [...ok.seen, hex(d1)], new Map([[2, sharesOf(ok.outputs[1]!)]]), ok.outputs[0]!.validators.map((v) => v.pubkey), openers);
    expect(a.opened.filter(([, r]) => r === 1).map(([d]) => d)).toEqual([1, 2, 3]);
    expect(a.rebuilt).toEqual([true]);
  });

  it("a dealer that presents another dealer's ephemeral key is malformed-round1: the complaint reveals no ECDH point", () => {
    const { keys, definition, rng } = ceremony('leak/copied-ephemeral');
    const honest3 = startRound1(definition, keys[2]!, { rng });
    const E3 = honest3.message.ephemeralKey.slice(2);
    const proof3 = honest3.message.ephemeralProof.slice(2);
    const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
    const copied = startRound1WithHooks(definition, keys[1]!, { rng }, { content: (c) => ({ ...c, ephemeralKey: fromHex(E3), ephemeralProof: fromHex(proof3) }) });
    const one = startRound1(definition, keys[0]!, { rng });
    const c = collectRound1(definition, [one.message, copied.message, honest3.message]);
    if (!c.ok) throw new Error('collect');
    const r = processRound1(one.state, keys[0]!, c.message, { rng });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.verdict.culprits).toEqual(['2']);
    expect(r.message?.accusations).toEqual([{ accused: 2, fault: 'malformed-round1' }]);
  });
});
