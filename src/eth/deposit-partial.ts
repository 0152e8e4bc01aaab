/**
 * Threshold-signed deposits. Each operator signs the deposit signing roots (deposit.ts: DOMAIN_DEPOSIT with the
 * network's GENESIS_FORK_VERSION) with its secret share and writes one deposit-partial file; any t operators' files
 * are checked against the operators' public shares, combined by Lagrange interpolation in G2 (Boldyreva 2003), and
 * each result is checked under the validator key ({@link depositDataFromSignature}). The file
 * (docs/formats/deposit-partial.md) is a JSON array, one object per deposit:
 *
 * `{"format":"dvkeys/deposit-partial","version":1,"network":"mainnet","fork_version":"0x00000000",
 *   "validator_pubkey":"0x…","share_id":"2","withdrawal_credentials":"0x…","amount":"32000000000",
 *   "signature":"0x…"}`, integers as decimal strings and hex with `0x`, as in exit partials (exit-partial.ts).
 *
 * One file holds the partials of ONE share for ONE network. Like exit-partial.ts, this module does not import
 * sharing/: the Lagrange step is passed in.
 *
 * @module
 */
import { abytes, bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { batchVerify, sign } from '../bls/signature.js';
import { toShareIndex, type PublicShare, type RandomBytes, type SecretShare, type ShareIndex } from '../types.js';
import { depositDataFromSignature, depositSigningRoot, validateDepositAmount, type DepositDataEntry } from './deposit.js';
import type { AggregatePartials } from './exit-partial.js';
import { expectArray, expectObject, expectString, parseJsonText, parseUint64String } from '../json.js';
import { getNetwork, NETWORK_NAMES, resolveNetwork, type Network } from './networks.js';
import { parseWithdrawalCredentials } from './withdrawal.js';

/** The `format` of each deposit-partial entry. */
export const DEPOSIT_PARTIAL_FORMAT = 'dvkeys/deposit-partial';
/** The `version` of the deposit-partial format this module writes and reads. */
export const DEPOSIT_PARTIAL_VERSION = 1;
/** Most entries one deposit-partial file may hold (the cap of a deposit-data file). */
export const MAX_DEPOSIT_PARTIAL_ENTRIES = 4096;
/** Longest deposit-partial file text accepted (an entry is about 700 characters). */
export const MAX_DEPOSIT_PARTIAL_TEXT_LENGTH = 4 * 1024 * 1024;
/** Most operator files one combination accepts. */
export const MAX_DEPOSIT_PARTIAL_FILES = 1000;

/** One operator's partial signature of one deposit. */
export interface DepositPartial {
  /** The network name. */
  readonly network: string;
  /** The network's GENESIS_FORK_VERSION (the deposit domain's fork version), 4 bytes. */
  readonly forkVersion: Uint8Array;
  /** The validator (group) public key, 48 bytes. */
  readonly validatorPubkey: Uint8Array;
  /** The signer's share id (Shamir x-coordinate). */
  readonly shareId: ShareIndex;
  /** 32 bytes, prefix 0x00, 0x01 or 0x02. */
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint;
  /** σ_x = s_x·H(deposit signing root), 96 bytes. */
  readonly signature: Uint8Array;
}

/** The JSON of one deposit-partial entry. */
export interface DepositPartialJson {
  format: typeof DEPOSIT_PARTIAL_FORMAT;
  version: typeof DEPOSIT_PARTIAL_VERSION;
  network: string;
  fork_version: string;
  validator_pubkey: string;
  share_id: string;
  withdrawal_credentials: string;
  amount: string;
  signature: string;
}

/** Parameters of {@link signDepositPartial}. */
export interface DepositPartialParams {
  readonly validatorPubkey: Uint8Array;
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei. */
  readonly amount: bigint | number;
  readonly network: Network | string;
}

/**
 * One operator's partial signature of a deposit: its share signs depositSigningRoot(message, network). A partial is
 * a plain BLS signature under the share's public key, so it is checked with the standard verifier.
 * @throws ValidationError for a bad share scalar (`secretKey`), message (see {@link depositSigningRoot}) or network.
 */
export function signDepositPartial(share: SecretShare, params: DepositPartialParams): DepositPartial {
  const network = resolveNetwork(params.network);
  const message = {
    pubkey: params.validatorPubkey,
    withdrawalCredentials: params.withdrawalCredentials,
    amount: params.amount,
  };
  const root = depositSigningRoot(message, network);
  return {
    network: network.name,
    forkVersion: Uint8Array.from(network.genesisForkVersion),
    validatorPubkey: Uint8Array.from(params.validatorPubkey),
    shareId: toShareIndex(share.id, 'share.id'),
    withdrawalCredentials: Uint8Array.from(params.withdrawalCredentials),
    amount: BigInt(params.amount),
    signature: sign(share.secret, root),
  };
}

/** The JSON object of one deposit-partial entry. */
export function depositPartialToJson(partial: DepositPartial): DepositPartialJson {
  return {
    format: DEPOSIT_PARTIAL_FORMAT,
    version: DEPOSIT_PARTIAL_VERSION,
    network: partial.network,
    fork_version: bytesToHex(partial.forkVersion, true),
    validator_pubkey: bytesToHex(partial.validatorPubkey, true),
    share_id: partial.shareId.toString(),
    withdrawal_credentials: bytesToHex(partial.withdrawalCredentials, true),
    amount: partial.amount.toString(),
    signature: bytesToHex(partial.signature, true),
  };
}

/** The text of a deposit-partial file: the JSON array with two-space indentation and a final newline. */
export function formatDepositPartialFile(partials: readonly DepositPartial[]): string {
  return `${JSON.stringify(partials.map(depositPartialToJson), null, 2)}\n`;
}

const KEYS = [
  'format',
  'version',
  'network',
  'fork_version',
  'validator_pubkey',
  'share_id',
  'withdrawal_credentials',
  'amount',
  'signature',
];
const NETWORK_NAME = /^[a-z0-9-]{1,32}$/;

/**
 * Parses one deposit-partial entry strictly: every field required and no other, canonical hex (`0x`, lowercase)
 * and decimal strings, credentials with a known prefix, the amount within the per-deposit rules of deposit.ts, and
 * for a known network name its own GENESIS_FORK_VERSION. Does not verify the signature.
 * @throws ValidationError `INVALID_FORMAT`, `INVALID_HEX`, `INVALID_LENGTH`, `INVALID_SHARE_ID`, `DEPOSIT_INVALID`,
 *   `AMOUNT_INVALID`, `NETWORK_UNKNOWN`, naming `field.<key>`.
 */
export function parseDepositPartial(value: unknown, field = 'deposit_partial'): DepositPartial {
  const obj = expectObject(value, field, KEYS, [], 'INVALID_FORMAT');
  if (obj.format !== DEPOSIT_PARTIAL_FORMAT) {
    throw new ValidationError('INVALID_FORMAT', `'${field}.format' must be ${DEPOSIT_PARTIAL_FORMAT}`, {
      field: `${field}.format`,
    });
  }
  if (obj.version !== DEPOSIT_PARTIAL_VERSION) {
    throw new ValidationError('INVALID_FORMAT', `'${field}.version' must be ${DEPOSIT_PARTIAL_VERSION}`, {
      field: `${field}.version`,
    });
  }
  const network = expectString(obj.network, `${field}.network`, 32, 'INVALID_FORMAT');
  if (!NETWORK_NAME.test(network)) {
    throw new ValidationError('INVALID_FORMAT', `'${field}.network' must be 1-32 characters of [a-z0-9-]`, {
      field: `${field}.network`,
    });
  }
  const forkVersion = hexToBytes(obj.fork_version, `${field}.fork_version`, { length: 4, prefix: 'required' });
  if ((NETWORK_NAMES as readonly string[]).includes(network)) {
    if (bytesToHex(getNetwork(network).genesisForkVersion) !== bytesToHex(forkVersion)) {
      throw new ValidationError('NETWORK_UNKNOWN', `'${field}.fork_version' is not the fork version of ${network}`, {
        field: `${field}.fork_version`,
      });
    }
  }
  const shareId = parseUint64String(obj.share_id, `${field}.share_id`, 'INVALID_SHARE_ID');
  const withdrawalCredentials = hexToBytes(obj.withdrawal_credentials, `${field}.withdrawal_credentials`, {
    length: 32,
    prefix: 'required',
  });
  const { kind } = parseWithdrawalCredentials(withdrawalCredentials, `${field}.withdrawal_credentials`);
  const amount = parseUint64String(obj.amount, `${field}.amount`, 'AMOUNT_INVALID');
  return {
    network,
    forkVersion,
    validatorPubkey: hexToBytes(obj.validator_pubkey, `${field}.validator_pubkey`, { length: 48, prefix: 'required' }),
    shareId: toShareIndex(shareId, `${field}.share_id`),
    withdrawalCredentials,
    amount: validateDepositAmount(amount, kind, `${field}.amount`),
    signature: hexToBytes(obj.signature, `${field}.signature`, { length: 96, prefix: 'required' }),
  };
}

/**
 * Parses a deposit-partial file's text: a JSON array of 1..{@link MAX_DEPOSIT_PARTIAL_ENTRIES} entries
 * ({@link parseDepositPartial}), all of one share id, network and fork version.
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, `INVALID_FORMAT` (field `field[i].share_id` or
 *   `field[i].network` for a mixed file), and what {@link parseDepositPartial} throws.
 */
export function parseDepositPartialFile(text: string, field = 'deposit_partial'): DepositPartial[] {
  const items = expectArray(
    parseJsonText(text, MAX_DEPOSIT_PARTIAL_TEXT_LENGTH, field),
    field,
    MAX_DEPOSIT_PARTIAL_ENTRIES,
    'INVALID_FORMAT',
  );
  if (items.length === 0) throw new ValidationError('INVALID_FORMAT', `'${field}' holds no partials`, { field });
  const out = items.map((item, i) => parseDepositPartial(item, `${field}[${i}]`));
  const first = out[0]!;
  out.forEach((p, i) => {
    if (p.shareId !== first.shareId) {
      throw new ValidationError('INVALID_FORMAT', `'${field}[${i}].share_id' differs: a file holds one share's partials`, {
        field: `${field}[${i}].share_id`,
      });
    }
    if (p.network !== first.network || bytesToHex(p.forkVersion) !== bytesToHex(first.forkVersion)) {
      throw new ValidationError('INVALID_FORMAT', `'${field}[${i}].network' differs: a file is for one network`, {
        field: `${field}[${i}].network`,
      });
    }
  });
  return out;
}

/** A validator of the trusted ceremony record: its key and every operator's public share. */
export interface DepositValidatorRecord {
  readonly pubkey: Uint8Array;
  readonly publicShares: readonly PublicShare[];
}

/** Input of {@link combineDepositPartials}. */
export interface CombineDepositInput {
  /** One list per operator (a parsed file each), each list from a single share. */
  readonly sets: readonly (readonly DepositPartial[])[];
  readonly network: Network | string;
  readonly threshold: number;
  /** The validators with their public shares, from the trusted ceremony record (never from the partial files). */
  readonly validators: readonly DepositValidatorRecord[];
  /** Lagrange combination in G2; pass `aggregatePartials` from src/sharing/threshold-signature.ts. */
  readonly aggregate: AggregatePartials;
  readonly rng?: RandomBytes;
}

/** The deposits one set signs, in order: `pubkey/credentials/amount` per entry. */
function depositsKey(set: readonly DepositPartial[]): string {
  return set.map((p) => `${bytesToHex(p.validatorPubkey)}/${bytesToHex(p.withdrawalCredentials)}/${p.amount}`).join(',');
}

/**
 * Combines t operators' deposit partials into deposit-data entries. The deposits expected are the list (validator,
 * credentials, amount, in order) that most sets carry; a tie is refused. Every set is checked first: the expected
 * network and fork version, the expected deposits, a share id with a public share for each validator, and every
 * signature verifying under that share's public key (one batch; on failure each is checked). Any bad set refuses
 * the whole combination, naming every bad share id. Then, per deposit, the partials of the first t sets are
 * combined and the result verified under the validator key ({@link depositDataFromSignature}).
 * @returns the entries in the expected order, as createDepositData makes them with the whole key.
 * @throws ValidationError `INVALID_THRESHOLD`, `LIMIT_EXCEEDED`, `INVALID_FORMAT` (an empty or mixed set),
 *   `DUPLICATE_SHARE_ID`, `NOT_ENOUGH_SHARES`, `INVALID_ARGUMENT` (a tie), `CEREMONY_MISMATCH` (a deposit for a
 *   validator not in `validators`); VerificationError `PARTIAL_SIGNATURE_INVALID` with `culprits` = the bad share
 *   ids, or `SIGNATURE_INVALID` when the public shares do not belong to the validator key.
 */
export function combineDepositPartials(input: CombineDepositInput): DepositDataEntry[] {
  const { sets, threshold } = input;
  const network = resolveNetwork(input.network);
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new ValidationError('INVALID_THRESHOLD', "'threshold' must be a positive integer", { field: 'threshold' });
  }
  if (sets.length > MAX_DEPOSIT_PARTIAL_FILES) {
    throw new ValidationError('LIMIT_EXCEEDED', `at most ${MAX_DEPOSIT_PARTIAL_FILES} partial files`, { field: 'sets' });
  }
  const seen = new Set<bigint>();
  sets.forEach((set, i) => {
    const id = set[0]?.shareId;
    if (id === undefined || set.some((p) => p.shareId !== id)) {
      throw new ValidationError('INVALID_FORMAT', `'sets[${i}]' must hold partials of exactly one share`, {
        field: `sets[${i}]`,
      });
    }
    if (seen.has(id)) {
      throw new ValidationError('DUPLICATE_SHARE_ID', `share ${id} gave two partial files`, {
        field: `sets[${i}]`,
        culprits: [id.toString()],
      });
    }
    seen.add(id);
  });
  if (sets.length < threshold) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need partials of ${threshold} operators, got ${sets.length}`, {
      field: 'sets',
    });
  }
  const expected = expectedDeposits(sets);
  const records = expected.map((p, j) => {
    const rec = input.validators.find((v) => bytesToHex(v.pubkey) === bytesToHex(p.validatorPubkey));
    if (rec === undefined) {
      throw new ValidationError(
        'CEREMONY_MISMATCH',
        `deposit ${j} is for validator ${bytesToHex(p.validatorPubkey, true)}, which is not in the ceremony record`,
        { field: `deposits[${j}].validator_pubkey` },
      );
    }
    return rec;
  });
  const roots = expected.map((p) =>
    depositSigningRoot(
      { pubkey: p.validatorPubkey, withdrawalCredentials: p.withdrawalCredentials, amount: p.amount },
      network,
    ),
  );
  const wantKey = depositsKey(expected);
  const bad = new Map<number, string>();
  const items: { set: number; publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[] = [];
  sets.forEach((set, i) => {
    const first = set[0]!;
    if (first.network !== network.name) bad.set(i, `are for network ${first.network}, not ${network.name}`);
    else if (bytesToHex(first.forkVersion) !== bytesToHex(network.genesisForkVersion)) {
      bad.set(i, `carry fork version ${bytesToHex(first.forkVersion, true)}, not the one of ${network.name}`);
    } else if (depositsKey(set) !== wantKey) bad.set(i, 'sign other deposits than the other operators');
    if (bad.has(i)) return;
    set.forEach((p, j) => {
      const share = records[j]!.publicShares.find((s) => s.id === p.shareId);
      if (share === undefined) bad.set(i, 'have no public share in the ceremony record');
      else items.push({ set: i, publicKey: share.publicKey, message: roots[j]!, signature: p.signature });
    });
  });
  if (items.length > 0 && !batchVerify(items, input.rng)) {
    // Blame is per set: one batch per set, then nothing finer is needed.
    sets.forEach((_set, i) => {
      const mine = items.filter((it) => it.set === i);
      if (!bad.has(i) && mine.length > 0 && !batchVerify(mine, input.rng)) {
        bad.set(i, 'do not verify under its public share (wrong share, key or domain)');
      }
    });
  }
  if (bad.size > 0) {
    const list = [...bad.entries()].sort(([a], [b]) => a - b);
    const id = (i: number): string => sets[i]![0]!.shareId.toString();
    throw new VerificationError(
      'PARTIAL_SIGNATURE_INVALID',
      list.map(([i, why]) => `the partials of share ${id(i)} ${why}`).join('; '),
      { field: `sets[${list[0]![0]}]`, culprits: list.map(([i]) => id(i)) },
    );
  }
  const chosen = sets.slice(0, threshold);
  return expected.map((p, j) => {
    const signature = input.aggregate(chosen.map((set) => ({ id: set[j]!.shareId, signature: set[j]!.signature })));
    const message = { pubkey: p.validatorPubkey, withdrawalCredentials: p.withdrawalCredentials, amount: p.amount };
    try {
      return depositDataFromSignature(message, abytes(signature, 96, 'signature'), network);
    } catch (e) {
      if (e instanceof VerificationError && e.code === 'SIGNATURE_INVALID') {
        throw new VerificationError('SIGNATURE_INVALID', `deposit ${j}: the combined signature does not verify under the validator key`, {
          field: 'validators.publicShares',
        });
      }
      throw e;
    }
  });
}

function expectedDeposits(sets: readonly (readonly DepositPartial[])[]): readonly DepositPartial[] {
  const counts = new Map<string, { set: readonly DepositPartial[]; n: number }>();
  for (const set of sets) {
    const k = depositsKey(set);
    counts.set(k, { set, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
  if (ranked.length > 1 && ranked[0]!.n === ranked[1]!.n) {
    throw new ValidationError('INVALID_ARGUMENT', 'the partial files sign different deposits in equal numbers', {
      field: 'sets',
      culprits: sets.map((s) => s[0]!.shareId.toString()),
    });
  }
  return ranked[0]!.set;
}
