/**
 * The 11 real Charon cluster locks of test/vectors/charon/charon-locks.json (obol-sdk fixtures, v1.6 to v1.10):
 * every lock parses, its three hashes recompute byte for byte, every check of lock-verify.ts passes as the
 * vector's `verified` record says (Safe operators' EIP-712 signatures are the only warnings), and parse/serialise
 * keeps every value (and the exact text for locks written in Charon's key order).
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { computeConfigHash, computeDefinitionHash, computeLockHash } from '../../src/charon/lock-hash.js';
import { clusterLockToJson, serializeClusterLock } from '../../src/charon/lock-json.js';
import { parseClusterLock, parseClusterLockText } from '../../src/charon/lock-parse.js';
import { LOCK_CHECKS, verifyClusterLock } from '../../src/charon/lock-verify.js';
import { insecureTestRng } from '../helpers/rng.js';
import { LOCKS } from './fixtures.js';

/** Keys of every object, depth first, in order: equal lists mean equal key order everywhere. */
function keyOrder(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyOrder(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...keyOrder(v, `${path}.${k}`)]);
  }
  return [];
}

describe('charon-locks.json vectors', () => {
  it('holds 11 locks: v1.6 (1), v1.7 (1), v1.8 (3), v1.10 (6)', () => {
    expect(LOCKS).toHaveLength(11);
    const byVersion: Record<string, number> = {};
    for (const c of LOCKS) byVersion[c.version] = (byVersion[c.version] ?? 0) + 1;
    expect(byVersion).toEqual({ 'v1.6.0': 1, 'v1.7.0': 1, 'v1.8.0': 3, 'v1.10.0': 6 });
  });

  describe.each(LOCKS.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const lock = parseClusterLock(c.lock);

    it('parses with the shape the vector records', () => {
      expect(lock.definition.version).toBe(c.version);
      expect(lock.definition.operators).toHaveLength(c.shape.operators);
      expect(lock.definition.threshold).toBe(c.shape.threshold);
      expect(lock.validators).toHaveLength(c.shape.num_validators);
      if (c.shape.partial_deposits !== undefined) {
        expect(lock.validators.reduce((s, v) => s + v.deposits.length, 0)).toBe(c.shape.partial_deposits);
      }
    });

    it('recomputes config_hash, definition_hash and lock_hash byte for byte', () => {
      expect(bytesToHex(computeConfigHash(lock.definition), true)).toBe(c.expected.config_hash);
      expect(bytesToHex(computeDefinitionHash(lock.definition), true)).toBe(c.expected.definition_hash);
      expect(bytesToHex(computeLockHash(lock), true)).toBe(c.expected.lock_hash);
      expect(bytesToHex(lock.lockHash, true)).toBe(c.expected.lock_hash);
    });

    it('passes every check; only Safe operators are unverifiable offline', () => {
      const report = verifyClusterLock(lock, { rng: insecureTestRng(c.id) });
      expect(report.checks.map((x) => x.check)).toEqual([...LOCK_CHECKS]);
      expect(report.ok, JSON.stringify(report.checks.filter((x) => x.status === 'fail'))).toBe(true);
      const status = Object.fromEntries(report.checks.map((x) => [x.check, x.status]));
      const pre17 = c.version === 'v1.6.0';
      expect(status['builder-registrations']).toBe(pre17 ? 'skipped' : 'pass');
      expect(status['node-signatures']).toBe(pre17 ? 'skipped' : 'pass');
      const eip = c.verified.eip712_signatures_recovering_to_their_address;
      const safe = c.verified.eip712_not_checkable_offline as string[] | undefined;
      if (typeof eip === 'string') expect(status['operator-signatures']).toBe('skipped');
      else if (safe !== undefined) {
        const warn = report.checks.find((x) => x.check === 'operator-signatures')!;
        expect(warn.status).toBe('warn');
        expect(warn.detail).toContain('operators[3].config_signature, cluster_definition.operators[3].enr_signature do not');
      } else expect(status['operator-signatures']).toBe('pass');
    });

    it('fails the Safe operators only in strict mode', () => {
      const safe = c.verified.eip712_not_checkable_offline as string[] | undefined;
      const report = verifyClusterLock(lock, { strictOperatorSignatures: true, rng: insecureTestRng(c.id) });
      const ops = report.checks.find((x) => x.check === 'operator-signatures')!;
      if (safe === undefined) expect(ops.status).not.toBe('fail');
      else expect([ops.status, ops.code, ops.field]).toEqual(['fail', 'SIGNATURE_INVALID', 'cluster_definition.operators[3].config_signature']);
    });

    it('round-trips through parse/serialise with every value kept', () => {
      const text = serializeClusterLock(lock);
      expect(clusterLockToJson(parseClusterLockText(text))).toEqual(clusterLockToJson(lock));
      expect(JSON.parse(text)).toEqual(c.lock);
    });
  });

  it('re-serialises the 9 locks in Charon key order to the identical text', () => {
    let same = 0;
    for (const c of LOCKS) {
      const expected = JSON.stringify(c.lock, null, 1);
      const got = serializeClusterLock(parseClusterLock(c.lock));
      if (JSON.stringify(keyOrder(c.lock)) === JSON.stringify(keyOrder(JSON.parse(got)))) {
        expect(got).toBe(expected);
        same++;
      }
    }
    // The two Obol API locks (hoodi solo signed creator, hoodi qbft) list some keys in another order.
    expect(same).toBe(9);
  });
});
