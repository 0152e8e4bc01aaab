/**
 * Deposit data: amounts, the signing root operators sign, and building a signed deposit from a secret key or from
 * an externally supplied (threshold-combined) signature. consensus-specs phase0 beacon-chain.md "Deposits"
 * (`DepositMessage`, `DepositData`, `process_deposit`: domain = compute_domain(DOMAIN_DEPOSIT) with the genesis fork
 * version and a zero genesis validators root) and electra beacon-chain.md (compounding credentials,
 * MAX_EFFECTIVE_BALANCE_ELECTRA).
 *
 * Amount rules (the same as Charon's `eth2util/deposit`; docs/formats/deposit-data.md):
 * - every deposit is at least MIN_DEPOSIT_AMOUNT = 1 ETH;
 * - a deposit to 0x00 or 0x01 credentials is at most 32 ETH (MAX_EFFECTIVE_BALANCE: more would only be swept back);
 * - a deposit to 0x02 (compounding) credentials is at most 2048 ETH (MAX_EFFECTIVE_BALANCE_ELECTRA);
 * - the deposits for a new validator sum to at least 32 ETH, so it can be activated (not for top-ups).
 *
 * The JSON file format (read, write, verify) is in deposit-file.ts.
 *
 * @module
 */
import { abytes } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { decodeG1 } from '../bls/group.js';
import { secretKeyToPublicKey, sign, verify } from '../bls/signature.js';
import { resolveNetwork, type Network } from './networks.js';
import { computeSigningRoot, depositDomain } from './signing.js';
import { depositDataRoot, depositMessageRoot } from './ssz.js';
import { parseWithdrawalCredentials, type WithdrawalKind } from './withdrawal.js';

/** Gwei in one ether. */
export const GWEI_PER_ETH = 1_000_000_000n;
/** MIN_DEPOSIT_AMOUNT (phase0): 1 ETH in Gwei. */
export const MIN_DEPOSIT_AMOUNT = 1n * GWEI_PER_ETH;
/** MAX_EFFECTIVE_BALANCE (phase0): 32 ETH, the activation amount and the cap of one 0x00/0x01 deposit. */
export const FULL_DEPOSIT_AMOUNT = 32n * GWEI_PER_ETH;
/** MAX_EFFECTIVE_BALANCE_ELECTRA (electra): 2048 ETH, the cap of one 0x02 deposit. */
export const MAX_COMPOUNDING_DEPOSIT_AMOUNT = 2048n * GWEI_PER_ETH;
/**
 * The `deposit_cli_version` dvkeys writes: "2.7.0", as Charon and ssv-dkg write, the last staking-deposit-cli
 * version the Launchpad is known to accept (docs/decisions/0300-deposit-cli-version.md).
 */
export const DEPOSIT_CLI_VERSION = '2.7.0';

/** A Gwei amount: a bigint, or a safe-integer number. */
export type GweiInput = bigint | number;

/** The largest single deposit for credentials of `kind`. */
export function maxDepositAmount(kind: WithdrawalKind): bigint {
  return kind === 'compounding' ? MAX_COMPOUNDING_DEPOSIT_AMOUNT : FULL_DEPOSIT_AMOUNT;
}

function eth(gwei: bigint): string {
  const whole = gwei / GWEI_PER_ETH;
  const frac = gwei % GWEI_PER_ETH;
  return frac === 0n ? `${whole} ETH` : `${whole}.${frac.toString().padStart(9, '0').replace(/0+$/, '')} ETH`;
}

/**
 * Checks one deposit amount in Gwei against the rules above for credentials of `kind`.
 * @throws ValidationError `AMOUNT_INVALID` naming `field` (not an integer, below 1 ETH, above the cap).
 */
export function validateDepositAmount(amount: unknown, kind: WithdrawalKind, field = 'amount'): bigint {
  let v: bigint;
  if (typeof amount === 'bigint') v = amount;
  else if (typeof amount === 'number' && Number.isSafeInteger(amount)) v = BigInt(amount);
  else throw new ValidationError('AMOUNT_INVALID', `'${field}' expected an integer number of Gwei`, { field });
  if (v < MIN_DEPOSIT_AMOUNT) {
    throw new ValidationError('AMOUNT_INVALID', `'${field}' is ${eth(v)}; a deposit is at least 1 ETH`, { field });
  }
  const max = maxDepositAmount(kind);
  if (v > max) {
    const why = kind === 'compounding' ? '0x02 (compounding) credentials' : `0x0${kind === 'bls' ? 0 : 1} credentials`;
    throw new ValidationError('AMOUNT_INVALID', `'${field}' is ${eth(v)}; the limit for ${why} is ${eth(max)}`, {
      field,
    });
  }
  return v;
}

/** Options of {@link validateDepositAmounts}. */
export interface DepositAmountOptions {
  /** Deposits to an existing validator: the 32 ETH minimum sum does not apply. Default false. */
  readonly topUp?: boolean;
}

/**
 * Checks the deposit amounts for one validator: each one by {@link validateDepositAmount}, at least one amount, and
 * (unless a top-up) a sum of at least 32 ETH. Repeated amounts are allowed.
 * @throws ValidationError `AMOUNT_INVALID` naming `amounts[i]` or `amounts`.
 */
export function validateDepositAmounts(
  amounts: readonly unknown[],
  kind: WithdrawalKind,
  options: DepositAmountOptions = {},
): bigint[] {
  if (!Array.isArray(amounts) || amounts.length === 0) {
    throw new ValidationError('AMOUNT_INVALID', "'amounts' must list at least one deposit", { field: 'amounts' });
  }
  const out = amounts.map((a, i) => validateDepositAmount(a, kind, `amounts[${i}]`));
  const sum = out.reduce((s, a) => s + a, 0n);
  if (options.topUp !== true && sum < FULL_DEPOSIT_AMOUNT) {
    throw new ValidationError(
      'AMOUNT_INVALID',
      `'amounts' sum to ${eth(sum)}; a new validator needs at least 32 ETH in total`,
      { field: 'amounts' },
    );
  }
  return out;
}

/** The fields a deposit signs: phase0 `DepositMessage`. */
export interface DepositMessageInput {
  /** The validator public key, 48 bytes. */
  readonly pubkey: Uint8Array;
  /** 32 bytes; prefix 0x00, 0x01 or 0x02 (withdrawal.ts). */
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: GweiInput;
}

/** A checked deposit message. */
interface CheckedMessage {
  readonly pubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  readonly amount: bigint;
}

function checkMessage(message: DepositMessageInput, field: string): CheckedMessage {
  const pubkey = abytes(message.pubkey, 48, `${field}.pubkey`);
  decodeG1(pubkey, `${field}.pubkey`);
  const withdrawalCredentials = abytes(message.withdrawalCredentials, 32, `${field}.withdrawalCredentials`);
  const { kind } = parseWithdrawalCredentials(withdrawalCredentials, `${field}.withdrawalCredentials`);
  const amount = validateDepositAmount(message.amount, kind, `${field}.amount`);
  return { pubkey, withdrawalCredentials, amount };
}

/**
 * compute_signing_root(DepositMessage, compute_domain(DOMAIN_DEPOSIT, GENESIS_FORK_VERSION, zero root)): the
 * 32 bytes a validator key (or each operator's share, for a threshold signature) signs.
 * @throws ValidationError for a malformed message (`message.pubkey`, `message.withdrawalCredentials`,
 *   `message.amount`: `INVALID_LENGTH`, `INVALID_POINT`, `DEPOSIT_INVALID`, `AMOUNT_INVALID`) or `NETWORK_UNKNOWN`.
 */
export function depositSigningRoot(message: DepositMessageInput, network: Network | string): Uint8Array {
  const m = checkMessage(message, 'message');
  const net = resolveNetwork(network);
  return computeSigningRoot(depositMessageRoot(m), depositDomain(net.genesisForkVersion));
}

/** One signed deposit, with the roots and metadata of a deposit-data file entry. */
export interface DepositDataEntry {
  readonly pubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
  readonly signature: Uint8Array;
  /** hash_tree_root(DepositMessage). */
  readonly depositMessageRoot: Uint8Array;
  /** hash_tree_root(DepositData): what the deposit contract is called with. */
  readonly depositDataRoot: Uint8Array;
  /** GENESIS_FORK_VERSION of the network. */
  readonly forkVersion: Uint8Array;
  readonly networkName: string;
  readonly depositCliVersion: string;
}

/**
 * A deposit-data entry from a signature made elsewhere (for example a threshold signature combined from operators'
 * partial signatures over {@link depositSigningRoot}). The signature is verified under `message.pubkey` before the
 * entry is returned.
 * @throws ValidationError for a malformed message, signature (`signature`, 96 bytes) or network;
 *   VerificationError `SIGNATURE_INVALID` (field `signature`) if it does not verify.
 */
export function depositDataFromSignature(
  message: DepositMessageInput,
  signature: Uint8Array,
  network: Network | string,
): DepositDataEntry {
  const m = checkMessage(message, 'message');
  const net = resolveNetwork(network);
  abytes(signature, 96, 'signature');
  const messageRoot = depositMessageRoot(m);
  const signingRoot = computeSigningRoot(messageRoot, depositDomain(net.genesisForkVersion));
  if (!verify(m.pubkey, signingRoot, signature)) {
    throw new VerificationError('SIGNATURE_INVALID', 'the deposit signature does not verify under the validator key', {
      field: 'signature',
    });
  }
  return {
    ...m,
    signature: Uint8Array.from(signature),
    depositMessageRoot: messageRoot,
    depositDataRoot: depositDataRoot({ ...m, signature }),
    forkVersion: Uint8Array.from(net.genesisForkVersion),
    networkName: net.name,
    depositCliVersion: DEPOSIT_CLI_VERSION,
  };
}

/** A deposit message whose pubkey may be left out (it is derived from the secret key). */
export type UnsignedDeposit = Omit<DepositMessageInput, 'pubkey'> & { readonly pubkey?: Uint8Array };

/**
 * Signs one deposit with the full validator secret key and checks the result ({@link depositDataFromSignature}).
 * @throws ValidationError for a bad key (`secretKey`) or message; VerificationError `KEY_MISMATCH` (field
 *   `message.pubkey`) when a given pubkey is not the key's.
 */
export function signDepositData(
  secretKey: Uint8Array,
  message: UnsignedDeposit,
  network: Network | string,
): DepositDataEntry {
  const pubkey = secretKeyToPublicKey(secretKey);
  if (message.pubkey !== undefined && !bytesEqual(message.pubkey, pubkey)) {
    throw new VerificationError('KEY_MISMATCH', "'message.pubkey' is not the public key of 'secretKey'", {
      field: 'message.pubkey',
    });
  }
  const full: DepositMessageInput = { ...message, pubkey };
  const signature = sign(secretKey, depositSigningRoot(full, network));
  return depositDataFromSignature(full, signature, network);
}

/** Parameters of {@link createDepositData}. */
export interface CreateDepositDataParams {
  readonly secretKey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei per deposit; default one full deposit of 32 ETH. */
  readonly amounts?: readonly GweiInput[];
  readonly network: Network | string;
  /** Deposits to an existing validator (no 32 ETH minimum sum). */
  readonly topUp?: boolean;
}

/**
 * The deposit-data entries for one validator key: the amounts checked together ({@link validateDepositAmounts}),
 * then one signed and verified entry per amount, in the order given.
 * @throws ValidationError `AMOUNT_INVALID` (`amounts[i]`, `amounts`), key, credential and network errors.
 */
export function createDepositData(params: CreateDepositDataParams): DepositDataEntry[] {
  const { kind } = parseWithdrawalCredentials(
    abytes(params.withdrawalCredentials, 32, 'withdrawalCredentials'),
    'withdrawalCredentials',
  );
  const amounts = validateDepositAmounts(params.amounts ?? [FULL_DEPOSIT_AMOUNT], kind, {
    topUp: params.topUp === true,
  });
  const network = resolveNetwork(params.network);
  return amounts.map((amount) =>
    signDepositData(params.secretKey, { withdrawalCredentials: params.withdrawalCredentials, amount }, network),
  );
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
