/**
 * Multi-scalar multiplication Σ k_i·P_i over public points and public scalars (verification only; never secrets).
 *
 * noble's `mulAddUnsafe` (interleaved wNAF) beats `pippenger` up to about 50 points on BLS12-381
 * (research/perf-baseline.md); above that we switch to `pippenger`.
 *
 * @module
 */
import { mulAddUnsafe, pippenger } from '@noble/curves/abstract/curve.js';
import { Fr } from './field.js';
import { G1, G2, type G1Point, type G2Point } from './group.js';

const PIPPENGER_FROM = 50;

/** Σ k_i·P_i in G1 (variable time: public data only). Scalars are reduced mod r. */
export function msmG1(points: readonly G1Point[], scalars: readonly bigint[]): G1Point {
  const ks = scalars.map((k) => Fr.create(k));
  return points.length >= PIPPENGER_FROM ? pippenger(G1, [...points], ks) : mulAddUnsafe(G1, [...points], ks);
}

/** Σ k_i·P_i in G2 (variable time: public data only). Scalars are reduced mod r. */
export function msmG2(points: readonly G2Point[], scalars: readonly bigint[]): G2Point {
  const ks = scalars.map((k) => Fr.create(k));
  return points.length >= PIPPENGER_FROM ? pippenger(G2, [...points], ks) : mulAddUnsafe(G2, [...points], ks);
}
