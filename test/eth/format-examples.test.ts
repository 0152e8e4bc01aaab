/**
 * The worked examples in docs/formats/{deposit-data,exit,slashing-protection}.md are generated here: each fenced
 * block after an `<!-- example:NAME -->` marker must equal what the code writes for the documented inputs, and each
 * generated file must read back through the strict parsers. Run with DVKEYS_UPDATE_EXAMPLES=1 to rewrite the blocks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { createDepositData } from '../../src/eth/deposit.js';
import { formatDepositDataFile, parseDepositDataFile } from '../../src/eth/deposit-file.js';
import { formatSignedExitFile, parseSignedExitFile, signVoluntaryExit, verifySignedExit } from '../../src/eth/exit.js';
import {
  combineExitPartials,
  formatExitPartialFile,
  parseExitPartialFile,
  signExitPartial,
} from '../../src/eth/exit-partial.js';
import { getNetwork } from '../../src/eth/networks.js';
import {
  filterInterchange,
  formatInterchangeFile,
  minifyInterchange,
  parseInterchangeFile,
  type Interchange,
} from '../../src/eth/slashing-protection.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../src/eth/withdrawal.js';
import { split } from '../../src/sharing/shamir.js';
import { aggregatePartials } from '../../src/sharing/threshold-signature.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats');
const update = process.env.DVKEYS_UPDATE_EXAMPLES === '1';

/** Compares (or, in update mode, rewrites) the fenced block after `<!-- example:name -->` in docs/formats/doc. */
function checkExample(doc: string, name: string, text: string): void {
  const path = join(docs, doc);
  const source = readFileSync(path, 'utf8');
  const re = new RegExp(`(<!-- example:${name} -->\\n\`\`\`json\\n)([\\s\\S]*?)(\`\`\`)`);
  const m = re.exec(source);
  expect(m, `marker example:${name} in ${doc}`).not.toBeNull();
  if (update) {
    const updated = source.replace(re, (_all, open: string, _body: string, close: string) => `${open}${text}${close}`);
    writeFileSync(path, updated);
    return;
  }
  expect(m![2]).toBe(text);
}

// Example inputs only: a private key of the bls12-381-tests sign vectors, and a test polynomial.
const SK = hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');
const PUBKEY = secretKeyToPublicKey(SK);
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const sharing = split(SK, { threshold: 2, shares: 3, rng: insecureTestRng('docs/formats example') });
const EXIT = { epoch: 194048n, validatorIndex: 1234n };

describe('docs/formats worked examples', () => {
  it('deposit-data.md', () => {
    const entries = createDepositData({
      secretKey: SK,
      withdrawalCredentials: executionWithdrawalCredentials(parseExecutionAddress(ADDRESS), 'execution'),
      network: 'mainnet',
    });
    const text = formatDepositDataFile(entries);
    expect(parseDepositDataFile(text)).toHaveLength(1);
    checkExample('deposit-data.md', 'deposit-data', text);
  });

  it('exit.md', () => {
    const partials = [1, 3].map((id) =>
      signExitPartial(sharing.shares[id - 1]!, { validatorPubkey: PUBKEY, exit: EXIT, network: 'mainnet' }),
    );
    const partialText = formatExitPartialFile(partials[0]!);
    const combined = combineExitPartials({
      partials: partials.map((p) => parseExitPartialFile(formatExitPartialFile(p))),
      network: 'mainnet',
      validatorPubkey: PUBKEY,
      publicShares: sharing.publicShares,
      threshold: 2,
      aggregate: aggregatePartials,
    });
    const exitText = formatSignedExitFile(combined);
    expect(exitText).toBe(formatSignedExitFile(signVoluntaryExit(SK, EXIT, 'mainnet')));
    verifySignedExit(parseSignedExitFile(exitText), PUBKEY, 'mainnet');
    checkExample('exit.md', 'exit-partial', partialText);
    checkExample('exit.md', 'signed-exit', exitText);
  });

  it('slashing-protection.md', () => {
    const root = (n: number): Uint8Array => new Uint8Array(32).fill(n);
    const solo: Interchange = {
      genesisValidatorsRoot: getNetwork('mainnet').genesisValidatorsRoot!,
      data: [
        {
          pubkey: PUBKEY,
          signedBlocks: [
            { slot: 8_123_000n, signingRoot: root(0x11) },
            { slot: 9_321_456n, signingRoot: root(0x12) },
          ],
          signedAttestations: [
            { sourceEpoch: 291_290n, targetEpoch: 291_291n, signingRoot: root(0x21) },
            { sourceEpoch: 291_291n, targetEpoch: 291_292n, signingRoot: root(0x22) },
            { sourceEpoch: 291_292n, targetEpoch: 291_293n },
          ].map((a) => ({ signingRoot: undefined, ...a })),
        },
      ],
    };
    const input = formatInterchangeFile(solo);
    const parsed = parseInterchangeFile(input);
    const { interchange, missing } = filterInterchange(parsed, [
      { pubkey: PUBKEY, as: sharing.publicShares[0]!.publicKey },
    ]);
    expect(missing).toEqual([]);
    const operator1 = formatInterchangeFile(minifyInterchange(interchange));
    checkExample('slashing-protection.md', 'interchange-input', input);
    checkExample('slashing-protection.md', 'interchange-operator-1', operator1);
  });
});
