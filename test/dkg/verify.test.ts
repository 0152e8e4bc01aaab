/**
 * Tamper tests of src/dkg/verify.ts (issue 19, docs/mutation.md): decodeRound1Content refuses each malformed field
 * by name, and checkPublic reports each public fault with its dealer, validator and coefficient (every dealer's
 * proofs checked but the skipped one's), and the unattributable aborts of a zero key or a degree-reduced sum. The
 * ceremony is evidence-fixture.ts's.
 */
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { dealerCoefficients, dealerSeed } from '../../src/dkg/deal.js';
import { parseCollected, parseRound1, type Round1 } from '../../src/dkg/messages.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { checkPublic, decodeRound1Content } from '../../src/dkg/verify.js';
import { isDvkeysError } from '../../src/errors.js';
import { bad3, bad4, collect, def, definition, H, honest, keys, randoms, rng, X } from './evidence-fixture.js';

const round1Of = (c: typeof X): Round1[] => parseCollected(c, def).round1;
const honest2 = parseRound1(honest[1]!.message, 'round1', def);

function refusal(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (e) {
    return isDvkeysError(e) ? `${e.code}: ${e.message} (${e.field ?? ''})` : `untyped ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe('decodeRound1Content refuses a malformed message by field', () => {
  const cases: [string, Partial<Round1>, string, string][] = [
    ['one validator missing', { validators: honest2.validators.slice(0, 1) }, 'round1[2].validators', 'has 1 entries, expected 2'],
    ['an ephemeral key that is no point', { ephemeralKey: new Uint8Array(33).fill(5) }, 'round1[2].ephemeralKey', 'is not a compressed secp256k1 point'],
    ["another dealer's ephemeral key", { ephemeralKey: parseRound1(honest[2]!.message, 'round1', def).ephemeralKey }, 'round1[2].ephemeralProof', 'does not prove knowledge of the ephemeral key'],
    ['one ciphertext missing', { ciphertexts: honest2.ciphertexts.slice(1) }, 'round1[2].ciphertexts', 'has 3 entries, expected 4'],
    ['a ciphertext one byte short', { ciphertexts: honest2.ciphertexts.map((c, j) => (j === 3 ? c.subarray(1) : c)) }, 'round1[2].ciphertexts[3]', 'has 79 bytes, expected 80'],
    ['a ciphertext one byte long', { ciphertexts: honest2.ciphertexts.map((c, j) => (j === 0 ? new Uint8Array([...c, 0]) : c)) }, 'round1[2].ciphertexts[0]', 'has 81 bytes, expected 80'],
    ['one commitment missing', { validators: [honest2.validators[0]!, { ...honest2.validators[1]!, commitments: honest2.validators[1]!.commitments.slice(0, 2) }] }, 'round1[2].validators[1].commitments', 'has 2 entries, expected 3'],
    ['one commitment too many', { validators: [{ ...honest2.validators[0]!, commitments: [...honest2.validators[0]!.commitments, honest2.validators[0]!.commitments[0]!] }, honest2.validators[1]!] }, 'round1[2].validators[0].commitments', 'has 4 entries, expected 3'],
  ];
  for (const [name, change, field, what] of cases) {
    it(name, () => {
      expect(refusal(() => decodeRound1Content(def, { ...honest2, ...change }))).toBe(`DKG_INVALID_MESSAGE: '${field}' ${what} (${field})`);
    });
  }

  it('a well-formed message decodes to V validators of t commitments, with the proof challenge', () => {
    const d = decodeRound1Content(def, honest2);
    expect(d).toHaveLength(2);
    expect(d.map((v) => v.commitments.length)).toEqual([3, 3]);
    expect(d[1]!.proof.c0.equals(d[1]!.commitments[0]!)).toBe(true);
  });
});

describe('checkPublic', () => {
  it("checks every dealer's proofs: dealer 3's bad proof for validator 2 is the finding (commitments are not looked at then)", () => {
    expect(checkPublic(def, round1Of(X), rng)).toEqual({
      findings: [{ accused: 3, fault: 'invalid-proof', validator: 2, detail: "participant 3's proof of knowledge for validator 2 does not verify" }],
      unattributable: undefined,
      sums: undefined,
      shares: undefined,
    });
    // in any position but the skipped one
    for (const skip of [1, 2, 4]) expect(checkPublic(def, round1Of(X), rng, skip).findings.map((f) => `${f.accused}:${f.fault}`)).toEqual(['3:invalid-proof']);
  });

  it('with the proofs of dealer 3 skipped (its own), the commitment outside G1 is found, with its coefficient', () => {
    expect(checkPublic(def, round1Of(X), rng, 3).findings).toEqual([{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 2, detail: "participant 4's commitment 2 for validator 2 is not in G1" }]);
    expect(checkPublic(def, round1Of(collect([honest[0]!.message, honest[1]!.message, honest[2]!.message, bad4])), rng).findings.map((f) => `${f.accused}:${f.validator}:${f.coefficient}`)).toEqual(['4:2:2']);
  });

  it('a malformed message is malformed-round1 of its dealer, with the reason', () => {
    const m = parseRound1(bad3, 'round1', def);
    const check = checkPublic(def, [...round1Of(H).slice(0, 2), { ...m, ciphertexts: m.ciphertexts.slice(1) }, round1Of(H)[3]!], rng);
    expect(check.findings).toEqual([{ accused: 3, fault: 'malformed-round1', detail: "'round1[3].ciphertexts' has 3 entries, expected 4" }]);
  });

  it('an honest round 1 gives the sums and every public share', () => {
    const check = checkPublic(def, round1Of(H), rng);
    expect(check.findings).toEqual([]);
    expect(check.unattributable).toBeUndefined();
    expect(check.sums!.map((r) => r.length)).toEqual([3, 3]);
    expect(check.shares!.map((r) => r.length)).toEqual([4, 4]);
  });

  /** Dealer 4 sets coefficient k of validator v to minus the other dealers' sum: Ĉ_{v,k} = O, with valid proofs. */
  function cancelling(v: number, k: number): Round1[] {
    const others = [0, 1, 2].map((i) => dealerCoefficients(dealerSeed(keys[i]!, randoms[i]!, def.id), v, def.t)[k]!);
    const minus = Fr.neg(others.reduce((a, b) => Fr.add(a, b), 0n));
    const m = startRound1WithHooks(definition, keys[3]!, { random: randoms[3]! }, { coefficients: (w, cs) => (w === v ? cs.map((c, j) => (j === k ? minus : c)) : cs) }).message;
    return round1Of(collect([honest[0]!.message, honest[1]!.message, honest[2]!.message, m]));
  }

  it('a zero key or a degree-reduced sum is an abort without a culprit, naming the validator', () => {
    expect(checkPublic(def, cancelling(2, 0), rng)).toEqual({ findings: [], unattributable: 'the key of validator 2 is the identity', sums: undefined, shares: undefined });
    expect(checkPublic(def, cancelling(1, 2), rng).unattributable).toBe('the summed polynomial of validator 1 has degree below 2: 2 shares would rebuild the key');
    // a cancelled middle coefficient is no fault
    expect(checkPublic(def, cancelling(2, 1), rng).unattributable).toBeUndefined();
  });
});
