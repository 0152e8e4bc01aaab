/**
 * ssv-spec's herumi-generated Shamir key sets (test/vectors/threshold/threshold.json, ids = operator ids): any t
 * shares recombine to the validator key, and t partial signatures aggregate to the validator's own signature.
 */
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey, sign } from '../../src/bls/signature.js';
import { checkRecombination } from '../../src/sharing/recombine.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { aggregatePartials, partialSign } from '../../src/sharing/threshold-signature.js';
import { SecretBytes, toShareIndex, type SecretShare } from '../../src/types.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

interface KeySet {
  name: string;
  validator_sk: string;
  validator_pk: string;
  share_count: number;
  threshold: number;
  shares: { id: number; sk: string }[];
}
const file = loadVector<{ sets: KeySet[] }>('threshold/threshold.json');

describe('ssv-spec threshold key sets', () => {
  it('has 4 sets of 4, 7, 10 and 13 shares', () => {
    expect(file.sets.map((s) => s.share_count)).toEqual([4, 7, 10, 13]);
    expect(file.sets.map((s) => s.shares.length)).toEqual([4, 7, 10, 13]);
  });

  it.each(file.sets.map((s) => [s.name, s] as const))('%s recombines and signs', (_n, set) => {
    const shares: SecretShare[] = set.shares.map((s) => ({ id: toShareIndex(s.id), secret: SecretBytes.copyOf(hex(s.sk)) }));
    expect(toHex(secretKeyToPublicKey(hex(set.validator_sk)))).toBe(set.validator_pk);
    // first t, last t, and every other share (when there are enough)
    const subsets = [shares.slice(0, set.threshold), shares.slice(-set.threshold)];
    for (const sub of subsets) expect(toHex(recoverSecret(sub, set.threshold))).toBe(set.validator_sk);
    const message = new TextEncoder().encode(`dvkeys threshold vector ${set.name}`);
    const expected = toHex(sign(hex(set.validator_sk), message));
    for (const sub of subsets) {
      expect(toHex(aggregatePartials(sub.map((s) => partialSign(s, message))))).toBe(expected);
    }
    const report = checkRecombination(
      {
        threshold: set.threshold,
        groupPublicKey: hex(set.validator_pk),
        publicShares: shares.map((s) => ({ id: s.id, publicKey: secretKeyToPublicKey(s.secret) })),
      },
      { shares },
    );
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
});
