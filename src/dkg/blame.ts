/**
 * Identifiable abort (brief B5): blames, verdicts, and abort reports. The independent check of one piece of evidence is
 * evidence.ts (re-exported here); the caps of a report are report-caps.ts.
 *
 * Every abort names its culprits with a certainty:
 * - `proof`: transferable evidence signed by the culprit's host key (a malformed or badly proven round-1 message, a
 *   bad share shown by the ECDH point a complaint reveals with its DLEQ proof
 *   (decision 0420), two different round-1 messages, a bad Ack or
 *   partial signature, a false complaint). Anyone holding the definition re-checks it with {@link verifyEvidence}.
 * - `coordinator`: the coordinator's fault by its role, as seen by the participant that received the faulty relayed
 *   data itself (an unsigned, replayed or altered message, an invalid certificate or deposit signature): only in
 *   that participant's own verdict (processRound1, finalizeParticipant, recover).
 * - `sender-or-coordinator`: what nothing signed can settle: an omission (a message that never arrived, or a
 *   transcript hash that differs from the coordinator's), and, for everyone else, `coordinator` evidence and invalid
 *   items in an abort report: the coordinator signs nothing, so anyone can fabricate such data (decision 0413).
 *   Listed as suspects, not culprits.
 *
 * A verdict is computed the same way by everyone from the same evidence: culprits are the union of proven blames,
 * sorted, so honest operators that see the same abort report reach the same verdict, and an honest operator is never
 * a culprit (an honest complaint is upheld; a false one convicts its author). A complaint is judged only against the
 * collected round 1 whose transcript hash it signs (decision 0410).
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import { equalBytes, readArray, readHeader, readHex, readObject } from './codec.js';
import { MAX_PARTICIPANTS } from './constants.js';
import { parseDefinition } from './definition.js';
import { attributable, evidenceBlames, type EvidenceContext } from './evidence.js';
import { canonicalJson, EvidenceWork } from './evidence-work.js';
import { distinctReportEvidence } from './report-caps.js';
import { parseCollected, round1Digest, round1ToJson, type Accusation, type AckJson, type CollectedJson, type ComplaintJson, type FinalJson, type Round1Json } from './messages.js';

export { verifyEvidence, type EvidenceContext } from './evidence.js';

/** How sure a blame is (see the module documentation). */
export type Certainty = 'proof' | 'coordinator' | 'sender-or-coordinator';

/** One blame: a participant index as a decimal string, or `coordinator`. */
export interface Blame {
  readonly culprit: string;
  readonly fault: string;
  readonly certainty: Certainty;
  readonly validator?: number;
  readonly detail: string;
}

/** Fault of a blame on the coordinator for leaving a participant's signed round-2 answer out of its report. */
export const DROPPED_ANSWER = 'dropped-answer';

/** The outcome of an abort. */
export interface Verdict {
  readonly ceremonyId: string;
  /** Proven culprits (certainty `proof` or `coordinator`), participants in index order, then `coordinator`. */
  readonly culprits: readonly string[];
  /** Omissions: each is the named participant or the coordinator. */
  readonly suspects: readonly string[];
  readonly blames: readonly Blame[];
  /** Set for an abort no single party can be blamed for (for example a degree-reduced sum of commitments). */
  readonly reason?: string;
}

/** Evidence of one fault (JSON), as abort reports carry it. */
export type EvidenceJson =
  | { readonly kind: 'round1-fault'; readonly accusation: Accusation; readonly round1: Round1Json }
  | { readonly kind: 'complaint'; readonly complaint: ComplaintJson }
  | { readonly kind: 'equivocation'; readonly first: Round1Json; readonly second: Round1Json }
  | { readonly kind: 'invalid-ack'; readonly ack: AckJson }
  | { readonly kind: 'invalid-partial'; readonly ack: AckJson; readonly deposit: number }
  | { readonly kind: 'missing'; readonly index: number; readonly stage: 'round1' | 'round2'; readonly detail: string }
  | { readonly kind: 'coordinator'; readonly fault: string; readonly detail: string; readonly collected?: CollectedJson; readonly final?: FinalJson };

/** An abort report (format `dvkeys/dkg-abort`): what a coordinator (or participant) sends everyone on abort. */
export interface AbortReportJson {
  readonly format: 'dvkeys/dkg-abort';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly stage: 'round1' | 'round2' | 'finalize';
  /** The collected round 1 the evidence refers to (complaints and partial signatures need it). */
  readonly collected?: CollectedJson;
  readonly evidence: readonly EvidenceJson[];
}

/**
 * Builds the verdict of a list of blames (deduplicated, sorted). Omissions name suspects only when nothing is
 * proven: a proven fault explains the abort, and the messages missing after it (a participant that complained
 * does not acknowledge; one that saw a bad relay answers nothing) are its consequences, not evidence against their
 * senders. The exception is {@link DROPPED_ANSWER}: a participant's own signed answer that the coordinator's report
 * leaves out, which the proven fault does not explain.
 */
export function verdictOf(ceremonyId: string, blames: readonly Blame[]): Verdict {
  const order = (c: string): number => (c === 'coordinator' ? Number.MAX_SAFE_INTEGER : Number(c));
  const sort = (xs: Iterable<string>): string[] => [...new Set(xs)].sort((a, b) => order(a) - order(b));
  const culprits = sort(blames.filter((b) => b.certainty !== 'sender-or-coordinator').map((b) => b.culprit));
  const omissions = blames.filter((b) => b.certainty === 'sender-or-coordinator');
  // a dropped signed answer is no consequence of the proven fault: its suspect stays (participant-verdict.ts)
  const suspects = sort((culprits.length > 0 ? omissions.filter((b) => b.fault === DROPPED_ANSWER) : omissions).map((b) => b.culprit));
  return { ceremonyId, culprits, suspects, blames: [...blames] };
}

/** One piece of evidence with the collected round 1 it refers to (if any). */
export interface EvidenceItem {
  readonly evidence: EvidenceJson;
  readonly collected?: CollectedJson;
  /**
   * True only for `coordinator` evidence the verdict's holder received from the coordinator itself (the bad relay or
   * final message its own processRound1 or finalizeParticipant reported): then, once it verifies, it convicts the
   * coordinator (certainty `coordinator`). Without it such evidence only names the coordinator a suspect: the
   * coordinator signs nothing, so anyone could have made it (decision 0413).
   */
  readonly received?: boolean;
}

/**
 * The verdict of evidence gathered from several sources (an abort report, and what operators exchange after an
 * abort, for example their complaints and collected round-1 copies): each item verified independently; items that
 * do not verify are ignored. Everyone holding the same items reaches the same verdict. Identical items count once,
 * and the steps common to items run once (evidence-work.ts, decision 0423).
 * @throws ValidationError for a malformed definition.
 */
export function verdictFromEvidence(definition: unknown, items: readonly EvidenceItem[], options: Omit<EvidenceContext, 'collected' | 'received'> = {}): Verdict {
  const def = parseDefinition(definition);
  const work = new EvidenceWork(def, options.rng ?? systemRandomBytes, options.depositSigningRoot);
  const seen = new Set<string>();
  const blames: Blame[] = [];
  for (const item of items) {
    const key = canonicalJson([item.evidence, item.collected ?? null, item.received === true]);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      blames.push(...evidenceBlames(def, item.evidence, { ...options, ...(item.collected === undefined ? {} : { collected: item.collected }), ...(item.received === true ? { received: true } : {}) }, work));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
    }
  }
  return verdictOf(def.idHex, blames);
}

/**
 * Verifies an abort report item by item and returns the verdict. Evidence that does not verify is the reporter's
 * (the coordinator's) fault. Identical items count once and each step common to the items (parsing and checking
 * the collected round 1, its public outputs, decoding a message) runs once per report (report-caps.ts,
 * evidence-work.ts; decision 0423).
 * @throws ValidationError for a malformed report or a report of another ceremony; `LIMIT_EXCEEDED` (field
 *   `abort.evidence[i]`) for a report with more distinct items than the protocol produces.
 */
export function verifyAbortReport(definition: unknown, report: unknown, options: Omit<EvidenceContext, 'collected' | 'received'> = {}): Verdict {
  const def = parseDefinition(definition);
  const obj = readObject(report, 'abort', ['format', 'version', 'ceremonyId', 'stage', 'evidence'], ['collected']);
  readHeader(obj, 'abort', 'dvkeys/dkg-abort');
  if (!equalBytes(readHex(obj['ceremonyId'], 'abort.ceremonyId', 32), def.id)) {
    throw new ValidationError('CEREMONY_MISMATCH', 'the abort report is for another ceremony', { field: 'abort.ceremonyId' });
  }
  const items = distinctReportEvidence(def, readArray(obj['evidence'], 'abort.evidence', 4 * MAX_PARTICIPANTS));
  const work = new EvidenceWork(def, options.rng ?? systemRandomBytes, options.depositSigningRoot);
  const blames: Blame[] = [];
  for (const item of items) {
    try {
      blames.push(...evidenceBlames(def, item, { ...options, collected: obj['collected'] }, work));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // the report is unsigned: its author (normally the coordinator) is only a suspect (decision 0413)
      blames.push({ culprit: 'coordinator', fault: 'invalid-evidence', certainty: 'sender-or-coordinator', detail: `the abort report carries evidence that does not verify: ${err.message}` });
    }
  }
  return verdictOf(def.idHex, blames);
}

/**
 * Compares two collected round 1 (for example two operators' copies after their transcript hashes differed) and
 * returns the equivocation evidence against the first participant whose two validly signed messages differ.
 */
export function findEquivocation(definition: unknown, collectedA: unknown, collectedB: unknown): EvidenceJson | undefined {
  const def = parseDefinition(definition);
  const a = parseCollected(collectedA, def).round1;
  const b = parseCollected(collectedB, def).round1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.index !== y.index || equalBytes(round1Digest(x), round1Digest(y))) continue;
    try {
      attributable(def, x, 'first');
      attributable(def, y, 'second');
    } catch {
      continue;
    }
    return { kind: 'equivocation', first: round1ToJson(x), second: round1ToJson(y) };
  }
  return undefined;
}
