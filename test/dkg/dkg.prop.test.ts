/**
 * Brief B10 properties 1-4 over random 2 <= t <= n <= 10, 1 <= V <= 4 and seeds (modest run counts: each run is a
 * whole ceremony): agreement, recombination of every t-subset (enumerated up to a cap, sampled above it), no
 * (t-1)-subset, the threshold deposit signature identical for every t-subset and accepted by the standard Ethereum
 * verifier, codec round trips, and recovery from host key + recovery data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScalar, encodeScalar } from '../../src/bls/field.js';
import { mulBaseSecret } from '../../src/bls/group.js';
import { sign, verify } from '../../src/bls/signature.js';
import { bytesToHex } from '../../src/bytes.js';
import { depositDataToJson, verifyDepositData } from '../../src/eth/deposit-file.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { ethDepositSigningRoot } from '../../src/dkg/deposit.js';
import { ackToJson, finalToJson, parseAck, parseCollected, parseFinal, parseRound1, round1ToJson, type AckJson } from '../../src/dkg/messages.js';
import { recover } from '../../src/dkg/recover.js';
import { parseState } from '../../src/dkg/state.js';
import { simulateDkg } from '../../src/dkg/simulate.js';
import { interpolateAtZero } from '../../src/sharing/polynomial.js';
import { aggregatePartials } from '../../src/sharing/threshold-signature.js';
import type { ShareIndex } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';

function subsets(n: number, k: number, cap: number, pick: () => number): number[][] {
  const all: number[][] = [];
  const rec = (start: number, acc: number[]): void => {
    if (all.length > cap) return;
    if (acc.length === k) {
      all.push([...acc]);
      return;
    }
    for (let i = start; i <= n; i++) rec(i + 1, [...acc, i]);
  };
  rec(1, []);
  if (all.length <= cap) return all;
  const out: number[][] = [];
  for (let s = 0; s < cap; s++) {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    for (let i = n - 1; i > 0; i--) {
      const j = pick() % (i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    out.push(ids.slice(0, k).sort((a, b) => a - b));
  }
  return out;
}

const params = fc
  .record({ n: fc.integer({ min: 2, max: 10 }), V: fc.integer({ min: 1, max: 4 }), seed: fc.string({ minLength: 1, maxLength: 8 }), tFrac: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ n, V, seed, tFrac }) => ({ n, V, seed, t: 2 + Math.min(n - 2, Math.floor(tFrac * (n - 1))) }));

describe('DKG properties', () => {
  it('agreement, recombination, deposits, codecs and recovery', () => {
    fc.assert(
      fc.property(params, ({ n, t, V, seed }) => {
        const rng = insecureTestRng(`prop/${seed}`);
        const r = simulateDkg({ n, t, V, rng });
        expect(r.ok).toBe(true);
        const outputs = r.outputs.map((o) => o!);
        const first = outputs[0]!;
        const def = parseDefinition(r.definition);
        // agreement
        for (const o of outputs) {
          expect(o.transcriptHash).toBe(first.transcriptHash);
          o.validators.forEach((v, k) => {
            expect(bytesToHex(v.pubkey)).toBe(bytesToHex(first.validators[k]!.pubkey));
            expect(v.publicShares.map((y) => bytesToHex(y.publicKey))).toEqual(first.validators[k]!.publicShares.map((y) => bytesToHex(y.publicKey)));
            expect(v.commitments.map((c) => bytesToHex(c))).toEqual(first.validators[k]!.commitments.map((c) => bytesToHex(c)));
            // s_{v,i}·G = Y_{v,i}
            expect(bytesToHex(mulBaseSecret(decodeScalar(v.share.secret, 'share')).toBytes())).toBe(bytesToHex(v.publicShares[o.index - 1]!.publicKey));
          });
        }
        const pick = (): number => rng(1)[0]!;
        const acks = r.round2.map((m) => parseAck(m as AckJson));
        for (let v = 0; v < V; v++) {
          const pk = first.validators[v]!.pubkey;
          const shares = outputs.map((o) => decodeScalar(o.validators[v]!.share.secret, 'share'));
          // every t-subset recombines to the key; no (t-1)-subset does
          let sk = 0n;
          for (const s of subsets(n, t, 60, pick)) {
            const key = interpolateAtZero(s.map((i) => BigInt(i) as ShareIndex), s.map((i) => shares[i - 1]!));
            if (sk === 0n) sk = key;
            expect(key).toBe(sk);
          }
          expect(bytesToHex(mulBaseSecret(sk).toBytes())).toBe(bytesToHex(pk));
          for (const s of subsets(n, t - 1, 5, pick)) {
            const key = interpolateAtZero(s.map((i) => BigInt(i) as ShareIndex), s.map((i) => shares[i - 1]!));
            expect(key).not.toBe(sk);
          }
          // the deposit signature: identical for every t-subset, the single-key signature, standard verifier
          def.deposits.forEach((d, k) => {
            if (d.validator !== v) return;
            const root = ethDepositSigningRoot({ pubkey: pk, withdrawalCredentials: def.validators[v]!.withdrawalCredentials, amount: d.amount, genesisForkVersion: def.forkVersion });
            const combined = parseFinal(r.final).depositSignatures[k]!;
            for (const s of subsets(n, t, 4, pick)) {
              const sig = aggregatePartials(s.map((i) => ({ id: BigInt(i) as ShareIndex, signature: acks[i - 1]!.depositPartials[k]! })));
              expect(bytesToHex(sig)).toBe(bytesToHex(combined));
            }
            expect(verify(pk, root, combined)).toBe(true);
            expect(bytesToHex(sign(encodeScalar(sk), root))).toBe(bytesToHex(combined));
          });
        }
        // deposit data as the deposit CLIs write it verifies with src/eth (roots and signatures)
        const entries = outputs[0]!.validators.flatMap((v) => v.deposits);
        expect(verifyDepositData(depositDataToJson(entries), { network: 'mainnet' })).toHaveLength(def.deposits.length);
        // codecs: decode(encode(x)) = x for every message and state
        for (const m of r.round1) expect(round1ToJson(parseRound1(m))).toEqual(m);
        expect(parseCollected(r.collected[0]).round1.map(round1ToJson)).toEqual(r.collected[0]!.round1);
        for (const m of r.round2) expect(ackToJson(parseAck(m))).toEqual(m);
        expect(finalToJson(parseFinal(r.final))).toEqual(r.final);
        expect(parseDefinition(structuredClone(r.definition)).json).toEqual(r.definition);
        for (const s of r.states) expect(parseState(structuredClone(s)).json).toEqual(s);
        // recovery from host key + recovery data gives the identical output
        const i = 1 + (pick() % n);
        const rebuilt = recover(r.hostSecretKeys[i - 1]!, structuredClone(r.recovery), { rng });
        const mine = outputs[i - 1]!;
        expect(rebuilt.transcriptHash).toBe(mine.transcriptHash);
        rebuilt.validators.forEach((v, k) => {
          const w = mine.validators[k]!;
          expect(bytesToHex(v.share.secret)).toBe(bytesToHex(w.share.secret));
          expect(v.share.id).toBe(w.share.id);
          expect(bytesToHex(v.pubkey)).toBe(bytesToHex(w.pubkey));
          expect(v.publicShares.map((y) => bytesToHex(y.publicKey))).toEqual(w.publicShares.map((y) => bytesToHex(y.publicKey)));
          expect(v.deposits.map((e) => bytesToHex(e.depositDataRoot))).toEqual(w.deposits.map((e) => bytesToHex(e.depositDataRoot)));
        });
      }),
      { numRuns: 10 },
    );
    // ten whole ceremonies up to n = 10, V = 4: about 60 s on a quiet 2-core machine, 3x that under CI load
  }, 300_000);
});
