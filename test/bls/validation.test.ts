/**
 * Issue 19 (docs/mutation.md, src/bls survivors): each refusal of the BLS layer with its exact code, field and reason;
 * the byte-level verifiers return false (never throw) on empty, mismatched or undecodable input; batchVerify; the
 * pairing product's identity terms; the uncompressed G1 codec; the multi-scalar multiplications. Cheap: a few
 * pairings and hash-to-curve calls, no KDF.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { bigintToBytesBE, bytesToHex } from '../../src/bytes.js';
import { DvkeysError } from '../../src/errors.js';
import { batchInvert, decodeScalar, encodeScalar, Fr, R, randomScalar, randomWeight } from '../../src/bls/field.js';
import { decodeG1, decodeG2, encodeG1, encodeG2, G1, G2, g1Generator } from '../../src/bls/group.js';
import { msmG1, msmG2 } from '../../src/bls/msm.js';
import { pairingProductIsOne } from '../../src/bls/pairing.js';
import {
  aggregate,
  aggregatePublicKeys,
  aggregateVerify,
  batchVerify,
  fastAggregateVerify,
  hashToG2,
  secretKeyToPublicKey,
  sign,
  verify,
} from '../../src/bls/signature.js';
import { decodeG1UncheckedSubgroup, encodeG1Uncompressed } from '../../src/bls/uncompressed.js';
import { insecureTestRng } from '../helpers/rng.js';

const Fp = bls12_381.fields.Fp;
const Fp2 = bls12_381.fields.Fp2;
const P = Fp.ORDER;

function refusal(f: () => unknown): { name: string; code?: string; field?: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof DvkeysError) return { name: 'DvkeysError', code: e.code, field: e.field, message: e.message };
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected a refusal');
}

const point = (code: string, field: string, message: string) => ({ name: 'DvkeysError', code, field, message: `'${field}' ${message}` });
const sk = (k: bigint): Uint8Array => encodeScalar(k);
const msg = (s: string): Uint8Array => new TextEncoder().encode(s);
const pk7 = secretKeyToPublicKey(sk(7n));
const sig7 = sign(sk(7n), msg('a'));
const infinity96 = encodeG2(G2.ZERO);
const isSquare = (v: bigint): boolean => v === 0n || Fp.pow(v, (P - 1n) / 2n) === 1n;

/** The first x >= 0 with x³ + 4 a square (on the curve) or not (off it). */
function firstX(onCurve: boolean): bigint {
  for (let x = 0n; ; x++) if (isSquare(Fp.add(Fp.pow(x, 3n), 4n)) === onCurve) return x;
}
function compressedG1(x: bigint): Uint8Array {
  const b = bigintToBytesBE(x, 48);
  b[0]! |= 0x80;
  return b;
}
/** A G2 x = c0 (c1 = 0) whose right-hand side has a square root in Fp2 or not. */
function firstG2X(onCurve: boolean): Uint8Array {
  const b2 = bls12_381.G2.Point.CURVE().b;
  for (let c0 = 0n; ; c0++) {
    const rhs = Fp2.add(Fp2.pow(Fp2.create({ c0, c1: 0n }), 3n), b2);
    let root = true;
    try {
      const y = Fp2.sqrt(rhs);
      root = Fp2.eql(Fp2.sqr(y), rhs);
    } catch {
      root = false;
    }
    if (root === onCurve) {
      const b = new Uint8Array(96);
      b.set(bigintToBytesBE(c0, 48), 48);
      b[0] = 0x80;
      return b;
    }
  }
}

describe('field.ts', () => {
  it('decodeScalar refuses r and zero by name, accepts r - 1 and (with allowZero) zero', () => {
    expect(refusal(() => decodeScalar(bigintToBytesBE(R, 32), 'k'))).toEqual(point('SCALAR_OUT_OF_RANGE', 'k', 'is not below the group order r'));
    expect(decodeScalar(bigintToBytesBE(R - 1n, 32), 'k')).toBe(R - 1n);
    expect(refusal(() => decodeScalar(new Uint8Array(32), 'k'))).toEqual(point('ZERO_SCALAR', 'k', 'is zero'));
    expect(refusal(() => decodeScalar(new Uint8Array(32), 'k', { allowZero: false }))).toEqual(point('ZERO_SCALAR', 'k', 'is zero'));
    expect(decodeScalar(new Uint8Array(32), 'k', { allowZero: true })).toBe(0n);
  });

  it('encodeScalar takes [0, r) only', () => {
    expect(encodeScalar(0n).length).toBe(32);
    expect([...encodeScalar(0n)].every((b) => b === 0)).toBe(true);
    expect(bytesToHex(encodeScalar(R - 1n))).toBe(bytesToHex(bigintToBytesBE(R - 1n, 32)));
    for (const bad of [-1n, R]) expect(refusal(() => encodeScalar(bad))).toEqual({ name: 'RangeError', message: 'scalar out of range' });
  });

  it('randomScalar reduces 64 bytes mod r and retries on zero; randomWeight retries on zero', () => {
    const feed = (...chunks: Uint8Array[]) => (n: number): Uint8Array => {
      const c = chunks.shift()!;
      expect(c.length).toBe(n);
      return c;
    };
    expect(randomScalar(feed(new Uint8Array(64), bigintToBytesBE(R + 5n, 64)))).toBe(5n);
    expect(randomWeight(feed(new Uint8Array(8), bigintToBytesBE(7n, 8)))).toBe(7n);
  });

  it('batchInvert inverts every value and refuses a zero mod r', () => {
    const inv = batchInvert([2n, 3n]);
    expect(inv.map((v, i) => Fr.mul(v, [2n, 3n][i]!))).toEqual([1n, 1n]);
    expect(refusal(() => batchInvert([1n, R]))).toEqual({
      name: 'DvkeysError',
      code: 'ZERO_SCALAR',
      field: 'values',
      message: 'cannot invert zero (repeated or zero ids?)',
    });
  });
});

describe('group.ts: decoding refusals name the field and the reason', () => {
  it('G1: flags, infinity forms, coordinate range, curve and subgroup', () => {
    const uncompressed = Uint8Array.from(pk7);
    uncompressed[0]! &= 0x7f;
    expect(refusal(() => decodeG1(uncompressed, 'pk'))).toEqual(point('INVALID_POINT', 'pk', 'is not a compressed point encoding'));
    const signedInfinity = new Uint8Array(48);
    signedInfinity[0] = 0xe0;
    expect(refusal(() => decodeG1(signedInfinity, 'pk'))).toEqual(point('INVALID_POINT', 'pk', 'is an infinity encoding with the sign bit set'));
    for (const [i, v] of [[0, 0xc1], [47, 1]] as const) {
      const b = new Uint8Array(48);
      b[0] = 0xc0;
      b[i] = v;
      expect(refusal(() => decodeG1(b, 'pk', { allowInfinity: true }))).toEqual(point('INVALID_POINT', 'pk', 'is a non-canonical infinity encoding'));
    }
    const inf = encodeG1(G1.ZERO);
    expect(bytesToHex(inf)).toBe('c0' + '00'.repeat(47));
    expect(refusal(() => decodeG1(inf, 'pk'))).toEqual(point('POINT_AT_INFINITY', 'pk', 'is the point at infinity'));
    expect(decodeG1(inf, 'pk', { allowInfinity: true }).is0()).toBe(true);
    expect(refusal(() => decodeG1(compressedG1(P), 'pk'))).toEqual(point('INVALID_POINT', 'pk', 'has a coordinate that is not below the field modulus'));
    expect(refusal(() => decodeG1(compressedG1(firstX(false)), 'pk'))).toEqual(point('INVALID_POINT', 'pk', 'is not on the curve'));
    expect(refusal(() => decodeG1(compressedG1(firstX(true)), 'pk'))).toEqual(point('POINT_NOT_IN_SUBGROUP', 'pk', 'is not in the prime-order subgroup'));
    expect(bytesToHex(encodeG1(decodeG1(pk7, 'pk')))).toBe(bytesToHex(pk7));
  });

  it('G2: flags, infinity forms, both coordinates in range, curve and subgroup', () => {
    const uncompressed = Uint8Array.from(sig7);
    uncompressed[0]! &= 0x7f;
    expect(refusal(() => decodeG2(uncompressed, 'sig'))).toEqual(point('INVALID_POINT', 'sig', 'is not a compressed point encoding'));
    const nonCanonical = Uint8Array.from(infinity96);
    nonCanonical[95] = 1;
    expect(refusal(() => decodeG2(nonCanonical, 'sig'))).toEqual(point('INVALID_POINT', 'sig', 'is a non-canonical infinity encoding'));
    expect(bytesToHex(infinity96)).toBe('c0' + '00'.repeat(95));
    expect(decodeG2(infinity96, 'sig').is0()).toBe(true);
    expect(refusal(() => decodeG2(infinity96, 'sig', { allowInfinity: false }))).toEqual(point('POINT_AT_INFINITY', 'sig', 'is the point at infinity'));
    const c1High = new Uint8Array(96);
    c1High.set(bigintToBytesBE(P, 48));
    c1High[0]! |= 0x80;
    const c0High = new Uint8Array(96);
    c0High.set(bigintToBytesBE(P, 48), 48);
    c0High[0] = 0x80;
    for (const b of [c1High, c0High]) {
      expect(refusal(() => decodeG2(b, 'sig'))).toEqual(point('INVALID_POINT', 'sig', 'has a coordinate that is not below the field modulus'));
    }
    expect(refusal(() => decodeG2(firstG2X(false), 'sig'))).toEqual(point('INVALID_POINT', 'sig', 'is not on the curve'));
    expect(refusal(() => decodeG2(firstG2X(true), 'sig'))).toEqual(point('POINT_NOT_IN_SUBGROUP', 'sig', 'is not in the prime-order subgroup'));
    expect(bytesToHex(encodeG2(decodeG2(sig7, 'sig')))).toBe(bytesToHex(sig7));
  });
});

describe('pairing.ts', () => {
  const G = g1Generator();
  const H = hashToG2(msg('h'));
  it('an empty product and identity terms are 1; a lone nontrivial pairing is not', () => {
    expect(pairingProductIsOne([])).toBe(true);
    expect(pairingProductIsOne([{ g1: G1.ZERO, g2: H }, { g1: G, g2: G2.ZERO }])).toBe(true);
    expect(pairingProductIsOne([{ g1: G, g2: H }, { g1: G1.ZERO, g2: H }, { g1: G.negate(), g2: H }])).toBe(true);
    expect(pairingProductIsOne([{ g1: G, g2: H }, { g1: G, g2: G2.ZERO }])).toBe(false);
  });
});

describe('signature.ts', () => {
  const pk9 = secretKeyToPublicKey(sk(9n));
  const sig9b = sign(sk(9n), msg('b'));
  const badPk = Uint8Array.from(pk7);
  badPk[0]! &= 0x7f;

  it('names the field of a bad message or secret key', () => {
    expect(refusal(() => hashToG2('a' as unknown as Uint8Array))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'message' });
    expect(refusal(() => sign(new Uint8Array(32), msg('a')))).toEqual(point('ZERO_SCALAR', 'secretKey', 'is zero'));
    expect(refusal(() => secretKeyToPublicKey(new Uint8Array(32)))).toEqual(point('ZERO_SCALAR', 'secretKey', 'is zero'));
  });

  it('a decoder failing with something other than a DvkeysError is not turned into false', () => {
    const hostile = new Proxy(Uint8Array.from(pk7), {
      get(target, p) {
        if (p === '0') throw new TypeError('hostile read');
        return Reflect.get(target, p) as unknown;
      },
    });
    expect(refusal(() => verify(hostile, msg('a'), sig7))).toEqual({ name: 'TypeError', message: 'hostile read' });
  });

  it('aggregate and aggregatePublicKeys refuse an empty list and name the bad item', () => {
    const empty = (f: string) => ({ name: 'DvkeysError', code: 'INVALID_ARGUMENT', field: f, message: `'${f}' must not be empty` });
    expect(refusal(() => aggregate([]))).toEqual(empty('signatures'));
    expect(refusal(() => aggregatePublicKeys([]))).toEqual(empty('publicKeys'));
    expect(refusal(() => aggregate([sig7, pk7]))).toMatchObject({ code: 'INVALID_LENGTH', field: 'signatures[1]' });
    expect(refusal(() => aggregatePublicKeys([pk7, badPk]))).toEqual(point('INVALID_POINT', 'publicKeys[1]', 'is not a compressed point encoding'));
    expect(bytesToHex(aggregatePublicKeys([pk7, pk9]))).toBe(bytesToHex(secretKeyToPublicKey(sk(16n))));
  });

  it('aggregateVerify is false for no keys or a count mismatch, true for a right aggregate', () => {
    expect(aggregateVerify([], [], infinity96)).toBe(false);
    expect(aggregateVerify([pk7], [msg('a'), msg('b')], sig7)).toBe(false);
    expect(aggregateVerify([pk7, pk9], [msg('a')], sig7)).toBe(false);
    expect(aggregateVerify([pk7, pk9], [msg('a'), msg('b')], aggregate([sig7, sig9b]))).toBe(true);
    expect(aggregateVerify([pk7, badPk], [msg('a'), msg('b')], aggregate([sig7, sig9b]))).toBe(false);
    expect(fastAggregateVerify([], msg('a'), infinity96)).toBe(false);
  });

  it('batchVerify: true exactly when every item verifies; false for an empty list or any bad encoding', () => {
    const sig9a = sign(sk(9n), msg('a'));
    const good = [
      { publicKey: pk7, message: msg('a'), signature: sig7 },
      { publicKey: pk9, message: msg('a'), signature: sig9a },
      { publicKey: pk9, message: msg('b'), signature: sig9b },
    ];
    expect(batchVerify(good, insecureTestRng('batch'))).toBe(true);
    expect(batchVerify([good[2]!], insecureTestRng('batch'))).toBe(true);
    expect(batchVerify([good[0]!, { ...good[1]!, signature: sig9b }], insecureTestRng('batch'))).toBe(false);
    expect(batchVerify([], insecureTestRng('batch'))).toBe(false);
    expect(batchVerify([good[0]!, { ...good[1]!, publicKey: badPk }], insecureTestRng('batch'))).toBe(false);
    expect(batchVerify([{ ...good[0]!, signature: pk7 }], insecureTestRng('batch'))).toBe(false);
  });
});

describe('uncompressed.ts', () => {
  const p7 = decodeG1(pk7, 'pk');
  const { x, y } = p7.toAffine();
  const raw = (xv: bigint, yv: bigint): Uint8Array => {
    const b = new Uint8Array(96);
    b.set(bigintToBytesBE(xv, 48));
    b.set(bigintToBytesBE(yv, 48), 48);
    return b;
  };

  it('round-trips a point and the identity (0x40 then zeros, only when allowed)', () => {
    const enc = encodeG1Uncompressed(p7);
    expect(bytesToHex(enc)).toBe(bytesToHex(raw(x, y)));
    expect(decodeG1UncheckedSubgroup(enc, 'c').equals(p7)).toBe(true);
    const inf = encodeG1Uncompressed(G1.ZERO);
    expect(bytesToHex(inf)).toBe('40' + '00'.repeat(95));
    expect(decodeG1UncheckedSubgroup(inf, 'c', true).is0()).toBe(true);
    expect(refusal(() => decodeG1UncheckedSubgroup(inf, 'c'))).toEqual(point('POINT_AT_INFINITY', 'c', 'is the point at infinity'));
  });

  it('refuses flags, non-canonical infinity, coordinates >= p and points off the curve, by name', () => {
    const flagged = (or: number) => {
      const b = encodeG1Uncompressed(p7);
      b[0]! |= or;
      return b;
    };
    expect(refusal(() => decodeG1UncheckedSubgroup(flagged(0x80), 'c'))).toEqual(point('INVALID_POINT', 'c', 'has the compression flag set (expected the uncompressed form)'));
    expect(refusal(() => decodeG1UncheckedSubgroup(flagged(0x20), 'c'))).toEqual(point('INVALID_POINT', 'c', 'has the sort flag set on an uncompressed point'));
    for (const [i, v] of [[0, 0x41], [95, 1]] as const) {
      const b = encodeG1Uncompressed(G1.ZERO);
      b[i] = v;
      expect(refusal(() => decodeG1UncheckedSubgroup(b, 'c', true))).toEqual(point('INVALID_POINT', 'c', 'is a non-canonical infinity encoding'));
    }
    // (p, 2) and (x, y + p) are on the curve once reduced mod p; y = p is not (the range check speaks first)
    for (const b of [raw(P, 2n), raw(x, y + P), raw(x, P)]) {
      expect(refusal(() => decodeG1UncheckedSubgroup(b, 'c'))).toEqual(point('INVALID_POINT', 'c', 'has a coordinate that is not below the field modulus'));
    }
    expect(refusal(() => decodeG1UncheckedSubgroup(raw(x, Fp.add(y, 1n)), 'c'))).toEqual(point('INVALID_POINT', 'c', 'is not on the curve'));
  });

  it('does not check the subgroup (documented)', () => {
    const x0 = firstX(true);
    const y0 = Fp.sqrt(Fp.add(Fp.pow(x0, 3n), 4n));
    expect(decodeG1UncheckedSubgroup(raw(x0, y0), 'c').isTorsionFree()).toBe(false);
  });
});

describe('msm.ts', () => {
  it('equals the sum of the products on both sides of the Pippenger switch, scalars reduced mod r', () => {
    const G = g1Generator();
    const H = hashToG2(msg('m'));
    for (const count of [3, 50]) {
      const g1s = [G];
      const g2s = [H];
      for (let i = 1; i < count; i++) {
        g1s.push(g1s[i - 1]!.add(G));
        g2s.push(g2s[i - 1]!.add(H));
      }
      const ks = g1s.map((_, i) => BigInt(i + 1) + (i === 0 ? R : 0n));
      // Σ (i+1)·(i+1)·B = (Σ (i+1)²)·B
      const total = BigInt((count * (count + 1) * (2 * count + 1)) / 6);
      expect(msmG1(g1s, ks).equals(G.multiply(total))).toBe(true);
      expect(msmG2(g2s, ks).equals(H.multiply(total))).toBe(true);
    }
  });
});
