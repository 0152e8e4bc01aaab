/**
 * The coordinator's and anyone's steps of `dvkeys dkg`: init (the draft), define (the definition from enrollments),
 * collect (round 1 and round 2, or an abort report with evidence), audit (recovery data, no secret) and
 * verify-evidence (an abort report, checked item by item). The coordinator is untrusted: it holds no secret, and
 * every operator re-checks everything it forwards.
 *
 * @module
 */
import { basename, resolve } from 'node:path';
import { bytesToHex, hexToBytes } from '../../bytes.js';
import { dkgManifest, dkgOperatorNames } from '../../ceremony/dkg-output.js';
import { assertSafeName, serializeManifest } from '../../ceremony/manifest.js';
import { ceremonyFingerprint as manifestFingerprint } from '../../ceremony/verify.js';
import {
  audit,
  ceremonyFingerprint,
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  parseDefinition,
  parseRecoveryData,
  verifyAbortReport,
  type AbortReportJson,
  type CeremonyDefinitionJson,
  type DkgOperatorJson,
} from '../../dkg/index.js';
import { verdictOf } from '../../dkg/blame.js';
import { MAX_DEPOSIT_DATA_ENTRIES } from '../../eth/deposit-file.js';
import { getNetwork } from '../../eth/networks.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../eth/withdrawal.js';
import { DvkeysError, ValidationError, VerificationError, isDvkeysError } from '../../errors.js';
import { assertSplitSafety } from '../../safety/split-check.js';
import { defaultThreshold } from '../../safety/threshold-math.js';
import { intOption, parse } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
import {
  MAX_DKG_MESSAGE_FILE_BYTES,
  MAX_DKG_SMALL_FILE_BYTES,
  abortedError,
  assertNewPaths,
  defaultAbortPath,
  describeCredentials,
  formatOf,
  partyName,
  readJsonFile,
  verdictLine,
} from './dkg-files.js';
import { assertOutputPath, warnLeftovers, writeNewFile } from '../fs.js';
import { amountOption } from './signing.js';
import { collectReadyStep } from './dkg-ready.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new UsageError(`--${option} ${what} is required`);
  return value;
}

/** `--operator [NAME=]0xHOSTPUBKEY`. */
function operatorOption(spec: string, i: number): DkgOperatorJson {
  const at = spec.lastIndexOf('=');
  const name = at < 0 ? undefined : spec.slice(0, at);
  const key = (at < 0 ? spec : spec.slice(at + 1)).trim();
  if (name !== undefined) assertSafeName(name, `--operator ${i + 1} name`);
  const bytes = hexToBytes(key.startsWith('0x') ? key : `0x${key}`, `--operator ${i + 1} host public key`, { length: 32, prefix: 'required' });
  return { hostPublicKey: bytesToHex(bytes, true), ...(name === undefined ? {} : { name }) };
}

/** `dkg init`: the draft, after the threshold safety gate of split. */
export async function initRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    operator: { type: 'string', multiple: true },
    threshold: { type: 'string' },
    network: { type: 'string' },
    'withdrawal-address': { type: 'string' },
    compounding: { type: 'boolean' },
    amount: { type: 'string', multiple: true },
    'num-validators': { type: 'string' },
    'allow-unsafe-threshold': { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  const operators = (v.operator ?? []).map(operatorOption);
  if (operators.length < 2) throw new UsageError('give every operator with --operator [NAME=]0xHOSTPUBKEY, in index order (at least 2)');
  const folders = dkgOperatorNames(operators.map((o) => o.name));
  const renamed = operators.findIndex((o, i) => o.name !== undefined && o.name !== folders[i]);
  if (renamed >= 0) throw new UsageError(`operator name '${operators[renamed]!.name!}' repeats another name (case-insensitively) or is a reserved file name; names become folder names in ceremony.json`);
  const n = operators.length;
  const threshold = intOption(v.threshold, 'threshold', 2) ?? defaultThreshold(n);
  const network = getNetwork(required(v.network, 'network', 'NAME'), '--network');
  const address = parseExecutionAddress(required(v['withdrawal-address'], 'withdrawal-address', '0x…'), '--withdrawal-address');
  const wc = executionWithdrawalCredentials(address, v.compounding === true ? 'compounding' : 'execution');
  const amounts = amountOption(v.amount);
  const V = intOption(v['num-validators'], 'num-validators', 1) ?? 1;
  if (V * amounts.length > MAX_DEPOSIT_DATA_ENTRIES) {
    throw new ValidationError('LIMIT_EXCEEDED', `${V * amounts.length} deposits would not fit one deposit-data.json (dvkeys reads at most ${MAX_DEPOSIT_DATA_ENTRIES}); run several ceremonies`, { field: '--num-validators' });
  }
  const safety = assertSplitSafety(
    { threshold, operators: operators.map((o, i) => ({ name: o.name ?? `operator-${i + 1}`, shares: 1 })) },
    { allowUnsafe: v['allow-unsafe-threshold'] === true },
  );
  await assertNewPaths([out]);
  const draft = createDraft({
    network: { name: network.name, genesisForkVersion: bytesToHex(network.genesisForkVersion, true) },
    threshold,
    operators,
    validators: Array.from({ length: V }, () => ({ withdrawalCredentials: bytesToHex(wc, true), amounts: amounts.map(String) })),
  });
  await writeNewFile(out, json(draft), false, io.signal);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, threshold, operators: n, validators: V, warnings: safety.warnings }, null, 2));
    return 0;
  }
  io.out(`Draft of a ${threshold}-of-${n} DKG of ${V} validator(s) on ${network.name}, withdrawal credentials ${describeCredentials(bytesToHex(wc, true))},`);
  io.out(`deposit amounts (Gwei) ${amounts.join(', ')} per validator.`);
  for (const w of safety.warnings) io.out(`Warning: ${w}`);
  io.out(`Wrote ${out}. Send it to every operator; each runs dvkeys dkg enroll and sends back its enrollment.`);
  return 0;
}

/** Re-throws an error about `enrollments[k]` naming the file instead. */
function nameEnrollment(e: unknown, files: readonly string[]): never {
  const m = isDvkeysError(e) ? /^enrollments\[(\d+)\]/.exec(e.field ?? '') : null;
  if (m === null || !isDvkeysError(e)) throw e;
  throw new ValidationError(e.code, `${files[Number(m[1])] ?? 'an enrollment'}: ${e.message}`, { ...(e.field === undefined ? {} : { field: e.field }), culprits: [...e.culprits] });
}

/** `dkg define`: the definition from the draft and every enrollment (errors name the enrollment file). */
export async function defineRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: files } = parse(args, { draft: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  if (files.length === 0) throw new UsageError('give the enrollment files of every operator');
  await assertNewPaths([out]);
  const draft = await readJsonFile(io, required(v.draft, 'draft', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'draft');
  const enrollments = [];
  for (const f of files) enrollments.push(await readJsonFile(io, f, MAX_DKG_SMALL_FILE_BYTES, 'enrollment'));
  let definition: CeremonyDefinitionJson;
  try {
    definition = defineCeremony(draft, enrollments);
  } catch (e) {
    nameEnrollment(e, files);
  }
  await writeNewFile(out, json(definition), false, io.signal);
  const def = parseDefinition(definition);
  const fp = ceremonyFingerprint(definition);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, ceremonyId: def.idHex, fingerprint: fp }, null, 2));
    return 0;
  }
  io.out(`Defined the ceremony: ${def.t} of ${def.n} operators, ${def.V} validator(s) on ${def.networkName}; every enrollment signature checked.`);
  io.out(`Ceremony id ${def.idHex}`);
  io.out(`Fingerprint ${fp}`);
  io.out(`Wrote ${out}. Send it to every operator and tell them the fingerprint over another channel; each runs`);
  io.out(`dvkeys dkg round1 --definition ${basename(out)} --ceremony-id ${fp} …`);
  return 0;
}

/** `dkg collect`: round 1 (round-1 messages) or round 2 (Acks and complaints, with `--collected`). */
export async function collectRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: files } = parse(
    args,
    { definition: { type: 'string' }, collected: { type: 'string' }, final: { type: 'string' }, out: { type: 'string' }, 'abort-out': { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE (DIR for READY messages)'));
  const abortOut = v['abort-out'] === undefined ? defaultAbortPath(out) : resolve(io.cwd, v['abort-out']);
  if (files.length === 0) throw new UsageError('give the message files of the round (round-1 messages, Acks and complaints, or READY messages)');
  const def = parseDefinition(await readJsonFile(io, required(v.definition, 'definition', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  const messages: unknown[] = [];
  for (const f of files) messages.push(await readJsonFile(io, f, MAX_DKG_MESSAGE_FILE_BYTES, 'message'));
  if (messages.every((m) => formatOf(m) === 'dvkeys/dkg-ready')) {
    // round 3: READY messages -> the deposit certificate and deposit data in a new directory (no abort report: the
    // signed READY messages are the evidence)
    if (v['abort-out'] !== undefined) throw new UsageError('--abort-out belongs to rounds 1 and 2; READY messages that do not make a certificate are their own evidence');
    warnLeftovers(await assertOutputPath(out), io.err);
    return collectReadyStep(io, { definition: def.json, collected: v.collected, final: v.final, out, json: v.json === true }, files, messages);
  }
  if (v.final !== undefined) throw new UsageError('--final belongs to READY messages (round 3), not to rounds 1 and 2');
  await assertNewPaths([out, abortOut]);
  const round1 = messages.map(formatOf).every((f) => f === 'dvkeys/dkg-round1');
  const round2 = messages.map(formatOf).every((f) => f === 'dvkeys/dkg-ack' || f === 'dvkeys/dkg-complaint');
  if (!round1 && !round2) {
    const odd = files.find((_f, i) => !['dvkeys/dkg-round1', 'dvkeys/dkg-ack', 'dvkeys/dkg-complaint'].includes(formatOf(messages[i]) ?? ''));
    throw new UsageError(odd === undefined ? 'give the messages of one round: round-1 messages, Acks and complaints, or READY messages' : `${odd} is not a round-1 message, Ack, complaint or READY message`);
  }
  if (round1 && v.collected !== undefined) throw new UsageError('--collected belongs to round 2 (Acks and complaints), not to round-1 messages');
  let result;
  let used: (m: unknown) => boolean;
  if (round1) {
    result = collectRound1(def.json, messages);
    const sigs = new Set(result.ok ? result.message.round1.map((m) => m.signature) : []);
    used = (m) => sigs.has((m as { signature?: string }).signature ?? '');
  } else {
    const collected = await readJsonFile(io, required(v.collected, 'collected', 'FILE (the collected round 1 these Acks answer)'), MAX_DKG_MESSAGE_FILE_BYTES, 'collected round 1');
    result = collectRound2(def.json, collected, messages);
    const votes = new Set(result.ok ? result.message.certificate : []);
    used = (m) => votes.has((m as { certSignature?: string }).certSignature ?? '');
  }
  const stage = round1 ? 'round 1' : 'round 2';
  if (!result.ok) {
    await writeNewFile(abortOut, json(result.abort), false, io.signal);
    throw abortedError(def.json, `collect ${stage}`, verifyAbortReport(def.json, result.abort), abortOut);
  }
  files.forEach((f, i) => {
    if (!used(messages[i])) io.err(`warning: ignored ${f}: not a validly signed message of this ceremony, or a duplicate`);
  });
  await writeNewFile(out, json(result.message), false, io.signal);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, stage: round1 ? 'round1' : 'round2' }, null, 2));
    return 0;
  }
  if (round1) {
    io.out(`Collected the round-1 messages of all ${def.n} operators (each host signature checked) into ${out}.`);
    io.out('Send it to every operator; each runs dvkeys dkg round2 and sends back its Ack (or a complaint).');
  } else {
    io.out(`Collected ${def.n} Acks over one transcript: every CertEq vote and every deposit partial signature checked,`);
    io.out(`${def.deposits.length} deposit signature(s) combined and verified. Wrote ${out}.`);
    io.out('Send it to every operator; each runs dvkeys dkg finalize.');
  }
  return 0;
}

/** `dkg audit`: checks recovery data without a secret; prints the fingerprint of every operator's ceremony.json. */
export async function auditRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('give exactly one recovery data file (dkg-recovery.json)');
  const recovery = await readJsonFile(io, positionals[0]!, MAX_DKG_MESSAGE_FILE_BYTES, 'recovery data');
  const definition = parseDefinition(parseRecoveryData(recovery).definition);
  const report = audit(recovery);
  if (!report.ok) {
    const verdict = verdictOf(definition.idHex, report.problems);
    throw new VerificationError('DKG_ABORTED', `${positionals[0]!} does not describe a successful ceremony: ${verdictLine(definition.json, verdict)}`, { culprits: [...verdict.culprits] });
  }
  const manifest = dkgManifest({ definition: definition.json, validators: report.validators });
  const fingerprint = manifestFingerprint(serializeManifest(manifest));
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, ceremonyId: report.ceremonyId, transcriptHash: report.transcriptHash, threshold: report.threshold, validators: report.validators.map((x) => bytesToHex(x.pubkey, true)), fingerprint }, null, 2));
    return 0;
  }
  io.out(`Audited ${positionals[0]!}: a successful ${report.threshold}-of-${definition.n} ceremony on ${definition.networkName}, no secret used.`);
  io.out('Checked: every host signature and proof of knowledge, the summed commitments, the certificate of all n operators,');
  io.out('every deposit signature, and the public shares of every validator (low-degree test).');
  io.out(`Ceremony id ${report.ceremonyId}, transcript ${report.transcriptHash}`);
  report.validators.forEach((x, i) => io.out(`  ${i}  ${bytesToHex(x.pubkey, true)}  ${x.deposits.length} deposit(s)`));
  io.out(`Every operator's ceremony.json must have the fingerprint ${fingerprint}`);
  return 0;
}

/** `dkg verify-evidence`: verifies an abort report item by item and prints the verdict. */
export async function verifyEvidenceRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { definition: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('give exactly one abort report (written by collect, round2 or finalize)');
  const def = parseDefinition(await readJsonFile(io, required(v.definition, 'definition', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  const report = await readJsonFile(io, positionals[0]!, MAX_DKG_MESSAGE_FILE_BYTES, 'abort report');
  if (formatOf(report) !== 'dvkeys/dkg-abort') throw new DvkeysError('INVALID_FORMAT', `${positionals[0]!} is not an abort report (format dvkeys/dkg-abort)`, { field: positionals[0]! });
  const verdict = verifyAbortReport(def.json, report);
  const invalid = verdict.blames.filter((b) => b.fault === 'invalid-evidence');
  const items = (report as AbortReportJson).evidence.length;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: invalid.length === 0, culprits: verdict.culprits, suspects: verdict.suspects, blames: verdict.blames, ...(verdict.reason === undefined ? {} : { reason: verdict.reason }) }, null, 2));
    return invalid.length === 0 ? 0 : 1;
  }
  io.out(`Abort report ${positionals[0]!} (${(report as AbortReportJson).stage}): ${items} evidence item(s), each checked independently against the definition.`);
  for (const b of verdict.blames) io.out(`  ${b.certainty.padEnd(21)} ${partyName(def.json, b.culprit)}: ${b.fault}: ${b.detail}`);
  io.out(`Verdict: ${verdictLine(def.json, verdict)}`);
  io.out(invalid.length === 0 ? 'Every evidence item verifies.' : `${invalid.length} evidence item(s) do NOT verify: the reporter (normally the coordinator) is a suspect for them.`);
  return invalid.length === 0 ? 0 : 1;
}
