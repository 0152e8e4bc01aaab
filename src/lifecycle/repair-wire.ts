/**
 * A repair's two hops sealed over the untrusted coordinator (issue 16 part 3; docs/protocols/lifecycle.md "On the
 * wire"; decision 1008), with wire.ts's sealed messages unchanged:
 * 1. **Deltas** (session H → H): helper i seals δ_{i→k} to helper k, with its public D_{i→k} as the signed
 *    commitments of the message. Only helper k can open its deltas.
 * 2. **Sums** (session H → {r}): helper k seals σ_k = Σ_i δ_{i→k} to the recipient only; the message carries no
 *    commitment (the recipient checks σ_k·G1 = Σ_i D_{i→k} from the hop-1 messages).
 * The coordinator sees only the D's (which restate ζ_i·Y_i) and ciphertexts, so it cannot rebuild s_r; a helper sees
 * one random delta from each other helper. Blame is local to the opener: a ciphertext that does not open, or a
 * delta or sum that fails its check, names its sender (`SUB_SHARE_INVALID`). A transferable complaint for repair
 * is not built (decision 1008).
 *
 * Agreement on hop 1 (echo.ts; decision 0428): a helper that signs two hop-1 messages (two splits of ζ_i·s_i, both
 * passing every check) relayed to different helpers would make an honest helper's sum fail against the D's the
 * recipient holds, so the recipient would name that honest helper. Each helper therefore host-signs an echo of the
 * hop-1 messages it checked ({@link echoRepairDeltas}), and the recipient takes the D's only from a hop-1
 * transcript every helper echoed ({@link agreedRepairContributions}); two messages of one helper convict it.
 *
 * @module
 */
import { VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, SecretBytes, ShareIndex } from '../types.js';
import { contributeRepair, repairSum, type RepairContribution, type RepairDefinition, type RepairDeltaBundle, type RepairSum } from './repair.js';
import type { SecretShare } from '../types.js';
import { checkSealed, openSealed, sealDealing, type SealedDealing, type WireSession } from './wire.js';
import { checkEchoes, signEcho, transcriptOf, type Echo } from './echo.js';

function assertRoster(session: WireSession, def: RepairDefinition, hop: 1 | 2): void {
  const senders = session.senders.map((s) => s.id);
  const recipients = session.recipients.map((r) => r.id);
  const want = hop === 1 ? def.helpers : [def.recipient];
  if (senders.length !== def.helpers.length || senders.some((s, i) => s !== def.helpers[i]) || recipients.length !== want.length || recipients.some((r, i) => r !== want[i])) {
    throw new VerificationError('CEREMONY_MISMATCH', `the session is not this repair's hop ${hop} (senders: the helpers; recipients: ${hop === 1 ? 'the helpers' : 'the recipient'})`, { field: 'session' });
  }
}

/** Hop 1: helper `me` contributes and seals its deltas to the other helpers (and itself). */
export function sealRepairDeltas(session: WireSession, def: RepairDefinition, me: bigint | number, hostSecretKey: Uint8Array, shares: readonly SecretShare[], rng: RandomBytes = systemRandomBytes): SealedDealing {
  assertRoster(session, def, 1);
  const { contribution, bundles } = contributeRepair(def, me, shares, rng);
  try {
    const perRecipient = session.recipients.map((r) => bundles.find((b) => b.to === r.id)!.secrets);
    return sealDealing(session, me, hostSecretKey, contribution.deltas, perRecipient, rng);
  } finally {
    for (const b of bundles) for (const s of b.secrets) s.fill(0);
  }
}

/** The public contributions of the hop-1 messages, each checked (host signature, ephemeral proof) first. */
export function repairContributions(session: WireSession, def: RepairDefinition, sealed: readonly SealedDealing[]): RepairContribution[] {
  assertRoster(session, def, 1);
  return sealed.map((m, i) => {
    checkSealed(session, m, `contributions[${i}]`);
    return { helper: m.sender, deltas: m.commitments };
  });
}

/**
 * Hop 1, by helper `me` after it checked the deltas sealed to it: its host-signed echo of the hop-1 messages.
 * @throws as {@link repairContributions} and `transcriptOf` (two different messages of one helper: `DKG_EQUIVOCATION`).
 */
export function echoRepairDeltas(hop1: WireSession, def: RepairDefinition, me: bigint | number, hostSecretKey: Uint8Array, sealedDeltas: readonly SealedDealing[], rng: RandomBytes = systemRandomBytes): Echo {
  assertRoster(hop1, def, 1);
  return signEcho(transcriptOf(hop1, sealedDeltas, 'contributions'), me, hostSecretKey, rng);
}

/**
 * The recipient's contributions: from a hop-1 transcript that every helper echoed (echo.ts checkEchoes), so a sum
 * is only ever checked against the D's its helper saw.
 * @throws as `transcriptOf` and `checkEchoes` (`DKG_EQUIVOCATION` naming the helper that signed two hop-1 messages).
 */
export function agreedRepairContributions(hop1: WireSession, def: RepairDefinition, sealedDeltas: readonly SealedDealing[], echoes: readonly Echo[]): RepairContribution[] {
  assertRoster(hop1, def, 1);
  const agreed = checkEchoes(transcriptOf(hop1, sealedDeltas, 'contributions'), echoes);
  return agreed.sealed.map((m) => ({ helper: m.sender, deltas: m.commitments }));
}

function openAll(session: WireSession, me: bigint, hostSecretKey: Uint8Array, sealed: readonly SealedDealing[], what: string): { from: ShareIndex; secrets: SecretBytes[] }[] {
  const out: { from: ShareIndex; secrets: SecretBytes[] }[] = [];
  try {
    for (const m of sealed) {
      const got = openSealed(session, me, hostSecretKey, m);
      if (got === undefined) throw new VerificationError('SUB_SHARE_INVALID', `the ${what} helper ${m.sender} sealed to ${me} do not decrypt`, { field: `${what}[${m.sender}]`, culprits: [m.sender.toString()] });
      out.push({ from: m.sender, secrets: got });
    }
    return out;
  } catch (e) {
    for (const o of out) for (const s of o.secrets) s.fill(0);
    throw e;
  }
}

/**
 * Hop 2: helper `me` opens the deltas sealed to it, checks them (repairSum) and seals its sum to the recipient.
 * @throws everything checkRepairContributions and repairSum throw; VerificationError `SUB_SHARE_INVALID`
 *   (a ciphertext that does not open; culprits: its sender).
 */
export function sealRepairSum(hop1: WireSession, hop2: WireSession, def: RepairDefinition, me: bigint | number, hostSecretKey: Uint8Array, sealedDeltas: readonly SealedDealing[], rng: RandomBytes = systemRandomBytes): SealedDealing {
  assertRoster(hop2, def, 2);
  const contributions = repairContributions(hop1, def, sealedDeltas);
  const opened = openAll(hop1, BigInt(me), hostSecretKey, sealedDeltas, 'deltas');
  let sum: RepairSum | undefined;
  try {
    const bundles: RepairDeltaBundle[] = opened.map((o) => ({ from: o.from, to: BigInt(me) as ShareIndex, secrets: o.secrets }));
    sum = repairSum(def, me, contributions, bundles, rng);
    return sealDealing(hop2, me, hostSecretKey, def.old.validators.map(() => []), [sum.secrets], rng);
  } finally {
    for (const o of opened) for (const s of o.secrets) s.fill(0);
    if (sum !== undefined) for (const s of sum.secrets) s.fill(0);
  }
}

/**
 * The recipient opens the sums sealed to it (each hop-2 message checked first).
 * @returns the sums (the caller wipes them).
 */
export function openRepairSums(hop2: WireSession, def: RepairDefinition, hostSecretKey: Uint8Array, sealedSums: readonly SealedDealing[]): RepairSum[] {
  assertRoster(hop2, def, 2);
  sealedSums.forEach((m, i) => checkSealed(hop2, m, `sums[${i}]`));
  return openAll(hop2, def.recipient, hostSecretKey, sealedSums, 'sums').map((o) => ({ helper: o.from, secrets: o.secrets }));
}
