/**
 * Issue 12, round 3 (src/dkg/ready.ts) and finalisation without the coordinator's final message
 * (finalize.ts finalizeFromAcks): READY messages, the deposit certificate, and tamper tests that expect the exact
 * code, culprit and field.
 */
import { describe, expect, it } from 'vitest';
import { hex } from '../../src/dkg/codec.js';
import { collectReady, finalizeFromAcks, signReady, verifyDepositCertificate, type DepositCertificateJson, type ReadyClaimJson, type ReadyJson } from '../../src/dkg/index.js';
import { readyBody } from '../../src/dkg/ready.js';
import { canonicalRecoveryText } from '../../src/ceremony/dkg-output.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony } from './fixtures.js';

const c = ceremony(3, 2, 2);
const rng = insecureTestRng('ready');
const FP = `0x${'5a'.repeat(32)}`;
const claim: ReadyClaimJson = {
  transcriptHash: c.outputs[0]!.transcriptHash,
  manifestFingerprint: FP,
  depositDataRoots: c.outputs[0]!.validators.flatMap((v) => v.deposits.map((d) => hex(d.depositDataRoot))),
};
const readies: ReadyJson[] = c.keys.map((k) => signReady(c.definition, k, claim, rng));
const ID = c.outputs[0]!.ceremonyId;
const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;

describe('READY messages (round 3)', () => {
  it('each operator signs the same claim; n of them make a certificate that verifies against the deposit roots', () => {
    expect(readies.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(readies[1]).toMatchObject({ format: 'dvkeys/dkg-ready', version: 1, ceremonyId: c.outputs[0]!.ceremonyId, ...claim });
    // any order, duplicates and junk tolerated
    const r = collectReady(c.definition, claim, [readies[2], { junk: 1 }, readies[0], readies[2], readies[1]]);
    expect(r.ok).toBe(true);
    const cert = (r as { certificate: DepositCertificateJson }).certificate;
    expect(cert.signatures).toEqual(readies.map((x) => ({ index: x.index, signature: x.signature })));
    const checked = verifyDepositCertificate(cert, { ceremonyId: ID, depositDataRoots: claim.depositDataRoots, manifestFingerprint: FP });
    expect(checked.ceremonyId).toBe(c.outputs[0]!.ceremonyId);
    expect(checked.claim).toEqual(claim);
  });

  it('the body is the documented layout: format, version, ceremony id, u16 index, transcript, fingerprint, u32 D, roots', () => {
    const id = new Uint8Array(32).fill(1);
    const body = readyBody(id, 258, { transcriptHash: new Uint8Array(32).fill(2), manifestFingerprint: new Uint8Array(32).fill(3), depositDataRoots: [new Uint8Array(32).fill(4)] });
    expect(hex(body)).toBe(`0x0010${hex(new TextEncoder().encode('dvkeys/dkg-ready')).slice(2)}01${'01'.repeat(32)}0102${'02'.repeat(32)}${'03'.repeat(32)}00000001${'04'.repeat(32)}`);
  });

  it.each(['transcriptHash', 'manifestFingerprint', 'depositDataRoots', 'ceremonyId', 'signature'] as const)(
    'a READY whose %s was altered after signing is not attributable: its sender is only a suspect',
    (field) => {
      const m = structuredClone(readies[1]!) as { -readonly [K in keyof ReadyJson]: ReadyJson[K] };
      if (field === 'depositDataRoots') m.depositDataRoots = [m.depositDataRoots[0]!, flip(m.depositDataRoots[1]!)];
      else m[field] = flip(m[field]);
      const r = collectReady(c.definition, claim, [readies[0], m, readies[2]]);
      expect(r.ok).toBe(false);
      const v = (r as Extract<typeof r, { ok: false }>).verdict;
      expect(v.culprits).toEqual([]);
      expect(v.suspects).toEqual(['2']);
      expect(v.blames.map((b) => b.fault)).toEqual(['missing']);
    },
  );

  it('a READY validly signed over other values convicts its signer (ready-mismatch), naming the field', () => {
    const other = signReady(c.definition, c.keys[2]!, { ...claim, depositDataRoots: [claim.depositDataRoots[0]!, flip(claim.depositDataRoots[1]!)] }, rng);
    const r = collectReady(c.definition, claim, [...readies.slice(0, 2), other]);
    expect(r.ok).toBe(false);
    const v = (r as Extract<typeof r, { ok: false }>).verdict;
    expect(v.culprits).toEqual(['3']);
    expect(v.blames).toEqual([expect.objectContaining({ fault: 'ready-mismatch', certainty: 'proof', detail: expect.stringContaining('depositDataRoots[1]') })]);
    // the mismatching READY is not outweighed by a matching one from the same participant
    expect(collectReady(c.definition, claim, [...readies, other]).ok).toBe(false);
  });

  it('signReady refuses a claim without exactly one root per deposit, and a key that is not a participant', () => {
    expect(() => signReady(c.definition, c.keys[0]!, { ...claim, depositDataRoots: claim.depositDataRoots.slice(1) }, rng)).toThrow(expect.objectContaining({ code: 'DKG_INVALID_MESSAGE', field: 'claim.depositDataRoots' }));
    expect(() => signReady(c.definition, new Uint8Array(32).fill(7), claim, rng)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('the deposit certificate', () => {
  const cert = (collectReady(c.definition, claim, readies) as { certificate: DepositCertificateJson }).certificate;
  type Mutable = { -readonly [K in keyof DepositCertificateJson]: DepositCertificateJson[K] };
  const edit = (f: (x: Mutable) => void): unknown => {
    const x = structuredClone(cert) as Mutable;
    f(x);
    return x;
  };

  it('one signature changed: DKG_NOT_READY naming that operator', () => {
    const bad = edit((x) => (x.signatures = x.signatures.map((s, j) => (j === 1 ? { ...s, signature: flip(s.signature) } : s))));
    expect(() => verifyDepositCertificate(bad, { ceremonyId: ID })).toThrow(
      expect.objectContaining({ code: 'DKG_NOT_READY', culprits: ['2'], field: 'certificate.signatures[1].signature', message: expect.stringContaining('the READY signature of participant 2 does not verify over its claim') }),
    );
  });

  it('a missing operator: DKG_NOT_READY naming that operator', () => {
    const bad = edit((x) => (x.signatures = x.signatures.filter((s) => s.index !== 3)));
    expect(() => verifyDepositCertificate(bad, { ceremonyId: ID })).toThrow(
      expect.objectContaining({ code: 'DKG_NOT_READY', culprits: ['3'], field: 'certificate.signatures', message: expect.stringContaining('holds no READY signature of participant 3') }),
    );
    // operator 1's signature moved into operator 3's place: 3 missing, the moved one fails under 3's key
    const moved = edit((x) => (x.signatures = [x.signatures[1]!, { index: 3, signature: x.signatures[0]!.signature }]));
    expect(() => verifyDepositCertificate(moved, { ceremonyId: ID })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', culprits: ['1', '3'], field: 'certificate.signatures' }));
    const none = edit((x) => (x.signatures = []));
    expect(() => verifyDepositCertificate(none, { ceremonyId: ID })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', culprits: ['1', '2', '3'] }));
  });

  it.each([
    ['transcriptHash', (x: Mutable) => (x.transcriptHash = flip(x.transcriptHash))],
    ['manifestFingerprint', (x: Mutable) => (x.manifestFingerprint = flip(x.manifestFingerprint))],
    ['a deposit root', (x: Mutable) => (x.depositDataRoots = [flip(x.depositDataRoots[0]!), x.depositDataRoots[1]!])],
  ])('its %s changed: no signature verifies, DKG_NOT_READY blaming the assembler', (_name, f) => {
    expect(() => verifyDepositCertificate(edit(f), { ceremonyId: ID })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', culprits: ['coordinator'], field: 'certificate' }));
  });

  it('a certificate an attacker made over its own definition, claiming these roots and this ceremony.json: refused by the anchor (decision 0424)', () => {
    const evil = ceremony(3, 2, 2, 'attacker');
    expect(evil.outputs[0]!.ceremonyId).not.toBe(ID);
    // the attacker's operators (its own host keys) sign READY over the real ceremony's claim
    const forged = collectReady(evil.definition, claim, evil.keys.map((k) => signReady(evil.definition, k, claim, rng)));
    expect(forged.ok).toBe(true);
    const cert2 = (forged as { certificate: DepositCertificateJson }).certificate;
    const expectations = { depositDataRoots: claim.depositDataRoots, manifestFingerprint: FP };
    expect(() => verifyDepositCertificate(cert2, { ceremonyId: ID, ...expectations })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', field: 'certificate.definition', culprits: [] }));
    // also under the short fingerprint, and with no anchor at all it is refused before anything is checked
    const fp = `${ID.slice(2, 6)}-${ID.slice(6, 10)}-${ID.slice(10, 14)}-${ID.slice(14, 18)}-${ID.slice(18, 22)}`;
    expect(verifyDepositCertificate(cert, { ceremonyId: fp.toUpperCase(), ...expectations }).ceremonyId).toBe(ID);
    expect(() => verifyDepositCertificate(cert2, { ceremonyId: fp, ...expectations })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', field: 'certificate.definition' }));
    expect(() => verifyDepositCertificate(cert2, { ceremonyId: '', ...expectations })).toThrow(expect.objectContaining({ code: 'DKG_CEREMONY_ID_REQUIRED', field: 'ceremonyId' }));
    // the anchor is the only thing that refuses it: under the attacker's own id every check passes
    expect(verifyDepositCertificate(cert2, { ceremonyId: evil.outputs[0]!.ceremonyId, ...expectations }).ceremonyId).toBe(evil.outputs[0]!.ceremonyId);
  });

  it('a certificate of other deposit data or another ceremony.json: DKG_NOT_READY naming the field', () => {
    const roots = [claim.depositDataRoots[0]!, flip(claim.depositDataRoots[1]!)];
    expect(() => verifyDepositCertificate(cert, { ceremonyId: ID, depositDataRoots: roots })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', field: 'certificate.depositDataRoots[1]', culprits: [] }));
    expect(() => verifyDepositCertificate(cert, { ceremonyId: ID, depositDataRoots: roots.slice(1) })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', field: 'certificate.depositDataRoots' }));
    expect(() => verifyDepositCertificate(cert, { ceremonyId: ID, manifestFingerprint: flip(FP) })).toThrow(expect.objectContaining({ code: 'DKG_NOT_READY', field: 'certificate.manifestFingerprint' }));
  });

  it.each([
    ['an unknown field', (x: Mutable) => Object.assign(x, { note: 'hi' }), 'certificate.note'],
    ['version 2', (x: Mutable) => Object.assign(x, { version: 2 }), 'certificate.version'],
    ['indices out of order', (x: Mutable) => (x.signatures = [x.signatures[1]!, x.signatures[0]!, x.signatures[2]!]), 'certificate.signatures[1].index'],
    ['a repeated index', (x: Mutable) => (x.signatures = [x.signatures[0]!, x.signatures[0]!, x.signatures[2]!]), 'certificate.signatures[1].index'],
    ['an unknown entry field', (x: Mutable) => (x.signatures = [{ ...x.signatures[0]!, name: 'a' } as never, x.signatures[1]!, x.signatures[2]!]), 'certificate.signatures[0].name'],
    ['one root too many', (x: Mutable) => (x.depositDataRoots = [...x.depositDataRoots, x.depositDataRoots[0]!]), 'certificate.depositDataRoots'],
    ['uppercase hex', (x: Mutable) => (x.transcriptHash = x.transcriptHash.toUpperCase().replace('0X', '0x')), 'certificate.transcriptHash'],
  ])('is parsed strictly: %s is DKG_INVALID_MESSAGE', (_name, f, field) => {
    expect(() => verifyDepositCertificate(edit(f), { ceremonyId: ID })).toThrow(expect.objectContaining({ code: 'DKG_INVALID_MESSAGE', field }));
  });
});

describe('finalisation without the final message (withheld final)', () => {
  it('attack "withheld final": the coordinator combines the deposits but keeps final from operator 2, which finalises from the relayed Acks alone', () => {
    // the coordinator holds c.final (and so the deposit data) and hands it to nobody; operator 2 has the n Acks
    const fromAcks = finalizeFromAcks(c.round2States[1]!, c.collected, [c.acks[2], c.acks[0], c.acks[1]], { rng });
    expect(fromAcks.ok).toBe(true);
    const r = fromAcks as Extract<typeof fromAcks, { ok: true }>;
    // the same final message byte for byte (so the same recovery data, ceremony.json and deposit data)
    expect(r.recovery.final).toEqual(c.final);
    expect(canonicalRecoveryText(r.recovery)).toBe(canonicalRecoveryText(c.recovery));
    expect(hex(r.output.validators[1]!.share.secret)).toBe(hex(c.outputs[1]!.validators[1]!.share.secret));
    expect(r.output.validators.map((v) => hex(v.pubkey))).toEqual(c.outputs[0]!.validators.map((v) => hex(v.pubkey)));
    expect(r.state.step).toBe('done');
  });

  it('a missing Ack makes its sender a suspect; an Ack altered after signing is not attributable (its sender a suspect)', () => {
    const missing = finalizeFromAcks(c.round2States[0]!, c.collected, [c.acks[0], c.acks[1]], { rng });
    expect(missing.ok).toBe(false);
    const m = missing as Extract<typeof missing, { ok: false }>;
    expect(m.verdict.culprits).toEqual([]);
    expect(m.verdict.suspects).toEqual(['3']);
    expect(m.state).toMatchObject({ step: 'aborted', transcriptHash: c.outputs[0]!.transcriptHash });
    // deposit partials swapped after signing: the Ack's signature no longer covers them
    const swapped = { ...c.acks[1]!, depositPartials: [c.acks[1]!.depositPartials[1]!, c.acks[1]!.depositPartials[0]!] };
    const bad = finalizeFromAcks(c.round2States[0]!, c.collected, [c.acks[0], swapped, c.acks[2]], { rng });
    expect(bad.ok).toBe(false);
    const b = bad as Extract<typeof bad, { ok: false }>;
    expect(b.verdict.culprits).toEqual([]);
    expect(b.verdict.suspects).toEqual(['2']);
  });

  it('refuses a collected round 1 other than the one the state acknowledged (DKG_REPLAY) and a state not at round 2', () => {
    expect(() => finalizeFromAcks(c.round2States[0]!, { ...c.collected, round1: [c.collected.round1[1], c.collected.round1[0], c.collected.round1[2]] }, c.acks)).toThrow(expect.objectContaining({ code: 'DKG_REPLAY' }));
    expect(() => finalizeFromAcks(c.round1States[0]!, c.collected, c.acks)).toThrow(expect.objectContaining({ code: 'DKG_WRONG_ROUND' }));
  });
});
