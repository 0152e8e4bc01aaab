/**
 * Tamper tests of src/dkg/blame.ts (issue 19, docs/mutation.md): how blames become a verdict (culprits, suspects,
 * order), how pooled evidence and abort reports are verified (identical items once, invalid items ignored or held
 * against the report's author), and findEquivocation. The ceremony is evidence-fixture.ts's.
 */
import { describe, expect, it } from 'vitest';
import { DROPPED_ANSWER, findEquivocation, verdictFromEvidence, verdictOf, verifyAbortReport, type Blame, type EvidenceJson } from '../../src/dkg/blame.js';
import type { CollectedJson } from '../../src/dkg/index.js';
import { isDvkeysError } from '../../src/errors.js';
import { bad2, bad3, complaint, def, definition, H, honest, rng, X } from './evidence-fixture.js';

const b = (culprit: string, certainty: Blame['certainty'], fault = 'f'): Blame => ({ culprit, fault, certainty, detail: `${culprit} ${fault}` });

describe('verdictOf', () => {
  it('culprits are the proven blames, once each, participants in index order (not text order), then the coordinator', () => {
    const blames = [b('coordinator', 'coordinator'), b('10', 'proof'), b('2', 'proof'), b('2', 'proof', 'g'), b('3', 'sender-or-coordinator', 'missing')];
    const v = verdictOf('0xab', blames);
    expect(v).toEqual({ ceremonyId: '0xab', culprits: ['2', '10', 'coordinator'], suspects: [], blames });
    expect(v.blames).not.toBe(blames);
  });

  it('omissions are suspects only when nothing is proven, except a dropped signed answer', () => {
    expect(verdictOf('0x', [b('coordinator', 'sender-or-coordinator'), b('12', 'sender-or-coordinator'), b('3', 'sender-or-coordinator'), b('3', 'sender-or-coordinator', 'h')]).suspects).toEqual(['3', '12', 'coordinator']);
    const v = verdictOf('0x', [b('4', 'sender-or-coordinator', 'missing'), b('coordinator', 'sender-or-coordinator', DROPPED_ANSWER), b('2', 'proof')]);
    expect(v.culprits).toEqual(['2']);
    expect(v.suspects).toEqual(['coordinator']);
    expect(verdictOf('0x', [b('coordinator', 'coordinator')]).suspects).toEqual([]);
  });
});

const upheld: EvidenceJson = complaint(1, [{ accused: 3, fault: 'invalid-proof', validator: 2 }]);
const short: CollectedJson = { ...H, round1: H.round1.slice(0, 3) };
const relay: EvidenceJson = { kind: 'coordinator', fault: 'missing-message', detail: 'three', collected: short };
const same: EvidenceJson = { kind: 'equivocation', first: bad3, second: bad3 };

describe('verdictFromEvidence', () => {
  it('each item is verified with its own collected round 1; items that do not verify are ignored; identical items count once', () => {
    const v = verdictFromEvidence(definition, [{ evidence: upheld, collected: X }, { evidence: upheld, collected: X }, { evidence: upheld, collected: H }, { evidence: same }, { evidence: upheld }], { rng });
    expect(v.culprits).toEqual(['3']);
    expect(v.suspects).toEqual([]);
    expect(v.blames.map((x) => `${x.culprit}:${x.fault}:${x.validator}`)).toEqual(['3:invalid-proof:2']);
    expect(v.ceremonyId).toBe(def.idHex);
  });

  it('coordinator evidence convicts only when received; the same evidence received and not received are two items', () => {
    expect(verdictFromEvidence(definition, [{ evidence: relay, received: true }], { rng })).toMatchObject({ culprits: ['coordinator'], suspects: [] });
    expect(verdictFromEvidence(definition, [{ evidence: relay }], { rng })).toMatchObject({ culprits: [], suspects: ['coordinator'] });
    const both = verdictFromEvidence(definition, [{ evidence: relay }, { evidence: relay, received: true }], { rng });
    expect(both.blames.map((x) => x.certainty)).toEqual(['sender-or-coordinator', 'coordinator']);
    expect(both.culprits).toEqual(['coordinator']);
  });
});

describe('verifyAbortReport', () => {
  const report = (evidence: readonly EvidenceJson[], collected?: CollectedJson, ceremonyId = def.idHex): unknown => ({ format: 'dvkeys/dkg-abort', version: 1, ceremonyId, stage: 'round2', ...(collected === undefined ? {} : { collected }), evidence });

  it("verifies each item against the report's collected round 1; an item that does not verify makes the report's author a suspect", () => {
    const v = verifyAbortReport(definition, report([upheld, same], X), { rng });
    expect(v.culprits).toEqual(['3']);
    expect(v.blames).toEqual([
      expect.objectContaining({ culprit: '3', fault: 'invalid-proof', certainty: 'proof', validator: 2 }),
      { culprit: 'coordinator', fault: 'invalid-evidence', certainty: 'sender-or-coordinator', detail: 'the abort report carries evidence that does not verify: the two round-1 messages are the same' },
    ]);
    const without = verifyAbortReport(definition, report([upheld]), { rng });
    expect(without.culprits).toEqual([]);
    expect(without.suspects).toEqual(['coordinator']);
    expect(without.blames[0]!.detail).toBe('the abort report carries evidence that does not verify: a complaint needs the collected round 1 it refers to');
  });

  it('a report of another ceremony is refused: CEREMONY_MISMATCH at abort.ceremonyId', () => {
    let error: unknown;
    try {
      verifyAbortReport(definition, report([upheld], X, `0x${'07'.repeat(32)}`), { rng });
    } catch (e) {
      error = e;
    }
    expect(isDvkeysError(error, 'CEREMONY_MISMATCH')).toBe(true);
    expect(error).toMatchObject({ message: 'the abort report is for another ceremony', field: 'abort.ceremonyId' });
  });
});

describe('findEquivocation', () => {
  it("names the first participant whose two copies differ and are both validly signed, first copy first", () => {
    expect(findEquivocation(definition, X, H)).toEqual({ kind: 'equivocation', first: bad2, second: honest[1]!.message });
    expect(findEquivocation(definition, H, X)).toEqual({ kind: 'equivocation', first: honest[1]!.message, second: bad2 });
  });

  it('skips a copy that is not validly signed, and finds nothing in equal copies', () => {
    const forged = { ...X, round1: X.round1.map((m, k) => (k === 1 ? { ...m, signature: honest[2]!.message.signature } : m)) };
    expect(findEquivocation(definition, forged, H)).toEqual({ kind: 'equivocation', first: bad3, second: honest[2]!.message });
    expect(findEquivocation(definition, H, forged)).toEqual({ kind: 'equivocation', first: honest[2]!.message, second: bad3 });
    expect(findEquivocation(definition, H, H)).toBeUndefined();
    expect(findEquivocation(definition, X, structuredClone(X))).toBeUndefined();
    // two different participants' messages at one position are no equivocation
    const misordered = { ...H, round1: [H.round1[0]!, H.round1[2]!, H.round1[1]!, H.round1[3]!] };
    expect(findEquivocation(definition, misordered, H)).toBeUndefined();
  });
});
