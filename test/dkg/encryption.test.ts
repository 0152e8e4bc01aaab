/**
 * Tamper tests of src/dkg/encryption.ts (issue 19, docs/mutation.md): an enrolled or ephemeral key that is not a
 * compressed secp256k1 point is refused by field, and a share bundle of the wrong length is never sealed or opened.
 */
import { describe, expect, it } from 'vitest';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { TAGS } from '../../src/dkg/constants.js';
import {
  assertEncryptionPublicKey,
  deriveEncryptionSecret,
  deriveEphemeralSecret,
  encryptionPublicKey,
  openShares,
  pairKey,
  pairKeyFromShared,
  sealShares,
  sharedPoint,
  type PairContext,
} from '../../src/dkg/encryption.js';

const key = new Uint8Array(32).fill(9);
const ctx: PairContext = { ceremonyId: new Uint8Array(32).fill(1), sender: 1, recipient: 2, senderKey: new Uint8Array(33), recipientKey: new Uint8Array(33), validators: 2, salt: new Uint8Array(32).fill(2) };
const G = Uint8Array.from(Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'));

describe('assertEncryptionPublicKey', () => {
  it('accepts the generator and refuses another prefix or an x off the curve, as INVALID_POINT at the field', () => {
    expect(() => assertEncryptionPublicKey(G, 'k')).not.toThrow();
    expect(() => assertEncryptionPublicKey(Uint8Array.from([0x04, ...G.subarray(1)]), 'k')).toThrow(expect.objectContaining({ code: 'INVALID_POINT', field: 'k', message: "'k' is not a compressed secp256k1 point" }));
    expect(() => assertEncryptionPublicKey(Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]), 'k')).toThrow(expect.objectContaining({ code: 'INVALID_POINT', field: 'k', message: "'k' is not a point on secp256k1" }));
  });
});

describe('sealShares and openShares', () => {
  it('a bundle round-trips; a wrong length is refused to seal and gives undefined to open; a flipped bit does not open', () => {
    const ct = sealShares(key, ctx, new Uint8Array(64).fill(3));
    expect(ct).toHaveLength(80);
    expect([...openShares(key, ctx, ct)!]).toEqual([...new Uint8Array(64).fill(3)]);
    expect(() => sealShares(key, ctx, new Uint8Array(63))).toThrow('share bundle length does not match V');
    expect(openShares(key, ctx, ct.subarray(0, 79))).toBeUndefined();
    expect(openShares(key, { ...ctx, validators: 1 }, ct)).toBeUndefined();
    const flipped = ct.slice();
    flipped[5]! ^= 1;
    expect(openShares(key, ctx, flipped)).toBeUndefined();
  });
});

/** The spec's formulas (module TSDoc, decision 0420) rebuilt here from noble alone, to pin every input of each KDF. */
const u16 = (v: number) => Uint8Array.from([v >> 8, v & 0xff]);
const u32 = (v: number) => Uint8Array.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);

describe('pairKey, pairKeyFromShared, sealShares: the spec formulas', () => {
  const d = deriveEncryptionSecret(new Uint8Array(32).fill(7), new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
  const e = deriveEphemeralSecret(new Uint8Array(32).fill(3));
  const D = encryptionPublicKey(d);
  const E = encryptionPublicKey(e);
  const pair: PairContext = { ceremonyId: new Uint8Array(32).fill(4), sender: 3, recipient: 258, senderKey: E, recipientKey: D, validators: 2, salt: new Uint8Array(32).fill(5) };

  it('k_{j->i} = HKDF(e_j·D_i, ceremonyId, DST_kdf || u16 j || u16 i || E_j || D_i || σ_j), the same from either side', () => {
    const P = secp256k1.getSharedSecret(e, D, true);
    expect(P).toEqual(secp256k1.getSharedSecret(d, E, true));
    const want = hkdf(sha256, P, pair.ceremonyId, cat(text(TAGS.kdf), u16(3), u16(258), E, D, pair.salt), 32);
    expect([...pairKey(pair, e, true)]).toEqual([...want]);
    expect([...pairKey(pair, d, false)]).toEqual([...want]);
    expect([...pairKeyFromShared(pair, sharedPoint(d, E))]).toEqual([...want]);
    // directional: the reverse pair is another key
    expect([...pairKey({ ...pair, sender: 258, recipient: 3 }, e, true)]).not.toEqual([...want]);
  });

  it('the self key (i = j) is HKDF(d_j, ceremonyId, DST_kdf-self || u16 j || D_j || σ_j), no ECDH', () => {
    const self: PairContext = { ...pair, sender: 7, recipient: 7, senderKey: D, recipientKey: D };
    const want = hkdf(sha256, d, self.ceremonyId, cat(text(TAGS.kdfSelf), u16(7), D, self.salt), 32);
    expect([...pairKey(self, d, true)]).toEqual([...want]);
    expect([...pairKey(self, d, false)]).toEqual([...want]);
  });

  it('ct = ChaCha20-Poly1305(k, 0^12, DST_aad || ceremonyId || u16 j || u16 i || u32 V); another context does not open it', () => {
    const key = pairKey(pair, e, true);
    const pt = new Uint8Array(64).map((_, i) => i);
    const ct = sealShares(key, pair, pt);
    const want = chacha20poly1305(key, new Uint8Array(12), cat(text(TAGS.aad), pair.ceremonyId, u16(3), u16(258), u32(2))).encrypt(pt);
    expect([...ct]).toEqual([...want]);
    for (const other of [{ sender: 4 }, { recipient: 259 }, { ceremonyId: new Uint8Array(32).fill(6) }]) {
      expect(openShares(key, { ...pair, ...other }, ct)).toBeUndefined();
    }
  });

  it('a wrong-length input is INVALID_LENGTH naming its field', () => {
    const short = new Uint8Array(31);
    const cases: [() => unknown, string][] = [
      [() => deriveEncryptionSecret(new Uint8Array(32).fill(7), short, new Uint8Array(32)), 'attemptNonce'],
      [() => deriveEncryptionSecret(new Uint8Array(32).fill(7), new Uint8Array(32), short), 'salt'],
      [() => deriveEphemeralSecret(short), 'seed'],
      [() => encryptionPublicKey(short), 'encryptionSecret'],
      [() => sharedPoint(short, D), 'encryptionSecret'],
      [() => pairKey(pair, short, true), 'encryptionSecret'],
      [() => pairKey({ ...pair, salt: short }, e, true), 'salt'],
      [() => pairKey({ ...pair, recipient: 3, salt: short }, e, true), 'salt'],
      [() => pairKey({ ...pair, ceremonyId: short }, e, true), 'ceremonyId'],
      [() => pairKeyFromShared(pair, short), 'sharedPoint'],
    ];
    for (const [f, field] of cases) expect(f).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH', field }));
  });

  it('the derived secrets: a scalar below the order, changing with each input', () => {
    const host = new Uint8Array(32).fill(7);
    const base = [...deriveEncryptionSecret(host, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))];
    expect(base).toEqual([...d]);
    expect([...deriveEncryptionSecret(host, new Uint8Array(32).fill(9), new Uint8Array(32).fill(2))]).not.toEqual(base);
    expect([...deriveEncryptionSecret(host, new Uint8Array(32).fill(1), new Uint8Array(32).fill(9))]).not.toEqual(base);
    expect([...deriveEncryptionSecret(new Uint8Array(32).fill(8), new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))]).not.toEqual(base);
    expect(() => deriveEncryptionSecret(new Uint8Array(32), new Uint8Array(32), new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'ZERO_SCALAR' }));
    expect([...deriveEphemeralSecret(new Uint8Array(32).fill(9))]).not.toEqual([...e]);
  });
});
