/**
 * The steps of `dvkeys reshare` and `dvkeys refresh` over files (docs/protocols/lifecycle.md "CLI"; decision 1005):
 * init (the plan), enroll (each recipient), deal (each sender, sealed to the recipients, once per plan and host
 * key), finalize (each recipient: check, open, combine, write its new folder and its handover partials) and
 * handover (anyone: all n' partials, then "old shares may now be deleted"). Secrets exist only in memory and in the
 * written keystores; every message crosses the coordinator sealed or public.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { createPlan, PLAN_FILE, type LifecyclePlan } from '../../ceremony/lifecycle-plan.js';
import { lifecycleManifest } from '../../ceremony/lifecycle-output.js';
import { ValidationError, VerificationError, isDvkeysError, type DvkeysError } from '../../errors.js';
import { checkEchoes, equivocationsIn, signEcho, transcriptOf, verifyEquivocation, type Transcript } from '../../lifecycle/echo.js';
import { complaintToJson, echoToJson, enrollmentToJson, equivocationToJson, handoverToJson, sealedToJson } from '../../lifecycle/messages.js';
import { checkHandover, signHandover } from '../../lifecycle/handover.js';
import { checkSignedHandovers, judgeHandover, signHandoverMessage } from '../../lifecycle/signed-handover.js';
import { checkRefreshDealings, combineRefresh, dealRefresh, refreshOutput, type RefreshDefinition } from '../../lifecycle/refresh.js';
import { checkReshareDealings, combineReshare, dealReshare, reshareOutput } from '../../lifecycle/reshare.js';
import type { ReshareDefinition } from '../../lifecycle/reshare-definition.js';
import { START_WAIT_EPOCHS } from '../../lifecycle/stop.js';
import { checkSealed, complain, enrollRecipient, judgeComplaint, openSealed, sealDealing, sessionFingerprint, type SealedDealing } from '../../lifecycle/wire.js';
import type { SecretBytes, SecretShare, ShareIndex } from '../../types.js';
import { parse } from '../args.js';
import { readPasswordFile, readText } from '../files.js';
import { assertOutputPath, warnLeftovers, writeNewFile } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { withJournal } from '../journal.js';
import { assertNewPaths, readHostKey } from './dkg-files.js';
import { keystoreOptions } from './dkg-folder.js';
import { assertDvkeysRecord, assertRecipientKeys, assertStatedThreshold, hostKeyOption, json, partyOf, planSession, readMessages, readOldShares, readPlan, required, writeLifecycleFolder } from './lifecycle-files.js';
import { maxKdfWorkOption } from './shared.js';
import { MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../../ceremony/manifest.js';

type Kind = 'reshare' | 'refresh' | 'repair';

const idOf = (key: string, option: string): number => {
  if (!/^[1-9][0-9]{0,9}$/.test(key)) throw new UsageError(`--${option} expects ID=0xHOSTPUBKEY with a share id, got '${key}'`);
  return Number(key);
};

/** The lifecycle-plan.json beside a reshare or refresh cluster's ceremony.json (undefined for other kinds). */
async function oldPlanBeside(oldPath: string, oldManifestText: string): Promise<string | undefined> {
  const kindOf = parseManifest(oldManifestText, 'old ceremony.json').kind;
  if (kindOf !== 'reshare' && kindOf !== 'refresh') return undefined;
  const file = join(dirname(oldPath), PLAN_FILE);
  if (!existsSync(file)) throw new ValidationError('INVALID_ARGUMENT', `${file} is missing: a repair of a ${kindOf} cluster carries the plan its folders record; give --old the ceremony.json of a helper's folder`, { field: '--old' });
  return readText(file, MAX_MANIFEST_TEXT_LENGTH, PLAN_FILE);
}

/** `init`: the plan from the old ceremony.json, the old threshold (stated), senders and recipients. */
export async function initRun(kind: Kind, args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    old: { type: 'string' }, threshold: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    dealer: { type: 'string', multiple: true }, 'new-operator': { type: 'string', multiple: true }, 'new-threshold': { type: 'string' }, 'allow-unsafe-threshold': { type: 'boolean' },
    participant: { type: 'string', multiple: true }, helper: { type: 'string', multiple: true }, recipient: { type: 'string' },
  });
  const only: Record<Kind, string[]> = { reshare: ['dealer', 'new-operator', 'new-threshold', 'allow-unsafe-threshold'], refresh: ['participant'], repair: ['helper', 'recipient'] };
  for (const k of Object.keys(v)) {
    const foreign = (Object.keys(only) as Kind[]).find((x) => x !== kind && only[x].includes(k));
    if (foreign !== undefined) throw new UsageError(`--${k} belongs to dvkeys ${foreign} init`);
  }
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const threshold = Number(required(v.threshold, 'threshold', 'T (the old cluster\'s threshold, stated explicitly)'));
  const oldManifestText = await readText(resolve(io.cwd, required(v.old, 'old', 'FILE (the old cluster\'s ceremony.json)')), MAX_MANIFEST_TEXT_LENGTH, 'old ceremony.json');
  assertDvkeysRecord(oldManifestText, v.old!, 'old');
  const ids = (list: string[] | undefined, option: string): { id: number; hostKey: Uint8Array }[] => (list ?? []).map((x) => {
    const p = hostKeyOption(x, option);
    return { id: idOf(p.key, option), hostKey: p.hostKey };
  });
  const senders = ids(kind === 'reshare' ? v.dealer : kind === 'refresh' ? v.participant : v.helper, kind === 'reshare' ? 'dealer' : kind === 'refresh' ? 'participant' : 'helper');
  const recipients = kind === 'reshare'
    ? (v['new-operator'] ?? []).map((x, i) => {
        const p = hostKeyOption(x, 'new-operator');
        const [name, group] = p.key.split('@');
        return { id: i + 1, hostKey: p.hostKey, name: name!, group: group ?? name! };
      })
    : kind === 'repair' ? ids(v.recipient === undefined ? [] : [v.recipient], 'recipient') : [];
  if (!Number.isSafeInteger(threshold)) throw new UsageError('--threshold expects a whole number');
  const newThreshold = v['new-threshold'] === undefined ? undefined : Number(v['new-threshold']);
  if (kind === 'reshare' && (newThreshold === undefined || !Number.isSafeInteger(newThreshold))) throw new UsageError('--new-threshold T\' is required');
  // decision 1013: a repair of a reshare or refresh cluster carries the plan its folders record (the one beside --old)
  const oldPlanText = kind === 'repair' ? await oldPlanBeside(resolve(io.cwd, v.old!), oldManifestText) : undefined;
  const plan = createPlan({ kind, oldManifestText, oldThreshold: threshold, senders, recipients, ...(newThreshold === undefined ? {} : { newThreshold }), allowUnsafeThreshold: v['allow-unsafe-threshold'] === true, ...(oldPlanText === undefined ? {} : { oldPlanText }) });
  await writeNewFile(out, json(plan), false, io.signal);
  const parsed = await readPlan(io, out, kind);
  if (v.json === true) io.out(JSON.stringify({ ok: true, out, planId: bytesToHex(parsed.id, true), fingerprint: parsed.fingerprint }, null, 2));
  else {
    io.out(`Wrote the ${kind} plan ${out}: ${parsed.old.validators.length} validator(s), old threshold ${threshold} of ${parsed.old.operators.length}, ${parsed.senders.length} sender(s), new threshold ${parsed.newThreshold} of ${kind === 'repair' ? parsed.old.operators.length : parsed.recipients.length}.`);
    io.out(`Plan fingerprint: ${parsed.fingerprint}`);
    io.out('Send the plan to every party; each compares this fingerprint over a separate channel (--plan-id).');
  }
  return 0;
}

/** `enroll`: a recipient's encryption key for this plan, signed by its host key. */
export async function enrollRun(kind: Kind, args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { plan: { type: 'string' }, 'plan-id': { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const plan = await readPlan(io, v.plan, kind, required(v['plan-id'], 'plan-id', 'ID|FINGERPRINT (compared out of band)'));
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  try {
    const enrollable = kind === 'repair' ? [...plan.senders, ...plan.recipients] : plan.recipients;
    const me = partyOf(enrollable, secret, 'recipient');
    await writeNewFile(out, json(enrollmentToJson(plan.id, enrollRecipient(plan.id, me.id, secret))), false, io.signal);
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, id: Number(me.id) }, null, 2));
    else io.out(`Enrolled share ${me.id} in plan ${plan.fingerprint}: wrote ${out}; send it to the coordinator.`);
  } finally {
    secret.fill(0);
  }
  return 0;
}

/** `deal`: a sender's sealed dealing, recorded in the host key's journal first (one deal per plan). */
export async function dealRun(kind: 'reshare' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, 'plan-id': { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, folder: { type: 'string' }, 'share-password-file': { type: 'string' }, 'max-kdf-work': { type: 'string' }, 'new-operator-key': { type: 'string', multiple: true }, 'new-threshold': { type: 'string' }, 'allow-unsafe-threshold': { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (kind === 'refresh' && (v.folder !== undefined || v['share-password-file'] !== undefined || v['max-kdf-work'] !== undefined)) throw new UsageError('a refresh dealing is a sharing of zero: it reads no folder (drop --folder, --share-password-file and --max-kdf-work; finalize reads it)');
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  if (kind === 'refresh' && v['new-operator-key'] !== undefined) throw new UsageError('--new-operator-key belongs to dvkeys reshare deal (a refresh deals to its own participants)');
  if (kind === 'refresh' && (v['new-threshold'] !== undefined || v['allow-unsafe-threshold'] !== undefined)) throw new UsageError('--new-threshold and --allow-unsafe-threshold belong to dvkeys reshare deal (a refresh keeps the threshold)');
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const plan = await readPlan(io, v.plan, kind, required(v['plan-id'], 'plan-id', 'ID|FINGERPRINT (compared out of band)'));
  if (kind === 'reshare') {
    assertRecipientKeys(plan, v['new-operator-key'], 'new-operator-key', 'every new operator');
    assertStatedThreshold(plan, v['new-threshold'], v['allow-unsafe-threshold'] === true);
  }
  const msgs = await readMessages(io, plan, positionals);
  const session = planSession(plan, plan.senders, plan.recipients, msgs.enrollments);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let shares: SecretShare[] = [];
  try {
    const me = partyOf(plan.senders, secret, 'sender');
    if (kind === 'reshare') shares = await readOldShares(io, required(v.folder, 'folder', 'DIR (your old operator folder)'), plan, me.id, v['share-password-file'] === undefined ? undefined : await readPasswordFile(resolve(io.cwd, v['share-password-file'])), maxKdfWork);
    const dealt = kind === 'reshare' ? dealReshare(plan.definition as ReshareDefinition, me.id, shares) : dealRefresh(plan.definition as RefreshDefinition, me.id);
    const bundles: SecretBytes[][] = session.recipients.map((r) => [...dealt.bundles.find((b) => b.recipient === r.id)!.secrets]);
    try {
      await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(me.hostKey, true), async (journal) => {
        journal.assertNot(bytesToHex(plan.id, true), 'dealt');
        const sealed = sealDealing(session, me.id, secret, dealt.dealing.commitments, bundles);
        await journal.append(bytesToHex(plan.id, true), 'dealt', bytesToHex(session.id, true));
        await writeNewFile(out, json(sealedToJson(plan.id, 'deal', sealed)), false, io.signal);
      });
    } finally {
      for (const b of dealt.bundles) for (const s of b.secrets) s.fill(0);
    }
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, dealer: Number(me.id), session: sessionFingerprint(session) }, null, 2));
    else {
      io.out(`Share ${me.id} dealt, sealed to ${session.recipients.length} recipient(s) (session ${sessionFingerprint(session)}): wrote ${out}; send it to the coordinator.`);
      if (kind === 'reshare') io.out(`New cluster: threshold ${plan.newThreshold} of ${plan.recipients.length}: ${plan.recipients.map((r) => `${r.name}@${r.group} ${bytesToHex(r.hostKey, true).slice(0, 12)}…`).join(', ')}.`);
    }
    return 0;
  } finally {
    secret.fill(0);
    for (const s of shares) s.secret.fill(0);
  }
}

interface Checked {
  readonly session: ReturnType<typeof planSession>;
  readonly transcript: Transcript;
  readonly sealed: readonly SealedDealing[];
  readonly publicData: ReturnType<typeof reshareOutput> | ReturnType<typeof refreshOutput>;
}

/**
 * Checks the sealed dealings (host signatures, exactly one per sender: two different ones are `DKG_EQUIVOCATION`)
 * and, unless `echoes` is false (the echo step itself), the agreement: a valid echo of every recipient over the same
 * dealings (echo.ts checkEchoes; decision 0425); then the public part and the new public data.
 */
function checkAll(plan: LifecyclePlan, msgs: Awaited<ReturnType<typeof readMessages>>, echoes = true): Checked {
  const session = planSession(plan, plan.senders, plan.recipients, msgs.enrollments);
  const transcript = transcriptOf(session, msgs.sealed.filter((s) => s.step === 'deal').map((s) => s.message));
  const agreed = echoes ? checkEchoes(transcript, msgs.echoes) : transcript;
  const sealed = agreed.sealed;
  const dealings = sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments }));
  const publicData = plan.kind === 'reshare'
    ? reshareOutput(plan.definition as ReshareDefinition, checkReshareDealings(plan.definition as ReshareDefinition, dealings))
    : refreshOutput(plan.definition as RefreshDefinition, checkRefreshDealings(plan.definition as RefreshDefinition, dealings));
  return { session, sealed, publicData, transcript };
}

/** `echo`: a recipient checks the dealings it was given and host-signs its echo of them (before finalize). */
export async function echoRun(kind: 'reshare' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const plan = await readPlan(io, v.plan, kind);
  const msgs = await readMessages(io, plan, positionals);
  const checked = checkAll(plan, msgs, false);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  try {
    const me = partyOf(plan.recipients, secret, 'recipient');
    // One echo per plan and host key (decision 0444): a restored or copied state cannot vouch for a second transcript.
    await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(me.hostKey, true), async (journal) => {
      journal.assertNot(bytesToHex(plan.id, true), 'echoed');
      const echo = signEcho(checked.transcript, me.id, secret);
      await journal.append(bytesToHex(plan.id, true), 'echoed', bytesToHex(checked.transcript.hash, true));
      await writeNewFile(out, json(echoToJson(plan.id, echo)), false, io.signal);
    });
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, member: Number(me.id) }, null, 2));
    else io.out(`Share ${me.id} checked the ${checked.sealed.length} dealing(s) and signed its echo of them: wrote ${out}; send it to the coordinator. Finalize only with the echoes of all ${plan.recipients.length} recipients.`);
    return 0;
  } finally {
    secret.fill(0);
  }
}

/** `finalize`: a recipient checks and opens every dealing, combines its new shares and writes its new folder. */
export async function finalizeRun(kind: 'reshare' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, {
    plan: { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, folder: { type: 'string' }, 'old-share-password-file': { type: 'string' }, 'max-kdf-work': { type: 'string' },
    out: { type: 'string' }, 'handover-out': { type: 'string' }, 'complaint-out': { type: 'string' },
    'share-password-file': { type: 'string' }, kdf: { type: 'string' }, 'insecure-keys': { type: 'boolean' }, json: { type: 'boolean' },
  }, true);
  if (kind === 'reshare' && (v.folder !== undefined || v['old-share-password-file'] !== undefined || v['max-kdf-work'] !== undefined)) throw new UsageError('a reshare\'s new holders need no old folder (drop --folder, --old-share-password-file and --max-kdf-work: the dealers read theirs)');
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  const out = resolve(io.cwd, required(v.out, 'out', 'DIR'));
  const handoverOut = resolve(io.cwd, v['handover-out'] ?? `${out}.handover.json`);
  const complaintOut = resolve(io.cwd, v['complaint-out'] ?? `${out}.complaint.json`);
  const evidenceOut = `${out}.equivocation.json`;
  warnLeftovers(await assertOutputPath(out), io.err);
  await assertNewPaths([handoverOut, complaintOut, evidenceOut]);
  const plan = await readPlan(io, v.plan, kind);
  const msgs = await readMessages(io, plan, positionals);
  const ks = await keystoreOptions(v, io, `${kind} finalize`);
  let checked: Checked;
  try {
    checked = checkAll(plan, msgs);
  } catch (e) {
    const ev = isDvkeysError(e, 'DKG_EQUIVOCATION') ? equivocationsIn(planSession(plan, plan.senders, plan.recipients, msgs.enrollments), msgs.sealed.filter((s) => s.step === 'deal').map((s) => s.message), msgs.echoes)[0] : undefined;
    if (ev === undefined) throw e;
    await writeNewFile(evidenceOut, json(equivocationToJson(plan.id, ev)), false, io.signal);
    const err = e as DvkeysError;
    throw new VerificationError(err.code, `${err.message}; wrote the evidence ${evidenceOut} (anyone checks it: dvkeys ${kind} judge)`, { ...(err.field === undefined ? {} : { field: err.field }), culprits: [...err.culprits] });
  }
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  const opened: { dealer: ShareIndex; recipient: ShareIndex; secrets: SecretBytes[] }[] = [];
  let oldShares: SecretShare[] = [];
  let shares: SecretShare[] = [];
  try {
    const me = partyOf(plan.recipients, secret, 'recipient');
    const accuse = async (m: SealedDealing, why: DvkeysError): Promise<never> => {
      await writeNewFile(complaintOut, json(complaintToJson(plan.id, complain(checked.session, me.id, secret, m))), false, io.signal);
      throw new VerificationError(why.code, `${why.message}; wrote the complaint ${complaintOut} (send it to the coordinator; anyone can check it); nothing else was written`, { ...(why.field === undefined ? {} : { field: why.field }), culprits: [m.sender.toString()] });
    };
    for (const m of checked.sealed) {
      const got = openSealed(checked.session, me.id, secret, m);
      if (got === undefined) await accuse(m, new VerificationError('SUB_SHARE_INVALID', `the sub-shares of sender ${m.sender} do not decrypt`, { field: 'dealings', culprits: [m.sender.toString()] }));
      else opened.push({ dealer: m.sender, recipient: me.id, secrets: got });
    }
    if (kind === 'refresh') oldShares = await readOldShares(io, required(v.folder, 'folder', 'DIR (your current operator folder)'), plan, me.id, v['old-share-password-file'] === undefined ? undefined : await readPasswordFile(resolve(io.cwd, v['old-share-password-file'])), maxKdfWork);
    try {
      const bundles = opened;
      shares = kind === 'reshare' ? combineReshare(plan.definition as ReshareDefinition, me.id, checked.sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments })), bundles).shares : combineRefresh(plan.definition as RefreshDefinition, oldShares, checked.sealed.map((m) => ({ dealer: m.sender, commitments: m.commitments })), bundles).shares;
    } catch (e) {
      const culprit = isDvkeysError(e) && e.code === 'SUB_SHARE_INVALID' ? checked.sealed.find((m) => m.sender.toString() === e.culprits[0]) : undefined;
      if (culprit !== undefined) await accuse(culprit, e as DvkeysError);
      throw e;
    }
    const manifest = lifecycleManifest(plan, checked.publicData);
    const written = await writeLifecycleFolder(io, out, { plan, manifest, shares }, ks);
    const partials = signHandoverMessage(checked.session, secret, signHandover(plan.definition.id, checked.publicData, shares));
    await writeNewFile(handoverOut, json(handoverToJson(plan.id, partials)), false, io.signal);
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, handover: handoverOut, index: Number(me.id), threshold: manifest.threshold, fingerprint: written.fingerprint, validators: manifest.validators.map((x) => bytesToHex(x.pubkey, true)) }, null, 2));
    else {
      io.out(`Wrote ${out} (share ${me.id}, threshold ${manifest.threshold} of ${manifest.operators.length}, kind ${manifest.kind}): ${written.files.join('  ')}`);
      io.out(`Checked: every dealing's host signature and public check, your sub-shares, your new shares against the new public shares, and the folder read back as dvkeys verify reads it. The validator keys are unchanged:`);
      manifest.validators.forEach((x, i) => io.out(`  ${i}  ${bytesToHex(x.pubkey, true)}`));
      io.out(`Ceremony fingerprint: ${written.fingerprint} (the same for every new holder; compare it out of band).`);
      io.out(`Wrote ${handoverOut} (your reshare-complete partial signatures): send it to the coordinator. Do not start signing yet.`);
    }
    return 0;
  } finally {
    secret.fill(0);
    for (const o of opened) for (const s of o.secrets) s.fill(0);
    for (const s of [...oldShares, ...shares]) s.secret.fill(0);
  }
}

/** `handover`: anyone checks all n' partials; only then the old shares may be deleted. */
export async function handoverRun(kind: 'reshare' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, json: { type: 'boolean' } }, true);
  const plan = await readPlan(io, v.plan, kind);
  const msgs = await readMessages(io, plan, positionals);
  const { publicData, session } = checkAll(plan, msgs);
  const partials = checkSignedHandovers(session, msgs.handovers, 'handovers', msgs.handoverFiles);
  let cert;
  try {
    cert = checkHandover(plan.definition.id, plan.newThreshold, publicData, partials);
  } catch (e) {
    if (!isDvkeysError(e, 'PARTIAL_SIGNATURE_INVALID')) throw e;
    throw new VerificationError(e.code, `${e.message}; its host-signed handover file is the proof (anyone checks it: dvkeys ${kind} judge --plan PLAN ENROLLMENT... DEALING... ECHO... HANDOVER)`, { ...(e.field === undefined ? {} : { field: e.field }), culprits: [...e.culprits] });
  }
  const n = plan.old.operators.length;
  const stop = n - plan.old.threshold + 1;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, definitionId: bytesToHex(cert.definitionId, true), holders: partials.length, oldHoldersToStop: stop, startWaitEpochs: Number(START_WAIT_EPOCHS) }, null, 2));
    return 0;
  }
  io.out(`All ${plan.recipients.length} new holders signed reshare-complete with working shares; ${plan.newThreshold} of them combine to a valid signature under every unchanged validator key (${publicData.length} validator(s)).`);
  io.out(`Stop the old cluster before the new one starts: at least ${stop} of the ${n} old holders stop their validator clients and export their EIP-3076 history;`);
  io.out(`the new nodes import the merged history and start ${START_WAIT_EPOCHS} epochs after the last epoch any old node signed in.`);
  io.out(`  old holders: dvkeys ${kind} stop --plan PLAN --plan-id ID --folder OLD-DIR --epoch E --slashing-protection FILE --out STOP`);
  io.out(`  new holders: dvkeys ${kind} start --folder NEW-DIR --out slashing-protection.json STOP...`);
  io.out('The old shares may now be deleted (deletion cannot be checked: an old holder that keeps its share keeps it).');
  return 0;
}

/** `judge`: anyone rules on a complaint from the public messages: exactly one culprit, the accused or the complainer. */
export async function judgeRun(kind: 'reshare' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, json: { type: 'boolean' } }, true);
  const plan = await readPlan(io, v.plan, kind);
  const msgs = await readMessages(io, plan, positionals);
  const session = planSession(plan, plan.senders, plan.recipients, msgs.enrollments);
  const [ev, ...moreEv] = msgs.equivocations;
  if (ev !== undefined && moreEv.length === 0 && msgs.complaints.length === 0) {
    const culprit = verifyEquivocation(session, ev);
    if (v.json === true) io.out(JSON.stringify({ ok: false, culprit: Number(culprit), fault: 'equivocation' }, null, 2));
    throw new VerificationError('DKG_ABORTED', `verdict on the equivocation evidence: culprit: dealer ${culprit} (it host-signed two different dealings for this session)`, { field: 'equivocation', culprits: [culprit.toString()] });
  }
  const [h, ...moreH] = msgs.handovers;
  if (h !== undefined) {
    if (moreH.length > 0 || msgs.complaints.length > 0 || msgs.equivocations.length > 0) throw new UsageError('give exactly one handover, complaint or equivocation file with the enrollments, dealings and echoes');
    const { publicData } = checkAll(plan, msgs);
    const verdict = judgeHandover(session, plan.definition.id, publicData, h);
    if (v.json === true) io.out(JSON.stringify({ ok: false, culprit: Number(verdict.culprit), fault: verdict.fault, validators: verdict.validators }, null, 2));
    throw new VerificationError('DKG_ABORTED', `verdict on the handover of new holder ${verdict.culprit}: culprit: new holder ${verdict.culprit} (it host-signed a reshare-complete partial that does not verify against its new public share${verdict.validators.length > 0 ? `, validator ${verdict.validators.join(', ')}` : ''})`, { field: 'handover', culprits: [verdict.culprit.toString()] });
  }
  const [c, ...more] = msgs.complaints;
  if (c === undefined || more.length > 0 || msgs.equivocations.length > 0) throw new UsageError('give exactly one complaint, equivocation or handover file with the enrollments (and, for a complaint, the dealings; for a handover, the dealings and echoes)');
  const m = msgs.sealed.find((s) => s.step === 'deal' && s.message.sender === c.accused)?.message;
  if (m === undefined) throw new UsageError(`give the dealing of the accused sender ${c.accused}`);
  checkSealed(session, m, 'dealing');
  const verdict = judgeComplaint(session, c, m, kind === 'refresh');
  const who = verdict.fault === 'false-complaint' ? `recipient ${verdict.culprit} (a false complaint)` : `dealer ${verdict.culprit} (${verdict.fault === 'invalid-sub-share' ? 'its sub-shares fail their Feldman check' : 'its ciphertext does not decrypt'})`;
  if (v.json === true) io.out(JSON.stringify({ ok: false, culprit: Number(verdict.culprit), fault: verdict.fault }, null, 2));
  throw new VerificationError('DKG_ABORTED', `verdict on the complaint of ${c.complainer} against ${c.accused}: culprit: ${who}`, { field: 'complaint', culprits: [verdict.culprit.toString()] });
}
