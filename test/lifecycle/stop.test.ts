/**
 * Stop-old-before-start-new: stop records of n - t + 1 old holders, their EIP-3076 histories merged for the new
 * nodes and re-keyed to each new share key, the start epoch; and every tampered record refused with its culprit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import type { Interchange, InterchangeValidator } from '../../src/eth/slashing-protection.js';
import { simulateReshare } from '../../src/lifecycle/simulate.js';
import { START_WAIT_EPOCHS, checkStops, historyFor, signStop, type StopRecord } from '../../src/lifecycle/stop.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('lifecycle-stop');
const gvr = new Uint8Array(32).fill(0x4b);
const cluster = makeCluster(3, 5, 2, rng);
const sim = simulateReshare({ oldThreshold: 3, validators: cluster.validators, dealers: [1, 2, 3], newThreshold: 3, newShares: 4, oldShares: cluster.sharesById, rng });
const def = sim.definition;
const shareKey = (v: number, id: number): Uint8Array => cluster.validators[v]!.publicShares[id - 1]!.publicKey;
const entry = (pubkey: Uint8Array, target: bigint, slot?: bigint): InterchangeValidator => ({
  pubkey,
  signedBlocks: slot === undefined ? [] : [{ slot, signingRoot: undefined }],
  signedAttestations: [{ sourceEpoch: target - 1n, targetEpoch: target, signingRoot: undefined }],
});
const ic = (data: readonly InterchangeValidator[], root = gvr): Interchange => ({ genesisValidatorsRoot: root, data });
const foreign = new Uint8Array(48).fill(0xaa);
// Holder 1 keyed by its share keys, holder 2 by the validator keys (as a combined-key history), holder 4 only has
// validator 0 and a foreign validator.
const histories = new Map<number, Interchange>([
  [1, ic([entry(shareKey(0, 1), 100n, 3210n), entry(shareKey(1, 1), 90n)])],
  [2, ic([entry(cluster.validators[0]!.groupPublicKey, 101n), entry(cluster.validators[1]!.groupPublicKey, 95n, 3000n)])],
  [4, ic([entry(shareKey(0, 4), 99n), entry(foreign, 500n)])],
]);
const record = (id: number, epoch: bigint, history = histories.get(id)!): StopRecord => signStop(def, cluster.sharesById.get(BigInt(id))!, epoch, history);
const records = [record(1, 102n), record(2, 102n), record(4, 103n)];

describe('stop records and the carried history', () => {
  const check = checkStops(def, records, rng);
  it('n - t + 1 = 3 verified stops: the start epoch is the last activity + the wait', () => {
    expect(check.stopped).toEqual([1n, 2n, 4n]);
    expect(check.needed).toBe(3);
    expect(check.lastEpoch).toBe(103n);
    expect(check.startEpoch).toBe(103n + START_WAIT_EPOCHS);
    expect(check.missing).toEqual([]);
  });
  it('the merged history has the maxima of every holder, keyed by PK_v, without foreign validators', () => {
    expect(check.history.data.map((d) => bytesToHex(d.pubkey))).toEqual(cluster.validators.map((v) => bytesToHex(v.groupPublicKey)));
    const [v0, v1] = check.history.data;
    expect(v0!.signedAttestations).toEqual([{ sourceEpoch: 100n, targetEpoch: 101n, signingRoot: undefined }]);
    expect(v0!.signedBlocks.map((b) => b.slot)).toEqual([3210n]);
    expect(v1!.signedAttestations.map((a) => a.targetEpoch)).toEqual([95n]);
    expect(v1!.signedBlocks.map((b) => b.slot)).toEqual([3000n]);
  });
  it('each new node gets it re-keyed to its own new share keys', () => {
    const keys = sim.publicData.map((d) => d.publicShares[2]!.publicKey);
    const mine = historyFor(def, check, keys);
    expect(mine.data.map((d) => bytesToHex(d.pubkey))).toEqual(keys.map((k) => bytesToHex(k)));
    expect(mine.data[0]!.signedBlocks[0]!.slot).toBe(3210n);
    expect(bytesToHex(mine.genesisValidatorsRoot)).toBe(bytesToHex(gvr));
    expect(thrown(() => historyFor(def, check, keys.slice(1))).code).toBe('INVALID_LENGTH');
  });
  it('a history after the stated stop epoch moves the start epoch', () => {
    const late = [record(1, 50n, ic([entry(shareKey(0, 1), 120n)])), record(3, 50n, ic([])), record(5, 50n, ic([entry(shareKey(1, 5), 7n, 4000n)]))];
    const c = checkStops(def, late, rng);
    expect([c.lastEpoch, c.startEpoch, c.missing]).toEqual([125n, 125n + START_WAIT_EPOCHS, []]);
    const none = checkStops(def, [record(1, 50n, ic([entry(shareKey(0, 1), 9n)])), record(3, 50n, ic([])), record(5, 50n, ic([]))], rng);
    expect(none.missing).toEqual([1]);
  });
});

describe('tamper: stop records', () => {
  it('too few stops: OLD_CLUSTER_NOT_STOPPED naming who still runs', () => {
    const e = thrown(() => checkStops(def, records.slice(0, 2), rng));
    expect([e.code, e.field, e.culprits]).toEqual(['OLD_CLUSTER_NOT_STOPPED', 'stops', []]);
    expect(e.message).toMatch(/still running: 3, 4, 5/);
  });
  it('an epoch, a history or a definition changed after signing: PARTIAL_SIGNATURE_INVALID naming the holder', () => {
    const epoch = records.map((r) => (r.holder === 2n ? { ...r, epoch: 90n } : r));
    const hidden = records.map((r) => (r.holder === 4n ? { ...r, history: ic(r.history.data.slice(0, 1).map((d) => ({ ...d, signedAttestations: [] }))) } : r));
    const otherDef = { ...def, id: new Uint8Array(32).fill(1) };
    for (const [d, rs, culprits] of [
      [def, epoch, ['2']],
      [def, hidden, ['4']],
      [otherDef, records, ['1', '2', '4']],
    ] as const) {
      const e = thrown(() => checkStops(d, rs, rng));
      expect([e.code, e.field, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', 'stops', culprits]);
    }
  });
  it('two records of one holder, a stranger, a wrong count, another chain: refused naming the holder', () => {
    const dup = thrown(() => checkStops(def, [...records, records[0]!], rng));
    expect([dup.code, dup.field, dup.culprits]).toEqual(['DUPLICATE_SHARE_ID', 'stops[3]', ['1']]);
    const stranger = thrown(() => checkStops(def, [...records, { ...records[0]!, holder: 9n as never }], rng));
    expect([stranger.code, stranger.field, stranger.culprits]).toEqual(['INVALID_SHARE_ID', 'stops[3].holder', ['9']]);
    const short = thrown(() => checkStops(def, records.map((r) => (r.holder === 4n ? { ...r, signatures: r.signatures.slice(1) } : r)), rng));
    expect([short.code, short.field, short.culprits]).toEqual(['INVALID_LENGTH', 'stops[2].signatures', ['4']]);
    const chain = thrown(() => checkStops(def, [...records.slice(0, 2), record(4, 103n, ic(histories.get(4)!.data, new Uint8Array(32).fill(9)))], rng));
    expect([chain.code, chain.field, chain.culprits]).toEqual(['SLASHING_PROTECTION_INVALID', 'stops[2].history.metadata.genesis_validators_root', ['4']]);
  });
  it('a holder with shares of another cluster cannot sign a stop record', () => {
    const other = makeCluster(3, 5, 2, rng);
    const e = thrown(() => signStop(def, other.sharesById.get(3n)!, 1n, ic([])));
    expect([e.code, e.field, e.culprits]).toEqual(['SHARE_MISMATCH', 'shares[0]', ['3']]);
    expect(thrown(() => signStop(def, cluster.sharesById.get(3n)!, -1n, ic([]))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('stop property', () => {
  it('whatever t old holders signed, any n - t + 1 stopped holders carry it (the quorum intersection)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({ n: fc.constant(n), t: fc.integer({ min: 1, max: n }), seed: fc.integer(), epoch: fc.bigInt({ min: 2n, max: 1n << 40n }) })),
        ({ n, t, seed, epoch }) => {
          const r = insecureTestRng(`stop-prop-${seed}`);
          const c = makeCluster(t, n, 1, r);
          const d = simulateReshare({ oldThreshold: t, validators: c.validators, dealers: [...c.sharesById.keys()].slice(0, t), newThreshold: 1, newShares: 1, allowUnsafe: true, oldShares: c.sharesById, rng: r });
          const ids = [...c.sharesById.keys()];
          const order = (s: number): bigint[] => [...ids].sort((a, b) => ((Number(a) * 7919 + s) % 101) - ((Number(b) * 7919 + s) % 101));
          const signers = new Set(order(seed).slice(0, t)); // the last old-cluster signature, at `epoch`
          const stopped = order(seed ^ 0x3c3c).slice(0, n - t + 1);
          const recs = stopped.map((id) =>
            signStop(d.definition, c.sharesById.get(id)!, 1n, ic(signers.has(id) ? [entry(c.validators[0]!.publicShares[Number(id) - 1]!.publicKey, epoch)] : [])),
          );
          const check = checkStops(d.definition, recs, r);
          expect(check.history.data[0]!.signedAttestations[0]!.targetEpoch).toBe(epoch);
          expect(check.startEpoch).toBe(epoch + START_WAIT_EPOCHS);
          expect(thrown(() => checkStops(d.definition, recs.slice(1), r)).code).toBe('OLD_CLUSTER_NOT_STOPPED');
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
