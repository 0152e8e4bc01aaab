/**
 * Tamper tests of src/dkg/encryption.ts (issue 19, docs/mutation.md): an enrolled or ephemeral key that is not a
 * compressed secp256k1 point is refused by field, and a share bundle of the wrong length is never sealed or opened.
 */
import { describe, expect, it } from 'vitest';
import { assertEncryptionPublicKey, openShares, sealShares, type PairContext } from '../../src/dkg/encryption.js';

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
