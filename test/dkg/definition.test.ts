/** Brief B3 and B10 "Parameters" / "Invalid encryption key at enrollment": drafts, enrollments, definitions. */
import { describe, expect, it } from 'vitest';
import { hex } from '../../src/dkg/codec.js';
import { ceremonyFingerprint, ceremonyId, createDraft, defineCeremony, enroll, hostPublicKey, parseDefinition, type DkgDraftJson, type EnrollmentJson } from '../../src/dkg/index.js';
import { MAX_PARTICIPANTS } from '../../src/dkg/constants.js';
import { isDvkeysError, type ErrorCode } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony, draftOf } from './fixtures.js';

function failure(f: () => unknown): { code: ErrorCode | 'none' | 'other'; culprits: readonly string[] } {
  try {
    f();
    return { code: 'none', culprits: [] };
  } catch (e) {
    return isDvkeysError(e) ? { code: e.code, culprits: e.culprits } : { code: 'other', culprits: [] };
  }
}

const base = (): ReturnType<typeof draftOf> => draftOf(3, 2, 1, 'definition');

function withDraft(change: (d: DkgDraftJson) => DkgDraftJson): () => unknown {
  const { keys, draft } = base();
  return () => enroll(change(structuredClone<DkgDraftJson>(draft)), keys[0]!);
}

describe('ceremony definition', () => {
  it('the ceremony id is a hash of the definition, stable across parses, with a short fingerprint', () => {
    const c = ceremony();
    const id = ceremonyId(c.definition);
    expect(id).toMatch(/^0x[0-9a-f]{64}$/);
    expect(ceremonyId(structuredClone(c.definition))).toBe(id);
    expect(ceremonyFingerprint(c.definition)).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);
    expect(parseDefinition(c.definition).json).toEqual(c.definition);
  });

  it('participants holding different definitions (V, withdrawal credentials, fork) get different ids', () => {
    const c = ceremony();
    const ids = new Set([ceremonyId(c.definition)]);
    const { keys, draft, rng } = draftOf(3, 2, 2, 'fixture');
    const variants: DkgDraftJson[] = [
      { ...draft, validators: draft.validators.slice(0, 1) },
      { ...draft, validators: [{ ...draft.validators[0]!, withdrawalCredentials: `0x01${'00'.repeat(11)}${'ee'.repeat(20)}` }, draft.validators[1]!] },
      { ...draft, network: { name: 'mainnet', genesisForkVersion: '0x00000000' } },
    ];
    for (const d of variants) ids.add(ceremonyId(defineCeremony(d, keys.map((k) => enroll(d, k, { rng })))));
    expect(ids.size).toBe(4);
  });

  describe('parameter misuse', () => {
    it('0x00 (BLS) withdrawal credentials are refused in createDraft, in a parsed draft and in a definition, naming the field (issue 12)', () => {
      const { keys, draft } = base();
      const bls = `0x00${'11'.repeat(31)}`;
      const field = 'draft.validators[0].withdrawalCredentials';
      const want = expect.objectContaining({ code: 'DKG_BLS_CREDENTIALS', field, message: expect.stringContaining(`'${field}' are 0x00 (BLS) credentials`) });
      expect(() => createDraft({ network: draft.network, threshold: 2, operators: draft.operators, validators: [{ withdrawalCredentials: bls, amounts: ['32000000000'] }] })).toThrow(want);
      const edited = { ...draft, validators: [{ ...draft.validators[0]!, withdrawalCredentials: bls }] };
      expect(() => enroll(edited, keys[0]!)).toThrow(want);
      // a definition carrying 0x00 (made by another tool): refused when parsed, whatever its signatures
      const c = ceremony();
      const def = structuredClone(c.definition) as unknown as { validators: { withdrawalCredentials: string }[] };
      def.validators[1]!.withdrawalCredentials = bls;
      expect(() => parseDefinition(def)).toThrow(expect.objectContaining({ code: 'DKG_BLS_CREDENTIALS', field: expect.stringMatching(/validators\[1\]\.withdrawalCredentials$/) }));
    });
    it('t > n', () => expect(failure(withDraft((d) => ({ ...d, threshold: 4 }))).code).toBe('INVALID_THRESHOLD'));
    it('t < 2', () => expect(failure(withDraft((d) => ({ ...d, threshold: 1 }))).code).toBe('INVALID_THRESHOLD'));
    it('n above the cap', () => {
      const { draft } = base();
      const ops = Array.from({ length: MAX_PARTICIPANTS + 1 }, () => draft.operators[0]!);
      expect(failure(() => createDraft({ network: draft.network, threshold: 2, operators: ops, validators: draft.validators })).code).toBe('LIMIT_EXCEEDED');
    });
    it('duplicate host keys name both operators', () => {
      const r = failure(withDraft((d) => ({ ...d, operators: [d.operators[0]!, d.operators[1]!, d.operators[0]!] })));
      expect(r.code).toBe('DUPLICATE_KEY');
      expect(r.culprits).toEqual(['1', '3']);
    });
    it('duplicate encryption keys are refused', () => {
      const c = ceremony();
      const def = structuredClone(c.definition) as unknown as { participants: { encryptionPublicKey: string }[] };
      def.participants[1]!.encryptionPublicKey = def.participants[0]!.encryptionPublicKey;
      // the enrollment signature covers the key, so the forged copy already fails as a signature
      expect(['DUPLICATE_KEY', 'SIGNATURE_INVALID']).toContain(failure(() => parseDefinition(def)).code);
    });
    it('index 0 (indices are positions 1..n)', () => {
      const c = ceremony();
      const def = structuredClone(c.definition) as unknown as { participants: { index: number }[] };
      def.participants[0]!.index = 0;
      expect(failure(() => parseDefinition(def)).code).toBe('DKG_INVALID_MESSAGE');
    });
    it('a host key not in the draft cannot enroll', () => {
      const { draft } = base();
      expect(failure(() => enroll(draft, new Uint8Array(32).fill(5))).code).toBe('INVALID_ARGUMENT');
    });
    it('an all-zero attempt nonce, a bad withdrawal prefix, an amount below 1 ETH, an unknown fork', () => {
      expect(failure(withDraft((d) => ({ ...d, attemptNonce: `0x${'00'.repeat(32)}` }))).code).toBe('INVALID_ARGUMENT');
      expect(failure(withDraft((d) => ({ ...d, validators: [{ ...d.validators[0]!, withdrawalCredentials: `0x03${'00'.repeat(31)}` }] }))).code).toBe('DEPOSIT_INVALID');
      expect(failure(withDraft((d) => ({ ...d, validators: [{ ...d.validators[0]!, amounts: ['100'] }] }))).code).toBe('AMOUNT_INVALID');
      expect(failure(withDraft((d) => ({ ...d, network: { name: 'mainnet', genesisForkVersion: '0x01017000' } }))).code).toBe('INVALID_ARGUMENT');
    });
    it('unknown fields and non-canonical hex are rejected', () => {
      expect(failure(withDraft((d) => ({ ...d, extra: 1 }) as DkgDraftJson)).code).toBe('DKG_INVALID_MESSAGE');
      expect(failure(withDraft((d) => ({ ...d, attemptNonce: d.attemptNonce.toUpperCase().replace('0X', '0x') }))).code).toBe('DKG_INVALID_MESSAGE');
      expect(failure(withDraft((d) => ({ ...d, attemptNonce: d.attemptNonce.slice(2) }))).code).toBe('DKG_INVALID_MESSAGE');
    });
  });

  describe('invalid encryption key at enrollment', () => {
    const setup = (): { draft: DkgDraftJson; enrollments: EnrollmentJson[] } => {
      const { keys, draft, rng } = base();
      return { draft, enrollments: keys.map((k) => enroll(draft, k, { rng })) };
    };
    it('not on secp256k1', () => {
      const { draft, enrollments } = setup();
      const bad = { ...enrollments[1]!, encryptionPublicKey: `0x02${'ff'.repeat(32)}` };
      expect(failure(() => defineCeremony(draft, [enrollments[0], bad, enrollments[2]])).code).toBe('INVALID_POINT');
    });
    it('the identity (or any non-compressed encoding)', () => {
      const { draft, enrollments } = setup();
      const bad = { ...enrollments[1]!, encryptionPublicKey: `0x00${'00'.repeat(32)}` };
      expect(failure(() => defineCeremony(draft, [enrollments[0], bad, enrollments[2]])).code).toBe('INVALID_POINT');
    });
    it('a bad enrollment signature names the operator', () => {
      const { draft, enrollments } = setup();
      const bad = { ...enrollments[2]!, salt: enrollments[1]!.salt };
      const r = failure(() => defineCeremony(draft, [enrollments[0], enrollments[1], bad]));
      expect(r.code).toBe('SIGNATURE_INVALID');
      expect(r.culprits).toEqual(['3']);
    });
    it('an enrollment of another draft, and a missing enrollment', () => {
      const { draft, enrollments } = setup();
      const other = createDraft({ network: draft.network, threshold: draft.threshold, operators: draft.operators, validators: draft.validators, rng: insecureTestRng('other nonce') });
      expect(failure(() => defineCeremony(other, enrollments)).code).toBe('CEREMONY_MISMATCH');
      expect(failure(() => defineCeremony(draft, enrollments.slice(0, 2))).culprits).toEqual(['3']);
    });
  });

  it('enrollment derives the per-attempt key from the host key: a fresh salt gives a fresh key', () => {
    const { keys, draft } = base();
    const a = enroll(draft, keys[0]!, { salt: new Uint8Array(32).fill(1), rng: insecureTestRng('a') });
    const b = enroll(draft, keys[0]!, { salt: new Uint8Array(32).fill(1), rng: insecureTestRng('b') });
    const c = enroll(draft, keys[0]!, { salt: new Uint8Array(32).fill(2), rng: insecureTestRng('a') });
    expect(a.encryptionPublicKey).toBe(b.encryptionPublicKey);
    expect(a.encryptionPublicKey).not.toBe(c.encryptionPublicKey);
    expect(a.hostPublicKey).toBe(hex(hostPublicKey(keys[0]!)));
  });
});
