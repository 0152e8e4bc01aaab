/**
 * Threshold-signing the deposits inside the ceremony (brief B6, B11.4): every participant's Ack carries
 * σ_{d,i} = s_{v,i}·H(signingRoot_d) for every deposit d = (validator v, amount); the coordinator checks all n·D
 * partials in one batched pairing product, Lagrange-combines the lowest t per deposit (Boldyreva, PKC 2003), and
 * every participant checks the combined signatures under the validator keys before reporting success.
 *
 * - signingRoot_d = compute_signing_root(DepositMessage(PK_v, wc_v, amount), compute_domain(DOMAIN_DEPOSIT,
 *   GENESIS_FORK_VERSION, zero root)) (consensus-specs phase0 "Deposits"), computed by src/eth (signing.ts, ssz.ts)
 *   unless the caller injects another {@link DepositRootFn}.
 * - H = hash_to_G2 with the Ethereum POP DST, once per deposit per process.
 * - Batch of partials: e(G, Σ ρ_{d,m} σ_{d,m}) = Π_d e(Σ_m ρ_{d,m}·Y_{v(d),m}, H_d): D + 1 Miller loops, one final
 *   exponentiation; on failure per signer, then per deposit, to name culprits.
 * - Batch of combined signatures: e(G, Σ ρ_d σ_d) = Π_d e(ρ_d·PK_{v(d)}, H_d).
 *
 * @module
 */
import { abytes } from '../bytes.js';
import { randomWeight } from '../bls/field.js';
import { G1, G2, g1Generator, encodeG2, type G1Point, type G2Point } from '../bls/group.js';
import { pairingProductIsOne, type PairingTerm } from '../bls/pairing.js';
import { signHashed } from '../bls/signature.js';
import { hashToG2Fast } from './g2.js';
import { DEPOSIT_CLI_VERSION, type DepositDataEntry } from '../eth/deposit.js';
import { computeSigningRoot, depositDomain } from '../eth/signing.js';
import { depositDataRoot, depositMessageRoot } from '../eth/ssz.js';
import { lagrangeCoefficientsAtZero } from '../sharing/polynomial.js';
import type { RandomBytes } from '../types.js';
import { hex } from './codec.js';
import type { Definition } from './definition.js';
import { msm } from './points.js';

/** The inputs of one deposit's signing root. */
export interface DepositRootInput {
  readonly pubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
  readonly genesisForkVersion: Uint8Array;
}

/** Computes a deposit's 32-byte signing root (injectable; default {@link ethDepositSigningRoot}). */
export type DepositRootFn = (input: DepositRootInput) => Uint8Array;

const domains = new Map<string, Uint8Array>();

/**
 * compute_signing_root(DepositMessage, compute_domain(DOMAIN_DEPOSIT, fork version, zero root)) via src/eth.
 * The domain is computed once per fork version.
 */
export const ethDepositSigningRoot: DepositRootFn = (input) => {
  const key = hex(input.genesisForkVersion);
  let domain = domains.get(key);
  if (domain === undefined) {
    domain = depositDomain(input.genesisForkVersion);
    domains.set(key, domain);
  }
  const root = depositMessageRoot({ pubkey: input.pubkey, withdrawalCredentials: input.withdrawalCredentials, amount: input.amount });
  return computeSigningRoot(root, domain);
};

/** The signing roots of every deposit of the definition, for the given validator keys (48 bytes each). */
export function depositSigningRoots(def: Definition, pubkeys: readonly Uint8Array[], rootFn: DepositRootFn = ethDepositSigningRoot): Uint8Array[] {
  return def.deposits.map((d) =>
    abytes(
      rootFn({ pubkey: pubkeys[d.validator]!, withdrawalCredentials: def.validators[d.validator]!.withdrawalCredentials, amount: d.amount, genesisForkVersion: def.forkVersion }),
      32,
      'depositSigningRoot',
    ),
  );
}

/** H(root) for every deposit with the POP DST (g2.ts; with the G2 signatures, the dominant cost of round 2). */
export function hashDeposits(roots: readonly Uint8Array[]): G2Point[] {
  return roots.map((r) => hashToG2Fast(r));
}

/** σ_d = s_{v(d)}·H_d for every deposit (constant-time G2 multiplication), compressed. */
export function signDeposits(def: Definition, shares: readonly bigint[], hashed: readonly G2Point[]): Uint8Array[] {
  return def.deposits.map((d, k) => encodeG2(signHashed(shares[d.validator]!, hashed[k]!)));
}

/**
 * True when every partial σ_{d,m} = s_{v(d),m}·H_d (up to 2^-64 over the weights). `partials[m][d]` is signer m's
 * partial for deposit d; `signers` their indices; `publicShares[v][m-1]` the public shares.
 */
export function partialsValid(def: Definition, hashed: readonly G2Point[], publicShares: readonly (readonly G1Point[])[], signers: readonly number[], partials: readonly (readonly G2Point[])[], rng: RandomBytes): boolean {
  const sigPoints: G2Point[] = [];
  const sigScalars: bigint[] = [];
  const terms: PairingTerm[] = def.deposits.map((d, k) => {
    const pts: G1Point[] = [];
    const ws: bigint[] = [];
    signers.forEach((m, s) => {
      const w = randomWeight(rng);
      pts.push(publicShares[d.validator]![m - 1]!);
      ws.push(w);
      sigPoints.push(partials[s]![k]!);
      sigScalars.push(w);
    });
    return { g1: msm(G1.ZERO, pts, ws), g2: hashed[k]! };
  });
  terms.push({ g1: g1Generator().negate(), g2: msm(G2.ZERO, sigPoints, sigScalars) });
  return pairingProductIsOne(terms);
}

/**
 * The deposits (0-based) whose partial by signer m is invalid: one batch for the signer, then per deposit.
 */
export function invalidPartialsOf(def: Definition, hashed: readonly G2Point[], publicShares: readonly (readonly G1Point[])[], m: number, partials: readonly G2Point[], rng: RandomBytes): number[] {
  if (partialsValid(def, hashed, publicShares, [m], [partials], rng)) return [];
  return def.deposits
    .map((d, k) => k)
    .filter((k) => {
      const d = def.deposits[k]!;
      return !pairingProductIsOne([
        { g1: publicShares[d.validator]![m - 1]!, g2: hashed[k]! },
        { g1: g1Generator().negate(), g2: partials[k]! },
      ]);
    });
}

/** Lagrange-combines, per deposit, the partials of the given t signers (any t valid ones give the same result). */
export function combineDeposits(signers: readonly number[], partials: readonly (readonly G2Point[])[], deposits: number): G2Point[] {
  const lambdas = lagrangeCoefficientsAtZero(signers.map(BigInt));
  const out: G2Point[] = [];
  for (let k = 0; k < deposits; k++) out.push(msm(G2.ZERO, partials.map((p) => p[k]!), lambdas));
  return out;
}

/**
 * True when every combined signature verifies under its validator key, in one pairing product (up to 2^-64); use
 * per-deposit checks (`signatureValid`) to find which fails.
 */
export function depositSignaturesValid(def: Definition, hashed: readonly G2Point[], pubkeys: readonly G1Point[], signatures: readonly G2Point[], rng: RandomBytes): boolean {
  const weights = def.deposits.map(() => randomWeight(rng));
  const terms: PairingTerm[] = def.deposits.map((d, k) => ({ g1: pubkeys[d.validator]!.multiplyUnsafe(weights[k]!), g2: hashed[k]! }));
  terms.push({ g1: g1Generator().negate(), g2: msm(G2.ZERO, signatures, weights) });
  return pairingProductIsOne(terms);
}

/** e(PK, H) = e(G, σ) for one deposit. */
export function signatureValid(pubkey: G1Point, hashed: G2Point, signature: G2Point): boolean {
  return pairingProductIsOne([
    { g1: pubkey, g2: hashed },
    { g1: g1Generator().negate(), g2: signature },
  ]);
}

/**
 * The deposit-data entries of the ceremony (staking-deposit-cli shape; src/eth/deposit-file.ts writes the file),
 * for signatures already verified.
 */
export function depositEntries(def: Definition, pubkeys: readonly Uint8Array[], signatures: readonly Uint8Array[]): DepositDataEntry[] {
  return def.deposits.map((d, k) => {
    const pubkey = Uint8Array.from(pubkeys[d.validator]!);
    const withdrawalCredentials = Uint8Array.from(def.validators[d.validator]!.withdrawalCredentials);
    const signature = Uint8Array.from(signatures[k]!);
    const message = { pubkey, withdrawalCredentials, amount: d.amount };
    return {
      ...message,
      signature,
      depositMessageRoot: depositMessageRoot(message),
      depositDataRoot: depositDataRoot({ ...message, signature }),
      forkVersion: Uint8Array.from(def.forkVersion),
      networkName: def.networkName,
      depositCliVersion: DEPOSIT_CLI_VERSION,
    };
  });
}
