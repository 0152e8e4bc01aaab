/**
 * The operator folder of `dvkeys dkg finalize` and `dvkeys dkg recover`: keystore options, the atomic write with a
 * read-back that verifies the folder as `dvkeys verify` does, and the summaries printed after it.
 *
 * @module
 */
import { join } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { dkgOperators, runDkgOutput } from '../../ceremony/dkg-output.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH } from '../../ceremony/manifest.js';
import { verifyCeremony } from '../../ceremony/verify.js';
import type { CeremonyDefinitionJson, ParticipantOutput, RecoveryDataJson } from '../../dkg/index.js';
import { VerificationError } from '../../errors.js';
import { label, readFolder, readText } from '../files.js';
import { NEW_PASSWORD, secretOption } from '../prompt.js';
import { readBackTree, removeTree, writeTreeAtomically } from '../fs.js';
import type { CliIo } from '../io.js';
import { progressBar } from '../progress.js';
import { INSECURE_KDF, kdfOption } from './shared.js';

/** Keystore options of finalize and recover. */
export interface KeystoreOptions {
  readonly kdf: 'scrypt' | 'pbkdf2';
  readonly insecure: boolean;
  readonly sharePassword: string | undefined;
  readonly quiet: boolean;
}

/** Reads --kdf, --insecure-keys, --share-password-file (and --json for quiet progress). */
export async function keystoreOptions(v: { kdf?: string | undefined; 'insecure-keys'?: boolean | undefined; 'share-password-file'?: string | undefined; json?: boolean | undefined }, io: CliIo, command: string): Promise<KeystoreOptions> {
  const sharePassword = await secretOption(io, v['share-password-file'], { flag: '--share-password-file', what: 'password for the share keystores', ...NEW_PASSWORD });
  const insecure = v['insecure-keys'] === true;
  if (insecure) io.err(`dvkeys dkg ${command}: WARNING: --insecure-keys writes keystores with tiny KDF costs; never use them for real keys`);
  return { kdf: kdfOption(v.kdf) ?? (sharePassword === undefined ? 'pbkdf2' : 'scrypt'), insecure, sharePassword, quiet: v.json === true };
}

/**
 * Writes the operator folder of an output atomically, reads it back and verifies it as `dvkeys verify <folder>` would
 * (every keystore decrypted); removes it on any failure.
 */
export async function writeFolder(io: CliIo, out: string, output: ParticipantOutput, recovery: RecoveryDataJson, o: KeystoreOptions): Promise<{ fingerprint: string; files: string[] }> {
  const bar = progressBar(io, 'encrypting share keystores', o.quiet);
  let result;
  try {
    result = await runDkgOutput({
      output,
      recovery,
      kdf: o.kdf,
      ...(o.insecure ? { kdfParams: INSECURE_KDF[o.kdf] } : {}),
      ...(o.sharePassword === undefined ? {} : { sharePassword: o.sharePassword }),
      signal: io.signal,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.done();
  }
  const files = result.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
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
    for (const f of result.files) if (f.kind === 'password') f.bytes.fill(0);
  }
}

/**
 * Verifies an operator folder as `dvkeys verify <folder>` does (every keystore decrypted, with its `.txt` or the
 * given password), optionally against an expected fingerprint, and returns its fingerprint and operator name.
 * @throws VerificationError with the code of the first failed check.
 */
export async function verifyFolder(io: CliIo, dir: string, sharePassword: string | undefined, quiet: boolean, fingerprint?: string): Promise<string> {
  return (await verifyFolderReport(io, dir, sharePassword, quiet, fingerprint)).fingerprint;
}

/** {@link verifyFolder} returning the folder's operator names too. */
export async function verifyFolderReport(io: CliIo, dir: string, sharePassword: string | undefined, quiet: boolean, fingerprint?: string): Promise<{ fingerprint: string; operators: readonly string[] }> {
  const check = progressBar(io, 'reading back and decrypting every keystore', quiet);
  try {
    const manifestText = await readText(join(dir, MANIFEST_FILE), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
    const report = await verifyCeremony({
      manifestText,
      manifestSource: `${label(dir)}/${MANIFEST_FILE}`,
      folders: [await readFolder(dir, label(dir))],
      wholeTree: false,
      ...(sharePassword === undefined ? {} : { password: sharePassword }),
      ...(fingerprint === undefined ? {} : { expectedFingerprint: fingerprint }),
      signal: io.signal,
      onProgress: check.onProgress,
    });
    const failed = report.lines.find((l) => l.status === 'fail' || (l.check === 'shares' && l.subject === 'keystores' && l.status !== 'pass'));
    if (failed !== undefined) throw new VerificationError(failed.code ?? 'IO_FAILED', `read-back of ${label(dir)} failed (${failed.subject}: ${failed.detail})`);
    return { fingerprint: report.fingerprint, operators: report.operators };
  } finally {
    check.done();
  }
}

/** The human summary of a written folder. */
export function printFolder(io: CliIo, verb: string, out: string, output: ParticipantOutput, definition: CeremonyDefinitionJson, written: { fingerprint: string; files: string[] }): void {
  const operator = dkgOperators(definition)[output.index - 1]!;
  io.out(`${verb} ${operator.name} (share ${output.index}, threshold ${output.threshold} of ${output.participants}) into ${out}:`);
  io.out(`  ${written.files.join('  ')}`);
  io.out(`Checked: the certificate of all ${output.participants} operators over one transcript, every deposit signature, the`);
  io.out('recombination checks, and the folder read back as dvkeys verify reads it (every keystore decrypted).');
  io.out('Validators:');
  output.validators.forEach((val, i) => io.out(`  ${i}  ${bytesToHex(val.pubkey, true)}`));
  io.out(`Ceremony fingerprint (SHA-256 of ceremony.json, the same in every operator's folder): ${written.fingerprint}`);
  io.out('Compare it with the other operators over a separate channel (dvkeys verify <folder> --fingerprint <hex>).');
  io.out(`Next, round 3: dvkeys dkg ready --folder ${out} --host-key … --out ready.json, sent to the coordinator. Deposit`);
  io.out(`only with the deposit certificate of all ${output.participants} operators beside deposit-data.json (dvkeys deposit verify checks it).`);
}

/** The --json summary of a written folder. */
export function outputJson(out: string, output: ParticipantOutput, written: { fingerprint: string; files: string[] }): string {
  return JSON.stringify({ ok: true, out, index: output.index, threshold: output.threshold, validators: output.validators.map((x) => bytesToHex(x.pubkey, true)), fingerprint: written.fingerprint, files: written.files }, null, 2);
}
