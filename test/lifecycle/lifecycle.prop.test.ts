/**
 * Properties of the lifecycle algebra (fast-check; issue 16 "What must hold"), for random 1 <= t <= n <= 10 old and
 * 1 <= t' <= n' <= 10 new, 1..2 validators and random dealer, participant and helper sets:
 * - reshare keeps every validator key, the new public data passes every recombination check, every t'-subset of new
 *   shares recombines to the key and t' of them threshold-sign for it, t' - 1 do not recover it, and an old share
 *   mixed into a t'-set of new ones recovers nothing and signs nothing;
 * - refresh keeps the key, changes every share, and old and new shares do not mix;
 * - repair rebuilds exactly the lost share.
 * The safety gate is overridden (`allowUnsafe`) so that every (t', n') is reachable; the gate has its own property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { verify } from '../../src/bls/signature.js';
import { checkReshareSafety } from '../../src/lifecycle/reshare-definition.js';
import { simulateRefresh, simulateRepair, simulateReshare } from '../../src/lifecycle/simulate.js';
import { checkRecombination } from '../../src/sharing/recombine.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { aggregatePartials, combinePartialSignatures, partialSign } from '../../src/sharing/threshold-signature.js';
import type { SecretShare } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, subsets, thrown } from './helpers.js';

const hex = (b: Uint8Array): string => bytesToHex(b);
const message = new TextEncoder().encode('lifecycle property signing root!');

/** A deterministic subset of `items` of size `k` from a seed (Fisher-Yates with an LCG). */
function pick<T>(items: readonly T[], k: number, seed: number): T[] {
  const a = [...items];
  let s = seed >>> 0;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** At most `cap` k-subsets of 0..n-1 (all of them when there are few). */
function someSubsets(n: number, k: number, cap: number, seed: number): number[][] {
  const all = subsets(n, k);
  return all.length <= cap ? all : pick(all, cap, seed);
}

const oldAndNew = fc
  .record({ n: fc.integer({ min: 1, max: 10 }), n2: fc.integer({ min: 1, max: 10 }) })
  .chain(({ n, n2 }) =>
    fc.record({
      n: fc.constant(n),
      t: fc.integer({ min: 1, max: n }),
      n2: fc.constant(n2),
      t2: fc.integer({ min: 1, max: n2 }),
      extraDealers: fc.integer({ min: 0, max: n }),
      V: fc.integer({ min: 1, max: 2 }),
      seed: fc.integer(),
    }),
  );

describe('reshare properties', () => {
  it('keeps every key; every t\'-subset recombines and signs; t\' - 1 do not; old shares do not mix in', () => {
    fc.assert(
      fc.property(oldAndNew, ({ n, t, n2, t2, extraDealers, V, seed }) => {
        const rng = insecureTestRng(`reshare-prop-${seed}`);
        const cluster = makeCluster(t, n, V, rng, seed % 2 === 0);
        const oldIds = [...cluster.sharesById.keys()];
        const dealers = pick(oldIds, Math.min(n, t + extraDealers), seed);
        const sim = simulateReshare({ oldThreshold: t, validators: cluster.validators, dealers, newThreshold: t2, newShares: n2, allowUnsafe: true, oldShares: cluster.sharesById, rng });
        const ids = sim.definition.newIds;
        expect(ids.map(Number)).toEqual(Array.from({ length: n2 }, (_, i) => i + 1));
        const share = (i: number, v: number): SecretShare => sim.newShares.get(ids[i]!)![v]!;
        for (let v = 0; v < V; v++) {
          const key = hex(cluster.keys[v]!);
          expect(hex(sim.publicData[v]!.groupPublicKey)).toBe(hex(cluster.validators[v]!.groupPublicKey));
          const all = ids.map((_, i) => share(i, v));
          expect(checkRecombination({ threshold: t2, ...sim.publicData[v]! }, { shares: all, rng }).ok).toBe(true);
          for (const sub of someSubsets(n2, t2, 40, seed + v)) expect(hex(recoverSecret(sub.map((i) => share(i, v)), t2))).toBe(key);
          if (t2 > 1) for (const sub of someSubsets(n2, t2 - 1, 10, seed + v)) expect(hex(recoverSecret(sub.map((i) => share(i, v)), t2 - 1))).not.toBe(key);
        }
        const pk = cluster.validators[0]!.groupPublicKey;
        const publicShares = sim.publicData[0]!.publicShares;
        const signers = pick([...ids.keys()], t2, seed ^ 0x5a5a);
        const partials = signers.map((i) => partialSign(share(i, 0), message));
        expect(verify(pk, message, combinePartialSignatures({ threshold: t2, groupPublicKey: pk, publicShares, message, partials, rng }))).toBe(true);
        // An old share (id 1 exists in both clusters) in place of the new share of the same id.
        if (t2 > 1) {
          const at = signers.includes(0) ? signers : [0, ...signers.slice(1)];
          const mixed = at.map((i) => (i === 0 ? cluster.sharesById.get(1n)![0]! : share(i, 0)));
          expect(hex(recoverSecret(mixed, t2))).not.toBe(hex(cluster.keys[0]!));
          const mixedPartials = mixed.map((s) => partialSign(s, message));
          expect(verify(pk, message, aggregatePartials(mixedPartials))).toBe(false);
          const e = thrown(() => combinePartialSignatures({ threshold: t2, groupPublicKey: pk, publicShares, message, partials: mixedPartials, rng }));
          expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['1']]);
        }
      }),
      { numRuns: 10 },
    );
  }, 240_000);

  it('the gate refuses t\' = n\' > 1 unless overridden, and never refuses for that reason otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))), ([n, t]) => {
        const operators = Array.from({ length: n }, (_, i) => ({ name: `op${i}`, shares: 1 }));
        const allowed = checkReshareSafety(t, operators, true);
        const noTolerance = allowed.reasons.some((r) => r.includes('no fault tolerance'));
        expect(noTolerance).toBe(t === n && n > 1);
        if (noTolerance) expect(thrown(() => checkReshareSafety(t, operators, false)).message).toMatch(/no fault tolerance/);
        if (allowed.reasons.length === 0) expect(checkReshareSafety(t, operators, false).safe).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

const refreshSetup = fc.integer({ min: 2, max: 10 }).chain((n) =>
  fc.record({ n: fc.constant(n), t: fc.integer({ min: 2, max: n }), extra: fc.integer({ min: 0, max: n }), V: fc.integer({ min: 1, max: 2 }), seed: fc.integer() }),
);

describe('refresh properties', () => {
  it('keeps the key, changes every share, every t-subset recombines and old shares do not mix', () => {
    fc.assert(
      fc.property(refreshSetup, ({ n, t, extra, V, seed }) => {
        const rng = insecureTestRng(`refresh-prop-${seed}`);
        const cluster = makeCluster(t, n, V, rng, seed % 2 === 0);
        const participants = pick([...cluster.sharesById.keys()], Math.min(n, t + extra), seed).sort((a, b) => Number(a - b));
        const r = simulateRefresh({ threshold: t, validators: cluster.validators, participants, oldShares: cluster.sharesById, rng });
        expect([...r.newShares.keys()]).toEqual(participants);
        for (let v = 0; v < V; v++) {
          const key = hex(cluster.keys[v]!);
          const fresh = participants.map((p) => r.newShares.get(p)![v]!);
          expect(hex(r.publicData[v]!.groupPublicKey)).toBe(hex(cluster.validators[v]!.groupPublicKey));
          expect(r.publicData[v]!.publicShares.map((p) => p.id)).toEqual(participants);
          expect(checkRecombination({ threshold: t, ...r.publicData[v]! }, { shares: fresh, rng }).ok).toBe(true);
          for (const s of fresh) expect(hex(s.secret)).not.toBe(hex(cluster.sharesById.get(s.id)![v]!.secret));
          for (const sub of someSubsets(fresh.length, t, 30, seed + v)) expect(hex(recoverSecret(sub.map((i) => fresh[i]!), t))).toBe(key);
          const sub = pick([...fresh.keys()], t, seed ^ v);
          const mixed = sub.map((i, k) => (k === 0 ? cluster.sharesById.get(fresh[i]!.id)![v]! : fresh[i]!));
          expect(hex(recoverSecret(mixed, t))).not.toBe(key);
        }
      }),
      { numRuns: 10 },
    );
  }, 240_000);

  it('t = 1 is refused: every share is the key and nothing could change', () => {
    const rng = insecureTestRng('refresh-t1');
    for (const n of [1, 3]) {
      const cluster = makeCluster(1, n, 2, rng);
      const e = thrown(() => simulateRefresh({ threshold: 1, validators: cluster.validators, oldShares: cluster.sharesById, rng }));
      expect([e.code, e.field]).toEqual(['INVALID_THRESHOLD', 'threshold']);
      expect(e.message).toMatch(/t = 1 cannot change any share/);
    }
  });
});

const repairSetup = fc.integer({ min: 2, max: 10 }).chain((n) =>
  fc.record({ n: fc.constant(n), t: fc.integer({ min: 1, max: n - 1 }), extra: fc.integer({ min: 0, max: n }), lost: fc.integer({ min: 0, max: n - 1 }), V: fc.integer({ min: 1, max: 2 }), seed: fc.integer() }),
);

describe('repair properties', () => {
  it('t or more helpers rebuild exactly the lost share of every validator', () => {
    fc.assert(
      fc.property(repairSetup, ({ n, t, extra, lost, V, seed }) => {
        const rng = insecureTestRng(`repair-prop-${seed}`);
        const cluster = makeCluster(t, n, V, rng, seed % 2 === 0);
        const recipient = BigInt(lost + 1);
        const others = [...cluster.sharesById.keys()].filter((id) => id !== recipient);
        const helpers = pick(others, Math.min(others.length, t + extra), seed);
        const helperShares = new Map(helpers.map((h) => [h, cluster.sharesById.get(h)!]));
        const rebuilt = simulateRepair({ threshold: t, validators: cluster.validators, helpers, recipient, helperShares, rng });
        expect(rebuilt.map((s) => s.id)).toEqual(Array.from({ length: V }, () => recipient));
        expect(rebuilt.map((s) => hex(s.secret))).toEqual(cluster.sharesById.get(recipient)!.map((s) => hex(s.secret)));
      }),
      { numRuns: 15 },
    );
  }, 240_000);
});
