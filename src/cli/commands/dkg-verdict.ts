/**
 * `dvkeys dkg verdict`: the verdict of an operator that complained in round 2, once the coordinator's abort report
 * arrives, or when none came (issue 12, "dropped complaint"; src/dkg/participant-verdict.ts; decision 0432). The
 * coordinator relays every round-2 answer; one that leaves a signed complaint out of its report would make the
 * complainer the "missing answer" suspect while the cheating dealer goes unnamed. This step trusts the operator's
 * own evidence over the report: the dealer its complaint proves stays the culprit, the report's omission claims
 * against the operator are dropped, and a report without the complaint makes the coordinator a suspect.
 *
 * It needs no secret: the complaint is signed, and checking it against the collected round 1 the operator answered
 * is exactly what anyone else does with it (`dkg verify-evidence` of the operator's round-2 abort report).
 *
 * @module
 */
import { ceremonyFingerprint, parseDefinition, participantVerdict, type CeremonyDefinitionJson, type CollectedJson, type ComplaintJson, type Verdict } from '../../dkg/index.js';
import { DvkeysError } from '../../errors.js';
import { parse } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_SMALL_FILE_BYTES, dkgMessageCap, formatOf, partyName, partyNameCapitalized, readJsonFile } from './dkg-files.js';

/** Culprits, then suspects, on one line, then why (the first blame of each): `culprit: …; suspect: … (why)`. */
function verdictText(definition: CeremonyDefinitionJson, verdict: Verdict): string {
  const list = (xs: readonly string[]): string => xs.map((c) => partyName(definition, c)).join(', ');
  const parts = [
    ...(verdict.culprits.length > 0 ? [`culprit${verdict.culprits.length > 1 ? 's' : ''}: ${list(verdict.culprits)}`] : []),
    ...(verdict.suspects.length > 0 ? [`suspect${verdict.suspects.length > 1 ? 's' : ''}: ${list(verdict.suspects)}`] : []),
  ];
  const why = [...verdict.culprits, ...verdict.suspects].flatMap((who) => {
    const b = verdict.blames.find((x) => x.culprit === who && (verdict.culprits.includes(who) ? x.certainty !== 'sender-or-coordinator' : x.certainty === 'sender-or-coordinator'));
    return b === undefined ? [] : [`${b.fault}: ${b.detail.length > 200 ? `${b.detail.slice(0, 200)}…` : b.detail}`];
  });
  return `${parts.length > 0 ? parts.join('; ') : 'no single party can be blamed'}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
}

/**
 * `dkg verdict --definition FILE --complaint FILE --collected FILE [ABORT-REPORT]`: prints the complainer's verdict
 * (exit 0 once computed; its own complaint not holding against its collected round 1 is `DKG_EVIDENCE_INVALID`).
 */
export async function verdictRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { definition: { type: 'string' }, complaint: { type: 'string' }, collected: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (v.definition === undefined) throw new UsageError('--definition FILE is required');
  if (v.complaint === undefined) throw new UsageError('--complaint FILE is required (the complaint dkg round2 wrote as --out)');
  if (v.collected === undefined) throw new UsageError('--collected FILE is required (the collected round 1 your complaint answers)');
  if (positionals.length > 1) throw new UsageError('give at most one abort report (none: the coordinator sent none)');
  const def = parseDefinition(await readJsonFile(io, v.definition, MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  const cap = dkgMessageCap(def);
  const complaint = await readJsonFile(io, v.complaint, cap, 'complaint');
  if (formatOf(complaint) !== 'dvkeys/dkg-complaint') throw new DvkeysError('INVALID_FORMAT', `${v.complaint} is not a complaint (format dvkeys/dkg-complaint): an Ack proves no dealer's fault`, { field: v.complaint });
  const collected = await readJsonFile(io, v.collected, cap, 'collected round 1');
  const reportPath = positionals[0];
  const report = reportPath === undefined ? undefined : await readJsonFile(io, reportPath, cap, 'abort report');
  if (reportPath !== undefined && formatOf(report) !== 'dvkeys/dkg-abort') throw new DvkeysError('INVALID_FORMAT', `${reportPath} is not an abort report (format dvkeys/dkg-abort)`, { field: reportPath });
  const verdict = participantVerdict(def.json, { complaint: complaint as ComplaintJson, collected: collected as CollectedJson }, report);
  const me = String((complaint as ComplaintJson).index);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, participant: Number(me), culprits: verdict.culprits, suspects: verdict.suspects, blames: verdict.blames }, null, 2));
    return 0;
  }
  io.out(`${partyNameCapitalized(def.json, me)}'s verdict on ceremony ${ceremonyFingerprint(def.json)}, from its own signed complaint (checked`);
  io.out(`against its collected round 1) and ${reportPath === undefined ? 'no abort report (none given: the coordinator sent none)' : `the coordinator's abort report ${reportPath}`}:`);
  for (const b of verdict.blames) io.out(`  ${b.certainty.padEnd(21)} ${partyName(def.json, b.culprit)}: ${b.fault}: ${b.detail}`);
  io.out(`Verdict: ${verdictText(def.json, verdict)}`);
  io.out('Send your round-2 abort report (<complaint>.abort.json) to the other operators: dkg verify-evidence convicts');
  io.out(`${verdict.culprits.length > 0 ? verdict.culprits.map((c) => partyName(def.json, c)).join(', ') : 'the dealer'} from it, whatever the coordinator reported.`);
  return 0;
}
