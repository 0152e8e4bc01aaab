/** Brief B10.4 agreement and recovery, audit, and the output's compatibility with the split manifest checks. */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { audit, checkOutput, recover, samePublicOutput, sharingPublicData } from '../../src/dkg/index.js';
import { ackToJson, parseAck, parseCollected, parseComplaint, parseFinal, parseRound2 } from '../../src/dkg/messages.js';
import { isDvkeysError, type ErrorCode } from '../../src/errors.js';
import { checkRecombination } from '../../src/sharing/recombine.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony } from './fixtures.js';

function failure(f: () => unknown): { code: ErrorCode | 'none' | 'other'; culprits: readonly string[] } {
  try {
    f();
    return { code: 'none', culprits: [] };
  } catch (e) {
    return isDvkeysError(e) ? { code: e.code, culprits: e.culprits } : { code: 'other', culprits: [] };
  }
}

const flip = (h: string, at = -2): string => `${h.slice(0, at)}${h.slice(at, at + 2) === '00' ? '01' : '00'}${h.slice(at + 2 || h.length)}`;

describe('recovery and audit', () => {
  it('every participant rebuilds its identical output from its host key and the recovery data alone', () => {
    const c = ceremony();
    c.keys.forEach((k, i) => {
      const out = recover(k, structuredClone(c.recovery), { rng: insecureTestRng(`rec${i}`) });
      const mine = c.outputs[i]!;
      expect(samePublicOutput(out, mine)).toBe(true);
      out.validators.forEach((v, j) => expect(bytesToHex(v.share.secret)).toBe(bytesToHex(mine.validators[j]!.share.secret)));
    });
  });

  it('fails with a host key that is not a participant\'s', () => {
    const c = ceremony();
    expect(failure(() => recover(new Uint8Array(32).fill(9), c.recovery)).code).toBe('INVALID_ARGUMENT');
  });

  it('fails on tampered recovery data, naming the coordinator (who delivered it)', () => {
    const c = ceremony();
    const cases: ((r: typeof c.recovery) => unknown)[] = [
      (r) => ({ ...r, collected: { ...r.collected, round1: r.collected.round1.map((m, i) => (i === 1 ? { ...m, validators: [{ ...m.validators[0]!, commitments: [flip(m.validators[0]!.commitments[0]!), ...m.validators[0]!.commitments.slice(1)] }, ...m.validators.slice(1)] } : m)) } }),
      (r) => ({ ...r, final: { ...r.final, certificate: [flip(r.final.certificate[0]!), ...r.final.certificate.slice(1)] } }),
      (r) => ({ ...r, final: { ...r.final, certificate: [r.final.certificate[1]!, r.final.certificate[0]!, ...r.final.certificate.slice(2)] } }),
      (r) => ({ ...r, final: { ...r.final, depositSignatures: [r.final.depositSignatures[1]!, r.final.depositSignatures[0]!] } }),
      (r) => ({ ...r, final: { ...r.final, transcriptHash: flip(r.final.transcriptHash) } }),
    ];
    for (const tamper of cases) {
      const bad = tamper(structuredClone(c.recovery));
      const r = failure(() => recover(c.keys[0]!, bad, { rng: insecureTestRng('t') }));
      expect(r.code).toBe('DKG_ABORTED');
      expect(r.culprits).toEqual(['coordinator']);
      const a = audit(bad, { rng: insecureTestRng('a') });
      expect(a.ok).toBe(false);
    }
  });

  it('audit returns the public outputs and checks them without any secret', () => {
    const c = ceremony();
    const a = audit(c.recovery, { rng: insecureTestRng('audit') });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.transcriptHash).toBe(c.outputs[0]!.transcriptHash);
    a.validators.forEach((v, i) => {
      const o = c.outputs[0]!.validators[i]!;
      expect(bytesToHex(v.pubkey)).toBe(bytesToHex(o.pubkey));
      expect(v.publicShares.map((y) => bytesToHex(y))).toEqual(o.publicShares.map((y) => bytesToHex(y.publicKey)));
      expect(v.deposits.map((d) => bytesToHex(d.signature))).toEqual(o.deposits.map((d) => bytesToHex(d.signature)));
    });
  });

  it('the output is what a split manifest describes: {pubkey, commitments[t], public_shares[n]}, and it recombines', () => {
    const c = ceremony(4, 3, 2, 'manifest');
    const o = c.outputs[2]!;
    for (const v of o.validators) {
      expect(v.commitments).toHaveLength(3);
      expect(v.publicShares.map((y) => y.id)).toEqual([1n, 2n, 3n, 4n]);
      expect(bytesToHex(v.commitments[0]!)).toBe(bytesToHex(v.pubkey));
      expect(v.share.id).toBe(3n);
    }
    for (const { report } of checkOutput(o, undefined, insecureTestRng('check'))) expect(report.ok).toBe(true);
    // every share of the ceremony together: all four checks of design section 4, including the threshold signature
    const shares = c.outputs.map((x) => x.validators[0]!.share);
    const report = checkRecombination(sharingPublicData(o, 1), { shares, rng: insecureTestRng('all') });
    expect(report.checks.map((x) => x.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
});

describe('message codecs', () => {
  it('are strict: unknown fields, uppercase or unprefixed hex and foreign formats are rejected', () => {
    const c = ceremony();
    const ack = c.acks[0]!;
    expect(ackToJson(parseAck(ack))).toEqual(ack);
    expect(parseRound2(ack).kind).toBe('ack');
    const bad: unknown[] = [
      { ...ack, extra: true },
      { ...ack, version: 2 },
      { ...ack, transcriptHash: ack.transcriptHash.toUpperCase().replace('0X', '0x') },
      { ...ack, transcriptHash: ack.transcriptHash.slice(2) },
      { ...ack, index: 0 },
      { ...ack, format: 'dvkeys/dkg-final' },
    ];
    for (const b of bad) expect(failure(() => parseAck(b)).code).toBe('DKG_INVALID_MESSAGE');
    expect(failure(() => parseFinal({ ...c.final, certificate: [...c.final.certificate, '0x'] })).code).toBe('DKG_INVALID_MESSAGE');
    expect(failure(() => parseCollected({ ...c.collected, round1: Array.from({ length: 65 }, () => c.round1[0]) })).code).toBe('LIMIT_EXCEEDED');
    expect(failure(() => parseComplaint({ format: 'dvkeys/dkg-complaint', version: 1, ceremonyId: c.final.ceremonyId, index: 1, accusations: [{ accused: 2, fault: 'rude' }], signature: `0x${'00'.repeat(64)}` })).code).toBe('DKG_INVALID_MESSAGE');
  });
});
