/**
 * `dvkeys dkg <step>`: the distributed key generation of src/dkg over files, one subcommand per step (issue 7).
 * Operators and the coordinator exchange JSON files; no machine ever holds a whole validator key. The output is an
 * operator folder in the split layout, so `dvkeys verify` and `dvkeys combine` work on it unchanged.
 * docs/protocols/dkg-cli.md walks through a ceremony; docs/decisions/0700-dkg-output-layout.md explains the output.
 *
 * @module
 */
import { UsageError, type CliIo, type Command } from '../io.js';
import { auditRun, collectRun, defineRun, initRun, verifyEvidenceRun } from './dkg-coordinator.js';
import { enrollRun, finalizeRun, keygenRun, recoverRun, round1Run, round2Run } from './dkg-participant.js';
import { depositDataRun, readyRun } from './dkg-ready.js';
import { verdictRun } from './dkg-verdict.js';
import { pullRun, statusRun } from './dkg-pull.js';
import { pushRun } from './dkg-push.js';
import { serveRun } from './dkg-serve.js';
import { joinRun } from './dkg-join.js';

const usage = `Usage: dvkeys dkg <step> [options]

Distributed key generation over files: n operators create validator keys together through an untrusted coordinator
(a server, one operator, or a person carrying files); no machine ever holds a whole key. Any cheat aborts the
ceremony with a one-line verdict naming the culprit and an evidence file anyone can check. Each operator ends with a
folder like one of dvkeys split's, which dvkeys verify and dvkeys combine read unchanged.
Walkthrough: docs/protocols/dkg-cli.md. Files are never overwritten; secret files are written with mode 0600.

  operator                                   coordinator
  1. keygen    make a host key (once)        2. init      draft from the operators' host public keys
  3. enroll    sign the draft                4. define    definition from the enrollments (prints a fingerprint)
  5. round1    deal; state sealed            6. collect   round-1 messages -> collected round 1
  7. round2    check all; Ack or complain    8. collect   Acks -> final message (certificate, deposit signatures)
  9. finalize  write the operator folder (from final, or from the n Acks if the coordinator withholds it);
               no deposit-data.json yet
 10. ready     read it back, sign READY     11. collect   n READY messages -> deposit-data.json with its deposit
                                                          certificate beside it (round 3)
 12. deposit-data  your folder's deposit-data.json from the certificate (checked against your own data)
  operator after an abort: verdict (your complaint against the coordinator's abort report)
  over HTTP: serve (the coordinator's relay: stores every signed message it accepts and runs the collect steps),
    join (one operator's whole ceremony against serve, resumable), push (send files), pull (fetch one round's
    messages into a folder, each checked), status (who has sent what)
  anyone: recover (host key + recovery data), audit (recovery data), verify-evidence (an abort report)

dvkeys dkg keygen --out FILE [--password-file FILE [--kdf scrypt|pbkdf2] [--insecure-keys]]
  Makes a secp256k1 host key (format dvkeys/dkg-host-key, mode 0600) and prints its public key for the coordinator.
  With --password-file the key is encrypted (EIP-2335 crypto module, scrypt by default).

dvkeys dkg init --operator [NAME=]0xHOSTPUBKEY ... --network NAME --withdrawal-address 0x... --out FILE
  [--threshold T] [--num-validators V] [--amount ETH ...] [--compounding] [--allow-unsafe-threshold]
  The draft: operators in index order (operator k holds share k), threshold (default ceil(2n/3); 2t <= n is
  refused as in split), V validators (default 1) with 0x01 (0x02 with --compounding) credentials for the address,
  deposit amounts (default one of 32 ETH), a fresh attempt nonce. Names are folder names (letters, digits, . _ -).

dvkeys dkg enroll --draft FILE --host-key FILE --out FILE
  Prints what the draft fixes (check it: your signature covers it) and writes your enrollment.

dvkeys dkg define --draft FILE ENROLLMENT... --out FILE
  Checks every enrollment signature and writes the definition; prints the ceremony id and its fingerprint.

dvkeys dkg round1 --definition FILE --host-key FILE --ceremony-id ID|FINGERPRINT --out FILE --state-out FILE
  Deals: writes your round-1 message (for the coordinator) and your state, sealed under your host key.
  --ceremony-id (required) is the id or fingerprint all operators compared out of band; a different definition is
  refused. The journal beside the host key (<host key>.journal) records the deal and refuses a second one.

dvkeys dkg collect --definition FILE MESSAGE... --out FILE                              (round 1)
dvkeys dkg collect --definition FILE --collected FILE ACK-OR-COMPLAINT... --out FILE   (round 2)
dvkeys dkg collect --definition FILE --collected FILE --final FILE READY... --out DIR   (round 3)
  Keeps each operator's validly signed message and forwards them (round 1), or checks every vote and deposit
  partial and combines the deposit signatures into the final message (round 2). On a fault it writes an abort
  report (--abort-out, default <out>.abort.json) and exits 1 with the verdict. Round 3: checks that all n READY
  messages confirm the ceremony.json and deposit data the ceremony makes, and creates DIR with deposit-data.json
  and deposit-certificate.json beside it; else exits 1 naming who is not ready (missing READY: suspects, the
  sender or the coordinator; a READY signed over other values: its signer) and writes nothing.

dvkeys dkg round2 --host-key FILE --state FILE --collected FILE --out FILE --state-out FILE
  Checks every round-1 message, proof and commitment and your shares; writes an Ack (or, when a dealer cheated, a
  complaint) for the coordinator and your next sealed state. On a fault: evidence in --abort-out, exit 1.

dvkeys dkg finalize --host-key FILE --state FILE --collected FILE (--final FILE | ACK...) --out DIR
  [--kdf scrypt|pbkdf2] [--share-password-file FILE] [--insecure-keys] [--layout dvkeys]
  Checks the certificate and deposit signatures, then writes your operator folder: ceremony.json (kind dkg, the
  same bytes for every operator), keystore-<v>.json + .txt, dkg-recovery.json; reads it back. No deposit-data.json:
  that exists only beside the deposit certificate of all n operators (round 3).
  Given the n Ack files instead of --final, rebuilds the final message from them with the coordinator's checks
  (the same bytes), so a coordinator that withholds final cannot stop you.
  --layout dvkeys is the only layout one operator can write alone: --layout charon (a lock needs every node's ENR
  and signature and the validators' signature over it) and --layout ssv (keyshares.json holds every operator's
  share) are refused, as is --fee-recipient (ceremony.json has none; set it in the validator client).

dvkeys dkg ready --host-key FILE --folder DIR --out FILE [--share-password-file FILE]
  Round 3: reads your folder back (every keystore decrypted), checks ceremony.json and deposit-data.json against
  the recovery data, and signs READY over the ceremony.json fingerprint and every deposit_data_root.

dvkeys dkg deposit-data --folder DIR --certificate FILE
  Checks the deposit certificate against your folder's own recovery data (every operator's READY signature, the
  ceremony.json fingerprint, every deposit_data_root, the transcript), writes it into DIR as
  deposit-certificate.json, then DIR/deposit-data.json computed from your recovery data.

dvkeys dkg verdict --definition FILE --complaint FILE --collected FILE [ABORT-REPORT]
  After you complained in round 2: your verdict from your own signed complaint (checked against the collected
  round 1 you answered) and the coordinator's abort report (none given: it never came). The dealer your complaint
  proves stays the culprit, you are never a suspect, and a report that leaves your complaint out makes the
  coordinator a suspect. Others convict the dealer from your round-2 evidence (verify-evidence <out>.abort.json).

dvkeys dkg recover --host-key FILE --recovery dkg-recovery.json --out DIR [keystore options as finalize]
  [--layout dvkeys]
  Rebuilds your operator folder from your host key and the (public) recovery data alone. --layout and
  --fee-recipient as for finalize: only the dvkeys layout is written, the others and a fee recipient are refused.

dvkeys dkg audit dkg-recovery.json
  Checks a finished ceremony without any secret and prints the fingerprint every operator's ceremony.json has.

dvkeys dkg verify-evidence --definition FILE ABORT-REPORT
  Checks every evidence item of an abort report independently and prints the verdict; exit 1 if any fails.

dvkeys dkg serve --definition FILE --data DIR --listen HOST:PORT [--max-body-bytes N] [--request-timeout S]
  [--max-connections N] [--max-connections-per-address N] [--tls-cert FILE --tls-key FILE]
  The coordinator as an HTTP server (docs/protocols/dkg-http.md): accepts only round-1 messages, Acks, complaints
  and READY messages signed by a host key the definition enrolls, stores each as its own file in DIR (fsynced)
  before answering, relays them (GET), runs the collect steps of rounds 1, 2 and 3 on them once all n have sent
  (in the background; results stored in DIR too), and resumes from DIR after a restart. One address holds at most
  --max-connections-per-address connections (default a quarter of --max-connections, 64; behind a reverse proxy
  every client has the proxy's address: raise it). Runs until SIGINT or SIGTERM. With
  --tls-cert/--tls-key (PEM) it serves https; clients trust a self-signed or private certificate with their CA option.

dvkeys dkg join --coordinator URL --host-key FILE --ceremony-id FINGERPRINT --out DIR [--password-file FILE]
  [--step-timeout S] [--timeout S] [--ca FILE] [keystore options as finalize] [--json]
  One operator's whole ceremony against dkg serve: checks the served definition against the approved fingerprint
  and your enrollment, then round 1, round 2, finalize (DIR), round 3 and deposit data, one progress line per
  step; work files (messages, sealed states) in DIR.join/. Network errors are retried with backoff until the step
  deadline (--step-timeout, default 3600 s), which names whom the ceremony is waiting for. Killed, it resumes when
  run again (never dealing twice). One join per host key at a time (<host key>.join.lock). With --json the
  progress lines go to stderr and stdout gets one object: {ok, out, work, ceremonyId, fingerprint, index,
  depositData, certificate, deposits} (a failure: the usual {"error": …}).

dvkeys dkg push --coordinator URL FILE... [--retries N] [--timeout S] [--ca FILE]
  Sends message files to dkg serve; one line per file (stored, already stored, or refused with the reason).

dvkeys dkg pull --coordinator URL --definition FILE --kind round1|ack|complaint|ready --out DIR [--timeout S]
  [--retries N] [--ca FILE]
  Fetches the stored messages of one kind into a new folder DIR, each checked against your definition (ceremony,
  enrolled host-key signature); then dkg collect --definition FILE DIR/*.json as in the file flow. Nothing is
  written unless every message passes.

dvkeys dkg status --coordinator URL --definition FILE [--timeout S] [--retries N] [--ca FILE]
  Who has sent which messages, and who the ceremony is waiting for.

Common options:
  --password-file FILE       the password of an encrypted host key (steps that read --host-key)
  --abort-out FILE           where round2, finalize and collect write evidence on a fault
  --share-password-file F    one password for every keystore (default: a generated one per keystore, in .txt)
  --kdf scrypt|pbkdf2        keystore KDF (default pbkdf2 with generated passwords, scrypt otherwise)
  --insecure-keys            tiny KDF costs, for tests and demos only: never for real keys
  --json                     print a machine-readable summary`;

const STEPS: Readonly<Record<string, (args: string[], io: CliIo) => Promise<number>>> = {
  keygen: keygenRun,
  init: initRun,
  enroll: enrollRun,
  define: defineRun,
  round1: round1Run,
  collect: collectRun,
  round2: round2Run,
  finalize: finalizeRun,
  ready: readyRun,
  'deposit-data': depositDataRun,
  verdict: verdictRun,
  serve: serveRun,
  join: joinRun,
  push: pushRun,
  pull: pullRun,
  status: statusRun,
  recover: recoverRun,
  audit: auditRun,
  'verify-evidence': verifyEvidenceRun,
};

async function run(args: string[], io: CliIo): Promise<number> {
  const [step, ...rest] = args;
  const fn = step !== undefined && Object.hasOwn(STEPS, step) ? STEPS[step] : undefined;
  const list = Object.keys(STEPS).join(', ');
  if (fn === undefined) throw new UsageError(step === undefined ? `give a step: ${list}` : `unknown step '${step}' (${list})`);
  return fn(rest, io);
}

/** The `dkg` command. */
export const dkgCommand: Command = { name: 'dkg', summary: 'distributed key generation over files, one step per subcommand', usage, run, steps: Object.keys(STEPS) };
