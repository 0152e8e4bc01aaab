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
 * exactly t shares (the lowest node indices that open) are used; a node folder that cannot serve (incomplete, no
 * password, does not decrypt) is set aside while enough others remain, as in the dvkeys layout.
 *
 * This is the Charon adapter of the one combine pipeline (cluster-combine.ts, decision 0311): it reads and checks
 * the lock, reads it into the cluster model, and hands the nodes to the pipeline.
 *
 * @module
 */
import { assertClusterLock, type LockReport } from '../charon/lock-verify.js';
import type { ClusterLock } from '../charon/types.js';
import { checkMaxKdfWork } from '../keys/kdf-work.js';
import type { KeptKey } from '../keys/kept-key.js';
import { lockToClusterLenient } from './adapters/charon.js';
import type { Cluster } from './cluster.js';
import { combineCluster, type CombineOptions, type SkippedFolder } from './cluster-combine.js';
import { readCharonCluster } from './charon-node.js';
import type { CeremonyFile } from './files.js';
import type { FolderSnapshot } from './tree.js';

/** Input of {@link runCharonCombine}: the node folders, and the options every layout's combine takes. */
export interface CharonCombineInput extends CombineOptions {
  /** At least t node folders of one cluster. */
  readonly folders: readonly FolderSnapshot[];
  /** Skip the lock's verification (Charon's `--no-verify`); the recovered keys are still checked. */
  readonly noVerify?: boolean;
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
  /** The lock in the cluster model. */
  readonly cluster: Cluster;
  /** Node folders set aside (incomplete, no password, not decryptable), and why. */
  readonly skipped: readonly SkippedFolder[];
  /** With `keepKeys`: the derived key of each `keystore-<v>.json`, in validator order. */
  readonly keptKeys?: readonly KeptKey[];
}

/**
 * Recovers every validator key of a Charon cluster (see the module comment).
 * @throws DvkeysError `CEREMONY_MISMATCH`, `NOT_ENOUGH_SHARES`, `KEYSTORE_PUBKEY_MISMATCH`, `INVALID_FORMAT` (fewer
 *   than t nodes hold every keystore); VerificationError from the lock's checks, `SHARE_MISMATCH` naming the node,
 *   `KEY_MISMATCH`; keystore errors (`WRONG_PASSWORD` naming the file); ValidationError `LIMIT_EXCEEDED` (field
 *   `maxKdfWork`, before any KDF) when the keystores need more KDF work than the budget, `INVALID_ARGUMENT` for a
 *   bad `maxKdfWork`; AbortedError.
 */
export async function runCharonCombine(input: CharonCombineInput): Promise<CharonCombineOutput> {
  if (input.maxKdfWork !== undefined) checkMaxKdfWork(input.maxKdfWork);
  const nodes = readCharonCluster(input.folders);
  const lock = nodes[0]!.lock;
  const report = input.noVerify === true ? undefined : assertClusterLock(lock, input.rng === undefined ? {} : { rng: input.rng });
  const cluster = lockToClusterLenient(lock);
  const holders = nodes.map((n) => ({ label: n.label, name: n.label, k: n.nodeIndex, keystores: n.keystores }));
  const r = await combineCluster(cluster, holders, [], input, (v) => `distributed_validators[${v}]`);
  return {
    lock,
    report,
    cluster,
    files: r.files,
    used: r.used.map((h) => ({ label: h.label, nodeIndex: h.k })),
    skipped: r.skipped,
    ...(r.keptKeys === undefined ? {} : { keptKeys: r.keptKeys }),
  };
}
