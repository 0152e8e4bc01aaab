/**
 * The attacker of the issue-12 leak tests: the coordinator (who sees every message, complaint, abort report and any
 * state an operator exports) plus colluding dealers. It harvests every byte string it sees and tries each as a key to
 * the ciphertexts of a transcript: 32-byte strings as a recipient's encryption secret d_j (checked against the
 * enrolled D_j) or as a dealer's ephemeral secret e_j (checked against E_j), 33-byte strings as ECDH points (and
 * simple multiples of them). Then it tries to rebuild each validator key from the shares
 * it opened plus the colluders' own output shares.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Fr, R as ORDER } from '../../src/bls/field.js';
import { mulBaseSecret } from '../../src/bls/group.js';
import { bytesToBigintBE, hexToBytes } from '../../src/bytes.js';
import { parseDefinition, type Definition } from '../../src/dkg/definition.js';
import { parseCollected, type Round1 } from '../../src/dkg/messages.js';
import * as shares from '../../src/dkg/shares.js';

/** Every 0x-hex string of 32 or 33 bytes anywhere in `values`. */
export function harvest(values: readonly unknown[]): { scalars: Uint8Array[]; points: Uint8Array[] } {
  const scalars = new Map<string, Uint8Array>();
  const points = new Map<string, Uint8Array>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^0x[0-9a-f]+$/.test(v)) {
      const b = hexToBytes(v, 'seen');
      if (b.length === 32) scalars.set(v, b);
      if (b.length === 33) points.set(v, b);
      // long strings (ciphertexts, signatures) may embed a secret: every aligned 32-byte window is tried too
      if (b.length > 33) for (let o = 0; o + 32 <= b.length; o += 32) scalars.set(`${v}@${o}`, b.slice(o, o + 32));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return { scalars: [...scalars.values()], points: [...points.values()] };
}

/** The encryption secrets among `scalars` that match an enrolled key, by participant index. */
export function revealedSecrets(def: Definition, scalars: readonly Uint8Array[]): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const s of scalars) {
    const d = bytesToBigintBE(s);
    if (d === 0n || d >= secp256k1.Point.Fn.ORDER) continue;
    const D = bytesToHex(secp256k1.getPublicKey(s, true));
    for (const p of def.participants) if (bytesToHex(p.encKey) === D) out.set(p.index, s);
  }
  return out;
}

/** Opens ct_{dealer→recipient} with whatever the attacker has; undefined when nothing opens it. */
export type Opener = (def: Definition, m: Round1, recipient: number, harvested: { scalars: Uint8Array[]; points: Uint8Array[] }) => bigint[] | undefined;

/** The d_j path: a revealed encryption secret of the recipient opens every ciphertext to it. */
export const openWithSecret: Opener = (def, m, recipient, h) => {
  const d = revealedSecrets(def, h.scalars).get(recipient);
  if (d === undefined) return undefined;
  const opened = shares.openBundle(def, m, recipient, d);
  return opened.ok ? opened.values : undefined;
};

/**
 * The ECDH-point path: every harvested 33-byte point is tried as P_{dealer,recipient} (what a complaint reveals), and
 * as the multiple c⁻¹·P for c = 2 and c = n − 1 (a dealer that scaled another's key), on every ciphertext.
 */
export const openWithPoint: Opener = (def, m, recipient, h) => {
  if (m.index === recipient) return undefined;
  for (const p of h.points) {
    let candidates: Uint8Array[];
    try {
      const P = secp256k1.Point.fromBytes(p);
      const half = secp256k1.Point.Fn.inv(2n);
      candidates = [p, P.multiply(half).toBytes(true), P.negate().toBytes(true)];
    } catch {
      continue;
    }
    for (const c of candidates) {
      const opened = shares.openBundleWithShared(def, m, recipient, c);
      if (opened.ok) return opened.values;
    }
  }
  return undefined;
};

/** The ephemeral path: a harvested 32-byte string that is the dealer's ephemeral secret e (e·G = E) opens all it sent. */
export const openWithEphemeral: Opener = (def, m, recipient, h) => {
  if (m.index === recipient) return undefined;
  const E = bytesToHex(m.ephemeralKey);
  for (const s of h.scalars) {
    const e = bytesToBigintBE(s);
    if (e === 0n || e >= secp256k1.Point.Fn.ORDER || bytesToHex(secp256k1.getPublicKey(s, true)) !== E) continue;
    const opened = shares.openBundleWithShared(def, m, recipient, secp256k1.getSharedSecret(s, def.participants[recipient - 1]!.encKey, true));
    if (opened.ok) return opened.values;
  }
  return undefined;
};

/** Result of one key-rebuild attempt. */
export interface Attack {
  /** (dealer, recipient) pairs whose ciphertext the attacker opened. */
  readonly opened: readonly [number, number][];
  /** Per validator: did the rebuilt key equal the validator key? */
  readonly rebuilt: readonly boolean[];
}

/**
 * Tries to rebuild every validator key of the transcript `collected` from the harvest plus the colluders' own
 * output shares (`colluderShares[i]` = participant i's V shares, as bigints).
 */
export function attack(definition: unknown, collected: unknown, seen: readonly unknown[], colluderShares: ReadonlyMap<number, readonly bigint[]>, pubkeys: readonly Uint8Array[], openers: readonly Opener[]): Attack {
  const def = parseDefinition(definition);
  const round1 = parseCollected(collected, def).round1;
  const h = harvest(seen);
  const opened: [number, number][] = [];
  const known = new Map<number, bigint[]>(colluderShares.entries() as Iterable<[number, bigint[]]>);
  for (let recipient = 1; recipient <= def.n; recipient++) {
    if (known.has(recipient)) continue;
    const total = new Array<bigint>(def.V).fill(0n);
    let all = true;
    for (const m of round1) {
      let values: bigint[] | undefined;
      for (const o of openers) values ??= o(def, m, recipient, h);
      if (values === undefined) {
        all = false;
        continue;
      }
      opened.push([m.index, recipient]);
      values.forEach((x, v) => (total[v] = Fr.add(total[v]!, x)));
    }
    if (all) known.set(recipient, total);
  }
  const ids = [...known.keys()].slice(0, def.t);
  const rebuilt = pubkeys.map((pk, v) => {
    if (ids.length < def.t) return false;
    let sk = 0n;
    for (const i of ids) {
      let num = 1n;
      let den = 1n;
      for (const j of ids) if (j !== i) {
        num = Fr.mul(num, BigInt(j));
        den = Fr.mul(den, Fr.sub(BigInt(j), BigInt(i)));
      }
      sk = Fr.add(sk, Fr.mul(known.get(i)![v]!, Fr.div(num, den)));
    }
    return sk !== 0n && sk < ORDER && bytesToHex(mulBaseSecret(sk).toBytes(true)) === bytesToHex(pk);
  });
  return { opened, rebuilt };
}

/** Every way the attacker knows to open a ciphertext. */
export const openers: readonly Opener[] = [openWithSecret, openWithEphemeral, openWithPoint];
