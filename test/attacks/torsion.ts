/** Shared by the torsion attacks (a06): a point of order 3 on E(Fp), outside G1 (the same construction as a01). */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { Fr } from '../../src/bls/field.js';
import { G1 } from '../../src/bls/group.js';

/** The BLS12-381 G1 cofactor h (E(Fp) has order h·r; 3 divides h). */
const H1 = 0x396c8c005555e1568c00aaab0000aaabn;
const Fp = bls12_381.fields.Fp;
type Pt = ReturnType<typeof G1.fromAffine>;

/** k·p by double-and-add, valid for any point of E(Fp) (no endomorphism, no reduction mod r). */
function mulPlain(p: Pt, k: bigint): Pt {
  let acc = G1.ZERO;
  for (let i = BigInt(k.toString(2).length) - 1n; i >= 0n; i--) {
    acc = acc.double();
    if ((k >> i) & 1n) acc = acc.add(p);
  }
  return acc;
}

/** A point of order exactly 3: (h/3)·(r·P) for the first curve point P (by x) where that is not O. */
export function orderThreePoint(): Pt {
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(rhs);
    } catch {
      continue;
    }
    if (Fp.sqr(y) !== rhs) continue;
    const t = mulPlain(mulPlain(G1.fromAffine({ x, y }), Fr.ORDER), H1 / 3n);
    if (!t.is0() && t.add(t).add(t).is0()) return t;
  }
}
