/**
 * Issue 2 targets: split + all recombination checks (design section 4) per validator for (t, n) = (3,4), (6,9),
 * (9,13), (43,64); and the batch-verification speedup for 100 partial signatures of one message.
 * Target: (6,9) under 120 ms per validator; checks grow linearly in n, not with C(n,t).
 */
import { randomScalar, encodeScalar } from '../src/bls/field.js';
import { g1Generator } from '../src/bls/group.js';
import { checkRecombination } from '../src/sharing/recombine.js';
import { split } from '../src/sharing/shamir.js';
import { findInvalidPartials, partialSign, verifyPartial } from '../src/sharing/threshold-signature.js';
import { report, time, type Row } from './lib.js';

g1Generator(); // build the base table once, outside the timings

const rows: Row[] = [];
for (const [t, n] of [
  [3, 4],
  [6, 9],
  [9, 13],
  [43, 64],
] as const) {
  const key = encodeScalar(randomScalar());
  let lastSplit = split(key, { threshold: t, shares: n });
  const tSplit = await time(() => {
    lastSplit = split(key, { threshold: t, shares: n });
  });
  const data = {
    threshold: t,
    groupPublicKey: lastSplit.groupPublicKey,
    commitments: lastSplit.commitments,
    publicShares: lastSplit.publicShares,
  };
  const tPublic = await time(() => {
    if (!checkRecombination(data).ok) throw new Error('check failed');
  });
  const tAll = await time(() => {
    if (!checkRecombination(data, { shares: lastSplit.shares }).ok) throw new Error('check failed');
  });
  rows.push({
    't-of-n': `${t}-of-${n}`,
    'split ms': tSplit.medianMs,
    'public checks ms': tPublic.medianMs,
    'all checks ms': tAll.medianMs,
    'split+checks ms': tSplit.medianMs + tAll.medianMs,
    'C(n,t) subsets': Number(binom(n, t)),
  });
}
report('sharing', 'Split + recombination checks per validator (median)', rows, { target: '(6,9) split+checks < 120 ms' });

// Batch verification: 100 partial signatures of one message
{
  const n = 100;
  const res = split(encodeScalar(randomScalar()), { threshold: 67, shares: n });
  const message = new TextEncoder().encode('batch');
  const partials = res.shares.map((s) => partialSign(s, message));
  const one = await time(() => {
    for (let i = 0; i < n; i++) if (!verifyPartial(res.publicShares[i]!, message, partials[i]!)) throw new Error('bad');
  }, 2, 0);
  const batch = await time(() => {
    if (findInvalidPartials(res.publicShares, message, partials).length !== 0) throw new Error('bad');
  }, 5);
  report('batch-verify', 'Verifying 100 partial signatures of one message (median)', [
    { method: 'one by one (verify each)', ms: one.medianMs },
    { method: 'random linear combination', ms: batch.medianMs },
    { method: 'speedup', ms: one.medianMs / batch.medianMs },
  ]);
}

function binom(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}
