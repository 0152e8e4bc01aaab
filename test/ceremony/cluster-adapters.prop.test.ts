/**
 * The round-trip property of every layout adapter (design section 8): for any cluster the layout can write,
 * `fromLayout(toLayout(c))` equals `carried(c)`: the layout keeps every field it has a place for, exactly, and the
 * fields it has no place for (another layout's records, commitments in Charon and SSV, names in SSV, ...) are the
 * only ones lost. Each generated cluster also carries fields of the other layouts, so `carried` must drop them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { LOCK_VERSIONS, lockFeatures } from '../../src/charon/types.js';
import { LAYOUT_ADAPTERS } from '../../src/ceremony/adapters/index.js';
import { filesByPath, type Cluster, type ClusterOperator, type ClusterValidator } from '../../src/ceremony/cluster.js';
import { parseKeysharesText } from '../../src/ssv/keyshares.js';
import { loadVector } from '../helpers/vectors.js';

const RUNS = { numRuns: 40 };
const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
const address = fc.oneof(fc.constant(''), bytes(20).map((b) => bytesToHex(b, true)));
const nonEmptyAddress = bytes(20).map((b) => bytesToHex(b, true));
const safeName = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/);
const text = fc.string({ maxLength: 20 });

/** Real RSA-2048 operator keys (public halves) from dvkeys' SSV vectors. */
const RSA_KEYS = loadVector<{ cases: { keyshares: string }[] }>('ssv/dvkeys-keyshares-operator-keys.json').cases.flatMap((c) =>
  parseKeysharesText(c.keyshares).items[0]!.operators.map((o) => o.operatorKey),
);

function validator(n: number, t: number, commitments: boolean): fc.Arbitrary<ClusterValidator> {
  return fc.record({
    pubkey: bytes(48),
    publicShares: fc.array(bytes(48), { minLength: n, maxLength: n }),
    commitments: commitments ? fc.array(bytes(48), { minLength: t, maxLength: t }) : fc.constant(null),
    withdrawalCredentials: bytes(32),
    feeRecipient: nonEmptyAddress,
  });
}

const dvkeysCluster: fc.Arbitrary<Cluster> = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), tSeed: fc.nat(), ids: fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 6, maxLength: 6 }) })
  .chain(({ n, tSeed, ids }) => {
    const t = 1 + (tSeed % n);
    return fc.record({
      kind: fc.constantFrom('split' as const, 'dkg' as const),
      threshold: fc.constant(t),
      operators: fc.uniqueArray(safeName, { minLength: n, maxLength: n, selector: (s) => s.toLowerCase() }).chain((names) =>
        fc.tuple(...names.map((name, k) => safeName.map((group): ClusterOperator => ({ shareId: ids[k]!, name, group })))),
      ),
      network: fc.option(fc.constantFrom('mainnet', 'hoodi'), { nil: null }),
      forkVersion: fc.option(bytes(4), { nil: null }),
      name: text,
      validators: fc.array(validator(n, t, true), { minLength: 1, maxLength: 3 }),
    });
  });

function charonCluster(): fc.Arbitrary<Cluster> {
  return fc
    .record({ n: fc.integer({ min: 1, max: 5 }), tSeed: fc.nat(), version: fc.constantFrom(...LOCK_VERSIONS) })
    .chain(({ n, tSeed, version }) => {
      const t = 1 + (tSeed % n);
      const f = lockFeatures(version);
      const sig = f.signatureLists ? fc.oneof(fc.constant(new Uint8Array(0)), bytes(65), bytes(130)) : fc.oneof(fc.constant(new Uint8Array(0)), bytes(65));
      const deposit = fc.record({ withdrawalCredentials: bytes(32), amount: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), signature: bytes(96) }).chain((d) =>
        f.partialDeposits ? fc.option(bytes(32), { nil: undefined }).map((r) => (r === undefined ? d : { ...d, depositDataRoot: r })) : fc.constant(d),
      );
      const registration = fc.record({ feeRecipient: nonEmptyAddress, gasLimit: fc.nat(), timestamp: fc.nat(), pubkey: bytes(48), signature: bytes(96) });
      const val = fc.record({
        pubkey: bytes(48),
        publicShares: fc.array(bytes(48), { minLength: n, maxLength: n }),
        commitments: fc.constant(null),
        withdrawalAddress: address,
        feeRecipient: address,
        deposits: f.partialDeposits ? fc.array(deposit, { maxLength: 2 }) : deposit.map((d) => [d]),
        builderRegistration: f.registrations ? registration : fc.constant(null),
        withdrawalCredentials: bytes(32),
      });
      const operator = (k: number, group: string): fc.Arbitrary<ClusterOperator> =>
        fc.record({ address, enr: fc.string({ maxLength: 40 }).map((s) => `enr:${s}`), configSignature: sig, enrSignature: sig }).map((charon) => ({ shareId: k + 1, name: `node${k}`, group, charon }));
      return fc.record({
        kind: fc.constantFrom('split' as const, null),
        threshold: fc.constant(t),
        operators: fc.array(fc.constantFrom('eridian', 'spacesider', 'cloud'), { minLength: n, maxLength: n }).chain((groups) => fc.tuple(...groups.map((g, k) => operator(k, g)))),
        network: fc.constant(null),
        forkVersion: fc.constantFrom(Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0x10, 0, 0x09, 0x10), Uint8Array.of(1, 2, 3, 4)),
        name: fc.string({ maxLength: 30 }),
        validators: fc.array(val, { minLength: 1, maxLength: 3 }),
        charon: fc.record({
          version: fc.constant(version),
          uuid: fc.uuid().map((u) => u.toUpperCase()),
          timestamp: fc.constantFrom('', '2026-12-07T12:00:00Z'),
          creator: fc.record({ address, configSignature: sig }),
          dkgAlgorithm: fc.constantFrom('default', 'frost'),
          depositAmounts: f.depositAmounts ? fc.option(fc.array(fc.bigInt({ min: 1n, max: 2n ** 40n }), { maxLength: 3 }), { nil: null }) : fc.constant(null),
          consensusProtocol: f.consensusProtocol ? fc.constantFrom('', 'qbft') : fc.constant(''),
          targetGasLimit: f.gasLimitAndCompounding ? fc.nat() : fc.constant(0),
          compounding: f.gasLimitAndCompounding ? fc.boolean() : fc.constant(false),
          signatureAggregate: bytes(96),
          nodeSignatures: f.registrations ? fc.array(bytes(65), { minLength: n, maxLength: n }) : fc.constant([]),
        }),
      });
    });
}

const ssvCluster: fc.Arbitrary<Cluster> = fc
  .record({ n: fc.constantFrom(4, 7), layout: fc.constantFrom('multi' as const, 'single' as const) })
  .chain(({ n, layout }) =>
    fc.record({
      ids: fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: n, maxLength: n }).map((a) => [...a].sort((x, y) => x - y)),
      keys: fc.shuffledSubarray(RSA_KEYS, { minLength: n, maxLength: n }),
      validators: fc.array(
        fc.record({
          pubkey: bytes(48),
          publicShares: fc.array(bytes(48), { minLength: n, maxLength: n }),
          commitments: fc.constant(null),
          encryptedShares: fc.array(bytes(256), { minLength: n, maxLength: n }),
          ssv: fc.record({ ownerAddress: nonEmptyAddress, ownerNonce: fc.nat(), signature: bytes(96) }),
          withdrawalCredentials: bytes(32),
        }),
        { minLength: 1, maxLength: layout === 'single' ? 1 : 3 },
      ),
      createdAt: text,
      version: fc.constantFrom('v1.1.0', 'v1.2.0'),
      name: text,
    }).map(({ ids, keys, validators, createdAt, version, name }): Cluster => ({
      kind: null,
      threshold: n - (n - 1) / 3,
      operators: ids.map((id, k) => ({ shareId: id, name: `op${k}`, group: 'g', ssv: { operatorKey: keys[k]! } })),
      network: 'mainnet',
      forkVersion: Uint8Array.of(0, 0, 0, 0),
      name,
      validators,
      ssv: { version, createdAt, layout },
    })),
  );

describe('layout adapters: fromLayout(toLayout(c)) = carried(c)', () => {
  it('has the RSA keys it needs', () => expect(RSA_KEYS.length).toBeGreaterThanOrEqual(7));

  it('dvkeys (ceremony.json)', () => {
    const a = LAYOUT_ADAPTERS.dvkeys;
    fc.assert(
      fc.property(dvkeysCluster, (c) => {
        const withOthers: Cluster = { ...c, validators: c.validators.map((v) => ({ ...v, encryptedShares: [new Uint8Array(256)], deposits: [] })) };
        const back = a.fromLayout(filesByPath(a.toLayout(withOthers)));
        expect(back).toEqual(a.carried(withOthers));
        expect(back.validators.every((v) => v.encryptedShares === undefined && v.feeRecipient === undefined)).toBe(true);
      }),
      RUNS,
    );
  });

  it('charon (cluster lock + operators map)', () => {
    const a = LAYOUT_ADAPTERS.charon;
    fc.assert(
      fc.property(charonCluster(), (c) => {
        const back = a.fromLayout(filesByPath(a.toLayout(c)));
        expect(back).toEqual(a.carried(c));
        expect(back.operators.map((o) => o.group)).toEqual(c.operators.map((o) => o.group));
        expect(back.validators.every((v) => v.withdrawalCredentials === undefined && v.commitments === null)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('ssv (keyshares.json)', () => {
    const a = LAYOUT_ADAPTERS.ssv;
    fc.assert(
      fc.property(ssvCluster, (c) => {
        const back = a.fromLayout(filesByPath(a.toLayout(c)));
        expect(back).toEqual(a.carried(c));
        expect(back.network).toBeNull();
        expect(back.validators.map((v) => v.encryptedShares)).toEqual(c.validators.map((v) => v.encryptedShares));
      }),
      RUNS,
    );
  });

  it('what a layout writes depends only on the fields it carries', () => {
    const same = (layout: 'dvkeys' | 'charon' | 'ssv', c: Cluster): void => {
      const a = LAYOUT_ADAPTERS[layout];
      const files = a.toLayout(c);
      expect(a.toLayout(a.carried(c))).toEqual(files);
      expect(a.carried(a.carried(c))).toEqual(a.carried(c));
    };
    fc.assert(fc.property(dvkeysCluster, (c) => same('dvkeys', c)), { numRuns: 15 });
    fc.assert(fc.property(charonCluster(), (c) => same('charon', c)), { numRuns: 10 });
    fc.assert(fc.property(ssvCluster, (c) => same('ssv', c)), { numRuns: 10 });
  });
});
