/**
 * `dvkeys reshare|refresh|repair <step>`: a cluster's lifecycle over files through an untrusted coordinator or an
 * air-gapped exchange (issue 16; docs/protocols/lifecycle.md "CLI"; decision 1005). The validator keys never change
 * and no machine ever holds one; every sub-share crosses the coordinator sealed to its recipient.
 *
 * @module
 */
import { UsageError, type CliIo, type Command } from '../io.js';
import { dealRun, echoRun, enrollRun, finalizeRun, handoverRun, initRun, judgeRun } from './lifecycle-steps.js';
import { completeRun, contributeRun, sumRun } from './lifecycle-repair.js';
import { startRun, stopRun } from './lifecycle-stop.js';

const common = `
Common options:
  --password-file FILE        the password of an encrypted host key (steps that read --host-key)
  --share-password-file FILE  reshare deal, contribute, stop: the password of your share keystores (default the .txt beside
                              each); finalize, complete: one password for every new keystore (default generated)
  --max-kdf-work UNITS        reshare deal, refresh finalize, contribute, stop: KDF-work budget of the keystores read from
                              --folder, counted before any is decrypted, in units of one default EIP-2335 keystore
                              (default 2 per keystore; above it: refused, nothing decrypted; as combine)
  --kdf scrypt|pbkdf2         new keystores' KDF; --insecure-keys: tiny KDF costs, tests only (as dvkeys dkg finalize)
  --json                      print a machine-readable summary
Host keys are those of dvkeys dkg keygen (every party needs one). Files are never overwritten; nothing is written
on a fault, which names its culprit.`;

const reshareUsage = `Usage: dvkeys reshare <step> [options]

Moves a cluster's validator keys to a new operator set and/or threshold; the validator pubkeys stay the same.
  coordinator  1. init       the plan: old ceremony.json, old threshold (stated: downgrade protection), dealers, new
                             operators, new threshold (the split safety gate applies; t' = n' is refused)
  new operator 2. enroll     its encryption key for this plan (--plan-id: the fingerprint compared out of band)
  old operator 3. deal       from its old folder, sealed to the new operators (once per plan and host key: journal)
  new operator 4. echo       checks the dealings it was given and signs its echo of them (transcript agreement)
  new operator 5. finalize   with the echoes of all new operators over the same dealings (a dealer that signed two
                             dealings: exit 1 naming it), checks every dealing, writes its new folder (ceremony.json
                             kind reshare) and its reshare-complete partials; a cheating dealer: a complaint file
  anyone       6. handover   all n' partials valid: the stop rule, then "old shares may now be deleted"
  old operator 7. stop       after its validator client stopped: a stop record signed with its old shares, carrying
                             its exported EIP-3076 history (n_old - t_old + 1 old holders must stop)
  new operator 8. start      checks the stop records of the old cluster of the plan its folder was finalized under
                             (the folder's lifecycle-plan.json), writes the merged history keyed by its new share
                             keys (import it), and states the first epoch it may sign in

dvkeys reshare init --old CEREMONY.JSON --threshold T --dealer ID=0xHOSTPUB... --new-operator NAME[@GROUP]=0xHOSTPUB...
  --new-threshold T' [--allow-unsafe-threshold] --out PLAN
dvkeys reshare enroll --plan PLAN --plan-id FINGERPRINT --host-key FILE --out FILE
dvkeys reshare deal --plan PLAN --plan-id FINGERPRINT --host-key FILE --folder OLD-DIR [--share-password-file F]
  --new-operator-key 0xHOSTPUB... --new-threshold T' [--allow-unsafe-threshold] --out FILE ENROLLMENT...
  --new-operator-key: every new operator's host key, as each gave it to you directly (not through the coordinator):
  the dealing is sealed to the plan's keys, and a plan naming someone else's key would give them the new shares
  --new-threshold: the new threshold you agreed to; a plan with another one is refused, and a plan that waives the
  safety gate only with --allow-unsafe-threshold stated by you too (the plan is the coordinator's)
dvkeys reshare echo --plan PLAN --host-key FILE --out FILE ENROLLMENT... DEALING...
dvkeys reshare finalize --plan PLAN --host-key FILE --out DIR [--handover-out F] [--complaint-out F] ENROLLMENT... DEALING... ECHO...
dvkeys reshare handover --plan PLAN ENROLLMENT... DEALING... ECHO... HANDOVER...
dvkeys reshare judge --plan PLAN ENROLLMENT... DEALING... [ECHO...] COMPLAINT|EQUIVOCATION|HANDOVER
  anyone: the verdict on a complaint (it reveals only the pairwise ECDH point, with a DLEQ proof); exit 1 naming
  exactly one culprit, the dealer or the complainer; or on the equivocation evidence finalize wrote
  (<out>.equivocation.json: two dealings one dealer signed for this plan), naming that dealer
dvkeys reshare stop --plan PLAN --plan-id FINGERPRINT --folder OLD-DIR [--share-password-file F] --epoch E
  --slashing-protection EIP3076.json --out STOP
dvkeys reshare start --folder NEW-DIR [--plan PLAN] [--plan-id FINGERPRINT] --out slashing-protection.json STOP...
  --plan, --plan-id: optional; a plan other than the one NEW-DIR was finalized under is refused
${common}`;

const refreshUsage = `Usage: dvkeys refresh <step> [options]

New shares for the same holders and threshold (after a suspected leak of fewer than t shares): the validator keys
stay, every share changes, and old shares no longer combine with new ones. Steps as dvkeys reshare, where every
participant enrolls, deals (a sharing of zero: no folder), echoes and finalizes (with its current folder); then stop (with its
current folder) and start (with its refreshed folder) as in reshare.

dvkeys refresh init --old CEREMONY.JSON --threshold T --participant ID=0xHOSTPUB... --out PLAN
dvkeys refresh enroll --plan PLAN --plan-id FINGERPRINT --host-key FILE --out FILE
dvkeys refresh deal --plan PLAN --plan-id FINGERPRINT --host-key FILE --out FILE ENROLLMENT...
dvkeys refresh echo --plan PLAN --host-key FILE --out FILE ENROLLMENT... DEALING...
dvkeys refresh finalize --plan PLAN --host-key FILE --folder DIR [--old-share-password-file F] --out DIR
  [--handover-out F] [--complaint-out F] ENROLLMENT... DEALING... ECHO...
dvkeys refresh handover --plan PLAN ENROLLMENT... DEALING... ECHO... HANDOVER...
dvkeys refresh judge --plan PLAN ENROLLMENT... DEALING... [ECHO...] COMPLAINT|HANDOVER
dvkeys refresh stop --plan PLAN --plan-id FINGERPRINT --folder CURRENT-DIR [--share-password-file F] --epoch E
  --slashing-protection EIP3076.json --out STOP
dvkeys refresh start --folder REFRESHED-DIR [--plan PLAN] [--plan-id FINGERPRINT] --out slashing-protection.json STOP...
${common}`;

const repairUsage = `Usage: dvkeys repair <step> [options]

t helpers rebuild one holder's lost share, the same share, without any helper or the coordinator learning it; the
recipient checks it against its public share before writing, and its folder keeps the old ceremony.json.
  coordinator 1. init        the plan: old ceremony.json, threshold (stated), helpers, the recipient
  helpers and recipient 2. enroll
  helper      3. contribute  splits its weighted share into deltas sealed to the other helpers
  helper      4. sum         checks the deltas it received, seals its sum to the recipient only, and writes its
                             echo of the contributions beside it (<out>.echo.json)
  recipient   5. complete    with every helper's echo of the same contributions (a helper that signed two: exit 1
                             naming it), checks every sum, rebuilds its share, writes its folder

dvkeys repair init --old CEREMONY.JSON --threshold T --helper ID=0xHOSTPUB... --recipient ID=0xHOSTPUB --out PLAN
dvkeys repair enroll --plan PLAN --plan-id FINGERPRINT --host-key FILE --out FILE
dvkeys repair contribute --plan PLAN --plan-id FINGERPRINT --host-key FILE --folder DIR [--share-password-file F]
  --recipient-key 0xHOSTPUB --out FILE ENROLLMENT...
dvkeys repair sum --plan PLAN --host-key FILE --recipient-key 0xHOSTPUB --out FILE ENROLLMENT... CONTRIBUTION...
  --recipient-key: the host key the holder of the lost share gave you directly (not through the coordinator): the
  rebuilt share is sealed to the plan's recipient key, and whoever holds that key gets the share
dvkeys repair complete --plan PLAN --host-key FILE --out DIR ENROLLMENT... CONTRIBUTION... SUM... ECHO...
${common}`;

type Step = (args: string[], io: CliIo) => Promise<number>;

function command(name: 'reshare' | 'refresh' | 'repair', summary: string, usage: string, steps: Record<string, Step>): Command {
  return {
    name,
    summary,
    usage,
    steps: Object.keys(steps),
    run: async (args: string[], io: CliIo): Promise<number> => {
      const [step, ...rest] = args;
      const fn = step !== undefined && Object.hasOwn(steps, step) ? steps[step] : undefined;
      const list = Object.keys(steps).join(', ');
      if (fn === undefined) throw new UsageError(step === undefined ? `give a step: ${list}` : `unknown step '${step}' (${list})`);
      return fn(rest, io);
    },
  };
}

const sealedSteps = (kind: 'reshare' | 'refresh'): Record<string, Step> => ({
  init: (a, io) => initRun(kind, a, io),
  enroll: (a, io) => enrollRun(kind, a, io),
  deal: (a, io) => dealRun(kind, a, io),
  echo: (a, io) => echoRun(kind, a, io),
  finalize: (a, io) => finalizeRun(kind, a, io),
  handover: (a, io) => handoverRun(kind, a, io),
  judge: (a, io) => judgeRun(kind, a, io),
  stop: (a, io) => stopRun(kind, a, io),
  start: (a, io) => startRun(kind, a, io),
});

/** `dvkeys reshare`. */
export const reshareCommand: Command = command('reshare', 'move validator keys to new operators or a new threshold, over files', reshareUsage, sealedSteps('reshare'));
/** `dvkeys refresh`. */
export const refreshCommand: Command = command('refresh', 'new shares for the same holders, over files', refreshUsage, sealedSteps('refresh'));
/** `dvkeys repair`. */
export const repairCommand: Command = command('repair', "rebuild one holder's lost share with t helpers, over files", repairUsage, {
  init: (a, io) => initRun('repair', a, io),
  enroll: (a, io) => enrollRun('repair', a, io),
  contribute: contributeRun,
  sum: sumRun,
  complete: completeRun,
});
