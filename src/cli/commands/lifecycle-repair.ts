/**
 * The steps of `dvkeys repair` after init and enroll (lifecycle-steps.ts): contribute (each helper: its deltas,
 * sealed to the helpers), sum (each helper: its sum, sealed to the recipient only) and complete (the recipient:
 * rebuilds its share, checks it against its public share and writes its folder with the old ceremony.json).
 * src/lifecycle/repair-wire.ts does the sealing; decision 1008.
 *
 * @module
 */
import { resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import type { RepairDefinition } from '../../lifecycle/repair.js';
import { completeRepair } from '../../lifecycle/repair.js';
import { agreedRepairContributions, echoRepairDeltas, openRepairSums, sealRepairDeltas, sealRepairSum } from '../../lifecycle/repair-wire.js';
import { echoToJson, sealedToJson } from '../../lifecycle/messages.js';
import { sessionFingerprint } from '../../lifecycle/wire.js';
import type { SecretShare } from '../../types.js';
import { parse } from '../args.js';
import { readPasswordFile } from '../files.js';
import { assertOutputPath, warnLeftovers, writeNewFile } from '../fs.js';
import type { CliIo } from '../io.js';
import { withJournal } from '../journal.js';
import { assertNewPaths, readHostKey } from './dkg-files.js';
import { keystoreOptions } from './dkg-folder.js';
import { assertRecipientKeys, json, partyOf, planSession, readMessages, readOldShares, readPlan, required, writeLifecycleFolder } from './lifecycle-files.js';
import { maxKdfWorkOption } from './shared.js';

const step = (msgs: Awaited<ReturnType<typeof readMessages>>, s: 'repair-deltas' | 'repair-sums') => msgs.sealed.filter((m) => m.step === s).map((m) => m.message);

/** `repair contribute`: a helper's deltas, sealed to the helpers (once per plan and host key). */
export async function contributeRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, 'plan-id': { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, folder: { type: 'string' }, 'share-password-file': { type: 'string' }, 'max-kdf-work': { type: 'string' }, 'recipient-key': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  await assertNewPaths([out]);
  const plan = await readPlan(io, v.plan, 'repair', required(v['plan-id'], 'plan-id', 'ID|FINGERPRINT (compared out of band)'));
  const def = plan.definition as RepairDefinition;
  assertRecipientKeys(plan, v['recipient-key'] === undefined ? undefined : [v['recipient-key']], 'recipient-key', `the holder of share ${def.recipient}`);
  const msgs = await readMessages(io, plan, positionals);
  const hop1 = planSession(plan, plan.senders, plan.senders, msgs.enrollments);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let shares: SecretShare[] = [];
  try {
    const me = partyOf(plan.senders, secret, 'helper');
    shares = await readOldShares(io, required(v.folder, 'folder', 'DIR (your operator folder)'), plan, me.id, v['share-password-file'] === undefined ? undefined : await readPasswordFile(resolve(io.cwd, v['share-password-file'])), maxKdfWork);
    await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(me.hostKey, true), async (journal) => {
      journal.assertNot(bytesToHex(plan.id, true), 'dealt');
      const sealed = sealRepairDeltas(hop1, def, me.id, secret, shares);
      await journal.append(bytesToHex(plan.id, true), 'dealt', bytesToHex(hop1.id, true));
      await writeNewFile(out, json(sealedToJson(plan.id, 'repair-deltas', sealed)), false, io.signal);
    });
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, helper: Number(me.id), session: sessionFingerprint(hop1) }, null, 2));
    else io.out(`Helper ${me.id} contributed, its deltas sealed to the ${plan.senders.length} helpers (session ${sessionFingerprint(hop1)}): wrote ${out}; send it to the coordinator.`);
    return 0;
  } finally {
    secret.fill(0);
    for (const s of shares) s.secret.fill(0);
  }
}

/** `repair sum`: a helper checks the deltas sealed to it and seals its sum to the recipient only. */
export async function sumRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { plan: { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, 'recipient-key': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  const out = resolve(io.cwd, required(v.out, 'out', 'FILE'));
  const echoOut = `${out}.echo.json`;
  await assertNewPaths([out, echoOut]);
  const plan = await readPlan(io, v.plan, 'repair');
  const def = plan.definition as RepairDefinition;
  assertRecipientKeys(plan, v['recipient-key'] === undefined ? undefined : [v['recipient-key']], 'recipient-key', `the holder of share ${def.recipient}`);
  const msgs = await readMessages(io, plan, positionals);
  const hop1 = planSession(plan, plan.senders, plan.senders, msgs.enrollments);
  const hop2 = planSession(plan, plan.senders, plan.recipients, msgs.enrollments);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  try {
    const me = partyOf(plan.senders, secret, 'helper');
    await withJournal(resolve(io.cwd, v['host-key']!), bytesToHex(me.hostKey, true), async (journal) => {
      journal.assertNot(bytesToHex(plan.id, true), 'answered');
      const sealed = sealRepairSum(hop1, hop2, def, me.id, secret, step(msgs, 'repair-deltas'));
      // decision 0428: the echo of the hop-1 messages this sum was made from travels with it
      const echo = echoRepairDeltas(hop1, def, me.id, secret, step(msgs, 'repair-deltas'));
      await journal.append(bytesToHex(plan.id, true), 'answered', bytesToHex(hop2.id, true));
      await writeNewFile(echoOut, json(echoToJson(plan.id, echo)), false, io.signal);
      await writeNewFile(out, json(sealedToJson(plan.id, 'repair-sums', sealed)), false, io.signal);
    });
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, helper: Number(me.id) }, null, 2));
    else io.out(`Helper ${me.id} checked every delta sealed to it; its sum is sealed to share ${def.recipient} only (host key ${v['recipient-key']!}, as you stated): wrote ${out} and its echo of the contributions ${echoOut}; send both to the coordinator.`);
    return 0;
  } finally {
    secret.fill(0);
  }
}

/** `repair complete`: the recipient rebuilds its share (checked against its public share) and writes its folder. */
export async function completeRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, {
    plan: { type: 'string' }, 'host-key': { type: 'string' }, 'password-file': { type: 'string' }, out: { type: 'string' },
    'share-password-file': { type: 'string' }, kdf: { type: 'string' }, 'insecure-keys': { type: 'boolean' }, json: { type: 'boolean' },
  }, true);
  const out = resolve(io.cwd, required(v.out, 'out', 'DIR'));
  warnLeftovers(await assertOutputPath(out), io.err);
  const plan = await readPlan(io, v.plan, 'repair');
  const def = plan.definition as RepairDefinition;
  const msgs = await readMessages(io, plan, positionals);
  const hop1 = planSession(plan, plan.senders, plan.senders, msgs.enrollments);
  const hop2 = planSession(plan, plan.senders, plan.recipients, msgs.enrollments);
  const ks = await keystoreOptions(v, io, 'repair complete');
  const contributions = agreedRepairContributions(hop1, def, step(msgs, 'repair-deltas'), msgs.echoes);
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let shares: SecretShare[] = [];
  let sums: ReturnType<typeof openRepairSums> = [];
  try {
    partyOf(plan.recipients, secret, 'recipient');
    sums = openRepairSums(hop2, def, secret, step(msgs, 'repair-sums'));
    shares = completeRepair(def, contributions, sums);
    const written = await writeLifecycleFolder(io, out, { plan, manifest: plan.old, shares }, ks);
    if (v.json === true) io.out(JSON.stringify({ ok: true, out, index: Number(def.recipient), fingerprint: written.fingerprint }, null, 2));
    else {
      io.out(`Rebuilt share ${def.recipient} from ${def.helpers.length} helpers and checked it against its public share in ceremony.json; wrote ${out}: ${written.files.join('  ')}`);
      io.out(`Ceremony fingerprint: ${written.fingerprint} (unchanged: the same share as before). Import the slashing history of your old node before it signs again.`);
    }
    return 0;
  } finally {
    secret.fill(0);
    for (const s of sums) for (const x of s.secrets) x.fill(0);
    for (const s of shares) s.secret.fill(0);
  }
}
