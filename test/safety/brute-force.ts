/**
 * Brute-force oracles for the slashing-safety math (tests only). They enumerate every operator subset and every
 * share-level partition and use the definitions of design section 5 literally, not the formulas of the product
 * code (no 2t > n, no 2t - n - 1, no sorting): a failing property means the product code and the definition part.
 */

export interface BruteFigures {
  splitBrainSafe: boolean;
  operatorPartitionSafe: boolean;
  crashShares: number;
  crashOperators: number;
  crashDomains: number;
  byzantineShares: number | null;
  byzantineOperators: number | null;
  collusionOperators: number;
  singleOperatorCanSign: boolean;
}

const popcount = (x: number): number => {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
};

/** Sum of `w` over the set bits of `mask`. */
export function weightOf(mask: number, w: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) if (mask & (1 << i)) s += w[i]!;
  return s;
}

/**
 * Two sides, each reaching t, can be formed from the nodes outside the Byzantine set (`byz` nodes sign on both
 * sides). Every node is interchangeable at share level, so a share-level partition of the honest nodes is
 * determined by how many go to side a: all k in 0..honest are tried.
 */
function twoQuorums(n: number, t: number, byz: number): boolean {
  const honest = n - byz;
  for (let k = 0; k <= honest; k++) if (k + byz >= t && honest - k + byz >= t) return true;
  return false;
}

/** Largest f such that `ok` holds for every subset of exactly f of `count` items (masks). */
function largestAllOk(count: number, ok: (mask: number) => boolean): number {
  let best = 0;
  for (let f = 1; f <= count; f++) {
    let all = true;
    for (let mask = 0; mask < 1 << count && all; mask++) if (popcount(mask) === f && !ok(mask)) all = false;
    if (!all) break;
    best = f;
  }
  return best;
}

/** Every figure of design section 5 by enumeration; `domains[i]` undefined = operator i is its own domain. */
export function bruteFigures(w: readonly number[], t: number, domains?: readonly (string | undefined)[]): BruteFigures {
  const m = w.length;
  const n = w.reduce((s, x) => s + x, 0);
  const full = 1 << m;
  // Share level: any node partition (side a gets k nodes).
  const splitBrainSafe = !twoQuorums(n, t, 0);
  let crashShares = 0;
  while (crashShares + 1 <= n && n - (crashShares + 1) >= t) crashShares++;
  let byzantineShares: number | null = null;
  if (splitBrainSafe) {
    byzantineShares = 0;
    while (byzantineShares + 1 <= n && !twoQuorums(n, t, byzantineShares + 1)) byzantineShares++;
  }
  // Operator level: every operator subset.
  let operatorPartitionSafe = true;
  let collusionOperators = Infinity;
  for (let mask = 0; mask < full; mask++) {
    const s = weightOf(mask, w);
    if (s >= t && n - s >= t) operatorPartitionSafe = false;
    if (s >= t) collusionOperators = Math.min(collusionOperators, popcount(mask));
  }
  const crashOperators = largestAllOk(m, (mask) => n - weightOf(mask, w) >= t);
  // Byzantine operators: their nodes sign on both sides; the honest nodes split any way at share level.
  const byzantineOperators = splitBrainSafe ? largestAllOk(m, (mask) => !twoQuorums(n, t, weightOf(mask, w))) : null;
  // Failure domains: operators grouped; every domain subset.
  const keys = w.map((_, i) => (domains?.[i] === undefined ? `op:${i}` : `d:${domains[i]}`));
  const uniq = [...new Set(keys)];
  const dw = uniq.map((k) => w.reduce((s, x, i) => (keys[i] === k ? s + x : s), 0));
  const crashDomains = largestAllOk(uniq.length, (mask) => n - weightOf(mask, dw) >= t);
  return {
    splitBrainSafe,
    operatorPartitionSafe,
    crashShares,
    crashOperators,
    crashDomains,
    byzantineShares,
    byzantineOperators,
    collusionOperators,
    singleOperatorCanSign: w.some((x) => x >= t),
  };
}

/**
 * Node-level oracle for small n: every node is a separate item, every assignment of nodes to {Byzantine, side a,
 * side b} is enumerated (3^n), so not even node symmetry is assumed.
 */
export function bruteNodeLevel(n: number, t: number): { splitBrainSafe: boolean; byzantineShares: number | null } {
  let splitBrainSafe = true;
  for (let mask = 0; mask < 1 << n; mask++) if (popcount(mask) >= t && n - popcount(mask) >= t) splitBrainSafe = false;
  if (!splitBrainSafe) return { splitBrainSafe, byzantineShares: null };
  // unsafeAt[b]: some assignment with b Byzantine nodes yields two quorums.
  const unsafeAt = new Array<boolean>(n + 1).fill(false);
  const total = 3 ** n;
  for (let code = 0; code < total; code++) {
    let c = code;
    let byz = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const d = c % 3;
      c = (c - d) / 3;
      if (d === 0) byz++;
      else if (d === 1) a++;
      else b++;
    }
    if (a + byz >= t && b + byz >= t) unsafeAt[byz] = true;
  }
  let byzantineShares = 0;
  while (byzantineShares + 1 <= n && !unsafeAt[byzantineShares + 1]) byzantineShares++;
  return { splitBrainSafe, byzantineShares };
}

/** The planner's ordering key, written from the issue text: larger is better, compared left to right. */
export function bruteKey(f: BruteFigures, n: number): number[] {
  return [
    f.crashOperators,
    f.crashShares,
    f.collusionOperators,
    f.byzantineOperators ?? -1,
    f.byzantineShares ?? -1,
    -n,
  ];
}

export function cmpKey(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
