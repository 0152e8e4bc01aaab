/**
 * Stop-old-before-start-new (issue 16 "the handover is safe"; design section 9; docs/protocols/lifecycle.md "Stop
 * the old cluster, carry its history"; docs/decisions/1003-stop-old-before-start-new.md).
 *
 * After a reshare or refresh the old and the new shares sign for the same validator keys. If the old cluster could
 * still reach t_old partials while the new one signs, the two could sign conflicting messages: a slashable double
 * vote. So before any new node starts:
 * 1. at least n_old - t_old + 1 old holders stop their validator clients and each sends a **stop record**: the
 *    epoch it stopped at, its EIP-3076 history exported after the stop, and, per validator, a partial signature
 *    with its old share over `dvkeys/reshare-stop/v1:` ‖ definition id ‖ PK_v ‖ u64 epoch ‖ SHA-256(history file);
 * 2. the remaining n_old - |stopped| <= t_old - 1 old holders can no longer complete an old signature, and every
 *    signature the old cluster ever made had a partial from t_old holders, so from at least one stopped holder (any
 *    t_old holders meet any n_old - t_old + 1): the stopped holders' merged histories cover every old-cluster
 *    signature (as maxima, EIP-3076 "minimal" style);
 * 3. each new node imports that merged history re-keyed to its own new share key ({@link historyFor}) and starts no
 *    earlier than {@link StopCheck.startEpoch}: the last epoch any record or history shows, plus
 *    {@link START_WAIT_EPOCHS} (as a validator client's doppelganger window).
 *
 * A record proves that its holder had an old share and stated this epoch and history; it cannot prove the client
 * really stopped or that the history is complete. That rests on the operators, as deletion does (handover.ts).
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bigintToBytesBE, bytesToHex, concatBytes, utf8 } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { randomWeight } from '../bls/field.js';
import { decodeG2, encodeG1, g1Generator, type G2Point } from '../bls/group.js';
import { msmG2 } from '../bls/msm.js';
import { pairingProductIsOne, type PairingTerm } from '../bls/pairing.js';
import { hashToG2, verifyPoints } from '../bls/signature.js';
import { formatInterchangeFile, mergeInterchanges, minifyInterchange, type Interchange, type InterchangeValidator } from '../eth/slashing-protection.js';
import { partialSign } from '../sharing/threshold-signature.js';
import { assertMember, blameDecode, checkOwnShares, type ClusterPublicData } from './public-data.js';

/** Prefix of the stop message. */
export const RESHARE_STOP_PREFIX = 'dvkeys/reshare-stop/v1:';
/** Epochs the new cluster waits after the last old activity (decision 1003). */
export const START_WAIT_EPOCHS = 3n;
/** Slots per epoch (every Ethereum network dvkeys knows). */
export const SLOTS_PER_EPOCH = 32n;
const MAX_U64 = (1n << 64n) - 1n;

/** A reshare or refresh definition (what a stop refers to). */
export interface StoppableDefinition {
  readonly id: Uint8Array;
  readonly old: ClusterPublicData;
}

/** One old holder's stop record. */
export interface StopRecord {
  readonly holder: ShareIndex;
  /** The epoch at which the holder's validator client stopped (it signs no duty after it). */
  readonly epoch: bigint;
  /** The holder's EIP-3076 history, exported after the stop (keyed by its share keys, or by PK_v). */
  readonly history: Interchange;
  /** One partial signature per validator with the old share, over {@link stopMessage}. */
  readonly signatures: readonly Uint8Array[];
}

/** The verdict of {@link checkStops}. */
export interface StopCheck {
  /** The old holders whose stop records verified, ascending. */
  readonly stopped: readonly ShareIndex[];
  /** n_old - t_old + 1. */
  readonly needed: number;
  /** The last epoch any record states or any history shows a signature in. */
  readonly lastEpoch: bigint;
  /** The first epoch the new cluster may sign in: lastEpoch + START_WAIT_EPOCHS. */
  readonly startEpoch: bigint;
  /** The stopped holders' histories merged and minified, keyed by each validator's key PK_v. */
  readonly history: Interchange;
  /** Validators (indices) for which no stopped holder has any history. */
  readonly missing: readonly number[];
}

/** SHA-256 of the history file as dvkeys writes it (what a stop signature binds). */
export function historyDigest(history: Interchange): Uint8Array {
  return sha256(utf8(formatInterchangeFile(history)));
}

/** The stop message of one validator. */
export function stopMessage(definitionId: Uint8Array, groupPublicKey: Uint8Array, epoch: bigint, digest: Uint8Array): Uint8Array {
  if (definitionId.length !== 32 || digest.length !== 32) throw new ValidationError('INVALID_LENGTH', "'definitionId' and the history digest are 32 bytes", { field: 'definitionId' });
  return concatBytes(utf8(RESHARE_STOP_PREFIX), definitionId, groupPublicKey, bigintToBytesBE(epoch, 8), digest);
}

function assertEpoch(epoch: bigint, field: string): void {
  if (typeof epoch !== 'bigint' || epoch < 0n || epoch > MAX_U64) throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected an epoch 0..2^64-1`, { field });
}

/**
 * An old holder's stop record, after its validator client stopped at `epoch` and its history was exported.
 * @throws ValidationError `INVALID_ARGUMENT` (epoch), `INVALID_LENGTH`, `INVALID_SHARE_ID`; VerificationError
 *   `SHARE_MISMATCH` (a share that is not this holder's in the old cluster).
 */
export function signStop(def: StoppableDefinition, shares: readonly SecretShare[], epoch: bigint, history: Interchange): StopRecord {
  assertEpoch(epoch, 'epoch');
  const holder = shares[0]?.id;
  if (holder === undefined) throw new ValidationError('INVALID_LENGTH', "'shares' is empty", { field: 'shares' });
  assertMember(def.old.ids, holder, 'shares[0].id', 'a share id of the old cluster');
  checkOwnShares(def.old, holder, shares).fill(0n);
  const digest = historyDigest(history);
  const signatures = shares.map((s, v) => partialSign(s, stopMessage(def.id, def.old.validators[v]!.groupPublicKey, epoch, digest)).signature);
  return { holder, epoch, history, signatures };
}

/**
 * Checks the stop records: each from a distinct old holder, each signature valid under that holder's old public
 * share for this definition, epoch and history; one chain; and enough of them that the rest cannot sign.
 * @throws ValidationError `INVALID_SHARE_ID`, `DUPLICATE_SHARE_ID`, `INVALID_LENGTH`, `INVALID_ARGUMENT` and G2
 *   decoding errors (culprits: the holder), `SLASHING_PROTECTION_INVALID` (histories of another chain; culprits:
 *   the holder), `OLD_CLUSTER_NOT_STOPPED` (fewer than n_old - t_old + 1 records; no culprit: not stopping yet is
 *   no proven fault); VerificationError `PARTIAL_SIGNATURE_INVALID` (culprits: every holder with a bad signature).
 */
export function checkStops(def: StoppableDefinition, records: readonly StopRecord[], rng: RandomBytes = systemRandomBytes): StopCheck {
  const old = def.old;
  const V = old.validators.length;
  const seen = new Set<bigint>();
  records.forEach((r, i) => {
    assertMember(old.ids, r.holder, `stops[${i}].holder`, 'a share id of the old cluster');
    if (seen.has(r.holder)) throw new ValidationError('DUPLICATE_SHARE_ID', `two stop records of holder ${r.holder}`, { field: `stops[${i}]`, culprits: [r.holder.toString()] });
    seen.add(r.holder);
    blameDecode(r.holder, () => assertEpoch(r.epoch, `stops[${i}].epoch`));
    if (r.signatures.length !== V) {
      throw new ValidationError('INVALID_LENGTH', `'stops[${i}].signatures' has ${r.signatures.length} entries for ${V} validators`, { field: `stops[${i}].signatures`, culprits: [r.holder.toString()] });
    }
    const gvr = records[0]!.history.genesisValidatorsRoot;
    if (bytesToHex(r.history.genesisValidatorsRoot) !== bytesToHex(gvr)) {
      throw new ValidationError('SLASHING_PROTECTION_INVALID', `the history of holder ${r.holder} is for another chain than stops[0]'s`, {
        field: `stops[${i}].history.metadata.genesis_validators_root`,
        culprits: [r.holder.toString()],
      });
    }
  });
  verifyStopSignatures(def, records, rng);
  const needed = old.ids.length - old.threshold + 1;
  if (records.length < needed) {
    const running = old.ids.filter((id) => !seen.has(id));
    throw new ValidationError(
      'OLD_CLUSTER_NOT_STOPPED',
      `${records.length} of ${old.ids.length} old holders have stopped; at least n - t + 1 = ${needed} must stop so that the others cannot reach t = ${old.threshold}: new nodes must not start (still running: ${running.join(', ')})`,
      { field: 'stops' },
    );
  }
  const { history, missing, lastSigned } = mergeStoppedHistories(old, records);
  const lastEpoch = records.reduce((m, r) => (r.epoch > m ? r.epoch : m), lastSigned);
  const stopped = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as ShareIndex[];
  return { stopped, needed, lastEpoch, startEpoch: lastEpoch + START_WAIT_EPOCHS, history, missing };
}

/** All signatures in one pairing product with random weights; one by one only on failure, to name the holders. */
function verifyStopSignatures(def: StoppableDefinition, records: readonly StopRecord[], rng: RandomBytes): void {
  const items = records.flatMap((r, i) => {
    const digest = historyDigest(r.history);
    return def.old.validators.map((val, v) => ({
      holder: r.holder,
      publicShare: val.shares.get(r.holder)!,
      hashed: hashToG2(stopMessage(def.id, val.groupPublicKey, r.epoch, digest)),
      signature: blameDecode(r.holder, (): G2Point => decodeG2(r.signatures[v]!, `stops[${i}].signatures[${v}]`, { allowInfinity: false })),
    }));
  });
  if (items.length === 0) return;
  const weights = items.map(() => randomWeight(rng));
  const terms: PairingTerm[] = items.map((it, k) => ({ g1: it.publicShare.multiplyUnsafe(weights[k]!), g2: it.hashed }));
  terms.push({ g1: g1Generator().negate(), g2: msmG2(items.map((it) => it.signature), weights) });
  if (pairingProductIsOne(terms)) return;
  const bad = [...new Set(items.filter((it) => !verifyPoints(it.publicShare, it.hashed, it.signature)).map((it) => it.holder.toString()))];
  throw new VerificationError('PARTIAL_SIGNATURE_INVALID', `the stop record of old holder ${bad.join(', ')} does not verify for this definition, epoch and history`, {
    field: 'stops',
    culprits: bad,
  });
}

/** The records' histories of this cluster's keys (PK_v or any Y_{v,i}), re-keyed to PK_v, merged and minified. */
function mergeStoppedHistories(old: ClusterPublicData, records: readonly StopRecord[]): { history: Interchange; missing: number[]; lastSigned: bigint } {
  const toValidator = new Map<string, number>();
  old.validators.forEach((val, v) => {
    toValidator.set(bytesToHex(val.groupPublicKey), v);
    for (const Y of val.shares.values()) toValidator.set(bytesToHex(encodeG1(Y)), v);
  });
  const perValidator: InterchangeValidator[][] = old.validators.map(() => []);
  let lastSigned = 0n;
  for (const r of records) {
    for (const entry of r.history.data) {
      const v = toValidator.get(bytesToHex(entry.pubkey));
      if (v === undefined) continue;
      perValidator[v]!.push({ ...entry, pubkey: old.validators[v]!.groupPublicKey });
      for (const a of entry.signedAttestations) if (a.targetEpoch > lastSigned) lastSigned = a.targetEpoch;
      for (const b of entry.signedBlocks) if (b.slot / SLOTS_PER_EPOCH > lastSigned) lastSigned = b.slot / SLOTS_PER_EPOCH;
    }
  }
  const genesisValidatorsRoot = records[0]!.history.genesisValidatorsRoot;
  const data = perValidator.flat();
  const history = minifyInterchange(mergeInterchanges([{ genesisValidatorsRoot, data }]));
  const missing = perValidator.flatMap((entries, v) => (entries.length === 0 ? [v] : []));
  return { history, missing, lastSigned };
}

/**
 * The history a new node imports: the merged history of the stop check, re-keyed to the node's own share key of
 * each validator (its validator client signs with that key, decision 0301).
 * @param newKeys the node's new public share of each validator (48 bytes), in validator order.
 * @throws ValidationError `INVALID_LENGTH` (not one key per validator).
 */
export function historyFor(def: StoppableDefinition, check: StopCheck, newKeys: readonly Uint8Array[]): Interchange {
  if (newKeys.length !== def.old.validators.length || newKeys.some((k) => k.length !== 48)) {
    throw new ValidationError('INVALID_LENGTH', `'newKeys' expected one 48-byte key for each of ${def.old.validators.length} validators`, { field: 'newKeys' });
  }
  const byKey = new Map(def.old.validators.map((val, v) => [bytesToHex(val.groupPublicKey), v]));
  return {
    genesisValidatorsRoot: Uint8Array.from(check.history.genesisValidatorsRoot),
    data: check.history.data.map((entry) => ({ ...entry, pubkey: Uint8Array.from(newKeys[byKey.get(bytesToHex(entry.pubkey))!]!) })),
  };
}
