/**
 * Reproductions of the DKG review findings (docs/audits/internal-review.md "## DKG review", D1-D4, D6), adapted from
 * the reviewer's scripts: each attack must now fail. Decisions 0410-0414.
 */
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { G1, g1Generator } from '../../src/bls/group.js';
import { hex } from '../../src/dkg/codec.js';
import { dealerCoefficients, dealerSeed } from '../../src/dkg/deal.js';
import {
  collectRound1,
  createDraft,
  defineCeremony,
  enroll,
  generateHostSecretKey,
  hostPublicKey,
  parseDefinition,
  processRound1,
  startRound1,
  verdictFromEvidence,
  verifyAbortReport,
  verifyEvidence,
  type CeremonyDefinitionJson,
  type CollectedJson,
  type ComplaintJson,
  type EvidenceJson,
  type ParticipantStateJson,
} from '../../src/dkg/index.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { decodeG1Uncompressed, encodeG1UncompressedBatch } from '../../src/dkg/points.js';
import { evaluateCommitments, publicOutputs } from '../../src/dkg/verify.js';
import { isDvkeysError } from '../../src/errors.js';
import { parseCollected, parseRound1 } from '../../src/dkg/messages.js';
import { dkgMessageCap } from '../../src/cli/commands/dkg-files.js';
import { insecureTestRng } from '../helpers/rng.js';

type Rng = (n: number) => Uint8Array;

function ceremony(n: number, t: number, seed: string): { keys: Uint8Array[]; definition: CeremonyDefinitionJson; randoms: Uint8Array[]; rng: Rng } {
  const rng = insecureTestRng(seed);
  const keys = Array.from({ length: n }, () => generateHostSecretKey(rng));
  const draft = createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: t,
    operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
    validators: [{ withdrawalCredentials: `0x01${'00'.repeat(11)}${'11'.repeat(20)}`, amounts: ['32000000000'] }],
    rng,
  });
  const definition = defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng })));
  return { keys, definition, randoms: keys.map(() => rng(32)), rng };
}

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (e) {
    return isDvkeysError(e) ? e.code : `untyped ${(e as Error).constructor.name}`;
  }
}

/**
 * r1.ts: n = 4, t = 3; participant 4 deals participant 1 a bad share in transcript A, and signs an honest variant too
 * (transcript B, same seed).
 */
function r1Setup(): {
  definition: CeremonyDefinitionJson;
  keys: Uint8Array[];
  rng: Rng;
  states: ParticipantStateJson[];
  cA: CollectedJson;
  cB: CollectedJson;
  complaint: ComplaintJson;
} {
  const { keys, definition, randoms, rng } = ceremony(4, 3, 'review/r1');
  const honest = keys.map((k, i) => startRound1(definition, k, { random: randoms[i]! }));
  const badA = startRound1WithHooks(definition, keys[3]!, { random: randoms[3]! }, { share: (j, _v, s) => (j === 1 ? Fr.add(s, 1n) : s) });
  const cA = collectRound1(definition, [honest[0]!.message, honest[1]!.message, honest[2]!.message, badA.message]);
  const cB = collectRound1(definition, honest.map((h) => h.message));
  if (!cA.ok || !cB.ok) throw new Error('collect');
  const p1 = processRound1(honest[0]!.state, keys[0]!, cA.message, { rng });
  if (p1.ok || p1.message === undefined) throw new Error('expected a complaint');
  return { definition, keys, rng, states: honest.map((h) => h.state), cA: cA.message, cB: cB.message, complaint: p1.message };
}

const EMPTY = (): CollectedJson => ({ format: 'dvkeys/dkg-collected', version: 1, ceremonyId: `0x${'00'.repeat(32)}`, round1: [] });

describe('D1: an honest complainer is never convicted', () => {
  const s = r1Setup();
  const evidence: EvidenceJson = { kind: 'complaint', complaint: s.complaint };

  it('the complaint signs the transcript hash it was made on, and is upheld against that collected round 1', () => {
    expect(s.complaint.transcriptHash).toMatch(/^0x[0-9a-f]{64}$/);
    const blames = verifyEvidence(s.definition, evidence, { collected: s.cA, rng: s.rng });
    expect(blames.map((b) => `${b.culprit}:${b.fault}:${b.certainty}`)).toEqual(['4:invalid-share:proof']);
  });

  it('against an empty collected round 1 the evidence is invalid (it used to convict participant 1)', () => {
    expect(codeOf(() => verifyEvidence(s.definition, evidence, { collected: EMPTY(), rng: s.rng }))).toBe('DKG_EVIDENCE_INVALID');
  });

  it("against a collected round 1 holding the accused's other, honestly signed message the evidence is invalid", () => {
    expect(codeOf(() => verifyEvidence(s.definition, evidence, { collected: s.cB, rng: s.rng }))).toBe('DKG_EVIDENCE_INVALID');
  });

  it('a coordinator that reports the complaint with an empty collected round 1 convicts nobody; it is the suspect', () => {
    const def = parseDefinition(s.definition);
    const report = { format: 'dvkeys/dkg-abort', version: 1, ceremonyId: def.idHex, stage: 'round2', collected: EMPTY(), evidence: [evidence] };
    const verdict = verifyAbortReport(s.definition, report, { rng: s.rng });
    expect(verdict.culprits).toEqual([]);
    expect(verdict.suspects).toEqual(['coordinator']);
  });

  it('a pool with the real and the substituted contexts convicts only the accused', () => {
    const pool = [
      { evidence, collected: s.cA },
      { evidence, collected: EMPTY() },
      { evidence, collected: s.cB },
    ];
    expect(verdictFromEvidence(s.definition, pool, { rng: s.rng }).culprits).toEqual(['4']);
  });
});

describe('D2: one answer per operator and attempt', () => {
  it('after an Ack, the round-1 state never yields a complaint revealing the encryption secret (laterStates)', () => {
    const s = r1Setup();
    const ack = processRound1(s.states[0], s.keys[0]!, s.cB, { rng: s.rng });
    expect(ack.ok).toBe(true);
    expect(ack.state.transcriptHash).toBeDefined();
    let leaked: unknown;
    const code = codeOf(() => {
      leaked = processRound1(s.states[0], s.keys[0]!, s.cA, { rng: s.rng, laterStates: [ack.state] });
    });
    expect(code).toBe('DKG_REPLAY');
    expect(leaked).toBeUndefined();
  });

  it('after a complaint, the round-1 state never yields an Ack (the aborted state keeps the answered transcript)', () => {
    const s = r1Setup();
    const complained = processRound1(s.states[0], s.keys[0]!, s.cA, { rng: s.rng });
    expect(complained.ok).toBe(false);
    expect(complained.state.step).toBe('aborted');
    expect(complained.state.transcriptHash).toBe(s.complaint.transcriptHash);
    expect(codeOf(() => processRound1(s.states[0], s.keys[0]!, s.cB, { rng: s.rng, laterStates: [complained.state] }))).toBe('DKG_REPLAY');
  });

  it('a later state that answered nothing (a bad relay) does not block, and states of other participants are ignored', () => {
    const s = r1Setup();
    const bad = processRound1(s.states[0], s.keys[0]!, { ...s.cB, round1: s.cB.round1.slice(0, 3) }, { rng: s.rng });
    expect(bad.ok).toBe(false);
    expect(bad.state.transcriptHash).toBeUndefined();
    const other = processRound1(s.states[1], s.keys[1]!, s.cB, { rng: s.rng });
    const ok = processRound1(s.states[0], s.keys[0]!, s.cB, { rng: s.rng, laterStates: [bad.state, other.state] });
    expect(ok.ok).toBe(true);
  });
});

describe('D3: a public share at the identity is a typed, unattributable abort', () => {
  /** r3.ts: n = 7, t = 5, honest {1, 2, 3}; rushing dealer 7 makes Ĉ(7) = O with valid proofs and honest shares. */
  function crafted(): { definition: CeremonyDefinitionJson; keys: Uint8Array[]; rng: Rng; states: ParticipantStateJson[]; collected: CollectedJson } {
    const n = 7;
    const t = 5;
    const A = 7;
    const m = 7;
    const honestIdx = [1n, 2n, 3n];
    const { keys, definition, randoms, rng } = ceremony(n, t, 'review/r3');
    const def = parseDefinition(definition);
    const others = keys.slice(0, n - 1).map((k, i) => startRound1(definition, k, { random: randoms[i]! }));
    const S = others
      .map((o) => evaluateCommitments(o.message.validators[0]!.commitments.map((c) => decodeG1Uncompressed(Buffer.from(c.slice(2), 'hex'), 'c')), m))
      .reduce((a, b) => a.add(b));
    let L = [0n, 1n]; // L(x) = x·Π_h (x − h): L(0) = 0 and L(h) = 0 for every honest h
    for (const h of honestIdx) {
      const next = new Array<bigint>(L.length + 1).fill(0n);
      L.forEach((c, k) => {
        next[k + 1] = Fr.add(next[k + 1]!, c);
        next[k] = Fr.sub(next[k]!, Fr.mul(c, h));
      });
      L = next;
    }
    const g = dealerCoefficients(dealerSeed(keys[A - 1]!, randoms[A - 1]!, def.id), 1, t);
    const ev = (p: readonly bigint[], x: bigint): bigint => p.reduceRight((acc, c) => Fr.add(Fr.mul(acc, x), c), 0n);
    const X = S.add(g1Generator().multiply(ev(g, BigInt(m)))).negate().multiply(Fr.inv(ev(L, BigInt(m))));
    const bad = startRound1WithHooks(definition, keys[A - 1]!, { random: randoms[A - 1]! }, {
      validator: (_v, data) => ({
        ...data,
        commitments: encodeG1UncompressedBatch(g.map((gk, k) => g1Generator().multiply(gk).add(L[k] === 0n ? G1.ZERO : X.multiply(L[k]!)))),
      }),
    });
    const c1 = collectRound1(definition, [...others.map((o) => o.message), bad.message]);
    if (!c1.ok) throw new Error('collect');
    return { definition, keys, rng, states: others.map((o) => o.state), collected: c1.message };
  }

  it('every honest participant aborts with the same reason, no culprit and no exception (it used to throw RangeError)', () => {
    const c = crafted();
    const reasons = [1, 2, 3].map((i) => {
      const r = processRound1(c.states[i - 1], c.keys[i - 1]!, c.collected, { rng: c.rng });
      expect(r.ok).toBe(false);
      if (r.ok) return '';
      expect(r.message).toBeUndefined();
      expect(r.verdict.culprits).toEqual([]);
      expect(r.verdict.suspects).toEqual([]);
      expect(r.state.step).toBe('aborted');
      return r.verdict.reason!;
    });
    expect(reasons[0]).toContain('public share of participant 7 for validator 1 is the identity');
    expect(new Set(reasons).size).toBe(1);
  });

  it('publicOutputs on such sums throws a typed DKG_ABORTED error', () => {
    const def = parseDefinition(ceremony(4, 3, 'review/r3-small').definition);
    // Ĉ(x) = (x − 1)·G: Ĉ_0 = −G, Ĉ_1 = G, Ĉ_2 = O, so Ĉ(1) = O
    const sums = [[g1Generator().negate(), g1Generator(), G1.ZERO]];
    expect(codeOf(() => publicOutputs(def, sums))).toBe('DKG_ABORTED');
  });
});

describe('D4: unsigned relayed data never prove the coordinator guilty to a third party', () => {
  const s = r1Setup();
  const fake: EvidenceJson = { kind: 'coordinator', fault: 'invalid-relay-signature', detail: 'x', collected: EMPTY() };

  it('fabricated coordinator evidence makes the coordinator a suspect, not a culprit', () => {
    expect(verifyEvidence(s.definition, fake, { rng: s.rng }).map((b) => `${b.culprit}:${b.certainty}`)).toEqual(['coordinator:sender-or-coordinator']);
    const verdict = verdictFromEvidence(s.definition, [{ evidence: fake }], { rng: s.rng });
    expect(verdict.culprits).toEqual([]);
    expect(verdict.suspects).toEqual(['coordinator']);
  });

  it('an abort report carrying evidence that does not verify only makes its author a suspect', () => {
    const def = parseDefinition(s.definition);
    const report = { format: 'dvkeys/dkg-abort', version: 1, ceremonyId: def.idHex, stage: 'round2', evidence: [{ kind: 'equivocation', first: s.cB.round1[0], second: s.cB.round1[0] }] };
    const verdict = verifyAbortReport(s.definition, report, { rng: s.rng });
    expect(verdict.culprits).toEqual([]);
    expect(verdict.suspects).toEqual(['coordinator']);
  });

  it('the participant that received the bad relay itself still convicts the coordinator', () => {
    const r = processRound1(s.states[1], s.keys[1]!, { ...s.cB, round1: s.cB.round1.slice(0, 3) }, { rng: s.rng });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.verdict.culprits).toEqual(['coordinator']);
    const items = r.evidence.map((e) => ({ evidence: e, received: true }));
    expect(verdictFromEvidence(s.definition, items, { rng: s.rng }).culprits).toEqual(['coordinator']);
    expect(verdictFromEvidence(s.definition, items.map((i) => ({ evidence: i.evidence })), { rng: s.rng }).culprits).toEqual([]);
  });
});

describe('D6: parseDefinition never hands out shared byte arrays', () => {
  it('wiping the bytes of one parse changes nothing for the next', () => {
    const { definition } = ceremony(4, 3, 'review/d6');
    const a = parseDefinition(definition);
    const id = hex(a.id);
    const host = hex(a.participants[0]!.hostKey);
    a.id.fill(0);
    a.attemptNonce.fill(0);
    a.participants[0]!.hostKey.fill(0);
    a.participants[0]!.encKey.fill(0);
    a.validators[0]!.withdrawalCredentials.fill(0);
    const b = parseDefinition(definition);
    expect(hex(b.id)).toBe(id);
    expect(b.idHex).toBe(id);
    expect(hex(b.participants[0]!.hostKey)).toBe(host);
    expect(b.attemptNonce.some((x) => x !== 0)).toBe(true);
    expect(b.validators[0]!.withdrawalCredentials[0]).toBe(1);
    expect(b.json).toBe(a.json);
    expect(Object.isFrozen(b.json)).toBe(true);
  });
});

describe('D5: message sizes are bounded by the definition before decoding', () => {
  const s = r1Setup();
  const def = parseDefinition(s.definition);
  const m = s.cB.round1[1]!;

  it('a round-1 message two items above the shape is refused before any hex is decoded', () => {
    const v = m.validators[0]!;
    // the extra items are not even hex: only the counts can have refused them
    const junk = { commitments: ['junk'], proof: { r: 'junk', z: 'junk' } };
    expect(codeOf(() => parseRound1({ ...m, validators: [v, junk, junk] }, 'round1', def))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => parseRound1({ ...m, ciphertexts: [...m.ciphertexts, 'junk', 'junk'] }, 'round1', def))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => parseRound1({ ...m, validators: [{ ...v, commitments: [...v.commitments, 'junk', 'junk'] }] }, 'round1', def))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => parseRound1({ ...m, ciphertexts: m.ciphertexts.map((c) => `${c}${'00'.repeat(64)}`) }, 'round1', def))).toBe('DKG_INVALID_MESSAGE');
    expect(codeOf(() => parseCollected({ ...s.cB, round1: [...s.cB.round1, 'junk', 'junk'] }, def))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => parseCollected({ ...s.cB, round1: [{ ...m, validators: [v, junk, junk] }, 'junk'] }, def))).toBe('LIMIT_EXCEEDED');
  });

  it('one item too many still parses, so the content checks can convict its signer', () => {
    const v = m.validators[0]!;
    expect(parseRound1({ ...m, validators: [{ ...v, commitments: [...v.commitments, v.commitments[0]!] }] }, 'round1', def).validators[0]!.commitments).toHaveLength(def.t + 1);
    expect(parseCollected(s.cB, def).round1).toHaveLength(def.n);
  });

  it('the CLI cap derived from the definition holds a pretty-printed collected round 1 with room to spare', () => {
    const size = JSON.stringify(s.cB, null, 2).length;
    expect(dkgMessageCap(def)).toBeGreaterThan(1.5 * size);
    expect(dkgMessageCap({ n: 64, t: 43, V: 10_000 })).toBe(256 * 1024 * 1024);
  });
});
