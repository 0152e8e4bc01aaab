/**
 * Issue 12 as attacks (each reproduces a problem of the issue and shows it fails now): stale state answering again,
 * retry on the same definition, double deal, accusation flood, dropped complaint. The key-rebuild attempts (the
 * coordinator plus a colluder using everything public) are in leak-paths.test.ts and leak.prop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Fr, R as ORDER } from '../../src/bls/field.js';
import { hex } from '../../src/dkg/codec.js';
import {
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  enroll,
  generateHostSecretKey,
  hostPublicKey,
  participantVerdict,
  processRound1,
  startRound1,
  verifyAbortReport,
  verifyEvidence,
  type CeremonyDefinitionJson,
  type ComplaintJson,
} from '../../src/dkg/index.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { pointOutsideG1 } from '../../src/dkg/adversary.js';
import { decodeG1Uncompressed, encodeG1UncompressedBatch } from '../../src/dkg/points.js';
import { parseCollected } from '../../src/dkg/messages.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { openBundle } from '../../src/dkg/shares.js';
import { deriveEncryptionSecret } from '../../src/dkg/encryption.js';
import { isDvkeysError } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';

type Rng = (n: number) => Uint8Array;

function ceremony(seed: string, V = 1, n = 3, t = 2): { keys: Uint8Array[]; definition: CeremonyDefinitionJson; rng: Rng } {
  const rng = insecureTestRng(seed);
  const keys = Array.from({ length: n }, () => generateHostSecretKey(rng));
  const draft = createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: t,
    operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
    validators: Array.from({ length: V }, () => ({ withdrawalCredentials: `0x01${'00'.repeat(11)}${'11'.repeat(20)}`, amounts: ['32000000000'] })),
    rng,
  });
  return { keys, definition: defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng }))), rng };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isDvkeysError(e) ? e.code : String(e);
  }
  return undefined;
}

/** Dealer 2 deals participant 1 a wrong share of every validator. */
const badShares = { share: (j: number, _v: number, s: bigint) => (j === 1 ? Fr.add(s, 1n) : s) };

describe('stale state answering again', () => {
  it('a round-1 state shown its own later (answered) state refuses a second answer (DKG_REPLAY), before any secret is used', () => {
    const { keys, definition, rng } = ceremony('attack/stale');
    const r1 = keys.map((k) => startRound1(definition, k, { rng }));
    const c = collectRound1(definition, r1.map((r) => r.message));
    if (!c.ok) throw new Error('collect');
    const ack = processRound1(r1[0]!.state, keys[0]!, c.message, { rng });
    expect(ack.ok).toBe(true);
    expect(codeOf(() => processRound1(r1[0]!.state, keys[0]!, c.message, { rng, laterStates: [ack.state] }))).toBe('DKG_REPLAY');
    // the answered state itself refuses too
    expect(codeOf(() => processRound1(ack.state, keys[0]!, c.message, { rng }))).toBe('DKG_WRONG_ROUND');
  });
});

describe('retry on the same definition', () => {
  it('after a complaint abort every honest participant refuses to deal again on that definition; a new draft deals', () => {
    const { keys, definition, rng } = ceremony('attack/retry');
    const first = keys.map((k, i) => startRound1WithHooks(definition, k, { rng }, i === 1 ? badShares : {}));
    const c = collectRound1(definition, first.map((r) => r.message));
    if (!c.ok) throw new Error('collect');
    const answers = first.map((r, i) => processRound1(r.state, keys[i]!, c.message, { rng }));
    expect(answers.map((a) => a.ok)).toEqual([false, true, true]);
    const abort = collectRound2(definition, c.message, answers.map((a) => a.message), { rng });
    expect(abort.ok).toBe(false);
    for (const [i, k] of keys.entries()) {
      const states = [first[i]!.state, answers[i]!.state];
      expect(codeOf(() => startRound1(definition, k, { rng, priorStates: states })), `participant ${i + 1}`).toBe('DKG_ALREADY_DONE');
    }
    const fresh = ceremony('attack/retry-new-draft');
    expect(() => startRound1(fresh.definition, fresh.keys[0]!, { rng, priorStates: [first[0]!.state, answers[0]!.state] })).not.toThrow();
  });
});

describe('double deal', () => {
  it('a second deal with new randomness is refused; the same randomness (a restart) re-sends the byte-identical message', () => {
    const { keys, definition, rng } = ceremony('attack/double-deal');
    const random = rng(32);
    const a = startRound1(definition, keys[0]!, { random });
    const again = startRound1(definition, keys[0]!, { random, priorStates: [a.state] });
    expect(again.message).toEqual(a.message);
    expect(codeOf(() => startRound1(definition, keys[0]!, { rng, priorStates: [a.state] }))).toBe('DKG_ALREADY_DONE');
    // without the prior state (a lost state file): the second deal exists, and processRound1 of either deal refuses
    // when shown the other; and no AEAD key or nonce is shared between the two deals
    const b = startRound1(definition, keys[0]!, { rng });
    expect(b.message.salt).not.toBe(a.message.salt);
    expect(b.message.ephemeralKey).not.toBe(a.message.ephemeralKey);
    const others = keys.slice(1).map((k) => startRound1(definition, k, { rng }));
    const cb = collectRound1(definition, [b.message, ...others.map((o) => o.message)]);
    if (!cb.ok) throw new Error('collect');
    expect(codeOf(() => processRound1(b.state, keys[0]!, cb.message, { rng, laterStates: [a.state] }))).toBe('DKG_REPLAY');
    // ct1 ⊕ ct2 is not pt1 ⊕ pt2: each deal's ciphertext to participant 2 opens under its own key only
    const def = parseDefinition(definition);
    const ma = parseCollected({ ...cb.message, round1: [a.message, ...cb.message.round1.slice(1)] }, def).round1[0]!;
    const mb = parseCollected(cb.message, def).round1[0]!;
    const d2 = deriveEncryptionSecret(keys[1]!, def.attemptNonce, def.participants[1]!.salt);
    expect(openBundle(def, ma, 2, d2).ok).toBe(true);
    expect(openBundle(def, mb, 2, d2).ok).toBe(true);
    expect(openBundle(def, { ...mb, ciphertexts: ma.ciphertexts }, 2, d2).ok).toBe(false);
  });
});

describe('accusation flood', () => {
  function complainAbout(definition: CeremonyDefinitionJson, keys: Uint8Array[], rng: Rng, hooks: Parameters<typeof startRound1WithHooks>[3]): { complaint: ComplaintJson; collected: unknown; localBlames: number } {
    const r1 = keys.map((k, i) => startRound1WithHooks(definition, k, { rng }, i === 1 ? hooks : {}));
    const c = collectRound1(definition, r1.map((r) => r.message));
    if (!c.ok) throw new Error('collect');
    const res = processRound1(r1[0]!.state, keys[0]!, c.message, { rng });
    if (res.ok || res.message === undefined) throw new Error('expected a complaint');
    return { complaint: res.message, collected: c.message, localBlames: res.verdict.blames.length };
  }

  it('V = 300 with one bad dealer: one accusation, and every verifier names exactly that dealer', () => {
    const { keys, definition, rng } = ceremony('attack/flood-300', 300);
    const { complaint, collected, localBlames } = complainAbout(definition, keys, rng, badShares);
    expect(localBlames).toBe(300); // what version 1 put into the complaint: above the old cap of 256
    expect(complaint.accusations).toHaveLength(1);
    expect(complaint.accusations[0]).toMatchObject({ accused: 2, fault: 'invalid-share', validator: 1 });
    const blames = verifyEvidence(definition, { kind: 'complaint', complaint }, { collected, rng });
    expect(blames.map((b) => [b.culprit, b.fault])).toEqual([['2', 'invalid-share']]);
    const abort = collectRound2(definition, collected, [complaint], { rng });
    if (abort.ok) throw new Error('expected an abort');
    expect(verifyAbortReport(definition, abort.abort, { rng }).culprits).toEqual(['2']);
  }, 120_000);

  it('torsion commitments with V·t = 390 > 256 (260 of them outside G1): one accusation naming exactly that dealer', () => {
    const { keys, definition, rng } = ceremony('attack/flood-torsion', 130, 3, 3);
    // a pure torsion point T = r·P (P outside G1) added to every commitment but C_0 (which the proof binds)
    const p = decodeG1Uncompressed(pointOutsideG1(), 'p');
    const torsion = p.multiplyUnsafe(ORDER - 1n).add(p);
    const hooks = { validator: (_v: number, d: { commitments: Uint8Array[]; proof: { r: Uint8Array; z: Uint8Array } }) => ({ ...d, commitments: [d.commitments[0]!, ...encodeG1UncompressedBatch(d.commitments.slice(1).map((c) => decodeG1Uncompressed(c, 'c').add(torsion)))] }) };
    const { complaint, collected, localBlames } = complainAbout(definition, keys, rng, hooks as never);
    expect(localBlames, JSON.stringify(complaint.accusations)).toBe(260);
    expect(complaint.accusations).toEqual([{ accused: 2, fault: 'commitment-not-in-subgroup', validator: 1, coefficient: 1 }]);
    const blames = verifyEvidence(definition, { kind: 'complaint', complaint }, { collected, rng });
    expect(blames.map((b) => [b.culprit, b.fault])).toEqual([['2', 'commitment-not-in-subgroup']]);
  }, 120_000);
});

describe('dropped complaint', () => {
  it("an honest complainer whose complaint the coordinator leaves out names the dealer and suspects the coordinator, never itself; its own report verifies", () => {
    const { keys, definition, rng } = ceremony('attack/dropped');
    const r1 = keys.map((k, i) => startRound1WithHooks(definition, k, { rng }, i === 1 ? badShares : {}));
    const c = collectRound1(definition, r1.map((r) => r.message));
    if (!c.ok) throw new Error('collect');
    const answers = r1.map((r, i) => processRound1(r.state, keys[i]!, c.message, { rng }));
    const own = answers[0]!;
    if (own.ok || own.message === undefined) throw new Error('expected a complaint');
    // the coordinator drops the complaint: its report says participant 1 sent nothing
    const dropped = collectRound2(definition, c.message, [undefined, answers[1]!.message, answers[2]!.message], { rng });
    if (dropped.ok) throw new Error('expected an abort');
    expect(verifyAbortReport(definition, dropped.abort, { rng }).suspects).toEqual(['1']); // what everyone else sees
    const verdict = participantVerdict(definition, { complaint: own.message, collected: c.message }, dropped.abort, { rng });
    expect(verdict.culprits).toEqual(['2']);
    expect(verdict.suspects).toEqual(['coordinator']);
    expect([...verdict.culprits, ...verdict.suspects]).not.toContain('1');
    // no report at all: the same
    expect(participantVerdict(definition, { complaint: own.message, collected: c.message }, undefined, { rng })).toMatchObject({ culprits: ['2'], suspects: ['coordinator'] });
    // a coordinator that relays the complaint is not suspected
    const relayed = collectRound2(definition, c.message, answers.map((a) => a.message), { rng });
    if (relayed.ok) throw new Error('expected an abort');
    expect(participantVerdict(definition, { complaint: own.message, collected: c.message }, relayed.abort, { rng })).toMatchObject({ culprits: ['2'], suspects: [] });
    // the complainer's own abort report (what `dkg round2 --abort-out` writes) is accepted by verify-evidence
    const mine = { format: 'dvkeys/dkg-abort', version: 1, ceremonyId: c.message.ceremonyId, stage: 'round1', collected: c.message, evidence: own.evidence };
    const checked = verifyAbortReport(definition, mine, { rng });
    expect(checked.culprits).toEqual(['2']);
    expect(checked.blames.filter((b) => b.fault === 'invalid-evidence')).toEqual([]);
  });
});
