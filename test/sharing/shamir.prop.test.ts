/** Properties of the sharing algebra (fast-check), for random 1 <= t <= n <= 20 and random ids. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fr, R, decodeScalar, encodeScalar } from '../../src/bls/field.js';
import { decodeG1, decodeG2, encodeG1, encodeG2, G1, G2, mulBaseSecret } from '../../src/bls/group.js';
import { msmG1 } from '../../src/bls/msm.js';
import { secretKeyToPublicKey, sign } from '../../src/bls/signature.js';
import { interpolateAtZero, lagrangeCoefficientsAtZero, randomPolynomial, evaluatePolynomial } from '../../src/sharing/polynomial.js';
import { recoverSecret, split } from '../../src/sharing/shamir.js';
import { aggregatePartials, findInvalidPartials, partialSign } from '../../src/sharing/threshold-signature.js';
import { lowDegreeTest, verifyPublicSharesBatch, verifyShare, verifySharesBatch } from '../../src/sharing/vss.js';
import { SecretBytes, type ShareIndex } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';

const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const MAX_ID = (1n << 64n) - 1n;

/** t, n, distinct ids (sometimes 1..n, sometimes large random uint64), a key, a subset choice seed. */
const setup = (maxN = 20) =>
  fc
    .integer({ min: 1, max: maxN })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        t: fc.integer({ min: 1, max: n }),
        ids: fc.oneof(
          fc.constant(Array.from({ length: n }, (_, i) => BigInt(i + 1))),
          fc.uniqueArray(fc.bigInt({ min: 1n, max: MAX_ID }), { minLength: n, maxLength: n }),
        ),
        key: scalar,
        seed: fc.integer(),
      }),
    );

/** A deterministic t-subset of 0..n-1 from a seed. */
function pick(n: number, t: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, t).sort((a, b) => a - b);
}

describe('sharing properties', () => {
  it('any t shares recover the secret, and any t public shares interpolate to the public key', () => {
    fc.assert(
      fc.property(setup(), ({ n, t, ids, key, seed }) => {
        const sk = encodeScalar(key);
        const res = split(sk, { threshold: t, ids, rng: insecureTestRng(seed) });
        const sub = pick(n, t, seed).map((i) => res.shares[i]!);
        expect(decodeScalar(recoverSecret(sub, t), 'k')).toBe(key);
        const pubs = pick(n, t, seed + 1).map((i) => res.publicShares[i]!);
        const lambdas = lagrangeCoefficientsAtZero(pubs.map((p) => p.id));
        const atZero = msmG1(pubs.map((p) => decodeG1(p.publicKey, 'p')), lambdas);
        expect(encodeG1(atZero)).toEqual(res.groupPublicKey);
        expect(res.groupPublicKey).toEqual(secretKeyToPublicKey(sk));
      }),
      { numRuns: 40 },
    );
  });

  it('perfect secrecy: any t-1 shares are consistent with every candidate secret', () => {
    fc.assert(
      fc.property(setup(), scalar, ({ n, t, ids, key, seed }, candidate) => {
        fc.pre(t >= 2);
        const res = split(encodeScalar(key), { threshold: t, ids, rng: insecureTestRng(seed) });
        const seen = pick(n, t - 1, seed);
        const xs = [0n, ...seen.map((i) => ids[i]!)];
        const ys = [candidate, ...seen.map((i) => decodeScalar(res.shares[i]!.secret, 's'))];
        // g = the degree t-1 polynomial through (0, candidate) and the t-1 seen shares; complete the sharing with g.
        const other = ids.find((_, i) => !seen.includes(i));
        fc.pre(other !== undefined);
        const shifted = xs.map((x) => Fr.sub(x, other));
        const gAtOther = interpolateAtZero(shifted, ys); // g(other), via interpolation of g(x + other) at 0
        const completed = [
          ...seen.map((i) => res.shares[i]!),
          { id: other as ShareIndex, secret: encodeScalar(gAtOther) },
        ];
        fc.pre(gAtOther !== 0n);
        expect(decodeScalar(recoverSecret(completed, t), 'k')).toBe(candidate);
      }),
      { numRuns: 40 },
    );
  });

  it('the aggregate of any t partial signatures equals the plain signature', () => {
    fc.assert(
      fc.property(setup(20), fc.uint8Array({ maxLength: 40 }), ({ n, t, ids, key, seed }, message) => {
        const sk = encodeScalar(key);
        const res = split(sk, { threshold: t, ids, rng: insecureTestRng(seed) });
        const partials = pick(n, t, seed).map((i) => partialSign(res.shares[i]!, message));
        expect(aggregatePartials(partials)).toEqual(sign(sk, message));
      }),
      { numRuns: 10 },
    );
  });

  it('the low-degree test accepts consistent vectors and rejects degree-t vectors and one corrupted share', () => {
    fc.assert(
      fc.property(setup(), fc.nat(), ({ n, t, ids, key, seed }, which) => {
        const rng = insecureTestRng(seed);
        const coeffs = randomPolynomial(key, t - 1, rng);
        const pts = ids.map((x) => mulBaseSecret(evaluatePolynomial(coeffs, x)));
        const K = mulBaseSecret(key);
        const sids = ids as ShareIndex[];
        expect(lowDegreeTest(K, sids, pts, t, rng)).toBe(true);
        if (t < n) {
          const high = randomPolynomial(key, t, rng); // degree exactly t
          const hp = ids.map((x) => mulBaseSecret(evaluatePolynomial(high, x)));
          expect(lowDegreeTest(K, sids, hp, t, rng)).toBe(false);
        }
        const bad = [...pts];
        const i = which % n;
        bad[i] = bad[i]!.add(G1.BASE);
        expect(lowDegreeTest(K, sids, bad, t, rng)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('batch checks accept exactly when every single check accepts, even for corruptions that cancel in a plain sum', () => {
    fc.assert(
      fc.property(setup(12), fc.nat(), fc.nat(), scalar, ({ n, t, ids, key, seed }, a, b, delta) => {
        fc.pre(n >= 2);
        const rng = insecureTestRng(seed);
        const res = split(encodeScalar(key), { threshold: t, ids, rng });
        const coeffs = res.commitments.map((c) => decodeG1(c, 'c'));
        const i = a % n;
        const j = (i + 1 + (b % (n - 1))) % n;
        // shares: s_i + δ and s_j − δ keep Σ s unchanged
        const shares = res.shares.map((s) => ({ id: s.id, secret: SecretBytes.copyOf(s.secret) }));
        expect(verifySharesBatch(shares, coeffs, rng)).toBe(true);
        shares[i] = { id: shares[i]!.id, secret: encodeScalar(Fr.add(decodeScalar(shares[i]!.secret, 's'), delta)) };
        shares[j] = { id: shares[j]!.id, secret: encodeScalar(Fr.sub(decodeScalar(shares[j]!.secret, 's'), delta)) };
        const single = shares.map((s) => verifyShare(s, coeffs));
        expect(single.filter((ok) => !ok).length).toBe(2);
        expect(verifySharesBatch(shares, coeffs, rng)).toBe(false);
        // public shares: Y_i + D and Y_j − D
        const D = mulBaseSecret(delta);
        const pts = res.publicShares.map((p) => decodeG1(p.publicKey, 'p'));
        const sids = res.publicShares.map((p) => p.id);
        expect(verifyPublicSharesBatch(sids, pts, coeffs, rng)).toBe(true);
        pts[i] = pts[i]!.add(D);
        pts[j] = pts[j]!.subtract(D);
        expect(verifyPublicSharesBatch(sids, pts, coeffs, rng)).toBe(false);
        // partial signatures: σ_i + E and σ_j − E, found by name
        const message = Uint8Array.of(1, 2, 3);
        const partials = res.shares.map((s) => partialSign(s, message));
        expect(findInvalidPartials(res.publicShares, message, partials, rng)).toEqual([]);
        const Eg2 = G2.BASE.multiply(delta);
        partials[i] = { id: partials[i]!.id, signature: encodeG2(decodeG2(partials[i]!.signature, 'x').add(Eg2)) };
        partials[j] = { id: partials[j]!.id, signature: encodeG2(decodeG2(partials[j]!.signature, 'x').subtract(Eg2)) };
        expect(findInvalidPartials(res.publicShares, message, partials, rng).sort()).toEqual(
          [partials[i].id.toString(), partials[j].id.toString()].sort(),
        );
      }),
      { numRuns: 10 },
    );
  });
});
