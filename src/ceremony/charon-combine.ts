/**
 * `combine` for Charon node folders, as `charon combine` does it (research/charon.md 2): from at least t node
 * folders of one cluster, recover every validator key and encrypt it under the user's password. Pure: folders
 * come as snapshots; nothing is returned unless every recovered key's public key is its `distributed_public_key`.
 *
 * Charon's bail-outs, reported with typed errors: folders of different clusters (their `lock_hash` differ,
 * `CEREMONY_MISMATCH`), a lock that fails verification (unless `noVerify`, as Charon's `--no-verify`), two
 * folders of the same node (`CEREMONY_MISMATCH`), fewer than t nodes (`NOT_ENOUGH_SHARES`), a keystore whose
 * pubkey is no public share (`KEYSTORE_PUBKEY_MISMATCH`), and a recovered key that is not the validator's
 * (`KEY_MISMATCH`). Unlike Charon, every share is also checked against its public share before recovery, and
 * exactly t shares (the lowest node indices present) are used.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { DvkeysError, ValidationError, VerificationError } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { assertClusterLock, type LockReport } from '../charon/lock-verify.js';
import type { ClusterLock } from '../charon/types.js';
import { decryptKeystores, type DecryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { checkMaxKdfWork, kdfWorkOf, kdfWorkRefusal } from '../keys/kdf-work.js';
import type { EncryptOptions, KdfChoice } from '../keys/keystore.js';
import { checkRecombination } from '../sharing/recombine.js';
import { recoverSecret } from '../sharing/shamir.js';
import { toShareIndex, type RandomBytes, type SecretBytes, type SecretShare } from '../types.js';
import { readCharonCluster } from './charon-node.js';
import type { CeremonyFile } from './files.js';
import type { FolderSnapshot } from './tree.js';
import { encryptRecoveredKeys } from './combine.js';

/** Input of {@link runCharonCombine}. */
export interface CharonCombineInput {
  /** At least t node folders of one cluster. */
  readonly folders: readonly FolderSnapshot[];
  /** Password for the recovered validator keystores. */
  readonly password: string;
  /** Password of share keystores without a `.txt` beside them. */
  readonly sharePassword?: string;
  /** Skip the lock's verification (Charon's `--no-verify`); the recovered keys are still checked. */
  readonly noVerify?: boolean;
  /** KDF of the recovered keystores; default scrypt, as staking-deposit-cli writes. */
  readonly kdf?: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
  /** KDF-work budget of the share keystores to decrypt (keys/kdf-work.ts); default 2 units per keystore (decision 0213). */
  readonly maxKdfWork?: number;
}

/** Output of {@link runCharonCombine}. */
export interface CharonCombineOutput {
  readonly lock: ClusterLock;
  /** The lock's verification report (undefined with `noVerify`). */
  readonly report: LockReport | undefined;
  /** `keystore-<v>.json` per validator, in lock order. */
  readonly files: readonly CeremonyFile[];
  /** Labels of the folders whose shares were used, and their node indices. */
  readonly used: readonly { readonly label: string; readonly nodeIndex: number }[];
}

/**
 * Recovers every validator key of a Charon cluster (see the module comment).
 * @throws DvkeysError `CEREMONY_MISMATCH`, `NOT_ENOUGH_SHARES`, `KEYSTORE_PUBKEY_MISMATCH`, `INVALID_FORMAT` (a
 *   chosen node lacks a keystore); VerificationError from the lock's checks, `SHARE_MISMATCH` naming the node,
 *   `KEY_MISMATCH`; keystore errors (`WRONG_PASSWORD` naming the file); ValidationError `LIMIT_EXCEEDED` (field
 *   `maxKdfWork`, before any KDF) when the keystores need more KDF work than the budget, `INVALID_ARGUMENT` for a
 *   bad `maxKdfWork`; AbortedError.
 */
export async function runCharonCombine(input: CharonCombineInput): Promise<CharonCombineOutput> {
  const maxKdfWork = input.maxKdfWork === undefined ? undefined : checkMaxKdfWork(input.maxKdfWork);
  const nodes = readCharonCluster(input.folders);
  const lock = nodes[0]!.lock;
  const report = input.noVerify === true ? undefined : assertClusterLock(lock, input.rng === undefined ? {} : { rng: input.rng });
  const t = lock.definition.threshold;
  const V = lock.validators.length;
  const withKeys = nodes.filter((n) => n.keystores.length > 0).sort((a, b) => a.nodeIndex - b.nodeIndex);
  if (withKeys.length < t) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need the folders of ${t} nodes (the threshold), got ${withKeys.length} with keystores`, { field: 'folders' });
  }
  const chosen = withKeys.slice(0, t);
  for (const node of chosen) {
    const missing = lock.validators.findIndex((_dv, v) => !node.keystores.some((k) => k.validator === v));
    if (missing >= 0) throw new DvkeysError('INVALID_FORMAT', `${node.label} has no keystore-${missing}.json`, { field: node.label });
  }
  const items = chosen.flatMap((node) =>
    node.keystores.map((ks): DecryptItem & { source: string } => {
      const password = ks.password ?? input.sharePassword;
      if (password === undefined) throw new ValidationError('INVALID_ARGUMENT', `${ks.file} has no .txt password beside it; give the share password`, { field: ks.file });
      return { keystore: ks.keystore, password, source: ks.file };
    }),
  );
  // Counted before the first KDF, by verify's rule (decisions 0422, 0213): exactly these t nodes' keystores run.
  const refused = kdfWorkRefusal(kdfWorkOf(items, maxKdfWork));
  if (refused !== undefined) throw refused;
  const base = { ...(input.signal ? { signal: input.signal } : {}), ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}) };
  const secrets = await decryptKeystores(items, { ...base, ...(input.onProgress ? { onProgress: (d, n) => input.onProgress!(d, n + V) } : {}) });
  const recovered: SecretBytes[] = [];
  try {
    for (let v = 0; v < V; v++) {
      const dv = lock.validators[v]!;
      const shares: SecretShare[] = chosen.map((node, j) => ({ id: node.shareIndex, secret: secrets[j * V + v]! }));
      const report4 = checkRecombination(
        { threshold: t, groupPublicKey: dv.distributedPublicKey, publicShares: dv.publicShares.map((publicKey, i) => ({ id: toShareIndex(i + 1), publicKey })) },
        { shares, ...(input.rng === undefined ? {} : { rng: input.rng }) },
      );
      const bad = report4.checks.find((c) => c.status === 'fail' && c.check === 'shares');
      if (bad !== undefined) {
        const who = bad.culprits.map((id) => chosen.find((n) => String(n.shareIndex) === id)?.label ?? id);
        throw new VerificationError('SHARE_MISMATCH', `validator ${v}: ${bad.detail} (${who.join(', ')})`, { culprits: who });
      }
      const key = recoverSecret(shares, t);
      recovered.push(key);
      if (bytesToHex(secretKeyToPublicKey(key)) !== bytesToHex(dv.distributedPublicKey)) {
        throw new VerificationError('KEY_MISMATCH', `validator ${v}: the recovered key is not ${bytesToHex(dv.distributedPublicKey, true)}`, { field: `distributed_validators[${v}]` });
      }
    }
    const files = await encryptRecoveredKeys(
      recovered,
      lock.validators.map((dv) => dv.distributedPublicKey),
      input,
      input.onProgress ? (d) => input.onProgress!(items.length + d, items.length + V) : undefined,
    );
    return { lock, report, files, used: chosen.map((n) => ({ label: n.label, nodeIndex: n.nodeIndex })) };
  } finally {
    for (const s of secrets) s.fill(0);
    for (const r of recovered) r.fill(0);
  }
}
