/**
 * The package.json exports map is the public contract (design section 1): every entry resolves to a source module,
 * and the root and module barrels export exactly these names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as bls from '../src/bls/index.js';
import * as sharing from '../src/sharing/index.js';
import * as ceremony from '../src/ceremony/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('public exports', () => {
  it('the exports map lists the root and one entry per public module', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './bls', './sharing', './safety', './keys', './eth', './ceremony', './dkg', './charon', './ssv', './lifecycle', './package.json']);
    expect(pkg.bin).toEqual({ dvkeys: './dist/cli/main.js' });
  });

  it('root', () => {
    expect(Object.keys(root).sort()).toEqual(
      ['AbortedError', 'DvkeysError', 'ERROR_CODES', 'KeystoreError', 'MAX_SHARE_INDEX', 'SafetyError', 'SecretBytes', 'ValidationError', 'VerificationError', 'bls', 'ceremony', 'charon', 'dkg', 'eth', 'ssv', 'isDvkeysError', 'lifecycle', 'keys', 'safety', 'sharing', 'toShareIndex'].sort(),
    );
  });

  it('dvkeys/bls', () => {
    expect(Object.keys(bls).sort()).toEqual(
      ['ETH_DST', 'G1_BYTES', 'G2_BYTES', 'R', 'SCALAR_BYTES', 'aggregate', 'aggregatePublicKeys', 'aggregateVerify', 'batchVerify', 'decodeG1', 'decodeG2', 'decodeScalar', 'encodeG1', 'encodeG2', 'encodeScalar', 'fastAggregateVerify', 'hashToG2', 'randomScalar', 'secretKeyToPublicKey', 'sign', 'verify'].sort(),
    );
  });

  it('dvkeys/sharing', () => {
    expect(Object.keys(sharing).sort()).toEqual(
      ['MAX_SHARES', 'RECOMBINATION_MESSAGE_PREFIX', 'aggregatePartials', 'assertRecombination', 'checkRecombination', 'combinePartialSignatures', 'decodeCommitments', 'defaultIds', 'findInvalidPartials', 'interpolateAtZero', 'lagrangeCoefficientsAtZero', 'lowDegreeTest', 'partialSign', 'publicShareFromCommitments', 'recombinationMessage', 'recoverSecret', 'split', 'validateIds', 'validateThreshold', 'verifyPartial', 'verifyPublicSharesBatch', 'verifyShare', 'verifySharesBatch', 'wipeShares'].sort(),
    );
  });

  it('dvkeys/ceremony', () => {
    expect(Object.keys(ceremony).sort()).toEqual(
      ['DEPOSIT_FILE', 'DKG_RECOVERY_FILE', 'ceremonyFingerprint', 'dkgManifest', 'dkgReadyExpectation', 'encryptRecoveredKeys', 'runCharonCombine', 'runCharonSplit', 'runDkgOutput', 'verifyCharonCluster', 'MANIFEST_FILE', 'MANIFEST_FORMAT', 'MANIFEST_VERSION', 'SLASHING_FILE', 'dvkeysLayout', 'fileHash', 'groupShares', 'hashFiles', 'keystorePath', 'parseManifest', 'passwordPath', 'runCombine', 'runSplit', 'serializeManifest', 'SHARE_FOLDER_MARKERS', 'shareHolders', 'shareInputReason', 'sharingData', 'verifyCeremony', 'verifySsvKeyshares', 'keysharesFingerprint'].sort(),
    );
  });
});
