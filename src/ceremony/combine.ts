/**
 * `combine`: the way back to solo staking. From at least t operator folders of one ceremony, recover each validator
 * key, check its public key against the manifest, and encrypt it as an EIP-2335 keystore under the user's password
 * (design section 4, check 5: nothing is returned unless every recovered key matches).
 *
 * Operators are identified by their keystores' pubkeys (the manifest's public shares), never by folder names, so
 * renamed folders and any t of them in any order work, as `charon combine` does. Pure: folders come as snapshots.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { AbortedError, DvkeysError, ValidationError, VerificationError, isDvkeysError, type ErrorCode } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { decryptKeystores, encryptKeystoresKeepingKeys, type DecryptItem, type EncryptItem } from '../keys/batch.js';
import { checkMaxKdfWork, kdfWorkOf, kdfWorkRefusal } from '../keys/kdf-work.js';
import { wipeKeptKeys, type KeptKey, type KeptKeystore } from '../keys/kept-key.js';
import { KdfScheduler } from '../keys/scheduler.js';
import type { KdfBackend } from '../keys/kdf.js';
import { keystoreToJson, type EncryptOptions, type KdfChoice } from '../keys/keystore.js';
import { checkRecombination } from '../sharing/recombine.js';
import { recoverSecret } from '../sharing/shamir.js';
import { toShareIndex, type RandomBytes, type SecretBytes, type SecretShare } from '../types.js';
import { textFile, type CeremonyFile } from './files.js';
import { sharingData, type Manifest } from './manifest.js';
import { attempt, fileText, folderKeystores, identifyOperator, readManifest, type FolderSnapshot, type FoundKeystore } from './tree.js';

/** Input of {@link runCombine}. */
export interface CombineCeremonyInput {
  /** At least t operator folders of one ceremony, each with its `ceremony.json` copy. */
  readonly folders: readonly FolderSnapshot[];
  /** Password of the share keystores where no `.txt` sits beside them. */
  readonly sharePassword?: string;
  /** Password for the recovered validator keystores. */
  readonly password: string;
  /** KDF of the recovered keystores: scrypt by default, as staking-deposit-cli writes. */
  readonly kdf?: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
  /** Keep each recovered keystore's derived key (output `keptKeys`) for the read-back check; the caller wipes them. */
  readonly keepKeys?: boolean;
  /**
   * KDF-work budget, in units of one default EIP-2335 keystore (keys/kdf-work.ts), of all the share keystores
   * combine may decrypt; default 2 units per keystore, as `verify` (decisions 0422, 0213).
   */
  readonly maxKdfWork?: number;
}

/** Output of {@link runCombine}: `keystore-<v>.json` per validator, and who contributed. */
export interface CombineCeremonyOutput {
  readonly manifest: Manifest;
  readonly files: readonly CeremonyFile[];
  /** Names of the operators whose shares were used. */
  readonly operators: readonly string[];
  /** Folders set aside (not of this ceremony's shares, incomplete, or not decryptable), and why. */
  readonly skipped: readonly { readonly folder: string; readonly reason: string; readonly code: ErrorCode }[];
  /** With `keepKeys`: the derived key of each `keystore-<v>.json`, in validator order. */
  readonly keptKeys?: readonly KeptKey[];
}

/**
 * Recovers every validator key from the folders.
 * @throws DvkeysError `CEREMONY_MISMATCH` (folders of different ceremonies, or two folders of one operator),
 *   `NOT_ENOUGH_SHARES` (fewer than t operators), `KEYSTORE_PUBKEY_MISMATCH` (a keystore that is no share),
 *   VerificationError `SHARE_MISMATCH` naming the operator, `KEY_MISMATCH` if a recovered key is not the
 *   validator's; keystore errors (`WRONG_PASSWORD` naming the file); ValidationError `LIMIT_EXCEEDED` (field
 *   `maxKdfWork`, before any KDF) when the keystores it may decrypt need more KDF work than the budget,
 *   `INVALID_ARGUMENT` for a bad `maxKdfWork`; AbortedError.
 */
export async function runCombine(input: CombineCeremonyInput): Promise<CombineCeremonyOutput> {
  const maxKdfWork = input.maxKdfWork === undefined ? undefined : checkMaxKdfWork(input.maxKdfWork);
  if (input.folders.length === 0) throw new ValidationError('NOT_ENOUGH_SHARES', 'no operator folders given', { field: 'folders' });
  const texts = input.folders.map((f) => {
    const bytes = f.files.get('ceremony.json');
    if (bytes === undefined) throw new DvkeysError('INVALID_FORMAT', `${f.label} has no ceremony.json`, { field: f.label });
    return fileText(bytes, `${f.label}/ceremony.json`);
  });
  const manifest = readManifest(input.folders[0]!.files);
  texts.forEach((t, i) => {
    if (t !== texts[0]) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${input.folders[i]!.label} belongs to a different ceremony than ${input.folders[0]!.label}`, { field: input.folders[i]!.label });
    }
  });
  const t = manifest.threshold;
  const V = manifest.validators.length;
  // Identify every folder by its keystores' pubkeys. A folder that cannot serve (no share of this ceremony, a
  // missing keystore) is set aside, not fatal, while enough others remain (review F4); two folders of one operator
  // are ambiguous and refused.
  const skipped: { folder: string; error: DvkeysError }[] = [];
  const byOperator = new Map<number, { folder: FolderSnapshot; keystores: FoundKeystore[] }>();
  for (const folder of input.folders) {
    const found = attempt(() => {
      const keystores = folderKeystores(folder, manifest);
      const k = identifyOperator(folder, manifest, keystores);
      if (keystores.length !== V) {
        throw new DvkeysError('INVALID_FORMAT', `${folder.label} holds ${keystores.length} of ${V} keystores`, { field: folder.label });
      }
      return { k, keystores };
    });
    if (!found.ok) {
      if (found.error.code === 'CEREMONY_MISMATCH') throw found.error;
      skipped.push({ folder: folder.label, error: found.error });
      continue;
    }
    const { k, keystores } = found.value;
    if (byOperator.has(k)) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${folder.label} and ${byOperator.get(k)!.folder.label} hold the same operator's shares (${manifest.operators[k]!.name})`, { field: folder.label });
    }
    byOperator.set(k, { folder, keystores });
  }
  const usable = [...byOperator.entries()].sort(([a], [b]) => a - b);
  if (usable.length + skipped.length < t) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need folders of ${t} operators (the threshold), got ${usable.length + skipped.length}`, { field: 'folders' });
  }
  // Each folder's decryption items, before any KDF. A keystore with no password sets its folder aside, but only
  // when the loop below reaches that folder (as before: a folder never tried is not reported).
  const tries = usable.map(([k, { folder, keystores }]) => ({
    k,
    folder,
    prepared: attempt(() =>
      keystores.map((ks): DecryptItem & { source: string } => {
        const password = ks.password ?? input.sharePassword;
        if (password === undefined) {
          throw new ValidationError('INVALID_ARGUMENT', `${ks.file} has no .txt password beside it; give --share-password-file`, { field: ks.file });
        }
        return { keystore: ks.keystore, password, source: ks.file };
      }),
    ),
  }));
  // The KDF work of every keystore combine may decrypt (all these folders, when the first ones fail) is counted
  // before the first KDF, by verify's rule (decisions 0422, 0213): a hostile tree of legal-but-heavy keystores is
  // refused here, not after t·V of them.
  const refused = kdfWorkRefusal(kdfWorkOf(tries.flatMap((x) => (x.prepared.ok ? x.prepared.value : [])), maxKdfWork));
  if (refused !== undefined) throw refused;
  const base = { ...(input.signal ? { signal: input.signal } : {}), ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}) };
  const total = t * V + V;
  // Decrypt folder by folder, in share order, until t have opened; one that does not open is set aside.
  const chosen: { k: number; secrets: SecretBytes[] }[] = [];
  try {
    for (const { k, folder, prepared } of tries) {
      if (chosen.length === t) break;
      if (!prepared.ok) {
        skipped.push({ folder: folder.label, error: prepared.error });
        continue;
      }
      const done = chosen.length * V;
      const opened = await attemptAsync(() => decryptKeystores(prepared.value, { ...base, ...(input.onProgress ? { onProgress: (d) => input.onProgress!(done + d, total) } : {}) }));
      if (opened.ok) chosen.push({ k, secrets: opened.value });
      else if (opened.error.code === 'ABORTED') throw opened.error;
      else skipped.push({ folder: folder.label, error: opened.error });
    }
    if (chosen.length < t) {
      throw skipped[0]?.error ?? new ValidationError('NOT_ENOUGH_SHARES', `need folders of ${t} operators`, { field: 'folders' });
    }
    return await recoverAll(input, manifest, chosen, skipped, total);
  } finally {
    for (const c of chosen) for (const s of c.secrets) s.fill(0);
  }
}

/** Encryptions of recovered keys in flight at once while the next validators are checked (see recoverAll). */
const ENCRYPTIONS_AHEAD = 8;

/**
 * Checks and recovers each validator key in turn and encrypts it at once, so that the curve work of the next
 * validators (checkRecombination, about 0.1 s each on this thread) overlaps the KDFs of the previous ones on the
 * thread pool (issue 14: no stage waits for the whole previous stage). At most {@link ENCRYPTIONS_AHEAD} are in
 * flight, their memory bounded together by one scheduler. Nothing is returned unless every key checked.
 */
async function recoverAll(
  input: CombineCeremonyInput,
  manifest: Manifest,
  chosen: readonly { k: number; secrets: readonly SecretBytes[] }[],
  skipped: readonly { folder: string; error: DvkeysError }[],
  total: number,
): Promise<CombineCeremonyOutput> {
  const t = manifest.threshold;
  const V = manifest.validators.length;
  const recovered: SecretBytes[] = [];
  const scheduler = new KdfScheduler();
  const encrypted: KeptKeystore[] = [];
  const inFlight: Promise<void>[] = [];
  let failure: Error | undefined;
  let done = 0;
  let returned = false;
  try {
    for (let v = 0; v < V; v++) {
      // Let finished KDFs admit the next ones, and a pending abort through: the checks are synchronous.
      if (v > 0) await new Promise((r) => setTimeout(r, 0));
      if (input.signal?.aborted === true) throw new AbortedError('interrupted; nothing was written');
      if (failure !== undefined) throw failure;
      const shares: SecretShare[] = chosen.map(({ k, secrets }) => ({ id: toShareIndex(manifest.operators[k]!.index), secret: secrets[v]! }));
      const report = checkRecombination(sharingData(manifest, v), { shares });
      const bad = report.checks.find((c) => c.status === 'fail');
      if (bad !== undefined) {
        const who = bad.culprits.map((id) => manifest.operators.find((o) => String(o.index) === id)?.name ?? id);
        throw new VerificationError(bad.code ?? 'SHARE_MISMATCH', `validator ${v}: ${bad.detail}${who.length ? ` (operator ${who.join(', ')})` : ''}`, { culprits: who });
      }
      const key = recoverSecret(shares, t);
      recovered.push(key);
      if (bytesToHex(secretKeyToPublicKey(key)) !== bytesToHex(manifest.validators[v]!.pubkey)) {
        throw new VerificationError('KEY_MISMATCH', `validator ${v}: the recovered key is not ${bytesToHex(manifest.validators[v]!.pubkey, true)}`, { field: `validators[${v}]` });
      }
      const batch = encryptKeystoresKeepingKeys([recoveredItem(key, manifest.validators[v]!.pubkey, input)], {
        scheduler,
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}),
      });
      inFlight.push(
        batch.then(
          ([ks]) => {
            encrypted[v] = ks!;
            done++;
            input.onProgress?.(t * V + done, total);
          },
          (e: unknown) => void (failure ??= e instanceof Error ? e : new Error(String(e))),
        ),
      );
      if (inFlight.length >= ENCRYPTIONS_AHEAD) await inFlight[inFlight.length - ENCRYPTIONS_AHEAD];
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    const files = encrypted.map((k, v) => textFile(`keystore-${v}.json`, keystoreToJson(k.keystore), 'keystore', true));
    returned = true;
    return {
      manifest,
      files,
      ...(input.keepKeys === true ? { keptKeys: encrypted.map((k) => k.key) } : {}),
      operators: chosen.map(({ k }) => manifest.operators[k]!.name),
      skipped: skipped.map((x) => ({ folder: x.folder, reason: x.error.message, code: x.error.code })),
    };
  } finally {
    await Promise.allSettled(inFlight); // no recovered key is wiped while an encryption may still read it
    for (const r of recovered) r.fill(0);
    if (!returned || input.keepKeys !== true) wipeKeptKeys(encrypted.map((k) => k.key));
  }
}

async function attemptAsync<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: DvkeysError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isDvkeysError(e)) return { ok: false, error: e };
    throw e;
  }
}

/** Options of {@link encryptRecoveredKeys}. */
export interface RecoveredKeystoreOptions {
  readonly password: string;
  readonly kdf?: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly kdfBackend?: KdfBackend;
}

/**
 * Encrypts recovered validator keys as `keystore-<v>.json` under one password (scrypt by default, as
 * staking-deposit-cli writes), describing each by its validator pubkey. Shared by combine and Charon's combine.
 */
export async function encryptRecoveredKeys(
  recovered: readonly Uint8Array[],
  pubkeys: readonly Uint8Array[],
  options: RecoveredKeystoreOptions,
  onProgress?: (done: number) => void,
): Promise<CeremonyFile[]> {
  const { files, keys } = await encryptRecoveredKeysKeeping(recovered, pubkeys, options, onProgress);
  wipeKeptKeys(keys);
  return files;
}

/** {@link encryptRecoveredKeys}, also returning each keystore's derived key (keys/kept-key.ts; the caller wipes). */
export async function encryptRecoveredKeysKeeping(
  recovered: readonly Uint8Array[],
  pubkeys: readonly Uint8Array[],
  options: RecoveredKeystoreOptions,
  onProgress?: (done: number) => void,
): Promise<{ files: CeremonyFile[]; keys: KeptKey[] }> {
  const kept = await encryptKeystoresKeepingKeys(
    recovered.map((secret, v) => recoveredItem(secret, pubkeys[v]!, options)),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.kdfBackend ? { kdfBackend: options.kdfBackend } : {}),
      ...(onProgress ? { onProgress } : {}),
    },
  );
  return { files: kept.map((k, v) => textFile(`keystore-${v}.json`, keystoreToJson(k.keystore), 'keystore', true)), keys: kept.map((k) => k.key) };
}

/** The keystore of one recovered key: scrypt by default, described by its validator pubkey. */
function recoveredItem(secret: Uint8Array, pubkey: Uint8Array, options: RecoveredKeystoreOptions): EncryptItem {
  return {
    secret,
    password: options.password,
    options: {
      kdf: options.kdf ?? 'scrypt',
      description: `dvkeys combined validator key ${bytesToHex(pubkey, true)}`,
      path: '',
      ...(options.kdfParams ? { kdfParams: options.kdfParams } : {}),
      ...(options.rng ? { rng: options.rng } : {}),
    },
  };
}
