/**
 * Attack a05 (key rebuild): the coordinator plus t − 1 colluding operators try paths to an honest operator's shares
 * that test/dkg/leak-paths.test.ts and leak.prop.test.ts do not take. Each harvests everything it sees (messages,
 * collected round 1, complaints, abort reports, states, verdicts, evidence) and tries it with test/dkg/attacker.ts
 * (secrets, ephemeral secrets, ECDH points and multiples), plus the algebra of each path; every attempt asserts that
 * the rebuilt key is not the validator key and that no ciphertext of an honest dealer opens.
 *
 * 1. Two colluders prove knowledge of ONE ephemeral secret (E_2 = E_3, each proof bound to its own index) and both
 *    cheat participant 1, whose complaint then holds two DLEQ proofs for the same (D_1, E, P): a nonce reused across
 *    them would give d_1 = (s − s')/(e − e').
 * 2. A colluder's ephemeral key chosen from another party's key: E_c = D_c (its own enrolled key), E_c = G.
 * 3. A colluder enrolls an encryption key that is a function of the honest operator's (D_c = −D_1, D_c = 2·D_1):
 *    enrollments carry no proof of possession.
 * 4. One draft, two definitions (the colluder enrolls twice, so the honest operator's d_1 is the same in both
 *    ceremonies); the honest operator complains in both: DLEQ proofs under one d_1 in two ceremonies.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { Fr } from '../../src/bls/field.js';
import { bytesToBigintBE, concatBytes, hexToBytes } from '../../src/bytes.js';
import { hex } from '../../src/dkg/codec.js';
import {
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  enroll,
  generateHostSecretKey,
  hostPublicKey,
  processRound1,
  startRound1,
  type CeremonyDefinitionJson,
  type ComplaintJson,
} from '../../src/dkg/index.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { dealRound1, dealerSeed, type DealHooks } from '../../src/dkg/deal.js';
import { deriveEncryptionSecret, deriveEphemeralSecret, encryptionPublicKey } from '../../src/dkg/encryption.js';
import { proveDleq, proveEphemeral } from '../../src/dkg/dleq.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { parseCollected, round1ToJson } from '../../src/dkg/messages.js';
import { parseDraftObject } from '../../src/dkg/draft.js';
import { hostSign } from '../../src/dkg/host-key.js';
import { TAGS } from '../../src/dkg/constants.js';
import { attack, harvest, openers } from '../dkg/attacker.js';
import { insecureTestRng } from '../helpers/rng.js';

type Rng = (n: number) => Uint8Array;
const N = secp256k1.Point.Fn.ORDER;
const WC = `0x01${'00'.repeat(11)}${'11'.repeat(20)}`;

function draftOf(keys: readonly Uint8Array[], t: number, rng: Rng) {
  return createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: t,
    operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
    validators: [{ withdrawalCredentials: WC, amounts: ['32000000000'] }],
    rng,
  });
}

/** A colluder's enrollment of an encryption key of its choice (it signs draftHash || D || salt; no proof of d). */
function enrollmentSignatureFor(draft: unknown, hostSecretKey: Uint8Array, encKey: Uint8Array, salt: Uint8Array) {
  const d = parseDraftObject(draft);
  const signature = hostSign(hostSecretKey, TAGS.enroll, concatBytes(d.hash, encKey, salt), new Uint8Array(32).fill(9));
  return { format: 'dvkeys/dkg-enrollment', version: 1, draftHash: hex(d.hash), hostPublicKey: hex(hostPublicKey(hostSecretKey)), encryptionPublicKey: hex(encKey), salt: hex(salt), signature: hex(signature) };
}

/** Tries every pair of DLEQ proofs in the complaints for a shared nonce: d = (s − s')/(e − e'), checked against D. */
function extractFromProofs(complaints: readonly ComplaintJson[], encKey: Uint8Array): boolean {
  const proofs = complaints.flatMap((c) => c.accusations.flatMap((a) => (a.dleqProof === undefined ? [] : [hexToBytes(a.dleqProof, 'p', { length: 64, prefix: 'required' })])));
  const D = secp256k1.Point.fromBytes(encKey);
  for (const [x, p] of proofs.entries()) {
    for (const q of proofs.slice(x + 1)) {
      const [e1, s1, e2, s2] = [p.subarray(0, 32), p.subarray(32), q.subarray(0, 32), q.subarray(32)].map(bytesToBigintBE) as [bigint, bigint, bigint, bigint];
      if (e1 === e2) continue;
      const d = (((s1 - s2) % N) + N) % N * secp256k1.Point.Fn.inv((((e1 - e2) % N) + N) % N) % N;
      if (d !== 0n && secp256k1.Point.BASE.multiply(d).equals(D)) return true;
    }
  }
  return false;
}

/** Runs round 1 (with per-dealer hooks), collect, round 2 and collect 2; everything the coordinator sees. */
function runAttempt(definition: CeremonyDefinitionJson, keys: readonly Uint8Array[], hooks: ReadonlyMap<number, DealHooks>, rng: Rng, randoms?: readonly Uint8Array[]) {
  const r1 = keys.map((k, i) => startRound1WithHooks(definition, k, { rng, ...(randoms === undefined ? {} : { random: randoms[i]! }) }, hooks.get(i + 1) ?? {}));
  const c = collectRound1(definition, r1.map((r) => r.message));
  if (!c.ok) throw new Error('collect 1');
  const answers = r1.map((r, i) => processRound1(r.state, keys[i]!, c.message, { rng }));
  const c2 = collectRound2(definition, c.message, answers.map((a) => a.message), { rng });
  const seen: unknown[] = [definition, ...r1.map((r) => r.message), ...r1.map((r) => r.state), c.message, c2.ok ? c2.message : c2.abort];
  for (const a of answers) seen.push(a.state, a.message, ...(a.ok ? [] : [a.verdict, a.evidence]));
  const complaints = answers.flatMap((a) => (!a.ok && a.message !== undefined ? [a.message] : []));
  return { collected: c.message, seen, complaints, answers };
}

/** No ciphertext of an honest dealer opens with anything in `seen` (attacker.ts openers). */
function honestCiphertextsOpened(definition: CeremonyDefinitionJson, collected: unknown, seen: readonly unknown[], honest: readonly number[]): string[] {
  const def = parseDefinition(definition);
  const h = harvest(seen);
  const out: string[] = [];
  for (const m of parseCollected(collected, def).round1) {
    if (!honest.includes(m.index)) continue;
    for (let r = 1; r <= def.n; r++) for (const o of openers) if (o(def, m, r, h) !== undefined) out.push(`${m.index}->${r}`);
  }
  return out;
}

const wrongShareTo = (victim: number): DealHooks => ({ share: (j, _v, s) => (j === victim ? Fr.add(s, 1n) : s) });

describe('a05: key rebuild by the coordinator and t − 1 colluders', () => {
  it('1. two colluders with one ephemeral secret: two DLEQ proofs for one (D_1, E, P) share no nonce; nothing honest opens', () => {
    const rng = insecureTestRng('a05/shared-ephemeral');
    const keys = Array.from({ length: 4 }, () => generateHostSecretKey(rng));
    const draft = draftOf(keys, 3, rng);
    const definition = defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng })));
    const def = parseDefinition(definition);
    const randoms = keys.map(() => rng(32));
    // colluder 3 uses colluder 2's ephemeral secret with its own valid proof (bound to index 3)
    const seed2 = dealerSeed(keys[1]!, randoms[1]!, def.id);
    const e2 = deriveEphemeralSecret(seed2);
    const E2 = encryptionPublicKey(e2);
    const proof3 = proveEphemeral(e2, { ceremonyId: def.id, dealer: 3, key: E2 }, rng(32));
    const hooks = new Map<number, DealHooks>([
      [2, wrongShareTo(1)],
      [3, { content: (c) => ({ ...c, ephemeralKey: E2, ephemeralProof: proof3 }) }],
    ]);
    const run = runAttempt(definition, keys, hooks, rng, randoms);
    const c1 = run.complaints.find((c) => c.index === 1);
    expect(c1?.accusations.map((a) => [a.accused, a.ecdhPoint === undefined ? 'public' : 'private'])).toEqual([
      [2, 'private'],
      [3, 'private'],
    ]);
    expect(c1!.accusations[0]!.ecdhPoint).toBe(c1!.accusations[1]!.ecdhPoint); // the same P twice
    expect(extractFromProofs(run.complaints, def.participants[0]!.encKey)).toBe(false);
    expect(honestCiphertextsOpened(definition, run.collected, run.seen, [1, 4])).toEqual([]);
    // a repeated aux (a broken or replayed RNG) for the two accusations: before the fix in dleq.ts the nonce ignored
    // (prover, other, ceremony), so this pair revealed d_1; now the nonce binds the whole statement
    const d1 = deriveEncryptionSecret(keys[0]!, def.attemptNonce, def.participants[0]!.salt);
    const P = hexToBytes(c1!.accusations[0]!.ecdhPoint!, 'P', { length: 33, prefix: 'required' });
    const aux = new Uint8Array(32).fill(3);
    const st = (other: number) => ({ ceremonyId: def.id, prover: 1, other, proverKey: def.participants[0]!.encKey, otherKey: E2, point: P });
    const reused = [2, 3].map((other) => ({ ...c1!, accusations: [{ accused: other, fault: 'invalid-share' as const, ecdhPoint: hex(P), dleqProof: hex(proveDleq(d1, st(other), aux)) }] }));
    expect(extractFromProofs(reused, def.participants[0]!.encKey)).toBe(false);
  });

  it('2. a colluder whose ephemeral key is its own enrolled key or the generator: the revealed point opens nothing honest', () => {
    const rng = insecureTestRng('a05/chosen-ephemeral');
    const keys = Array.from({ length: 3 }, () => generateHostSecretKey(rng));
    const draft = draftOf(keys, 2, rng);
    const definition = defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng })));
    const def = parseDefinition(definition);
    const d2 = deriveEncryptionSecret(keys[1]!, def.attemptNonce, def.participants[1]!.salt);
    const one = new Uint8Array(32);
    one[31] = 1;
    for (const e of [d2, one]) {
      const E = encryptionPublicKey(e);
      const proof = proveEphemeral(e, { ceremonyId: def.id, dealer: 2, key: E }, rng(32));
      const run = runAttempt(definition, keys, new Map([[2, { content: (c) => ({ ...c, ephemeralKey: E, ephemeralProof: proof }) }]]), rng);
      expect(run.complaints.map((c) => c.index).sort()).toEqual([1, 3]); // both honest recipients complain (undecryptable)
      expect(honestCiphertextsOpened(definition, run.collected, run.seen, [1, 3])).toEqual([]);
    }
  });

  it('3. a colluder enrolling D_c = −D_1 or 2·D_1 (no proof of possession): nothing honest opens, the key is not rebuilt', () => {
    const rng = insecureTestRng('a05/related-enrollment');
    const keys = Array.from({ length: 3 }, () => generateHostSecretKey(rng));
    const draft = draftOf(keys, 2, rng);
    const honest = [enroll(draft, keys[0]!, { rng }), enroll(draft, keys[2]!, { rng })];
    const D1 = secp256k1.Point.fromBytes(hexToBytes(honest[0]!.encryptionPublicKey, 'D1', { length: 33, prefix: 'required' }));
    for (const related of [D1.negate(), D1.double()]) {
      const forged = enrollmentSignatureFor(draft, keys[1]!, related.toBytes(true), rng(32));
      const definition = defineCeremony(draft, [honest[0], forged, honest[1]]);
      // colluder 2 cannot open what it is sent (it does not know its d_2); it deals participant 1 a wrong share
      // (startRound1 refuses a definition whose key for it its host key does not derive: the colluder deals directly)
      const evil = round1ToJson(dealRound1(parseDefinition(definition), 2, keys[1]!, rng(32), wrongShareTo(1)).message);
      const r1 = [startRound1(definition, keys[0]!, { rng }), { message: evil, state: undefined }, startRound1(definition, keys[2]!, { rng })];
      const c = collectRound1(definition, r1.map((r) => r.message));
      if (!c.ok) throw new Error('collect');
      const seen: unknown[] = [definition, c.message, ...r1.map((r) => r.state)];
      for (const i of [0, 2]) {
        const a = processRound1(r1[i]!.state, keys[i]!, c.message, { rng });
        seen.push(a.state, a.message, ...(a.ok ? [] : [a.verdict, a.evidence]));
      }
      expect(honestCiphertextsOpened(definition, c.message, seen, [1, 3])).toEqual([]);
      const a = attack(definition, c.message, seen, new Map(), [], openers);
      expect(a.opened.filter(([dealer]) => dealer !== 2)).toEqual([]);
    }
  });

  it('4. one draft, two definitions (d_1 the same in both): complaints in both ceremonies share no DLEQ nonce; nothing honest opens', () => {
    const rng = insecureTestRng('a05/two-definitions');
    const keys = Array.from({ length: 3 }, () => generateHostSecretKey(rng));
    const draft = draftOf(keys, 2, rng);
    const e1 = enroll(draft, keys[0]!, { rng });
    const e3 = enroll(draft, keys[2]!, { rng });
    const defs = [defineCeremony(draft, [e1, enroll(draft, keys[1]!, { rng }), e3]), defineCeremony(draft, [e1, enroll(draft, keys[1]!, { rng }), e3])];
    expect(parseDefinition(defs[0]).idHex).not.toBe(parseDefinition(defs[1]).idHex);
    const runs = defs.map((d) => runAttempt(d, keys, new Map([[2, wrongShareTo(1)]]), rng));
    const complaints = runs.flatMap((r) => r.complaints);
    expect(complaints.filter((c) => c.index === 1)).toHaveLength(2);
    expect(extractFromProofs(complaints, parseDefinition(defs[0]).participants[0]!.encKey)).toBe(false);
    const seen = runs.flatMap((r) => r.seen);
    runs.forEach((r, k) => expect(honestCiphertextsOpened(defs[k]!, r.collected, seen, [1, 3])).toEqual([]));
  });
});
