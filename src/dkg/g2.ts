/**
 * Faster G2 paths for the deposit signatures of the ceremony (public data only; never a secret scalar):
 *
 * - {@link hashToG2Fast}: RFC 9380 hash_to_curve for BLS12381G2_XMD:SHA-256_SSWU_RO_ with the Ethereum POP DST,
 *   built from noble's exported pieces (hash_to_field, the simplified SWU map and the 3-isogeny of appendix E.3,
 *   psi/psi² from noble's tower) with the cofactor clearing of RFC 9380 section 8.8.2 (Budroni-Pintore) run on our own
 *   Jacobian addition chain for |x|. noble 2.4's `hashToCurve` spends most of its time in two generic 64-bit
 *   multiplications and then re-checks the subgroup of a point that is in G2 by construction. Same output, byte for
 *   byte (tested against noble on random messages).
 * - {@link isInG2}: Scott's test ψ(P) = [x]P (ePrint 2021/1130) on the same chain; {@link decodeG2Strict}: the strict
 *   decoding of src/bls/group.ts `decodeG2` with that test.
 *
 * Arithmetic is plain bigint modulo p over Fp2 = Fp[i]/(i² + 1), Jacobian doubling (dbl-2009-l) and mixed addition
 * (madd-2007-bl) on y² = x³ + 4(1 + i). Variable time.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { hash_to_field, isogenyMap, mapToCurveSimpleSWU } from '@noble/curves/abstract/hash-to-curve.js';
import { psiFrobenius } from '@noble/curves/abstract/tower.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, bytesToBigintBE } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { G2, G2_BYTES, type Fp2, type G2Point } from '../bls/group.js';
import { ETH_DST } from '../bls/signature.js';

const Fp = bls12_381.fields.Fp;
const F2 = bls12_381.fields.Fp2;
const p = Fp.ORDER;
const X_ABS = 0xd201000000010000n; // |x|; x is negative
const X_BITS = X_ABS.toString(2);

type E = readonly [bigint, bigint];
type Jac = readonly [E, E, E];

const m = (a: bigint): bigint => {
  const r = a % p;
  return r < 0n ? r + p : r;
};
const add = (a: E, b: E): E => [m(a[0] + b[0]), m(a[1] + b[1])];
const sub = (a: E, b: E): E => [m(a[0] - b[0]), m(a[1] - b[1])];
const small = (a: E, k: bigint): E => [m(a[0] * k), m(a[1] * k)];
const mul = (a: E, b: E): E => {
  const t0 = a[0] * b[0];
  const t1 = a[1] * b[1];
  return [m(t0 - t1), m((a[0] + a[1]) * (b[0] + b[1]) - t0 - t1)];
};
const sqr = (a: E): E => [m((a[0] + a[1]) * (a[0] - a[1])), m(2n * a[0] * a[1])];
const isZero = (a: E): boolean => a[0] === 0n && a[1] === 0n;
const eq = (a: E, b: E): boolean => a[0] === b[0] && a[1] === b[1];
const ZERO: E = [0n, 0n];
const ONE: E = [1n, 0n];
const INF: Jac = [ONE, ONE, ZERO];

function dbl(P: Jac): Jac {
  const [X, Y, Z] = P;
  if (isZero(Z)) return P;
  const A = sqr(X);
  const B = sqr(Y);
  const C = sqr(B);
  const D = small(sub(sub(sqr(add(X, B)), A), C), 2n);
  const Ee = small(A, 3n);
  const F = sqr(Ee);
  const X3 = sub(F, small(D, 2n));
  const Y3 = sub(mul(Ee, sub(D, X3)), small(C, 8n));
  const Z3 = small(mul(Y, Z), 2n);
  return [X3, Y3, Z3];
}

/** P1 + (x2, y2), the second point affine and not the identity. */
function madd(P1: Jac, x2: E, y2: E): Jac {
  const [X1, Y1, Z1] = P1;
  if (isZero(Z1)) return [x2, y2, ONE];
  const Z1Z1 = sqr(Z1);
  const U2 = mul(x2, Z1Z1);
  const S2 = mul(mul(y2, Z1), Z1Z1);
  const H = sub(U2, X1);
  const r = small(sub(S2, Y1), 2n);
  if (isZero(H)) return isZero(r) ? dbl([x2, y2, ONE]) : INF;
  const HH = sqr(H);
  const I = small(HH, 4n);
  const J = mul(H, I);
  const V = mul(X1, I);
  const X3 = sub(sub(sqr(r), J), small(V, 2n));
  const Y3 = sub(mul(r, sub(V, X3)), small(mul(Y1, J), 2n));
  const Z3 = sub(sub(sqr(add(Z1, H)), Z1Z1), HH);
  return [X3, Y3, Z3];
}

const toE = (a: Fp2): E => [a.c0, a.c1];
const toF = (a: E): Fp2 => ({ c0: a[0], c1: a[1] });

/** |x|·P for an affine point, as a Jacobian point. */
function mulXAbs(x: E, y: E): Jac {
  let acc: Jac = [x, y, ONE];
  for (let i = 1; i < X_BITS.length; i++) {
    acc = dbl(acc);
    if (X_BITS[i] === '1') acc = madd(acc, x, y);
  }
  return acc;
}

function fromJac(P: Jac): G2Point {
  if (isZero(P[2])) return G2.ZERO;
  const zi = F2.inv(toF(P[2]));
  const zi2 = F2.sqr(zi);
  return G2.fromAffine({ x: F2.mul(toF(P[0]), zi2), y: F2.mul(F2.mul(toF(P[1]), zi2), zi) });
}

/** [x]P (x negative) for a G2 point, through the Jacobian chain. */
function mulX(P: G2Point): G2Point {
  if (P.is0()) return P;
  const { x, y } = P.toAffine();
  return fromJac(mulXAbs(toE(x), toE(y))).negate();
}

let frob: ReturnType<typeof psiFrobenius> | undefined;
const psi = (): ReturnType<typeof psiFrobenius> => (frob ??= psiFrobenius(Fp, F2, F2.div(F2.ONE, F2.NONRESIDUE)));

/**
 * clear_cofactor for G2 (RFC 9380 section 8.8.2, Budroni-Pintore ePrint 2017/419):
 * h_eff·P = [x² − x − 1]P + [x − 1]ψ(P) + ψ²(2P), with two [x] multiplications on the fast chain.
 */
export function clearCofactorG2(P: G2Point): G2Point {
  const f = psi();
  const t1 = mulX(P); // [x]P
  let t2 = f.G2psi(G2, P); // ψ(P)
  let t3 = f.G2psi2(G2, P.double()); // ψ²(2P)
  t3 = t3.subtract(t2);
  t2 = mulX(t1.add(t2)); // [x²]P + [x]ψ(P)
  return t3.add(t2).subtract(t1).subtract(P);
}

let swu: ((u: Fp2) => { x: Fp2; y: Fp2 }) | undefined;
let iso: ((x: Fp2, y: Fp2) => { x: Fp2; y: Fp2 }) | undefined;

function h(c: string): bigint {
  return BigInt(c);
}

/** The 3-isogeny E' → E of RFC 9380 appendix E.3 (coefficients k_(i,0..d) in ascending order). */
function isoMap(): (x: Fp2, y: Fp2) => { x: Fp2; y: Fp2 } {
  if (iso !== undefined) return iso;
  const a = '0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6';
  const k = (c0: string, c1: string): Fp2 => F2.fromBigTuple([h(c0), h(c1)]);
  const map = isogenyMap(F2, [
    [
      k(a, a),
      k('0x0', '0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a'),
      k('0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e', '0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d'),
      k('0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1', '0x0'),
    ],
    [
      k('0x0', '0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63'),
      k('0xc', '0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f'),
      k('0x1', '0x0'),
    ],
    [
      k('0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706', '0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706'),
      k('0x0', '0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be'),
      k('0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c', '0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f'),
      k('0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10', '0x0'),
    ],
    [
      k('0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb', '0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb'),
      k('0x0', '0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3'),
      k('0x12', '0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99'),
      k('0x1', '0x0'),
    ],
  ]);
  iso = (x, y) => {
    const r = map(x, y);
    return { x: r.x, y: r.y };
  };
  return iso;
}

/** map_to_curve for G2: simplified SWU on E' (A' = 240i, B' = 1012(1 + i), Z = −(2 + i)), then the 3-isogeny. */
function mapToG2(u: bigint[]): G2Point {
  swu ??= mapToCurveSimpleSWU(F2, { A: F2.fromBigTuple([0n, 240n]), B: F2.fromBigTuple([1012n, 1012n]), Z: F2.fromBigTuple([p - 2n, p - 1n]) });
  const { x, y } = swu(F2.fromBigTuple([u[0]!, u[1]!]));
  const r = isoMap()(x, y);
  return G2.fromAffine({ x: r.x, y: r.y });
}

/** hash_to_G2(message) with the Ethereum POP DST: equal to src/bls/signature.ts `hashToG2`, about twice as fast. */
export function hashToG2Fast(message: Uint8Array): G2Point {
  const u = hash_to_field(abytes(message, undefined, 'message'), 2, { DST: ETH_DST, p, m: 2, k: 128, expand: 'xmd', hash: sha256 });
  return clearCofactorG2(mapToG2(u[0]!).add(mapToG2(u[1]!)));
}

/** True when a point of E'(Fp2) lies in G2: ψ(P) = [x]P. */
export function isInG2(P: G2Point): boolean {
  if (P.is0()) return true;
  const { x, y } = P.toAffine();
  const [X, Y, Z] = mulXAbs(toE(x), toE(y));
  if (isZero(Z)) return false;
  const [px, py] = psi().psi(x, y);
  // [x]P = −(|x|P) = (X : −Y : Z) must equal (px, py)
  const Z2 = sqr(Z);
  return eq(mul(toE(px), Z2), X) && eq(mul(toE(py), mul(Z2, Z)), sub(ZERO, Y));
}

function invalid(field: string, what: string): never {
  throw new ValidationError('INVALID_POINT', `'${field}' ${what}`, { field });
}

/**
 * Strict decoding of a 96-byte compressed G2 point, as src/bls/group.ts `decodeG2` (flags, canonical coordinates,
 * on the curve, in G2; the identity only with `allowInfinity`), with the faster subgroup test.
 * @throws ValidationError `INVALID_LENGTH`, `INVALID_POINT`, `POINT_AT_INFINITY`, `POINT_NOT_IN_SUBGROUP`.
 */
export function decodeG2Strict(bytes: Uint8Array, field: string, allowInfinity = false): G2Point {
  abytes(bytes, G2_BYTES, field);
  const flags = bytes[0]!;
  if ((flags & 0x80) === 0) invalid(field, 'is not a compressed point encoding');
  if ((flags & 0x40) !== 0) {
    if ((flags & 0x20) !== 0) invalid(field, 'is an infinity encoding with the sign bit set');
    if ((flags & 0x1f) !== 0 || bytes.subarray(1).some((b) => b !== 0)) invalid(field, 'is a non-canonical infinity encoding');
    if (!allowInfinity) throw new ValidationError('POINT_AT_INFINITY', `'${field}' is the point at infinity`, { field });
    return G2.ZERO;
  }
  const raw = Uint8Array.from(bytes);
  raw[0]! &= 0x1f;
  const c1 = bytesToBigintBE(raw.subarray(0, 48));
  const c0 = bytesToBigintBE(raw.subarray(48));
  if (c0 >= p || c1 >= p) invalid(field, 'has a coordinate that is not below the field modulus');
  const x = F2.create({ c0, c1 });
  const rhs = F2.add(F2.mul(F2.sqr(x), x), G2.CURVE().b);
  let y: Fp2;
  try {
    y = F2.sqrt(rhs);
  } catch {
    invalid(field, 'is not on the curve');
  }
  if (!F2.eql(F2.sqr(y), rhs)) invalid(field, 'is not on the curve');
  const sort = y.c1 !== 0n ? y.c1 * 2n > p : y.c0 * 2n > p;
  if (sort !== ((flags & 0x20) !== 0)) y = F2.neg(y);
  const point = G2.fromAffine({ x, y });
  if (!isInG2(point)) throw new ValidationError('POINT_NOT_IN_SUBGROUP', `'${field}' is not in the prime-order subgroup`, { field });
  return point;
}
