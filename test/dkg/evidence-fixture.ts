/**
 * The ceremony of the evidence and blame tamper tests (evidence.test.ts, blame.test.ts; issue 19): n = 4, t = 3,
 * V = 2, where dealer 2 sends participant 1 a wrong share for validator 2, dealer 3's proof of knowledge for
 * validator 2 is validator 1's and its ciphertext to participant 4 is altered (then signed), and dealer 4's
 * commitment 2 of validator 2 is outside G1. X is the collected round 1 with those three dealers, H the honest one.
 */
import { Fr } from '../../src/bls/field.js';
import { hex } from '../../src/dkg/codec.js';
import { pointOutsideG1 } from '../../src/dkg/adversary.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { proveDleq } from '../../src/dkg/dleq.js';
import { deriveEncryptionSecret, sharedPoint } from '../../src/dkg/encryption.js';
import { collectRound1, createDraft, defineCeremony, enroll, generateHostSecretKey, hostPublicKey, startRound1, type CeremonyDefinitionJson, type CollectedJson, type EvidenceJson, type Round1Json } from '../../src/dkg/index.js';
import { complaintToJson, parseCollected, round1Digest, signComplaint, type ComplaintAccusation, type Round1 } from '../../src/dkg/messages.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { transcriptHash } from '../../src/dkg/transcript.js';
import { insecureTestRng } from '../helpers/rng.js';

export const rng = insecureTestRng('evidence.test');
export const N = 4;
export const keys = Array.from({ length: N }, () => generateHostSecretKey(rng));
const draft = createDraft({
  network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
  threshold: 3,
  operators: keys.map((k) => ({ hostPublicKey: hex(hostPublicKey(k)) })),
  validators: [1, 2].map((v) => ({ withdrawalCredentials: `0x01${'00'.repeat(11)}${String(v).repeat(40)}`, amounts: ['32000000000'] })),
  rng,
});
export const definition: CeremonyDefinitionJson = defineCeremony(draft, keys.map((k) => enroll(draft, k, { rng })));
export const def = parseDefinition(definition);
export const randoms = keys.map(() => rng(32));
export const honest = keys.map((k, i) => startRound1(definition, k, { random: randoms[i]! }));
let firstProof: Round1['validators'][number]['proof'] | undefined;
export const bad2 = startRound1WithHooks(definition, keys[1]!, { random: randoms[1]! }, { share: (j, v, s) => (j === 1 && v === 2 ? Fr.add(s, 1n) : s) }).message;
export const bad3 = startRound1WithHooks(definition, keys[2]!, { random: randoms[2]! }, {
  validator: (v, data) => {
    if (v === 1) firstProof = data.proof;
    return v === 2 ? { ...data, proof: firstProof! } : data;
  },
  ciphertext: (j, ct) => (j === 4 ? ct.map((b, k) => (k === ct.length - 1 ? b ^ 1 : b)) : ct),
}).message;
export const bad4 = startRound1WithHooks(definition, keys[3]!, { random: randoms[3]! }, {
  validator: (v, data) => (v === 2 ? { ...data, commitments: data.commitments.map((c, k) => (k === 2 ? pointOutsideG1() : c)) } : data),
}).message;

export function collect(messages: readonly Round1Json[]): CollectedJson {
  const c = collectRound1(definition, messages);
  if (!c.ok) throw new Error('collect');
  return c.message;
}
/** The transcript with the three faulty dealers, and the honest one. */
export const X = collect([honest[0]!.message, bad2, bad3, bad4]);
export const H = collect(honest.map((h) => h.message));
export const hashOf = (c: CollectedJson): Uint8Array => transcriptHash(def.id, parseCollected(c, def).round1.map((m) => round1Digest(m)));

/** A complaint of `index` over `collected`, signed by `signer`'s host key. */
export function complaint(index: number, accusations: readonly ComplaintAccusation[], opts: { collected?: CollectedJson; signer?: number; ceremonyId?: Uint8Array } = {}): EvidenceJson {
  const c = signComplaint({ ceremonyId: opts.ceremonyId ?? def.id, index, transcriptHash: hashOf(opts.collected ?? X), accusations }, keys[(opts.signer ?? index) - 1]!, rng(32));
  return { kind: 'complaint', complaint: complaintToJson(c) };
}

/** The pair evidence of complainer `i` against dealer `j`'s message in `collected` (a valid DLEQ proof). */
export function pair(i: number, j: number, collected: CollectedJson = X): { ecdhPoint: Uint8Array; dleqProof: Uint8Array } {
  const m = parseCollected(collected, def).round1[j - 1]!;
  const d = deriveEncryptionSecret(keys[i - 1]!, def.attemptNonce, def.participants[i - 1]!.salt);
  const point = sharedPoint(d, m.ephemeralKey);
  const dleqProof = proveDleq(d, { ceremonyId: def.id, prover: i, other: j, proverKey: def.participants[i - 1]!.encKey, otherKey: m.ephemeralKey, point }, rng(32));
  return { ecdhPoint: point, dleqProof };
}
