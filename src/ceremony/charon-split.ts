/**
 * `split --layout charon`: existing validator keys in; a Charon cluster out (one folder per node, see
 * layouts/charon.ts), equivalent to `charon create cluster --split-existing-keys` (research/charon.md 1). Pure
 * orchestration: no file is touched; the CLI writes the files atomically.
 *
 * Order of work: inputs and the slashing-safety gate; per validator the split (x = 1..n, node k holds x = k + 1)
 * with every recombination check; a node key per node; the lock (charon/lock-create.ts: deposits and builder
 * registrations signed with the full keys, the aggregate and node signatures); the lock serialised, parsed back and
 * verified by the same code that checks any Charon lock (charon/lock-verify.ts); deposit files rebuilt from the lock
 * and verified; share keystores with pbkdf2 (c = 2^18, Charon's cost) and 32-hex-character passwords; every
 * keystore's pubkey checked against its public share. Shares, full keys' copies and node keys are wiped in `finally`.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { AbortedError, ValidationError, VerificationError } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import { generateNodeKey } from '../charon/k1.js';
import { CHARON_MIN_NODES, createSplitLock, type CreateLockInput } from '../charon/lock-create.js';
import { serializeClusterLock } from '../charon/lock-json.js';
import { parseClusterLockText } from '../charon/lock-parse.js';
import { assertClusterLock, type LockReport } from '../charon/lock-verify.js';
import { LOCK_LIMITS, type ClusterLock } from '../charon/types.js';
import { depositDataFromSignature, type DepositDataEntry } from '../eth/deposit.js';
import type { Network } from '../eth/networks.js';
import { encryptKeystoresKeepingKeys, type EncryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { wipeKeptKeys, type KeptKey, type KeptKeystore } from '../keys/kept-key.js';
import { DEFAULT_PBKDF2, describeShare, keystoreToJson, type EncryptOptions } from '../keys/keystore.js';
import { systemRandomBytes } from '../random.js';
import { assertSplitSafety, type SplitSafetyCheck } from '../safety/split-check.js';
import { defaultThreshold } from '../safety/threshold-math.js';
import { defaultIds } from '../sharing/ids.js';
import { assertRecombination } from '../sharing/recombine.js';
import { split, wipeShares, type SplitResult } from '../sharing/shamir.js';
import type { RandomBytes, SecretBytes } from '../types.js';
import { textFile, type CeremonyFile } from './files.js';
import { OPERATORS_FILE, serializeOperatorsMap } from './operators-map.js';
import { nodeSlashingFiles, type SlashingInput } from './slashing-files.js';
import type { OperatorInput } from '../safety/input.js';
import { CHARON_FILES, charonLayout, charonNodeDir } from './layouts/charon.js';
import { MAX_VALIDATORS } from './manifest.js';
import type { ValidatorKeyInput } from './split.js';

/** The `path` Charon writes into every keystore, shares included (a constant, not a derivation path). */
export const CHARON_KEYSTORE_PATH = 'm/12381/3600/0/0/0';

/** Input of {@link runCharonSplit}. */
export interface CharonSplitInput {
  readonly validators: readonly ValidatorKeyInput[];
  /** Number of Charon nodes n (3..256). */
  readonly nodes: number;
  /**
   * The operators (people) running the nodes, in node order: `{name, shares}` runs `shares` consecutive nodes.
   * Their shares must add up to `nodes`. The safety gate and figures are computed on them, and `operators.json`
   * (ceremony/operators-map.ts) says which node folder goes to whom. Default: each node its own operator.
   */
  readonly operators?: readonly OperatorInput[];
  /**
   * The solo validators' EIP-3076 history: every node folder gets `slashing-protection.json`, re-keyed to that
   * node's share keys (ceremony/slashing-files.ts). Its network must be `network`.
   */
  readonly slashingProtection?: SlashingInput;
  /** Default Charon's ceil(2n/3). */
  readonly threshold?: number;
  /** Explicit override of the safety gate. */
  readonly allowUnsafeThreshold?: boolean;
  readonly network: Network;
  /** One address for every validator, or one per validator (0x + 40 hex digits). */
  readonly withdrawalAddresses: string | readonly string[];
  readonly feeRecipients: string | readonly string[];
  readonly name?: string;
  readonly depositAmounts?: CreateLockInput['depositAmounts'];
  readonly compounding?: boolean;
  readonly targetGasLimit?: number;
  readonly consensusProtocol?: string;
  /** pbkdf2 cost override for tests (`{ c: 16 }` is Charon's insecure cost); default c = 2^18. */
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly now?: Date;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly concurrency?: number;
  readonly kdfBackend?: KdfBackend;
  /** Keep each share keystore's derived key (output `keptKeys`) for the read-back check; the caller wipes them. */
  readonly keepKeys?: boolean;
}

/** Output of {@link runCharonSplit}. */
export interface CharonSplitOutput {
  readonly lock: ClusterLock;
  /** The exact text of every `cluster-lock.json`. */
  readonly lockText: string;
  /** The verification report of the lock as read back. */
  readonly report: LockReport;
  readonly files: readonly CeremonyFile[];
  readonly safety: SplitSafetyCheck;
  /** With `keepKeys`: the derived key of every share keystore, by file path (`node<k>/validator_keys/keystore-<v>.json`). */
  readonly keptKeys?: ReadonlyMap<string, KeptKey>;
}

/** A Charon keystore password: 16 random bytes as 32 lowercase hex characters, no newline (`randomHex32`). */
export function charonPassword(rng: RandomBytes = systemRandomBytes): string {
  const b = rng(16);
  try {
    return bytesToHex(b);
  } finally {
    b.fill(0);
  }
}

function perValidator(value: string | readonly string[], count: number, field: string): string[] {
  if (typeof value === 'string') return Array.from({ length: count }, () => value);
  const list: readonly unknown[] = Array.isArray(value) ? (value as readonly unknown[]) : [];
  if (list.length !== count) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' must be one address or one per validator (${count})`, { field });
  }
  return list.map((a, i) => {
    if (typeof a !== 'string') throw new ValidationError('INVALID_ARGUMENT', `'${field}[${i}]' expected an address string`, { field: `${field}[${i}]` });
    return a;
  });
}

/**
 * Splits the keys into a Charon cluster (see the module comment).
 * @throws SafetyError `UNSAFE_THRESHOLD` (unless overridden); ValidationError for the node count, threshold,
 *   addresses (`validators[i].withdrawalAddress`), amounts, keys or `DUPLICATE_KEY`; VerificationError if a check
 *   of what was just made fails (nothing is returned); keystore errors; AbortedError.
 */
export async function runCharonSplit(input: CharonSplitInput): Promise<CharonSplitOutput> {
  const n = input.nodes;
  const V = input.validators.length;
  if (V === 0 || V > MAX_VALIDATORS) throw new ValidationError('INVALID_ARGUMENT', `need 1..${MAX_VALIDATORS} validator keys, got ${V}`, { field: 'validators' });
  if (!Number.isSafeInteger(n) || n < CHARON_MIN_NODES || n > LOCK_LIMITS.operators) {
    throw new ValidationError('INVALID_ARGUMENT', `'nodes' must be ${CHARON_MIN_NODES}..${LOCK_LIMITS.operators} for a Charon cluster, got ${String(n)}`, { field: 'nodes' });
  }
  const t = input.threshold ?? defaultThreshold(n);
  const people = input.operators ?? Array.from({ length: n }, (_, k) => ({ name: `operator-${k + 1}`, shares: 1 }));
  const total = people.reduce((sum, o) => sum + o.shares, 0);
  if (total !== n) throw new ValidationError('INVALID_ARGUMENT', `'operators' run ${total} nodes in all, but the cluster has ${n}`, { field: 'operators' });
  const safety = assertSplitSafety({ threshold: t, operators: people }, { allowUnsafe: input.allowUnsafeThreshold === true });
  if (input.slashingProtection !== undefined && bytesToHex(input.slashingProtection.network.genesisForkVersion) !== bytesToHex(input.network.genesisForkVersion)) {
    throw new ValidationError('SLASHING_PROTECTION_INVALID', `the slashing-protection history is for ${input.slashingProtection.network.name}, the cluster for ${input.network.name}`, { field: 'slashingProtection' });
  }
  const withdrawal = perValidator(input.withdrawalAddresses, V, 'withdrawalAddresses');
  const fees = perValidator(input.feeRecipients, V, 'feeRecipients');
  const seen = new Map<string, number>();
  input.validators.forEach((v, i) => {
    const hex = bytesToHex(secretKeyToPublicKey(v.secret));
    if (seen.has(hex)) throw new ValidationError('DUPLICATE_KEY', `${v.source} holds the same key as ${input.validators[seen.get(hex)!]!.source}`, { field: `validators[${i}]` });
    seen.set(hex, i);
  });

  const rng = input.rng ?? systemRandomBytes;
  const splits: SplitResult[] = [];
  const nodeKeys: SecretBytes[] = [];
  let kept: KeptKeystore[] = [];
  let returned = false;
  try {
    for (const v of input.validators) {
      await new Promise((r) => setTimeout(r, 0));
      if (input.signal?.aborted === true) throw new AbortedError('interrupted; nothing was written');
      const res = split(v.secret, { threshold: t, ids: defaultIds(n), rng });
      splits.push(res);
      assertRecombination({ threshold: t, groupPublicKey: res.groupPublicKey, commitments: res.commitments, publicShares: res.publicShares }, { shares: res.shares, rng });
    }
    for (let k = 0; k < n; k++) nodeKeys.push(generateNodeKey(rng));
    const created = createSplitLock({
      validators: input.validators.map((v, i) => ({
        secretKey: v.secret,
        shares: splits[i]!.shares,
        publicShares: splits[i]!.publicShares.map((p) => p.publicKey),
        feeRecipientAddress: fees[i]!,
        withdrawalAddress: withdrawal[i]!,
      })),
      nodeKeys,
      threshold: t,
      network: input.network,
      rng,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.depositAmounts === undefined ? {} : { depositAmounts: input.depositAmounts }),
      ...(input.compounding === undefined ? {} : { compounding: input.compounding }),
      ...(input.targetGasLimit === undefined ? {} : { targetGasLimit: input.targetGasLimit }),
      ...(input.consensusProtocol === undefined ? {} : { consensusProtocol: input.consensusProtocol }),
      ...(input.now === undefined ? {} : { now: input.now }),
    });
    const lockText = serializeClusterLock(created);
    const lock = parseClusterLockText(lockText);
    const report = assertClusterLock(lock, { rng });
    const deposits: DepositDataEntry[] = lock.validators.flatMap((dv) =>
      dv.deposits.map((d) => depositDataFromSignature({ pubkey: d.pubkey, withdrawalCredentials: d.withdrawalCredentials, amount: d.amount }, d.signature, input.network)),
    );

    const items: EncryptItem[] = [];
    const passwords: string[] = [];
    for (let k = 0; k < n; k++) {
      splits.forEach((res) => {
        const password = charonPassword(rng);
        passwords.push(password);
        items.push({
          secret: res.shares[k]!.secret,
          password,
          options: {
            kdf: 'pbkdf2',
            kdfParams: input.kdfParams ?? DEFAULT_PBKDF2,
            description: describeShare({ shareIndex: res.shares[k]!.id, threshold: t, total: n, validatorPubkey: res.groupPublicKey }),
            path: CHARON_KEYSTORE_PATH,
            rng,
          },
        });
      });
    }
    kept = await encryptKeystoresKeepingKeys(items, {
      ...(input.signal === undefined ? {} : { signal: input.signal }),
      ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
      ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
      ...(input.kdfBackend === undefined ? {} : { kdfBackend: input.kdfBackend }),
    });
    const keystores = kept.map((x) => x.keystore);
    keystores.forEach((ks, j) => {
      const k = Math.floor(j / V);
      if (ks.pubkey !== bytesToHex(lock.validators[j % V]!.publicShares[k]!)) {
        throw new VerificationError('KEYSTORE_PUBKEY_MISMATCH', `keystore ${j % V} of ${charonNodeDir(k)} does not hold its share`, { culprits: [charonNodeDir(k)] });
      }
    });
    const files = charonLayout({
      lockText,
      deposits,
      nodes: nodeKeys.map((nodeKey, k) => ({
        nodeKey,
        keystores: splits.map((_res, v) => ({ json: keystoreToJson(keystores[k * V + v]!), password: passwords[k * V + v]! })),
      })),
    });
    let next = 0;
    const map = serializeOperatorsMap({
      layout: 'charon',
      cluster: lock.lockHash,
      threshold: t,
      operators: people.map((o) => ({ name: o.name, nodes: Array.from({ length: o.shares }, () => charonNodeDir(next++)) })),
    });
    const folders = Array.from({ length: n }, (_, k) => charonNodeDir(k));
    files.push(textFile(OPERATORS_FILE, map, 'operators-map', false), ...folders.map((dir) => textFile(`${dir}/${OPERATORS_FILE}`, map, 'operators-map', false)));
    if (input.slashingProtection !== undefined) {
      files.push(...nodeSlashingFiles(input.slashingProtection, lock.validators.map((dv) => ({ pubkey: dv.distributedPublicKey, publicShares: dv.publicShares })), folders));
    }
    const keptKeys = input.keepKeys === true ? new Map(kept.map((x, j) => [`${charonNodeDir(Math.floor(j / V))}/${CHARON_FILES.keystoreDir}/keystore-${j % V}.json`, x.key])) : undefined;
    returned = true;
    return { lock, lockText, report, files, safety, ...(keptKeys === undefined ? {} : { keptKeys }) };
  } finally {
    for (const res of splits) wipeShares(res.shares);
    for (const key of nodeKeys) key.fill(0);
    if (!returned || input.keepKeys !== true) wipeKeptKeys(kept.map((x) => x.key));
  }
}
