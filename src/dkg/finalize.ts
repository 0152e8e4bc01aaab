/**
 * Finalisation, the participant's side (brief B4 "Participant finalize"): check the final message (n CertEq votes
 * over our own transcript hash, deposit signatures under the validator keys), and only then report success with the
 * output and the recovery data. A bad final message is the coordinator's fault (ChillDKG v0.3: it should have
 * checked the votes).
 *
 * The collected round 1 is passed again (the state keeps only its hash): it must be the one this state answered,
 * and it becomes part of the recovery data.
 *
 * {@link finalizeFromAcks} does the same without the coordinator's final message (issue 12, "withheld final"): the
 * participant rebuilds it from the n relayed Acks with the coordinator's own checks (coordinator.ts collectRound2:
 * every vote, every deposit partial, the combined deposit signatures), so success does not depend on the
 * coordinator's goodwill. The result is the same final message, byte for byte (BLS signatures are unique, the
 * certificate is the votes in index order), so the recovery data are too.
 *
 * Round 3 (deposit readiness, ready.ts) follows, once the operator folder is written and read back.
 *
 * @module
 */
import { wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { decodeScalar } from '../bls/field.js';
import { equalBytes, hex, readHex } from './codec.js';
import { finalToJson, parseCollected, parseFinal, round1ToJson, type CollectedJson } from './messages.js';
import { decodeG2Uncompressed, decodeOwnG1 } from './points.js';
import { parseState, type ParticipantStateJson } from './state.js';
import { checkRelay, transcriptHash } from './transcript.js';
import { buildOutput, checkFinal, checkOutput, type ParticipantOutput, type RecoveryDataJson } from './output.js';
import { verdictOf, verifyAbortReport, type EvidenceJson, type Verdict } from './blame.js';
import { collectRound2 } from './coordinator.js';

/** Options of {@link finalizeParticipant}. */
export interface FinalizeOptions {
  readonly rng?: RandomBytes;
  /**
   * Which validators to run the recombination checks of design section 4 on before reporting success: `all`, or a
   * number (a random sample of that many; default 4). Each costs about 40 ms at n = 9 (strict decoding of every
   * public share); the outputs are correct by construction, so this is an independent second look, not the proof.
   */
  readonly recombinationCheck?: 'all' | number;
}

/** The result of {@link finalizeParticipant}. */
export type FinalizeResult =
  | { readonly ok: true; readonly state: ParticipantStateJson; readonly output: ParticipantOutput; readonly recovery: RecoveryDataJson }
  | { readonly ok: false; readonly state: ParticipantStateJson; readonly verdict: Verdict; readonly evidence: EvidenceJson[] };

function sample(V: number, count: number, rng: RandomBytes): number[] {
  const all = Array.from({ length: V }, (_, i) => i + 1);
  if (count >= V) return all;
  for (let i = V - 1; i > 0; i--) {
    const r = new DataView(rng(4).buffer).getUint32(0) % (i + 1);
    [all[i], all[r]] = [all[r]!, all[i]!];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

/** The state at round 2 and the collected round 1 it acknowledged (else `DKG_WRONG_ROUND` / `DKG_REPLAY`). */
function answeredRound(state: unknown, collected: unknown): { s: ReturnType<typeof parseState>; c: ReturnType<typeof parseCollected> } {
  const s = parseState(state);
  if (s.step !== 'round2') throw new ValidationError('DKG_WRONG_ROUND', `the state is at step ${s.step}, not round2`, { field: 'state.step' });
  const c = parseCollected(collected, s.def);
  const relay = checkRelay(s.def, c.ceremonyId, c.round1, { index: s.index, digest: s.round1Digest });
  if (!relay.ok || !equalBytes(transcriptHash(s.def.id, relay.digests), s.transcriptHash!)) {
    throw new ValidationError('DKG_REPLAY', 'this is not the collected round 1 this state acknowledged', { field: 'collected' });
  }
  return { s, c };
}

/**
 * Finalisation without the coordinator's final message: rebuilds it from the relayed Acks (any order, duplicates and
 * foreign messages tolerated, as the coordinator does), then finalises as {@link finalizeParticipant}. When the Acks
 * do not make a final message (one missing, a bad vote or partial, a complaint), the result is the verdict of the
 * abort report the coordinator's own step would have written, from this participant's view.
 * @throws as {@link finalizeParticipant}; ValidationError `LIMIT_EXCEEDED` for more than 4·64 messages.
 */
export function finalizeFromAcks(state: unknown, collected: unknown, acks: readonly unknown[], options: FinalizeOptions = {}): FinalizeResult {
  const { s } = answeredRound(state, collected);
  const r = collectRound2(s.def.json, collected, acks, options.rng === undefined ? {} : { rng: options.rng });
  if (!r.ok) {
    const verdict = verifyAbortReport(s.def.json, r.abort);
    const reason = `the relayed Acks do not make a final message: ${verdict.blames.map((b) => b.detail).join('; ')}`;
    const aborted: ParticipantStateJson = { format: 'dvkeys/dkg-state', version: 1, step: 'aborted', ceremonyId: s.def.idHex, index: s.index, definition: s.def.json, round1Digest: s.json.round1Digest, transcriptHash: hex(s.transcriptHash!), reason };
    return { ok: false, state: aborted, verdict, evidence: [...r.abort.evidence] };
  }
  return finalizeParticipant(state, collected, r.message, options);
}

/**
 * Finalisation for a participant: checks the final message against its state and returns its output.
 * @throws ValidationError `DKG_WRONG_ROUND` (state not at round 2), `DKG_REPLAY` (a collected round 1 other than
 *   the one this state answered), shape errors of the inputs; a plain Error if the recombination checks fail
 *   (a bug, never a peer's fault: every input was checked before).
 */
export function finalizeParticipant(state: unknown, collected: unknown, final: unknown, options: FinalizeOptions = {}): FinalizeResult {
  const { s, c } = answeredRound(state, collected);
  const def = s.def;
  const rng = options.rng ?? systemRandomBytes;
  const hash = s.transcriptHash!;
  const f = parseFinal(final);
  const collectedJson: CollectedJson = { format: 'dvkeys/dkg-collected', version: 1, ceremonyId: def.idHex, round1: c.round1.map(round1ToJson) };
  const json = s.json;
  const pubkeys = json.pubkeys!.map((p, v) => readHex(p, `state.pubkeys[${v}]`, 48));
  const pubkeyPoints = pubkeys.map((p, v) => decodeOwnG1(p, `state.pubkeys[${v}]`));
  const hashed = json.hashedDeposits!.map((h, d) => decodeG2Uncompressed(readHex(h, `state.hashedDeposits[${d}]`, 192), `state.hashedDeposits[${d}]`));
  const checked = checkFinal(def, hash, f, pubkeyPoints, hashed, rng);
  if (!checked.ok) {
    const reason = checked.blame.detail;
    // keeps the transcript hash: this participant acknowledged it (one answer per attempt, decision 0411)
    const aborted: ParticipantStateJson = { format: 'dvkeys/dkg-state', version: 1, step: 'aborted', ceremonyId: def.idHex, index: s.index, definition: def.json, round1Digest: json.round1Digest, transcriptHash: hex(hash), reason };
    const evidence: EvidenceJson[] = [{ kind: 'coordinator', fault: checked.blame.fault, detail: reason, collected: collectedJson, final: finalToJson(f) }];
    return { ok: false, state: aborted, verdict: verdictOf(def.idHex, [checked.blame]), evidence };
  }
  const shareBytes = json.shares!.map((h, v) => readHex(h, `state.shares[${v}]`, 32));
  const shares = shareBytes.map((b, v) => decodeScalar(b, `state.shares[${v}]`));
  wipe(...shareBytes);
  const parts = {
    pubkeys,
    commitments: json.commitments!.map((row, v) => row.map((x, k) => readHex(x, `state.commitments[${v}][${k}]`, 48))),
    publicShares: json.publicShares!.map((row, v) => row.map((x, j) => readHex(x, `state.publicShares[${v}][${j}]`, 48))),
  };
  const output = buildOutput(def, s.index, hash, shares, parts, checked.signatures);
  shares.fill(0n);
  const which = options.recombinationCheck === 'all' ? undefined : sample(def.V, options.recombinationCheck ?? 4, rng);
  for (const { validator, report } of checkOutput(output, which, rng)) {
    const failed = report.checks.find((x) => x.status === 'fail');
    if (failed !== undefined) throw new RangeError(`finalize: validator ${validator} fails the recombination check ${failed.check}: ${failed.detail}`);
  }
  const done: ParticipantStateJson = { format: 'dvkeys/dkg-state', version: 1, step: 'done', ceremonyId: def.idHex, index: s.index, definition: def.json, round1Digest: json.round1Digest, transcriptHash: hex(hash) };
  const recovery: RecoveryDataJson = { format: 'dvkeys/dkg-recovery', version: 1, definition: def.json, collected: collectedJson, final: finalToJson(f) };
  return { ok: true, state: done, output, recovery };
}
