/**
 * Polynomials over Fr: random sharing polynomials, Horner evaluation and Lagrange coefficients at zero.
 *
 * Shamir, "How to share a secret" (CACM 1979): a degree t-1 polynomial f with f(0) = secret; any t points
 * determine f, and t-1 points are consistent with every possible secret.
 *
 * @module
 */
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { Fr, batchInvert, randomScalar } from '../bls/field.js';

/** Coefficients a_0..a_{t-1} of f(x) = Σ a_j x^j, constant term first. */
export type Coefficients = bigint[];

/**
 * A random polynomial of degree exactly `degree` with constant term `constant`: every other coefficient is a
 * uniformly random nonzero scalar from the CSPRNG (nonzero leading coefficient, so exactly t shares are needed).
 */
export function randomPolynomial(constant: bigint, degree: number, rng: RandomBytes = systemRandomBytes): Coefficients {
  const coeffs: Coefficients = [Fr.create(constant)];
  for (let j = 1; j <= degree; j++) coeffs.push(randomScalar(rng));
  return coeffs;
}

/** f(x) by Horner's rule, modulo r. */
export function evaluatePolynomial(coeffs: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let j = coeffs.length - 1; j >= 0; j--) acc = Fr.add(Fr.mul(acc, x), coeffs[j]!);
  return acc;
}

/**
 * Lagrange coefficients at zero for distinct nonzero x-coordinates: λ_i = Π_{j≠i} x_j / (x_j − x_i), so that
 * f(0) = Σ λ_i f(x_i) for every polynomial of degree below `xs.length`. One batched inversion.
 * The caller guarantees distinct nonzero ids (see ids.ts).
 */
export function lagrangeCoefficientsAtZero(xs: readonly bigint[]): bigint[] {
  const num: bigint[] = [];
  const den: bigint[] = [];
  for (let i = 0; i < xs.length; i++) {
    let n = 1n;
    let d = 1n;
    for (let j = 0; j < xs.length; j++) {
      if (j === i) continue;
      n = Fr.mul(n, xs[j]!);
      d = Fr.mul(d, Fr.sub(xs[j]!, xs[i]!));
    }
    num.push(n);
    den.push(d);
  }
  const inv = batchInvert(den);
  return num.map((n, i) => Fr.mul(n, inv[i]!));
}

/** Σ λ_i y_i: the value at zero of the polynomial of degree below `xs.length` through (x_i, y_i). */
export function interpolateAtZero(xs: readonly bigint[], ys: readonly bigint[]): bigint {
  const lambdas = lagrangeCoefficientsAtZero(xs);
  let acc = 0n;
  for (let i = 0; i < xs.length; i++) acc = Fr.add(acc, Fr.mul(lambdas[i]!, ys[i]!));
  return acc;
}

/** Drops the coefficient values (bigints cannot be wiped in JS; docs/js-limits.md). */
export function clearPolynomial(coeffs: Coefficients): void {
  coeffs.fill(0n);
}
