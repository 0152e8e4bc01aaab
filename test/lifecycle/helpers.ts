/** Shared fixtures of the lifecycle tests: a cluster of V validators split t-of-n with a deterministic RNG. */
import { expect } from 'vitest';
import { encodeScalar, randomScalar } from '../../src/bls/field.js';
import { isDvkeysError, type DvkeysError } from '../../src/errors.js';
import type { ValidatorPublicData } from '../../src/lifecycle/public-data.js';
import { split, type SplitResult } from '../../src/sharing/shamir.js';
import type { RandomBytes, SecretShare } from '../../src/types.js';

export interface Cluster {
  readonly keys: Uint8Array[];
  readonly splits: SplitResult[];
  readonly validators: ValidatorPublicData[];
  /** shares by id: [v] */
  readonly sharesById: Map<bigint, SecretShare[]>;
}

export function makeCluster(t: number, n: number, V: number, rng: RandomBytes, withCommitments = true): Cluster {
  const keys = Array.from({ length: V }, () => encodeScalar(randomScalar(rng)));
  const splits = keys.map((k) => split(k, { threshold: t, shares: n, rng }));
  const validators = splits.map((s) => ({
    groupPublicKey: s.groupPublicKey,
    publicShares: s.publicShares,
    ...(withCommitments ? { commitments: s.commitments } : {}),
  }));
  const sharesById = new Map<bigint, SecretShare[]>();
  for (let i = 0; i < n; i++) sharesById.set(BigInt(i + 1), splits.map((s) => s.shares[i]!));
  return { keys, splits, validators, sharesById };
}

/** The DvkeysError `fn` throws (fails the test if it throws something else or nothing). */
export function thrown(fn: () => unknown): DvkeysError {
  try {
    fn();
  } catch (e) {
    if (isDvkeysError(e)) return e;
    throw e;
  }
  expect.fail('expected a DvkeysError');
}

/** All k-subsets of 0..n-1. */
export function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < n; i++) rec(i + 1, [...acc, i]);
  };
  rec(0, []);
  return out;
}
