/**
 * The one combine pipeline over the cluster model (issue 15, decision 0311): from the share holders' folders a
 * layout adapter has read (combine.ts for the dvkeys layout, charon-combine.ts for Charon node folders), recover
 * every validator key, check it (design section 4, check 5: every share against its public share, the recovered
 * key's public key against the validator's), and encrypt it as an EIP-2335 keystore under the user's password.
 * Nothing is returned unless every key checked.
 *
 * Folders are tried in share order; one that cannot serve (incomplete, no password, does not decrypt) is set
 * aside while enough others remain (review F4), and exactly t shares are used. Every KDF it may run is counted
 * against the budget before the first one (decisions 0422, 0213). Pure: folders come as snapshots.
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
import type { Cluster } from './cluster.js';
import type { HolderFolder } from './cluster-checks.js';
import { textFile, type CeremonyFile } from './files.js';
import { attempt } from './tree.js';

/** The options of a combine that are the same in every layout. */
export interface CombineOptions {
  /** Password for the recovered validator keystores. */
  readonly password: string;
  /** Password of the share keystores where no `.txt` sits beside them. */
  readonly sharePassword?: string;
  /** KDF of the recovered keystores: scrypt by default, as staking-deposit-cli writes. */
  readonly kdf?: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
  /** Keep each recovered keystore's derived key (output `keptKeys`) for the read-back check; the caller wipes them. */
  readonly keepKeys?: boolean;
  /** KDF-work budget of the share keystores combine may decrypt (keys/kdf-work.ts); default 2 units per keystore. */
  readonly maxKdfWork?: number;
}

/** A holder folder as combine uses it: `name` is who a failed share check blames. */
export interface CombineHolder extends HolderFolder {
  readonly name: string;
}

/** A folder set aside, and why. */
export interface SkippedFolder {
  readonly folder: string;
  readonly reason: string;
  readonly code: ErrorCode;
}

/** Output of {@link combineCluster}. */
export interface ClusterCombineOutput {
  /** `keystore-<v>.json` per validator, in cluster order. */
  readonly files: readonly CeremonyFile[];
  /** The holders whose shares were used, in share order. */
  readonly used: readonly CombineHolder[];
  readonly skipped: readonly SkippedFolder[];
  /** With `keepKeys`: the derived key of each `keystore-<v>.json`, in validator order. */
  readonly keptKeys?: readonly KeptKey[];
}

/**
 * Recovers every validator key of `cluster` from its holders (see the module comment). `setAside` are folders the
 * adapter could not read as a holder; they count as present for the threshold message and are reported.
 * `validatorField(v)` names validator v in the layout's own terms (a `KEY_MISMATCH` field).
 * @throws DvkeysError `CEREMONY_MISMATCH` (two folders of one holder), `NOT_ENOUGH_SHARES` (fewer than t), the
 *   first set-aside folder's error when fewer than t open (`INVALID_FORMAT`, `INVALID_ARGUMENT` for a missing
 *   password, `WRONG_PASSWORD`, ...); VerificationError `SHARE_MISMATCH` naming the holder, `KEY_MISMATCH`;
 *   ValidationError `LIMIT_EXCEEDED` (field `maxKdfWork`, before any KDF), `INVALID_ARGUMENT` for a bad
 *   `maxKdfWork`; AbortedError.
 */
export async function combineCluster(
  cluster: Cluster,
  holders: readonly CombineHolder[],
  setAside: readonly { folder: string; error: DvkeysError }[],
  input: CombineOptions,
  validatorField: (v: number) => string,
): Promise<ClusterCombineOutput> {
  const maxKdfWork = input.maxKdfWork === undefined ? undefined : checkMaxKdfWork(input.maxKdfWork);
  const t = cluster.threshold;
  const V = cluster.validators.length;
  const skipped = [...setAside];
  const byHolder = new Map<number, CombineHolder>();
  for (const h of holders) {
    if (h.keystores.length !== V) {
      skipped.push({ folder: h.label, error: new DvkeysError('INVALID_FORMAT', `${h.label} holds ${h.keystores.length} of ${V} keystores`, { field: h.label }) });
      continue;
    }
    const other = byHolder.get(h.k);
    if (other !== undefined) throw new DvkeysError('CEREMONY_MISMATCH', `${h.label} and ${other.label} hold the same operator's shares (${cluster.operators[h.k]!.name})`, { field: h.label });
    byHolder.set(h.k, h);
  }
  const usable = [...byHolder.values()].sort((a, b) => cluster.operators[a.k]!.shareId - cluster.operators[b.k]!.shareId);
  if (usable.length + skipped.length < t) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need folders of ${t} operators (the threshold), got ${usable.length + skipped.length}`, { field: 'folders' });
  }
  // Each folder's decryption items, before any KDF. A keystore with no password sets its folder aside, but only
  // when the loop below reaches that folder (a folder never tried is not reported).
  const tries = usable.map((h) => ({
    h,
    prepared: attempt(() =>
      [...h.keystores].sort((a, b) => a.validator - b.validator).map((ks): DecryptItem & { source: string } => {
        const password = ks.password ?? input.sharePassword;
        if (password === undefined) throw new ValidationError('INVALID_ARGUMENT', `${ks.file} has no .txt password beside it; give --share-password-file`, { field: ks.file });
        return { keystore: ks.keystore, password, source: ks.file };
      }),
    ),
  }));
  // The KDF work of every keystore combine may decrypt (all these folders, when the first ones fail) is counted
  // before the first KDF: a hostile tree of legal-but-heavy keystores is refused here, not after t·V of them.
  const refused = kdfWorkRefusal(kdfWorkOf(tries.flatMap((x) => (x.prepared.ok ? x.prepared.value : [])), maxKdfWork));
  if (refused !== undefined) throw refused;
  const base = { ...(input.signal ? { signal: input.signal } : {}), ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}) };
  const total = t * V + V;
  const chosen: { h: CombineHolder; secrets: SecretBytes[] }[] = [];
  try {
    for (const { h, prepared } of tries) {
      if (chosen.length === t) break;
      if (!prepared.ok) {
        skipped.push({ folder: h.label, error: prepared.error });
        continue;
      }
      const done = chosen.length * V;
      const opened = await attemptAsync(() => decryptKeystores(prepared.value, { ...base, ...(input.onProgress ? { onProgress: (d) => input.onProgress!(done + d, total) } : {}) }));
      if (opened.ok) chosen.push({ h, secrets: opened.value });
      else if (opened.error.code === 'ABORTED') throw opened.error;
      else skipped.push({ folder: h.label, error: opened.error });
    }
    if (chosen.length < t) throw skipped[0]?.error ?? new ValidationError('NOT_ENOUGH_SHARES', `need folders of ${t} operators`, { field: 'folders' });
    const out = await recoverAll(cluster, chosen, input, total, validatorField);
    return { ...out, used: chosen.map((c) => c.h), skipped: skipped.map((x) => ({ folder: x.folder, reason: x.error.message, code: x.error.code })) };
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
  cluster: Cluster,
  chosen: readonly { h: CombineHolder; secrets: readonly SecretBytes[] }[],
  input: CombineOptions,
  total: number,
  validatorField: (v: number) => string,
): Promise<{ files: CeremonyFile[]; keptKeys?: readonly KeptKey[] }> {
  const t = cluster.threshold;
  const V = cluster.validators.length;
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
      const val = cluster.validators[v]!;
      const shares: SecretShare[] = chosen.map(({ h, secrets }) => ({ id: toShareIndex(cluster.operators[h.k]!.shareId), secret: secrets[v]! }));
      const data = {
        threshold: t,
        groupPublicKey: val.pubkey,
        ...(val.commitments === null ? {} : { commitments: val.commitments }),
        publicShares: cluster.operators.map((op, i) => ({ id: toShareIndex(op.shareId), publicKey: val.publicShares[i]! })),
      };
      const report = checkRecombination(data, { shares, ...(input.rng === undefined ? {} : { rng: input.rng }) });
      const bad = report.checks.find((c) => c.status === 'fail');
      if (bad !== undefined) {
        const who = bad.culprits.map((id) => chosen.find(({ h }) => String(cluster.operators[h.k]!.shareId) === id)?.h.name ?? id);
        throw new VerificationError(bad.code ?? 'SHARE_MISMATCH', `validator ${v}: ${bad.detail}${who.length ? ` (operator ${who.join(', ')})` : ''}`, { culprits: who });
      }
      const key = recoverSecret(shares, t);
      recovered.push(key);
      if (bytesToHex(secretKeyToPublicKey(key)) !== bytesToHex(val.pubkey)) {
        throw new VerificationError('KEY_MISMATCH', `validator ${v}: the recovered key is not ${bytesToHex(val.pubkey, true)}`, { field: validatorField(v) });
      }
      const batch = encryptKeystoresKeepingKeys([recoveredItem(key, val.pubkey, input)], {
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
    return { files, ...(input.keepKeys === true ? { keptKeys: encrypted.map((k) => k.key) } : {}) };
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

/** Options of a recovered key's keystore. */
export interface RecoveredKeystoreOptions {
  readonly password: string;
  readonly kdf?: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly kdfBackend?: KdfBackend;
}

/** The keystore of one recovered key: scrypt by default, described by its validator pubkey. */
export function recoveredItem(secret: Uint8Array, pubkey: Uint8Array, options: RecoveredKeystoreOptions): EncryptItem {
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
