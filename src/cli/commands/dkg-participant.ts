/**
 * The operator's steps of `dvkeys dkg`: keygen, enroll, round1, round2, finalize, recover. Each reads JSON files,
 * runs one pure step of src/dkg, and writes new files only (never over an existing one): public messages 0644,
 * the host key and sealed states 0600, the output folder atomically (src/ceremony/dkg-output.ts).
 *
 * @module
 */
import { resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import {
  ceremonyFingerprint,
  enroll,
  finalizeFromAcks,
  finalizeParticipant,
  generateHostSecretKey,
  hostPublicKey,
  parseDefinition,
  parseDraft,
  processRound1,
  recover,
  startRound1,
  verifyAbortReport,
  wipeOutput,
  type AbortReportJson,
  type CeremonyDefinitionJson,
  type CollectedJson,
  type EvidenceJson,
  type ParticipantOutput,
  type RecoveryDataJson,
} from '../../dkg/index.js';
import { DvkeysError } from '../../errors.js';
import { parse } from '../args.js';
import { readText } from '../files.js';
import { NEW_PASSWORD, secretOption } from '../prompt.js';
import { assertOutputPath, warnLeftovers } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import {
  MAX_DKG_MESSAGE_FILE_BYTES,
  MAX_DKG_SMALL_FILE_BYTES,
  abortedError,
  assertNewPaths,
  defaultAbortPath,
  formatOf,
  hostKeyFileText,
  openHostKeyText,
  describeCredentials,
  partyNameCapitalized,
  readHostKey,
  readJsonFile,
  readSealedState,
  replaceSealedState,
  dkgMessageCap,
  writeSealedState,
  MAX_HOST_KEY_FILE_BYTES,
} from './dkg-files.js';
import { writeNewFile } from '../fs.js';
import { assertDkgOutputLayout, keystoreOptions, outputJson, printFolder, writeFolder } from './dkg-folder.js';
import { kdfOption } from './shared.js';
import { withJournal } from '../journal.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new UsageError(`--${option} ${what} is required`);
  return value;
}

/** `dkg keygen`: a new host key file (0600, optionally encrypted), read back and opened before success. */
export async function keygenRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { out: { type: 'string' }, 'password-file': { type: 'string' }, kdf: { type: 'string' }, 'insecure-keys': { type: 'boolean' }, json: { type: 'boolean' } });
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  const kdf = kdfOption(v.kdf);
  if (v['password-file'] === undefined && (kdf !== undefined || v['insecure-keys'] === true)) throw new UsageError('--kdf and --insecure-keys need --password-file (they set how the host key is encrypted)');
  await assertNewPaths([out]);
  const password = await secretOption(io, v['password-file'], { flag: '--password-file', what: 'password for the host key', ...NEW_PASSWORD });
  if (v['insecure-keys'] === true) io.err('dvkeys dkg keygen: WARNING: --insecure-keys encrypts the host key with tiny KDF costs; never use it for a real ceremony');
  const secret = generateHostSecretKey();
  let publicKey: string;
  try {
    publicKey = bytesToHex(hostPublicKey(secret), true);
    const text = await hostKeyFileText(secret, { ...(password === undefined ? {} : { password }), kdf: kdf ?? 'scrypt', insecure: v['insecure-keys'] === true, signal: io.signal });
    await writeNewFile(out, text, true, io.signal);
    // read it back and open it, so a key we cannot use is never reported as made
    (await openHostKeyText(await readText(out, MAX_HOST_KEY_FILE_BYTES, 'host key file'), v.out!, password, io.signal)).fill(0);
  } finally {
    secret.fill(0);
  }
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, hostPublicKey: publicKey, encrypted: password !== undefined }, null, 2));
    return 0;
  }
  io.out(`Wrote host key ${out} (mode 0600${password === undefined ? ', not encrypted' : ', encrypted with the password'}).`);
  io.out(`Host public key: ${publicKey}`);
  io.out('Send the public key (only it) to the coordinator. Keep the host key file: it signs every message of your');
  io.out('ceremonies and, with the recovery data, rebuilds your keystores (dvkeys dkg recover). Back it up offline.');
  return 0;
}

/** `dkg enroll`: prints what the draft fixes and writes this operator's signed enrollment. */
export async function enrollRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { draft: { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, coordinator: { type: 'string' } });
  // decision 0448: a `dkg serve` starts from the definition, which needs every enrollment first
  if (v.coordinator !== undefined) throw new UsageError('--coordinator: enrollment runs over files only (decision 0448): send the enrollment file to the coordinator, who runs dkg define, then dkg serve; dkg join starts from the definition');
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const { json: draft, draftHash } = parseDraft(await readJsonFile(io, required(v.draft, 'draft', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'draft'));
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let index: number;
  try {
    const me = bytesToHex(hostPublicKey(secret), true);
    index = draft.operators.findIndex((o) => o.hostPublicKey === me) + 1;
    await writeNewFile(out, json(enroll(draft, secret)), false, io.signal);
  } finally {
    secret.fill(0);
  }
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, index, draftHash }, null, 2));
    return 0;
  }
  const wcs = [...new Set(draft.validators.map((x) => describeCredentials(x.withdrawalCredentials)))];
  const amounts = [...new Set(draft.validators.map((x) => x.amounts.join('+')))];
  io.out(`Enrolled as operator ${index} of ${draft.operators.length} in draft ${draftHash.slice(0, 18)}…; your signature covers:`);
  io.out(`  network ${draft.network.name} (${draft.network.genesisForkVersion}), threshold ${draft.threshold} of ${draft.operators.length}, ${draft.validators.length} validator(s)`);
  io.out(`  withdrawal credentials ${wcs.join(', ')}; deposit amounts (Gwei) ${amounts.join(', ')}`);
  draft.operators.forEach((o, i) => io.out(`  operator ${i + 1}${o.name === undefined ? '' : ` ${o.name}`}: ${o.hostPublicKey}${i + 1 === index ? '  (you)' : ''}`));
  io.out(`Wrote ${out}: send it to the coordinator. If any line above is not what you agreed, do not send it.`);
  return 0;
}

function checkCeremonyId(def: CeremonyDefinitionJson, idHex: string, expected: string | undefined): void {
  const fp = ceremonyFingerprint(def);
  if (expected === undefined) {
    throw new DvkeysError('DKG_CEREMONY_ID_REQUIRED', `give --ceremony-id: the fingerprint (or id) of the definition all operators compared over a separate channel; this definition's is ${fp}`, { field: '--ceremony-id' });
  }
  const e = expected.trim().toLowerCase();
  if (e !== idHex && e !== fp) {
    throw new DvkeysError('CEREMONY_MISMATCH', `the definition's ceremony id is ${idHex} (fingerprint ${fp}), not the approved ${expected.trim()}: do not take part`, { field: '--ceremony-id' });
  }
}

/** `dkg round1`: checks the approved ceremony id, deals, writes the round-1 message and the sealed state. */
export async function round1Run(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    definition: { type: 'string' },
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    'ceremony-id': { type: 'string' },
    out: { type: 'string' },
    'state-out': { type: 'string' },
    json: { type: 'boolean' },
  });
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  const stateOut = resolve(io.cwd, required(v['state-out'], 'state-out', 'FILE'));
  await assertNewPaths([out, stateOut]);
  const def = parseDefinition(await readJsonFile(io, required(v.definition, 'definition', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'definition'));
  checkCeremonyId(def.json, def.idHex, v['ceremony-id']);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let index: number;
  try {
    // the journal beside the host key records the deal (fsynced) before anything is written: one deal per ceremony
    index = await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(hostPublicKey(secret), true), async (journal) => {
      journal.assertNot(def.idHex, 'dealt');
      const { state, message } = startRound1(def.json, secret, { expectedCeremonyId: def.idHex });
      await journal.append(def.idHex, 'dealt', state.round1Digest);
      await writeSealedState(stateOut, state, secret, io.signal);
      await writeNewFile(out, json(message), false, io.signal);
      return state.index;
    });
  } finally {
    secret.fill(0);
  }
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, stateOut, index, ceremonyId: def.idHex, fingerprint: ceremonyFingerprint(def.json) }, null, 2));
    return 0;
  }
  io.out(`${partyNameCapitalized(def.json, String(index))} dealt ${def.V} validator(s) for ceremony ${ceremonyFingerprint(def.json)} (threshold ${def.t} of ${def.n}).`);
  io.out(`Wrote ${out}: send it to the coordinator.`);
  io.out(`Wrote ${stateOut} (sealed under your host key, mode 0600): keep it for round2. The journal beside your host`);
  io.out('key records the deal and refuses a second one in this ceremony; keep it with the key (decision 0430).');
  return 0;
}

/** A coordinator's abort report given where a message was expected: verify it and stop with its verdict. */
function coordinatorAbort(def: CeremonyDefinitionJson, report: unknown, path: string): never {
  const verdict = verifyAbortReport(def, report);
  const stage = (report as AbortReportJson).stage;
  throw abortedError(def, `${stage === 'finalize' ? stage : `round ${stage.slice(-1)}`} (the coordinator's abort report)`, verdict, path);
}

function evidenceReport(ceremonyId: string, stage: AbortReportJson['stage'], collected: unknown, evidence: readonly EvidenceJson[]): AbortReportJson {
  return { format: 'dvkeys/dkg-abort', version: 1, ceremonyId, stage, collected: collected as CollectedJson, evidence };
}

/** `dkg round2`: processes the collected round 1; writes an Ack, or a complaint and evidence (exit 1). */
export async function round2Run(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    state: { type: 'string' },
    collected: { type: 'string' },
    out: { type: 'string' },
    'state-out': { type: 'string' },
    'abort-out': { type: 'string' },
    json: { type: 'boolean' },
  });
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  const stateOut = resolve(io.cwd, required(v['state-out'], 'state-out', 'FILE'));
  const abortOut = v['abort-out'] === undefined ? defaultAbortPath(out) : resolve(io.cwd, v['abort-out']);
  await assertNewPaths([out, stateOut, abortOut]);
  const collectedPath = required(v.collected, 'collected', 'FILE');
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  try {
    const state = await readSealedState(io, v.state, secret);
    const def = state.definition;
    const collected = await readJsonFile(io, collectedPath, dkgMessageCap(parseDefinition(def)), 'collected round 1');
    if (formatOf(collected) === 'dvkeys/dkg-abort') coordinatorAbort(def, collected, collectedPath);
    // one answer per ceremony and host key, whatever state file is given (a copy, a restored backup): the journal
    // refuses a second one and records this one (fsynced) before any message is written
    return await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(hostPublicKey(secret), true), async (journal) => {
      if (state.step === 'round1') journal.assertNot(state.ceremonyId, 'answered');
      const r = processRound1(state, secret, collected);
      if (r.state.transcriptHash !== undefined) await journal.append(state.ceremonyId, 'answered', r.state.transcriptHash);
      await writeSealedState(stateOut, r.state, secret, io.signal);
      // one answer per operator and attempt (decision 0411): once an Ack or a complaint is signed, the round-1 state
      // file is replaced by a public `superseded` marker, so round2 cannot run on it again with another collected round 1
      const answered = r.state.transcriptHash;
      if (answered !== undefined) {
        const { secret: _s, shares: _sh, pubkeys: _p, commitments: _c, publicShares: _ps, hashedDeposits: _h, ...pub } = r.state;
        const reason = `consumed by dkg round2, which answered transcript ${answered} (${r.ok ? 'Ack' : 'complaint'}); the state is now ${stateOut}`;
        await replaceSealedState(resolve(io.cwd, v.state!), { ...pub, step: 'superseded', reason }, secret, io.signal);
      }
      if (!r.ok) {
        if (r.message !== undefined) await writeNewFile(out, json(r.message), false, io.signal);
        await writeNewFile(abortOut, json(evidenceReport(state.ceremonyId, 'round1', collected, r.evidence)), false, io.signal);
        throw abortedError(def, 'round 2', r.verdict, abortOut, r.message === undefined ? undefined : `send your complaint ${out} to the coordinator`);
      }
      await writeNewFile(out, json(r.message), false, io.signal);
      if (v.json === true) {
        io.out(JSON.stringify({ ok: true, out, stateOut, index: state.index, transcriptHash: r.message.transcriptHash }, null, 2));
        return 0;
      }
      io.out(`${partyNameCapitalized(def, String(state.index))} checked every round-1 message and its own shares; transcript ${r.message.transcriptHash.slice(0, 18)}…`);
      io.out(`Wrote ${out} (Ack with deposit partial signatures): send it to the coordinator.`);
      io.out(`Wrote ${stateOut} (sealed: it holds your shares; mode 0600): keep it for finalize.`);
      return 0;
    });
  } finally {
    secret.fill(0);
  }
}

/**
 * `dkg finalize`: checks the final message (or rebuilds it from the n relayed Acks given instead of `--final`: a
 * coordinator withholding `final` cannot stop an operator that has them) and writes the operator folder; evidence on
 * a fault.
 */
export async function finalizeRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: ackFiles } = parse(args, {
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    state: { type: 'string' },
    collected: { type: 'string' },
    final: { type: 'string' },
    out: { type: 'string' },
    'abort-out': { type: 'string' },
    'share-password-file': { type: 'string' },
    kdf: { type: 'string' },
    'insecure-keys': { type: 'boolean' },
    layout: { type: 'string' },
    'fee-recipient': { type: 'string' },
    json: { type: 'boolean' },
  }, true);
  assertDkgOutputLayout(v);
  const out = resolve(io.cwd, required(v.out, 'out', 'DIR'));
  if ((v.final === undefined) === (ackFiles.length === 0)) throw new UsageError('give either --final FILE (from the coordinator) or the n Ack files instead (to finalize without the final message)');
  const abortOut = v['abort-out'] === undefined ? `${out}.abort.json` : resolve(io.cwd, v['abort-out']);
  warnLeftovers(await assertOutputPath(out), io.err);
  await assertNewPaths([abortOut]);
  const collectedPath = required(v.collected, 'collected', 'FILE');
  const ks = await keystoreOptions(v, io, 'finalize');
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let state;
  try {
    state = await readSealedState(io, v.state, secret);
  } finally {
    secret.fill(0);
  }
  const def = state.definition;
  const cap = dkgMessageCap(parseDefinition(def));
  const collected = await readJsonFile(io, collectedPath, cap, 'collected round 1');
  let r;
  if (v.final !== undefined) {
    const final = await readJsonFile(io, v.final, cap, 'final message');
    if (formatOf(final) === 'dvkeys/dkg-abort') coordinatorAbort(def, final, v.final);
    r = finalizeParticipant(state, collected, final);
  } else {
    const acks: unknown[] = [];
    for (const f of ackFiles) acks.push(await readJsonFile(io, f, cap, 'Ack'));
    r = finalizeFromAcks(state, collected, acks);
  }
  if (!r.ok) {
    // from Acks, the evidence is that of the coordinator's round-2 collection, as this operator ran it
    await writeNewFile(abortOut, json(evidenceReport(state.ceremonyId, v.final === undefined ? 'round2' : 'finalize', collected, r.evidence)), false, io.signal);
    throw abortedError(def, v.final === undefined ? 'finalize (from the Acks)' : 'finalize', r.verdict, abortOut);
  }
  try {
    const written = await writeFolder(io, out, r.output, r.recovery, ks);
    if (v.json === true) io.out(outputJson(out, r.output, written));
    else {
      printFolder(io, v.final === undefined ? `Finalized from the ${ackFiles.length} relayed Ack file(s), without a final message,` : 'Finalized', out, r.output, def, written);
      io.out(`Your sealed state files now only duplicate this folder: delete them (${v.state ?? 'state'} and earlier).`);
    }
    return 0;
  } finally {
    wipeOutput(r.output);
  }
}

/** `dkg recover`: rebuilds the operator folder from the host key and the recovery data. */
export async function recoverRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    recovery: { type: 'string' },
    out: { type: 'string' },
    'share-password-file': { type: 'string' },
    kdf: { type: 'string' },
    'insecure-keys': { type: 'boolean' },
    layout: { type: 'string' },
    'fee-recipient': { type: 'string' },
    json: { type: 'boolean' },
  });
  assertDkgOutputLayout(v);
  const out = resolve(io.cwd, required(v.out, 'out', 'DIR'));
  warnLeftovers(await assertOutputPath(out), io.err);
  const recovery = (await readJsonFile(io, required(v.recovery, 'recovery', 'FILE'), MAX_DKG_MESSAGE_FILE_BYTES, 'recovery data')) as RecoveryDataJson;
  const ks = await keystoreOptions(v, io, 'recover');
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let output: ParticipantOutput;
  try {
    output = recover(secret, recovery);
  } finally {
    secret.fill(0);
  }
  try {
    const written = await writeFolder(io, out, output, recovery, ks);
    if (v.json === true) io.out(outputJson(out, output, written));
    else printFolder(io, 'Recovered', out, output, recovery.definition, written);
    return 0;
  } finally {
    wipeOutput(output);
  }
}
