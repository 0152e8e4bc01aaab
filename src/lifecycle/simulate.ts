/**
 * In-process simulations of the lifecycle steps (tests and benchmarks; docs/protocols/lifecycle.md): every party runs
 * its own step of the library API on the messages the others sent, as separate machines would, with optional
 * injected faults. The definition is checked once and shared (each party checks the same public input on its own
 * machine in a real run). The first failure any honest party reports is thrown, as a DvkeysError with its culprits.
 *
 * @module
 */
import { systemRandomBytes } from '../random.js';
import { SecretBytes, type RandomBytes, type SecretShare, type ShareIndex } from '../types.js';
import { decodeG1UncheckedSubgroup, encodeG1Uncompressed } from '../bls/uncompressed.js';
import { G1 } from '../bls/group.js';
import { defineReshare, type ReshareDefinition, type ReshareInput } from './reshare-definition.js';
import { combineReshare, dealReshare, type NewValidatorPublicData, type ReshareDealing, type SubShareBundle } from './reshare.js';
import { checkHandover, signHandover, type HandoverCertificate, type HandoverPartials } from './handover.js';
import { combineRefresh, dealRefresh, defineRefresh, type RefreshInput, type RefreshedValidatorPublicData } from './refresh.js';
import { completeRepair, contributeRepair, defineRepair, repairSum, type RepairInput } from './repair.js';

/** A fault to inject into a simulated reshare. */
export type LifecycleFault =
  /** The dealer's constant commitment of validator `v` (default 0) is not λ_i·Y_{v,i}. */
  | { readonly kind: 'wrong-constant'; readonly dealer: number; readonly v?: number }
  /** The dealer sends `recipient` a wrong sub-share of validator `v` (default 0). */
  | { readonly kind: 'bad-sub-share'; readonly dealer: number; readonly recipient: number; readonly v?: number }
  /** The dealer sends nothing. */
  | { readonly kind: 'missing-dealer'; readonly dealer: number }
  /** The new holder withholds its reshare-complete partials. */
  | { readonly kind: 'withhold-partial'; readonly member: number }
  /** The new holder sends a wrong reshare-complete partial for validator `v` (default 0). */
  | { readonly kind: 'bad-partial'; readonly member: number; readonly v?: number };

/** Options of {@link simulateReshare}. */
export interface SimulateReshareOptions extends Omit<ReshareInput, 'rng'> {
  /** Old shares by old id: oldShares.get(i)[v] is s_{v,i} (only the dealers' are used). */
  readonly oldShares: ReadonlyMap<bigint, readonly SecretShare[]>;
  readonly faults?: readonly LifecycleFault[];
  readonly rng?: RandomBytes;
}

/** The outcome of a successful simulated reshare. */
export interface ReshareSimulation {
  readonly definition: ReshareDefinition;
  /** New shares by new id (the caller wipes them). */
  readonly newShares: ReadonlyMap<bigint, SecretShare[]>;
  readonly publicData: readonly NewValidatorPublicData[];
  readonly certificate: HandoverCertificate;
}

const flip = (b: Uint8Array): SecretBytes => {
  const c = SecretBytes.copyOf(b);
  c[31]! ^= 1;
  return c;
};

/**
 * Runs a whole reshare: definition, every dealer's dealing, every new member's combination, and the handover.
 * @throws the first DvkeysError an honest party reports (e.g. `DEALING_CONSTANT_MISMATCH` naming the dealer).
 */
export function simulateReshare(options: SimulateReshareOptions): ReshareSimulation {
  const rng = options.rng ?? systemRandomBytes;
  const faults = options.faults ?? [];
  const definition = defineReshare({ ...options, rng });
  const dealings: ReshareDealing[] = [];
  const bundles: SubShareBundle[] = [];
  for (const dealer of definition.dealers) {
    if (faults.some((f) => f.kind === 'missing-dealer' && BigInt(f.dealer) === dealer)) continue;
    const dealt = dealReshare(definition, dealer, options.oldShares.get(dealer) ?? [], rng);
    let dealing = dealt.dealing;
    for (const f of faults) {
      if (f.kind === 'wrong-constant' && BigInt(f.dealer) === dealer) {
        const v = f.v ?? 0;
        const c0 = decodeG1UncheckedSubgroup(dealing.commitments[v]![0]!, 'c0').add(G1.BASE);
        dealing = { dealer, commitments: dealing.commitments.map((cs, w) => (w === v ? [encodeG1Uncompressed(c0), ...cs.slice(1)] : cs)) };
      }
    }
    dealings.push(dealing);
    for (const b of dealt.bundles) {
      const f = faults.find((x) => x.kind === 'bad-sub-share' && BigInt(x.dealer) === dealer && BigInt(x.recipient) === b.recipient);
      const v = f?.kind === 'bad-sub-share' ? (f.v ?? 0) : -1;
      bundles.push(v < 0 ? b : { ...b, secrets: b.secrets.map((s, w) => (w === v ? flip(s) : s)) });
    }
  }
  const newShares = new Map<bigint, SecretShare[]>();
  let publicData: NewValidatorPublicData[] = [];
  try {
    for (const j of definition.newIds) {
      const out = combineReshare(definition, j, dealings, bundles.filter((b) => b.recipient === j), rng);
      newShares.set(j, out.shares);
      publicData = out.publicData;
    }
  } finally {
    for (const b of bundles) for (const s of b.secrets) s.fill(0);
  }
  const partials: HandoverPartials[] = [];
  for (const [j, shares] of newShares) {
    if (faults.some((f) => f.kind === 'withhold-partial' && BigInt(f.member) === j)) continue;
    const p = signHandover(definition.id, publicData, shares);
    const bad = faults.find((f) => f.kind === 'bad-partial' && BigInt(f.member) === j);
    const v = bad?.kind === 'bad-partial' ? (bad.v ?? 0) : -1;
    // A wrong partial: a valid G2 point, but the signature of another definition's message.
    const wrong = v < 0 ? undefined : signHandover(new Uint8Array(32), publicData, shares).signatures[v]!;
    partials.push(wrong === undefined ? p : { ...p, signatures: p.signatures.map((s, w) => (w === v ? wrong : s)) });
  }
  const certificate = checkHandover(definition.id, definition.newThreshold, publicData, partials, rng);
  return { definition, newShares, publicData, certificate };
}

/** Options of {@link simulateRefresh}. */
export interface SimulateRefreshOptions extends Omit<RefreshInput, 'rng'> {
  readonly oldShares: ReadonlyMap<bigint, readonly SecretShare[]>;
  readonly rng?: RandomBytes;
}

/** Runs a whole refresh with every participant honest, and its handover. */
export function simulateRefresh(options: SimulateRefreshOptions): {
  newShares: Map<bigint, SecretShare[]>;
  publicData: readonly RefreshedValidatorPublicData[];
  certificate: HandoverCertificate;
} {
  const rng = options.rng ?? systemRandomBytes;
  const def = defineRefresh({ ...options, rng });
  const dealt = def.participants.map((p) => dealRefresh(def, p, rng));
  const dealings = dealt.map((d) => d.dealing);
  const bundles = dealt.flatMap((d) => d.bundles);
  const newShares = new Map<bigint, SecretShare[]>();
  let publicData: readonly RefreshedValidatorPublicData[] = [];
  for (const p of def.participants) {
    const out = combineRefresh(def, options.oldShares.get(p) ?? [], dealings, bundles.filter((b) => b.recipient === p), rng);
    newShares.set(p, out.shares);
    publicData = out.publicData;
  }
  for (const b of bundles) for (const s of b.secrets) s.fill(0);
  const partials = [...newShares.values()].map((shares) => signHandover(def.id, publicData, shares));
  return { newShares, publicData, certificate: checkHandover(def.id, def.old.threshold, publicData, partials, rng) };
}

/** Options of {@link simulateRepair}. */
export interface SimulateRepairOptions extends Omit<RepairInput, 'rng'> {
  /** The helpers' shares by id. */
  readonly helperShares: ReadonlyMap<bigint, readonly SecretShare[]>;
  readonly rng?: RandomBytes;
}

/** Runs a whole repair with every helper honest; returns the recipient's rebuilt shares. */
export function simulateRepair(options: SimulateRepairOptions): SecretShare[] {
  const rng = options.rng ?? systemRandomBytes;
  const def = defineRepair({ ...options, rng });
  const contributed = def.helpers.map((h) => contributeRepair(def, h, options.helperShares.get(h) ?? [], rng));
  const contributions = contributed.map((c) => c.contribution);
  const bundles = contributed.flatMap((c) => c.bundles);
  const sums = def.helpers.map((k: ShareIndex) => repairSum(def, k, contributions, bundles.filter((b) => b.to === k), rng));
  try {
    return completeRepair(def, contributions, sums, rng);
  } finally {
    for (const b of bundles) for (const s of b.secrets) s.fill(0);
    for (const s of sums) for (const x of s.secrets) x.fill(0);
  }
}
