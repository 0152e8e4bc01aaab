/**
 * Issue 16 at library level: split 6-of-9 over three stakers, reshare to 5-of-7 (one staker leaves, one joins),
 * every 5-subset recombines to the same validator keys and threshold-signs for them with the Ethereum DST, no
 * 4-subset does; then a refresh and a repair of the new cluster.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { verify } from '../../src/bls/signature.js';
import { newPublicDataHash, verifyHandoverCertificate } from '../../src/lifecycle/handover.js';
import { simulateRefresh, simulateRepair, simulateReshare } from '../../src/lifecycle/simulate.js';
import { checkRecombination } from '../../src/sharing/recombine.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { combinePartialSignatures, partialSign } from '../../src/sharing/threshold-signature.js';
import { assertSplitSafety } from '../../src/safety/split-check.js';
import type { SecretShare } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, subsets } from './helpers.js';

const rng = insecureTestRng('lifecycle-e2e');
const V = 2;
const stakers = [
  { name: 'alice', shares: 3 },
  { name: 'bob', shares: 3 },
  { name: 'carol', shares: 3 },
];
const newStakers = [
  { name: 'alice', shares: 2 },
  { name: 'bob', shares: 3 },
  { name: 'dave', shares: 2 },
];
const hex = (b: Uint8Array): string => bytesToHex(b);

describe('lifecycle end to end (library level)', () => {
  expect(assertSplitSafety({ threshold: 6, operators: stakers }).safe).toBe(true);
  const cluster = makeCluster(6, 9, V, rng, false); // no commitments, as a Charon lock
  // carol (ids 7..9) leaves and does not take part: alice and bob deal with ids 1..6 = t_old shares.
  const sim = simulateReshare({
    oldThreshold: 6,
    validators: cluster.validators,
    dealers: [1, 2, 3, 4, 5, 6],
    newThreshold: 5,
    newShares: 7,
    newOperators: newStakers,
    oldShares: cluster.sharesById,
    rng,
  });
  const shareOf = (id: bigint, v: number): SecretShare => sim.newShares.get(id)![v]!;

  it('the new allocation passed the safety gate, with its warning', () => {
    expect(sim.definition.safety.safe).toBe(true);
    expect(sim.definition.safety.warnings).toContain("operator 'bob' going offline halts signing");
  });

  it('the validator keys are unchanged and the new public data passes every recombination check', () => {
    for (let v = 0; v < V; v++) {
      expect(hex(sim.publicData[v]!.groupPublicKey)).toBe(hex(cluster.validators[v]!.groupPublicKey));
      const shares = [...sim.newShares.values()].map((s) => s[v]!);
      const r = checkRecombination({ threshold: 5, ...sim.publicData[v]! }, { shares, rng });
      expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    }
  });

  it('every 5-subset of new shares recombines to the original key; no 4-subset does', () => {
    const ids = sim.definition.newIds;
    for (let v = 0; v < V; v++) {
      for (const sub of subsets(7, 5)) {
        expect(hex(recoverSecret(sub.map((i) => shareOf(ids[i]!, v)), 5))).toBe(hex(cluster.keys[v]!));
      }
      for (const sub of subsets(7, 4)) {
        expect(hex(recoverSecret(sub.map((i) => shareOf(ids[i]!, v)), 4))).not.toBe(hex(cluster.keys[v]!));
      }
    }
  });

  it('5 new holders threshold-sign for the unchanged key (Ethereum DST); 4 partials are refused', () => {
    const message = new TextEncoder().encode('a 32-byte signing root stand-in.');
    const ids = sim.definition.newIds;
    for (const sub of [[0, 1, 2, 3, 4], [2, 3, 4, 5, 6], [0, 2, 4, 5, 6]]) {
      const partials = sub.map((i) => partialSign(shareOf(ids[i]!, 0), message));
      const sig = combinePartialSignatures({ threshold: 5, groupPublicKey: cluster.validators[0]!.groupPublicKey, publicShares: sim.publicData[0]!.publicShares, message, partials, rng });
      expect(verify(cluster.validators[0]!.groupPublicKey, message, sig)).toBe(true);
    }
    const four = [0, 1, 2, 3].map((i) => partialSign(shareOf(ids[i]!, 0), message));
    expect(() => combinePartialSignatures({ threshold: 5, groupPublicKey: cluster.validators[0]!.groupPublicKey, publicShares: sim.publicData[0]!.publicShares, message, partials: four })).toThrow(/need 5 partial/);
  });

  it('the handover certificate verifies under the unchanged keys and only for this definition', () => {
    const keys = cluster.validators.map((v) => v.groupPublicKey);
    expect(() => verifyHandoverCertificate(sim.definition.id, keys, sim.certificate)).not.toThrow();
    expect(() => verifyHandoverCertificate(new Uint8Array(32), keys, sim.certificate)).toThrow(/another definition/);
    // bound to the new public data: the holder's known hash must match, and a certificate with another hash fails
    expect(() => verifyHandoverCertificate(sim.definition.id, keys, sim.certificate, newPublicDataHash(sim.definition.id, sim.publicData))).not.toThrow();
    expect(() => verifyHandoverCertificate(sim.definition.id, keys, sim.certificate, new Uint8Array(32))).toThrow(/other new public data/);
    expect(() => verifyHandoverCertificate(sim.definition.id, keys, { ...sim.certificate, publicDataHash: new Uint8Array(32) })).toThrow(/signature 0 of the certificate/);
  });

  it('old and new shares do not combine', () => {
    const ids = sim.definition.newIds;
    const mixed = [cluster.sharesById.get(1n)![0]!, ...[1, 2, 3, 4].map((i) => shareOf(ids[i]!, 0))];
    expect(hex(recoverSecret(mixed, 5))).not.toBe(hex(cluster.keys[0]!));
  });

  it('refresh: same key, every share changes, old and new shares no longer combine', () => {
    const validators = sim.publicData.map((d) => ({ groupPublicKey: d.groupPublicKey, publicShares: d.publicShares, commitments: d.commitments }));
    const refreshed = simulateRefresh({ threshold: 5, validators, oldShares: sim.newShares, rng });
    for (let v = 0; v < V; v++) {
      const fresh = [...refreshed.newShares.values()].map((s) => s[v]!);
      expect(checkRecombination({ threshold: 5, ...refreshed.publicData[v]! }, { shares: fresh, rng }).ok).toBe(true);
      expect(hex(recoverSecret(fresh.slice(0, 5), 5))).toBe(hex(cluster.keys[v]!));
      for (const s of fresh) expect(hex(s.secret)).not.toBe(hex(shareOf(s.id, v).secret));
      const mixed = [shareOf(fresh[0]!.id, v), ...fresh.slice(1, 5)];
      expect(hex(recoverSecret(mixed, 5))).not.toBe(hex(cluster.keys[v]!));
    }
  });

  it('repair: 5 helpers rebuild a lost share exactly', () => {
    const lost = 4n;
    const helpers = [1n, 2n, 3n, 5n, 6n];
    const rebuilt = simulateRepair({ threshold: 5, validators: sim.publicData, helpers, recipient: lost, helperShares: sim.newShares, rng });
    for (let v = 0; v < V; v++) expect(hex(rebuilt[v]!.secret)).toBe(hex(shareOf(lost, v).secret));
  });
});
