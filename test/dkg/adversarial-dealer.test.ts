/**
 * Brief B10 "Adversarial cases" (dealer faults), one named test each: a simulated ceremony with one injected fault must
 * end with no honest participant reaching success, every honest participant holding the same verdict that names
 * exactly the faulty party (never an honest one), and evidence that an independent verifier accepts.
 */
import { describe, it } from 'vitest';
import { expectAbort, run } from './adversarial-helpers.js';

describe('B10 adversarial cases', () => {
  describe('wrong share', () => {
    it('a valid ciphertext carrying a share that fails Feldman convicts the dealer', () => expectAbort(run('wrong-share', { kind: 'wrong-share', dealer: 2, recipient: 3 }), { faults: ['invalid-share'] }));
    it('for one validator of several', () => expectAbort(run('wrong-share-v2', { kind: 'wrong-share', dealer: 3, recipient: 1, validator: 2 }, 2), { faults: ['invalid-share'] }));
  });
  describe('undecryptable share', () => {
    it('a signed ciphertext that does not decrypt convicts the dealer', () => expectAbort(run('undecryptable', { kind: 'undecryptable-share', dealer: 2, recipient: 4 }), { faults: ['undecryptable-share'] }));
    it('a ciphertext altered in transit breaks the host signature: the coordinator is blamed by its recipient, suspected by the others', () =>
      expectAbort(run('tamper', { kind: 'tamper-ciphertext', dealer: 2, recipient: 3 }), { receivers: [3], othersSuspect: ['3', 'coordinator'], faults: ['invalid-relay-signature'], othersFaults: ['invalid-relay-signature', 'missing'] }));
  });
  describe('bad commitment', () => {
    const variants = ['short', 'long', 'not-on-curve', 'not-in-subgroup', 'identity-c0', 'identity-r', 'compressed-flag', 'infinity-nonzero', 'sort-bit-infinity', 'x-too-large'] as const;
    for (const variant of variants) {
      // the faulty dealer's own honest code also complains, falsely, about the data it was sent
      const faults = variant === 'not-in-subgroup' ? ['commitment-not-in-subgroup', 'false-complaint'] : ['false-complaint', 'malformed-round1'];
      it(`${variant} convicts the dealer`, () => expectAbort(run(`commitment-${variant}`, { kind: 'bad-commitment', dealer: 2, variant }), { faults }));
    }
  });
  describe('degree cheat', () => {
    it('a degree-t dealing with t published commitments convicts the dealer', () => expectAbort(run('degree-all', { kind: 'degree-cheat', dealer: 1, variant: 'all' }), { faults: ['false-complaint', 'invalid-share'] }));
    it('shares that match for all recipients but one still convict the dealer', () => expectAbort(run('degree-one', { kind: 'degree-cheat', dealer: 1, variant: 'all-but-one', target: 3 }), { faults: ['invalid-share'] }));
  });
  describe('bad proof of knowledge', () => {
    it('wrong z', () => expectAbort(run('pok-z', { kind: 'bad-proof', dealer: 2, variant: 'wrong-z' }), { faults: ['invalid-proof'] }));
    it('R swapped in from another validator', () => expectAbort(run('pok-swap', { kind: 'bad-proof', dealer: 2, variant: 'swapped-r' }, 2), { faults: ['invalid-proof'] }));
    it('a proof copied from another participant (binding to the index)', () => expectAbort(run('pok-copied', { kind: 'bad-proof', dealer: 3, variant: 'copied' }), { faults: ['false-complaint', 'invalid-proof'] }));
    it('a proof and commitment from another ceremony (binding to the ceremony id)', () => expectAbort(run('pok-ceremony', { kind: 'bad-proof', dealer: 2, variant: 'other-ceremony' }), { faults: ['false-complaint', 'invalid-proof'] }));
    it('a rogue key C0 = X - sum of honest C0 with a stale proof', () => expectAbort(run('pok-rogue', { kind: 'bad-proof', dealer: 4, variant: 'rogue-key' }), { faults: ['false-complaint', 'invalid-proof'] }));
  });
});
