/**
 * The draft a coordinator proposes and the operators' enrollments in it (brief B3, round 0).
 *
 * - Draft: network (name, GENESIS_FORK_VERSION), threshold t, the operators' host keys in index order (index = 1 +
 *   position, the Shamir x-coordinate), the validators (withdrawal credentials, deposit amounts in Gwei) and a
 *   32-byte attempt nonce, fresh for every attempt including reruns after an abort. draftHash = taggedHash(DST_draft,
 *   canonical bytes).
 * - Enrollment: operator i picks a fresh public salt_i, derives d_i from its host key (encryption.ts) and returns
 *   (D_i, salt_i) with a BIP-340 signature over draftHash || D_i || salt_i. Signing the draft hash (not only the attempt
 *   nonce, as the brief has it) means an enrollment cannot be moved to another draft.
 *
 * Parsing is strict (codec.ts); every cap is in constants.ts. definition.ts assembles the definition.
 *
 * @module
 */
import { concatBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { validateDepositAmounts } from '../eth/deposit.js';
import { customNetwork, getNetwork, NETWORK_NAMES } from '../eth/networks.js';
import { parseWithdrawalCredentials } from '../eth/withdrawal.js';
import { Writer, equalBytes, hex, readArray, readHeader, readHex, readInt, readName, readObject, readUint64, taggedHash } from './codec.js';
import { DKG_VERSION, MAX_DEPOSITS, MAX_DEPOSITS_PER_VALIDATOR, MAX_NAME_LENGTH, MAX_PARTICIPANTS, MAX_VALIDATORS, MIN_THRESHOLD, TAGS } from './constants.js';
import { deriveEncryptionSecret, encryptionPublicKey } from './encryption.js';
import { assertHostPublicKey, hostPublicKey, hostSign, hostVerify } from './host-key.js';

/** Network of a ceremony: a known name with its fork version, or a custom name. */
export interface DkgNetworkJson {
  readonly name: string;
  /** GENESIS_FORK_VERSION, 0x + 8 hex digits. */
  readonly genesisForkVersion: string;
}

/** One validator to create. */
export interface DkgValidatorJson {
  /** 0x + 32 bytes (prefix 0x00, 0x01 or 0x02). */
  readonly withdrawalCredentials: string;
  /** Deposit amounts in Gwei as decimal strings (default one of 32 ETH); one deposit signature each. */
  readonly amounts: readonly string[];
}

/** One operator of a draft. */
export interface DkgOperatorJson {
  /** BIP-340 x-only host public key, 0x + 32 bytes. */
  readonly hostPublicKey: string;
  readonly name?: string;
}

/** The draft a coordinator proposes (format `dvkeys/dkg-draft`). */
export interface DkgDraftJson {
  readonly format: 'dvkeys/dkg-draft';
  readonly version: 1;
  readonly network: DkgNetworkJson;
  readonly threshold: number;
  readonly operators: readonly DkgOperatorJson[];
  readonly validators: readonly DkgValidatorJson[];
  /** 0x + 32 random bytes, new for every attempt. */
  readonly attemptNonce: string;
}

/** An operator's enrollment (format `dvkeys/dkg-enrollment`). */
export interface EnrollmentJson {
  readonly format: 'dvkeys/dkg-enrollment';
  readonly version: 1;
  readonly draftHash: string;
  readonly hostPublicKey: string;
  /** D_i, compressed secp256k1 (0x + 33 bytes). */
  readonly encryptionPublicKey: string;
  readonly salt: string;
  /** BIP-340 by the host key over draftHash || D_i || salt_i. */
  readonly signature: string;
}

/** A parsed draft (internal to draft.ts and definition.ts). */
export interface ParsedDraft {
  readonly json: DkgDraftJson;
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly t: number;
  readonly hostKeys: Uint8Array[];
  readonly networkName: string;
  readonly forkVersion: Uint8Array;
  readonly attemptNonce: Uint8Array;
  readonly validators: { withdrawalCredentials: Uint8Array; amounts: bigint[] }[];
}

/** Throws a ValidationError naming `field`. */
export function fail(code: 'INVALID_THRESHOLD' | 'DUPLICATE_KEY' | 'INVALID_ARGUMENT' | 'LIMIT_EXCEEDED', field: string, what: string, culprits: string[] = []): never {
  throw new ValidationError(code, `'${field}' ${what}`, { field, culprits });
}

function parseNetwork(value: unknown, field: string): { name: string; forkVersion: Uint8Array; json: DkgNetworkJson } {
  const obj = readObject(value, field, ['name', 'genesisForkVersion']);
  const name = readName(obj['name'], `${field}.name`, MAX_NAME_LENGTH);
  const forkVersion = readHex(obj['genesisForkVersion'], `${field}.genesisForkVersion`, 4);
  if ((NETWORK_NAMES as readonly string[]).includes(name)) {
    if (!equalBytes(getNetwork(name, `${field}.name`).genesisForkVersion, forkVersion)) {
      fail('INVALID_ARGUMENT', `${field}.genesisForkVersion`, `is not the genesis fork version of ${name}`);
    }
  } else {
    customNetwork({ name, genesisForkVersion: forkVersion });
  }
  return { name, forkVersion, json: { name, genesisForkVersion: hex(forkVersion) } };
}

function parseValidators(value: unknown, field: string): { json: DkgValidatorJson[]; parsed: { withdrawalCredentials: Uint8Array; amounts: bigint[] }[] } {
  const list = readArray(value, field, MAX_VALIDATORS);
  if (list.length === 0) fail('INVALID_ARGUMENT', field, 'must list at least one validator');
  let total = 0;
  const parsed = list.map((raw, v) => {
    const obj = readObject(raw, `${field}[${v}]`, ['withdrawalCredentials', 'amounts']);
    const wc = readHex(obj['withdrawalCredentials'], `${field}[${v}].withdrawalCredentials`, 32);
    const { kind } = parseWithdrawalCredentials(wc, `${field}[${v}].withdrawalCredentials`);
    if (kind === 'bls') {
      // issue 12: a DKG makes no BLS withdrawal key (nobody could ever sign the change to 0x01), so 0x00 would lock the funds
      throw new ValidationError('DKG_BLS_CREDENTIALS', `'${field}[${v}].withdrawalCredentials' are 0x00 (BLS) credentials: a DKG validator has no BLS withdrawal key, so its funds could never be withdrawn; use 0x01 or 0x02 credentials of an execution address`, { field: `${field}[${v}].withdrawalCredentials` });
    }
    const amountList = readArray(obj['amounts'], `${field}[${v}].amounts`, MAX_DEPOSITS_PER_VALIDATOR);
    const amounts = validateDepositAmounts(
      amountList.map((a, k) => readUint64(a, `${field}[${v}].amounts[${k}]`)),
      kind,
    );
    total += amounts.length;
    return { withdrawalCredentials: wc, amounts };
  });
  if (total > MAX_DEPOSITS) fail('LIMIT_EXCEEDED', field, `list ${total} deposits; the limit is ${MAX_DEPOSITS}`);
  const json = parsed.map((p) => ({ withdrawalCredentials: hex(p.withdrawalCredentials), amounts: p.amounts.map(String) }));
  return { json, parsed };
}

function checkThreshold(t: number, n: number, field: string): void {
  if (n < MIN_THRESHOLD) fail('INVALID_ARGUMENT', field, `must list at least ${MIN_THRESHOLD} operators`);
  if (t < MIN_THRESHOLD || t > n) fail('INVALID_THRESHOLD', 'threshold', `must be in ${MIN_THRESHOLD}..${n} (the number of operators), got ${t}`);
}

/** Throws DUPLICATE_KEY (naming both positions) when two keys are equal. */
export function uniqueKeys(keys: readonly Uint8Array[], field: string, what: string): void {
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    const h = hex(k);
    const first = seen.get(h);
    if (first !== undefined) fail('DUPLICATE_KEY', `${field}[${i}]`, `repeats the ${what} of ${field}[${first}]`, [String(first + 1), String(i + 1)]);
    seen.set(h, i);
  });
}

function draftBytes(d: Omit<ParsedDraft, 'bytes' | 'hash' | 'json'>, names: readonly (string | undefined)[]): Uint8Array {
  const w = new Writer().str('dvkeys/dkg-draft').u8(DKG_VERSION).str(d.networkName).raw(d.forkVersion).u16(d.t).u16(d.hostKeys.length);
  d.hostKeys.forEach((k, i) => {
    w.raw(k);
    const name = names[i];
    if (name === undefined) w.u8(0);
    else w.u8(1).str(name);
  });
  w.u32(d.validators.length);
  for (const v of d.validators) {
    w.raw(v.withdrawalCredentials).u16(v.amounts.length);
    for (const a of v.amounts) w.u64(a);
  }
  return w.raw(d.attemptNonce).finish();
}

/** Parses the draft fields of a draft or a definition (`operators` already shape-checked). */
export function parseDraftLike(obj: Readonly<Record<string, unknown>>, operators: readonly unknown[], field: string): ParsedDraft {
  const net = parseNetwork(obj['network'], `${field}.network`);
  const n = operators.length;
  const t = readInt(obj['threshold'], `${field}.threshold`, 0, MAX_PARTICIPANTS);
  checkThreshold(t, n, `${field}.operators`);
  const names: (string | undefined)[] = [];
  const hostKeys = operators.map((raw, i) => {
    const o = raw as Readonly<Record<string, unknown>>;
    const key = readHex(o['hostPublicKey'], `${field}.operators[${i}].hostPublicKey`, 32);
    assertHostPublicKey(key, `${field}.operators[${i}].hostPublicKey`);
    names.push(o['name'] === undefined ? undefined : readName(o['name'], `${field}.operators[${i}].name`, MAX_NAME_LENGTH));
    return key;
  });
  uniqueKeys(hostKeys, `${field}.operators`, 'host public key');
  const { json: validators, parsed } = parseValidators(obj['validators'], `${field}.validators`);
  const attemptNonce = readHex(obj['attemptNonce'], `${field}.attemptNonce`, 32);
  if (attemptNonce.every((b) => b === 0)) fail('INVALID_ARGUMENT', `${field}.attemptNonce`, 'is all zeros');
  const core = { t, hostKeys, networkName: net.name, forkVersion: net.forkVersion, attemptNonce, validators: parsed };
  const bytes = draftBytes(core, names);
  const json: DkgDraftJson = {
    format: 'dvkeys/dkg-draft',
    version: 1,
    network: net.json,
    threshold: t,
    operators: hostKeys.map((k, i) => (names[i] === undefined ? { hostPublicKey: hex(k) } : { hostPublicKey: hex(k), name: names[i] })),
    validators,
    attemptNonce: hex(attemptNonce),
  };
  return { ...core, json, bytes, hash: taggedHash(TAGS.draft, bytes) };
}

/**
 * Parses and validates a draft.
 * @throws ValidationError `DKG_INVALID_MESSAGE` (shape), `INVALID_THRESHOLD` (t outside 2..n), `LIMIT_EXCEEDED`
 *   (n > 64, V > 10 000, too many deposits), `DUPLICATE_KEY`, `INVALID_POINT` (host key), `AMOUNT_INVALID`,
 *   `DEPOSIT_INVALID`, `NETWORK_UNKNOWN`/`INVALID_ARGUMENT` (network).
 */
export function parseDraft(value: unknown): { json: DkgDraftJson; draftHash: string } {
  const d = parseDraftObject(value);
  return { json: d.json, draftHash: hex(d.hash) };
}

/** Parses a draft object. */
export function parseDraftObject(value: unknown): ParsedDraft {
  const obj = readObject(value, 'draft', ['format', 'version', 'network', 'threshold', 'operators', 'validators', 'attemptNonce']);
  readHeader(obj, 'draft', 'dvkeys/dkg-draft');
  const operators = readArray(obj['operators'], 'draft.operators', MAX_PARTICIPANTS);
  operators.forEach((o, i) => readObject(o, `draft.operators[${i}]`, ['hostPublicKey'], ['name']));
  return parseDraftLike(obj, operators, 'draft');
}

/** Inputs of {@link createDraft}. */
export interface DraftParams {
  readonly network: DkgNetworkJson;
  readonly threshold: number;
  readonly operators: readonly DkgOperatorJson[];
  readonly validators: readonly DkgValidatorJson[];
  /** 32 bytes; default fresh from `rng`. */
  readonly attemptNonce?: Uint8Array;
  readonly rng?: RandomBytes;
}

/**
 * Builds and validates a draft with a fresh attempt nonce.
 * @throws ValidationError as {@link parseDraft}.
 */
export function createDraft(params: DraftParams): DkgDraftJson {
  const nonce = params.attemptNonce ?? (params.rng ?? systemRandomBytes)(32);
  return parseDraftObject({
    format: 'dvkeys/dkg-draft',
    version: DKG_VERSION,
    network: params.network,
    threshold: params.threshold,
    operators: params.operators,
    validators: params.validators,
    attemptNonce: hex(nonce),
  }).json;
}

function enrollmentMessage(draftHash: Uint8Array, encKey: Uint8Array, salt: Uint8Array): Uint8Array {
  return concatBytes(draftHash, encKey, salt);
}

/** Options of {@link enroll}. */
export interface EnrollOptions {
  /** The fresh public salt (32 bytes); default from `rng`. */
  readonly salt?: Uint8Array;
  readonly rng?: RandomBytes;
}

/**
 * Round 0: an operator enrolls in a draft with its host key. Derives d_i from (host key, attempt nonce, salt) and
 * signs (draftHash, D_i, salt). The operator's host key must be in the draft.
 * @throws ValidationError as {@link parseDraft}; `INVALID_ARGUMENT` when the host key is not in the draft.
 */
export function enroll(draft: unknown, hostSecretKey: Uint8Array, options: EnrollOptions = {}): EnrollmentJson {
  const d = parseDraftObject(draft);
  const host = hostPublicKey(hostSecretKey);
  if (!d.hostKeys.some((k) => equalBytes(k, host))) fail('INVALID_ARGUMENT', 'hostSecretKey', 'is not the key of any operator of the draft');
  const rng = options.rng ?? systemRandomBytes;
  const salt = options.salt === undefined ? rng(32) : Uint8Array.from(options.salt);
  const secret = deriveEncryptionSecret(hostSecretKey, d.attemptNonce, salt);
  try {
    const encKey = encryptionPublicKey(secret);
    const signature = hostSign(hostSecretKey, TAGS.enroll, enrollmentMessage(d.hash, encKey, salt), rng(32));
    return {
      format: 'dvkeys/dkg-enrollment',
      version: 1,
      draftHash: hex(d.hash),
      hostPublicKey: hex(host),
      encryptionPublicKey: hex(encKey),
      salt: hex(salt),
      signature: hex(signature),
    };
  } finally {
    secret.fill(0);
  }
}

/** Checks an enrollment signature, naming the operator. */
export function checkEnrollmentSignature(draftHash: Uint8Array, hostKey: Uint8Array, encKey: Uint8Array, salt: Uint8Array, sig: Uint8Array, field: string, index: number): void {
  if (!hostVerify(hostKey, TAGS.enroll, enrollmentMessage(draftHash, encKey, salt), sig)) {
    throw new ValidationError('SIGNATURE_INVALID', `'${field}' is not a valid enrollment signature by operator ${index}`, {
      field,
      culprits: [String(index)],
    });
  }
}
