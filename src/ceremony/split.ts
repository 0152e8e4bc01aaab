/**
 * The split ceremony (design sections 3-5), pure orchestration: existing validator keys in; verified shares,
 * encrypted share keystores, the manifest and the list of files out. No file is touched here; the CLI writes
 * the files atomically and reads them back.
 *
 * Order of work: the slashing-safety gate (safety/), then one pipeline (issue 14, docs/decisions/0212): the input
 * keystores are decrypted a few validators ahead (split-inputs.ts), each validator is checked for duplicates,
 * split and every recombination checked with every share (sharing/recombine.ts) as its key arrives, and its share
 * keystores are encrypted (keys/, concurrently) while the next validator is split; all KDF jobs go through one
 * KdfScheduler, so their memory stays bounded together. Then the pubkey of every keystore is checked against its
 * public share. A key decrypted here is wiped as soon as its shares are made; shares are wiped in `finally`.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { AbortedError, ValidationError, VerificationError } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { encryptKeystoresKeepingKeys, type EncryptItem } from '../keys/batch.js';
import { wipeKeptKeys, type KeptKey } from '../keys/kept-key.js';
import { KdfScheduler } from '../keys/scheduler.js';
import { InputFeed, isEncryptedInput, type SplitValidatorInput } from './split-inputs.js';
import { describeShare, keystoreToJson, type EncryptOptions, type KdfChoice } from '../keys/keystore.js';
import type { Keystore } from '../keys/keystore-format.js';
import type { KdfBackend } from '../keys/kdf.js';
import { generatePassword } from '../keys/password.js';
import { assertSplitSafety, type SplitSafetyCheck } from '../safety/split-check.js';
import { validateIds, validateThreshold } from '../sharing/ids.js';
import { assertRecombination } from '../sharing/recombine.js';
import { split, wipeShares, type SplitResult } from '../sharing/shamir.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { createDepositData, type DepositDataEntry } from '../eth/deposit.js';
import { formatDepositDataFile, verifyDepositData } from '../eth/deposit-file.js';
import type { Network } from '../eth/networks.js';
import { textFile, type CeremonyFile } from './files.js';
import { DEPOSIT_FILE, dvkeysLayout } from './layouts/dvkeys.js';
import { nodeSlashingFiles, type SlashingInput } from './slashing-files.js';
import { assertSafeName, estimateManifestLength, MAX_MANIFEST_TEXT_LENGTH, MAX_VALIDATORS, type Manifest, type ManifestOperator } from './manifest.js';

export type { EncryptedValidatorInput, SplitValidatorInput, ValidatorKeyInput } from './split-inputs.js';

/** Input of {@link runSplit}. */
export interface SplitCeremonyInput {
  /**
   * The keys to split: secrets (the caller's; the caller wipes them), or keystores with their passwords, which
   * runSplit decrypts in its pipeline through `scheduler`, a few validators ahead of the split, and wipes as soon
   * as each validator's shares are made (split-inputs.ts).
   */
  readonly validators: readonly SplitValidatorInput[];
  /** Share holders (nodes): share id, folder name, and the staker (`group`) that runs them. */
  readonly operators: readonly ManifestOperator[];
  readonly threshold: number;
  /** Explicit override of the safety gate (`--allow-unsafe-threshold`). */
  readonly allowUnsafeThreshold?: boolean;
  readonly kdf: KdfChoice;
  /** KDF cost overrides (tests); defaults are EIP-2335's. */
  readonly kdfParams?: EncryptOptions['kdfParams'];
  /** One password for every share keystore; without it each keystore gets a generated password in a `.txt`. */
  readonly sharePassword?: string;
  /**
   * Deposit data, signed with each full key while it is in memory and verified: written as `deposit-data.json`
   * at the root and in every operator folder (staking-deposit-cli shape).
   */
  readonly deposit?: SplitDepositOptions;
  /**
   * The solo validator's EIP-3076 history: each operator folder gets `slashing-protection.json`, filtered to the
   * split validators, re-keyed to that operator's public share and minified (docs/decisions/0301).
   */
  readonly slashingProtection?: SplitSlashingOptions;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  /** Progress over every KDF job: the decryptions of keystore inputs plus the share encryptions. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Share-encryption jobs at once per validator batch (see keys/batch.ts). */
  readonly concurrency?: number;
  readonly kdfBackend?: KdfBackend;
  /**
   * The admission queue of every KDF job of this split (default: a new one with the default memory bound): one
   * scheduler for all the batches in flight, so that their scrypt memory together stays within its bound.
   */
  readonly scheduler?: KdfScheduler;
  /**
   * Keep each share keystore's derived key (output `keptKeys`), so that the caller can check the keystores once
   * written without a second KDF (keys/kept-key.ts). The caller wipes them.
   */
  readonly keepKeys?: boolean;
}

/** Deposit data options of {@link runSplit}. */
export interface SplitDepositOptions {
  readonly network: Network;
  /** 32-byte withdrawal credentials (0x01 or 0x02). */
  readonly withdrawalCredentials: Uint8Array;
  /** Gwei per deposit; default one deposit of 32 ETH. */
  readonly amounts?: readonly bigint[];
}

/** Slashing-protection options of {@link runSplit} (slashing-files.ts). */
export type SplitSlashingOptions = SlashingInput;

/** Output of {@link runSplit}. */
export interface SplitCeremonyOutput {
  readonly manifest: Manifest;
  readonly files: readonly CeremonyFile[];
  readonly safety: SplitSafetyCheck;
  /** With `keepKeys`: the derived key of every share keystore, by file path (`<operator>/keystore-<v>.json`). */
  readonly keptKeys?: ReadonlyMap<string, KeptKey>;
}

const RESERVED_NAMES = new Set(['ceremony.json', 'deposit-data.json', 'slashing-protection.json']);

function validateOperators(operators: readonly ManifestOperator[]): void {
  const names = new Set<string>();
  operators.forEach((op, i) => {
    assertSafeName(op.name, `operators[${i}].name`);
    assertSafeName(op.group, `operators[${i}].group`);
    // Folder names must differ on case-insensitive file systems too, and not clash with the root's files (F18).
    const folded = op.name.toLowerCase();
    if (RESERVED_NAMES.has(folded)) {
      throw new ValidationError('INVALID_ARGUMENT', `'operators[${i}].name' '${op.name}' is a reserved file name`, { field: `operators[${i}].name` });
    }
    if (names.has(folded)) {
      throw new ValidationError('INVALID_ARGUMENT', `'operators[${i}].name' repeats '${op.name}'`, { field: `operators[${i}].name` });
    }
    names.add(folded);
  });
  validateIds(
    operators.map((o) => o.index),
    'operators.index',
  );
}

/** Share counts per staker, in first-seen order, for the safety math. */
export function groupShares(operators: readonly ManifestOperator[]): { name: string; shares: number }[] {
  const counts = new Map<string, number>();
  for (const op of operators) counts.set(op.group, (counts.get(op.group) ?? 0) + 1);
  return [...counts].map(([name, shares]) => ({ name, shares }));
}

/**
 * Splits every validator key among the operators and encrypts the shares.
 * @throws SafetyError `UNSAFE_THRESHOLD` (unless overridden); ValidationError for bad operators, threshold,
 *   keys (`validators[i]`) or `DUPLICATE_KEY`; VerificationError if a recombination check or a keystore pubkey
 *   fails (a bug or a hardware fault: nothing is returned); keystore errors; AbortedError.
 */
export async function runSplit(input: SplitCeremonyInput): Promise<SplitCeremonyOutput> {
  const { operators, validators } = input;
  validateOperators(operators);
  const t = validateThreshold(input.threshold, operators.length);
  const safety = assertSplitSafety(
    { threshold: t, operators: groupShares(operators) },
    { allowUnsafe: input.allowUnsafeThreshold === true },
  );
  if (validators.length === 0 || validators.length > MAX_VALIDATORS) {
    throw new ValidationError('INVALID_ARGUMENT', `need 1..${MAX_VALIDATORS} validator keys, got ${validators.length}`, { field: 'validators' });
  }
  if (estimateManifestLength(validators.length, t, operators.length) > MAX_MANIFEST_TEXT_LENGTH) {
    throw new ValidationError('LIMIT_EXCEEDED', `${validators.length} validators over ${operators.length} operators make a ceremony.json larger than dvkeys reads back; split them in batches`, { field: 'validators' });
  }
  const V = validators.length;
  const n = operators.length;
  validators.forEach((v, i) => {
    if (!isEncryptedInput(v)) checkedSecret(v, i);
  });
  const scheduler = input.scheduler ?? new KdfScheduler();
  let done = 0;
  const feed = new InputFeed(validators, {
    scheduler,
    signal: input.signal,
    kdfBackend: input.kdfBackend,
    onDecrypted: () => input.onProgress?.(++done, total),
  });
  const total = V * n + feed.decryptions;
  const seen = new Map<string, number>();
  /** The duplicate check, as each key arrives (nothing is written before every validator passed it). */
  const checkNew = (secret: Uint8Array, i: number): void => {
    const hex = bytesToHex(secretKeyToPublicKey(secret), true);
    const first = seen.get(hex);
    if (first !== undefined) {
      throw new ValidationError('DUPLICATE_KEY', `${validators[i]!.source} holds the same key as ${validators[first]!.source} (${hex.slice(0, 14)}…)`, { field: `validators[${i}]` });
    }
    seen.set(hex, i);
  };

  const rng = input.rng ?? systemRandomBytes;
  const ids = operators.map((o) => o.index);
  const splits: SplitResult[] = [];
  const deposits: DepositDataEntry[] = [];
  // Keystores are encrypted validator by validator while the next validator is split and checked: the KDFs run
  // on the thread pool, the curve work on this thread, so the two overlap (at most two batches in flight, their
  // memory bounded together by the one scheduler).
  const keystores: Keystore[][] = [];
  const keys: KeptKey[][] = [];
  let returned = false;
  const passwords: (string | undefined)[][] = [];
  const inFlight: Promise<void>[] = [];
  let failure: Error | undefined;
  input.onProgress?.(0, total);
  try {
    for (const vi of validators.keys()) {
      // Let a pending abort (Ctrl-C) through between validators: the curve work is synchronous.
      await new Promise((r) => setTimeout(r, 0));
      if (input.signal?.aborted === true) throw new AbortedError('interrupted; nothing was written');
      if (failure !== undefined) throw failure;
      const fed = await feed.take(vi);
      try {
        checkNew(fed.secret, vi);
        const res = split(fed.secret, { threshold: t, ids, rng });
        splits.push(res);
        assertRecombination(
          { threshold: t, groupPublicKey: res.groupPublicKey, commitments: res.commitments, publicShares: res.publicShares },
          { shares: res.shares, rng },
        );
        if (input.deposit !== undefined) {
          deposits.push(
            ...createDepositData({
              secretKey: fed.secret,
              withdrawalCredentials: input.deposit.withdrawalCredentials,
              network: input.deposit.network,
              ...(input.deposit.amounts === undefined ? {} : { amounts: input.deposit.amounts }),
            }),
          );
        }
      } finally {
        // A key runSplit decrypted is wiped once its shares and deposit data are made: only the shares are needed.
        if (fed.owned) fed.secret.fill(0);
      }
      const res = splits[vi]!;
      const pw = operators.map(() => input.sharePassword ?? generatePassword(rng));
      passwords[vi] = pw.map((p) => (input.sharePassword === undefined ? p : undefined));
      const items: EncryptItem[] = operators.map((_op, k) => ({
        secret: res.shares[k]!.secret,
        password: pw[k]!,
        options: {
          kdf: input.kdf,
          description: describeShare({ shareIndex: res.shares[k]!.id, threshold: t, total: n, validatorPubkey: res.groupPublicKey }),
          path: '',
          rng,
          ...(input.kdfParams === undefined ? {} : { kdfParams: input.kdfParams }),
        },
      }));
      let last = 0;
      const batch = encryptKeystoresKeepingKeys(items, {
        scheduler,
        ...(input.signal === undefined ? {} : { signal: input.signal }),
        ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
        ...(input.kdfBackend === undefined ? {} : { kdfBackend: input.kdfBackend }),
        onProgress: (d) => {
          done += d - last;
          last = d;
          input.onProgress?.(done, total);
        },
      });
      inFlight.push(
        batch.then(
          (ks) => {
            keystores[vi] = ks.map((k) => k.keystore);
            keys[vi] = ks.map((k) => k.key);
          },
          (e: unknown) => void (failure ??= e instanceof Error ? e : new Error(String(e))),
        ),
      );
      if (inFlight.length >= 2) await inFlight[inFlight.length - 2];
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    const extra = extraFiles(input, operators, splits, deposits);
    keystores.forEach((row, v) =>
      row.forEach((ks, k) => {
        if (ks.pubkey !== bytesToHex(splits[v]!.publicShares[k]!.publicKey)) {
          throw new VerificationError('KEYSTORE_PUBKEY_MISMATCH', `keystore ${v} of ${operators[k]!.name} does not hold its share`, { culprits: [operators[k]!.name] });
        }
      }),
    );
    const layout = dvkeysLayout(
      {
        kind: 'split',
        network: input.deposit?.network.name ?? input.slashingProtection?.network.name ?? null,
        forkVersion: (input.deposit ?? input.slashingProtection)?.network.genesisForkVersion ?? null,
        threshold: t,
        operators,
        validators: splits.map((res) => ({
          pubkey: res.groupPublicKey,
          commitments: res.commitments,
          publicShares: res.publicShares.map((p) => p.publicKey),
          ...(input.deposit === undefined ? {} : { withdrawalCredentials: input.deposit.withdrawalCredentials }),
        })),
      },
      operators.map((op, k) => ({
        name: op.name,
        keystores: splits.map((_res, v) => {
          const password = passwords[v]![k];
          return { json: keystoreToJson(keystores[v]![k]!), ...(password === undefined ? {} : { password }) };
        }),
      })),
      extra,
    );
    let keptKeys: Map<string, KeptKey> | undefined;
    if (input.keepKeys === true) {
      keptKeys = new Map();
      for (const [v, row] of keys.entries()) row.forEach((key, k) => keptKeys!.set(`${operators[k]!.name}/keystore-${v}.json`, key));
    }
    returned = true;
    return { manifest: layout.manifest, files: layout.files, safety, ...(keptKeys === undefined ? {} : { keptKeys }) };
  } finally {
    await feed.close(); // aborts the decryptions still running and wipes the secrets not taken
    await Promise.allSettled(inFlight); // no share is wiped while a batch may still read it
    for (const res of splits) wipeShares(res.shares);
    if (!returned || input.keepKeys !== true) for (const row of keys) wipeKeptKeys(row);
  }
}

/** deposit-data.json (root and every folder) and per-operator slashing-protection.json. */
function extraFiles(
  input: SplitCeremonyInput,
  operators: readonly ManifestOperator[],
  splits: readonly SplitResult[],
  deposits: readonly DepositDataEntry[],
): CeremonyFile[] {
  const out: CeremonyFile[] = [];
  if (input.deposit !== undefined) {
    const text = formatDepositDataFile(deposits);
    verifyDepositData(JSON.parse(text) as unknown, { network: input.deposit.network });
    out.push(textFile(DEPOSIT_FILE, text, 'deposit-data', false));
    for (const op of operators) out.push(textFile(`${op.name}/${DEPOSIT_FILE}`, text, 'deposit-data', false));
  }
  if (input.slashingProtection !== undefined) {
    const validators = splits.map((res) => ({ pubkey: res.groupPublicKey, publicShares: res.publicShares.map((p) => p.publicKey) }));
    out.push(...nodeSlashingFiles(input.slashingProtection, validators, operators.map((op) => op.name)));
  }
  return out;
}

function checkedSecret(v: { readonly secret: Uint8Array; readonly source: string }, i: number): Uint8Array {
  if (!(v.secret instanceof Uint8Array) || v.secret.length !== 32) {
    throw new ValidationError('INVALID_LENGTH', `'validators[${i}]' (${v.source}) is not a 32-byte secret key`, { field: `validators[${i}]` });
  }
  return v.secret;
}
