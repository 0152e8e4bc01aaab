/**
 * Brief B10 "Adversarial cases", one named test each: a simulated ceremony with one injected fault must end with no
 * honest participant reaching success, every honest participant holding the same verdict that names exactly the
 * faulty party (never an honest one), and evidence that an independent verifier accepts.
 */
import { describe, expect, it } from 'vitest';
import { simulateDkg, type SimulationResult } from '../../src/dkg/simulate.js';
import type { SimFault } from '../../src/dkg/adversary.js';
import { verifyEvidence, type Blame } from '../../src/dkg/blame.js';
import { isDvkeysError } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';

interface Expect {
  /** Proven culprits (default: the injected faulty parties). */
  readonly culprits?: readonly string[];
  /** Omission suspects instead of proven culprits. */
  readonly suspects?: readonly string[];
}

function run(name: string, fault: SimFault, V = 1, n = 4, t = 3): SimulationResult {
  return simulateDkg({ n, t, V, rng: insecureTestRng(`adversarial/${name}`), faults: [fault] });
}

/** Re-verifies every evidence item with a fresh verifier and returns the blames it establishes. */
function independentBlames(r: SimulationResult): Blame[] {
  const blames: Blame[] = [];
  for (const item of r.evidence) {
    try {
      blames.push(...verifyEvidence(structuredClone(r.definition), structuredClone(item.evidence), { ...(item.collected === undefined ? {} : { collected: structuredClone(item.collected) }), rng: insecureTestRng('independent verifier') }));
    } catch (e) {
      if (!isDvkeysError(e, 'DKG_EVIDENCE_INVALID')) throw e;
    }
  }
  return blames;
}

function expectAbort(r: SimulationResult, expected: Expect = {}): void {
  const culprits = expected.suspects === undefined ? (expected.culprits ?? r.faulty) : [];
  const suspects = expected.suspects ?? [];
  expect(r.ok).toBe(false);
  expect(r.honest.length).toBeGreaterThan(0);
  for (const i of r.honest) {
    expect(r.outputs[i - 1], `honest participant ${i} must not succeed`).toBeUndefined();
    expect(r.states[i - 1]?.step).not.toBe('done');
    const verdict = r.verdicts.get(i)!;
    expect(verdict.culprits, `verdict of participant ${i}`).toEqual(culprits);
    expect(verdict.suspects).toEqual(suspects);
    expect(verdict.culprits.filter((c) => r.honest.includes(Number(c)))).toEqual([]);
  }
  const proven = [...new Set(independentBlames(r).filter((b) => b.certainty !== 'sender-or-coordinator').map((b) => b.culprit))].sort();
  expect(proven).toEqual([...culprits].sort());
}

describe('B10 adversarial cases', () => {
  describe('wrong share', () => {
    it('a valid ciphertext carrying a share that fails Feldman convicts the dealer', () => expectAbort(run('wrong-share', { kind: 'wrong-share', dealer: 2, recipient: 3 })));
    it('for one validator of several', () => expectAbort(run('wrong-share-v2', { kind: 'wrong-share', dealer: 3, recipient: 1, validator: 2 }, 2)));
  });
  describe('undecryptable share', () => {
    it('a signed ciphertext that does not decrypt convicts the dealer', () => expectAbort(run('undecryptable', { kind: 'undecryptable-share', dealer: 2, recipient: 4 })));
    it('a ciphertext altered in transit breaks the host signature: the coordinator is blamed', () => expectAbort(run('tamper', { kind: 'tamper-ciphertext', dealer: 2, recipient: 3 })));
  });
  describe('bad commitment', () => {
    const variants = ['short', 'long', 'not-on-curve', 'not-in-subgroup', 'identity-c0', 'identity-r', 'compressed-flag', 'infinity-nonzero', 'sort-bit-infinity', 'x-too-large'] as const;
    for (const variant of variants) {
      it(`${variant} convicts the dealer`, () => expectAbort(run(`commitment-${variant}`, { kind: 'bad-commitment', dealer: 2, variant })));
    }
  });
  describe('degree cheat', () => {
    it('a degree-t dealing with t published commitments convicts the dealer', () => expectAbort(run('degree-all', { kind: 'degree-cheat', dealer: 1, variant: 'all' })));
    it('shares that match for all recipients but one still convict the dealer', () => expectAbort(run('degree-one', { kind: 'degree-cheat', dealer: 1, variant: 'all-but-one', target: 3 })));
  });
  describe('bad proof of knowledge', () => {
    it('wrong z', () => expectAbort(run('pok-z', { kind: 'bad-proof', dealer: 2, variant: 'wrong-z' })));
    it('R swapped in from another validator', () => expectAbort(run('pok-swap', { kind: 'bad-proof', dealer: 2, variant: 'swapped-r' }, 2)));
    it('a proof copied from another participant (binding to the index)', () => expectAbort(run('pok-copied', { kind: 'bad-proof', dealer: 3, variant: 'copied' })));
    it('a proof and commitment from another ceremony (binding to the ceremony id)', () => expectAbort(run('pok-ceremony', { kind: 'bad-proof', dealer: 2, variant: 'other-ceremony' })));
    it('a rogue key C0 = X - sum of honest C0 with a stale proof', () => expectAbort(run('pok-rogue', { kind: 'bad-proof', dealer: 4, variant: 'rogue-key' })));
  });
  describe('replay', () => {
    it('a round-1 message of an earlier attempt forwarded by the coordinator blames the coordinator', () => expectAbort(run('replay', { kind: 'replay-round1', dealer: 2 })));
  });
  describe('equivocation split across recipients', () => {
    it('two different commitments: both signed messages convict the dealer', () => expectAbort(run('equiv-c', { kind: 'equivocation', dealer: 2, variant: 'commitments', split: [3, 4] })));
    it('only in the ciphertexts', () => expectAbort(run('equiv-ct', { kind: 'equivocation', dealer: 2, variant: 'ciphertexts', split: [4] })));
    it('only in the proof nonce', () => expectAbort(run('equiv-nonce', { kind: 'equivocation', dealer: 1, variant: 'proof-nonce', split: [2, 3] })));
  });
  describe('missing participant', () => {
    it('no round-1 message: that participant is the suspect', () => expectAbort(run('missing-r1', { kind: 'missing-round1', participant: 2 }), { suspects: ['2'] }));
    it('no Ack: that participant is the suspect', () => expectAbort(run('missing-ack', { kind: 'missing-ack', participant: 3 }), { suspects: ['3'] }));
  });
  describe('false complaint', () => {
    it('correct revealed secret but valid shares convicts the accuser', () => expectAbort(run('false-valid', { kind: 'false-complaint', accuser: 2, accused: 3, variant: 'valid-secret' })));
    it('a revealed secret that is not the enrolled one convicts the accuser', () => expectAbort(run('false-wrong', { kind: 'false-complaint', accuser: 2, accused: 1, variant: 'wrong-secret' })));
    it('a false public accusation convicts the accuser', () => expectAbort(run('false-public', { kind: 'false-complaint', accuser: 4, accused: 1, variant: 'public' })));
  });
  describe('bad partial deposit signature', () => {
    it('over a wrong message', () => expectAbort(run('partial-msg', { kind: 'bad-partial', signer: 2, variant: 'wrong-message' })));
    it('with a wrong share', () => expectAbort(run('partial-share', { kind: 'bad-partial', signer: 3, variant: 'wrong-share' })));
    it('for another validator', () => expectAbort(run('partial-other', { kind: 'bad-partial', signer: 1, variant: 'other-validator' }, 2)));
    it('an invalid CertEq vote in a signed Ack', () => expectAbort(run('bad-vote', { kind: 'bad-cert-vote', signer: 4 })));
  });
  describe('bad certificate', () => {
    for (const variant of ['invalid-signature', 'other-transcript', 'reordered', 'duplicated'] as const) {
      it(`${variant} blames the coordinator`, () => expectAbort(run(`cert-${variant}`, { kind: 'bad-certificate', variant })));
    }
    it('an invalid combined deposit signature blames the coordinator', () => expectAbort(run('bad-deposit', { kind: 'bad-deposit-signature' })));
  });
  describe('parameter misuse', () => {
    it('a participant holding a different definition never gets its round 1 accepted', () => expectAbort(run('wrong-def', { kind: 'wrong-definition', participant: 2 }), { suspects: ['2'] }));
  });
});

describe('B10.6 batch equivalence of the share check', () => {
  it('a cancelling pair across validators (+1 on one, -1 on another) is caught and convicts the dealer', () =>
    expectAbort(run('cancel-v', { kind: 'cancelling-shares', dealer: 2, recipient: 3 }, 2)));
  it('a cancelling pair across two colluding dealers for one validator leaves the summed share correct: accepted by design', () => {
    const r = run('cancel-d', { kind: 'cancelling-shares', dealer: 2, recipient: 3, partner: 4 }, 1);
    expect(r.ok).toBe(true);
    expect(r.outputs.every((o) => o !== undefined)).toBe(true);
  });
});
