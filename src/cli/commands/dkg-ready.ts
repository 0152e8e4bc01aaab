/**
 * Round 3 of `dvkeys dkg`, deposit readiness (issue 12; src/dkg/ready.ts): `dkg ready`, where an operator reads its
 * finalized folder back, checks it against the ceremony's public data and signs READY; `dkg collect` of READY
 * messages, where the coordinator (or anyone) turns n of them into the deposit certificate and writes deposit-data.json
 * beside it; and `dkg deposit-data`, where an operator writes its own folder's deposit-data.json from the certificate.
 * deposit-data.json never exists before the certificate (decision 0431). Files only, so air-gapped machines take part
 * by carrying the READY message out and the certificate in.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bytesToHex, utf8 } from '../../bytes.js';
import { DKG_RECOVERY_FILE, dkgOperators, dkgReadyExpectation, type DkgReadyExpectation } from '../../ceremony/dkg-output.js';
import { fileHash } from '../../ceremony/files.js';
import { DEPOSIT_FILE } from '../../ceremony/layouts/dvkeys.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../../ceremony/manifest.js';
import { ceremonyFingerprint, collectReady, hostPublicKey, parseDefinition, signReady, verifyDepositCertificate, type DepositCertificateJson } from '../../dkg/index.js';
import { DvkeysError, VerificationError } from '../../errors.js';
import { MAX_DEPOSIT_DATA_TEXT_LENGTH } from '../../eth/deposit-file.js';
import { parseJsonText } from '../../json.js';
import { parse } from '../args.js';
import { readText } from '../files.js';
import { secretOption } from '../prompt.js';
import { writeNewFile, writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_MESSAGE_FILE_BYTES, MAX_DKG_SMALL_FILE_BYTES, assertNewPaths, dkgMessageCap, readHostKey, readJsonFile, verdictLine } from './dkg-files.js';
import { verifyFolderReport } from './dkg-folder.js';
import { withJournal } from '../journal.js';
import { DEPOSIT_CERTIFICATE_FILE } from '../../ceremony/deposit-certificate.js';

/** The file name `dkg collect` of READY messages gives the certificate by default, and `deposit verify` looks for. */
export { DEPOSIT_CERTIFICATE_FILE };

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `dkg ready --host-key FILE --folder DIR --out FILE`: reads the operator folder back (ceremony.json, dkg-recovery.json,
 * every keystore decrypted as `dvkeys verify` does), checks that ceremony.json is exactly the one the recovery data
 * make and that the keystores hold this host key's shares, then signs READY over the fingerprint read from disk and
 * the deposit roots of the recovery data (audited: every deposit signature verified). The folder holds no
 * deposit-data.json before round 3 (decision 0431); one found there (written later by `dkg deposit-data`) must be
 * exactly the ceremony's.
 */
export async function readyRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    'host-key': { type: 'string' },
    'password-file': { type: 'string' },
    folder: { type: 'string' },
    out: { type: 'string' },
    'share-password-file': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (v.folder === undefined) throw new UsageError('--folder DIR is required (the operator folder dkg finalize or dkg recover wrote)');
  if (v.out === undefined) throw new UsageError('--out FILE is required (the READY message for the coordinator)');
  const out = resolve(io.cwd, v.out);
  const dir = resolve(io.cwd, v.folder);
  await assertNewPaths([out]);
  const { want, manifestFingerprint } = await folderExpectation(io, dir, v.folder);
  const def = parseDefinition(want.definition);
  if (await exists(join(dir, DEPOSIT_FILE))) {
    const depositText = await readText(join(dir, DEPOSIT_FILE), MAX_DEPOSIT_DATA_TEXT_LENGTH, 'deposit-data file');
    if (depositText !== want.depositDataText) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${v.folder}/${DEPOSIT_FILE} is not the deposit data of its recovery data: not ready`, { field: `${v.folder}/${DEPOSIT_FILE}` });
    }
  }
  const sharePassword = await secretOption(io, v['share-password-file'], { flag: '--share-password-file', what: 'password of the share keystores' });
  const checked = await verifyFolderReport(io, dir, sharePassword, v.json === true, manifestFingerprint.slice(2));
  const roots = want.claim.depositDataRoots;
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let ready;
  try {
    const me = bytesToHex(hostPublicKey(secret), true);
    const index = def.participants.findIndex((p) => bytesToHex(p.hostKey, true) === me) + 1;
    const name = index === 0 ? undefined : dkgOperators(def.json)[index - 1]!.name;
    if (name === undefined || checked.operators.length !== 1 || checked.operators[0] !== name) {
      throw new DvkeysError('KEY_MISMATCH', `the keystores of ${v.folder} are not the shares of this host key's operator (${index === 0 ? 'not an operator of this ceremony' : `operator ${index}, ${name!}`}): not ready`, { field: '--folder' });
    }
    const signed = signReady(def.json, secret, { transcriptHash: want.claim.transcriptHash, manifestFingerprint, depositDataRoots: roots });
    // journalled (decision 0430), never refused: READY signs public, deterministic data, so a second one says the same
    await withJournal(resolve(io.cwd, v['host-key']!), me, async (journal) => {
      await journal.append(def.idHex, 'ready', want.claim.transcriptHash);
      await writeNewFile(out, json(signed), false, io.signal);
    });
    ready = signed;
  } finally {
    secret.fill(0);
  }
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, index: ready.index, ceremonyId: ready.ceremonyId, fingerprint: manifestFingerprint.slice(2), deposits: roots.length }, null, 2));
    return 0;
  }
  io.out(`Operator ${ready.index} of ceremony ${ceremonyFingerprint(def.json)} is ready: read ${v.folder} back, decrypted every keystore and`);
  io.out(`checked ceremony.json (fingerprint ${manifestFingerprint.slice(2)}) and the ${roots.length} deposit(s) against the ceremony's public data.`);
  io.out(`Wrote ${out} (READY, signed with your host key): send it to the coordinator, which collects all ${def.n}.`);
  io.out(`With the deposit certificate it sends back: dvkeys dkg deposit-data --folder ${v.folder} --certificate FILE.`);
  return 0;
}

/**
 * What an operator folder's own recovery data make (the READY claim, ceremony.json and deposit data), checked against
 * the ceremony.json on disk byte for byte.
 * @throws DvkeysError `CEREMONY_MISMATCH` when ceremony.json is not the one of the recovery data; recovery errors.
 */
async function folderExpectation(io: CliIo, dir: string, shown: string): Promise<{ want: DkgReadyExpectation; manifestFingerprint: string }> {
  const recovery = await readJsonFile(io, join(dir, DKG_RECOVERY_FILE), MAX_DKG_MESSAGE_FILE_BYTES, 'recovery data');
  const want = dkgReadyExpectation(recovery);
  const manifestText = await readText(join(dir, MANIFEST_FILE), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
  const manifestFingerprint = `0x${fileHash(utf8(manifestText))}`;
  if (manifestFingerprint !== want.claim.manifestFingerprint) {
    throw new DvkeysError('CEREMONY_MISMATCH', `${shown}/${MANIFEST_FILE} is not the ceremony.json of its recovery data (fingerprint ${manifestFingerprint.slice(2)}, expected ${want.claim.manifestFingerprint.slice(2)}): not ready`, { field: `${shown}/${MANIFEST_FILE}` });
  }
  return { want, manifestFingerprint };
}

/**
 * Checks a deposit certificate against a ceremony's expected READY claim: every operator's READY signature, the
 * deposit roots, the ceremony.json fingerprint, and the transcript hash and ceremony (which verifyDepositCertificate
 * does not know).
 * @throws VerificationError `DKG_NOT_READY` (src/dkg/ready.ts), ValidationError for a malformed certificate.
 */
function checkCertificateClaim(value: unknown, want: DkgReadyExpectation): void {
  const got = verifyDepositCertificate(value, { ceremonyId: parseDefinition(want.definition).idHex, depositDataRoots: want.claim.depositDataRoots, manifestFingerprint: want.claim.manifestFingerprint });
  if (got.claim.transcriptHash !== want.claim.transcriptHash) throw new VerificationError('DKG_NOT_READY', 'the deposit certificate is over another transcript', { field: 'certificate.transcriptHash' });
}

/**
 * `dkg deposit-data --folder DIR --certificate FILE`: an operator writes its own folder's deposit-data.json from the
 * deposit certificate, without trusting whoever assembled it: the certificate is checked against the claim the
 * folder's own recovery data make (every READY signature, roots, fingerprint, transcript), then written into the
 * folder as deposit-certificate.json, and only then deposit-data.json (computed from the recovery data, never taken
 * from the coordinator), so that deposit-data.json never exists without its certificate beside it.
 */
export async function depositDataRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { folder: { type: 'string' }, certificate: { type: 'string' }, json: { type: 'boolean' } });
  if (v.folder === undefined) throw new UsageError('--folder DIR is required (your operator folder, from dkg finalize or dkg recover)');
  if (v.certificate === undefined) throw new UsageError('--certificate FILE is required (the deposit certificate dkg collect of the READY messages wrote)');
  const dir = resolve(io.cwd, v.folder);
  const depositPath = join(dir, DEPOSIT_FILE);
  const certPath = join(dir, DEPOSIT_CERTIFICATE_FILE);
  await assertNewPaths([depositPath]);
  const { want } = await folderExpectation(io, dir, v.folder);
  const certText = await readText(resolve(io.cwd, v.certificate), MAX_DKG_SMALL_FILE_BYTES, 'deposit certificate');
  checkCertificateClaim(parseJsonText(certText, MAX_DKG_SMALL_FILE_BYTES, v.certificate), want);
  const def = parseDefinition(want.definition);
  // the certificate first: deposit-data.json is never on disk without it (a crash in between leaves only the certificate)
  const sameCert = (await exists(certPath)) && (await readText(certPath, MAX_DKG_SMALL_FILE_BYTES, 'deposit certificate')) === certText;
  if (!sameCert) await writeNewFile(certPath, certText, false, io.signal);
  await writeNewFile(depositPath, want.depositDataText, false, io.signal);
  const deposits = want.claim.depositDataRoots.length;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, folder: dir, depositData: depositPath, certificate: certPath, fingerprint: want.claim.manifestFingerprint.slice(2), deposits }, null, 2));
    return 0;
  }
  io.out(`The deposit certificate holds the READY signature of all ${def.n} operators of ceremony ${ceremonyFingerprint(def.json)} over this`);
  io.out(`folder's ceremony.json (fingerprint ${want.claim.manifestFingerprint.slice(2)}) and its ${deposits} deposit(s).`);
  io.out(`Wrote ${certPath} and then ${depositPath} (from your recovery data): the file to deposit with.`);
  return 0;
}

/**
 * Refuses deposit signing on a DKG operator folder before round 3 (decision 0431): a folder whose ceremony.json is of
 * kind `dkg` needs a deposit certificate beside it that verifies over that ceremony.json, anchored to the ceremony of
 * the folder's own recovery data (decision 0424: a certificate alone names its own operators). Folders of a split pass.
 * With `depositDataRoots` (dvkeys verify of a folder holding deposit-data.json, attack a14) the certificate must be
 * for exactly those deposits.
 * @throws VerificationError `DKG_NOT_READY`.
 */
export async function assertDkgFolderReady(io: CliIo, folder: string, depositDataRoots?: readonly string[]): Promise<void> {
  const dir = resolve(io.cwd, folder);
  if (!(await exists(join(dir, MANIFEST_FILE)))) return;
  const manifestText = await readText(join(dir, MANIFEST_FILE), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
  if (parseManifest(manifestText, `${folder}/${MANIFEST_FILE}`).kind !== 'dkg') return;
  const certPath = join(dir, DEPOSIT_CERTIFICATE_FILE);
  if (!(await exists(certPath))) {
    throw new VerificationError('DKG_NOT_READY', `${folder} is a DKG folder without ${DEPOSIT_CERTIFICATE_FILE}: no deposits before all operators signed READY (round 3: dvkeys dkg ready, then dkg deposit-data)`, { field: `${folder}/${DEPOSIT_CERTIFICATE_FILE}` });
  }
  const recoveryPath = join(dir, DKG_RECOVERY_FILE);
  if (!(await exists(recoveryPath))) {
    throw new VerificationError('DKG_NOT_READY', `${folder} has no ${DKG_RECOVERY_FILE}: nothing this folder holds says which ceremony its ${DEPOSIT_CERTIFICATE_FILE} must be of`, { field: `${folder}/${DKG_RECOVERY_FILE}` });
  }
  const recovery = await readJsonFile(io, recoveryPath, MAX_DKG_MESSAGE_FILE_BYTES, 'recovery data');
  const definition = typeof recovery === 'object' && recovery !== null ? (recovery as Readonly<Record<string, unknown>>)['definition'] : undefined;
  const value = parseJsonText(await readText(certPath, MAX_DKG_SMALL_FILE_BYTES, 'deposit certificate'), MAX_DKG_SMALL_FILE_BYTES, certPath);
  verifyDepositCertificate(value, { ceremonyId: parseDefinition(definition).idHex, manifestFingerprint: `0x${fileHash(utf8(manifestText))}`, ...(depositDataRoots === undefined ? {} : { depositDataRoots }) });
}

/** True when the path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The ceremony's public data from `--collected` and `--final` (the coordinator's files), as recovery data. */
async function expectationOf(io: CliIo, definitionJson: unknown, collectedPath: string | undefined, finalPath: string | undefined): Promise<DkgReadyExpectation> {
  if (collectedPath === undefined || finalPath === undefined) throw new UsageError('READY messages need --collected FILE and --final FILE (the ceremony they confirm)');
  const cap = dkgMessageCap(parseDefinition(definitionJson));
  const collected = await readJsonFile(io, collectedPath, cap, 'collected round 1');
  const final = await readJsonFile(io, finalPath, cap, 'final message');
  return dkgReadyExpectation({ format: 'dvkeys/dkg-recovery', version: 1, definition: definitionJson, collected, final });
}

/** Options of {@link collectReadyStep}: the parsed options of `dkg collect`. */
export interface CollectReadyOptions {
  readonly definition: unknown;
  readonly collected: string | undefined;
  readonly final: string | undefined;
  /** The directory to create, with deposit-data.json and deposit-certificate.json. */
  readonly out: string;
  readonly json: boolean;
}

/**
 * `dkg collect --definition FILE --collected FILE --final FILE READY... --out DIR`: checks every READY against the
 * claim computed from the ceremony's public data and, when all n confirm it, creates DIR with deposit-data.json and
 * the deposit-certificate.json beside it, together (one atomic directory write); else exits 1 with the verdict and
 * writes nothing (decision 0431).
 */
export async function collectReadyStep(io: CliIo, o: CollectReadyOptions, files: readonly string[], messages: readonly unknown[]): Promise<number> {
  const want = await expectationOf(io, o.definition, o.collected, o.final);
  const def = parseDefinition(want.definition);
  const r = collectReady(def.json, want.claim, messages);
  if (!r.ok) {
    throw new VerificationError('DKG_NOT_READY', `no deposit certificate, nothing written: ${verdictLine(def.json, r.verdict)}; do not deposit`, { culprits: [...r.verdict.culprits] });
  }
  const sigs = new Set(r.certificate.signatures.map((s) => s.signature));
  files.forEach((f, i) => {
    if (!sigs.has((messages[i] as { signature?: string }).signature ?? '')) io.err(`warning: ignored ${f}: not a validly signed READY of this ceremony, or a duplicate`);
  });
  await writeTreeAtomically(o.out, [
    { path: DEPOSIT_CERTIFICATE_FILE, bytes: utf8(json(r.certificate satisfies DepositCertificateJson)), secret: false },
    { path: DEPOSIT_FILE, bytes: utf8(want.depositDataText), secret: false },
  ], io.signal);
  if (o.json) {
    io.out(JSON.stringify({ ok: true, out: o.out, stage: 'ready', files: [DEPOSIT_FILE, DEPOSIT_CERTIFICATE_FILE], fingerprint: want.claim.manifestFingerprint.slice(2), deposits: want.claim.depositDataRoots.length }, null, 2));
    return 0;
  }
  io.out(`All ${def.n} operators signed READY for ceremony.json ${want.claim.manifestFingerprint.slice(2)} and the ${want.claim.depositDataRoots.length} deposit(s).`);
  io.out(`Wrote ${o.out}/${DEPOSIT_FILE} (the file to deposit with) and ${o.out}/${DEPOSIT_CERTIFICATE_FILE} beside it (dvkeys deposit verify checks it).`);
  io.out(`Send ${DEPOSIT_CERTIFICATE_FILE} to every operator: dvkeys dkg deposit-data --folder DIR --certificate FILE writes their own copy.`);
  return 0;
}
