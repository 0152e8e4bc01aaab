/**
 * The deposit-data JSON file of ethereum/staking-deposit-cli and ethstaker-deposit-cli (also written by Charon and
 * ssv-dkg): an array of `{pubkey, withdrawal_credentials, amount, signature, deposit_message_root,
 * deposit_data_root, fork_version, network_name, deposit_cli_version}`, hex without `0x`, amount a JSON number of
 * Gwei. Format notes and a worked example: docs/formats/deposit-data.md.
 *
 * {@link verifyDepositData} parses a file strictly and checks every entry: the network is known (or the one given),
 * both roots recompute, the amount obeys the rules of deposit.ts, and the signature verifies with DOMAIN_DEPOSIT.
 *
 * @module
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { decodeG1 } from '../bls/group.js';
import { batchVerify, verify } from '../bls/signature.js';
import { validateDepositAmount, type DepositDataEntry } from './deposit.js';
import { expectArray, expectObject, expectString, parseJsonText } from '../json.js';
import { networkByForkVersion, resolveNetwork, type Network } from './networks.js';
import { computeSigningRoot, depositDomain } from './signing.js';
import { depositDataRoot, depositMessageRoot } from './ssz.js';
import { parseWithdrawalCredentials } from './withdrawal.js';

/** Most entries one deposit-data file may hold (each costs a pairing to verify). */
export const MAX_DEPOSIT_DATA_ENTRIES = 4096;
/** Longest deposit-data file text accepted (an entry is about 900 characters). */
export const MAX_DEPOSIT_DATA_TEXT_LENGTH = 8 * 1024 * 1024;

/** One entry of a deposit-data file, as JSON. */
export interface DepositDataJson {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
}

/** The JSON objects of a deposit-data file, in the given order, fields in the deposit CLIs' order. */
export function depositDataToJson(entries: readonly DepositDataEntry[]): DepositDataJson[] {
  return entries.map((e) => ({
    pubkey: bytesToHex(e.pubkey),
    withdrawal_credentials: bytesToHex(e.withdrawalCredentials),
    amount: Number(e.amount),
    signature: bytesToHex(e.signature),
    deposit_message_root: bytesToHex(e.depositMessageRoot),
    deposit_data_root: bytesToHex(e.depositDataRoot),
    fork_version: bytesToHex(e.forkVersion),
    network_name: e.networkName,
    deposit_cli_version: e.depositCliVersion,
  }));
}

/** The text of a deposit-data file: the JSON array with two-space indentation and a final newline. */
export function formatDepositDataFile(entries: readonly DepositDataEntry[]): string {
  return `${JSON.stringify(depositDataToJson(entries), null, 2)}\n`;
}

/** Options of {@link verifyDepositData}. */
export interface VerifyDepositDataOptions {
  /**
   * The network every entry must be for (a known name or a custom {@link Network}). Without it, each entry's
   * `fork_version` must be a known network's genesis fork version and its `network_name` that network's name.
   */
  readonly network?: Network | string;
  /** Cap on the entry count; default {@link MAX_DEPOSIT_DATA_ENTRIES}. */
  readonly maxEntries?: number;
}

const REQUIRED = [
  'pubkey',
  'withdrawal_credentials',
  'amount',
  'signature',
  'deposit_message_root',
  'deposit_data_root',
  'fork_version',
  'deposit_cli_version',
] as const;
/** `eth2_network_name` is what staking-deposit-cli wrote before v1.2.0; exactly one of the two must be present. */
const NAME_FIELDS = ['network_name', 'eth2_network_name'] as const;

interface Parsed {
  readonly entry: DepositDataEntry;
  readonly signingRoot: Uint8Array;
}

function hexField(obj: Readonly<Record<string, unknown>>, key: string, length: number, at: string): Uint8Array {
  return hexToBytes(obj[key], `${at}.${key}`, { length, prefix: 'forbidden' });
}

function parseEntry(value: unknown, at: string, expected: Network | undefined): Parsed {
  const obj = expectObject(value, at, REQUIRED, NAME_FIELDS, 'INVALID_FORMAT');
  const nameKey = NAME_FIELDS.filter((k) => k in obj);
  if (nameKey.length !== 1) {
    throw new ValidationError('INVALID_FORMAT', `'${at}' needs exactly one of network_name, eth2_network_name`, {
      field: `${at}.network_name`,
    });
  }
  const networkName = expectString(obj[nameKey[0]!], `${at}.${nameKey[0]!}`, 32, 'INVALID_FORMAT');
  const depositCliVersion = expectString(obj.deposit_cli_version, `${at}.deposit_cli_version`, 64, 'INVALID_FORMAT');
  const pubkey = hexField(obj, 'pubkey', 48, at);
  const withdrawalCredentials = hexField(obj, 'withdrawal_credentials', 32, at);
  const signature = hexField(obj, 'signature', 96, at);
  const messageRootGiven = hexField(obj, 'deposit_message_root', 32, at);
  const dataRootGiven = hexField(obj, 'deposit_data_root', 32, at);
  const forkVersion = hexField(obj, 'fork_version', 4, at);
  const { kind } = parseWithdrawalCredentials(withdrawalCredentials, `${at}.withdrawal_credentials`);
  if (typeof obj.amount !== 'number') {
    throw new ValidationError('AMOUNT_INVALID', `'${at}.amount' expected a JSON number of Gwei`, {
      field: `${at}.amount`,
    });
  }
  const amount = validateDepositAmount(obj.amount, kind, `${at}.amount`);

  const network = expected ?? networkByForkVersion(forkVersion);
  if (network === undefined) {
    const shown = bytesToHex(forkVersion);
    throw new ValidationError('NETWORK_UNKNOWN', `'${at}.fork_version' ${shown} is no known network`, {
      field: `${at}.fork_version`,
    });
  }
  if (bytesToHex(forkVersion) !== bytesToHex(network.genesisForkVersion)) {
    throw new ValidationError('NETWORK_UNKNOWN', `'${at}.fork_version' is not the fork version of ${network.name}`, {
      field: `${at}.fork_version`,
    });
  }
  if (networkName !== network.name) {
    const field = `${at}.${nameKey[0]!}`;
    throw new ValidationError('DEPOSIT_INVALID', `'${field}' ${networkName} is not the network of its fork version`, {
      field,
    });
  }
  const message = { pubkey, withdrawalCredentials, amount };
  const depositMessageRoot_ = depositMessageRoot(message);
  if (bytesToHex(depositMessageRoot_) !== bytesToHex(messageRootGiven)) {
    throw new VerificationError('DEPOSIT_INVALID', `'${at}.deposit_message_root' does not match the deposit message`, {
      field: `${at}.deposit_message_root`,
    });
  }
  decodeG1(pubkey, `${at}.pubkey`);
  const entry: DepositDataEntry = {
    ...message,
    signature,
    depositMessageRoot: depositMessageRoot_,
    depositDataRoot: dataRootGiven,
    forkVersion,
    networkName,
    depositCliVersion,
  };
  return { entry, signingRoot: computeSigningRoot(depositMessageRoot_, depositDomain(forkVersion)) };
}

/**
 * Parses and verifies the JSON value of a deposit-data file (any tool's): strict shape (no unknown fields, hex
 * without 0x, lowercase), known network, amounts, deposit_message_root, the signature with DOMAIN_DEPOSIT and
 * deposit_data_root, in that order. Signatures are checked in one batch; on failure each is checked to name it.
 * @throws ValidationError `INVALID_FORMAT`, `INVALID_HEX`, `INVALID_LENGTH`, `LIMIT_EXCEEDED`, `AMOUNT_INVALID`,
 *   `NETWORK_UNKNOWN`, `DEPOSIT_INVALID` (credentials or network name), `INVALID_POINT` (pubkey);
 *   VerificationError `DEPOSIT_INVALID` (a root) or `SIGNATURE_INVALID`; each naming `deposit_data[i].<field>`.
 */
export function verifyDepositData(value: unknown, options: VerifyDepositDataOptions = {}): DepositDataEntry[] {
  const expected = options.network === undefined ? undefined : resolveNetwork(options.network);
  const items = expectArray(value, 'deposit_data', options.maxEntries ?? MAX_DEPOSIT_DATA_ENTRIES, 'INVALID_FORMAT');
  if (items.length === 0) {
    throw new ValidationError('INVALID_FORMAT', "'deposit_data' holds no deposits", { field: 'deposit_data' });
  }
  const parsed = items.map((item, i) => parseEntry(item, `deposit_data[${i}]`, expected));
  const batch = parsed.map((p) => ({
    publicKey: p.entry.pubkey,
    message: p.signingRoot,
    signature: p.entry.signature,
  }));
  if (!batchVerify(batch)) {
    const bad = batch.findIndex((b) => !verify(b.publicKey, b.message, b.signature));
    if (bad >= 0) {
      const field = `deposit_data[${bad}].signature`;
      throw new VerificationError('SIGNATURE_INVALID', `'${field}' does not verify under the pubkey (DOMAIN_DEPOSIT)`, {
        field,
      });
    }
  }
  parsed.forEach((p, i) => {
    if (bytesToHex(depositDataRoot(p.entry)) !== bytesToHex(p.entry.depositDataRoot)) {
      const field = `deposit_data[${i}].deposit_data_root`;
      throw new VerificationError('DEPOSIT_INVALID', `'${field}' does not match the deposit data`, { field });
    }
  });
  return parsed.map((p) => p.entry);
}

/**
 * {@link verifyDepositData} of a file's text, after a length cap ({@link MAX_DEPOSIT_DATA_TEXT_LENGTH}).
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, and everything {@link verifyDepositData} throws.
 */
export function parseDepositDataFile(text: string, options: VerifyDepositDataOptions = {}): DepositDataEntry[] {
  return verifyDepositData(parseJsonText(text, MAX_DEPOSIT_DATA_TEXT_LENGTH, 'deposit_data'), options);
}
