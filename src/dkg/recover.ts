/**
 * Recovery and audit of a finished ceremony (brief B7 `recover`, `audit`; ChillDKG's recovery data).
 *
 * - {@link recover}(hostSk, recovery): re-runs every check a participant runs in rounds 2 and 3 on the recovery data
 *   (definition, collected round 1, final message) and rebuilds the participant's output from its host key alone:
 *   d_i from (host key, attempt nonce, enrolled salt), its shares from the ciphertexts addressed to it (its own
 *   share from its self-ciphertext). Works for a participant that never received the final message, as long as
 *   someone did (brief B10.4 "Agreement").
 * - {@link audit}(recovery): the same without a host key: every host signature, proof and commitment, the
 *   certificate, the deposit signatures, and a SCRAPE low-degree test on (PK_v, Y_{v,1..n}); returns the public
 *   outputs or the problems found.
 *
 * Size of the recovery data (binary; JSON hex doubles it): per validator n·(96·(t + 1) + 32 + 32·n) + 96·amounts
 * bytes, plus a constant part; for n = 10, t = 7: about 11.2 KB per validator.
 *
 * @module
 */
import { VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, ShareIndex } from '../types.js';
import type { DepositDataEntry } from '../eth/deposit.js';
import { lowDegreeTest } from '../sharing/vss.js';
import { equalBytes, hex } from './codec.js';
import { participantIndex, parseDefinition, type Definition } from './definition.js';
import { depositEntries, depositSigningRoots, hashDeposits, type DepositRootFn } from './deposit.js';
import { deriveEncryptionSecret } from './encryption.js';
import { parseCollected, parseFinal } from './messages.js';
import { buildOutput, checkFinal, parseRecoveryData, type ParticipantOutput } from './output.js';
import { receiveShares } from './shares.js';
import { checkRelay, transcriptHash } from './transcript.js';
import { checkPublic, publicOutputs, type PublicOutputs } from './verify.js';
import type { Blame } from './blame.js';
import type { G1Point } from '../bls/group.js';

/** Options of {@link recover} and {@link audit}. */
export interface RecoverOptions {
  readonly rng?: RandomBytes;
  readonly depositSigningRoot?: DepositRootFn;
}

interface Checked {
  readonly def: Definition;
  readonly hash: Uint8Array;
  readonly out: PublicOutputs;
  readonly signatures: Uint8Array[];
  readonly sums: G1Point[][];
  readonly round1: ReturnType<typeof parseCollected>['round1'];
}

type Problem = { readonly ok: false; readonly blames: Blame[] };

function publicCheck(recovery: unknown, options: RecoverOptions, rng: RandomBytes): { ok: true; value: Checked } | Problem {
  const r = parseRecoveryData(recovery);
  const def = parseDefinition(r.definition);
  const c = parseCollected(r.collected, def);
  const relay = checkRelay(def, c.ceremonyId, c.round1);
  if (!relay.ok) return { ok: false, blames: relay.problems.map((p) => ({ culprit: 'coordinator', fault: p.fault, certainty: 'coordinator', detail: p.detail })) };
  const hash = transcriptHash(def.id, relay.digests);
  const pub = checkPublic(def, c.round1, rng);
  if (pub.sums === undefined) {
    const blames: Blame[] = pub.findings.map((f) => ({ culprit: String(f.accused), fault: f.fault, certainty: 'proof', detail: f.detail }));
    if (blames.length === 0) blames.push({ culprit: 'coordinator', fault: 'unattributable', certainty: 'sender-or-coordinator', detail: pub.unattributable ?? 'invalid transcript' });
    return { ok: false, blames };
  }
  const out = publicOutputs(def, pub.sums, pub.shares);
  const hashed = hashDeposits(depositSigningRoots(def, out.pubkeys, options.depositSigningRoot));
  const final = checkFinal(def, hash, parseFinal(r.final), out.pubkeyPoints, hashed, rng);
  if (!final.ok) return { ok: false, blames: [final.blame] };
  return { ok: true, value: { def, hash, out, signatures: final.signatures, sums: pub.sums, round1: c.round1 } };
}

function fail(blames: readonly Blame[]): never {
  const culprits = [...new Set(blames.map((b) => b.culprit))];
  throw new VerificationError('DKG_ABORTED', `the recovery data do not describe a successful ceremony: ${blames.map((b) => b.detail).join('; ')}`, { field: 'recovery', culprits });
}

/**
 * Rebuilds a participant's output from its host key and the recovery data.
 * @throws ValidationError for malformed data or a host key that is not a participant's (`INVALID_ARGUMENT`,
 *   `KEY_MISMATCH`); VerificationError `DKG_ABORTED` (with culprits) when the data do not check out.
 */
export function recover(hostSecretKey: Uint8Array, recovery: unknown, options: RecoverOptions = {}): ParticipantOutput {
  const rng = options.rng ?? systemRandomBytes;
  const checked = publicCheck(recovery, options, rng);
  if (!checked.ok) fail(checked.blames);
  const { def, hash, out, signatures, sums, round1 } = checked.value;
  const index = participantIndex(def, hostSecretKey);
  const secret = deriveEncryptionSecret(hostSecretKey, def.attemptNonce, def.participants[index - 1]!.salt);
  try {
    const received = receiveShares(def, round1, index, secret, sums, rng);
    if (!received.ok) fail(received.findings.map((f) => ({ culprit: String(f.accused), fault: f.fault, certainty: 'proof', detail: f.detail })));
    const output = buildOutput(def, index, hash, received.shares, out, signatures);
    received.shares.fill(0n);
    return output;
  } finally {
    secret.fill(0);
  }
}

/** One validator's public outputs. */
export interface PublicValidatorOutput {
  readonly validator: number;
  readonly pubkey: Uint8Array;
  readonly commitments: readonly Uint8Array[];
  readonly publicShares: readonly Uint8Array[];
  readonly deposits: readonly DepositDataEntry[];
}

/** The result of {@link audit}. */
export type AuditReport =
  | { readonly ok: true; readonly ceremonyId: string; readonly transcriptHash: string; readonly threshold: number; readonly validators: readonly PublicValidatorOutput[] }
  | { readonly ok: false; readonly problems: readonly Blame[] };

/**
 * Audits a finished ceremony from its recovery data, without any secret.
 * @throws ValidationError for malformed data.
 */
export function audit(recovery: unknown, options: RecoverOptions = {}): AuditReport {
  const rng = options.rng ?? systemRandomBytes;
  const checked = publicCheck(recovery, options, rng);
  if (!checked.ok) return { ok: false, problems: checked.blames };
  const { def, hash, out, signatures } = checked.value;
  const ids = def.participants.map((p) => BigInt(p.index) as ShareIndex);
  for (let v = 0; v < def.V; v++) {
    if (!lowDegreeTest(out.pubkeyPoints[v]!, ids, out.publicSharePoints[v]!, def.t, rng)) {
      return { ok: false, problems: [{ culprit: 'coordinator', fault: 'degree-check', certainty: 'sender-or-coordinator', detail: `the public shares of validator ${v + 1} fail the low-degree test` }] };
    }
  }
  const entries = depositEntries(def, out.pubkeys, signatures);
  return {
    ok: true,
    ceremonyId: def.idHex,
    transcriptHash: hex(hash),
    threshold: def.t,
    validators: out.pubkeys.map((pubkey, v) => ({
      validator: v + 1,
      pubkey,
      commitments: out.commitments[v]!,
      publicShares: out.publicShares[v]!,
      deposits: entries.filter((_, k) => def.deposits[k]!.validator === v),
    })),
  };
}

/** True when two outputs describe the same ceremony result (same transcript, keys, public shares, deposits). */
export function samePublicOutput(a: ParticipantOutput, b: ParticipantOutput): boolean {
  if (a.transcriptHash !== b.transcriptHash || a.validators.length !== b.validators.length) return false;
  return a.validators.every((va, v) => {
    const vb = b.validators[v]!;
    return (
      equalBytes(va.pubkey, vb.pubkey) &&
      va.publicShares.every((y, j) => equalBytes(y.publicKey, vb.publicShares[j]!.publicKey)) &&
      va.commitments.every((c, k) => equalBytes(c, vb.commitments[k]!)) &&
      va.deposits.every((d, k) => equalBytes(d.signature, vb.deposits[k]!.signature))
    );
  });
}
