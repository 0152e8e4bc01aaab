/**
 * `ceremony.json`: the public record of a split or DKG (design section 3). It holds no secret: the threshold, the
 * operators (share id and folder name), per validator the public key, Feldman commitments and public shares, and
 * the SHA-256 of every non-secret file written (keystores, deposit data), so `verify` can check a tree offline.
 *
 * Format `dvkeys/ceremony` version 1, documented with a worked example in docs/formats/ceremony.md. Parsing is
 * strict: unknown fields, non-canonical hex and inconsistent counts are errors naming the field.
 *
 * @module
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { MAX_SHARES } from '../sharing/ids.js';
import type { SharingPublicData } from '../sharing/recombine.js';
import { toShareIndex } from '../types.js';
import { canonicalJson, expectArray, expectHex, expectInteger, expectObject, expectRecord, expectString, parseJsonText } from '../json.js';

/** The format tag. */
export const MANIFEST_FORMAT = 'dvkeys/ceremony';
/** The format version this code writes and reads. */
export const MANIFEST_VERSION = 1;
/** File name of the manifest, at the root and in every operator folder. */
export const MANIFEST_FILE = 'ceremony.json';
/**
 * Longest manifest text we parse: 256 MiB. A validator costs about 104 bytes per commitment and public share plus
 * about 110 bytes per listed file, so 10,000 validators of 43-of-64 take about 180 MiB. runSplit refuses to make a
 * larger one (review F5: we never write what we would refuse to read).
 */
export const MAX_MANIFEST_TEXT_LENGTH = 256 * 1024 * 1024;
/** Most entries of `files` (one per keystore, deposit and slashing-protection file). */
export const MAX_MANIFEST_FILES = 2_000_000;

/** An upper bound on the manifest text of a ceremony of this size (see MAX_MANIFEST_TEXT_LENGTH). */
export function estimateManifestLength(validators: number, threshold: number, operators: number): number {
  return 4096 + operators * 200 + validators * ((threshold + operators + 1) * 104 + (operators * 2 + 1) * 130);
}
/** Most validators one manifest may describe. */
export const MAX_VALIDATORS = 10_000;

/** One share holder: its share id (Shamir x) and folder name; `group` is the staker running it. */
export interface ManifestOperator {
  readonly index: number;
  readonly name: string;
  readonly group: string;
}

/** One validator's public sharing data. */
export interface ManifestValidator {
  readonly pubkey: Uint8Array;
  readonly commitments: readonly Uint8Array[];
  /** Public shares in operator order. */
  readonly publicShares: readonly Uint8Array[];
  readonly withdrawalCredentials?: Uint8Array;
}

/** The parsed manifest. */
export interface Manifest {
  readonly kind: 'split' | 'dkg' | 'reshare' | 'refresh';
  readonly network: string | null;
  readonly forkVersion: Uint8Array | null;
  readonly threshold: number;
  readonly operators: readonly ManifestOperator[];
  readonly validators: readonly ManifestValidator[];
  /** Relative path (forward slashes) -> lowercase SHA-256 hex, for every non-secret file but the manifests. */
  readonly files: Readonly<Record<string, string>>;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PATH_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,2}$/;

/** Checks that a folder or operator name is a safe single path segment (lowercase, digits, . _ -). */
export function assertSafeName(name: string, field: string): string {
  if (!NAME_RE.test(name)) {
    throw new ValidationError('INVALID_FORMAT', `'${field}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`, { field });
  }
  return name;
}

/** The sharing data of validator `v` in the shape recombine.ts checks. */
export function sharingData(manifest: Manifest, v: number): SharingPublicData {
  const val = manifest.validators[v]!;
  return {
    threshold: manifest.threshold,
    groupPublicKey: val.pubkey,
    commitments: val.commitments,
    publicShares: manifest.operators.map((op, i) => ({ id: toShareIndex(op.index), publicKey: val.publicShares[i]! })),
  };
}

/** Serialises a manifest canonically (fixed key order, 0x hex, two-space indentation). */
export function serializeManifest(m: Manifest): string {
  const hex = (b: Uint8Array): string => bytesToHex(b, true);
  return canonicalJson({
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    kind: m.kind,
    network: m.network,
    fork_version: m.forkVersion === null ? null : hex(m.forkVersion),
    threshold: m.threshold,
    operators: m.operators.map((o) => ({ index: o.index, name: o.name, group: o.group })),
    validators: m.validators.map((v) => ({
      pubkey: hex(v.pubkey),
      commitments: v.commitments.map(hex),
      public_shares: v.publicShares.map(hex),
      ...(v.withdrawalCredentials === undefined ? {} : { withdrawal_credentials: hex(v.withdrawalCredentials) }),
    })),
    files: Object.fromEntries(Object.entries(m.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  });
}

/**
 * Parses `ceremony.json` text strictly.
 * @throws ValidationError `INVALID_JSON`, `INVALID_FORMAT` (unknown or missing field, wrong type, bad counts),
 *   `INVALID_HEX`/`INVALID_LENGTH` (hex fields), `LIMIT_EXCEEDED`, `INVALID_SHARE_ID`/`DUPLICATE_SHARE_ID`; each
 *   names the field.
 */
export function parseManifest(text: string, source = MANIFEST_FILE): Manifest {
  const root = expectObject(parseJsonText(text, MAX_MANIFEST_TEXT_LENGTH, source), 'ceremony', [
    'format', 'version', 'kind', 'network', 'fork_version', 'threshold', 'operators', 'validators', 'files',
  ]);
  if (root['format'] !== MANIFEST_FORMAT) {
    throw new ValidationError('INVALID_FORMAT', `'ceremony.format' must be '${MANIFEST_FORMAT}'`, { field: 'ceremony.format' });
  }
  if (root['version'] !== MANIFEST_VERSION) {
    throw new ValidationError('INVALID_FORMAT', `'ceremony.version' ${String(root['version']).slice(0, 20)} is not supported (this dvkeys reads version ${MANIFEST_VERSION})`, { field: 'ceremony.version' });
  }
  const kind = root['kind'];
  if (kind !== 'split' && kind !== 'dkg' && kind !== 'reshare' && kind !== 'refresh') {
    throw new ValidationError('INVALID_FORMAT', "'ceremony.kind' must be 'split', 'dkg', 'reshare' or 'refresh'", { field: 'ceremony.kind' });
  }
  const network = root['network'] === null ? null : expectString(root['network'], 'ceremony.network', 64);
  const forkVersion = root['fork_version'] === null ? null : expectHex(root['fork_version'], 'ceremony.fork_version', 4);
  const operators = expectArray(root['operators'], 'ceremony.operators', MAX_SHARES).map((o, i) => {
    const f = `ceremony.operators[${i}]`;
    const obj = expectObject(o, f, ['index', 'name', 'group']);
    return {
      index: expectInteger(obj['index'], `${f}.index`, 1, Number.MAX_SAFE_INTEGER),
      name: assertSafeName(expectString(obj['name'], `${f}.name`, 64), `${f}.name`),
      group: assertSafeName(expectString(obj['group'], `${f}.group`, 64), `${f}.group`),
    };
  });
  const n = operators.length;
  if (n === 0) throw new ValidationError('INVALID_FORMAT', "'ceremony.operators' is empty", { field: 'ceremony.operators' });
  const seenIdx = new Set<number>();
  const seenName = new Set<string>();
  operators.forEach((o, i) => {
    toShareIndex(o.index, `ceremony.operators[${i}].index`);
    if (seenIdx.has(o.index) || seenName.has(o.name)) {
      throw new ValidationError('DUPLICATE_SHARE_ID', `'ceremony.operators[${i}]' repeats an index or name`, { field: `ceremony.operators[${i}]` });
    }
    seenIdx.add(o.index);
    seenName.add(o.name);
  });
  const threshold = expectInteger(root['threshold'], 'ceremony.threshold', 1, n);
  const validators = expectArray(root['validators'], 'ceremony.validators', MAX_VALIDATORS).map((v, i) => {
    const f = `ceremony.validators[${i}]`;
    const obj = expectObject(v, f, ['pubkey', 'commitments', 'public_shares'], ['withdrawal_credentials']);
    const commitments = expectArray(obj['commitments'], `${f}.commitments`, MAX_SHARES);
    const publicShares = expectArray(obj['public_shares'], `${f}.public_shares`, MAX_SHARES);
    if (commitments.length !== threshold) {
      throw new ValidationError('INVALID_FORMAT', `'${f}.commitments' has ${commitments.length} entries, expected the threshold ${threshold}`, { field: `${f}.commitments` });
    }
    if (publicShares.length !== n) {
      throw new ValidationError('INVALID_FORMAT', `'${f}.public_shares' has ${publicShares.length} entries, expected ${n} (one per operator)`, { field: `${f}.public_shares` });
    }
    return {
      pubkey: expectHex(obj['pubkey'], `${f}.pubkey`, 48),
      commitments: commitments.map((c, j) => expectHex(c, `${f}.commitments[${j}]`, 48)),
      publicShares: publicShares.map((p, j) => expectHex(p, `${f}.public_shares[${j}]`, 48)),
      ...(obj['withdrawal_credentials'] === undefined
        ? {}
        : { withdrawalCredentials: expectHex(obj['withdrawal_credentials'], `${f}.withdrawal_credentials`, 32) }),
    };
  });
  if (validators.length === 0) throw new ValidationError('INVALID_FORMAT', "'ceremony.validators' is empty", { field: 'ceremony.validators' });
  const filesObj = expectRecord(root['files'], 'ceremony.files');
  const files: Record<string, string> = {};
  const entries = Object.entries(filesObj);
  if (entries.length > MAX_MANIFEST_FILES) {
    throw new ValidationError('LIMIT_EXCEEDED', "'ceremony.files' has too many entries", { field: 'ceremony.files' });
  }
  for (const [path, hash] of entries) {
    const f = `ceremony.files[${JSON.stringify(path)}]`;
    if (!PATH_RE.test(path) || path.split('/').includes('..')) {
      throw new ValidationError('INVALID_FORMAT', `${f} is not a safe relative path`, { field: f });
    }
    files[path] = bytesToHex(hexToBytes(expectString(hash, f, 64), f, { length: 32, prefix: 'forbidden' }));
  }
  return { kind, network, forkVersion, threshold, operators, validators, files };
}
