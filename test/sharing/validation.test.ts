/**
 * Input validation and report contents of src/sharing, branch by branch (issue 19, docs/mutation.md): each test
 * names the exact code, field, culprits and text a caller or auditor sees, so a changed guard, a dropped check or a
 * wrong field name fails here. 4-of-6 split with ids 1..6 from a deterministic test RNG.
 */
import { describe, expect, it } from 'vitest';
import { bytesToBigintBE, bytesToHex } from '../../src/bytes.js';
import { decodeScalar, encodeScalar, Fr, R } from '../../src/bls/field.js';
import { decodeG1, encodeG1, encodeG2, G1, G2 } from '../../src/bls/group.js';
import { sign, verify } from '../../src/bls/signature.js';
import { isDvkeysError, type DvkeysError } from '../../src/errors.js';
import { MAX_SHARES, validateIds, validateThreshold } from '../../src/sharing/ids.js';
import { assertRecombination, checkRecombination, recombinationMessage, type SharingPublicData } from '../../src/sharing/recombine.js';
import { recoverSecret, split, wipeShares } from '../../src/sharing/shamir.js';
import {
  aggregatePartials,
  combinePartialSignatures,
  findInvalidPartials,
  partialSign,
} from '../../src/sharing/threshold-signature.js';
import { SecretBytes, toShareIndex, type PartialSignature, type SecretShare } from '../../src/types.js';
import { clearPolynomial } from '../../src/sharing/polynomial.js';
import { commit, decodeCommitments, decodePublicShares, lowDegreeTest, verifyPublicSharesBatch, verifyShare, verifySharesBatch } from '../../src/sharing/vss.js';
import { insecureTestRng } from '../helpers/rng.js';

const KEY = encodeScalar(0x1234567890abcdefn * 0xfedcba987654321n);
const res = split(KEY, { threshold: 4, shares: 6, rng: insecureTestRng('validation') });
const base: SharingPublicData = { threshold: 4, groupPublicKey: res.groupPublicKey, commitments: res.commitments, publicShares: res.publicShares };
const { commitments: _unused, ...noCommitments } = base;
const message = new TextEncoder().encode('exit');
const partials = res.shares.map((s) => partialSign(s, message));

function thrown(fn: () => unknown): DvkeysError {
  try {
    fn();
  } catch (e) {
    if (isDvkeysError(e)) return e;
    throw e;
  }
  throw new Error('expected a DvkeysError');
}
const what = (e: DvkeysError): unknown[] => [e.code, e.field, e.culprits, e.message];
const share = (id: number | bigint, x: bigint): SecretShare => ({ id: toShareIndex(id), secret: encodeScalar(x) });
const plus1 = (pk: Uint8Array): Uint8Array => encodeG1(decodeG1(pk, 'p').add(G1.BASE));
const hex = (b: Uint8Array): string => bytesToHex(b, true);

describe('ids.ts', () => {
  it('validateThreshold: the share count must be a safe integer in 1..MAX_SHARES', () => {
    expect(validateThreshold(1, 1)).toBe(1);
    expect(validateThreshold(MAX_SHARES, MAX_SHARES)).toBe(MAX_SHARES);
    for (const n of [0, MAX_SHARES + 1, 2.5, Number.NaN]) {
      expect(what(thrown(() => validateThreshold(1, n)))).toEqual(['INVALID_ARGUMENT', 'shares', [], `share count must be in 1..1000, got ${n}`]);
    }
  });

  it('validateThreshold: a non-number or non-integer threshold is refused as such, an out-of-range one with the range', () => {
    for (const t of ['2', 2.5, null, 2n]) {
      expect(what(thrown(() => validateThreshold(t, 3, 'm')))).toEqual(['INVALID_THRESHOLD', 'm', [], "'m' expected an integer"]);
    }
    expect(what(thrown(() => validateThreshold(4, 3)))).toEqual(['INVALID_THRESHOLD', 'threshold', [], "'threshold' must be in 1..3 (the number of shares), got 4"]);
    expect(what(thrown(() => validateThreshold(0, 3)))).toEqual(['INVALID_THRESHOLD', 'threshold', [], "'threshold' must be in 1..3 (the number of shares), got 0"]);
  });

  it('validateIds: default field name, duplicate named with its index and id', () => {
    expect(validateIds([1, 2n, 3])).toEqual([1n, 2n, 3n]);
    expect(thrown(() => validateIds([1, 0])).field).toBe('ids[1]');
    expect(what(thrown(() => validateIds([5, 6, 5], 'x')))).toEqual(['DUPLICATE_SHARE_ID', 'x[2]', ['5'], "'x[2]' repeats share id 5"]);
  });
});

describe('shamir.ts', () => {
  it('split: ids and a matching share count are accepted together; a mismatch and a missing count are refused in words', () => {
    const r = split(KEY, { threshold: 2, shares: 3, ids: [4, 5, 6], rng: insecureTestRng('ids+shares') });
    expect(r.shares.map((s) => s.id)).toEqual([4n, 5n, 6n]);
    expect(what(thrown(() => split(KEY, { threshold: 2, shares: 3, ids: [1, 2] })))).toEqual(['INVALID_ARGUMENT', 'ids', [], "'ids' has 2 entries but 'shares' is 3"]);
    expect(what(thrown(() => split(KEY, { threshold: 2 })))).toEqual(['INVALID_ARGUMENT', 'shares', [], "give 'shares' (a count) or 'ids'"]);
    expect(what(thrown(() => split(KEY, { threshold: 1, shares: 0 })))).toEqual(['INVALID_ARGUMENT', 'shares', [], 'share count must be in 1..1000, got 0']);
    expect(thrown(() => split(new Uint8Array(32), { threshold: 1, shares: 1 })).field).toBe('secretKey');
  });

  it('split uses the given rng (same seed, same shares) and redraws a polynomial that gives some id a zero share', () => {
    const a = split(KEY, { threshold: 3, shares: 4, rng: insecureTestRng('same') });
    const b = split(KEY, { threshold: 3, shares: 4, rng: insecureTestRng('same') });
    expect(b.shares.map((s) => hex(s.secret))).toEqual(a.shares.map((s) => hex(s.secret)));
    // t = 2: the first coefficient drawn is r - key, so f(1) = 0; split must draw again
    const k = decodeScalar(KEY, 'k');
    const fallback = insecureTestRng('after zero');
    const calls: number[] = [];
    const rng = (n: number): Uint8Array => {
      calls.push(n);
      if (calls.length > 1) return fallback(n);
      const out = new Uint8Array(n);
      let v = R - k;
      for (let i = n - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
      return out;
    };
    const r = split(KEY, { threshold: 2, shares: 3, rng });
    expect(calls.length).toBe(2);
    expect(r.shares.every((s) => bytesToBigintBE(s.secret) !== 0n)).toBe(true);
    expect(hex(recoverSecret(r.shares.slice(0, 2), 2))).toBe(hex(KEY));
  });

  it('recoverSecret: an empty list, a zero share, shares that interpolate to zero, and the field names', () => {
    expect(what(thrown(() => recoverSecret([])))).toEqual(['NOT_ENOUGH_SHARES', 'shares', [], 'need at least 1 shares, got 0']);
    expect(what(thrown(() => recoverSecret(res.shares.slice(0, 3), 4)))).toEqual(['NOT_ENOUGH_SHARES', 'shares', [], 'need at least 4 shares, got 3']);
    expect(thrown(() => recoverSecret([res.shares[0]!, res.shares[0]!])).field).toBe('shares.id[1]');
    expect(thrown(() => recoverSecret([res.shares[0]!, { id: toShareIndex(2), secret: SecretBytes.copyOf(new Uint8Array(32).fill(0xff)) }])).field).toBe('shares[1].secret');
    // f(x) = k - k·x: the share of id 1 is zero (allowed), the key is recovered
    const k = 77n;
    expect(decodeScalar(recoverSecret([share(1, 0n), share(2, Fr.neg(k))], 2), 'k')).toBe(k);
    // f(x) = 5x has f(0) = 0: no key
    expect(what(thrown(() => recoverSecret([share(1, 5n), share(2, 10n)], 2)))).toEqual(['ZERO_SCALAR', 'shares', [], 'the shares interpolate to zero']);
  });

  it('wipeShares zeroes every secret', () => {
    const shares = res.shares.map((s) => ({ id: s.id, secret: SecretBytes.copyOf(s.secret) }));
    wipeShares(shares);
    expect(shares.every((s) => s.secret.length === 32 && s.secret.every((b) => b === 0))).toBe(true);
  });
});

describe('threshold-signature.ts', () => {
  const input = { threshold: 4, groupPublicKey: res.groupPublicKey, publicShares: res.publicShares, message, partials };

  it('combines exactly t valid partials into the plain signature of the key', () => {
    const sig = combinePartialSignatures({ ...input, partials: partials.slice(2) });
    expect(hex(sig)).toBe(hex(sign(KEY, message)));
    expect(verify(res.groupPublicKey, message, sig)).toBe(true);
  });

  it('combines only the first t partials: a valid extra partial from another sharing is checked but not combined', () => {
    const other = split(encodeScalar(99n), { threshold: 4, shares: 6, rng: insecureTestRng('other') });
    const publicShares = [...res.publicShares.slice(0, 4), other.publicShares[4]!];
    const mixed = [...partials.slice(0, 4), partialSign(other.shares[4]!, message)];
    expect(hex(combinePartialSignatures({ ...input, publicShares, partials: mixed }))).toBe(hex(sign(KEY, message)));
  });

  it('fewer than t partials and an invalid one: exact code, field, culprits and text', () => {
    expect(what(thrown(() => combinePartialSignatures({ ...input, partials: partials.slice(0, 3) })))).toEqual([
      'NOT_ENOUGH_SHARES', 'partials', [], 'need 4 partial signatures, got 3',
    ]);
    const bad = [...partials];
    bad[1] = { id: bad[1]!.id, signature: encodeG2(G2.BASE) };
    bad[4] = { id: bad[4]!.id, signature: partials[0]!.signature };
    expect(what(thrown(() => combinePartialSignatures({ ...input, partials: bad })))).toEqual([
      'PARTIAL_SIGNATURE_INVALID', 'partials', ['2', '5'], 'partial signature of share 2, 5 does not verify against its public share',
    ]);
  });

  it('findInvalidPartials: [] for valid partials; a duplicate id, an id without public share, a bad public share, an infinity partial', () => {
    expect(findInvalidPartials(res.publicShares, message, partials, insecureTestRng('w'))).toEqual([]);
    expect(thrown(() => findInvalidPartials(res.publicShares, message, [partials[0]!, partials[0]!])).field).toBe('partials.id[1]');
    const stranger: PartialSignature = { id: toShareIndex(9), signature: partials[0]!.signature };
    expect(what(thrown(() => findInvalidPartials(res.publicShares, message, [partials[0]!, stranger])))).toEqual([
      'INVALID_SHARE_ID', 'partials[1].id', ['9'], "'partials[1]' has share id 9, which has no public share",
    ]);
    const publicShares = res.publicShares.map((p, i) => (i === 2 ? { id: p.id, publicKey: new Uint8Array(48) } : p));
    expect(thrown(() => findInvalidPartials(publicShares, message, partials)).field).toBe('publicShares[id 3]');
    const infinity = new Uint8Array(96);
    infinity[0] = 0xc0;
    const withInfinity = partials.map((p, i) => (i === 3 ? { id: p.id, signature: infinity } : p));
    expect(what(thrown(() => findInvalidPartials(res.publicShares, message, withInfinity)))).toEqual([
      'POINT_AT_INFINITY', 'partials[3].signature', [], "'partials[3].signature' is the point at infinity",
    ]);
  });

  it('aggregatePartials: an empty list, a duplicate id and a malformed signature are refused naming the field', () => {
    expect(what(thrown(() => aggregatePartials([])))).toEqual(['NOT_ENOUGH_SHARES', 'partials', [], "'partials' must not be empty"]);
    expect(thrown(() => aggregatePartials([partials[0]!, partials[0]!])).field).toBe('partials.id[1]');
    expect(thrown(() => aggregatePartials([partials[0]!, { id: partials[1]!.id, signature: new Uint8Array(96) }])).field).toBe('partials[1].signature');
  });

  it('partialSign names share.secret for a zero share', () => {
    expect(thrown(() => partialSign({ id: toShareIndex(1), secret: SecretBytes.copyOf(new Uint8Array(32)) }, message)).field).toBe('share.secret');
  });
});

describe('recombine.ts', () => {
  it('a full report: every check with its detail and empty culprits', () => {
    const r = checkRecombination(base, { shares: res.shares, rng: insecureTestRng('report') });
    expect(r).toEqual({
      ok: true,
      checks: [
        { check: 'shares', status: 'pass', detail: '6 share(s) match their public shares', culprits: [] },
        { check: 'polynomial', status: 'pass', detail: 'all 6 public shares lie on one degree 3 polynomial through the validator key: every 4-subset recombines', culprits: [] },
        { check: 'threshold-exact', status: 'pass', detail: '3 public shares do not determine the key (degree is exactly 3)', culprits: [] },
        { check: 'threshold-signature', status: 'pass', detail: 'partial signatures of shares 1, 2, 3, 4 combine into a valid Ethereum signature', culprits: [] },
      ],
    });
  });

  it('no shares, an empty list and fewer than t shares: the share-dependent checks are skipped, with the reason', () => {
    for (const shares of [undefined, []]) {
      const r = checkRecombination(base, shares === undefined ? {} : { shares });
      expect(r.ok).toBe(true);
      expect(r.checks[0]).toEqual({ check: 'shares', status: 'skipped', detail: 'no secret shares given', culprits: [] });
      expect(r.checks[3]).toEqual({ check: 'threshold-signature', status: 'skipped', detail: 'needs 4 secret shares, have 0', culprits: [] });
    }
    const r = checkRecombination(base, { shares: res.shares.slice(3) });
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'skipped']);
    expect(r.checks[3]!.detail).toBe('needs 4 secret shares, have 3');
    // exactly t shares: check 4 runs
    expect(checkRecombination(base, { shares: res.shares.slice(2) }).checks[3]!.status).toBe('pass');
  });

  it('t = 1: the exact-threshold check is skipped, the signature check runs with one share', () => {
    const one = split(KEY, { threshold: 1, shares: 3, rng: insecureTestRng('t=1') });
    const r = checkRecombination({ threshold: 1, groupPublicKey: one.groupPublicKey, commitments: one.commitments, publicShares: one.publicShares }, { shares: one.shares.slice(1, 2) });
    expect(r.checks.map((c) => [c.check, c.status])).toEqual([['shares', 'pass'], ['polynomial', 'pass'], ['threshold-exact', 'skipped'], ['threshold-signature', 'pass']]);
    expect(r.checks[2]!.detail).toBe('t = 1: every single share is the key');
  });

  it('malformed input: commitments of the wrong length, a bad group key, share ids that repeat or have no public share', () => {
    expect(what(thrown(() => checkRecombination({ ...base, commitments: res.commitments.slice(0, 3) })))).toEqual([
      'INVALID_LENGTH', 'commitments', [], "'commitments' expected 4 entries (the threshold), got 3",
    ]);
    expect(thrown(() => checkRecombination({ ...base, commitments: [...res.commitments, res.commitments[1]!] })).code).toBe('INVALID_LENGTH');
    expect(thrown(() => checkRecombination({ ...base, groupPublicKey: new Uint8Array(48) })).field).toBe('groupPublicKey');
    expect(thrown(() => checkRecombination(base, { shares: [res.shares[0]!, res.shares[0]!] })).field).toBe('shares.id[1]');
    const stray = share(9, 5n);
    expect(what(thrown(() => checkRecombination(base, { shares: [res.shares[0]!, stray] })))).toEqual([
      'INVALID_SHARE_ID', 'shares[1].id', ['9'], "'shares[1]' has id 9, which has no public share",
    ]);
  });

  it('at exactly 64 shares without commitments the culprit search runs: two bad shares name no culprit and say nothing of a cap', () => {
    const big = split(KEY, { threshold: 2, shares: 64, rng: insecureTestRng('v/64') });
    const publicShares = big.publicShares.map((p, i) => (i === 3 || i === 40 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    const e = thrown(() => assertRecombination({ threshold: 2, groupPublicKey: big.groupPublicKey, publicShares }));
    expect(what(e)).toEqual(['DEGREE_CHECK_FAILED', undefined, [], 'the public shares do not lie on one degree 1 polynomial through the validator key']);
  });

  it('a wrong share, commitments[0] off the key, a wrong public share: fail lines with code, text and culprits', () => {
    const shares = res.shares.map((s, i) => (i === 1 ? share(s.id, 5n) : s));
    const r = checkRecombination(base, { shares });
    expect(r.ok).toBe(false);
    expect(r.checks[0]).toEqual({ check: 'shares', status: 'fail', code: 'SHARE_MISMATCH', detail: 'share 2 does not match its public share', culprits: ['2'] });
    const two = res.shares.map((s, i) => (i === 1 || i === 4 ? share(s.id, 5n) : s));
    expect(checkRecombination(base, { shares: two }).checks[0]).toMatchObject({ detail: 'shares 2 and 5 do not match their public shares', culprits: ['2', '5'] });
    const commitments = [plus1(res.commitments[0]!), ...res.commitments.slice(1)];
    expect(checkRecombination({ ...base, commitments }).checks[1]).toEqual({
      check: 'polynomial', status: 'fail', code: 'COMMITMENT_MISMATCH', detail: 'commitments[0] is not the validator public key', culprits: [],
    });
    const publicShares = res.publicShares.map((p, i) => (i === 2 || i === 4 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    expect(checkRecombination({ ...base, publicShares }).checks[1]).toEqual({
      check: 'polynomial', status: 'fail', code: 'PUBLIC_SHARE_MISMATCH', detail: 'public shares 3 and 5 do not match the commitments', culprits: ['3', '5'],
    });
  });

  it('without commitments: the culprit search needs n > t; at n = t + 1 it names the share, at n = t it names none', () => {
    const five = split(KEY, { threshold: 4, shares: 5, rng: insecureTestRng('n=t+1') });
    const off = five.publicShares.map((p, i) => (i === 1 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    expect(checkRecombination({ threshold: 4, groupPublicKey: five.groupPublicKey, publicShares: off }).checks[1]).toEqual({
      check: 'polynomial', status: 'fail', code: 'DEGREE_CHECK_FAILED', culprits: ['2'],
      detail: 'the public shares do not lie on one degree 3 polynomial through the validator key; public share 2 is off the polynomial',
    });
    const four = split(KEY, { threshold: 4, shares: 4, rng: insecureTestRng('n=t') });
    const off4 = four.publicShares.map((p, i) => (i === 1 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    expect(checkRecombination({ threshold: 4, groupPublicKey: four.groupPublicKey, publicShares: off4 }).checks[1]).toEqual({
      check: 'polynomial', status: 'fail', code: 'DEGREE_CHECK_FAILED', culprits: [],
      detail: 'the public shares do not lie on one degree 3 polynomial through the validator key',
    });
  });

  it('two public shares off the polynomial (no single culprit) and a zero leading commitment', () => {
    const publicShares = res.publicShares.map((p, i) => (i === 0 || i === 3 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    const r = checkRecombination({ ...noCommitments, publicShares });
    expect([r.checks[1]!.code, r.checks[1]!.culprits]).toEqual(['DEGREE_CHECK_FAILED', []]);
    // a degree-2 sharing with an identity C_3 claimed at t = 4: the polynomial check passes, threshold-exact fails
    const low = split(KEY, { threshold: 3, shares: 6, rng: insecureTestRng('zero lead') });
    const commitments = [...low.commitments, encodeG1(G1.ZERO)];
    const z = checkRecombination({ threshold: 4, groupPublicKey: low.groupPublicKey, commitments, publicShares: low.publicShares });
    expect(z.checks[1]!.status).toBe('pass');
    expect(z.checks[2]).toEqual({ check: 'threshold-exact', status: 'fail', code: 'DEGREE_CHECK_FAILED', detail: 'the leading commitment is zero: 3 shares would suffice', culprits: [] });
    // without the commitments the same sharing fails on the public shares themselves
    const w = checkRecombination({ threshold: 4, groupPublicKey: low.groupPublicKey, publicShares: low.publicShares });
    expect(w.checks[2]).toEqual({
      check: 'threshold-exact', status: 'fail', code: 'DEGREE_CHECK_FAILED', culprits: [],
      detail: 'shares 1, 2, 3 alone determine the key: the polynomial has degree below 3',
    });
  });

  it('the signature check: shares whose partials do not combine under the stated group key fail it, naming shares and key', () => {
    const b = split(encodeScalar(5n), { threshold: 2, shares: 3, rng: insecureTestRng('b') });
    const data = { threshold: 2, groupPublicKey: b.groupPublicKey, publicShares: b.publicShares };
    expect(checkRecombination(data, { shares: b.shares }).ok).toBe(true);
    // B's shares and public shares under A's group key: check 1 passes, check 2 fails, and check 4 verifies under A's key
    const r = checkRecombination({ ...data, groupPublicKey: res.groupPublicKey }, { shares: b.shares });
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'fail', 'pass', 'fail']);
    expect(r.checks[3]).toEqual({
      check: 'threshold-signature', status: 'fail', code: 'SIGNATURE_INVALID', culprits: [],
      detail: `the threshold signature of shares 1, 2 does not verify under ${hex(res.groupPublicKey)}`,
    });
    expect(recombinationMessage(res.groupPublicKey).length).toBe(78);
  });

  it('assertRecombination throws the first failure with its code and culprits, and returns the report when all pass', () => {
    const publicShares = res.publicShares.map((p, i) => (i === 5 ? { id: p.id, publicKey: plus1(p.publicKey) } : p));
    const e = thrown(() => assertRecombination({ ...base, publicShares }));
    expect(what(e)).toEqual(['PUBLIC_SHARE_MISMATCH', undefined, ['6'], 'public share 6 does not match the commitments']);
    expect(assertRecombination(base).ok).toBe(true);
  });
});

describe('vss.ts and polynomial.ts', () => {
  const k = 77n;
  it('a zero coefficient commits to the identity; a zero share verifies against f(x) = k - k·x, alone and in a batch', () => {
    const c = commit([k, 0n, 3n]);
    expect(c[1]!.is0()).toBe(true);
    expect(c[2]!.equals(G1.BASE.multiply(3n))).toBe(true);
    const line = commit([k, Fr.neg(k)]);
    expect(verifyShare(share(1, 0n), line)).toBe(true);
    expect(verifyShare(share(1, 1n), line)).toBe(false);
    expect(verifySharesBatch([share(1, 0n)], line, insecureTestRng('zero'))).toBe(true);
    expect(verifySharesBatch([share(1, 0n), share(2, Fr.neg(k))], line, insecureTestRng('zero2'))).toBe(true);
  });

  it('decodeCommitments: C_0 may not be the identity, later commitments may', () => {
    const inf = encodeG1(G1.ZERO);
    expect(what(thrown(() => decodeCommitments([inf, res.commitments[1]!])))).toEqual([
      'POINT_AT_INFINITY', 'commitments[0]', [], "'commitments[0]' is the point at infinity",
    ]);
    expect(decodeCommitments([res.commitments[0]!, inf, inf], 'c').map((p) => p.is0())).toEqual([false, true, true]);
  });

  it('the batch and low-degree checks refuse mismatched lengths and duplicate ids, naming the field', () => {
    const ids = res.publicShares.map((p) => p.id);
    const points = decodePublicShares(res.publicShares);
    const key = decodeG1(res.groupPublicKey, 'k');
    expect(what(thrown(() => lowDegreeTest(key, ids, points.slice(1), 4)))).toEqual(['INVALID_LENGTH', 'points', [], "'points' has 5 entries for 6 ids"]);
    expect(thrown(() => verifyPublicSharesBatch(ids, points.slice(1), decodeCommitments(res.commitments))).code).toBe('INVALID_LENGTH');
    const dup = [ids[0]!, ids[0]!, ...ids.slice(2)];
    expect(thrown(() => verifyPublicSharesBatch(dup, points, decodeCommitments(res.commitments))).field).toBe('ids[1]');
    expect(lowDegreeTest(key, ids, points, 4, insecureTestRng('ldt'))).toBe(true);
    expect(lowDegreeTest(key, ids, points, 6, insecureTestRng('ldt'))).toBe(true);
  });

  it('every scalar and id input of the VSS checks is named by its own field', () => {
    const tooBig = { id: toShareIndex(2), secret: SecretBytes.copyOf(new Uint8Array(32).fill(0xff)) }; // >= r
    const line = commit([k, Fr.neg(k)]);
    expect(thrown(() => verifyShare(tooBig, line)).field).toBe('share.secret');
    expect(thrown(() => verifySharesBatch([share(1, 0n), tooBig], line, insecureTestRng('b'))).field).toBe('shares[1].secret');
    const ids = res.publicShares.map((p) => p.id);
    const points = decodePublicShares(res.publicShares);
    const dup = [ids[0]!, ids[0]!, ...ids.slice(2)];
    expect(what(thrown(() => lowDegreeTest(decodeG1(res.groupPublicKey, 'k'), dup, points, 4))).slice(0, 2)).toEqual(['DUPLICATE_SHARE_ID', 'ids[1]']);
    const bad = res.publicShares.map((p, i) => (i === 1 ? { id: p.id, publicKey: new Uint8Array(48) } : p));
    expect(thrown(() => decodePublicShares(bad)).field).toBe('publicShares[1].publicKey');
  });

  it('decodePublicShares names the entry; clearPolynomial zeroes the coefficients', () => {
    const bad = res.publicShares.map((p, i) => (i === 1 ? { id: p.id, publicKey: new Uint8Array(48) } : p));
    expect(thrown(() => decodePublicShares(bad, 'ps')).field).toBe('ps[1].publicKey');
    expect(decodePublicShares(res.publicShares).map((p) => hex(encodeG1(p)))).toEqual(res.publicShares.map((p) => hex(p.publicKey)));
    const coeffs = [1n, 2n, 3n];
    clearPolynomial(coeffs);
    expect(coeffs).toEqual([0n, 0n, 0n]);
  });
});
