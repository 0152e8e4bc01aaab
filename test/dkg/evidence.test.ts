/**
 * Tamper tests of src/dkg/evidence.ts (issue 19, docs/mutation.md): every check that convicts, accepts or refuses a
 * piece of evidence, with the exact code, message, culprit, fault kind, certainty and validator. The evidence is
 * built by hand (signed with the right or a wrong host key) on one n = 4, t = 3, V = 2 ceremony, where dealer 2
 * sends participant 1 a wrong share for validator 2, dealer 3's proof of knowledge for validator 2 is validator 1's,
 * and its ciphertext to participant 4 is altered (then signed), and dealer 4's commitment 2 of validator 2 is outside G1.
 */
import { describe, expect, it } from 'vitest';
import { processRound1, verifyEvidence, type AckJson, type CollectedJson, type EvidenceJson, type Round1Json } from '../../src/dkg/index.js';
import { ackToJson, parseAck, parseRound1, round1ToJson, signAck, signRound1, type ComplaintAccusation } from '../../src/dkg/messages.js';
import type { Blame } from '../../src/dkg/blame.js';
import { isDvkeysError } from '../../src/errors.js';
import { bad3, bad4, collect, complaint, def, definition, H, hashOf, honest, keys, pair, rng, X } from './evidence-fixture.js';

/** Verifies `e` with `collected` as context (null: none). */
const verify = (e: EvidenceJson, collected: CollectedJson | null = X, received?: boolean): Blame[] =>
  verifyEvidence(definition, e, { ...(collected === null ? {} : { collected }), rng, ...(received === undefined ? {} : { received }) });

/** code: message (field) of what `f` throws, or 'none'. */
function refusal(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (e) {
    return isDvkeysError(e) ? `${e.code}: ${e.message} (${e.field ?? ''})` : `untyped ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}
const invalid = (message: string): string => `DKG_EVIDENCE_INVALID: ${message} (evidence)`;
const falseComplaint = (by: number, detail: string): Blame => ({ culprit: String(by), fault: 'false-complaint', certainty: 'proof', detail });

describe('complaint evidence: the accusations that hold convict the accused, with the fault and validator', () => {
  it('a wrong share (private, DLEQ-proven ECDH point), a bad proof and a commitment outside G1, all at validator 2', () => {
    const e = complaint(1, [
      { accused: 2, fault: 'invalid-share', evidence: pair(1, 2) },
      { accused: 3, fault: 'invalid-proof', validator: 2 },
      { accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 2 },
    ]);
    expect(verify(e)).toEqual([
      { culprit: '2', fault: 'invalid-share', certainty: 'proof', validator: 2, detail: "participant 2's share of validator 2 for participant 1 does not match its commitments" },
      { culprit: '3', fault: 'invalid-proof', certainty: 'proof', validator: 2, detail: "participant 3's proof of knowledge for validator 2 does not verify" },
      { culprit: '4', fault: 'commitment-not-in-subgroup', certainty: 'proof', validator: 2, detail: "participant 4's commitment 2 for validator 2 is not in G1" },
    ]);
  });

  it('a private accusation is judged on what the opened ciphertext shows, whatever fault it names', () => {
    // dealer 2's ciphertext to participant 1 opens, and its share is wrong: invalid-share, not undecryptable-share
    expect(verify(complaint(1, [{ accused: 2, fault: 'undecryptable-share', evidence: pair(1, 2) }])).map((b) => `${b.culprit}:${b.fault}:${b.validator}`)).toEqual(['2:invalid-share:2']);
    // dealer 3's ciphertext to participant 4 does not open
    const blames = verify(complaint(4, [{ accused: 3, fault: 'undecryptable-share', evidence: pair(4, 3) }]));
    expect(blames).toEqual([{ culprit: '3', fault: 'undecryptable-share', certainty: 'proof', detail: "participant 3's shares for participant 4 do not decrypt" }]);
    // dealer 2's ciphertext to participant 3 opens and holds right shares: the accusation does not hold
    expect(verify(complaint(3, [{ accused: 2, fault: 'undecryptable-share', evidence: pair(3, 2) }]))).toEqual([falseComplaint(3, "participant 3's accusation of participant 2 (undecryptable-share) does not hold")]);
  });
});

describe('complaint evidence: an accusation that does not hold convicts the complainer, and only it', () => {
  const cases: [string, ComplaintAccusation[], string[]][] = [
    ['a proof of the right validator that verifies', [{ accused: 3, fault: 'invalid-proof', validator: 1 }], ["participant 1's accusation of participant 3 (invalid-proof) does not hold"]],
    ['a proof accusation of validator V + 1', [{ accused: 3, fault: 'invalid-proof', validator: 3 }], ["participant 1's accusation of participant 3 (invalid-proof) does not hold"]],
    ['a proof accusation without a validator', [{ accused: 3, fault: 'invalid-proof' }], ["participant 1's accusation of participant 3 (invalid-proof) does not hold"]],
    ['a commitment in G1', [{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 1 }], ["participant 1's accusation of participant 4 (commitment-not-in-subgroup) does not hold"]],
    ['a commitment of coefficient t', [{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 3 }], ["participant 1's accusation of participant 4 (commitment-not-in-subgroup) does not hold"]],
    ['a commitment of validator V + 1', [{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 3, coefficient: 2 }], ["participant 1's accusation of participant 4 (commitment-not-in-subgroup) does not hold"]],
    ['a commitment accusation without a coefficient', [{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 2 }], ["participant 1's accusation of participant 4 (commitment-not-in-subgroup) does not hold"]],
    ['a commitment accusation without a validator', [{ accused: 4, fault: 'commitment-not-in-subgroup', coefficient: 2 }], ["participant 1's accusation of participant 4 (commitment-not-in-subgroup) does not hold"]],
    ["a bad proof called a commitment outside G1 (dealer 3's commitments are in G1)", [{ accused: 3, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 1 }], ["participant 1's accusation of participant 3 (commitment-not-in-subgroup) does not hold"]],
    ["a commitment outside G1 called a bad proof (dealer 4's proofs verify)", [{ accused: 4, fault: 'invalid-proof', validator: 2, coefficient: 2 }], ["participant 1's accusation of participant 4 (invalid-proof) does not hold"]],
    ['a well-formed message called malformed', [{ accused: 3, fault: 'malformed-round1' }], ["participant 1's accusation of participant 3 (malformed-round1) does not hold"]],
    ['no accusation at all', [], ['participant 1 complained without accusing anyone']],
    ['itself', [{ accused: 1, fault: 'invalid-proof', validator: 1 }], ['participant 1 accuses participant 1, which it cannot (not another participant of the ceremony)']],
    ['participant n + 1', [{ accused: 5, fault: 'invalid-proof', validator: 1 }], ['participant 1 accuses participant 5, which it cannot (not another participant of the ceremony)']],
    ['a private fault without the ECDH point', [{ accused: 2, fault: 'invalid-share' }], ["participant 1 claims a private fault of participant 2 without the ECDH point and its proof"]],
    ['an undecryptable share without the ECDH point', [{ accused: 2, fault: 'undecryptable-share' }], ["participant 1 claims a private fault of participant 2 without the ECDH point and its proof"]],
    ['a public accusation with an ECDH point', [{ accused: 3, fault: 'invalid-proof', validator: 2, evidence: pair(1, 3) }], ["participant 1's public accusation of participant 3 carries an ECDH point"]],
    ["another pair's ECDH point", [{ accused: 2, fault: 'invalid-share', evidence: pair(1, 3) }], ["participant 1's ECDH point with participant 2 is not proven to be its enrolled key's (DLEQ proof fails)"]],
    ['another participant\'s ECDH point and proof', [{ accused: 2, fault: 'invalid-share', evidence: pair(3, 2) }], ["participant 1's ECDH point with participant 2 is not proven to be its enrolled key's (DLEQ proof fails)"]],
    [
      'the same dealer twice (the first holds)',
      [{ accused: 3, fault: 'invalid-proof', validator: 2 }, { accused: 3, fault: 'invalid-proof', validator: 2 }],
      ['3:invalid-proof', 'participant 1 accuses participant 3 twice or out of order (one accusation per dealer, in dealer order)'],
    ],
    [
      'dealers out of order (both would hold)',
      [{ accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 2 }, { accused: 3, fault: 'invalid-proof', validator: 2 }],
      ['4:commitment-not-in-subgroup', 'participant 1 accuses participant 3 twice or out of order (one accusation per dealer, in dealer order)'],
    ],
    [
      'an accusation that cannot be made does not move the order',
      [{ accused: 5, fault: 'invalid-proof', validator: 1 }, { accused: 3, fault: 'invalid-proof', validator: 2 }],
      ['participant 1 accuses participant 5, which it cannot (not another participant of the ceremony)', '3:invalid-proof'],
    ],
    [
      'a false accusation before a true one',
      [{ accused: 2, fault: 'invalid-proof', validator: 1 }, { accused: 3, fault: 'invalid-proof', validator: 2 }],
      ["participant 1's accusation of participant 2 (invalid-proof) does not hold", '3:invalid-proof'],
    ],
  ];
  for (const [name, accusations, expected] of cases) {
    it(name, () => {
      const blames = verify(complaint(1, accusations));
      expect(blames.map((b) => (b.fault === 'false-complaint' ? b : `${b.culprit}:${b.fault}`))).toEqual(expected.map((d) => (d.includes(':') && !d.includes(' ') ? d : falseComplaint(1, d))));
    });
  }

  it('participant 1 accused by another is judged like any dealer; a false complaint has no validator key at all', () => {
    expect(verify(complaint(3, [{ accused: 1, fault: 'invalid-proof', validator: 1 }]))).toStrictEqual([falseComplaint(3, "participant 3's accusation of participant 1 (invalid-proof) does not hold")]);
  });

  it('a private accusation against a signed message that does not decode convicts its dealer of malformed-round1', () => {
    const m = parseRound1(honest[1]!.message, 'round1', def);
    const { signature: _s, ...content } = { ...m, validators: [{ ...m.validators[0]!, commitments: [new Uint8Array(96).fill(0xff), ...m.validators[0]!.commitments.slice(1)] }, m.validators[1]!] };
    const M = collect([honest[0]!.message, round1ToJson(signRound1(content, keys[1]!, rng(32))), honest[2]!.message, honest[3]!.message]);
    const blames = verify(complaint(1, [{ accused: 2, fault: 'invalid-share', evidence: pair(1, 2, M) }], { collected: M }), M);
    expect(blames.map((b) => `${b.culprit}:${b.fault}:${b.certainty}:${b.validator}`)).toEqual(['2:malformed-round1:proof:undefined']);
    expect(blames[0]!.detail).toMatch(/^'round1\[2\]\.validators\[0\]\.commitments\[0\]' /);
  });

  it('an honest dealer accused of a wrong share with a valid ECDH point: the complainer is convicted', () => {
    expect(verify(complaint(3, [{ accused: 2, fault: 'invalid-share', evidence: pair(3, 2) }]))).toEqual([falseComplaint(3, "participant 3's accusation of participant 2 (invalid-share) does not hold")]);
  });

  it('a DLEQ proof with one bit flipped', () => {
    const p = pair(1, 2);
    const dleqProof = p.dleqProof.slice();
    dleqProof[40]! ^= 1;
    expect(verify(complaint(1, [{ accused: 2, fault: 'invalid-share', evidence: { ...p, dleqProof } }]))).toEqual([
      falseComplaint(1, "participant 1's ECDH point with participant 2 is not proven to be its enrolled key's (DLEQ proof fails)"),
    ]);
  });
});

describe('complaint evidence that proves nothing is refused (DKG_EVIDENCE_INVALID), convicting nobody', () => {
  const ok = [{ accused: 3, fault: 'invalid-proof', validator: 2 }] as const;

  it('signed by another host key, or by an index outside the ceremony', () => {
    expect(refusal(() => verify(complaint(1, ok, { signer: 2 })))).toBe(invalid('the complaint is not signed by participant 1'));
    expect(refusal(() => verify(complaint(9, ok, { signer: 2 })))).toBe(invalid('the complaint is not signed by participant 9'));
  });

  it('for another ceremony', () => {
    expect(refusal(() => verify(complaint(1, ok, { ceremonyId: new Uint8Array(32).fill(7) })))).toBe(invalid('the complaint belongs to another ceremony'));
  });

  it('without, with an invalid, or with another collected round 1', () => {
    expect(refusal(() => verify(complaint(1, ok), null))).toBe(invalid('a complaint needs the collected round 1 it refers to'));
    expect(refusal(() => verify(complaint(1, ok), { ...X, round1: X.round1.slice(0, 3) }))).toBe(invalid('the collected round 1 given with the complaint is not a valid relay: the collected round 1 has 3 messages, expected 4'));
    expect(refusal(() => verify(complaint(1, ok), H))).toBe(invalid('the collected round 1 given with the complaint is not the transcript participant 1 complained about'));
    // the complaint made on H is upheld on H only: there dealer 3's proofs verify
    expect(verify(complaint(1, ok, { collected: H }), H)).toEqual([falseComplaint(1, "participant 1's accusation of participant 3 (invalid-proof) does not hold")]);
  });
});

describe('round-1 fault evidence', () => {
  const round1Fault = (round1: Round1Json, accusation: object): EvidenceJson => ({ kind: 'round1-fault', round1, accusation } as EvidenceJson);

  it('a signed message with the fault convicts its signer', () => {
    expect(verify(round1Fault(bad3, { accused: 3, fault: 'invalid-proof', validator: 2 }), null)).toEqual([
      { culprit: '3', fault: 'invalid-proof', certainty: 'proof', validator: 2, detail: "participant 3's proof of knowledge for validator 2 does not verify" },
    ]);
    expect(verify(round1Fault(bad4, { accused: 4, fault: 'commitment-not-in-subgroup', validator: 2, coefficient: 2 }), null).map((b) => `${b.culprit}:${b.fault}:${b.validator}`)).toEqual(['4:commitment-not-in-subgroup:2']);
  });

  it('a signed message that does not decode is malformed-round1 of its signer', () => {
    const m = parseRound1(honest[1]!.message, 'round1', def);
    const broken = new Uint8Array(96).fill(0xff);
    const { signature: _s, ...content } = { ...m, validators: [{ ...m.validators[0]!, commitments: [broken, ...m.validators[0]!.commitments.slice(1)] }, m.validators[1]!] };
    const signed = round1ToJson(signRound1(content, keys[1]!, rng(32)));
    const blames = verify(round1Fault(signed, { accused: 2, fault: 'malformed-round1' }), null);
    expect(blames.map((b) => `${b.culprit}:${b.fault}:${b.certainty}:${b.validator}`)).toEqual(['2:malformed-round1:proof:undefined']);
    expect(blames[0]!.detail).not.toBe('malformed round-1 message');
    expect(blames[0]!.detail.length).toBeGreaterThan(0);
  });

  it('refused when the fault is not there, the accusation names another, or the message is not attributable', () => {
    expect(refusal(() => verify(round1Fault(bad3, { accused: 3, fault: 'invalid-proof', validator: 1 }), null))).toBe(invalid("participant 3's round-1 message does not have the claimed fault"));
    expect(refusal(() => verify(round1Fault(bad3, { accused: 2, fault: 'invalid-proof', validator: 2 }), null))).toBe(invalid('the accusation names another participant than the message signer'));
    const unsigned = { ...bad3, signature: honest[2]!.message.signature };
    expect(refusal(() => verify(round1Fault(unsigned, { accused: 3, fault: 'invalid-proof', validator: 2 }), null))).toBe(invalid('the round-1 message is not signed by participant 3'));
    expect(refusal(() => verify(round1Fault({ ...bad3, index: 5 }, { accused: 5, fault: 'invalid-proof', validator: 2 }), null))).toBe(invalid('the round-1 message is not signed by participant 5'));
    const m = parseRound1(bad3, 'round1', def);
    const { signature: _s, ...content } = { ...m, ceremonyId: new Uint8Array(32).fill(7) };
    const elsewhere = round1ToJson(signRound1(content, keys[2]!, rng(32)));
    expect(refusal(() => verify(round1Fault(elsewhere, { accused: 3, fault: 'invalid-proof', validator: 2 }), null))).toBe(invalid('the round-1 message belongs to another ceremony'));
  });
});

describe('equivocation evidence', () => {
  const eq = (first: Round1Json, second: Round1Json): EvidenceJson => ({ kind: 'equivocation', first, second });

  it('two different messages signed by one participant convict it', () => {
    expect(verify(eq(honest[2]!.message, bad3), null)).toEqual([{ culprit: '3', fault: 'equivocation', certainty: 'proof', detail: 'participant 3 signed two different round-1 messages for this ceremony' }]);
  });

  it('refused for one message twice, two signers, or an unsigned first or second message', () => {
    expect(refusal(() => verify(eq(bad3, bad3), null))).toBe(invalid('the two round-1 messages are the same'));
    expect(refusal(() => verify(eq(honest[1]!.message, bad3), null))).toBe(invalid('the two round-1 messages are from different participants'));
    const unsigned = { ...bad3, signature: honest[2]!.message.signature };
    expect(refusal(() => verify(eq(unsigned, honest[2]!.message), null))).toBe(invalid('the first round-1 message is not signed by participant 3'));
    expect(refusal(() => verify(eq(honest[2]!.message, unsigned), null))).toBe(invalid('the second round-1 message is not signed by participant 3'));
  });
});

describe('missing-message evidence', () => {
  it('makes the participant a suspect only, with the default or the given detail', () => {
    expect(verify({ kind: 'missing', index: 2, stage: 'round2' } as EvidenceJson, null)).toEqual([{ culprit: '2', fault: 'missing', certainty: 'sender-or-coordinator', detail: 'no round2 message from participant 2' }]);
    expect(verify({ kind: 'missing', index: 4, stage: 'round1', detail: 'x' }, null)).toEqual([{ culprit: '4', fault: 'missing', certainty: 'sender-or-coordinator', detail: 'x' }]);
    expect(refusal(() => verify({ kind: 'missing', index: 5, stage: 'round1' } as EvidenceJson, null))).toMatch(/^DKG_INVALID_MESSAGE: .*\(evidence\.index\)$/);
  });

  it('an unknown kind is refused', () => {
    expect(refusal(() => verify({ kind: 'nothing' } as unknown as EvidenceJson, null))).toBe(invalid('unknown evidence kind'));
  });
});

describe('Ack evidence', () => {
  // built on first use, so a mutation run of other tests does not pay for it
  let built: { answered: AckJson; ack: ReturnType<typeof parseAck>; swapped: AckJson } | undefined;
  const fx = (): NonNullable<typeof built> => {
    if (built !== undefined) return built;
    const answered = processRound1(honest[1]!.state, keys[1]!, H, { rng });
    if (!answered.ok) throw new Error('expected an Ack');
    const ack = parseAck(answered.message);
    built = { answered: answered.message, ack, swapped: sign(ack, { depositPartials: [ack.depositPartials[1]!, ack.depositPartials[0]!] }) };
    return built;
  };
  const sign = (base: ReturnType<typeof parseAck>, change: Partial<ReturnType<typeof parseAck>>, signer = 2): AckJson => {
    const { signature: _s, ...content } = { ...base, ...change };
    return ackToJson(signAck(content, keys[signer - 1]!, rng(32)));
  };
  /** The honest Ack of participant 2 with `change`, signed by `signer`. */
  const resign = (change: Partial<ReturnType<typeof parseAck>>, signer = 2): AckJson => sign(fx().ack, change, signer);
  const invalidAck = (a: AckJson): EvidenceJson => ({ kind: 'invalid-ack', ack: a });
  const invalidPartial = (a: AckJson, deposit: number): EvidenceJson => ({ kind: 'invalid-partial', ack: a, deposit });

  it('a bad vote, a wrong partial count or an undecodable partial convicts the signer of invalid-ack', () => {
    const vote = fx().ack.certSignature.slice();
    vote[10]! ^= 1;
    const expectAck = (a: AckJson, detail: string): void => expect(verify(invalidAck(a), null)).toEqual([{ culprit: '2', fault: 'invalid-ack', certainty: 'proof', detail }]);
    expectAck(resign({ certSignature: vote }), "participant 2's certificate vote does not verify");
    expectAck(resign({ depositPartials: fx().ack.depositPartials.slice(0, 1) }), "participant 2's Ack has 1 deposit partials, expected 2");
    const blames = verify(invalidAck(resign({ depositPartials: [fx().ack.depositPartials[0]!, new Uint8Array(96).fill(0xff)] })), null);
    expect(blames.map((b) => `${b.culprit}:${b.fault}:${b.certainty}`)).toEqual(['2:invalid-ack:proof']);
    expect(blames[0]!.detail).toMatch(/^participant 2's deposit partial 1: /);
  });

  it('a well-formed Ack, or one not signed by its index, or for another ceremony, is refused', () => {
    expect(refusal(() => verify(invalidAck(fx().answered), null))).toBe(invalid("participant 2's Ack is well-formed"));
    expect(refusal(() => verify(invalidAck(resign({}, 3)), null))).toBe(invalid('the Ack is not signed by participant 2'));
    expect(refusal(() => verify(invalidAck(resign({ index: 7 })), null))).toBe(invalid('the Ack is not signed by participant 7'));
    expect(refusal(() => verify(invalidAck(resign({ ceremonyId: new Uint8Array(32).fill(7) })), null))).toBe(invalid('the Ack belongs to another ceremony'));
  });

  it('a partial that fails under its public share convicts the signer, naming the deposit and validator', () => {
    expect(verify(invalidPartial(fx().swapped, 0), H)).toEqual([
      { culprit: '2', fault: 'invalid-partial-signature', certainty: 'proof', validator: 1, detail: "participant 2's partial deposit signature 0 (validator 1) does not verify against its public share" },
    ]);
    expect(verify(invalidPartial(fx().swapped, 1), H).map((b) => `${b.culprit}:${b.fault}:${b.validator}`)).toEqual(['2:invalid-partial-signature:2']);
  });

  it('a valid partial, a deposit out of range, or the wrong context is refused', () => {
    expect(refusal(() => verify(invalidPartial(fx().answered, 0), H))).toBe(invalid("participant 2's partial for deposit 0 is valid"));
    expect(refusal(() => verify(invalidPartial(fx().answered, 1), H))).toBe(invalid("participant 2's partial for deposit 1 is valid"));
    expect(refusal(() => verify(invalidPartial(fx().swapped, 2), H))).toBe(invalid('no such deposit partial'));
    expect(refusal(() => verify(invalidPartial(resign({ depositPartials: [fx().ack.depositPartials[1]!] }), 0), H))).toBe(invalid('no such deposit partial'));
    expect(refusal(() => verify(invalidPartial(fx().swapped, 0), null))).toBe(invalid('a partial-signature fault needs the collected round 1'));
    expect(refusal(() => verify(invalidPartial(fx().swapped, 0), X))).toBe(invalid('the Ack is for another transcript'));
    expect(refusal(() => verify(invalidPartial(fx().swapped, 0), { ...H, round1: H.round1.slice(0, 3) }))).toBe(invalid('the collected round 1 of the evidence is not a valid relay'));
    expect(refusal(() => verify(invalidPartial(resign({ index: 6 }, 2), 0), H))).toBe(invalid('the Ack is not signed by participant 6'));
  });

  it('an Ack on a publicly invalid transcript is refused', () => {
    const onX = resign({ transcriptHash: hashOf(X) });
    expect(refusal(() => verify(invalidPartial(onX, 0), X))).toBe(invalid('the collected round 1 of the evidence is not publicly valid'));
  });
});

describe('coordinator evidence', () => {
  const short: CollectedJson = { ...H, round1: H.round1.slice(0, 3) };

  it('relayed data are a suspicion only, unless the verifier received them; fault and detail default', () => {
    const e = { kind: 'coordinator', fault: 'missing-message', detail: 'three messages', collected: short } as EvidenceJson;
    expect(verify(e, null)).toEqual([{ culprit: 'coordinator', fault: 'missing-message', certainty: 'sender-or-coordinator', detail: 'three messages (unsigned relayed data: the coordinator, or whoever presents them)' }]);
    expect(verify(e, null, true)).toEqual([{ culprit: 'coordinator', fault: 'missing-message', certainty: 'coordinator', detail: 'three messages' }]);
    expect(verify({ kind: 'coordinator', collected: short } as EvidenceJson, null, true)).toEqual([{ culprit: 'coordinator', fault: 'coordinator', certainty: 'coordinator', detail: 'coordinator' }]);
  });

  it('refused without a collected round 1, or when it is a valid relay and no final is given', () => {
    expect(refusal(() => verify({ kind: 'coordinator', fault: 'x' } as EvidenceJson, null, true))).toBe(invalid('coordinator evidence needs the collected round 1'));
    expect(refusal(() => verify({ kind: 'coordinator', fault: 'x', collected: H } as EvidenceJson, null, true))).toBe(invalid('the collected round 1 of the evidence is a valid relay'));
  });
});
