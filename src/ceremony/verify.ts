/**
 * `verify`: re-checks a written ceremony tree or a single operator folder offline (design section 4, issue 5):
 * the manifest, the SHA-256 of every listed file, the recombination checks of every validator's public data,
 * each keystore's pubkey against its public share, and, where passwords are present or given, the decrypted
 * shares (check 1, and check 4 when at least t operators' shares are present).
 *
 * Pure: it reads an in-memory snapshot built by the CLI. Every check becomes a report line; nothing throws for a
 * failed check (malformed input still throws on the manifest itself).
 *
 * @module
 */
import { bytesToHex, utf8 } from '../bytes.js';
import { ValidationError, VerificationError, type ErrorCode } from '../errors.js';
import { MAX_DEPOSIT_DATA_TEXT_LENGTH, verifyDepositData } from '../eth/deposit-file.js';
import { parseJsonText } from '../json.js';
import { DEPOSIT_FILE } from './layouts/dvkeys.js';
import { decryptKeystoresSettled, type DecryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { checkMaxKdfWork, kdfWorkOf, kdfWorkRefusal } from '../keys/kdf-work.js';
import { checkRecombination } from '../sharing/recombine.js';
import type { RandomBytes, SecretShare } from '../types.js';
import { toShareIndex } from '../types.js';
import { fileHash } from './files.js';
import { compareFingerprint } from './fingerprint.js';
import { parseManifest, sharingData, type Manifest } from './manifest.js';
import { attempt, fileText, folderKeystores, identifyOperator, type FolderSnapshot, type FoundKeystore } from './tree.js';

/**
 * The ceremony fingerprint: lowercase SHA-256 hex of the exact `ceremony.json` text. Operators compare it over a
 * trusted channel (read aloud, a signed message): equal fingerprints mean every folder belongs to one sharing.
 */
export function ceremonyFingerprint(manifestText: string): string {
  return fileHash(utf8(manifestText));
}

/** One line of a verification report. */
export interface VerifyLine {
  readonly check: 'manifest' | 'files' | 'sharing' | 'keystores' | 'shares';
  readonly subject: string;
  readonly status: 'pass' | 'fail' | 'skipped';
  readonly detail: string;
  readonly code?: ErrorCode;
  readonly culprits?: readonly string[];
}

/** A verification report: ok when no line failed. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: Manifest;
  /** Operator names whose folders were checked. */
  readonly operators: readonly string[];
  readonly lines: readonly VerifyLine[];
  /** {@link ceremonyFingerprint} of the manifest verified. */
  readonly fingerprint: string;
}

/** Input of {@link verifyCeremony}. */
export interface VerifyCeremonyInput {
  /** The manifest text to trust (the root one for a tree, the folder's copy for a single folder). */
  readonly manifestText: string;
  readonly manifestSource: string;
  /** Operator folders present. */
  readonly folders: readonly FolderSnapshot[];
  /** Files at the root of a whole tree (deposit data), checked against the manifest. */
  readonly rootFiles?: FolderSnapshot;
  /** True for a whole tree: every operator's folder must be present, and names must match. */
  readonly wholeTree: boolean;
  /** A password for every share keystore (else the `.txt` beside each one, where present). */
  readonly password?: string;
  /**
   * The ceremony fingerprint (SHA-256 of ceremony.json) the operator got over a channel other than the one that
   * carried the folder. Without it, a single folder can only be checked against its own ceremony.json, which a
   * dishonest dealer could have made for that folder alone (docs/threat-model.md).
   */
  readonly expectedFingerprint?: string;
  /** Skip decryption even where passwords exist. */
  readonly noDecrypt?: boolean;
  /**
   * Total KDF work allowed for the keystores to decrypt, in units of one default EIP-2335 keystore (keys/kdf-work.ts);
   * default 2 per keystore. Checked before any KDF runs; above it nothing is decrypted and a `LIMIT_EXCEEDED` line
   * fails the report. Refused with `noDecrypt` (it would do nothing).
   */
  readonly maxKdfWork?: number;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
}

const line = (l: VerifyLine): VerifyLine => l;

/**
 * Runs every check and reports each.
 * @throws ValidationError when the manifest itself cannot be parsed, and `INVALID_ARGUMENT` for a bad `maxKdfWork`
 *   (or one given with `noDecrypt`).
 */
export async function verifyCeremony(input: VerifyCeremonyInput): Promise<VerifyReport> {
  checkKdfWorkOption(input.maxKdfWork, input.noDecrypt);
  const manifest = parseManifest(input.manifestText, input.manifestSource);
  const lines: VerifyLine[] = [line({ check: 'manifest', subject: input.manifestSource, status: 'pass', detail: `${manifest.kind} ceremony, ${manifest.threshold}-of-${manifest.operators.length}, ${manifest.validators.length} validator(s)` })];
  const found: { k: number; folder: FolderSnapshot; keystores: FoundKeystore[] }[] = [];

  if (input.expectedFingerprint !== undefined) {
    const c = compareFingerprint(ceremonyFingerprint(input.manifestText), input.expectedFingerprint, 'ceremony.json');
    lines.push(line({ check: 'manifest', subject: 'fingerprint', status: c.ok ? 'pass' : 'fail', ...(c.code === undefined ? {} : { code: c.code }), detail: c.detail }));
  }
  for (const folder of input.folders) {
    const copy = folder.files.get('ceremony.json');
    if (copy === undefined && input.wholeTree) {
      lines.push(line({ check: 'manifest', subject: `${folder.label}/ceremony.json`, status: 'fail', code: 'INVALID_FORMAT', detail: 'is missing (every operator folder carries a copy)' }));
    } else if (copy !== undefined && fileText(copy, `${folder.label}/ceremony.json`) !== input.manifestText) {
      lines.push(line({ check: 'manifest', subject: `${folder.label}/ceremony.json`, status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'differs from the ceremony.json being verified' }));
    }
    const res = attempt(() => {
      const keystores = folderKeystores(folder, manifest);
      return { keystores, k: identifyOperator(folder, manifest, keystores) };
    });
    if (!res.ok) {
      lines.push(line({ check: 'keystores', subject: folder.label, status: 'fail', code: res.error.code, detail: res.error.message }));
      continue;
    }
    const { k, keystores } = res.value;
    const op = manifest.operators[k]!;
    if (found.some((f) => f.k === k)) {
      lines.push(line({ check: 'keystores', subject: folder.label, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `a second folder of operator ${op.name}` }));
      continue;
    }
    found.push({ k, folder, keystores });
    const missing = manifest.validators.length - keystores.length;
    lines.push(line({
      check: 'keystores',
      subject: folder.label,
      status: missing === 0 ? 'pass' : 'fail',
      ...(missing === 0 ? {} : { code: 'INVALID_FORMAT' as const }),
      detail: missing === 0 ? `operator ${op.name} (share ${op.index}): ${keystores.length} keystore pubkey(s) match their public shares` : `operator ${op.name}: ${missing} keystore(s) missing`,
    }));
    if (input.wholeTree && folder.label.split('/').pop() !== op.name) {
      lines.push(line({ check: 'files', subject: folder.label, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `holds the shares of ${op.name}` }));
    }
    lines.push(checkHashes(manifest, op.name, folder));
  }
  if (input.rootFiles !== undefined) lines.push(checkHashes(manifest, '', input.rootFiles));
  const depositSource = input.rootFiles ?? input.folders[0];
  // deposit-data.json, and deposit-data-<a>-<b>.json of validators added later (decision 1011)
  for (const [name, bytes] of depositSource?.files ?? []) {
    if (name === DEPOSIT_FILE || ADDED_DEPOSIT_FILE.test(name)) lines.push(checkDeposits(manifest, fileText(bytes, `${depositSource!.label}/${name}`), name));
  }
  if (input.wholeTree) {
    const absent = manifest.operators.filter((_o, k) => !found.some((f) => f.k === k)).map((o) => o.name);
    if (absent.length > 0) lines.push(line({ check: 'files', subject: 'tree', status: 'fail', code: 'INVALID_FORMAT', detail: `operator folder(s) missing: ${absent.join(', ')}` }));
  }

  if (input.noDecrypt === true) lines.push(line({ check: 'shares', subject: 'keystores', status: 'skipped', detail: 'not decrypted (--no-decrypt): public data checked only' }));
  const shares = input.noDecrypt === true ? undefined : await decryptFound(manifest, found, input, lines);
  try {
    manifest.validators.forEach((val, v) => {
      const mine = shares?.filter((s) => s.v === v).map((s) => s.share);
      const res = attempt(() => checkRecombination(sharingData(manifest, v), { ...(mine && mine.length > 0 ? { shares: mine } : {}), ...(input.rng ? { rng: input.rng } : {}) }));
      const subject = `validator ${v} ${bytesToHex(val.pubkey, true).slice(0, 14)}…`;
      if (!res.ok) {
        lines.push(line({ check: 'sharing', subject, status: 'fail', code: res.error.code, detail: res.error.message }));
        return;
      }
      for (const c of res.value.checks) {
        lines.push(line({ check: c.check === 'shares' || c.check === 'threshold-signature' ? 'shares' : 'sharing', subject: `${subject} ${c.check}`, status: c.status, detail: c.detail, ...(c.code ? { code: c.code } : {}), culprits: c.culprits.map((id) => nameOf(manifest, id)) }));
      }
    });
  } finally {
    for (const s of shares ?? []) s.share.secret.fill(0);
  }
  return {
    ok: lines.every((l) => l.status !== 'fail'),
    manifest,
    operators: found.map((f) => manifest.operators[f.k]!.name),
    lines,
    fingerprint: ceremonyFingerprint(input.manifestText),
  };
}

/**
 * A share that is not decrypted is not verified: its keystore's `pubkey` field is only a claim, and a dishonest
 * dealer could ship a keystore whose secret is unrelated to it (issue 15). So a keystore left undecrypted for want
 * of a password fails the report; `--no-decrypt` (noDecrypt) is the explicit way to check public data only.
 */
export function notDecrypted(files: readonly string[]): { readonly check: 'shares'; readonly subject: string; readonly status: 'fail'; readonly code: ErrorCode; readonly detail: string } {
  const first = files.slice(0, 3).join(', ');
  return {
    check: 'shares',
    subject: 'keystores',
    status: 'fail',
    code: 'SHARES_NOT_DECRYPTED',
    detail: `${files.length} keystore(s) not decrypted for want of a password (${first}${files.length > 3 ? ', …' : ''}), so their shares are not verified; give --password-file, or --no-decrypt to check public data only`,
  };
}

/**
 * Checks the `maxKdfWork` option of verify (ceremony and Charon trees alike).
 * @throws ValidationError `INVALID_ARGUMENT` naming `maxKdfWork`.
 */
export function checkKdfWorkOption(maxKdfWork: number | undefined, noDecrypt: boolean | undefined): void {
  if (maxKdfWork === undefined) return;
  checkMaxKdfWork(maxKdfWork);
  if (noDecrypt === true) throw new ValidationError('INVALID_ARGUMENT', "'maxKdfWork' limits decryption, which 'noDecrypt' skips: give one of them", { field: 'maxKdfWork' });
}

function nameOf(manifest: Manifest, id: string): string {
  return manifest.operators.find((o) => String(o.index) === id)?.name ?? id;
}

/** Hashes of the manifest's files in one folder (`name` = '' for the root's own files). */
function checkHashes(manifest: Manifest, name: string, folder: FolderSnapshot): VerifyLine {
  const bad: string[] = [];
  let count = 0;
  for (const [path, hash] of Object.entries(manifest.files)) {
    const inFolder = name === '' ? !path.includes('/') : path.startsWith(`${name}/`);
    if (!inFolder) continue;
    count++;
    const bytes = folder.files.get(name === '' ? path : path.slice(name.length + 1));
    if (bytes === undefined) bad.push(`${path} missing`);
    else if (fileHash(bytes) !== hash) bad.push(`${path} altered`);
  }
  return bad.length === 0
    ? line({ check: 'files', subject: folder.label, status: 'pass', detail: `${count} file hash(es) match ceremony.json` })
    : line({ check: 'files', subject: folder.label, status: 'fail', code: 'INVALID_FORMAT', detail: bad.join('; ') });
}

/** The deposit data of validators added to a cluster later (add-validators.ts). */
const ADDED_DEPOSIT_FILE = /^deposit-data-[0-9]+-[0-9]+\.json$/;

/** deposit-data.json (or an added range's): every entry verifies, for the manifest's validators and network. */
function checkDeposits(manifest: Manifest, text: string, name: string): VerifyLine {
  const res = attempt(() => {
    const entries = verifyDepositData(parseJsonText(text, MAX_DEPOSIT_DATA_TEXT_LENGTH, name), manifest.network === null ? {} : { network: manifest.network });
    const keys = new Set(manifest.validators.map((v) => bytesToHex(v.pubkey)));
    const stray = entries.find((e) => !keys.has(bytesToHex(e.pubkey)));
    if (stray !== undefined) throw new VerificationError('DEPOSIT_INVALID', `an entry is for ${bytesToHex(stray.pubkey, true)}, not a validator of this ceremony`, { field: name });
    return entries.length;
  });
  return res.ok
    ? line({ check: 'files', subject: name, status: 'pass', detail: `${res.value} deposit(s): roots and signatures verify for this ceremony's validators` })
    : line({ check: 'files', subject: name, status: 'fail', code: res.error.code, detail: res.error.message });
}

async function decryptFound(
  manifest: Manifest,
  found: readonly { k: number; keystores: readonly FoundKeystore[] }[],
  input: VerifyCeremonyInput,
  lines: VerifyLine[],
): Promise<{ v: number; share: SecretShare }[]> {
  const items: DecryptItem[] = [];
  const meta: { k: number; v: number }[] = [];
  for (const f of found) {
    for (const ks of f.keystores) {
      const password = input.password ?? ks.password;
      if (password === undefined) continue;
      items.push({ keystore: ks.keystore, password, source: ks.file });
      meta.push({ k: f.k, v: ks.validator });
    }
  }
  const undecrypted = found.flatMap((f) => f.keystores.filter((ks) => (input.password ?? ks.password) === undefined).map((ks) => ks.file));
  if (undecrypted.length > 0) lines.push(notDecrypted(undecrypted));
  if (items.length === 0) return [];
  const refused = kdfWorkRefusal(kdfWorkOf(items.map((it, i) => ({ keystore: it.keystore, source: it.source ?? `items[${i}]` })), input.maxKdfWork));
  if (refused !== undefined) {
    lines.push(line({ check: 'shares', subject: 'keystores', status: 'fail', code: refused.code, detail: refused.message }));
    return [];
  }
  const options = {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.kdfBackend ? { kdfBackend: input.kdfBackend } : {}),
  };
  // Every KDF runs once, each keystore's failure kept apart, so one bad keystore hides no other check (review F17)
  // and costs no second pass (attack a09): the work spent is the work counted against the budget.
  const outcomes = await decryptKeystoresSettled(items, { ...options, ...(input.onProgress ? { onProgress: input.onProgress } : {}) });
  const secrets = outcomes.map((o) => (o.ok ? o.secret : undefined));
  if (outcomes.every((o) => o.ok)) {
    lines.push(line({ check: 'shares', subject: 'keystores', status: 'pass', detail: `${items.length} keystore(s) decrypted` }));
  } else {
    for (const f of found) {
      const idx = meta.flatMap((m, i) => (m.k === f.k ? [i] : []));
      if (idx.length === 0) continue;
      const name = manifest.operators[f.k]!.name;
      const failed = idx.map((i) => outcomes[i]!).find((o) => !o.ok);
      if (failed === undefined || failed.ok) {
        lines.push(line({ check: 'shares', subject: name, status: 'pass', detail: `${idx.length} keystore(s) decrypted` }));
        continue;
      }
      // As before: a folder with a failing keystore contributes no share to the recombination checks.
      for (const i of idx) {
        secrets[i]?.fill(0);
        secrets[i] = undefined;
      }
      lines.push(line({ check: 'shares', subject: name, status: 'fail', code: failed.error.code, detail: failed.error.message, culprits: [name] }));
    }
  }
  return secrets.flatMap((secret, i) => (secret === undefined ? [] : [{ v: meta[i]!.v, share: { id: toShareIndex(manifest.operators[meta[i]!.k]!.index), secret } }]));
}
