/** The DKG's building blocks: codecs, MSM, proofs of knowledge (batch equivalence), encryption, host keys. */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fr, randomScalar } from '../../src/bls/field.js';
import { G1, G2, mulBaseSecret } from '../../src/bls/group.js';
import { hashToG2 } from '../../src/bls/signature.js';
import { taggedHash } from '../../src/dkg/codec.js';
import { TAGS } from '../../src/dkg/constants.js';
import { deriveEncryptionSecret, deriveEphemeralSecret, encryptionPublicKey, openShares, pairKey, pairKeyFromShared, sealShares, sharedPoint, type PairContext } from '../../src/dkg/encryption.js';
import { proveDleq, proveEphemeral, verifyDleq, verifyEphemeral } from '../../src/dkg/dleq.js';
import { generateHostSecretKey, hostPublicKey, hostSign, hostVerify } from '../../src/dkg/host-key.js';
import { pokChallenge, pokResponse, verifyPok, verifyPokBatch, type PokItem } from '../../src/dkg/pok.js';
import {
  decodeG1Uncompressed,
  decodeG2Uncompressed,
  decodeOwnG1,
  encodeG1Batch,
  encodeG1UncompressedBatch,
  encodeG2Uncompressed,
  isZeroModTorsion,
  msm,
  mulSmall,
} from '../../src/dkg/points.js';
import { pointOutsideG1 } from '../../src/dkg/adversary.js';
import { encodeG1 } from '../../src/bls/group.js';
import { isDvkeysError } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { parseRound1 } from '../../src/dkg/messages.js';
import { checkPublic } from '../../src/dkg/verify.js';
import { ceremony } from './fixtures.js';

const rng = insecureTestRng('primitives');

function proof(i: number, v: number): PokItem & { a: bigint } {
  const id = new Uint8Array(32).fill(7);
  const a = randomScalar(rng);
  const k = randomScalar(rng);
  const [c0b, rb] = encodeG1UncompressedBatch([mulBaseSecret(a), mulBaseSecret(k)]);
  const c = pokChallenge(id, i, v, c0b!, rb!);
  return { c0: mulBaseSecret(a), r: mulBaseSecret(k), z: pokResponse(k, c, a), c, a };
}

describe('points', () => {
  it('uncompressed G1 round-trips and matches the compressed encoding', () => {
    const pts = [1n, 2n, 123456789n].map(mulBaseSecret);
    const enc = encodeG1UncompressedBatch(pts);
    enc.forEach((b, i) => {
      expect(decodeG1Uncompressed(b, 'p').equals(pts[i]!)).toBe(true);
      expect(encodeG1Batch([pts[i]!])[0]).toEqual(encodeG1(pts[i]!));
      expect(decodeOwnG1(encodeG1(pts[i]!), 'p').equals(pts[i]!)).toBe(true);
    });
    const h = hashToG2(new Uint8Array(3));
    expect(decodeG2Uncompressed(encodeG2Uncompressed(h), 'h').equals(h)).toBe(true);
  });

  it('uncompressed decoding rejects bad flags, x or y >= p, off-curve points and (by default) the identity', () => {
    const good = encodeG1UncompressedBatch([mulBaseSecret(5n)])[0]!;
    const bad = (f: (b: Uint8Array) => void): boolean => {
      const b = Uint8Array.from(good);
      f(b);
      try {
        decodeG1Uncompressed(b, 'p');
        return false;
      } catch (e) {
        return isDvkeysError(e);
      }
    };
    expect(bad((b) => (b[0]! |= 0x80))).toBe(true);
    expect(bad((b) => (b[0]! |= 0x20))).toBe(true);
    expect(bad((b) => (b[95]! ^= 1))).toBe(true);
    expect(bad((b) => b.fill(0xff, 0, 48).fill(0x1a, 0, 1))).toBe(true);
    const inf = new Uint8Array(96);
    inf[0] = 0x40;
    expect(() => decodeG1Uncompressed(inf, 'p')).toThrow();
    expect(decodeG1Uncompressed(inf, 'p', true).is0()).toBe(true);
    // on the curve but outside G1 decodes (subgroup checks happen on the sums, verify.ts)
    expect(decodeG1Uncompressed(pointOutsideG1(), 'p').isTorsionFree()).toBe(false);
  });

  it('msm equals noble on random inputs, in G1 and G2', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }), { minLength: 0, maxLength: 70 }), (ks) => {
        const pts = ks.map((_, i) => mulBaseSecret(BigInt(i + 3)));
        const want = ks.length === 0 ? G1.ZERO : mulAddUnsafe(G1, pts, ks);
        expect(msm(G1.ZERO, pts, ks).equals(want)).toBe(true);
      }),
      { numRuns: 20 },
    );
    const h = hashToG2(new Uint8Array(1));
    const g2 = [h, h.double(), h.double().add(h)];
    expect(msm(G2.ZERO, g2, [1n, 2n, 3n]).equals(h.multiply(14n))).toBe(true);
  });

  it('mulSmall is k·P; zero modulo torsion accepts exactly torsion points', () => {
    const p = mulBaseSecret(11n);
    for (const k of [1n, 2n, 3n, 10n, 64n]) expect(mulSmall(p, k).equals(p.multiply(k))).toBe(true);
    const t = decodeG1Uncompressed(pointOutsideG1(), 't');
    const torsion = t.subtract(t.clearCofactor().multiply(Fr.inv(0xd201000000010001n % Fr.ORDER)));
    expect(torsion.is0()).toBe(false);
    expect(isZeroModTorsion(torsion)).toBe(true);
    expect(isZeroModTorsion(p)).toBe(false);
  });
});

describe('proof of knowledge (Schnorr in G1)', () => {
  it('valid proofs verify alone and in a batch; binding to ceremony, participant and validator', () => {
    const items = [proof(1, 1), proof(2, 1), proof(1, 2)];
    for (const it of items) expect(verifyPok(it)).toBe(true);
    expect(verifyPokBatch(items, rng)).toBe(true);
    const p = items[0]!;
    const other = pokChallenge(new Uint8Array(32).fill(8), 1, 1, encodeG1UncompressedBatch([p.c0])[0]!, encodeG1UncompressedBatch([p.r])[0]!);
    expect(verifyPok({ ...p, c: other })).toBe(false);
    // issue 19: the same proof under another participant index or another validator index does not verify
    const [c0, r] = encodeG1UncompressedBatch([p.c0, p.r]);
    const id = new Uint8Array(32).fill(7);
    expect(verifyPok({ ...p, c: pokChallenge(id, 1, 1, c0!, r!) })).toBe(true);
    expect(verifyPok({ ...p, c: pokChallenge(id, 2, 1, c0!, r!) })).toBe(false);
    expect(verifyPok({ ...p, c: pokChallenge(id, 1, 2, c0!, r!) })).toBe(false);
  });

  it("a dealer's valid proof for validator 1 copied to validator 2 with the same commitments: invalid-proof for validator 2 (issue 19)", () => {
    const c = ceremony(3, 2, 2, 'pok-validator-binding');
    const def = parseDefinition(c.definition);
    const round1 = c.round1.map((m) => parseRound1(m, 'round1', def));
    const dealer = round1[1]!;
    const copied = { ...dealer, validators: [dealer.validators[0]!, dealer.validators[0]!] };
    const check = checkPublic(def, [round1[0]!, copied, round1[2]!], rng);
    expect(check.findings.map(({ accused, fault, validator }) => ({ accused, fault, validator }))).toEqual([{ accused: 2, fault: 'invalid-proof', validator: 2 }]);
    expect(checkPublic(def, round1, rng).findings).toEqual([]);
  });

  it('batch equivalence: the batch accepts iff every proof does, including a crafted cancelling pair', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.nat(), fc.bigInt({ min: 1n, max: Fr.ORDER - 1n }), (count, which, delta) => {
        const items = Array.from({ length: count }, (_, i) => proof(i + 1, 1));
        expect(verifyPokBatch(items, rng)).toBe(true);
        const i = which % count;
        const j = (i + 1) % count;
        // +δ on one z and −δ on another: an unweighted sum of the equations would still balance
        const bad = items.map((it, k) => (k === i ? { ...it, z: Fr.add(it.z, delta) } : k === j ? { ...it, z: Fr.sub(it.z, delta) } : it));
        expect(verifyPokBatch(bad, rng)).toBe(false);
        expect(bad.filter((it) => !verifyPok(it))).toHaveLength(2);
      }),
      { numRuns: 8 },
    );
  });
});

describe('share encryption', () => {
  const id = new Uint8Array(32).fill(1);
  const nonce = new Uint8Array(32).fill(2);
  const hostA = generateHostSecretKey(rng);
  const hostB = generateHostSecretKey(rng);
  const dA = deriveEncryptionSecret(hostA, nonce, new Uint8Array(32).fill(3));
  const dB = deriveEncryptionSecret(hostB, nonce, new Uint8Array(32).fill(4));
  const eA = deriveEphemeralSecret(new Uint8Array(32).fill(5));
  const salt = new Uint8Array(32).fill(6);
  // A (dealer 1, ephemeral eA) → B (recipient 2, enrolled dB)
  const ctx: PairContext = { ceremonyId: id, sender: 1, recipient: 2, senderKey: encryptionPublicKey(eA), recipientKey: encryptionPublicKey(dB), validators: 2, salt };

  it("the recipient derives the sender's key from its own secret and the ephemeral key, and decrypts; anything else fails", () => {
    const k1 = pairKey(ctx, eA, true);
    const k2 = pairKey(ctx, dB, false);
    expect(Uint8Array.from(k2)).toEqual(Uint8Array.from(k1));
    const pt = new Uint8Array(64).fill(9);
    const ct = sealShares(k1, ctx, pt);
    expect(ct.length).toBe(64 + 16);
    expect(Uint8Array.from(openShares(k2, ctx, ct)!)).toEqual(pt);
    expect(openShares(k2, { ...ctx, recipient: 3 }, ct)).toBeUndefined();
    expect(openShares(pairKey({ ...ctx, sender: 1, recipient: 1 }, dA, true), ctx, ct)).toBeUndefined();
    // the static key of A does not open it: the sender side is the ephemeral key
    expect(openShares(pairKey({ ...ctx, senderKey: encryptionPublicKey(dA) }, dA, true), ctx, ct)).toBeUndefined();
    const flipped = Uint8Array.from(ct);
    flipped[0]! ^= 1;
    expect(openShares(k2, ctx, flipped)).toBeUndefined();
  });

  it('the message salt is an input of the key: another salt, another key (no AEAD key and nonce pair twice)', () => {
    const other = { ...ctx, salt: new Uint8Array(32).fill(7) };
    expect(Uint8Array.from(pairKey(other, eA, true))).not.toEqual(Uint8Array.from(pairKey(ctx, eA, true)));
    const self = { ...ctx, recipient: 1, senderKey: encryptionPublicKey(dA) };
    expect(Uint8Array.from(pairKey({ ...self, salt: other.salt }, dA, true))).not.toEqual(Uint8Array.from(pairKey(self, dA, true)));
  });

  it('the ECDH point opens its own direction only: d_B·E_A is k_{A→B}; it is not the point of B→A', () => {
    const p = sharedPoint(dB, ctx.senderKey);
    expect(Uint8Array.from(pairKeyFromShared(ctx, p))).toEqual(Uint8Array.from(pairKey(ctx, eA, true)));
    const eB = deriveEphemeralSecret(new Uint8Array(32).fill(8));
    const back: PairContext = { ...ctx, sender: 2, recipient: 1, senderKey: encryptionPublicKey(eB), recipientKey: encryptionPublicKey(dA) };
    expect(Uint8Array.from(pairKeyFromShared(back, p))).not.toEqual(Uint8Array.from(pairKey(back, eB, true)));
  });
});

describe('DLEQ and ephemeral-key proofs (decision 0420)', () => {
  const id = new Uint8Array(32).fill(1);
  const d = deriveEncryptionSecret(generateHostSecretKey(rng), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3));
  const e = deriveEphemeralSecret(new Uint8Array(32).fill(4));
  const E = encryptionPublicKey(e);
  const st = { ceremonyId: id, prover: 2, other: 1, proverKey: encryptionPublicKey(d), otherKey: E, point: sharedPoint(d, E) };

  it('a proof that P = d·E under the enrolled D = d·G verifies; a point of another scalar, another statement or a flipped bit does not', () => {
    const proof = proveDleq(d, st, rng(32));
    expect(verifyDleq(proof, st)).toBe(true);
    const other = deriveEphemeralSecret(new Uint8Array(32).fill(9));
    expect(verifyDleq(proof, { ...st, point: sharedPoint(other, E) })).toBe(false);
    expect(verifyDleq(proof, { ...st, prover: 3 })).toBe(false);
    expect(verifyDleq(proof, { ...st, other: 3 })).toBe(false);
    expect(verifyDleq(proof, { ...st, ceremonyId: new Uint8Array(32).fill(5) })).toBe(false);
    expect(verifyDleq(proof, { ...st, otherKey: encryptionPublicKey(other) })).toBe(false);
    for (const k of [0, 31, 32, 63]) {
      const bad = Uint8Array.from(proof);
      bad[k]! ^= 1;
      expect(verifyDleq(bad, st)).toBe(false);
    }
    expect(verifyDleq(proof.subarray(0, 63), st)).toBe(false);
    const padded = new Uint8Array(65);
    padded.set(proof.subarray(0, 32), 0);
    padded.set(proof.subarray(32), 33);
    expect(verifyDleq(padded, st)).toBe(false);
    expect(verifyDleq(new Uint8Array(64).fill(0xff), st)).toBe(false);
    expect(verifyDleq(proof, { ...st, point: new Uint8Array(33) })).toBe(false);
    // a secret that does not match the statement is the caller's bug
    expect(() => proveDleq(other, st, rng(32))).toThrow(RangeError);
  });

  it('proveDleq refuses a statement wrong in either half, and a secret that is no secp256k1 scalar, with its reason', () => {
    const other = deriveEphemeralSecret(new Uint8Array(32).fill(9));
    // D = d·G holds, P = d·E does not
    expect(() => proveDleq(d, { ...st, point: sharedPoint(other, E) }, rng(32))).toThrow('the DLEQ statement does not match the secret');
    // P = d·E holds, D = d·G does not
    expect(() => proveDleq(d, { ...st, proverKey: encryptionPublicKey(other) }, rng(32))).toThrow('the DLEQ statement does not match the secret');
    const order = secp256k1.Point.Fn.ORDER;
    for (const x of [0n, order, order + 1n]) {
      const secret = new Uint8Array(32);
      for (let i = 0, v = x; i < 32; i++, v >>= 8n) secret[31 - i] = Number(v & 0xffn);
      expect(() => proveDleq(secret, st, rng(32))).toThrow('not a secp256k1 scalar');
      expect(() => proveEphemeral(secret, { ceremonyId: id, dealer: 3, key: E }, rng(32))).toThrow('not a secp256k1 scalar');
    }
    expect(() => proveEphemeral(other, { ceremonyId: id, dealer: 3, key: E }, rng(32))).toThrow('the ephemeral key does not match the secret');
    // the largest scalar, N - 1, is a valid secret
    const max = new Uint8Array(32);
    for (let i = 0, v = order - 1n; i < 32; i++, v >>= 8n) max[31 - i] = Number(v & 0xffn);
    const K = secp256k1.Point.BASE.multiply(order - 1n).toBytes(true);
    expect(verifyEphemeral(proveEphemeral(max, { ceremonyId: id, dealer: 3, key: K }, rng(32)), { ceremonyId: id, dealer: 3, key: K })).toBe(true);
  });

  it('a wrong-length ceremony id, secret or aux is INVALID_LENGTH naming its field (prove); verify only answers false', () => {
    const short = new Uint8Array(31);
    const es = { ceremonyId: id, dealer: 3, key: E };
    const cases: [() => unknown, string][] = [
      [() => proveDleq(d, { ...st, ceremonyId: short }, rng(32)), 'ceremonyId'],
      [() => proveDleq(short, st, rng(32)), 'secret'],
      [() => proveDleq(d, st, short), 'aux'],
      [() => proveEphemeral(e, { ...es, ceremonyId: short }, rng(32)), 'ceremonyId'],
      [() => proveEphemeral(e, es, short), 'aux'],
    ];
    for (const [f, field] of cases) expect(f).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH', field }));
    expect(verifyDleq(proveDleq(d, st, rng(32)), { ...st, ceremonyId: short })).toBe(false);
    expect(verifyEphemeral(proveEphemeral(e, es, rng(32)), { ...es, ceremonyId: short })).toBe(false);
  });

  it('one ephemeral secret proven for two ceremonies or dealers with the same aux never reuses a nonce (e_j stays hidden)', () => {
    const order = secp256k1.Point.Fn.ORDER;
    const d = BigInt(`0x${Buffer.from(e).toString('hex')}`);
    const aux = new Uint8Array(32).fill(7);
    const nonceOf = (st: { ceremonyId: Uint8Array; dealer: number; key: Uint8Array }): bigint => {
      const p = proveEphemeral(e, st, aux);
      const ch = BigInt(`0x${Buffer.from(p.subarray(0, 32)).toString('hex')}`);
      const s = BigInt(`0x${Buffer.from(p.subarray(32)).toString('hex')}`);
      return (((s - ch * d) % order) + order) % order; // k = s - e·d
    };
    const base = { ceremonyId: id, dealer: 3, key: E };
    const k = nonceOf(base);
    // before the fix the nonce hashed only (secret, key, aux): two such proofs gave e_j = (s - s') / (c - c')
    expect(nonceOf({ ...base, ceremonyId: new Uint8Array(32).fill(5) })).not.toBe(k);
    expect(nonceOf({ ...base, dealer: 4 })).not.toBe(k);
    expect(nonceOf(base)).toBe(k); // deterministic for one statement and aux
  });

  it('the ephemeral key proof is bound to the ceremony and the dealer; a multiple of the key cannot reuse it', () => {
    const es = { ceremonyId: id, dealer: 3, key: E };
    const proof = proveEphemeral(e, es, rng(32));
    expect(verifyEphemeral(proof, es)).toBe(true);
    expect(verifyEphemeral(proof, { ...es, dealer: 4 })).toBe(false);
    expect(verifyEphemeral(proof, { ...es, ceremonyId: new Uint8Array(32).fill(5) })).toBe(false);
    const two = new Uint8Array(32);
    two[31] = 2;
    expect(verifyEphemeral(proof, { ...es, key: sharedPoint(two, E) })).toBe(false);
    const bad = Uint8Array.from(proof);
    bad[40]! ^= 1;
    expect(verifyEphemeral(bad, es)).toBe(false);
    // never throws on bad input: a short proof, a key that is no point
    expect(verifyEphemeral(proof.subarray(0, 63), es)).toBe(false);
    expect(verifyEphemeral(proof, { ...es, key: new Uint8Array(33) })).toBe(false);
    // a proof is exactly 64 bytes: e || 0x00 || s has the same (e, s) as numbers but is refused
    const padded = new Uint8Array(65);
    padded.set(proof.subarray(0, 32), 0);
    padded.set(proof.subarray(32), 33);
    expect(verifyEphemeral(padded, es)).toBe(false);
  });
});

describe('host keys and tagged hashes', () => {
  it('BIP-340 tagged hash as noble computes it; signatures are bound to their tag', () => {
    const msg = new Uint8Array([1, 2, 3]);
    expect(taggedHash(TAGS.ack, msg)).toEqual(schnorr.utils.taggedHash(TAGS.ack, msg));
    const sk = generateHostSecretKey(rng);
    const sig = hostSign(sk, TAGS.ack, msg, new Uint8Array(32));
    expect(hostVerify(hostPublicKey(sk), TAGS.ack, msg, sig)).toBe(true);
    expect(hostVerify(hostPublicKey(sk), TAGS.complaint, msg, sig)).toBe(false);
    expect(hostVerify(hostPublicKey(generateHostSecretKey(rng)), TAGS.ack, msg, sig)).toBe(false);
  });
});

describe('fast G1 subgroup test', () => {
  it('agrees with noble on G1 points, points outside G1, and small-order torsion points', async () => {
    const { isInG1 } = await import('../../src/dkg/subgroup.js');
    const { bls12_381 } = await import('@noble/curves/bls12-381.js');
    const Fp = bls12_381.fields.Fp;
    const r = Fr.ORDER;
    const h = 0x396c8c005555e1568c00aaab0000aaabn;
    const outside: ReturnType<typeof mulBaseSecret>[] = [];
    for (let x = 1n; outside.length < 20; x++) {
      const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
      let y: bigint;
      try {
        y = Fp.sqrt(rhs);
      } catch {
        continue;
      }
      if (Fp.sqr(y) === rhs) outside.push(G1.fromAffine({ x, y }));
    }
    for (const p of outside) {
      expect(isInG1(p)).toBe(p.isTorsionFree());
      // its torsion part, and the parts of order 3 and 11 (where the addition chain meets ±P)
      const torsion = p.multiplyUnsafe(r - 1n).add(p);
      for (const part of [torsion, torsion.multiplyUnsafe(h / 3n), torsion.multiplyUnsafe(h / 11n)]) {
        expect(isInG1(part)).toBe(part.is0() || part.isTorsionFree());
        const mixed = part.add(mulBaseSecret(5n));
        expect(isInG1(mixed)).toBe(mixed.isTorsionFree());
      }
    }
    for (let i = 1n; i < 20n; i++) expect(isInG1(mulBaseSecret(i * 0x1234567n))).toBe(true);
  });
});

describe('fast G2 paths (g2.ts)', () => {
  it('hashToG2Fast equals src/bls hashToG2 (noble) on random messages', async () => {
    const { hashToG2Fast } = await import('../../src/dkg/g2.js');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (msg) => {
        expect(hashToG2Fast(msg).equals(hashToG2(msg))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('the G2 subgroup test and strict decoding agree with noble, on and off G2', async () => {
    const { clearCofactorG2, decodeG2Strict, isInG2 } = await import('../../src/dkg/g2.js');
    const { decodeG2, encodeG2 } = await import('../../src/bls/group.js');
    const { bls12_381 } = await import('@noble/curves/bls12-381.js');
    const F2 = bls12_381.fields.Fp2;
    const off: ReturnType<typeof hashToG2>[] = [];
    for (let x = 1n; off.length < 6; x++) {
      const xx = F2.fromBigTuple([x, 1n]);
      const rhs = F2.add(F2.mul(F2.sqr(xx), xx), G2.CURVE().b);
      let y;
      try {
        y = F2.sqrt(rhs);
      } catch {
        continue;
      }
      if (F2.eql(F2.sqr(y), rhs)) off.push(G2.fromAffine({ x: xx, y }));
    }
    for (const p of off) {
      expect(isInG2(p)).toBe(false);
      expect(clearCofactorG2(p).equals(p.clearCofactor())).toBe(true);
      expect(isInG2(p.clearCofactor())).toBe(true);
      // the compressed encoding of an off-subgroup point: both decoders refuse it with the same code
      const bytes = Uint8Array.from(encodeG2(p));
      const codes = [() => decodeG2Strict(bytes, 'p'), () => decodeG2(bytes, 'p')].map((f) => {
        try {
          f();
          return 'none';
        } catch (e) {
          return isDvkeysError(e) ? e.code : 'other';
        }
      });
      expect(codes).toEqual(['POINT_NOT_IN_SUBGROUP', 'POINT_NOT_IN_SUBGROUP']);
    }
    for (let i = 0; i < 4; i++) {
      const q = hashToG2(new Uint8Array([i]));
      expect(isInG2(q)).toBe(true);
      expect(decodeG2Strict(encodeG2(q), 'q').equals(q)).toBe(true);
      const flipped = Uint8Array.from(encodeG2(q));
      flipped[0]! &= 0x7f;
      expect(() => decodeG2Strict(flipped, 'q')).toThrow();
    }
  });
});

describe('codec', () => {
  it('the binary writer handles the part count of a large round-1 body (no argument spread)', async () => {
    const { Writer } = await import('../../src/dkg/codec.js');
    const w = new Writer();
    for (let i = 0; i < 300_000; i++) w.u8(i);
    const out = w.finish();
    expect(out.length).toBe(300_000);
    expect(out[299_999]).toBe(299_999 & 0xff);
  });
});
