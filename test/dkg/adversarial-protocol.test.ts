/**
 * Brief B10 "Adversarial cases" (replay, equivocation, omissions, complaints, round 2, certificate, parameters) and
 * B10.6 batch equivalence of the share check; same assertions as adversarial-dealer.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { collectRound1, collectRound2, createDraft, defineCeremony, enroll, processRound1, verifyAbortReport, verifyEvidence } from '../../src/dkg/index.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { isDvkeysError } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';
import { expectAbort, run } from './adversarial-helpers.js';
import { ceremony } from './fixtures.js';

describe('B10 adversarial cases (protocol)', () => {
  describe('replay', () => {
    it('a round-1 message of an earlier attempt forwarded by the coordinator blames the coordinator', () => expectAbort(run('replay', { kind: 'replay-round1', dealer: 2 }), { faults: ['replayed-round1'] }));
  });
  describe('equivocation split across recipients', () => {
    it('two different commitments: both signed messages convict the dealer', () => expectAbort(run('equiv-c', { kind: 'equivocation', dealer: 2, variant: 'commitments', split: [3, 4] }), { faults: ['equivocation'] }));
    it('only in the ciphertexts', () => expectAbort(run('equiv-ct', { kind: 'equivocation', dealer: 2, variant: 'ciphertexts', split: [4] }), { faults: ['equivocation'] }));
    it('only in the proof nonce', () => expectAbort(run('equiv-nonce', { kind: 'equivocation', dealer: 1, variant: 'proof-nonce', split: [2, 3] }), { faults: ['equivocation'] }));
  });
  describe('missing participant', () => {
    it('no round-1 message: that participant is the suspect', () => expectAbort(run('missing-r1', { kind: 'missing-round1', participant: 2 }), { suspects: ['2'], faults: ['missing'] }));
    it('no Ack: that participant is the suspect', () => expectAbort(run('missing-ack', { kind: 'missing-ack', participant: 3 }), { suspects: ['3'], faults: ['missing'] }));
  });
  describe('false complaint', () => {
    it('a correctly proven ECDH point but valid shares convicts the accuser', () => expectAbort(run('false-valid', { kind: 'false-complaint', accuser: 2, accused: 3, variant: 'valid-evidence' }), { faults: ['false-complaint'] }));
    it('an ECDH point not proven by DLEQ convicts the accuser', () => expectAbort(run('false-wrong', { kind: 'false-complaint', accuser: 2, accused: 1, variant: 'forged-point' }), { faults: ['false-complaint'] }));
    it('a false public accusation convicts the accuser', () => expectAbort(run('false-public', { kind: 'false-complaint', accuser: 4, accused: 1, variant: 'public' }), { faults: ['false-complaint'] }));
  });
  describe('bad partial deposit signature', () => {
    it('over a wrong message', () => expectAbort(run('partial-msg', { kind: 'bad-partial', signer: 2, variant: 'wrong-message' }), { faults: ['invalid-partial-signature'] }));
    it('with a wrong share', () => expectAbort(run('partial-share', { kind: 'bad-partial', signer: 3, variant: 'wrong-share' }), { faults: ['invalid-partial-signature'] }));
    it('for another validator', () => expectAbort(run('partial-other', { kind: 'bad-partial', signer: 1, variant: 'other-validator' }, 2), { faults: ['invalid-partial-signature'] }));
    it('an invalid CertEq vote in a signed Ack', () => expectAbort(run('bad-vote', { kind: 'bad-cert-vote', signer: 4 }), { faults: ['invalid-ack'] }));
  });
  describe('bad certificate', () => {
    for (const variant of ['invalid-signature', 'other-transcript', 'reordered', 'duplicated'] as const) {
      it(`${variant} blames the coordinator`, () => expectAbort(run(`cert-${variant}`, { kind: 'bad-certificate', variant }), { faults: ['invalid-certificate'] }));
    }
    it('an invalid combined deposit signature blames the coordinator', () => expectAbort(run('bad-deposit', { kind: 'bad-deposit-signature' }), { faults: ['invalid-deposit-signature'] }));
  });
  describe('parameter misuse', () => {
    it('a participant holding a different definition never gets its round 1 accepted', () => expectAbort(run('wrong-def', { kind: 'wrong-definition', participant: 2 }), { suspects: ['2'], faults: ['missing'] }));
  });
});

describe('B10.6 batch equivalence of the share check', () => {
  it('a cancelling pair across validators (+1 on one, -1 on another) is caught and convicts the dealer', () =>
    expectAbort(run('cancel-v', { kind: 'cancelling-shares', dealer: 2, recipient: 3 }, 2), { faults: ['invalid-share'] }));
  it('a cancelling pair across two colluding dealers for one validator leaves the summed share correct: accepted by design', () => {
    const r = run('cancel-d', { kind: 'cancelling-shares', dealer: 2, recipient: 3, partner: 4 }, 1);
    expect(r.ok).toBe(true);
    expect(r.outputs.every((o) => o !== undefined)).toBe(true);
  });
});

describe('B10 replay of round-2 messages across attempts', () => {
  /** A second attempt of the fixture ceremony: same operators and validators, a new attempt nonce. */
  function secondAttempt(): { acks: unknown[]; complaint: unknown } {
    const c = ceremony();
    const rng = insecureTestRng('second attempt');
    const draft = createDraft({ network: c.draft.network, threshold: c.draft.threshold, operators: c.draft.operators, validators: c.draft.validators, rng });
    const definition = defineCeremony(draft, c.keys.map((k) => enroll(draft, k, { rng })));
    const r1 = c.keys.map((k, i) => startRound1WithHooks(definition, k, { random: rng(32) }, i === 1 ? { share: (j, _v, s) => (j === 1 ? Fr.add(s, 1n) : s) } : {}));
    const c1 = collectRound1(definition, r1.map((r) => r.message));
    if (!c1.ok) throw new Error('collect');
    const r2 = c.keys.map((k, i) => processRound1(r1[i]!.state, k, c1.message, { rng }));
    return { acks: r2.filter((r) => r.ok).map((r) => r.message), complaint: r2[0]!.message };
  }

  it('an Ack replayed from another attempt is not an Ack of this one: its sender is only a suspect', () => {
    const c = ceremony();
    const { acks } = secondAttempt();
    const res = collectRound2(c.definition, c.collected, [c.acks[0], c.acks[1], acks[acks.length - 1]], { rng: insecureTestRng('r') });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const verdict = verifyAbortReport(c.definition, res.abort, { rng: insecureTestRng('v') });
    expect(verdict.culprits).toEqual([]);
    expect(verdict.suspects).toEqual(['3']);
  });

  it('a complaint replayed from another attempt is ignored, and as evidence it does not verify', () => {
    const c = ceremony();
    const { complaint } = secondAttempt();
    const res = collectRound2(c.definition, c.collected, [...c.acks, complaint], { rng: insecureTestRng('r') });
    expect(res.ok).toBe(true);
    let code = 'none';
    try {
      verifyEvidence(c.definition, { kind: 'complaint', complaint }, { collected: c.collected });
    } catch (e) {
      code = isDvkeysError(e) ? e.code : 'other';
    }
    expect(code).toBe('DKG_EVIDENCE_INVALID');
  });
});
