/**
 * A DKG participant's output folder in the split layout (design section 3; docs/decisions/0700-dkg-output-layout.md),
 * so that `dvkeys verify` and `dvkeys combine` work on DKG outputs unchanged. Pure: outputs in, files out.
 *
 * ```
 * <folder>/ceremony.json          dkgManifest: kind "dkg", identical bytes in every operator's folder
 * <folder>/keystore-<v>.json      EIP-2335 v4 of this operator's share of validator v (0-based), pubkey = its public share
 * <folder>/keystore-<v>.txt       its generated password (absent when the operator chose one)
 * <folder>/dkg-recovery.json      the recovery data (public): host key + this file rebuild the folder (`dkg recover`)
 * ```
 *
 * No `deposit-data.json`: the file a staker uploads exists only beside the deposit certificate of all n operators
 * (round 3, decision 0431). `dkg collect` of the n READY messages writes both, and `dkg deposit-data` writes them
 * into an operator's folder from the certificate; both take the deposit data from {@link dkgReadyExpectation}.
 *
 * Every operator builds `ceremony.json` alone, from public data only (the definition and the public outputs every
 * operator holds after a successful ceremony), so the n folders carry the same bytes and the same fingerprint. Its
 * `files` map is empty: keystores (different in every folder, and unknown to the other operators) and passwords are
 * not listed, and the deposit data are bound by the deposit certificate (which signs their roots and this file's
 * fingerprint) instead of a hash here. Each keystore is bound to the manifest by its pubkey, which must be the
 * operator's public share.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { VerificationError } from '../errors.js';
import { parseRecoveryData, type ParticipantOutput, type RecoveryDataJson } from '../dkg/index.js';
import { encryptKeystoresKeepingKeys, type EncryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { wipeKeptKeys, type KeptKey } from '../keys/kept-key.js';
import { describeShare, keystoreToJson, type EncryptOptions, type KdfChoice } from '../keys/keystore.js';
import { generatePassword } from '../keys/password.js';
import type { RandomBytes } from '../types.js';
import { systemRandomBytes } from '../random.js';
import { dvkeysAdapter } from './adapters/dvkeys.js';
import { DKG_RECOVERY_FILE, canonicalRecoveryText, dkgCluster, dkgManifest, publicOutputOf } from './dkg-record.js';
import { secretTextFile, textFile, type CeremonyFile, type CeremonyFileKind } from './files.js';
import { MANIFEST_FILE, serializeManifest, type Manifest, type ManifestOperator } from './manifest.js';

export {
  DKG_RECOVERY_FILE,
  canonicalRecoveryText,
  dkgCluster,
  dkgDepositDataText,
  dkgManifest,
  dkgOperatorNames,
  dkgOperators,
  dkgReadyExpectation,
  publicOutputOf,
} from './dkg-record.js';
export type { DkgPublicOutput, DkgPublicValidator, DkgReadyExpectation } from './dkg-record.js';

/** Input of {@link runDkgOutput}. */
export interface DkgOutputInput {
  /** The participant's output (from finalizeParticipant or recover); the caller wipes its shares. */
  readonly output: ParticipantOutput;
  /** The recovery data of the same ceremony. */
  readonly recovery: RecoveryDataJson;
  readonly kdf: KdfChoice;
  /** KDF cost overrides (tests only). */
  readonly kdfParams?: EncryptOptions['kdfParams'];
  /** One password for every keystore; without it each gets a generated one in `keystore-<v>.txt`. */
  readonly sharePassword?: string;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
  /** Keep each keystore's derived key (output `keptKeys`) for the read-back check; the caller wipes them. */
  readonly keepKeys?: boolean;
}

/** What a file of a DKG folder is: the split layout's kinds plus the recovery data. */
export type DkgFileKind = CeremonyFileKind | 'dkg-recovery';

/** One file of a DKG operator folder. */
export interface DkgOutputFile extends Omit<CeremonyFile, 'kind'> {
  readonly kind: DkgFileKind;
}

/** Output of {@link runDkgOutput}. */
export interface DkgOutputFiles {
  readonly manifest: Manifest;
  /** This participant's operator entry in the manifest. */
  readonly operator: ManifestOperator;
  /** The folder's files, paths relative to the folder; secret ones marked (wipe password bytes after writing). */
  readonly files: readonly DkgOutputFile[];
  /** With `keepKeys`: the derived key of every keystore, by file name (`keystore-<v>.json`). */
  readonly keptKeys?: ReadonlyMap<string, KeptKey>;
}

/**
 * Encrypts the participant's shares and lays out its folder (see the module documentation). Every keystore's pubkey
 * is checked against the participant's public share before anything is returned.
 * @throws DvkeysError `CEREMONY_MISMATCH` (output and recovery data of different ceremonies); VerificationError
 *   `KEYSTORE_PUBKEY_MISMATCH` (a bug or a hardware fault); keystore errors; AbortedError.
 */
export async function runDkgOutput(input: DkgOutputInput): Promise<DkgOutputFiles> {
  const { output } = input;
  const definition = parseRecoveryData(input.recovery).definition;
  const pub = publicOutputOf(output, definition);
  const manifest = dkgManifest(pub);
  const operator = manifest.operators[output.index - 1]!;
  const rng = input.rng ?? systemRandomBytes;
  const passwords: (string | undefined)[] = [];
  const items: EncryptItem[] = output.validators.map((v) => {
    const password = input.sharePassword ?? generatePassword(rng);
    passwords.push(input.sharePassword === undefined ? password : undefined);
    return {
      secret: v.share.secret,
      password,
      options: {
        kdf: input.kdf,
        description: describeShare({ shareIndex: output.index, threshold: output.threshold, total: output.participants, validatorPubkey: v.pubkey }),
        path: '',
        rng,
        ...(input.kdfParams === undefined ? {} : { kdfParams: input.kdfParams }),
      },
    };
  });
  const kept = await encryptKeystoresKeepingKeys(items, {
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
    ...(input.kdfBackend === undefined ? {} : { kdfBackend: input.kdfBackend }),
  });
  let returned = false;
  try {
    const files: DkgOutputFile[] = [];
    kept.forEach(({ keystore: ks }, v) => {
      if (ks.pubkey !== bytesToHex(manifest.validators[v]!.publicShares[output.index - 1]!)) {
        throw new VerificationError('KEYSTORE_PUBKEY_MISMATCH', `keystore ${v} does not hold participant ${output.index}'s share`, { field: `keystore-${v}.json` });
      }
      files.push(textFile(`keystore-${v}.json`, keystoreToJson(ks), 'keystore', true));
      const password = passwords[v];
      if (password !== undefined) files.push(secretTextFile(`keystore-${v}.txt`, password, 'password'));
    });
    files.push({ ...textFile(DKG_RECOVERY_FILE, canonicalRecoveryText(input.recovery), 'manifest', false), kind: 'dkg-recovery' });
    // ceremony.json as the dvkeys layout adapter writes it for this cluster (the root copy; every folder's is the same).
    const record = dvkeysAdapter.toLayout(dkgCluster(pub)).find((f) => f.path === MANIFEST_FILE)!;
    if (new TextDecoder().decode(record.bytes) !== serializeManifest(manifest)) throw new VerificationError('CEREMONY_MISMATCH', 'the DKG ceremony.json differs from the cluster record (a bug)', { field: MANIFEST_FILE });
    files.push(record);
    const keptKeys = input.keepKeys === true ? new Map(kept.map((x, v) => [`keystore-${v}.json`, x.key])) : undefined;
    returned = true;
    return { manifest, operator, files, ...(keptKeys === undefined ? {} : { keptKeys }) };
  } finally {
    if (!returned || input.keepKeys !== true) wipeKeptKeys(kept.map((x) => x.key));
  }
}
