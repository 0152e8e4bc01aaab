/**
 * Products of pairings, checked against 1 in GT, for points we have already validated.
 *
 * noble's `pairingBatch` re-runs `assertValidity()` (a subgroup check) on every input point. Every point reaching
 * this module was decoded strictly (group.ts) or computed from such points, so we go straight to noble's
 * `millerLoopBatch`. Identity terms contribute 1 to the product and are skipped.
 *
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { G1Point, G2Point } from './group.js';

/** One pairing term e(g1, g2). */
export interface PairingTerm {
  readonly g1: G1Point;
  readonly g2: G2Point;
}

/** True when Π e(g1_i, g2_i) = 1 in GT. The points must be valid subgroup elements (not re-checked). */
export function pairingProductIsOne(terms: readonly PairingTerm[]): boolean {
  const prepared: Parameters<typeof bls12_381.millerLoopBatch>[0] = [];
  for (const { g1, g2 } of terms) {
    if (g1.is0() || g2.is0()) continue;
    const { x, y } = g1.toAffine();
    prepared.push([bls12_381.utils.calcPairingPrecomputes(g2), x, y]);
  }
  const Fp12 = bls12_381.fields.Fp12;
  if (prepared.length === 0) return true;
  return Fp12.eql(Fp12.finalExponentiate(bls12_381.millerLoopBatch(prepared)), Fp12.ONE);
}
