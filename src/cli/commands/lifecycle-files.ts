/**
 * Files of `dvkeys reshare|refresh|repair` (docs/formats/lifecycle-messages.md): the plan, the message files sorted
 * by format, the wire session rebuilt from the plan and the enrollments, an old holder's shares read from its
 * dvkeys operator folder, and the new folder written atomically and read back as `dvkeys verify` reads it.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { lifecycleFolderFiles, type LifecycleFolderInput } from '../../ceremony/lifecycle-output.js';
import { assertPlanId, parsePlan, PLAN_FILE, type LifecyclePlan, type PlanParty } from '../../ceremony/lifecycle-plan.js';
import { serializeManifest } from '../../ceremony/manifest.js';
import { folderKeystores, identifyOperator, readManifest } from '../../ceremony/tree.js';
import { hostPublicKey } from '../../dkg/index.js';
import { DvkeysError, ValidationError, VerificationError } from '../../errors.js';
import { decryptKeystores } from '../../keys/batch.js';
import { kdfWorkOf, kdfWorkRefusal } from '../../keys/kdf-work.js';
import { LIFECYCLE_FORMATS, parseComplaint, parseEcho, parseEnrollment, parseEquivocation, parseHandover, parseSealed, type SealedStep } from '../../lifecycle/messages.js';
import type { Echo, EquivocationEvidence } from '../../lifecycle/echo.js';
import { wireSession, type Enrollment, type SealedDealing, type WireComplaint, type WireSession } from '../../lifecycle/wire.js';
import type { SignedHandover } from '../../lifecycle/signed-handover.js';
import { toShareIndex, type SecretShare } from '../../types.js';
import { label, readFolder } from '../files.js';
import { readBackTree, removeTree, writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { progressBar } from '../progress.js';
import { MAX_DKG_MESSAGE_FILE_BYTES, MAX_DKG_SMALL_FILE_BYTES, formatOf, readJsonFile } from './dkg-files.js';
import { verifyFolder, type KeystoreOptions } from './dkg-folder.js';
import { INSECURE_KDF, cliKdfWorkError } from './shared.js';
import { omissionError } from '../../lifecycle/omission.js';

/** `JSON.stringify` pretty, with a final newline. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The value of a required option. */
export function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new UsageError(`--${option} ${what} is required`);
  return value;
}

const LIFECYCLE_LAYOUT_REASON = 'reshare, refresh and repair read and write dvkeys operator folders only (decision 1014): a new Charon cluster needs a new cluster-lock signed by every node, an SSV cluster re-registers its operators; combine and split into that layout instead, or use its own tooling (charon alpha edit, ssv-dkg reshare)';

/**
 * Refuses a Charon or SSV cluster record where a lifecycle step reads a dvkeys `ceremony.json` (decision 1014), in
 * one line naming the layout, instead of a parse error about a field.
 * @throws ValidationError `LAYOUT_UNSUPPORTED` (field `option`).
 */
export function assertDvkeysRecord(text: string, file: string, option: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return; // the manifest parser names the JSON error
  }
  if (typeof value !== 'object' || value === null) return;
  const layout = 'lock_hash' in value || 'cluster_definition' in value ? 'Charon cluster-lock' : 'shares' in value && !('format' in value) ? 'SSV keyshares' : undefined;
  if (layout !== undefined) throw new ValidationError('LAYOUT_UNSUPPORTED', `${file} is a ${layout} file: ${LIFECYCLE_LAYOUT_REASON}`, { field: `--${option}` });
}

/**
 * Refuses a Charon node folder or an SSV output folder given as `--folder` (decision 1014), in one line naming the
 * layout.
 * @throws ValidationError `LAYOUT_UNSUPPORTED` (field `--folder`).
 */
export function assertDvkeysFolder(abs: string, dir: string): void {
  const layout = existsSync(join(abs, 'cluster-lock.json')) || existsSync(join(abs, 'validator_keys')) ? 'a Charon node folder' : existsSync(join(abs, 'keyshares.json')) ? 'an SSV keyshares folder' : undefined;
  if (layout !== undefined) throw new ValidationError('LAYOUT_UNSUPPORTED', `${dir} is ${layout}: ${LIFECYCLE_LAYOUT_REASON}`, { field: '--folder' });
}

/** Reads and checks the plan (and, when given, the id or fingerprint compared out of band). */
export async function readPlan(io: CliIo, path: string | undefined, kind: LifecyclePlan['kind'], statedId?: string): Promise<LifecyclePlan> {
  const plan = parsePlan(await readJsonFile(io, required(path, 'plan', 'FILE'), MAX_DKG_SMALL_FILE_BYTES, 'plan'));
  if (plan.kind !== kind) throw new UsageError(`${path} is a ${plan.kind} plan: run dvkeys ${plan.kind}`);
  if (statedId !== undefined) assertPlanId(plan, statedId);
  return plan;
}

/** The message files given as positionals, by kind. */
export interface LifecycleMessages {
  readonly enrollments: Enrollment[];
  readonly sealed: { readonly step: SealedStep; readonly message: SealedDealing; readonly file: string }[];
  readonly complaints: WireComplaint[];
  readonly handovers: SignedHandover[];
  /** The file of each handover, in order. */
  readonly handoverFiles: string[];
  readonly echoes: Echo[];
  readonly equivocations: EquivocationEvidence[];
}

/**
 * Reads message files of any lifecycle format; each must be for this plan.
 * @throws ValidationError `CEREMONY_MISMATCH` (a file of another plan), `DKG_INVALID_MESSAGE`.
 */
export async function readMessages(io: CliIo, plan: LifecyclePlan, files: readonly string[]): Promise<LifecycleMessages> {
  const out: LifecycleMessages = { enrollments: [], sealed: [], complaints: [], handovers: [], handoverFiles: [], echoes: [], equivocations: [] };
  const planHex = bytesToHex(plan.id);
  for (const file of files) {
    const value = await readJsonFile(io, file, MAX_DKG_MESSAGE_FILE_BYTES, 'message');
    const format = formatOf(value);
    let planId: Uint8Array;
    if (format === LIFECYCLE_FORMATS.enrollment) {
      const p = parseEnrollment(value, file);
      planId = p.planId;
      out.enrollments.push(p.enrollment);
    } else if (format === LIFECYCLE_FORMATS.sealed) {
      const p = parseSealed(value, file);
      planId = p.planId;
      out.sealed.push({ step: p.step, message: p.sealed, file });
    } else if (format === LIFECYCLE_FORMATS.complaint) {
      const p = parseComplaint(value, file);
      planId = p.planId;
      out.complaints.push(p.complaint);
    } else if (format === LIFECYCLE_FORMATS.handover) {
      const p = parseHandover(value, file);
      planId = p.planId;
      out.handovers.push(p.handover);
      out.handoverFiles.push(file);
    } else if (format === LIFECYCLE_FORMATS.echo) {
      const p = parseEcho(value, file);
      planId = p.planId;
      out.echoes.push(p.echo);
    } else if (format === LIFECYCLE_FORMATS.equivocation) {
      const p = parseEquivocation(value, file);
      planId = p.planId;
      out.equivocations.push(p.evidence);
    } else throw new ValidationError('INVALID_FORMAT', `${file} is no lifecycle message (format ${format ?? 'missing'})`, { field: file });
    if (bytesToHex(planId) !== planHex) throw new ValidationError('CEREMONY_MISMATCH', `${file} is for another plan`, { field: file });
  }
  return out;
}

/**
 * The wire session from `senders` to `recipients`, with the recipients' enrollments in plan order.
 * @throws ValidationError `DEALER_MISSING` (an enrollment missing; suspects: those recipients and `coordinator`), `INVALID_SHARE_ID`
 *   (an enrollment of a stranger), `CEREMONY_MISMATCH` (an enrollment under another host key than the plan's);
 *   VerificationError `SIGNATURE_INVALID`.
 */
export function planSession(plan: LifecyclePlan, senders: readonly PlanParty[], recipients: readonly PlanParty[], enrollments: readonly Enrollment[]): WireSession {
  const byId = new Map<bigint, Enrollment>();
  for (const e of enrollments) {
    const r = recipients.find((x) => x.id === e.id);
    if (r === undefined) continue;
    if (bytesToHex(r.hostKey) !== bytesToHex(e.hostKey)) throw new ValidationError('CEREMONY_MISMATCH', `the enrollment of ${e.id} is under another host key than the plan's`, { field: 'enrollments', culprits: [e.id.toString()] });
    if (byId.has(e.id)) throw new ValidationError('DUPLICATE_SHARE_ID', `two enrollments of ${e.id}`, { field: 'enrollments', culprits: [e.id.toString()] });
    byId.set(e.id, e);
  }
  const missing = recipients.filter((r) => !byId.has(r.id)).map((r) => r.id.toString());
  if (missing.length > 0) throw omissionError('DEALER_MISSING', `no enrollment of recipient ${missing.join(', ')}`, 'recipient', missing, 'enrollments', 'nothing was done');
  return wireSession(plan.id, plan.old.validators.length, senders.map((s) => ({ id: s.id, hostKey: s.hostKey })), recipients.map((r) => byId.get(r.id)!));
}

/** The plan party whose host key this is, among `parties`. */
export function partyOf(parties: readonly PlanParty[], hostSecretKey: Uint8Array, role: string): PlanParty {
  const me = bytesToHex(hostPublicKey(hostSecretKey));
  const p = parties.find((x) => bytesToHex(x.hostKey) === me);
  if (p === undefined) throw new ValidationError('INVALID_SHARE_ID', `this host key (0x${me}) is no ${role} of the plan`, { field: 'host-key' });
  return p;
}

/**
 * An old holder's shares from its dvkeys operator folder: the folder's ceremony.json must be the plan's old one and
 * its keystores the shares of share id `id`. The folder's KDF work is counted before the first KDF and held against
 * `maxKdfWork` (`--max-kdf-work`; default 2 units per keystore), by the rule of combine (decision 0213): whoever
 * wrote the folder (a dealer, a restored backup) chose its KDF parameters.
 * @throws ValidationError `CEREMONY_MISMATCH`, `LIMIT_EXCEEDED` (field `--max-kdf-work`, nothing decrypted),
 *   keystore errors (`WRONG_PASSWORD` naming the file).
 */
export async function readOldShares(io: CliIo, dir: string, plan: LifecyclePlan, id: bigint, sharePassword: string | undefined, maxKdfWork?: number): Promise<SecretShare[]> {
  const abs = resolve(io.cwd, dir);
  assertDvkeysFolder(abs, dir);
  const folder = await readFolder(abs, label(abs));
  const manifest = readManifest(folder.files);
  if (serializeManifest(manifest) !== plan.oldText) throw new ValidationError('CEREMONY_MISMATCH', `${dir} holds shares of another cluster than the plan's`, { field: dir });
  // decision 1013: a repair carries the plan the cluster was made under; it must be the one this folder records
  if (plan.oldPlan !== undefined) {
    const copy = folder.files.get(PLAN_FILE);
    if (copy === undefined || new TextDecoder().decode(copy) !== plan.oldPlan.text) throw new ValidationError('CEREMONY_MISMATCH', `the plan's old plan (${plan.oldPlan.fingerprint}) is not the ${PLAN_FILE} of ${dir}: do not go on (the plan is not the one agreed)`, { field: dir });
  }
  const keystores = folderKeystores(folder, manifest);
  const k = identifyOperator(folder, manifest, keystores);
  if (BigInt(manifest.operators[k]!.index) !== id) throw new ValidationError('CEREMONY_MISMATCH', `${dir} holds share ${manifest.operators[k]!.index}, the plan gives this host key share ${id}`, { field: dir });
  if (keystores.length !== manifest.validators.length) throw new DvkeysError('INVALID_FORMAT', `${dir} holds ${keystores.length} of ${manifest.validators.length} keystores`, { field: dir });
  const items = keystores.map((ks) => {
    const password = ks.password ?? sharePassword;
    if (password === undefined) throw new ValidationError('INVALID_ARGUMENT', `${ks.file} has no .txt password beside it; give --share-password-file`, { field: ks.file });
    return { keystore: ks.keystore, password, source: ks.file };
  });
  const refused = kdfWorkRefusal(kdfWorkOf(items, maxKdfWork));
  if (refused !== undefined) throw cliKdfWorkError(refused);
  const secrets = await decryptKeystores(items, { signal: io.signal });
  return secrets.map((secret) => ({ id: toShareIndex(id), secret }));
}

/**
 * Writes the new folder atomically, reads it back and verifies it as `dvkeys verify <folder>` does; removes it on
 * any failure. Returns its fingerprint and file names.
 */
export async function writeLifecycleFolder(io: CliIo, out: string, input: Omit<LifecycleFolderInput, 'kdf' | 'kdfParams' | 'sharePassword' | 'signal'>, o: KeystoreOptions): Promise<{ fingerprint: string; files: string[] }> {
  const bar = progressBar(io, 'encrypting share keystores', o.quiet);
  let made;
  try {
    made = await lifecycleFolderFiles({ ...input, kdf: o.kdf, ...(o.insecure ? { kdfParams: INSECURE_KDF[o.kdf] } : {}), ...(o.sharePassword === undefined ? {} : { sharePassword: o.sharePassword }), signal: io.signal, onProgress: bar.onProgress });
  } finally {
    bar.done();
  }
  const files = made.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
  try {
    await writeTreeAtomically(out, files, io.signal);
    try {
      await readBackTree(out, files);
      return { fingerprint: await verifyFolder(io, out, o.sharePassword, o.quiet), files: files.map((f) => f.path) };
    } catch (e) {
      await removeTree(out);
      if (e instanceof VerificationError) throw new VerificationError(e.code, `${e.message}; the output was removed`, { ...(e.field === undefined ? {} : { field: e.field }), culprits: [...e.culprits] });
      throw e;
    }
  } finally {
    for (const f of made) if (f.kind === 'password') f.bytes.fill(0);
  }
}

/** Parses `ID=0xHOSTKEY` (or `NAME=0xHOSTKEY`) option values. */
export function hostKeyOption(value: string, option: string): { key: string; hostKey: Uint8Array } {
  const m = /^([^=]+)=(0x[0-9a-f]{64})$/.exec(value);
  if (m === null) throw new UsageError(`--${option} expects ID=0xHOSTPUBKEY (32-byte x-only host public key in lowercase hex), got '${value.slice(0, 80)}'`);
  return { key: m[1]!, hostKey: Uint8Array.from(Buffer.from(m[2]!.slice(2), 'hex')) };
}

/** Parses a bare `0xHOSTKEY` option value (32-byte x-only host public key, lowercase hex). */
function bareHostKey(value: string, option: string): string {
  if (!/^0x[0-9a-f]{64}$/.test(value)) throw new UsageError(`--${option} expects 0xHOSTPUBKEY (32-byte x-only host public key in lowercase hex), got '${value.slice(0, 80)}'`);
  return value;
}

/**
 * Checks that the plan's recipients have exactly the host keys this sender was given by the recipients themselves
 * (attack a11: whoever writes the plan chooses whom the sub-shares are sealed to, so a coordinator naming its own host
 * key as a recipient would receive that share; the plan fingerprint, compared among senders only, cannot show it).
 * @throws UsageError (no key stated); ValidationError `CEREMONY_MISMATCH` (field the option: a plan recipient with a
 *   key not stated, or a stated key the plan lacks).
 */
export function assertRecipientKeys(plan: LifecyclePlan, stated: readonly string[] | undefined, option: string, who: string): void {
  if (stated === undefined || stated.length === 0) {
    throw new UsageError(`--${option} 0xHOSTPUBKEY is required: the host key of ${who}, as ${plan.recipients.length === 1 ? 'that holder gives it' : 'each gives it'} to you directly (not through the coordinator); the plan seals shares to the keys it lists`);
  }
  const keys = new Set(stated.map((k) => bareHostKey(k, option)));
  for (const r of plan.recipients) {
    const key = bytesToHex(r.hostKey, true);
    if (!keys.has(key)) {
      throw new ValidationError('CEREMONY_MISMATCH', `the plan seals share ${r.id} (${r.name}) to host key ${key}, which is not a key you stated with --${option}: do not go on; whoever holds that key would receive the share`, { field: `--${option}` });
    }
    keys.delete(key);
  }
  const extra = [...keys];
  if (extra.length > 0) throw new ValidationError('CEREMONY_MISMATCH', `the plan has no recipient with the stated host key ${extra[0]}: do not go on (the plan is not the one agreed)`, { field: `--${option}` });
}

/**
 * Checks the plan's new threshold against the one this dealer agreed to (attack a12: the plan is the coordinator's,
 * and a plan of t' = 1 with the safety gate waived would make every new folder the validator key). A plan that
 * waives the gate is dealt into only when the dealer waives it too.
 * @throws UsageError (no --new-threshold); ValidationError `CEREMONY_MISMATCH` (another t'), `UNSAFE_THRESHOLD` (the
 *   plan waives the gate and the dealer did not).
 */
export function assertStatedThreshold(plan: LifecyclePlan, stated: string | undefined, allowUnsafe: boolean): void {
  if (stated === undefined) throw new UsageError("--new-threshold T' is required: the new threshold you agreed to with the other dealers and the new operators (the plan is the coordinator's)");
  if (!/^[1-9][0-9]{0,5}$/.test(stated)) throw new UsageError(`--new-threshold expects a whole number, got '${stated.slice(0, 20)}'`);
  const n = plan.recipients.length;
  if (Number(stated) !== plan.newThreshold) {
    throw new ValidationError('CEREMONY_MISMATCH', `the plan's new threshold is ${plan.newThreshold} of ${n}, not the ${stated} you stated: do not deal (the plan is not the one agreed)`, { field: '--new-threshold' });
  }
  if (plan.allowUnsafeThreshold && !allowUnsafe) {
    throw new ValidationError('UNSAFE_THRESHOLD', `the plan waives the slashing-safety gate for ${plan.newThreshold} of ${n} (--allow-unsafe-threshold at init): deal into it only if you agreed to that, with --allow-unsafe-threshold yourself`, { field: '--allow-unsafe-threshold' });
  }
}
