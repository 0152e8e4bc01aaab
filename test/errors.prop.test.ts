/** No error message, stack or enumerable field ever contains a secret that was passed in (property over random keys). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { R, encodeScalar } from '../src/bls/field.js';
import { sign } from '../src/bls/signature.js';
import { bigintToBytesBE } from '../src/bytes.js';
import { checkRecombination } from '../src/sharing/recombine.js';
import { recoverSecret, split } from '../src/sharing/shamir.js';
import { partialSign } from '../src/sharing/threshold-signature.js';
import { SecretBytes, toShareIndex } from '../src/types.js';

function leaks(e: unknown, secrets: string[]): boolean {
  const err = e as Error;
  const text = [String(err.message), String(err.stack), JSON.stringify(err), JSON.stringify({ ...err })].join('\n').toLowerCase();
  // short renderings (a small k) would match line numbers in stacks; a real key's renderings are long
  return secrets.some((s) => s.length >= 16 && text.includes(s));
}

describe('errors never carry secrets', () => {
  it('for random secrets across failing operations', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: R - 1n }), fc.integer({ min: 0, max: 5 }), (k, op) => {
        const sk = encodeScalar(k);
        const hex = Buffer.from(sk).toString('hex');
        const secrets = [hex, k.toString(), k.toString(16)];
        const tooBig = SecretBytes.copyOf(bigintToBytesBE(k + R < 1n << 256n ? k + R : R, 32));
        const ops: (() => unknown)[] = [
          () => split(sk, { threshold: 5, shares: 3 }),
          () => split(sk.subarray(1), { threshold: 1, shares: 1 }),
          () => sign(tooBig, new Uint8Array(1)),
          () => recoverSecret([{ id: toShareIndex(1), secret: sk }], 2),
          () => partialSign({ id: toShareIndex(1), secret: tooBig }, new Uint8Array(1)),
          () => {
            const r = split(sk, { threshold: 2, shares: 3 });
            const shares = [{ id: r.shares[0]!.id, secret: tooBig }];
            return checkRecombination({ threshold: 2, groupPublicKey: r.groupPublicKey, publicShares: r.publicShares }, { shares });
          },
        ];
        let caught: unknown;
        try {
          ops[op]!();
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(Error);
        expect(leaks(caught, [...secrets, Buffer.from(tooBig).toString('hex')])).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('SecretBytes prints <redacted>', () => {
    const s = SecretBytes.copyOf(Uint8Array.of(1, 2, 3));
    expect(String(s)).toBe('<redacted>');
    expect(JSON.stringify({ s })).toBe('{"s":"<redacted>"}');
    expect(`${s.join()}`).toBe('<redacted>');
  });
});
