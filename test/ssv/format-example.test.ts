/**
 * docs/formats/ssv-keyshares.md's worked example is generated here: the example key split for the four operators
 * of ssv-keys' mocks (their public keys from test/vectors/ssv), deterministic test RNG (polynomial and RSA
 * padding), fixed clock. The file must parse and verify. DVKEYS_UPDATE_EXAMPLES=1 rewrites the block.
 */
import { describe, expect, it } from 'vitest';
import { createKeyshares } from '../../src/ssv/create.js';
import { parseKeysharesText } from '../../src/ssv/keyshares.js';
import { verifyKeyshares } from '../../src/ssv/verify.js';
import { checkDocExample } from '../helpers/doc-example.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex, loadVector } from '../helpers/vectors.js';

interface Mock {
  cases: { keyshares: { shares: { data: { operators: { id: number; operatorKey: string }[] } }[] } }[];
}

describe('docs/formats/ssv-keyshares.md worked example', () => {
  it('matches a split of the example key for the ssv-keys mock operators', () => {
    const operators = loadVector<Mock>('ssv/ssv-keyshares.json').cases[0]!.keyshares.shares[0]!.data.operators;
    const out = createKeyshares({
      validators: [{ secret: hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3') }],
      operators,
      ownerAddress: '0x81592c3de184a3e2c0dcb5a261bc107bfa91f494',
      ownerNonce: 1,
      now: new Date('2025-06-01T12:00:00Z'),
      rng: insecureTestRng('docs/formats/ssv-keyshares.md'),
    });
    expect(verifyKeyshares(parseKeysharesText(out.text)).every((r) => r.ok)).toBe(true);
    checkDocExample('ssv-keyshares.md', 'keyshares.json', 'json', out.text);
  });
});
