/**
 * The one combine pipeline (src/ceremony/cluster-combine.ts, decision 0311) through its Charon adapter: what the
 * dvkeys layout always did now holds for Charon node folders too. A node folder that cannot serve is set aside
 * and reported while t others open, the recovered keys' derived keys can be kept for the read-back, and with
 * fewer than t usable folders the first set-aside folder's exact error is thrown.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8 } from '../../src/bytes.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { runCharonCombine } from '../../src/ceremony/charon-combine.js';
import { runCharonSplit } from '../../src/ceremony/charon-split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { getNetwork } from '../../src/eth/networks.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { wipeKeptKeys } from '../../src/keys/kept-key.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const SECRETS = ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138'];
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('runCharonCombine on the shared pipeline', async () => {
  const out = await runCharonSplit({
    validators: SECRETS.map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
    nodes: 4,
    network: getNetwork('hoodi'),
    withdrawalAddresses: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
    feeRecipients: '0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494',
    kdfParams: { c: 16 },
    rng: insecureTestRng('cluster-combine'),
    now: new Date('2025-06-01T12:00:00Z'),
  });
  const folders = (): FolderSnapshot[] =>
    [0, 1, 2, 3].map((k) => ({ label: `node${k}`, files: new Map(out.files.filter((f) => f.path.startsWith(`node${k}/`)).map((f) => [f.path.slice(`node${k}/`.length), f.bytes])) }));
  const OUT = { password: 'recovered password', kdf: 'pbkdf2' as const, kdfParams: { c: 16 } };

  it('node0 with a wrong password is set aside (WRONG_PASSWORD), nodes 1-3 recover both keys, derived keys kept', async () => {
    const fs = folders();
    (fs[0]!.files as Map<string, Uint8Array>).set('validator_keys/keystore-1.txt', utf8('not the password'));
    const r = await runCharonCombine({ folders: fs, ...OUT, keepKeys: true, rng: insecureTestRng(2) });
    try {
      expect(r.used.map((u) => u.nodeIndex)).toEqual([1, 2, 3]);
      expect(r.skipped.map(({ folder, code }) => ({ folder, code }))).toEqual([{ folder: 'node0', code: 'WRONG_PASSWORD' }]);
      expect(r.keptKeys).toHaveLength(2);
      for (const [v, f] of r.files.entries()) {
        const secret = await decryptKeystore(parseKeystore(text(f.bytes), f.path), OUT.password);
        expect(bytesToHex(secretKeyToPublicKey(secret))).toBe(bytesToHex(secretKeyToPublicKey(hex(SECRETS[v]!))));
        secret.fill(0);
      }
    } finally {
      wipeKeptKeys(r.keptKeys ?? []);
    }
  });

  it("a node whose keystore secret is not its pubkey's share is set aside (KEYSTORE_PUBKEY_MISMATCH); with only t given, that error is thrown", async () => {
    const fs = folders();
    const n1 = fs[1]!.files as Map<string, Uint8Array>;
    const ks0 = JSON.parse(text(n1.get('validator_keys/keystore-0.json')!));
    const ks1 = JSON.parse(text(n1.get('validator_keys/keystore-1.json')!));
    n1.set('validator_keys/keystore-0.json', utf8(JSON.stringify({ ...ks1, pubkey: ks0.pubkey })));
    n1.set('validator_keys/keystore-0.txt', n1.get('validator_keys/keystore-1.txt')!);
    const r = await runCharonCombine({ folders: fs, ...OUT });
    expect(r.used.map((u) => u.nodeIndex)).toEqual([0, 2, 3]);
    expect(r.skipped.map(({ folder, code }) => ({ folder, code }))).toEqual([{ folder: 'node1', code: 'KEYSTORE_PUBKEY_MISMATCH' }]);
    await expect(runCharonCombine({ folders: fs.slice(0, 3), ...OUT })).rejects.toMatchObject({ code: 'KEYSTORE_PUBKEY_MISMATCH' });
  });

  it('a node folder missing a keystore is set aside as incomplete (INVALID_FORMAT naming it)', async () => {
    const fs = folders();
    (fs[2]!.files as Map<string, Uint8Array>).delete('validator_keys/keystore-1.json');
    const r = await runCharonCombine({ folders: fs, ...OUT });
    expect(r.used.map((u) => u.nodeIndex)).toEqual([0, 1, 3]);
    expect(r.skipped).toEqual([{ folder: 'node2', code: 'INVALID_FORMAT', reason: 'node2 holds 1 of 2 keystores' }]);
  });
});
