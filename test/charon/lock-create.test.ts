/**
 * Locks we generate (charon/lock-create.ts): they pass the same verification as Charon's own, round-trip through
 * parse/serialise unchanged, and have the v1.10 layout of the Charon-written fixtures (key order at every level,
 * encodings), with split-existing-keys' choices (empty creator, ENR-only operators, default deposit amounts,
 * registrations timestamped now).
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { decodeEnr } from '../../src/charon/enr.js';
import { generateNodeKey, nodePublicKey } from '../../src/charon/k1.js';
import { createSplitLock, type CreateLockInput } from '../../src/charon/lock-create.js';
import { serializeClusterLock } from '../../src/charon/lock-json.js';
import { parseClusterLockText } from '../../src/charon/lock-parse.js';
import { verifyClusterLock } from '../../src/charon/lock-verify.js';
import { getNetwork } from '../../src/eth/networks.js';
import { split } from '../../src/sharing/shamir.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';
import { expectThrows, lockCase, type Json } from './fixtures.js';

const KEYS = ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138'].map(hex);
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const NOW = new Date('2025-06-01T12:00:00.000Z');

function input(overrides: Partial<CreateLockInput> = {}, n = 4, t = 3): CreateLockInput {
  const rng = insecureTestRng('lock-create');
  return {
    validators: KEYS.map((secretKey) => {
      const s = split(secretKey, { threshold: t, shares: n, rng });
      return { secretKey, shares: s.shares, publicShares: s.publicShares.map((p) => p.publicKey), feeRecipientAddress: ADDRESS, withdrawalAddress: ADDRESS };
    }),
    nodeKeys: Array.from({ length: n }, () => generateNodeKey(rng)),
    threshold: t,
    network: getNetwork('hoodi'),
    name: 'dvkeys test',
    now: NOW,
    rng,
    ...overrides,
  };
}

function keyOrder(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : keyOrder(value[0], `${path}[]`);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...keyOrder(v, `${path}.${k}`)]);
  return [];
}

describe('createSplitLock', () => {
  const made = createSplitLock(input());
  const text = serializeClusterLock(made);
  const json = JSON.parse(text) as Json;

  it('passes every check of the verifier that checks real locks', () => {
    const report = verifyClusterLock(parseClusterLockText(text), { rng: insecureTestRng(2) });
    expect(report.checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'hashes:pass',
      'definition:pass',
      'enrs:pass',
      'operator-signatures:skipped',
      'public-shares:pass',
      'builder-registrations:pass',
      'deposit-data:pass',
      'signature-aggregate:pass',
      'node-signatures:pass',
    ]);
  });

  it('round-trips through parse/serialise unchanged', () => {
    expect(serializeClusterLock(parseClusterLockText(text))).toBe(text);
    expect(text.startsWith('{\n "cluster_definition": {\n  "name": "dvkeys test",')).toBe(true);
    expect(text.endsWith('\n}')).toBe(true);
  });

  it('has the key order of a lock written by charon create cluster (v1.10 fixture), at every level', () => {
    const fixture = lockCase('v1.10.0-holesky-solo-not-compounding').lock;
    expect(keyOrder(json)).toEqual(keyOrder(fixture));
  });

  it("uses Charon's encodings", () => {
    const def = json.cluster_definition as Json;
    expect(def.version).toBe('v1.10.0');
    expect(def.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(def.timestamp).toBe('2025-06-01T12:00:00Z');
    expect(def.fork_version).toBe('0x10000910');
    expect(def.deposit_amounts).toBeNull();
    expect([def.dkg_algorithm, def.consensus_protocol, def.target_gas_limit, def.compounding]).toEqual(['default', '', 60000000, false]);
    expect(def.creator).toEqual({ address: '', config_signature: '' });
    for (const op of def.operators as Json[]) expect([op.address, op.config_signature, op.enr_signature]).toEqual(['', '', '']);
    expect(def.validators).toEqual([0, 1].map(() => ({ fee_recipient_address: ADDRESS, withdrawal_address: ADDRESS })));
    const dv = (json.distributed_validators as Json[])[0]!;
    const hex0x = (n: number): RegExp => new RegExp(`^0x[0-9a-f]{${2 * n}}$`);
    expect(dv.distributed_public_key).toMatch(hex0x(48));
    for (const s of dv.public_shares as string[]) expect(s).toMatch(hex0x(48));
    const reg = dv.builder_registration as Json;
    expect(reg.message).toEqual({ fee_recipient: ADDRESS.toLowerCase(), gas_limit: 60000000, timestamp: NOW.getTime() / 1000, pubkey: dv.distributed_public_key });
    const deposits = dv.partial_deposit_data as Json[];
    expect(deposits.map((d) => d.amount)).toEqual(['1000000000', '32000000000']);
    for (const d of deposits) {
      expect(Object.keys(d)).toEqual(['pubkey', 'withdrawal_credentials', 'amount', 'signature']);
      expect(d.withdrawal_credentials).toBe(`0x01${'00'.repeat(11)}${ADDRESS.slice(2).toLowerCase()}`);
    }
    expect(json.signature_aggregate).toMatch(hex0x(96));
    for (const s of json.node_signatures as string[]) expect(s).toMatch(/^0x[0-9a-f]{128}0[01]$/);
  });

  it('gives each node an ENR of its key, in node order', () => {
    const lock = parseClusterLockText(text);
    const keys = input().nodeKeys;
    lock.definition.operators.forEach((op, k) => expect(bytesToHex(decodeEnr(op.enr).publicKey)).toBe(bytesToHex(nodePublicKey(keys[k]!))));
  });

  it('writes compounding deposits (1, 8, 32, 256 ETH to 0x02) and given amounts into the definition', () => {
    const c = createSplitLock(input({ compounding: true }));
    expect(c.validators[0]!.deposits.map((d) => d.amount / 1_000_000_000n)).toEqual([1n, 8n, 32n, 256n]);
    expect(c.validators[0]!.deposits[0]!.withdrawalCredentials[0]).toBe(2);
    expect(verifyClusterLock(c).ok).toBe(true);
    const g = createSplitLock(input({ depositAmounts: [32_000_000_000n, 16_000_000_000n, 16_000_000_000n] }));
    expect(g.definition.depositAmounts).toEqual([16_000_000_000n, 32_000_000_000n]);
    expect(verifyClusterLock(g).ok).toBe(true);
  });

  it('refuses what charon create cluster refuses', () => {
    expectThrows(() => createSplitLock(input({}, 2, 2)), 'INVALID_ARGUMENT', 'nodeKeys');
    expectThrows(() => createSplitLock(input({ threshold: 1 })), 'INVALID_THRESHOLD', 'threshold');
    expectThrows(() => createSplitLock(input({ threshold: 5 })), 'INVALID_THRESHOLD', 'threshold');
    const bad = input();
    expectThrows(() => createSplitLock({ ...bad, validators: [{ ...bad.validators[0]!, shares: [...bad.validators[0]!.shares].reverse() }] }), 'INVALID_ARGUMENT', 'validators[0].shares[0]');
    expectThrows(() => createSplitLock({ ...bad, validators: [{ ...bad.validators[0]!, withdrawalAddress: '0x0F51bb10119727a7e5eA3538074fb341F56B09Ad' }] }), 'WITHDRAWAL_ADDRESS_INVALID', 'validators[0].withdrawalAddress');
    expectThrows(() => createSplitLock(input({ depositAmounts: [1_000_000_000n] })), 'AMOUNT_INVALID', 'amounts');
  });
});
