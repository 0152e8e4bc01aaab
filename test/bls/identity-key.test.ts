/** Issue 19: the identity public key (a sum that cancels) never verifies (KeyValidate, draft section 2.5). */
import { describe, expect, it } from 'vitest';
import { decodeG1, encodeG1, encodeG2, G2 } from '../../src/bls/group.js';
import { fastAggregateVerify, secretKeyToPublicKey, sign, verify } from '../../src/bls/signature.js';
import { encodeScalar } from '../../src/bls/field.js';

describe('identity public keys', () => {
  const pk = secretKeyToPublicKey(encodeScalar(12345n));
  const minus = encodeG1(decodeG1(pk, 'pk').negate());
  const message = new TextEncoder().encode('message');
  const infinity = encodeG2(G2.ZERO);

  it('FastAggregateVerify of [pk, -pk] with the infinity signature is false', () => {
    expect(fastAggregateVerify([pk, minus], message, infinity)).toBe(false);
    // the same call with an honest key and its signature verifies (the refusal is about the identity only)
    expect(fastAggregateVerify([pk], message, sign(encodeScalar(12345n), message))).toBe(true);
  });

  it('Verify under the identity encoding is false', () => {
    expect(verify(encodeG1(decodeG1(pk, 'pk').subtract(decodeG1(pk, 'pk'))), message, infinity)).toBe(false);
  });
});
