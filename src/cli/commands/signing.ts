/**
 * Shared by `dvkeys deposit` and `dvkeys exit`: signing as one operator of a cluster (read the operator folder,
 * find which operator it is from its keystores' public keys, decrypt the chosen share keystores), the trusted
 * manifest of a combination, option parsers (validator lists, amounts, uint64), blame messages that name
 * operators and files, and writing one new file atomically without ever overwriting.
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { parseManifest, type Manifest, type ManifestOperator } from '../../ceremony/manifest.js';
import { folderKeystores, identifyOperator } from '../../ceremony/tree.js';
import { GWEI_PER_ETH } from '../../eth/deposit.js';
import { getNetwork, type Network } from '../../eth/networks.js';
import { DvkeysError, ValidationError, VerificationError } from '../../errors.js';
import { decryptKeystores, type DecryptItem } from '../../keys/batch.js';
import { kdfWorkOf, kdfWorkRefusal } from '../../keys/kdf-work.js';
import { toShareIndex, type SecretShare } from '../../types.js';
import { MAX_INPUT_FILE_BYTES, exists, label, readFolder, readText } from '../files.js';
import { secretOption } from '../prompt.js';
import { assertAbsent, assertWritableDir } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { progressBar } from '../progress.js';
import { cliKdfWorkError } from './shared.js';

/** One operator's decrypted shares for the chosen validators. Call {@link wipeOperatorShares} in `finally`. */
export interface OperatorShares {
  /** The folder's ceremony.json. */
  readonly manifest: Manifest;
  /** The operator the folder's keystores belong to, and its position in ceremony.json's operators. */
  readonly operator: ManifestOperator;
  readonly k: number;
  /** Chosen validators (positions in ceremony.json), in order. */
  readonly validators: readonly number[];
  /** One share per chosen validator, same order. */
  readonly shares: readonly SecretShare[];
}

/** Wipes the decrypted shares. */
export function wipeOperatorShares(s: OperatorShares | undefined): void {
  for (const share of s?.shares ?? []) share.secret.fill(0);
}

/** Options of {@link loadOperatorShares}. */
export interface LoadSharesOptions {
  readonly dir: string;
  /** `--password-file` (one password for every share keystore), else the `.txt` beside each keystore. */
  readonly passwordFile: string | undefined;
  /** `--validators`. */
  readonly validators: string | undefined;
  readonly quiet: boolean;
  /** `--max-kdf-work`: KDF-work budget of the keystores to decrypt (default 2 units per keystore; decision 0213). */
  readonly maxKdfWork: number | undefined;
  /** Runs on the folder's manifest, operator and chosen validators before any keystore is decrypted. */
  readonly check?: (manifest: Manifest, validators: readonly number[]) => void | Promise<void>;
}

/**
 * Reads an operator folder, identifies its operator by the keystores' public keys (never the folder name), and
 * decrypts the share keystores of the chosen validators (each checked against its keystore pubkey, itself one of
 * ceremony.json's public shares).
 * @throws UsageError (no ceremony.json, bad `--validators`); DvkeysError `KEYSTORE_PUBKEY_MISMATCH`,
 *   `CEREMONY_MISMATCH`, `INVALID_FORMAT`, `INVALID_ARGUMENT` (no password), `LIMIT_EXCEEDED` (field
 *   `--max-kdf-work`, before any KDF: the chosen keystores need more KDF work than the budget), keystore errors,
 *   AbortedError.
 */
export async function loadOperatorShares(o: LoadSharesOptions, io: CliIo): Promise<OperatorShares> {
  const dir = resolve(io.cwd, o.dir);
  if (!(await exists(join(dir, 'ceremony.json')))) {
    throw new UsageError(`${o.dir} has no ceremony.json: give an operator folder written by dvkeys split or a DKG`);
  }
  const folder = await readFolder(dir, label(dir));
  const manifestText = await readText(join(dir, 'ceremony.json'), MAX_INPUT_FILE_BYTES, 'manifest');
  const manifest = parseManifest(manifestText, `${folder.label}/ceremony.json`);
  const keystores = folderKeystores(folder, manifest);
  const k = identifyOperator(folder, manifest, keystores);
  const operator = manifest.operators[k]!;
  const validators = parseValidatorSelection(o.validators, manifest.validators.length);
  await o.check?.(manifest, validators);
  const shared = await secretOption(io, o.passwordFile, { flag: '--password-file', what: 'password of the share keystores' });
  const items = validators.map((v): DecryptItem & { source: string } => {
    const ks = keystores.find((x) => x.validator === v);
    if (ks === undefined) {
      throw new DvkeysError('INVALID_FORMAT', `${folder.label} holds no keystore-${v}.json (validator ${v})`, { field: folder.label });
    }
    const password = shared ?? ks.password;
    if (password === undefined) {
      throw new DvkeysError('INVALID_ARGUMENT', `no password for ${ks.file}: give --password-file or put keystore-${v}.txt beside it`, { field: ks.file });
    }
    return { keystore: ks.keystore, password, source: ks.file };
  });
  // The folder may come from a dealer: its KDF work is counted before the first KDF, by verify's rule (decision 0213).
  const refused = kdfWorkRefusal(kdfWorkOf(items, o.maxKdfWork));
  if (refused !== undefined) throw cliKdfWorkError(refused);
  const bar = progressBar(io, 'decrypting share keystores', o.quiet);
  try {
    const secrets = await decryptKeystores(items, { signal: io.signal, onProgress: bar.onProgress });
    const id = toShareIndex(operator.index);
    return { manifest, operator, k, validators, shares: secrets.map((secret) => ({ id, secret })) };
  } finally {
    bar.done();
  }
}

/** Parses `--validators`: `all` (the default), or positions in ceremony.json such as `0,2` or `0..3`. */
export function parseValidatorSelection(spec: string | undefined, count: number): number[] {
  if (spec === undefined || spec.trim() === 'all') return Array.from({ length: count }, (_, v) => v);
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*([0-9]{1,6})\s*(?:\.\.\s*([0-9]{1,6})\s*)?$/.exec(part);
    if (m === null) throw new UsageError(`--validators: '${part}' is not N, A..B or all`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--validators: '${part}' is not an ascending range`);
    for (let v = a; v <= b; v++) {
      if (v >= count) throw new UsageError(`--validators: the ceremony has validators 0..${count - 1}, not ${v}`);
      if (out.includes(v)) throw new UsageError(`--validators: validator ${v} is listed twice`);
      out.push(v);
    }
  }
  return out;
}

/**
 * `--network NAME` as a known network, checked against ceremony.json when it names one (the network and its
 * GENESIS_FORK_VERSION).
 * @throws UsageError when missing; ValidationError `NETWORK_UNKNOWN`; DvkeysError `CEREMONY_MISMATCH`.
 */
export function networkOption(value: string | undefined, manifest: Manifest): Network {
  if (value === undefined) throw new UsageError('--network is required (mainnet, hoodi, sepolia, holesky or gnosis)');
  const network = getNetwork(value, '--network');
  checkManifestNetwork(manifest, network);
  return network;
}

/** Throws CEREMONY_MISMATCH when ceremony.json names another network or fork version than `network`. */
export function checkManifestNetwork(manifest: Manifest, network: Network): void {
  const fork = manifest.forkVersion === null ? undefined : bytesToHex(manifest.forkVersion);
  if ((manifest.network !== null && manifest.network !== network.name) || (fork !== undefined && fork !== bytesToHex(network.genesisForkVersion))) {
    throw new DvkeysError('CEREMONY_MISMATCH', `the ceremony is for network ${manifest.network ?? `with fork version 0x${fork ?? ''}`}, not ${network.name}`, { field: 'network' });
  }
}

/** Reads and parses the trusted ceremony.json of a combination (`--manifest`). */
export async function readManifestOption(path: string | undefined, io: CliIo): Promise<Manifest> {
  if (path === undefined) throw new UsageError('--manifest ceremony.json is required (the ceremony record the partials are checked against)');
  const abs = resolve(io.cwd, path);
  return parseManifest(await readText(abs, MAX_INPUT_FILE_BYTES, 'manifest'), path);
}

/**
 * The network of a combination: `--network`, else ceremony.json's, else the one most partial files name (a tie
 * is a usage error). Always checked against ceremony.json.
 */
export function combineNetwork(option: string | undefined, manifest: Manifest, fileNetworks: readonly string[]): Network {
  if (option !== undefined) return networkOption(option, manifest);
  if (manifest.network !== null) return networkOption(manifest.network, manifest);
  const counts = new Map<string, number>();
  for (const n of fileNetworks) counts.set(n, (counts.get(n) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) {
    throw new UsageError('the partial files name different networks in equal numbers: give --network');
  }
  return networkOption(ranked[0]![0], manifest);
}

/** The operator of ceremony.json holding share `id`, or undefined. */
export function operatorOfShare(manifest: Manifest, id: bigint): ManifestOperator | undefined {
  return manifest.operators.find((o) => BigInt(o.index) === id);
}

/**
 * Re-throws a combination error whose `culprits` are share ids with the culprits named as operators and files:
 * `… [share 2 = operator-2 (p2.json)]`, culprits = operator names. Other errors pass unchanged.
 */
export function blameOperators(e: unknown, manifest: Manifest, fileOfShare: ReadonlyMap<bigint, string>, prefix = ''): never {
  if (!(e instanceof DvkeysError) || (e.culprits.length === 0 && prefix === '')) throw e;
  const named = e.culprits.map((c) => {
    const id = /^[0-9]+$/.test(c) ? BigInt(c) : undefined;
    const op = id === undefined ? undefined : operatorOfShare(manifest, id);
    return { c, name: op?.name ?? c, text: op === undefined ? c : `share ${c} = ${op.name} (${fileOfShare.get(id!) ?? 'no file'})` };
  });
  const message = `${prefix}${e.message}${named.length > 0 ? ` [culprit: ${named.map((n) => n.text).join('; ')}]` : ''}`;
  const options = { ...(e.field === undefined ? {} : { field: e.field }), culprits: named.map((n) => n.name), cause: e };
  if (e instanceof VerificationError) throw new VerificationError(e.code, message, options);
  throw new ValidationError(e.code, message, options);
}

const AMOUNT_RE = /^([0-9]{1,20})(?:\.([0-9]{1,9}))?\s*(eth|gwei)?$/i;

/**
 * Parses `--amount` values into Gwei: `32`, `1.5` or `32eth` are ETH; `32000000000` or `32000000000gwei` are
 * Gwei. A bare whole number is Gwei from 1,000,000,000 up (no deposit is a billion ETH) and ETH below (no deposit
 * is under a billion Gwei). The deposit rules themselves are checked later. Default: one deposit of 32 ETH.
 */
export function amountOption(values: readonly string[] | undefined): bigint[] {
  if (values === undefined || values.length === 0) return [32n * GWEI_PER_ETH];
  return values.map((value) => {
    const m = AMOUNT_RE.exec(value.trim());
    if (m === null) throw new UsageError(`--amount expects ETH (32, 1.5, 32eth) or Gwei (32000000000, 32000000000gwei), got '${value}'`);
    const whole = BigInt(m[1]!);
    const unit = m[3]?.toLowerCase() ?? (m[2] === undefined && whole >= GWEI_PER_ETH ? 'gwei' : 'eth');
    if (unit === 'gwei') {
      if (m[2] !== undefined) throw new UsageError(`--amount: Gwei amounts are whole numbers, got '${value}'`);
      return whole;
    }
    return whole * GWEI_PER_ETH + BigInt((m[2] ?? '').padEnd(9, '0'));
  });
}

/** Parses a uint64 option (decimal, no sign, no leading zeros). */
export function uint64Option(value: string | undefined, name: string): bigint {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) >= 1n << 64n) {
    throw new UsageError(`--${name} expects a whole number 0..2^64-1, got '${value}'`);
  }
  return BigInt(value);
}

/** Checks, before any work, that `path` does not exist and its folder is writable. */
export async function assertNewFile(path: string): Promise<void> {
  await assertAbsent(path, 'output file');
  await assertWritableDir(dirname(path));
}

