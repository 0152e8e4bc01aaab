/**
 * The verify checks every layout shares (src/ceremony/cluster-checks.ts, decision 0310), run through the dvkeys
 * and Charon adapters (verify.ts, charon-verify.ts): the dvkeys layout's slashing-protection files are now checked
 * as the Charon ones are, and a keystore whose secret is not the share its `pubkey` field claims fails the same way
 * in both layouts. Each tamper changes one thing and expects the exact code, field or culprit.
 */
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { bytesToHex, utf8 } from '../../src/bytes.js';
import { runCharonSplit } from '../../src/ceremony/charon-split.js';
import { verifyCharonCluster } from '../../src/ceremony/charon-verify.js';
import type { CeremonyFile } from '../../src/ceremony/files.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { verifyCeremony, type VerifyLine } from '../../src/ceremony/verify.js';
import { getNetwork } from '../../src/eth/networks.js';
import { parseInterchange } from '../../src/eth/slashing-protection.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const SECRETS = ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138'];
const HOODI = getNetwork('hoodi');
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A solo history of both validators on `root`'s chain. */
function history(root: Uint8Array) {
  return parseInterchange({
    metadata: { interchange_format_version: '5', genesis_validators_root: bytesToHex(root, true) },
    data: SECRETS.map((s, i) => ({
      pubkey: bytesToHex(secretKeyToPublicKey(hex(s)), true),
      signed_blocks: [{ slot: String(100 + i) }],
      signed_attestations: [{ source_epoch: '3', target_epoch: String(4 + i) }],
    })),
  });
}

function folderOf(files: readonly CeremonyFile[], dir: string, label: string): FolderSnapshot {
  return { label, files: new Map(files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => [f.path.slice(dir.length + 1), f.bytes])) };
}

const failed = (lines: readonly VerifyLine[]) => lines.filter((l) => l.status === 'fail').map(({ check, subject, code, field, culprits }) => ({ check, subject, code, ...(field === undefined ? {} : { field }), ...(culprits === undefined || culprits.length === 0 ? {} : { culprits }) }));

/**
 * Alice's keystore-0.json made to hold her share of validator 1 (its crypto and password) while its `pubkey` field
 * still claims her share of validator 0: the pubkey check passes, only decrypting shows it.
 */
function swapSecret(files: Map<string, Uint8Array>, prefix: string): void {
  const ks0 = JSON.parse(text(files.get(`${prefix}keystore-0.json`)!));
  const ks1 = JSON.parse(text(files.get(`${prefix}keystore-1.json`)!));
  files.set(`${prefix}keystore-0.json`, utf8(JSON.stringify({ ...ks1, pubkey: ks0.pubkey, path: ks0.path, uuid: ks0.uuid })));
  files.set(`${prefix}keystore-0.txt`, files.get(`${prefix}keystore-1.txt`)!);
}

describe('dvkeys layout through the shared checks', async () => {
  const names = ['alice', 'bob', 'carol'];
  const { files } = await runSplit({
    validators: SECRETS.map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: names.map((name, i) => ({ index: i + 1, name, group: name })),
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    slashingProtection: { interchange: history(HOODI.genesisValidatorsRoot!), network: HOODI },
    rng: insecureTestRng('cluster-checks dvkeys'),
  });
  const manifestText = text(files.find((f) => f.path === 'ceremony.json')!.bytes);
  const folders = () => names.map((n) => folderOf(files, n, `out/${n}`));
  const run = (fs: FolderSnapshot[]) => verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders: fs, wholeTree: true, rng: insecureTestRng(5) });

  it('an honest tree: each slashing-protection.json passes, keyed by its operator share keys for the network', async () => {
    const r = await run(folders());
    expect(failed(r.lines)).toEqual([]);
    expect(r.lines.filter((l) => l.check === 'slashing-protection').map((l) => [l.subject, l.status, l.detail])).toEqual(
      names.map((n) => [`out/${n}/slashing-protection.json`, 'pass', `2 history(ies) keyed by ${n}'s share keys for hoodi`]),
    );
  });

  it("a history keyed by another operator's share key: SLASHING_PROTECTION_INVALID at data[0].pubkey", async () => {
    const fs = folders();
    const alice = fs[0]!.files as Map<string, Uint8Array>;
    const m = JSON.parse(manifestText);
    const [aliceKey, bobKey] = [m.validators[0].public_shares[0], m.validators[0].public_shares[1]] as string[];
    const sp = text(alice.get('slashing-protection.json')!);
    expect(sp).toContain(aliceKey);
    alice.set('slashing-protection.json', utf8(sp.replace(aliceKey!, bobKey!)));
    const r = await run(fs);
    expect(failed(r.lines)).toEqual([
      { check: 'files', subject: 'out/alice', code: 'INVALID_FORMAT' },
      { check: 'slashing-protection', subject: 'out/alice/slashing-protection.json', code: 'SLASHING_PROTECTION_INVALID', field: 'data[0].pubkey' },
    ]);
    expect(r.lines.find((l) => l.check === 'slashing-protection' && l.status === 'fail')!.detail).toMatch(/^'data\[0\]\.pubkey' 0x[0-9a-f]{12}… is not one of alice's share keys/);
  });

  it("another chain's history: SLASHING_PROTECTION_INVALID at metadata.genesis_validators_root", async () => {
    const fs = folders();
    const bob = fs[1]!.files as Map<string, Uint8Array>;
    const sp = text(bob.get('slashing-protection.json')!);
    bob.set('slashing-protection.json', utf8(sp.replace(bytesToHex(HOODI.genesisValidatorsRoot!), 'ab'.repeat(32))));
    expect(failed((await run(fs)).lines)).toEqual([
      { check: 'files', subject: 'out/bob', code: 'INVALID_FORMAT' },
      { check: 'slashing-protection', subject: 'out/bob/slashing-protection.json', code: 'SLASHING_PROTECTION_INVALID', field: 'metadata.genesis_validators_root' },
    ]);
  });

  it("a keystore whose secret is not the share its pubkey claims: decrypting it fails KEYSTORE_PUBKEY_MISMATCH, culprit alice", async () => {
    const fs = folders();
    swapSecret(fs[0]!.files as Map<string, Uint8Array>, '');
    const r = await run(fs);
    expect(failed(r.lines)).toEqual([
      { check: 'files', subject: 'out/alice', code: 'INVALID_FORMAT' },
      { check: 'shares', subject: 'alice', code: 'KEYSTORE_PUBKEY_MISMATCH', culprits: ['alice'] },
    ]);
  });
});

describe('Charon layout through the shared checks', async () => {
  const out = await runCharonSplit({
    validators: SECRETS.map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
    nodes: 4,
    network: HOODI,
    withdrawalAddresses: '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
    feeRecipients: '0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494',
    kdfParams: { c: 16 },
    slashingProtection: { interchange: history(HOODI.genesisValidatorsRoot!), network: HOODI },
    rng: insecureTestRng('cluster-checks charon'),
    now: new Date('2025-06-01T12:00:00Z'),
  });
  const folders = () => [0, 1, 2, 3].map((k) => folderOf(out.files, `node${k}`, `node${k}`));
  const run = (fs: FolderSnapshot[]) => verifyCharonCluster({ folders: fs, rng: insecureTestRng(6) });

  it("a node's history keyed by another node's share key: the same code and field path as in the dvkeys layout", async () => {
    const fs = folders();
    const n2 = fs[2]!.files as Map<string, Uint8Array>;
    const [mine, other] = [bytesToHex(out.lock.validators[0]!.publicShares[2]!), bytesToHex(out.lock.validators[0]!.publicShares[3]!)];
    n2.set('slashing-protection.json', utf8(text(n2.get('slashing-protection.json')!).replace(mine, other)));
    expect(failed((await run(fs)).lines)).toEqual([
      { check: 'slashing-protection', subject: 'node2/slashing-protection.json', code: 'SLASHING_PROTECTION_INVALID', field: 'data[0].pubkey' },
    ]);
  });

  it("a keystore whose secret is not the share its pubkey claims: decrypting it fails KEYSTORE_PUBKEY_MISMATCH, culprit node1", async () => {
    const fs = folders();
    swapSecret(fs[1]!.files as Map<string, Uint8Array>, 'validator_keys/');
    expect(failed((await run(fs)).lines)).toEqual([
      { check: 'shares', subject: 'node1', code: 'KEYSTORE_PUBKEY_MISMATCH', culprits: ['node1'] },
    ]);
  });

  it('a node folder missing a keystore fails its keystores line (it could not run that validator)', async () => {
    const fs = folders();
    const n3 = fs[3]!.files as Map<string, Uint8Array>;
    n3.delete('validator_keys/keystore-1.json');
    n3.delete('validator_keys/keystore-1.txt');
    expect(failed((await run(fs)).lines)).toEqual([{ check: 'keystores', subject: 'node3', code: 'INVALID_FORMAT' }]);
  });
});
