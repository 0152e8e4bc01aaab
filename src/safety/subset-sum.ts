/**
 * Subset sums over small integer weights (share counts), for the operator-partition check of design section 5.
 * O(items × total) time and O(total) memory, with a witness subset rebuilt from first-reach pointers.
 *
 * @module
 */

/** Which sums 0..total some subset of `weights` reaches, with the pointers to rebuild one such subset. */
export interface SubsetSums {
  /** reachedBy[s] is -1 when no subset sums to s; else the largest item index of the first subset found. */
  readonly reachedBy: Int32Array;
}

/**
 * Computes every reachable subset sum of `weights` (positive integers summing to at most `total`).
 * A 0/1 knapsack scanned from high sums to low, so each item is used at most once.
 */
export function subsetSums(weights: readonly number[], total: number): SubsetSums {
  const reachedBy = new Int32Array(total + 1).fill(-1);
  reachedBy[0] = weights.length; // the empty set; never followed
  weights.forEach((w, i) => {
    for (let s = total; s >= w; s--) {
      if (reachedBy[s] === -1 && reachedBy[s - w] !== -1) reachedBy[s] = i;
    }
  });
  return { reachedBy };
}

/**
 * The item indices (ascending) of a subset that sums to `sum`, or undefined when none does.
 * Follows the pointers: the item that first reached s was added to a sum reached by earlier items only, so the
 * indices strictly decrease and no item repeats.
 */
export function subsetWithSum(sums: SubsetSums, weights: readonly number[], sum: number): number[] | undefined {
  const { reachedBy } = sums;
  if (sum < 0 || sum >= reachedBy.length || reachedBy[sum] === -1) return undefined;
  const items: number[] = [];
  let s = sum;
  while (s > 0) {
    const i = reachedBy[s]!;
    items.push(i);
    s -= weights[i]!;
  }
  return items.reverse();
}
