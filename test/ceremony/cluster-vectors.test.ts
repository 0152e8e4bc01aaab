/**
 * The test vectors read into the Cluster model: the 11 real Charon locks (obol-sdk fixtures, v1.6 to v1.10) and the
 * SSV keyshares files (ssv-keys mocks; dvkeys' own operator-key vectors). Each reads with its vector's shape, and
 * writing the model back reproduces the layout: the Charon lock's three hashes recompute byte for byte from the
 * model alone, and a keyshares file re-serialises to the same text.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8 } from '../../src/bytes.js';
import { isDvkeysError } from '../../src/errors.js';
import { charonAdapter, clusterToLock, dvkeysAdapter, ssvAdapter } from '../../src/ceremony/adapters/index.js';
import { filesByPath } from '../../src/ceremony/cluster.js';
import { parseKeyshares, serializeKeyshares } from '../../src/ssv/keyshares.js';
import { LOCKS } from '../charon/fixtures.js';
import { loadVector } from '../helpers/vectors.js';

const hex = (b: Uint8Array): string => bytesToHex(b, true);
const lockFiles = (lock: unknown, dirs = ['node0']): Map<string, Uint8Array> => new Map(dirs.map((d) => [`${d}/cluster-lock.json`, utf8(JSON.stringify(lock))]));

describe('Charon lock vectors in the Cluster model', () => {
  it('reads all 11 locks with their shape and recomputes their hashes from the model', () => {
    expect(LOCKS).toHaveLength(11);
    for (const c of LOCKS) {
      const cluster = charonAdapter.fromLayout(lockFiles(c.lock, ['node0', 'node1']));
      expect(cluster.operators, c.id).toHaveLength(c.shape.operators);
      expect(cluster.threshold, c.id).toBe(c.shape.threshold);
      expect(cluster.validators, c.id).toHaveLength(c.shape.num_validators);
      expect(cluster.operators.map((o) => [o.shareId, o.name])).toEqual(cluster.operators.map((_o, k) => [k + 1, `node${k}`]));
      for (const v of cluster.validators) expect(v.commitments).toBeNull();
      const again = clusterToLock(cluster);
      expect(hex(again.definition.configHash), c.id).toBe(c.expected.config_hash);
      expect(hex(again.definition.definitionHash), c.id).toBe(c.expected.definition_hash);
      expect(hex(again.lockHash), c.id).toBe(c.expected.lock_hash);
      expect(charonAdapter.fromLayout(filesByPath(charonAdapter.toLayout(cluster)))).toEqual(cluster);
    }
  });

  it('names the network by fork version and carries fee recipient and withdrawal address per validator', () => {
    const c = LOCKS.find((x) => x.version === 'v1.10.0')!;
    const cluster = charonAdapter.fromLayout(lockFiles(c.lock));
    const def = (c.lock as { cluster_definition: { validators: { fee_recipient_address: string; withdrawal_address: string }[] } }).cluster_definition;
    expect(cluster.validators.map((v) => [v.feeRecipient, v.withdrawalAddress])).toEqual(def.validators.map((v) => [v.fee_recipient_address, v.withdrawal_address]));
    expect(cluster.network).toBe(c.network === 'goerli' ? null : c.network);
  });

  it('refuses a lock whose stored hash does not recompute, and copies that differ between node folders', () => {
    const c = LOCKS[4]!;
    const tampered = JSON.parse(JSON.stringify(c.lock)) as { cluster_definition: { name: string } };
    tampered.cluster_definition.name += 'x';
    expect(() => charonAdapter.fromLayout(lockFiles(tampered))).toThrow(expect.objectContaining({ code: 'LOCK_HASH_MISMATCH', field: 'cluster_definition.config_hash' }));
    const files = new Map([...lockFiles(c.lock), ['node1/cluster-lock.json', utf8(JSON.stringify(LOCKS[5]!.lock))]]);
    expect(() => charonAdapter.fromLayout(files)).toThrow(expect.objectContaining({ code: 'CEREMONY_MISMATCH', field: 'node1/cluster-lock.json' }));
  });

  it('cannot write a Charon cluster as ceremony.json: it has no Feldman commitments', () => {
    const cluster = charonAdapter.fromLayout(lockFiles(LOCKS[0]!.lock));
    let err: unknown;
    try {
      dvkeysAdapter.toLayout({ ...cluster, kind: 'split' });
    } catch (e) {
      err = e;
    }
    expect(isDvkeysError(err) && err.code === 'LAYOUT_UNSUPPORTED' && err.field === 'validators[0].commitments').toBe(true);
  });
});

interface SsvCase {
  id: string;
  operator_ids: number[];
  parsed: { threshold: number; share_public_keys: string[]; encrypted_shares_base64: string[] };
  keyshares: Record<string, unknown>;
}
const SSV = loadVector<{ cases: SsvCase[] }>('ssv/ssv-keyshares.json').cases;
const OWN = loadVector<{ cases: { id: string; threshold: number; keyshares: string }[] }>('ssv/dvkeys-keyshares-operator-keys.json').cases;

describe('SSV keyshares vectors in the Cluster model', () => {
  it('reads both ssv-keys files (multi and single layout) and writes them back unchanged', () => {
    expect(SSV).toHaveLength(2);
    for (const c of SSV) {
      const text = serializeKeyshares(parseKeyshares(c.keyshares));
      const cluster = ssvAdapter.fromLayout(new Map([['keyshares.json', utf8(text)]]));
      expect(cluster.operators.map((o) => o.shareId), c.id).toEqual(c.operator_ids);
      expect(cluster.threshold, c.id).toBe(c.parsed.threshold);
      expect(cluster.validators[0]!.publicShares.map(hex), c.id).toEqual(c.parsed.share_public_keys);
      expect(cluster.validators[0]!.encryptedShares, c.id).toHaveLength(c.operator_ids.length);
      const out = ssvAdapter.toLayout(cluster);
      expect(out.map((f) => f.path)).toEqual(['keyshares.json']);
      expect(new TextDecoder().decode(out[0]!.bytes), c.id).toBe(text);
    }
  });

  it("reads dvkeys' own keyshares vectors (4 operators x 2 validators, 7 x 1) byte for byte", () => {
    expect(OWN.map((c) => c.id)).toHaveLength(2);
    const shapes = OWN.map((c) => {
      const cluster = ssvAdapter.fromLayout(new Map([['keyshares.json', utf8(c.keyshares)]]));
      expect(cluster.threshold).toBe(c.threshold);
      expect(new TextDecoder().decode(ssvAdapter.toLayout(cluster)[0]!.bytes)).toBe(c.keyshares);
      return [cluster.operators.length, cluster.validators.length];
    });
    expect(shapes).toEqual([[4, 2], [7, 1]]);
  });

  it('refuses a file whose items use different operator sets (two clusters in one file)', () => {
    const a = JSON.parse(OWN[0]!.keyshares) as { shares: unknown[] };
    const b = JSON.parse(OWN[1]!.keyshares) as { shares: unknown[] };
    const mixed = { ...a, shares: [a.shares[0], b.shares[0]] };
    expect(() => ssvAdapter.fromLayout(new Map([['keyshares.json', utf8(JSON.stringify(mixed))]]))).toThrow(
      expect.objectContaining({ code: 'LAYOUT_UNSUPPORTED', field: 'shares[1].data.operators' }),
    );
  });
});
