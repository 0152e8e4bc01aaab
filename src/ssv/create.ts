/**
 * `split --layout ssv`: a keyshares.json for existing validator keys, as ssv-keys writes it
 * (research/interop-formats.md 2): per validator, a Shamir split with x = operator id, each share encrypted to its
 * operator (RSA PKCS#1 v1.5 of the text "0x" + 64 hex digits, ssv-keys' plaintext), the share public keys, and the
 * owner-nonce signature made with the full validator key; nonces are consecutive from the one given.
 *
 * SSV's operator-count rule is enforced (n in {4, 7, 10, 13}, t = n - f), and our own threshold analysis of the
 * same allocation (safety/split-check.ts, one share per operator) is returned beside it for the CLI to print.
 * The file is parsed back and verified (verify.ts) before it is returned. Shares and plaintexts are wiped in
 * `finally`.
 *
 * @module
 */
import { bytesToHex, utf8, wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { parseExecutionAddress, toChecksumAddress } from '../eth/withdrawal.js';
import { systemRandomBytes } from '../random.js';
import { checkSplitSafety, type SplitSafetyCheck } from '../safety/split-check.js';
import { assertRecombination } from '../sharing/recombine.js';
import { split, wipeShares, type SplitResult } from '../sharing/shamir.js';
import type { RandomBytes } from '../types.js';
import { KEYSHARES_VERSION, MAX_KEYSHARES_ITEMS, parseKeysharesText, serializeKeyshares, type KeysharesFile, type KeysharesItem } from './keyshares.js';
import { encodeSharesData, signOwnerNonce, ssvRule, type SsvRule } from './payload.js';
import { parseOperatorKey, rsaEncryptPkcs1v15 } from './rsa.js';
import { assertKeyshares, type KeysharesItemReport } from './verify.js';

/** One SSV operator: its id and public key (any form parseOperatorKey accepts). */
export interface SsvOperatorInput {
  readonly id: number;
  readonly operatorKey: string;
}

/** Input of {@link createKeyshares}. */
export interface CreateKeysharesInput {
  /** Full validator secret keys (32 bytes each); `source` names one in errors. */
  readonly validators: readonly { readonly secret: Uint8Array; readonly source?: string }[];
  /** 4, 7, 10 or 13 operators, any order (written sorted by id). */
  readonly operators: readonly SsvOperatorInput[];
  /** The cluster owner's address (0x + 40 hex digits). */
  readonly ownerAddress: string;
  /** The owner's nonce for the first validator (registrations so far); the next validators take the next ones. */
  readonly ownerNonce: number;
  /** `createdAt`; default now. */
  readonly now?: Date;
  readonly rng?: RandomBytes;
}

/** Output of {@link createKeyshares}. */
export interface CreateKeysharesOutput {
  readonly file: KeysharesFile;
  /** The text of keyshares.json. */
  readonly text: string;
  /** SSV's rule for this operator count. */
  readonly rule: SsvRule;
  /** dvkeys' analysis of the same threshold and allocation (design section 5). */
  readonly safety: SplitSafetyCheck;
  readonly reports: readonly KeysharesItemReport[];
}

function fail(field: string, message: string): never {
  throw new ValidationError('INVALID_ARGUMENT', `'${field}' ${message}`, { field });
}

/**
 * SSV's rule and dvkeys' analysis for operators given by id (one share each), without splitting anything.
 * @throws ValidationError `INVALID_ARGUMENT` unless there are 4, 7, 10 or 13 distinct ids.
 */
export function ssvThresholdAnalysis(operatorIds: readonly number[]): { rule: SsvRule; safety: SplitSafetyCheck } {
  if (new Set(operatorIds).size !== operatorIds.length) fail('operators', 'repeats an operator id');
  const rule = ssvRule(operatorIds.length);
  const safety = checkSplitSafety({ threshold: rule.threshold, operators: operatorIds.map((id) => ({ name: `operator-${id}`, shares: 1 })) });
  return { rule, safety };
}

/**
 * Builds a keyshares file (see the module comment).
 * @throws ValidationError `INVALID_ARGUMENT` (operator count, repeated id or key, bad nonce, no validator),
 *   `WITHDRAWAL_ADDRESS_INVALID` (field `ownerAddress`), key errors, `DUPLICATE_KEY`; VerificationError if the
 *   file made does not verify (nothing is returned).
 */
export function createKeyshares(input: CreateKeysharesInput): CreateKeysharesOutput {
  const V = input.validators.length;
  if (V === 0 || V > MAX_KEYSHARES_ITEMS) fail('validators', `expected 1..${MAX_KEYSHARES_ITEMS} validator keys, got ${V}`);
  const operators = input.operators
    .map((o, i) => {
      if (!Number.isSafeInteger(o.id) || o.id < 1) fail(`operators[${i}].id`, 'expected a positive integer operator id');
      return { id: o.id, key: parseOperatorKey(o.operatorKey, `operators[${i}].operatorKey`) };
    })
    .sort((a, b) => a.id - b.id);
  const { rule, safety } = ssvThresholdAnalysis(operators.map((o) => o.id));
  if (new Set(operators.map((o) => o.key.n.toString(16))).size !== operators.length) fail('operators', 'repeats an operator key');
  const owner = parseExecutionAddress(input.ownerAddress, 'ownerAddress');
  if (!Number.isSafeInteger(input.ownerNonce) || input.ownerNonce < 0 || input.ownerNonce + V > Number.MAX_SAFE_INTEGER) fail('ownerNonce', 'expected a non-negative integer');
  const seen = new Set<string>();
  input.validators.forEach((v, i) => {
    const hex = bytesToHex(secretKeyToPublicKey(v.secret));
    if (seen.has(hex)) throw new ValidationError('DUPLICATE_KEY', `${v.source ?? `validators[${i}]`} repeats a key given before`, { field: `validators[${i}]` });
    seen.add(hex);
  });

  const rng = input.rng ?? systemRandomBytes;
  const ids = operators.map((o) => o.id);
  const items: KeysharesItem[] = [];
  const splits: SplitResult[] = [];
  try {
    input.validators.forEach((v, i) => {
      const res = split(v.secret, { threshold: rule.threshold, ids, rng });
      splits.push(res);
      assertRecombination({ threshold: rule.threshold, groupPublicKey: res.groupPublicKey, commitments: res.commitments, publicShares: res.publicShares }, { shares: res.shares, rng });
      const encryptedShares = res.shares.map((share, k) => {
        const plaintext = utf8(bytesToHex(share.secret, true));
        try {
          return rsaEncryptPkcs1v15(operators[k]!.key, plaintext, rng);
        } finally {
          wipe(plaintext);
        }
      });
      const ownerNonce = input.ownerNonce + i;
      const parts = { signature: signOwnerNonce(v.secret, owner, ownerNonce), sharePublicKeys: res.publicShares.map((p) => p.publicKey), encryptedShares };
      items.push({
        ownerNonce,
        ownerAddress: toChecksumAddress(owner),
        owner,
        publicKey: res.groupPublicKey,
        operators: operators.map((o) => ({ id: o.id, operatorKey: o.key.operatorKey, key: o.key })),
        sharesData: encodeSharesData(parts),
        parts,
      });
    });
  } finally {
    for (const res of splits) wipeShares(res.shares);
  }
  const createdAt = (input.now ?? new Date()).toISOString();
  const text = serializeKeyshares({ version: KEYSHARES_VERSION, createdAt, layout: 'multi', items });
  const file = parseKeysharesText(text);
  const reports = assertKeyshares(file, { rng });
  return { file, text, rule, safety, reports };
}
