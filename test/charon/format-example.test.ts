/**
 * docs/formats/charon-layout.md's worked example is generated here: each fenced block after an
 * `<!-- example:NAME -->` marker must equal what runCharonSplit writes for the documented inputs (deterministic
 * test RNG, fixed clock), and the lock must verify. DVKEYS_UPDATE_EXAMPLES=1 rewrites the blocks.
 */
import { describe, expect, it } from 'vitest';
import { runCharonSplit } from '../../src/ceremony/charon-split.js';
import { parseClusterLockText } from '../../src/charon/lock-parse.js';
import { verifyClusterLock } from '../../src/charon/lock-verify.js';
import { getNetwork } from '../../src/eth/networks.js';
import { checkDocExample } from '../helpers/doc-example.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

describe('docs/formats/charon-layout.md worked example', () => {
  it('matches a 3-of-4 hoodi split of the example key', async () => {
    const out = await runCharonSplit({
      validators: [{ secret: hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3'), source: 'example' }],
      nodes: 4,
      network: getNetwork('hoodi'),
      withdrawalAddresses: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
      feeRecipients: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
      name: 'dvkeys example',
      kdfParams: { c: 16 },
      now: new Date('2025-06-01T12:00:00Z'),
      rng: insecureTestRng('docs/formats/charon-layout.md'),
    });
    expect(verifyClusterLock(parseClusterLockText(out.lockText)).ok).toBe(true);
    const listing = out.files.map((f) => `${f.path}${f.secret ? '   (secret, 0600)' : ''}`).join('\n');
    checkDocExample('charon-layout.md', 'charon-files', 'text', `${listing}\n`);
    const key = out.files.find((f) => f.path === 'node0/charon-enr-private-key')!;
    checkDocExample('charon-layout.md', 'charon-enr-private-key', 'text', `${new TextDecoder().decode(key.bytes)}\n`);
    checkDocExample('charon-layout.md', 'cluster-lock.json', 'json', `${out.lockText}\n`);
  });
});
