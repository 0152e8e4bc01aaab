/**
 * Threshold-signed exits and deposits: partials from any t shares combine to exactly the single-key signature;
 * a partial from the wrong share, for the wrong validator, for the wrong domain (network), or for another exit is
 * refused naming its share id. Uses src/sharing (split, aggregatePartials) for the Lagrange step.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { secretKeyToPublicKey, sign } from '../../src/bls/signature.js';
import { depositDataFromSignature, depositSigningRoot } from '../../src/eth/deposit.js';
import { signVoluntaryExit } from '../../src/eth/exit.js';
import {
  combineExitPartials,
  formatExitPartialFile,
  parseExitPartialFile,
  signExitPartial,
  type CombineExitInput,
  type ExitPartial,
} from '../../src/eth/exit-partial.js';
import { executionWithdrawalCredentials } from '../../src/eth/withdrawal.js';
import { split } from '../../src/sharing/shamir.js';
import { aggregatePartials } from '../../src/sharing/threshold-signature.js';
import type { SecretShare } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

const SK = hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');
const OTHER_SK = hex('47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138');
const EXIT = { epoch: 300000n, validatorIndex: 1234567n };
const ADDRESS = hex('0f51bb10119727a7e5ea3538074fb341f56b09ad');
const pubkey = secretKeyToPublicKey(SK);
const sharing = split(SK, { threshold: 3, shares: 4, rng: insecureTestRng('exit-threshold') });
const share = (id: number): SecretShare => sharing.shares[id - 1]!;
const partial = (id: number, network = 'mainnet', exit = EXIT, validatorPubkey = pubkey): ExitPartial =>
  signExitPartial(share(id), { validatorPubkey, exit, network });

const PSI = 'PARTIAL_SIGNATURE_INVALID';

function input(partials: ExitPartial[], extra: Partial<CombineExitInput> = {}): CombineExitInput {
  return {
    partials,
    network: 'mainnet',
    validatorPubkey: pubkey,
    publicShares: sharing.publicShares,
    threshold: 3,
    aggregate: aggregatePartials,
    ...extra,
  };
}

/** A thunk combining `partials`, for expectError. */
const combine =
  (partials: ExitPartial[], extra: Partial<CombineExitInput> = {}) =>
  () =>
    combineExitPartials(input(partials, extra));

describe('threshold exits', () => {
  const single = signVoluntaryExit(SK, EXIT, 'mainnet');

  it('any 3 of 4 partials combine to the single-key signature', () => {
    for (const ids of [
      [1, 2, 3],
      [1, 2, 4],
      [1, 3, 4],
      [2, 3, 4],
      [4, 1, 3],
    ]) {
      const combined = combineExitPartials(input(ids.map((id) => partial(id))));
      expect(bytesToHex(combined.signature)).toBe(bytesToHex(single.signature));
      expect(combined.message).toEqual(single.message);
    }
  });

  it('partial files round-trip through their text', () => {
    const files = [1, 2, 3].map((id) => formatExitPartialFile(partial(id)));
    expect(JSON.parse(files[0]!)).toMatchObject({ format: 'dvkeys/exit-partial', version: 1, share_id: '1' });
    const combined = combineExitPartials(input(files.map((f, i) => parseExitPartialFile(f, `files[${i}]`))));
    expect(bytesToHex(combined.signature)).toBe(bytesToHex(single.signature));
  });

  it('refuses a partial from the wrong share, naming the operator', () => {
    const forged = { ...partial(3), shareId: partial(2).shareId };
    expectError(combine([partial(1), forged, partial(4)]), PSI, 'partials[1]', ['2']);
  });

  it('refuses a partial for the wrong validator (file or signature), naming the operator', () => {
    const otherShares = split(OTHER_SK, { threshold: 3, shares: 4, rng: insecureTestRng('other') });
    const otherKey = secretKeyToPublicKey(OTHER_SK);
    const labelled = partial(2, 'mainnet', EXIT, otherKey);
    expectError(combine([partial(1), labelled, partial(3)]), PSI, 'partials[1]', ['2']);
    const signedByOther = signExitPartial(otherShares.shares[2]!, {
      validatorPubkey: pubkey,
      exit: EXIT,
      network: 'mainnet',
    });
    expectError(combine([partial(1), partial(2), signedByOther]), PSI, 'partials[2]', ['3']);
  });

  it('refuses a partial for the wrong domain: signed for holesky, whether labelled holesky or mainnet', () => {
    const holesky = partial(1, 'holesky');
    expectError(combine([holesky, partial(2), partial(3)]), PSI, 'partials[0]', ['1']);
    const relabelled = { ...holesky, network: 'mainnet' };
    expectError(combine([relabelled, partial(2), partial(3)]), PSI, 'partials[0]', ['1']);
  });

  it('refuses a partial for another exit, and names every bad operator at once', () => {
    const late = partial(4, 'mainnet', { ...EXIT, epoch: EXIT.epoch + 1n });
    expectError(combine([partial(1), partial(2), late]), PSI, 'partials[2]', ['4']);
    const both = [partial(1), { ...partial(2), network: 'hoodi' }, partial(3), late];
    expectError(combine(both), PSI, 'partials[1]', ['2', '4']);
    const expected = { exit: { ...EXIT, validatorIndex: 1n } };
    expectError(combine([partial(1), partial(2), partial(3)], expected), PSI, 'partials[0]', ['1', '2', '3']);
  });

  it('refuses too few partials, duplicates, unknown shares, and public shares of another key', () => {
    expectError(combine([partial(1), partial(2)]), 'NOT_ENOUGH_SHARES', 'partials');
    expectError(combine([partial(1), partial(2), partial(1)]), 'DUPLICATE_SHARE_ID', 'partials[2].share_id', ['1']);
    const fewer = sharing.publicShares.slice(0, 3);
    expectError(combine([partial(1), partial(2), partial(4)], { publicShares: fewer }), PSI, 'partials[2]', ['4']);
    const otherKey = secretKeyToPublicKey(OTHER_SK);
    // Partials that verify under the given public shares, but those shares are not the validator key's.
    const forOther = [1, 2, 3].map((id) => partial(id, 'mainnet', EXIT, otherKey));
    expectError(combine(forOther, { validatorPubkey: otherKey }), 'SIGNATURE_INVALID', 'publicShares');
    expectError(combine([partial(1), partial(2), partial(3)], { threshold: 5 }), 'INVALID_THRESHOLD', 'threshold');
  });
});

describe('threshold deposits', () => {
  it('partials over depositSigningRoot combine to the single-key deposit signature', () => {
    const message = {
      pubkey,
      withdrawalCredentials: executionWithdrawalCredentials(ADDRESS, 'compounding'),
      amount: 256_000_000_000n,
    };
    const root = depositSigningRoot(message, 'hoodi');
    const partials = [2, 3, 4].map((id) => ({ id: share(id).id, signature: sign(share(id).secret, root) }));
    const combined = aggregatePartials(partials);
    expect(bytesToHex(combined)).toBe(bytesToHex(sign(SK, root)));
    expect(depositDataFromSignature(message, combined, 'hoodi').amount).toBe(256_000_000_000n);
  });
});
