/**
 * Known-answer tests: ethereum/bls12-381-tests v0.1.1 (provenance in each file's `source`, test/vectors/README.md).
 * Every case must pass byte for byte; the case counts are pinned.
 */
import { describe, expect, it } from 'vitest';
import { decodeG1, decodeG2 } from '../../src/bls/group.js';
import {
  aggregate,
  aggregateVerify,
  fastAggregateVerify,
  secretKeyToPublicKey,
  sign,
  verify,
} from '../../src/bls/signature.js';
import { isDvkeysError } from '../../src/errors.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

interface File<C> {
  count: number;
  cases: C;
}
type Case<I, O> = { name: string; input: I; output: O };

const signV = loadVector<File<Case<{ privkey: string; message: string }, string | null>[]>>('bls/bls-sign.json');
const verifyV = loadVector<File<Case<{ pubkey: string; message: string; signature: string }, boolean>[]>>(
  'bls/bls-verify.json',
);
const aggV = loadVector<File<Case<string[], string | null>[]>>('bls/bls-aggregate.json');
const favV = loadVector<File<Case<{ pubkeys: string[]; message: string; signature: string }, boolean>[]>>(
  'bls/bls-fast-aggregate-verify.json',
);
const avV = loadVector<File<Case<{ pubkeys: string[]; messages: string[]; signature: string }, boolean>[]>>(
  'bls/bls-aggregate-verify.json',
);
const desV = loadVector<
  File<{ G1: Case<{ pubkey: string }, boolean>[]; G2: Case<{ signature: string }, boolean>[] }>
>('bls/bls-deserialization.json');

describe('BLS known-answer vectors (ethereum/bls12-381-tests v0.1.1)', () => {
  it('has the pinned case counts', () => {
    expect([signV.cases.length, verifyV.cases.length, aggV.cases.length, favV.cases.length, avV.cases.length]).toEqual(
      [10, 29, 6, 12, 5],
    );
    expect([desV.cases.G1.length, desV.cases.G2.length]).toEqual([13, 15]);
    expect(signV.count + verifyV.count + aggV.count + favV.count + avV.count + desV.count).toBe(90);
  });

  it.each(signV.cases.map((c) => [c.name, c] as const))('sign %s', (_name, c) => {
    const sk = hex(c.input.privkey);
    if (c.output === null) {
      expect(() => sign(sk, hex(c.input.message))).toThrow();
      return;
    }
    const sig = sign(sk, hex(c.input.message));
    expect(toHex(sig)).toBe(c.output);
    expect(verify(secretKeyToPublicKey(sk), hex(c.input.message), sig)).toBe(true);
  });

  it.each(verifyV.cases.map((c) => [c.name, c] as const))('verify %s', (_name, c) => {
    expect(verify(hex(c.input.pubkey), hex(c.input.message), hex(c.input.signature))).toBe(c.output);
  });

  it.each(aggV.cases.map((c) => [c.name, c] as const))('aggregate %s', (_name, c) => {
    if (c.output === null) {
      expect(() => aggregate(c.input.map(hex))).toThrow();
      return;
    }
    expect(toHex(aggregate(c.input.map(hex)))).toBe(c.output);
  });

  it.each(favV.cases.map((c) => [c.name, c] as const))('fast_aggregate_verify %s', (_name, c) => {
    expect(fastAggregateVerify(c.input.pubkeys.map(hex), hex(c.input.message), hex(c.input.signature))).toBe(
      c.output,
    );
  });

  it.each(avV.cases.map((c) => [c.name, c] as const))('aggregate_verify %s', (_name, c) => {
    expect(aggregateVerify(c.input.pubkeys.map(hex), c.input.messages.map(hex), hex(c.input.signature))).toBe(
      c.output,
    );
  });

  it.each(desV.cases.G1.map((c) => [c.name, c] as const))('deserialization_G1 %s', (_name, c) => {
    const ok = (() => {
      try {
        decodeG1(hex(c.input.pubkey), 'pubkey', { allowInfinity: true });
        return true;
      } catch (e) {
        expect(isDvkeysError(e)).toBe(true);
        return false;
      }
    })();
    expect(ok).toBe(c.output);
  });

  it.each(desV.cases.G2.map((c) => [c.name, c] as const))('deserialization_G2 %s', (_name, c) => {
    const ok = (() => {
      try {
        decodeG2(hex(c.input.signature), 'signature');
        return true;
      } catch (e) {
        expect(isDvkeysError(e)).toBe(true);
        return false;
      }
    })();
    expect(ok).toBe(c.output);
  });
});
