/**
 * The Charon cluster layout, as `charon create cluster --split-existing-keys` writes it (research/charon.md 1,
 * "Output layout"; interop-formats.md 1.8), so that `charon run` starts on each node folder:
 *
 * ```
 * node<k>/charon-enr-private-key          64 lowercase hex characters, no 0x, no newline (secret)
 * node<k>/cluster-lock.json               the same lock text in every folder
 * node<k>/deposit-data.json               32 ETH deposits of every validator, sorted by pubkey
 * node<k>/deposit-data-<amount>eth.json   one file per other amount (1eth, 8eth, 256eth, 0.5eth, ...)
 * node<k>/validator_keys/keystore-<v>.json + keystore-<v>.txt     node k's share (x = k + 1) of validator v
 * ```
 * k = 0..n-1; v = the validator's index in `distributed_validators`. Pure: bytes in, {@link CeremonyFile}s out.
 * Kinds: the lock is the cluster's record (`manifest`), the node key a secret that no manifest lists
 * (`password`, mode 0600), as CeremonyFileKind has no closer kinds yet.
 *
 * @module
 */
import { bytesToHex } from '../../bytes.js';
import { ValidationError } from '../../errors.js';
import { GWEI_PER_ETH, FULL_DEPOSIT_AMOUNT, type DepositDataEntry } from '../../eth/deposit.js';
import { formatDepositDataFile } from '../../eth/deposit-file.js';
import { textFile, type CeremonyFile } from '../files.js';

/** File names inside a node folder. */
export const CHARON_FILES = {
  lock: 'cluster-lock.json',
  nodeKey: 'charon-enr-private-key',
  keystoreDir: 'validator_keys',
} as const;

/** The folder of node k (0-based). */
export function charonNodeDir(k: number): string {
  return `node${k}`;
}

/** The text of `charon-enr-private-key`: the 32-byte key as 64 lowercase hex characters, nothing else. */
export function formatNodeKeyFile(nodeKey: Uint8Array): string {
  if (nodeKey.length !== 32) throw new ValidationError('INVALID_LENGTH', "'nodeKey' expected 32 bytes", { field: 'nodeKey' });
  return bytesToHex(nodeKey);
}

/**
 * The deposit-data file name Charon gives an amount (`GetDepositFilePath`): `deposit-data.json` for 32 ETH,
 * else `deposit-data-<ETH>eth.json` with the amount in ETH as the shortest decimal (1, 8, 0.5).
 */
export function depositFileName(amount: bigint): string {
  if (amount === FULL_DEPOSIT_AMOUNT) return 'deposit-data.json';
  const whole = amount / GWEI_PER_ETH;
  const frac = (amount % GWEI_PER_ETH).toString().padStart(9, '0').replace(/0+$/, '');
  return `deposit-data-${whole}${frac === '' ? '' : `.${frac}`}eth.json`;
}

/** One node's secrets for {@link charonLayout}. */
export interface CharonNodeOutput {
  /** The node's secp256k1 key (32 bytes). */
  readonly nodeKey: Uint8Array;
  /** Keystore JSON and its password, per validator in lock order. */
  readonly keystores: readonly { readonly json: string; readonly password: string }[];
}

/** Input of {@link charonLayout}. */
export interface CharonLayoutInput {
  /** The serialised lock (lock-json.ts), identical in every folder. */
  readonly lockText: string;
  /** Node 0..n-1. */
  readonly nodes: readonly CharonNodeOutput[];
  /** Every deposit of every validator (grouped here by amount, sorted by pubkey as Charon sorts). */
  readonly deposits: readonly DepositDataEntry[];
}

/**
 * Lays out a Charon cluster: `node<k>/...` for every node (see the module comment).
 * @throws ValidationError `INVALID_ARGUMENT` when nodes hold different validator counts; `INVALID_LENGTH` for a
 *   node key that is not 32 bytes.
 */
export function charonLayout(input: CharonLayoutInput): CeremonyFile[] {
  const V = input.nodes[0]?.keystores.length ?? 0;
  const byAmount = new Map<bigint, DepositDataEntry[]>();
  for (const d of input.deposits) byAmount.set(d.amount, [...(byAmount.get(d.amount) ?? []), d]);
  const depositFiles = [...byAmount.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([amount, entries]) => ({
      name: depositFileName(amount),
      text: formatDepositDataFile([...entries].sort((x, y) => (bytesToHex(x.pubkey) < bytesToHex(y.pubkey) ? -1 : 1))),
    }));
  const files: CeremonyFile[] = [];
  input.nodes.forEach((node, k) => {
    if (node.keystores.length !== V) {
      throw new ValidationError('INVALID_ARGUMENT', `'nodes[${k}].keystores' has ${node.keystores.length} entries, expected ${V}`, { field: `nodes[${k}].keystores` });
    }
    const dir = charonNodeDir(k);
    files.push(textFile(`${dir}/${CHARON_FILES.nodeKey}`, formatNodeKeyFile(node.nodeKey), 'node-key', true));
    files.push(textFile(`${dir}/${CHARON_FILES.lock}`, input.lockText, 'cluster-lock', false));
    for (const d of depositFiles) files.push(textFile(`${dir}/${d.name}`, d.text, 'deposit-data', false));
    node.keystores.forEach((ks, v) => {
      files.push(textFile(`${dir}/${CHARON_FILES.keystoreDir}/keystore-${v}.json`, ks.json, 'keystore', true));
      files.push(textFile(`${dir}/${CHARON_FILES.keystoreDir}/keystore-${v}.txt`, ks.password, 'password', true));
    });
  });
  return files;
}
