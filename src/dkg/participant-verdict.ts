/**
 * The verdict of a participant that answered round 2 with a signed complaint, once the coordinator's abort report
 * arrives (issue 12, "dropped complaint"; brief B6). The coordinator relays every round-2 answer; one that leaves a
 * complaint out of its report would otherwise turn the complainer into the "missing Ack" suspect, while the cheating
 * dealer goes unnamed.
 *
 * The participant trusts its own evidence (its complaint, checked like anyone else's against the collected round 1 it
 * processed) over the report: the dealer its complaint proves stays the culprit; the report's omission claims against
 * the participant itself are dropped (it knows it answered); and when the report does not carry its complaint (or
 * carries it against another collected round 1, where it proves nothing), the coordinator is a suspect with fault
 * {@link DROPPED_ANSWER}, kept beside the proven culprits. The coordinator signs nothing, so this is a suspicion for
 * the participant alone; others convict the dealer from the complaint once the participant shares it (its abort
 * report, `dkg verify-evidence`).
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { DROPPED_ANSWER, verdictOf, verifyAbortReport, verifyEvidence, type Blame, type EvidenceContext, type Verdict } from './blame.js';
import { collectedTranscriptHash } from './coordinator.js';
import { parseDefinition } from './definition.js';
import type { CollectedJson, ComplaintJson } from './messages.js';

/** What a participant sent in round 2 and the collected round 1 it answered. */
export interface OwnComplaint {
  /** The signed complaint (processRound1's `message`). */
  readonly complaint: ComplaintJson;
  /** The collected round 1 it processed. */
  readonly collected: CollectedJson;
}

/** True when `report` carries exactly this complaint, with a collected round 1 of the complaint's transcript. */
function carries(definition: unknown, report: unknown, own: ComplaintJson): boolean {
  if (typeof report !== 'object' || report === null) return false;
  const r = report as { evidence?: unknown; collected?: unknown };
  if (!Array.isArray(r.evidence)) return false;
  const present = r.evidence.some((e: unknown) => {
    const c = (e as { kind?: unknown; complaint?: { signature?: unknown } } | null)?.complaint;
    return (e as { kind?: unknown } | null)?.kind === 'complaint' && c?.signature === own.signature;
  });
  if (!present || r.collected === undefined) return false;
  try {
    return collectedTranscriptHash(definition, r.collected) === own.transcriptHash;
  } catch {
    return false;
  }
}

/**
 * The verdict of complainer `own.complaint.index` from its own complaint and the coordinator's abort report (pass
 * `undefined` when the coordinator sent none, for example after the caller's timeout).
 * @throws ValidationError for a malformed definition or report, a report of another ceremony, or `DKG_EVIDENCE_INVALID`
 *   when the participant's own complaint does not verify against its collected round 1 (then it is not its own).
 */
export function participantVerdict(definition: unknown, own: OwnComplaint, report: unknown, options: Omit<EvidenceContext, 'collected' | 'received'> = {}): Verdict {
  const def = parseDefinition(definition);
  const me = own.complaint.index;
  const blames: Blame[] = verifyEvidence(def.json, { kind: 'complaint', complaint: own.complaint }, { ...options, collected: own.collected });
  if (blames.some((b) => b.culprit === String(me))) {
    throw new ValidationError('DKG_EVIDENCE_INVALID', `the complaint of participant ${me} does not hold against its own collected round 1`, { field: 'own.complaint' });
  }
  if (report !== undefined) {
    const verdict = verifyAbortReport(def.json, report, options);
    blames.push(...verdict.blames.filter((b) => !(b.culprit === String(me) && b.certainty === 'sender-or-coordinator')));
  }
  if (report === undefined || !carries(def.json, report, own.complaint)) {
    blames.push({
      culprit: 'coordinator',
      fault: DROPPED_ANSWER,
      certainty: 'sender-or-coordinator',
      detail: `the coordinator's abort report ${report === undefined ? 'never came' : 'leaves out'} participant ${me}'s signed complaint`,
    });
  }
  return verdictOf(def.idHex, blames);
}
