/**
 * Finalisation, the participant's side (brief B4 "Participant finalize"): check the final message (n CertEq votes
 * over our own transcript hash, deposit signatures under the validator keys), and only then report success with the
 * output and the recovery data. A bad final message is the coordinator's fault (ChillDKG v0.3: it should have
 * checked the votes).
 *
 * The collected round 1 is passed again (the state keeps only its hash): it must be the one this state answered,
 * and it becomes part of the recovery data.
 *
 * Brief B4 also recommends a round 3 of deposit-readiness acks before anyone deposits; that round is not
 * implemented yet (docs/protocols/dkg.md "Not done").
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
import { verdictOf, type EvidenceJson, type Verdict } from './blame.js';

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

/**
 * Round 3 for a participant: checks the final message against its state and returns its output.
 * @throws ValidationError `DKG_WRONG_ROUND` (state not at round 2), `DKG_REPLAY` (a collected round 1 other than
 *   the one this state answered), shape errors of the inputs; a plain Error if the recombination checks fail
 *   (a bug, never a peer's fault: every input was checked before).
 */
export function finalizeParticipant(state: unknown, collected: unknown, final: unknown, options: FinalizeOptions = {}): FinalizeResult {
  const s = parseState(state);
  if (s.step !== 'round2') throw new ValidationError('DKG_WRONG_ROUND', `the state is at step ${s.step}, not round2`, { field: 'state.step' });
  const def = s.def;
  const rng = options.rng ?? systemRandomBytes;
  const c = parseCollected(collected, def);
  const relay = checkRelay(def, c.ceremonyId, c.round1, { index: s.index, digest: s.round1Digest });
  if (!relay.ok || !equalBytes(transcriptHash(def.id, relay.digests), s.transcriptHash!)) {
    throw new ValidationError('DKG_REPLAY', 'this is not the collected round 1 this state acknowledged', { field: 'collected' });
  }
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
