/**
 * Files of `dvkeys dkg`: size caps per kind, strict JSON reads naming the path, new-file writes that never overwrite
 * (secret files 0600), the host key file (format `dvkeys/dkg-host-key`, docs/formats/dkg-host-key.md), sealed
 * states, and the one-line verdict of an abort.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ctr } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { writeNewFile } from '../fs.js';
import { bytesToHex, concatBytes, constantTimeEqual, hexToBytes } from '../../bytes.js';
import { DvkeysError, VerificationError } from '../../errors.js';
import { expectObject, parseJsonText } from '../../json.js';
import { parseWithdrawalCredentials, toChecksumAddress } from '../../eth/withdrawal.js';
import { hostPublicKey, openState, sealState, type CeremonyDefinitionJson, type ParticipantStateJson, type Verdict } from '../../dkg/index.js';
import { deriveKey } from '../../keys/kdf.js';
import { DEFAULT_PBKDF2, DEFAULT_SCRYPT, decryptCryptoModule, encryptionPassword, type KdfChoice } from '../../keys/keystore.js';
import { parseKdfModule, type KdfModule } from '../../keys/keystore-format.js';
import { SecretBytes, type RandomBytes } from '../../types.js';
import { systemRandomBytes } from '../../random.js';
import { readText } from '../files.js';
import { secretOption } from '../prompt.js';
import { assertAbsent, assertWritableDir } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { INSECURE_KDF } from './shared.js';

/** Largest host key file read: 64 KiB. */
export const MAX_HOST_KEY_FILE_BYTES = 64 * 1024;
/** Largest draft, enrollment or definition read: 16 MiB (64 operators and 10 000 validators take about 2 MiB). */
export const MAX_DKG_SMALL_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Largest round-1 message, collected round 1, Ack, complaint, final message, abort report, sealed state or recovery
 * data read: 256 MiB (a collected round 1 at n = 10, V = 1000 is about 11 MB; at n = 10, V = 10 000 about 110 MB).
 */
export const MAX_DKG_MESSAGE_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The cap of a collected round 1, final message or abort report of a ceremony with n participants, threshold t and
 * V validators (review finding D5, decision 0414): twice the size of a pretty-printed collected round 1 of that shape
 * (every hex string counted with 24 characters of indentation, quotes and separators) plus 1 MiB, and never above
 * {@link MAX_DKG_MESSAGE_FILE_BYTES}. A well-formed file is about half of it.
 */
export function dkgMessageCap(shape: { readonly n: number; readonly t: number; readonly V: number }): number {
  const str = (bytes: number): number => 2 + 2 * bytes + 24;
  const perMessage = shape.V * (shape.t * str(96) + str(96) + str(32) + 64) + shape.n * str(32 * shape.V + 16) + 1024;
  return Math.min(MAX_DKG_MESSAGE_FILE_BYTES, 2 * shape.n * perMessage + 1024 * 1024);
}

/** Reads a JSON file (capped), relative to the working directory; errors name the path, never the content. */
export async function readJsonFile(io: CliIo, path: string, max: number, what: string): Promise<unknown> {
  const text = await readText(resolve(io.cwd, path), max, what);
  return parseJsonText(text, max, path);
}

/** The `format` of a DKG JSON value, or undefined. */
export function formatOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const f = (value as Record<string, unknown>)['format'];
  return typeof f === 'string' ? f : undefined;
}

/** Checks, before any work, that every output path is absent and its folder writable. */
export async function assertNewPaths(paths: readonly string[]): Promise<void> {
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) throw new UsageError(`the same output path is given twice: ${p}`);
    seen.add(p);
    await assertAbsent(p, 'output file');
    await assertWritableDir(dirname(p));
  }
}


/** `<out without .json>.abort.json` beside `out`: where evidence goes unless `--abort-out` says otherwise. */
export function defaultAbortPath(out: string): string {
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext === '.json' ? ext : '')}.abort.json`);
}

// ---- host key file ----

/** Format tag of the host key file. */
export const HOST_KEY_FORMAT = 'dvkeys/dkg-host-key';

/** Options of {@link hostKeyFileText}. */
export interface HostKeyFileOptions {
  /** Encrypts the key (EIP-2335 crypto module) when given. */
  readonly password?: string;
  readonly kdf?: KdfChoice;
  /** Tiny KDF costs (tests only). */
  readonly insecure?: boolean;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
}

function kdfModule(kdf: KdfChoice, insecure: boolean, salt: Uint8Array): KdfModule {
  const s = bytesToHex(salt);
  if (kdf === 'scrypt') {
    const p = insecure ? { ...DEFAULT_SCRYPT, ...INSECURE_KDF.scrypt } : DEFAULT_SCRYPT;
    return { function: 'scrypt', params: { dklen: 32, n: p.n, p: p.p, r: p.r, salt: s }, message: '' };
  }
  return { function: 'pbkdf2', params: { dklen: 32, c: insecure ? INSECURE_KDF.pbkdf2.c : DEFAULT_PBKDF2.c, prf: 'hmac-sha256', salt: s }, message: '' };
}

/**
 * The text of a host key file: `{format, version: 1, publicKey, secretKey}` in the clear (to be written 0600), or
 * `{format, version: 1, publicKey, crypto}` with the secret encrypted as an EIP-2335 crypto module (KDF, AES-128-CTR,
 * SHA-256 checksum) under the password.
 */
export async function hostKeyFileText(secret: Uint8Array, options: HostKeyFileOptions = {}): Promise<string> {
  const publicKey = bytesToHex(hostPublicKey(secret), true);
  if (options.password === undefined) {
    return `${JSON.stringify({ format: HOST_KEY_FORMAT, version: 1, publicKey, secretKey: bytesToHex(secret, true) }, null, 2)}\n`;
  }
  const rng = options.rng ?? systemRandomBytes;
  const module = kdfModule(options.kdf ?? 'scrypt', options.insecure === true, rng(32));
  const { params } = parseKdfModule(module, { field: 'crypto.kdf' });
  const iv = rng(16);
  const pw = encryptionPassword(options.password);
  let dk: Uint8Array | undefined;
  try {
    dk = await deriveKey(params, pw, { signal: options.signal });
    const ciphertext = ctr(dk.subarray(0, 16), iv).encrypt(secret);
    const checksum = sha256(concatBytes(dk.subarray(16, 32), ciphertext));
    const crypto = {
      kdf: module,
      checksum: { function: 'sha256', params: {}, message: bytesToHex(checksum) },
      cipher: { function: 'aes-128-ctr', params: { iv: bytesToHex(iv) }, message: bytesToHex(ciphertext) },
    };
    return `${JSON.stringify({ format: HOST_KEY_FORMAT, version: 1, publicKey, crypto }, null, 2)}\n`;
  } finally {
    pw.fill(0);
    dk?.fill(0);
  }
}

/**
 * Opens a host key file's text: decrypts it with the password when it is encrypted, and checks that its secret is
 * the key of its `publicKey`.
 * @throws UsageError (encrypted without a password, or a password for a file in the clear); DvkeysError
 *   `INVALID_FORMAT`/`INVALID_HEX`/`INVALID_LENGTH` (shape), KeystoreError `WRONG_PASSWORD`, `KEY_MISMATCH` (the
 *   secret is not the key of `publicKey`).
 */
export async function openHostKeyText(text: string, source: string, password: string | undefined, signal?: AbortSignal): Promise<SecretBytes> {
  const obj = expectObject(parseJsonText(text, MAX_HOST_KEY_FILE_BYTES, source), 'hostKey', ['format', 'version', 'publicKey'], ['secretKey', 'crypto']);
  if (obj['format'] !== HOST_KEY_FORMAT || obj['version'] !== 1) {
    throw new DvkeysError('INVALID_FORMAT', `${source} is not a dvkeys host key file (format ${HOST_KEY_FORMAT}, version 1)`, { field: source });
  }
  const publicKey = hexToBytes(obj['publicKey'], 'hostKey.publicKey', { length: 32, prefix: 'required' });
  const encrypted = obj['crypto'] !== undefined;
  if (encrypted === (obj['secretKey'] !== undefined)) throw new DvkeysError('INVALID_FORMAT', `${source} must hold exactly one of secretKey and crypto`, { field: source });
  let secret: SecretBytes;
  if (encrypted) {
    if (password === undefined) throw new UsageError(`host key ${source} is encrypted: give its --password-file`);
    secret = await decryptCryptoModule(obj['crypto'], password, { source, signal });
  } else {
    if (password !== undefined) throw new UsageError(`host key ${source} is not encrypted: leave out --password-file`);
    const raw = hexToBytes(obj['secretKey'], 'hostKey.secretKey', { length: 32, prefix: 'required' });
    secret = SecretBytes.copyOf(raw);
    raw.fill(0);
  }
  try {
    if (secret.length !== 32 || !constantTimeEqual(hostPublicKey(secret), publicKey)) {
      throw new VerificationError('KEY_MISMATCH', `${source}: the secret is not the key of its publicKey (the file was altered)`, { field: source });
    }
  } catch (e) {
    secret.fill(0);
    if (e instanceof DvkeysError) {
      if (e.code === 'KEY_MISMATCH') throw e;
      throw new VerificationError('KEY_MISMATCH', `${source}: the secret is not a valid host key (the file was altered)`, { field: source });
    }
    throw e;
  }
  return secret;
}

/**
 * Reads and opens the host key at `path` (with `--password-file` if given). Warns when the file is readable by
 * others. The caller wipes the result.
 */
export async function readHostKey(io: CliIo, path: string | undefined, passwordFile: string | undefined): Promise<SecretBytes> {
  if (path === undefined) throw new UsageError('--host-key FILE is required (written by dvkeys dkg keygen)');
  const abs = resolve(io.cwd, path);
  const text = await readText(abs, MAX_HOST_KEY_FILE_BYTES, 'host key file');
  try {
    if (((await stat(abs)).mode & 0o077) !== 0) io.err(`warning: host key ${path} is readable by other users; chmod 600 it`);
  } catch {
    // stat after a successful read only fails in a race; the read already succeeded
  }
  const password = await secretOption(io, passwordFile, { flag: '--password-file', what: 'password of the host key' });
  return openHostKeyText(text, path, password, io.signal);
}

// ---- sealed states ----

/** Seals a state under the host key and writes it as a new 0600 file. */
export async function writeSealedState(path: string, state: ParticipantStateJson, hostSecretKey: Uint8Array, signal?: AbortSignal): Promise<void> {
  await writeNewFile(path, `${JSON.stringify(sealState(state, hostSecretKey), null, 2)}\n`, true, signal);
}

/**
 * Replaces an existing sealed state file atomically (a new hidden sibling, then a rename over it): how `dkg round2`
 * consumes the round-1 state once it has answered (decision 0411).
 * @throws DvkeysError `IO_FAILED`; AbortedError.
 */
export async function replaceSealedState(path: string, state: ParticipantStateJson, hostSecretKey: Uint8Array, signal?: AbortSignal): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.dvkeys-replace-${randomBytes(6).toString('hex')}`);
  await writeSealedState(tmp, state, hostSecretKey, signal);
  try {
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  const d = await open(dirname(path), 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Reads a sealed state and opens it with the host key.
 * @throws ValidationError `WRONG_PASSWORD` (another host key, or an altered file), shape errors.
 */
export async function readSealedState(io: CliIo, path: string | undefined, hostSecretKey: Uint8Array): Promise<ParticipantStateJson> {
  if (path === undefined) throw new UsageError('--state FILE is required (the sealed state the previous step wrote)');
  return openState(await readJsonFile(io, path, MAX_DKG_MESSAGE_FILE_BYTES, 'sealed state'), hostSecretKey);
}

// ---- verdicts ----

/** `participant 2 (op2)` or `the coordinator`. */
export function partyName(definition: CeremonyDefinitionJson, culprit: string): string {
  if (culprit === 'coordinator') return 'the coordinator';
  const p = definition.participants.find((x) => String(x.index) === culprit);
  return p?.name === undefined ? `participant ${culprit}` : `participant ${culprit} (${p.name})`;
}

/** The same with a capital first letter, to start a sentence. */
export function partyNameCapitalized(definition: CeremonyDefinitionJson, culprit: string): string {
  const n = partyName(definition, culprit);
  return `${n.charAt(0).toUpperCase()}${n.slice(1)}`;
}

/** `0x01 0xAbC…` (type and checksummed address) or the raw credentials of 0x00. */
export function describeCredentials(withdrawalCredentials: string): string {
  const wc = hexToBytes(withdrawalCredentials, 'withdrawalCredentials', { length: 32, prefix: 'required' });
  const { kind, address } = parseWithdrawalCredentials(wc);
  return address === undefined ? withdrawalCredentials : `0x0${kind === 'compounding' ? 2 : 1} ${toChecksumAddress(address)}`;
}

/** Who a verdict blames: `culprit: participant 2 (bob)`, the suspects of an omission, or nobody. */
export function verdictWho(definition: CeremonyDefinitionJson, verdict: Verdict): string {
  const list = (xs: readonly string[]): string => xs.map((c) => partyName(definition, c)).join(', ');
  if (verdict.culprits.length > 0) return `culprit${verdict.culprits.length > 1 ? 's' : ''}: ${list(verdict.culprits)}`;
  if (verdict.suspects.length > 0) {
    const what = verdict.suspects.includes('coordinator') ? 'a message is missing or unsigned relayed data are bad' : 'a message is missing';
    return `nothing proven, ${what}; suspect${verdict.suspects.length > 1 ? 's' : ''} (the sender or the coordinator): ${list(verdict.suspects)}`;
  }
  return 'no single party can be blamed';
}

/** Why: the first blame against each party named (fault and detail, each detail cut at 200 characters). */
export function verdictWhy(definition: CeremonyDefinitionJson, verdict: Verdict): string {
  const named = verdict.culprits.length > 0 ? verdict.culprits : verdict.suspects;
  const reasons = named.flatMap((who) => {
    const b = verdict.blames.find((x) => x.culprit === who);
    if (b === undefined) return [];
    const detail = b.detail.length > 200 ? `${b.detail.slice(0, 200)}…` : b.detail;
    return [`${b.fault}: ${detail}`];
  });
  return reasons.length > 0 ? reasons.join('; ') : (verdict.reason ?? 'see the evidence');
}

/** A verdict on one line: who, then why. */
export function verdictLine(definition: CeremonyDefinitionJson, verdict: Verdict): string {
  return `${verdictWho(definition, verdict)} (${verdictWhy(definition, verdict)})`;
}

/**
 * The DKG_ABORTED error, printed by main() as one line: the stage, who is blamed, the evidence file (and `extra`,
 * e.g. what to send on), then why, last because the line may be cut for the terminal.
 */
export function abortedError(definition: CeremonyDefinitionJson, stage: string, verdict: Verdict, evidencePath: string | undefined, extra?: string): VerificationError {
  const where = evidencePath === undefined ? '' : `; evidence: ${evidencePath}`;
  const more = extra === undefined ? '' : `; ${extra}`;
  return new VerificationError('DKG_ABORTED', `DKG aborted at ${stage}: ${verdictWho(definition, verdict)}${where}${more}; why: ${verdictWhy(definition, verdict)}`, {
    culprits: [...(verdict.culprits.length > 0 ? verdict.culprits : verdict.suspects)],
  });
}
