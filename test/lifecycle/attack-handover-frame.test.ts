/**
 * Attack (decision 0442): the coordinator tries to get an honest new holder named culprit at the handover, so that
 * a retry drops it, by changing what it relays: one byte of the holder's partials, another holder's valid partial
 * spliced into its set, a set from another session of the same definition, a set it forges with its own host key.
 * Before the handover files were host-signed, the splice named honest holder 2 (`PARTIAL_SIGNATURE_INVALID`, shown
 * below with the unsigned check); now every one names nobody and makes the coordinator the suspect, while a
 * holder that really signs a bad partial is still named.
 */
import { describe, expect, it } from 'vitest';
import { generateHostSecretKey, hostPublicKey } from '../../src/dkg/host-key.js';
import { checkHandover, signHandover, type HandoverPartials } from '../../src/lifecycle/handover.js';
import { defineReshare } from '../../src/lifecycle/reshare-definition.js';
import { checkReshareDealings, combineReshare, dealReshare, reshareOutput } from '../../src/lifecycle/reshare.js';
import { checkSignedHandovers, signHandoverMessage, type SignedHandover } from '../../src/lifecycle/signed-handover.js';
import { enrollRecipient, wireSession } from '../../src/lifecycle/wire.js';
import { insecureTestRng } from '../helpers/rng.js';
import { makeCluster, thrown } from './helpers.js';

const rng = insecureTestRng('attack-handover-frame');
const V = 1;
const cluster = makeCluster(2, 3, V, rng);
const def = defineReshare({ oldThreshold: 2, validators: cluster.validators, dealers: [1, 2], newThreshold: 2, newShares: 3, rng });
const memberSk = new Map(def.newIds.map((j) => [j as bigint, generateHostSecretKey(rng)]));
const senders = [1n, 2n].map((id) => ({ id, hostKey: hostPublicKey(generateHostSecretKey(rng)) }));
const enroll = () => def.newIds.map((j) => enrollRecipient(def.id, j, memberSk.get(j)!, rng));
const session = wireSession(def.id, V, senders, enroll());

function run() {
  const dealt = [1n, 2n].map((d) => dealReshare(def, d, cluster.sharesById.get(d)!, rng));
  const dealings = dealt.map((d) => d.dealing);
  const publicData = reshareOutput(def, checkReshareDealings(def, dealings, rng));
  const partials = def.newIds.map((j) => signHandover(def.id, publicData, combineReshare(def, j, dealings, dealt.map((d) => d.bundles.find((b) => b.recipient === j)!), rng).shares));
  return { publicData, partials };
}
const now = run();
const signed = now.partials.map((p) => signHandoverMessage(session, memberSk.get(p.member)!, p, rng));
const coordinatorSk = generateHostSecretKey(rng);

const flip = (b: Uint8Array, at: number): Uint8Array => {
  const c = Uint8Array.from(b);
  c[at]! ^= 0x10;
  return c;
};
const relabel = (h: SignedHandover, partials: HandoverPartials): SignedHandover => ({ ...h, partials });

/** The coordinator's substitutes for holder 2's set. */
const attacks: [string, SignedHandover][] = [
  ['one byte of its partial', relabel(signed[1]!, { ...signed[1]!.partials, signatures: [flip(signed[1]!.partials.signatures[0]!, 60)] })],
  ["holder 3's valid partial spliced in", relabel(signed[1]!, { ...signed[1]!.partials, signatures: [signed[2]!.partials.signatures[0]!] })],
  ['its set from an earlier session of the same definition', (() => {
    const earlier = run();
    return signHandoverMessage(wireSession(def.id, V, senders, enroll()), memberSk.get(2n)!, earlier.partials[1]!, rng);
  })()],
  ['a set the coordinator signs itself', { sessionId: Uint8Array.from(session.id), partials: signed[1]!.partials, signature: signHandoverMessage({ ...session, recipients: session.recipients.map((r) => (r.id === 2n ? { ...r, hostKey: hostPublicKey(coordinatorSk) } : r)) }, coordinatorSk, signed[1]!.partials, rng).signature }],
];

describe('attack: the coordinator frames an honest holder at the handover', () => {
  it('before (unsigned partials): a spliced partial named honest holder 2', () => {
    for (const [, h] of attacks.slice(1, 2)) {
      const e = thrown(() => checkHandover(def.id, 2, now.publicData, [now.partials[0]!, h.partials, now.partials[2]!], rng));
      expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['2']]);
    }
  });

  it.each(attacks)('now: %s names nobody; the coordinator is the suspect', (_, h) => {
    const e = thrown(() => checkSignedHandovers(session, [signed[0]!, h, signed[2]!]));
    expect(e.culprits).toEqual([]);
    expect(e.suspects).toEqual(['coordinator']);
    expect(['SIGNATURE_INVALID', 'CEREMONY_MISMATCH']).toContain(e.code);
  });

  it('the untouched sets still certify, and a holder that signs a bad partial itself is still named', () => {
    expect(checkHandover(def.id, 2, now.publicData, checkSignedHandovers(session, signed), rng).signatures).toHaveLength(V);
    const own = signHandoverMessage(session, memberSk.get(2n)!, attacks[1]![1].partials, rng);
    const e = thrown(() => checkHandover(def.id, 2, now.publicData, checkSignedHandovers(session, [signed[0]!, own, signed[2]!]), rng));
    expect([e.code, e.culprits]).toEqual(['PARTIAL_SIGNATURE_INVALID', ['2']]);
  });
});
