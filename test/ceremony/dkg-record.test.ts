/**
 * A DKG's ceremony.json is the dvkeys layout adapter's record of the cluster the DKG made (dkg-record.ts,
 * decision 0312): the file runDkgOutput writes is the adapter's, its fingerprint is the one the READY claim signs,
 * and the adapter reads it back to that cluster.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { dvkeysAdapter } from '../../src/ceremony/adapters/dvkeys.js';
import { filesByPath } from '../../src/ceremony/cluster.js';
import { dkgCluster, dkgReadyExpectation, publicOutputOf, runDkgOutput } from '../../src/ceremony/dkg-output.js';
import { fileHash } from '../../src/ceremony/files.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony } from '../dkg/fixtures.js';

describe('DKG output through the dvkeys adapter', () => {
  const c = ceremony(3, 2, 2);
  it("operator 2's ceremony.json is the adapter's file for the DKG's cluster, fingerprinted by the READY claim, and reads back", async () => {
    const out = await runDkgOutput({ output: c.outputs[1]!, recovery: c.recovery, kdf: 'pbkdf2', kdfParams: { c: 16 }, rng: insecureTestRng(4) });
    const written = out.files.find((f) => f.path === 'ceremony.json')!;
    const cluster = dkgCluster(publicOutputOf(c.outputs[1]!, c.definition));
    const record = dvkeysAdapter.toLayout(cluster);
    expect(record.filter((f) => f.path.endsWith('ceremony.json')).every((f) => bytesToHex(f.bytes) === bytesToHex(written.bytes))).toBe(true);
    expect(`0x${fileHash(written.bytes)}`).toBe(dkgReadyExpectation(c.recovery).claim.manifestFingerprint);
    expect(dvkeysAdapter.fromLayout(filesByPath(record))).toEqual(dvkeysAdapter.carried(cluster));
    expect(cluster.kind).toBe('dkg');
  });
});
