/**
 * Tamper tests: one changed field of a split gives one specific error code naming the culprit.
 * The split is fixed by a deterministic test RNG; 4-of-6 with ids 1..6.
 */
import { describe, expect, it } from 'vitest';
import { encodeScalar, decodeScalar, Fr } from '../../src/bls/field.js';
import { decodeG1, decodeG2, encodeG1, encodeG2, G1, G2 } from '../../src/bls/group.js';
import { isDvkeysError, type DvkeysError } from '../../src/errors.js';
import { assertRecombination, checkRecombination, type SharingPublicData } from '../../src/sharing/recombine.js';
import { recoverSecret, split } from '../../src/sharing/shamir.js';
import { combinePartialSignatures, partialSign, verifyPartial } from '../../src/sharing/threshold-signature.js';
import { SecretBytes, toShareIndex, type SecretShare } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';

const KEY = encodeScalar(0x1234567890abcdefn * 0xfedcba987654321n);
const res = split(KEY, { threshold: 4, shares: 6, rng: insecureTestRng('tamper') });
const base: SharingPublicData = {
  threshold: 4,
  groupPublicKey: res.groupPublicKey,
  commitments: res.commitments,
  publicShares: res.publicShares,
};

function thrown(fn: () => unknown): DvkeysError {
  try {
    fn();
  } catch (e) {
    if (isDvkeysError(e)) return e;
    throw e;
  }
  throw new Error('expected a DvkeysError');
}

const flipLastByte = (b: Uint8Array): Uint8Array => {
  const c = Uint8Array.from(b);
  c[c.length - 1]! ^= 1;
  return c;
};
const copyShares = (): SecretShare[] => res.shares.map((s) => ({ id: s.id, secret: SecretBytes.copyOf(s.secret) }));

describe('tamper: split public data and shares', () => {
  it('an untouched split passes all four checks', () => {
    const r = checkRecombination(base, { shares: res.shares });
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('one changed byte in a share: SHARE_MISMATCH naming that share', () => {
    const shares = copyShares();
    shares[2] = { id: shares[2]!.id, secret: SecretBytes.copyOf(flipLastByte(shares[2]!.secret)) };
    const e = thrown(() => assertRecombination(base, { shares }));
    expect(e.code).toBe('SHARE_MISMATCH');
    expect(e.culprits).toEqual(['3']);
  });

  it('a share >= r: SCALAR_OUT_OF_RANGE naming the field', () => {
    const shares = copyShares();
    shares[0] = { id: shares[0]!.id, secret: SecretBytes.copyOf(new Uint8Array(32).fill(0xff)) };
    const e = thrown(() => checkRecombination(base, { shares }));
    expect([e.code, e.field]).toEqual(['SCALAR_OUT_OF_RANGE', 'shares[0].secret']);
  });

  it('one changed byte in a commitment: a decoding error naming it', () => {
    const commitments = [...res.commitments];
    commitments[1] = flipLastByte(commitments[1]!);
    const e = thrown(() => checkRecombination({ ...base, commitments }));
    expect(['INVALID_POINT', 'POINT_NOT_IN_SUBGROUP']).toContain(e.code);
    expect(e.field).toBe('commitments[1]');
  });

  it('a different valid commitment: PUBLIC_SHARE_MISMATCH naming every share', () => {
    const commitments = [...res.commitments];
    commitments[1] = encodeG1(decodeG1(commitments[1]!, 'c').add(G1.BASE));
    const e = thrown(() => assertRecombination({ ...base, commitments }));
    expect(e.code).toBe('PUBLIC_SHARE_MISMATCH');
    expect(e.culprits).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('commitments[0] that is not the group key: COMMITMENT_MISMATCH', () => {
    const commitments = [...res.commitments];
    commitments[0] = encodeG1(decodeG1(commitments[0]!, 'c').add(G1.BASE));
    expect(thrown(() => assertRecombination({ ...base, commitments })).code).toBe('COMMITMENT_MISMATCH');
  });

  it('one changed byte in a public share: a decoding error naming it', () => {
    const publicShares = [...res.publicShares];
    publicShares[4] = { id: publicShares[4]!.id, publicKey: flipLastByte(publicShares[4]!.publicKey) };
    const e = thrown(() => checkRecombination({ ...base, publicShares }));
    expect(['INVALID_POINT', 'POINT_NOT_IN_SUBGROUP']).toContain(e.code);
    expect(e.field).toBe('publicShares[4].publicKey');
  });

  it('a different valid public share: PUBLIC_SHARE_MISMATCH with commitments, DEGREE_CHECK_FAILED without, both naming it', () => {
    const publicShares = [...res.publicShares];
    publicShares[4] = { id: publicShares[4]!.id, publicKey: encodeG1(decodeG1(publicShares[4]!.publicKey, 'p').add(G1.BASE)) };
    const withC = thrown(() => assertRecombination({ ...base, publicShares }));
    expect([withC.code, withC.culprits]).toEqual(['PUBLIC_SHARE_MISMATCH', ['5']]);
    const { commitments: _c, ...noCommitments } = base;
    const without = thrown(() => assertRecombination({ ...noCommitments, publicShares }));
    expect([without.code, without.culprits]).toEqual(['DEGREE_CHECK_FAILED', ['5']]);
  });

  it('without commitments the leave-one-out culprit search stops above 64 shares (no culprit, said so); at 64 it names the share', () => {
    for (const shares of [64, 65]) {
      const big = split(KEY, { threshold: 2, shares, rng: insecureTestRng(`tamper/${shares}`) });
      const publicShares = [...big.publicShares];
      publicShares[9] = { id: publicShares[9]!.id, publicKey: encodeG1(decodeG1(publicShares[9]!.publicKey, 'p').add(G1.BASE)) };
      const e = thrown(() => assertRecombination({ threshold: 2, groupPublicKey: big.groupPublicKey, publicShares }));
      expect(e.code).toBe('DEGREE_CHECK_FAILED');
      expect(e.culprits).toEqual(shares === 64 ? ['10'] : []);
      if (shares === 65) expect(e.message).toContain('no culprit search above 64 shares without commitments');
      // with the commitments the share is named at any size
      const withC = thrown(() => assertRecombination({ threshold: 2, groupPublicKey: big.groupPublicKey, commitments: big.commitments, publicShares }));
      expect([withC.code, withC.culprits]).toEqual(['PUBLIC_SHARE_MISMATCH', ['10']]);
    }
  });

  it('a changed id: PUBLIC_SHARE_MISMATCH naming the new id; a zero id: INVALID_SHARE_ID; a repeated id: DUPLICATE_SHARE_ID', () => {
    const publicShares = [...res.publicShares];
    publicShares[1] = { id: toShareIndex(7), publicKey: publicShares[1]!.publicKey };
    const e = thrown(() => assertRecombination({ ...base, publicShares }));
    expect([e.code, e.culprits]).toEqual(['PUBLIC_SHARE_MISMATCH', ['7']]);
    const zero = res.publicShares.map((p, i) => (i === 1 ? { id: 0n as never, publicKey: p.publicKey } : p));
    expect(thrown(() => checkRecombination({ ...base, publicShares: zero })).code).toBe('INVALID_SHARE_ID');
    const dup = res.publicShares.map((p, i) => (i === 1 ? { id: res.publicShares[0]!.id, publicKey: p.publicKey } : p));
    const d = thrown(() => checkRecombination({ ...base, publicShares: dup }));
    expect([d.code, d.field, d.culprits]).toEqual(['DUPLICATE_SHARE_ID', 'publicShares.id[1]', ['1']]);
  });

  it('a polynomial of too low degree (t-1 shares suffice): DEGREE_CHECK_FAILED in threshold-exact', () => {
    const low = split(KEY, { threshold: 3, shares: 6, rng: insecureTestRng('low') });
    const data = { ...base, commitments: undefined, publicShares: low.publicShares };
    const { commitments: _c, ...rest } = data;
    const r = checkRecombination(rest);
    expect(r.checks.find((c) => c.check === 'threshold-exact')).toMatchObject({ status: 'fail', code: 'DEGREE_CHECK_FAILED' });
  });

  it('one changed partial signature: PARTIAL_SIGNATURE_INVALID naming it; fewer than t: NOT_ENOUGH_SHARES', () => {
    const message = new TextEncoder().encode('exit');
    const partials = res.shares.map((s) => partialSign(s, message));
    partials[3] = { id: partials[3]!.id, signature: encodeG2(decodeG2(partials[3]!.signature, 's').add(G2.BASE)) };
    const input = { threshold: 4, groupPublicKey: res.groupPublicKey, publicShares: res.publicShares, message, partials };
    const e = thrown(() => combinePartialSignatures(input));
    expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['4']]);
    const flipped = [...partials.slice(0, 3), { id: partials[4]!.id, signature: flipLastByte(partials[4]!.signature) }];
    const f = thrown(() => combinePartialSignatures({ ...input, partials: [...flipped, partials[5]!] }));
    expect(f.field).toBe('partials[3].signature');
    const few = thrown(() => combinePartialSignatures({ ...input, partials: partials.slice(0, 3) }));
    expect(few.code).toBe('NOT_ENOUGH_SHARES');
  });

  it('recoverSecret refuses too few shares and duplicates', () => {
    expect(thrown(() => recoverSecret(res.shares.slice(0, 3), 4)).code).toBe('NOT_ENOUGH_SHARES');
    expect(thrown(() => recoverSecret([res.shares[0]!, res.shares[0]!, res.shares[1]!, res.shares[2]!], 4)).code).toBe(
      'DUPLICATE_SHARE_ID',
    );
    expect(decodeScalar(recoverSecret(res.shares.slice(2), 4), 'k')).toBe(Fr.create(decodeScalar(KEY, 'k')));
  });
});

describe('split input validation', () => {
  it.each([
    [{ threshold: 0, shares: 3 }, 'INVALID_THRESHOLD', 'threshold'],
    [{ threshold: 4, shares: 3 }, 'INVALID_THRESHOLD', 'threshold'],
    [{ threshold: 1.5, shares: 3 }, 'INVALID_THRESHOLD', 'threshold'],
    [{ threshold: 2, ids: [1, 0, 3] }, 'INVALID_SHARE_ID', 'ids[1]'],
    [{ threshold: 2, ids: [1, 2, 2] }, 'DUPLICATE_SHARE_ID', 'ids[2]'],
    [{ threshold: 2, ids: [1n, 1n << 64n] }, 'INVALID_SHARE_ID', 'ids[1]'],
    [{ threshold: 2 }, 'INVALID_ARGUMENT', 'shares'],
    [{ threshold: 2, shares: 3, ids: [1, 2] }, 'INVALID_ARGUMENT', 'ids'],
  ] as const)('case %# -> %s', (options, code, field) => {
    const e = thrown(() => split(KEY, options));
    expect([e.code, e.field]).toEqual([code, field]);
  });

  it('refuses a zero key and a key >= r', () => {
    expect(thrown(() => split(new Uint8Array(32), { threshold: 1, shares: 1 })).code).toBe('ZERO_SCALAR');
    expect(thrown(() => split(new Uint8Array(32).fill(0xff), { threshold: 1, shares: 1 })).code).toBe('SCALAR_OUT_OF_RANGE');
    expect(thrown(() => split(new Uint8Array(31), { threshold: 1, shares: 1 })).code).toBe('INVALID_LENGTH');
  });

  it('accepts the largest uint64 id (SSV operator ids)', () => {
    const r = split(KEY, { threshold: 2, ids: [1n, (1n << 64n) - 1n] });
    expect(assertRecombination(
      { threshold: 2, groupPublicKey: r.groupPublicKey, commitments: r.commitments, publicShares: r.publicShares },
      { shares: r.shares },
    ).ok).toBe(true);
  });
});

// Issue 19: each test here fails on a mutation the suite once let through (docs/mutation.md).
describe('mutation kills: threshold signatures and the degree check', () => {
  const message = new TextEncoder().encode('exit');
  const partials = res.shares.map((s) => partialSign(s, message));

  it('valid partials of another key do not combine under this group key: SIGNATURE_INVALID on groupPublicKey', () => {
    const other = split(encodeScalar(77n), { threshold: 4, shares: 6, rng: insecureTestRng('other key') });
    // every partial verifies against its public share, so only the final check under the group key can refuse
    const e = thrown(() => combinePartialSignatures({ threshold: 4, groupPublicKey: other.groupPublicKey, publicShares: res.publicShares, message, partials }));
    expect([e.code, e.field, e.culprits, e.message]).toEqual(['SIGNATURE_INVALID', 'groupPublicKey', [], 'the combined signature does not verify under the group key']);
  });

  it("verifyPartial refuses a valid partial of share 2 presented under share 1's id", () => {
    expect(verifyPartial(res.publicShares[1]!, message, partials[1]!)).toBe(true);
    expect(verifyPartial(res.publicShares[1]!, message, { id: res.publicShares[0]!.id, signature: partials[1]!.signature })).toBe(false);
    expect(verifyPartial(res.publicShares[0]!, message, { id: res.publicShares[0]!.id, signature: partials[1]!.signature })).toBe(false);
  });

  it('degree-t public shares without commitments, claimed at threshold t: DEGREE_CHECK_FAILED in the polynomial check, no culprit', () => {
    // a 5-of-6 sharing presented as 4-of-6: no single share is off a degree-3 polynomial, every 4-subset disagrees
    const high = split(KEY, { threshold: 5, shares: 6, rng: insecureTestRng('degree t') });
    const r = checkRecombination({ threshold: 4, groupPublicKey: high.groupPublicKey, publicShares: high.publicShares });
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.check === 'polynomial')).toEqual({
      check: 'polynomial',
      status: 'fail',
      code: 'DEGREE_CHECK_FAILED',
      culprits: [],
      detail: 'the public shares do not lie on one degree 3 polynomial through the validator key',
    });
    // and at t = n - 1 (dual code of dimension 1): 6 shares of a 6-of-6 sharing claimed as 5-of-6
    const full = split(KEY, { threshold: 6, shares: 6, rng: insecureTestRng('degree n-1') });
    const e = thrown(() => assertRecombination({ threshold: 5, groupPublicKey: full.groupPublicKey, publicShares: full.publicShares }));
    expect([e.code, e.culprits]).toEqual(['DEGREE_CHECK_FAILED', []]);
  });
});
