/**
 * The folder a new holder writes at the end of a lifecycle step (docs/protocols/lifecycle.md "CLI";
 * docs/decisions/1006-lifecycle-output.md): `ceremony.json` (kind `reshare` or `refresh`, the same bytes for every
 * new holder, computed from public data only, with the SAME validator pubkeys and the old cluster's network and
 * withdrawal credentials; for a repair the old cluster's ceremony.json unchanged) and `keystore-<v>.json` (+ `.txt`)
 * per validator, each keystore's pubkey checked against the holder's public share, and for a reshare or refresh
 * `lifecycle-plan.json`, the plan the holder enrolled in (a repair of such a cluster: the plan it was made under;
 * decision 1013; {@link folderPlan} checks it). Pure: shares in, files out.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { parseJsonText } from '../json.js';
import { encryptKeystores, type EncryptItem } from '../keys/batch.js';
import { describeShare, keystoreToJson, type EncryptOptions, type KdfChoice } from '../keys/keystore.js';
import { generatePassword } from '../keys/password.js';
import type { PublicShare, RandomBytes, SecretShare } from '../types.js';
import { systemRandomBytes } from '../random.js';
import { secretTextFile, textFile, type CeremonyFile } from './files.js';
import { assertPlanOfManifest, PLAN_FILE, parsePlan, type LifecyclePlan } from './lifecycle-plan.js';
import type { Snapshot } from './tree.js';
import { fileText } from './tree.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH, serializeManifest, type Manifest } from './manifest.js';

/** The new public data of one validator (a reshare's or refresh's output; for a repair, unused). */
export interface LifecyclePublicValidator {
  readonly groupPublicKey: Uint8Array;
  readonly commitments?: readonly Uint8Array[];
  readonly publicShares: readonly PublicShare[];
}

/**
 * The new cluster's ceremony.json: for a reshare or refresh from the new public data, for a repair the old one.
 * @throws ValidationError `INVALID_FORMAT` (public data not of the plan: a bug), `LIMIT_EXCEEDED`.
 */
export function lifecycleManifest(plan: LifecyclePlan, publicData: readonly LifecyclePublicValidator[]): Manifest {
  if (plan.kind === 'repair') return plan.old;
  const old = plan.old;
  if (publicData.length !== old.validators.length) throw new ValidationError('INVALID_FORMAT', 'the new public data do not cover every validator', { field: 'validators' });
  const manifest: Manifest = {
    kind: plan.kind,
    network: old.network,
    forkVersion: old.forkVersion,
    threshold: plan.newThreshold,
    operators: plan.recipients.map((r) => ({ index: Number(r.id), name: r.name, group: r.group })),
    validators: publicData.map((d, v) => {
      const was = old.validators[v]!;
      if (bytesToHex(d.groupPublicKey) !== bytesToHex(was.pubkey) || d.commitments === undefined || d.publicShares.length !== plan.recipients.length) {
        throw new ValidationError('INVALID_FORMAT', `validator ${v}: the new public data are not of this plan`, { field: `validators[${v}]` });
      }
      return {
        pubkey: Uint8Array.from(was.pubkey),
        commitments: d.commitments.map((c) => Uint8Array.from(c)),
        publicShares: plan.recipients.map((r) => Uint8Array.from(d.publicShares.find((y) => y.id === r.id)!.publicKey)),
        ...(was.withdrawalCredentials === undefined ? {} : { withdrawalCredentials: Uint8Array.from(was.withdrawalCredentials) }),
      };
    }),
    files: {},
  };
  if (serializeManifest(manifest).length > MAX_MANIFEST_TEXT_LENGTH) throw new ValidationError('LIMIT_EXCEEDED', 'the new ceremony.json would be larger than dvkeys reads back', { field: 'validators' });
  return manifest;
}

/** Input of {@link lifecycleFolderFiles}. */
export interface LifecycleFolderInput {
  readonly plan: LifecyclePlan;
  readonly manifest: Manifest;
  /** This holder's share of every validator (the caller wipes them). */
  readonly shares: readonly SecretShare[];
  readonly kdf: KdfChoice;
  readonly kdfParams?: EncryptOptions['kdfParams'];
  readonly sharePassword?: string;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Encrypts the holder's shares and lays out its folder.
 * @throws VerificationError `KEYSTORE_PUBKEY_MISMATCH` (a share that is not the holder's public share: a bug or a
 *   hardware fault); keystore errors; AbortedError.
 */
export async function lifecycleFolderFiles(input: LifecycleFolderInput): Promise<CeremonyFile[]> {
  const { manifest, shares } = input;
  const rng = input.rng ?? systemRandomBytes;
  const me = shares[0]?.id;
  const at = manifest.operators.findIndex((o) => BigInt(o.index) === me);
  if (at < 0 || shares.length !== manifest.validators.length) throw new ValidationError('INVALID_FORMAT', 'the shares are not of one holder of this cluster', { field: 'shares' });
  const passwords: (string | undefined)[] = [];
  const items: EncryptItem[] = shares.map((s, v) => {
    const password = input.sharePassword ?? generatePassword(rng);
    passwords.push(input.sharePassword === undefined ? password : undefined);
    return {
      secret: s.secret,
      password,
      options: {
        kdf: input.kdf,
        description: describeShare({ shareIndex: Number(s.id), threshold: manifest.threshold, total: manifest.operators.length, validatorPubkey: manifest.validators[v]!.pubkey }),
        path: '',
        rng,
        ...(input.kdfParams === undefined ? {} : { kdfParams: input.kdfParams }),
      },
    };
  });
  const keystores = await encryptKeystores(items, { ...(input.signal === undefined ? {} : { signal: input.signal }), ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }) });
  const files: CeremonyFile[] = [];
  keystores.forEach((ks, v) => {
    if (ks.pubkey !== bytesToHex(manifest.validators[v]!.publicShares[at]!)) {
      throw new VerificationError('KEYSTORE_PUBKEY_MISMATCH', `keystore ${v} does not hold share ${me}`, { field: `keystore-${v}.json` });
    }
    files.push(textFile(`keystore-${v}.json`, keystoreToJson(ks), 'keystore', true));
    const password = passwords[v];
    if (password !== undefined) files.push(secretTextFile(`keystore-${v}.txt`, password, 'password'));
  });
  // decision 1013: the plan this holder enrolled in (a repair: the plan the cluster was made under, if any), so that
  // `start` and `verify` tie the folder to it
  const planText = input.plan.kind === 'repair' ? input.plan.oldPlan?.text : input.plan.text;
  if (planText !== undefined) files.push(textFile(PLAN_FILE, planText, 'lifecycle-plan', false));
  files.push(textFile(MANIFEST_FILE, serializeManifest(manifest), 'manifest', false));
  return files;
}

/**
 * The plan a reshare or refresh folder was finalized under: its `lifecycle-plan.json`, parsed and checked against
 * the folder's ceremony.json (decision 1013): the same kind, network, fork version, threshold, operators (share id,
 * name, group) and validators (pubkey and withdrawal credentials) that finalize derives from the plan. The new
 * commitments and public shares come from the dealings, which the folder does not keep; they are checked by the
 * recombination checks and the keystores.
 * @throws ValidationError `INVALID_FORMAT` (no plan copy: a folder finalized before decision 1013 or stripped),
 *   `CEREMONY_MISMATCH` (a plan copy of another cluster), and everything parsePlan throws; each names the file.
 */
export function folderPlan(manifest: Manifest, files: Snapshot, label: string): LifecyclePlan {
  const source = `${label}/${PLAN_FILE}`;
  const bytes = files.get(PLAN_FILE);
  if (bytes === undefined) throw new ValidationError('INVALID_FORMAT', `${source} is missing: a ${manifest.kind} folder records the plan it was finalized under`, { field: source });
  const text = fileText(bytes, source);
  let plan: LifecyclePlan;
  try {
    plan = parsePlan(parseJsonText(text, MAX_MANIFEST_TEXT_LENGTH, source));
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.code, `${source}: ${e.message}`, { field: source });
    throw e;
  }
  if (plan.text !== text) throw new ValidationError('INVALID_FORMAT', `${source} is not the plan's canonical text`, { field: source });
  assertPlanOfManifest(plan, manifest, source);
  return plan;
}
