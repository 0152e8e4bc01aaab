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
import { assertDkgOutputOptions, layoutOption } from '../../ceremony/layout-options.js';
import type { CeremonyDefinitionJson, ParticipantOutput, RecoveryDataJson } from '../../dkg/index.js';
import { VerificationError } from '../../errors.js';
import { label, readFolder, readText } from '../files.js';
import { NEW_PASSWORD, secretOption } from '../prompt.js';
import { readBackTree, removeTree, writeTreeAtomically } from '../fs.js';
import type { CliIo } from '../io.js';
import { wipeKeptKeys } from '../../keys/kept-key.js';
import { openWrittenFolderKeystores, type ReadbackHooks } from '../readback.js';
import { progressBar } from '../progress.js';
import { INSECURE_KDF, kdfOption } from './shared.js';

/**
 * Refuses, before any work, an output layout the DKG cannot write and an option the layout has no place for
 * (`--layout` defaults to dvkeys; the `dkg finalize` table of the parity matrix, decision 0308).
 * @throws ValidationError `LAYOUT_UNSUPPORTED` in one line.
 */
export function assertDkgOutputLayout(v: Readonly<Record<string, unknown>> & { layout?: string | undefined }): void {
  assertDkgOutputOptions(layoutOption(v.layout) ?? 'dvkeys', Object.keys(v).filter((k) => v[k] !== undefined));
}

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
 * Writes the operator folder of an output atomically, reads it back and checks it before reporting success; removes
 * it on any failure. The read-back verifies the folder as `dvkeys verify --no-decrypt <folder>` would, then opens
 * every keystore with the key kept from encryption and checks it against this operator's public share, and
 * decrypts keystore-0.json from its password as the sample (decisions 0210, 0214).
 */
export async function writeFolder(io: CliIo & ReadbackHooks, out: string, output: ParticipantOutput, recovery: RecoveryDataJson, o: KeystoreOptions): Promise<{ fingerprint: string; files: string[] }> {
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
      keepKeys: true,
    });
  } finally {
    bar.done();
  }
  const files = result.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
  const kept = result.keptKeys ?? new Map();
  try {
    await writeTreeAtomically(out, files, io.signal);
    try {
      await io.afterWrite?.(out);
      await readBackTree(out, files);
      const fingerprint = await verifyFolder(io, out, o.sharePassword, o.quiet, undefined, true);
      const k = output.index - 1;
      await openWrittenFolderKeystores(out, result.operator.name, result.manifest.validators.map((v) => v.publicShares[k]!), o.sharePassword, kept, io);
      return { fingerprint, files: files.map((f) => f.path) };
    } catch (e) {
      await removeTree(out);
      if (e instanceof VerificationError && !e.message.endsWith('the output was removed')) throw new VerificationError(e.code, `${e.message}; the output was removed`, { ...(e.field === undefined ? {} : { field: e.field }), culprits: [...e.culprits] });
      throw e;
    }
  } finally {
    for (const f of result.files) if (f.kind === 'password') f.bytes.fill(0);
    wipeKeptKeys(kept.values());
  }
}

/**
 * Verifies an operator folder as `dvkeys verify <folder>` does (every keystore decrypted, with its `.txt` or the
 * given password), optionally against an expected fingerprint, and returns its fingerprint and operator name. With
 * `publicOnly` as `dvkeys verify --no-decrypt` does (the caller opens the keystores itself).
 * @throws VerificationError with the code of the first failed check.
 */
export async function verifyFolder(io: CliIo, dir: string, sharePassword: string | undefined, quiet: boolean, fingerprint?: string, publicOnly = false): Promise<string> {
  return (await verifyFolderReport(io, dir, sharePassword, quiet, fingerprint, publicOnly)).fingerprint;
}

/** {@link verifyFolder} returning the folder's operator names too. */
export async function verifyFolderReport(io: CliIo, dir: string, sharePassword: string | undefined, quiet: boolean, fingerprint?: string, publicOnly = false): Promise<{ fingerprint: string; operators: readonly string[] }> {
  const check = progressBar(io, publicOnly ? 'reading back the folder' : 'reading back and decrypting every keystore', quiet);
  try {
    const manifestText = await readText(join(dir, MANIFEST_FILE), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
    const report = await verifyCeremony({
      manifestText,
      manifestSource: `${label(dir)}/${MANIFEST_FILE}`,
      folders: [await readFolder(dir, label(dir))],
      wholeTree: false,
      ...(sharePassword === undefined || publicOnly ? {} : { password: sharePassword }),
      ...(fingerprint === undefined ? {} : { expectedFingerprint: fingerprint }),
      ...(publicOnly ? { noDecrypt: true } : {}),
      signal: io.signal,
      onProgress: check.onProgress,
    });
    const failed = report.lines.find((l) => l.status === 'fail' || (!publicOnly && l.check === 'shares' && l.subject === 'keystores' && l.status !== 'pass'));
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
  io.out('recombination checks, and the folder read back (every keystore checked against its public share, keystore-0.json');
  io.out('decrypted from its password; dvkeys verify decrypts them all).');
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
