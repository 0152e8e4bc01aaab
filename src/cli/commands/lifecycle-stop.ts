/**
 * `dvkeys reshare|refresh stop` and `start`: stop the old cluster before the new one signs, and carry its EIP-3076
 * history (issue 16 "the handover is safe"; docs/protocols/lifecycle.md "Stop the old cluster, carry its history";
 * src/lifecycle/stop.ts; decisions 1003 and 1009).
 *
 * - `stop` (each old holder, after its validator client stopped and its history was exported): reads its old
 *   folder, signs a stop record with its old shares over the plan's definition, the epoch and its history.
 * - `start` (each new holder, before its validator client starts): checks at least n_old - t_old + 1 stop records
 *   of the old cluster of the plan its new folder was finalized under (decision 1013), so the old holders still
 *   running cannot reach t_old; merges their histories, writes them re-keyed to its own new share keys as an
 *   EIP-3076 file to import, and states the first epoch it may sign in.
 *
 * @module
 */
import { resolve } from 'node:path';
import { bytesToHex, constantTimeEqual } from '../../bytes.js';
import type { LifecyclePlan } from '../../ceremony/lifecycle-plan.js';
import { folderPlan } from '../../ceremony/lifecycle-output.js';
import { assertPlanId, PLAN_FILE } from '../../ceremony/lifecycle-plan.js';
import { folderKeystores, identifyOperator, readManifest } from '../../ceremony/tree.js';
import { ValidationError } from '../../errors.js';
import { checkInterchangeNetwork, formatInterchangeFile, MAX_INTERCHANGE_TEXT_LENGTH, minifyInterchange, parseInterchangeFile, type Interchange } from '../../eth/slashing-protection.js';
import { checkStops, historyFor, signStop, START_WAIT_EPOCHS, type StopRecord } from '../../lifecycle/stop.js';
import { parseStopRecord, stopRecordToJson } from '../../lifecycle/stop-messages.js';
import type { SecretShare } from '../../types.js';
import { parse } from '../args.js';
import { label, readFolder, readPasswordFile, readText } from '../files.js';
import { writeNewFile } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { assertNewPaths, MAX_DKG_MESSAGE_FILE_BYTES, readJsonFile } from './dkg-files.js';
import { assertDvkeysFolder, json, readOldShares, readPlan, required } from './lifecycle-files.js';
import { maxKdfWorkOption } from './shared.js';

type Kind = 'reshare' | 'refresh';

/** Parses `--epoch`: a decimal uint64. */
function epochOption(value: string | undefined): bigint {
  const text = required(value, 'epoch', 'E (the epoch your validator client stopped at)');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text) || BigInt(text) >= 1n << 64n) throw new UsageError(`--epoch expects a whole epoch number 0..2^64-1, got '${text.slice(0, 40)}'`);
  return BigInt(text);
}

/** Reads an EIP-3076 file, naming it in any error. */
async function readHistory(io: CliIo, file: string): Promise<Interchange> {
  const text = await readText(resolve(io.cwd, file), MAX_INTERCHANGE_TEXT_LENGTH, 'slashing-protection file');
  try {
    return parseInterchangeFile(text);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.code, `${file}: ${e.message}`, e.field === undefined ? {} : { field: e.field });
    throw e;
  }
}

/** The old share id the dvkeys operator folder `dir` holds (read without decrypting). */
async function folderShareId(io: CliIo, dir: string): Promise<bigint> {
  const abs = resolve(io.cwd, dir);
  assertDvkeysFolder(abs, dir);
  const folder = await readFolder(abs, label(abs));
  const manifest = readManifest(folder.files);
  return BigInt(manifest.operators[identifyOperator(folder, manifest, folderKeystores(folder, manifest))]!.index);
}

/** `stop`: an old holder's stop record, signed with its old shares. */
export async function stopRun(kind: Kind, args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    plan: { type: 'string' }, 'plan-id': { type: 'string' }, folder: { type: 'string' }, 'share-password-file': { type: 'string' }, 'max-kdf-work': { type: 'string' },
    epoch: { type: 'string' }, 'slashing-protection': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
  });
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const plan = await readPlan(io, v.plan, kind, required(v['plan-id'], 'plan-id', 'ID|FINGERPRINT (compared out of band)'));
  const epoch = epochOption(v.epoch);
  const history = minifyInterchange(await readHistory(io, required(v['slashing-protection'], 'slashing-protection', 'FILE (the EIP-3076 history your validator client exported after it stopped)')));
  if (plan.old.network !== null) checkInterchangeNetwork(history, plan.old.network);
  const dir = required(v.folder, 'folder', 'DIR (your old operator folder)');
  const id = await folderShareId(io, dir);
  let shares: SecretShare[] = [];
  try {
    shares = await readOldShares(io, dir, plan, id, v['share-password-file'] === undefined ? undefined : await readPasswordFile(resolve(io.cwd, v['share-password-file'])), maxKdfWork);
    const record = signStop(plan.definition, shares, epoch, history);
    await writeNewFile(out, json(stopRecordToJson(plan.id, record)), false, io.signal);
    const entries = history.data.length;
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, holder: Number(id), epoch: epoch.toString(), historyEntries: entries }, null, 2));
    else {
      io.out(`Old share ${id} stopped at epoch ${epoch}: wrote ${out} (your stop record, with ${entries} validator(s) of history); send it to the coordinator.`);
      io.out('Keep your validator client stopped: signing again with the old share after this can be slashable.');
    }
    return 0;
  } finally {
    for (const s of shares) s.secret.fill(0);
  }
}

/** Reads the stop records given as positionals; each must be for this plan. */
async function readStops(io: CliIo, plan: LifecyclePlan, files: readonly string[]): Promise<StopRecord[]> {
  const planHex = bytesToHex(plan.id);
  const out: StopRecord[] = [];
  for (const file of files) {
    const p = parseStopRecord(await readJsonFile(io, file, MAX_DKG_MESSAGE_FILE_BYTES, 'stop record'), file);
    if (bytesToHex(p.planId) !== planHex) throw new ValidationError('CEREMONY_MISMATCH', `${file} is for another plan`, { field: file });
    out.push(p.record);
  }
  return out;
}

/**
 * `start`: a new holder checks the stop records and gets the merged history keyed by its new share keys. The old
 * cluster whose stop records are counted is the one of the plan the folder was finalized under (its
 * lifecycle-plan.json, decision 1013), never one the coordinator hands over now (attack a17: a coordinator's own
 * plan over the same validator keys, with an "old cluster" it made up and signs stop records for).
 */
export async function startRun(kind: Kind, args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, 'plan-id': { type: 'string' }, folder: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE (the EIP-3076 file to import)'));
  await assertNewPaths([out]);
  if (positionals.length === 0) throw new UsageError('give the stop records of the old holders (STOP...)');
  const dir = resolve(io.cwd, required(v.folder, 'folder', 'DIR (your new operator folder)'));
  assertDvkeysFolder(dir, v.folder!);
  const folder = await readFolder(dir, label(dir));
  const manifest = readManifest(folder.files);
  if (manifest.kind !== kind) throw new ValidationError('CEREMONY_MISMATCH', `${v.folder} is a ${manifest.kind} folder, not the new folder of a ${kind}`, { field: 'folder' });
  const recorded = folderPlan(manifest, folder.files, label(dir));
  const plan = v.plan === undefined ? recorded : await readPlan(io, v.plan, kind);
  if (!constantTimeEqual(plan.id, recorded.id)) {
    throw new ValidationError('CEREMONY_MISMATCH', `${v.plan} is plan ${plan.fingerprint}, but ${v.folder} was finalized under plan ${recorded.fingerprint} (its ${PLAN_FILE}): refuse it`, { field: 'plan' });
  }
  if (v['plan-id'] !== undefined) assertPlanId(plan, v['plan-id']);
  const k = identifyOperator(folder, manifest, folderKeystores(folder, manifest));
  const stops = await readStops(io, plan, positionals);
  const check = checkStops(plan.definition, stops);
  if (plan.old.network !== null) checkInterchangeNetwork(check.history, plan.old.network);
  const history = historyFor(plan.definition, check, manifest.validators.map((x) => x.publicShares[k]!));
  await writeNewFile(out, formatInterchangeFile(history), false, io.signal);
  const missing = check.missing.map((m) => `${m}`);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, share: manifest.operators[k]!.index, stopped: check.stopped.map(Number), needed: check.needed, lastEpoch: check.lastEpoch.toString(), startEpoch: check.startEpoch.toString(), missing: check.missing }, null, 2));
    return 0;
  }
  io.out(`${check.stopped.length} of ${plan.old.operators.length} old holders stopped (${check.stopped.join(', ')}; at least ${check.needed} needed): the old holders still running cannot reach the old threshold ${plan.old.threshold}.`);
  io.out(`Wrote ${out}: their merged EIP-3076 history, keyed by your new share keys (share ${manifest.operators[k]!.index}). Import it into your validator client before it starts.`);
  if (missing.length > 0) io.out(`No stopped holder has any history of validator(s) ${missing.join(', ')}: if they ever signed, get the history of a holder that signed before starting.`);
  io.out(`Start no earlier than epoch ${check.startEpoch} (the last old activity, epoch ${check.lastEpoch}, plus ${START_WAIT_EPOCHS}).`);
  return 0;
}
