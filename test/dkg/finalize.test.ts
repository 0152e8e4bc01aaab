/**
 * Tamper tests of src/dkg/finalize.ts (issue 19, docs/mutation.md): a final message the participant's checks refuse
 * ends in an aborted state (keeping the transcript hash it acknowledged), a verdict on the coordinator, and
 * coordinator evidence an independent verifier re-checks; never in success.
 */
import { describe, expect, it } from 'vitest';
import { finalizeParticipant, verifyEvidence, type FinalJson } from '../../src/dkg/index.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony } from './fixtures.js';

const c = ceremony(3, 2, 2, 'finalize.test');
const rng = insecureTestRng('finalize.test');

describe('finalizeParticipant refuses a bad final message', () => {
  const cases: [string, FinalJson, string, string][] = [
    ['a vote swapped', { ...c.final, certificate: [c.final.certificate[1]!, c.final.certificate[0]!, c.final.certificate[2]!] }, 'invalid-certificate', 'the certificate votes of participant 1, 2 do not verify for our transcript'],
    ['deposit signatures swapped', { ...c.final, depositSignatures: [c.final.depositSignatures[1]!, c.final.depositSignatures[0]!] }, 'invalid-deposit-signature', 'deposit signature 0 does not verify under its validator key'],
    ['a deposit signature missing', { ...c.final, depositSignatures: c.final.depositSignatures.slice(0, 1) }, 'invalid-deposit-signature', 'the final message has 1 deposit signatures, expected 2'],
  ];
  for (const [name, final, fault, detail] of cases) {
    it(`${name}: aborted, the coordinator convicted by this participant and suspected by others`, () => {
      const r = finalizeParticipant(c.round2States[1], c.collected, final, { rng });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.state).toMatchObject({ step: 'aborted', index: 2, reason: detail, transcriptHash: c.round2States[1]!.transcriptHash });
      expect(r.verdict.culprits).toEqual(['coordinator']);
      expect(r.verdict.blames).toEqual([{ culprit: 'coordinator', fault, certainty: 'coordinator', detail }]);
      expect(r.evidence).toEqual([{ kind: 'coordinator', fault, detail, collected: c.collected, final }]);
      expect(verifyEvidence(c.definition, r.evidence[0], { rng, received: true }).map((b) => `${b.culprit}:${b.fault}:${b.certainty}`)).toEqual([`coordinator:${fault}:coordinator`]);
      expect(verifyEvidence(c.definition, r.evidence[0], { rng }).map((b) => b.certainty)).toEqual(['sender-or-coordinator']);
    });
  }

  it('the good final message succeeds, and its evidence would not verify as a fault', () => {
    const r = finalizeParticipant(c.round2States[1], c.collected, c.final, { rng, recombinationCheck: 'all' });
    expect(r.ok).toBe(true);
    expect(() => verifyEvidence(c.definition, { kind: 'coordinator', fault: 'x', detail: 'x', collected: c.collected, final: c.final }, { rng, received: true })).toThrow(expect.objectContaining({ code: 'DKG_EVIDENCE_INVALID', message: 'the final message of the evidence is valid' }));
  });
});
