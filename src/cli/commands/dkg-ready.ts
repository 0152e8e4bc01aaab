/**
 * Round 3 of `dvkeys dkg`, deposit readiness (issue 12; src/dkg/ready.ts): `dkg ready`, where an operator reads its
 * finalized folder back, checks it against the ceremony's public data and signs READY, and `dkg collect` of READY
 * messages, where the coordinator (or anyone) turns n of them into the deposit certificate that
 * `dvkeys deposit verify` checks beside deposit-data.json. Files only, so air-gapped machines take part by carrying
 * the READY message out and the certificate in.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { bytesToHex, utf8 } from '../../bytes.js';
import { DKG_RECOVERY_FILE, dkgOperators, dkgReadyExpectation, type DkgReadyExpectation } from '../../ceremony/dkg-output.js';
import { fileHash } from '../../ceremony/files.js';
import { DEPOSIT_FILE } from '../../ceremony/layouts/dvkeys.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH } from '../../ceremony/manifest.js';
import { ceremonyFingerprint, collectReady, hostPublicKey, parseDefinition, signReady, type DepositCertificateJson } from '../../dkg/index.js';
import { DvkeysError, VerificationError } from '../../errors.js';
import { MAX_DEPOSIT_DATA_TEXT_LENGTH, parseDepositDataFile } from '../../eth/deposit-file.js';
import { parse } from '../args.js';
import { readPasswordFile, readText } from '../files.js';
import { writeNewFile } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { MAX_DKG_MESSAGE_FILE_BYTES, assertNewPaths, dkgMessageCap, readHostKey, readJsonFile, verdictLine } from './dkg-files.js';
import { verifyFolderReport } from './dkg-folder.js';

/** The file name `dkg collect` of READY messages gives the certificate by default, and `deposit verify` looks for. */
export const DEPOSIT_CERTIFICATE_FILE = 'deposit-certificate.json';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `dkg ready --host-key FILE --folder DIR --out FILE`: reads the operator folder back (ceremony.json, deposit-data.json,
 * dkg-recovery.json, every keystore decrypted as `dvkeys verify` does), checks that ceremony.json and deposit-data.json
 * are exactly the ones the recovery data make and that the keystores hold this host key's shares, then signs READY
 * over the fingerprint and roots as read from disk.
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
  const recovery = await readJsonFile(io, join(dir, DKG_RECOVERY_FILE), MAX_DKG_MESSAGE_FILE_BYTES, 'recovery data');
  const want = dkgReadyExpectation(recovery);
  const def = parseDefinition(want.definition);
  // what is on disk, byte for byte
  const manifestText = await readText(join(dir, MANIFEST_FILE), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
  const manifestFingerprint = `0x${fileHash(utf8(manifestText))}`;
  if (manifestFingerprint !== want.claim.manifestFingerprint) {
    throw new DvkeysError('CEREMONY_MISMATCH', `${v.folder}/${MANIFEST_FILE} is not the ceremony.json of its recovery data (fingerprint ${manifestFingerprint.slice(2)}, expected ${want.claim.manifestFingerprint.slice(2)}): not ready`, { field: `${v.folder}/${MANIFEST_FILE}` });
  }
  const depositText = await readText(join(dir, DEPOSIT_FILE), MAX_DEPOSIT_DATA_TEXT_LENGTH, 'deposit-data file');
  const roots = parseDepositDataFile(depositText).map((e) => bytesToHex(e.depositDataRoot, true));
  const d = roots.length !== want.claim.depositDataRoots.length ? Math.min(roots.length, want.claim.depositDataRoots.length) : roots.findIndex((r, k) => r !== want.claim.depositDataRoots[k]);
  if (d >= 0) {
    throw new DvkeysError('CEREMONY_MISMATCH', `${v.folder}/${DEPOSIT_FILE} is not the deposit data of its recovery data (deposit ${d} differs, or the count): not ready`, { field: `${v.folder}/${DEPOSIT_FILE}` });
  }
  const sharePassword = v['share-password-file'] === undefined ? undefined : await readPasswordFile(resolve(io.cwd, v['share-password-file']));
  const checked = await verifyFolderReport(io, dir, sharePassword, v.json === true, manifestFingerprint.slice(2));
  const secret = await readHostKey(io, v['host-key'], v['password-file']);
  let ready;
  try {
    const me = bytesToHex(hostPublicKey(secret), true);
    const index = def.participants.findIndex((p) => bytesToHex(p.hostKey, true) === me) + 1;
    const name = index === 0 ? undefined : dkgOperators(def.json)[index - 1]!.name;
    if (name === undefined || checked.operators.length !== 1 || checked.operators[0] !== name) {
      throw new DvkeysError('KEY_MISMATCH', `the keystores of ${v.folder} are not the shares of this host key's operator (${index === 0 ? 'not an operator of this ceremony' : `operator ${index}, ${name!}`}): not ready`, { field: '--folder' });
    }
    ready = signReady(def.json, secret, { transcriptHash: want.claim.transcriptHash, manifestFingerprint, depositDataRoots: roots });
  } finally {
    secret.fill(0);
  }
  await writeNewFile(out, json(ready), false, io.signal);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, index: ready.index, ceremonyId: ready.ceremonyId, fingerprint: manifestFingerprint.slice(2), deposits: roots.length }, null, 2));
    return 0;
  }
  io.out(`Operator ${ready.index} of ceremony ${ceremonyFingerprint(def.json)} is ready: read ${v.folder} back, decrypted every keystore and`);
  io.out(`checked ceremony.json (fingerprint ${manifestFingerprint.slice(2)}) and the ${roots.length} deposit(s) against the ceremony's public data.`);
  io.out(`Wrote ${out} (READY, signed with your host key): send it to the coordinator, which collects all ${def.n}.`);
  return 0;
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
  readonly out: string;
  readonly depositDataOut: string | undefined;
  readonly json: boolean;
}

/**
 * `dkg collect --definition FILE --collected FILE --final FILE READY... --out deposit-certificate.json
 * [--deposit-data-out FILE]`: checks every READY against the claim computed from the ceremony's public data and
 * writes the deposit certificate (and, when asked, the deposit data it certifies); else exits 1 with the verdict.
 */
export async function collectReadyStep(io: CliIo, o: CollectReadyOptions, files: readonly string[], messages: readonly unknown[]): Promise<number> {
  const want = await expectationOf(io, o.definition, o.collected, o.final);
  const def = parseDefinition(want.definition);
  const r = collectReady(def.json, want.claim, messages);
  if (!r.ok) {
    throw new VerificationError('DKG_NOT_READY', `no deposit certificate: ${verdictLine(def.json, r.verdict)}; do not deposit`, { culprits: [...r.verdict.culprits] });
  }
  const sigs = new Set(r.certificate.signatures.map((s) => s.signature));
  files.forEach((f, i) => {
    if (!sigs.has((messages[i] as { signature?: string }).signature ?? '')) io.err(`warning: ignored ${f}: not a validly signed READY of this ceremony, or a duplicate`);
  });
  await writeNewFile(o.out, json(r.certificate satisfies DepositCertificateJson), false, io.signal);
  if (o.depositDataOut !== undefined) await writeNewFile(o.depositDataOut, want.depositDataText, false, io.signal);
  if (o.json) {
    io.out(JSON.stringify({ ok: true, out: o.out, stage: 'ready', ...(o.depositDataOut === undefined ? {} : { depositDataOut: o.depositDataOut }), fingerprint: want.claim.manifestFingerprint.slice(2), deposits: want.claim.depositDataRoots.length }, null, 2));
    return 0;
  }
  io.out(`All ${def.n} operators signed READY for ceremony.json ${want.claim.manifestFingerprint.slice(2)} and the ${want.claim.depositDataRoots.length} deposit(s).`);
  io.out(`Wrote the deposit certificate ${o.out}${o.depositDataOut === undefined ? '' : ` and the deposit data it certifies, ${o.depositDataOut}`}.`);
  io.out(`Keep it beside deposit-data.json as ${DEPOSIT_CERTIFICATE_FILE} (dvkeys deposit verify checks it there), and send it to every operator.`);
  return 0;
}
