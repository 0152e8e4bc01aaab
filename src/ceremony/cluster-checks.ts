/**
 * The checks of `verify` that are the same in every layout (issue 15, design sections 4 and 8, decision 0310), run
 * on the {@link Cluster} model that each layout adapter reads: the fingerprint, each holder's keystores against
 * its public shares, the deposit data (EIP-2335-independent: phase0 DepositData, staking-deposit-cli file), each
 * holder's EIP-3076 slashing-protection file, the decrypted shares and the recombination checks of every
 * validator (every t-subset gives the group key; design section 4), and the record the double-cluster check
 * compares. What only one layout has (ceremony.json's file hashes, the Charon lock's signatures, the SSV payload
 * and RSA shares) stays in that layout's verify module, which feeds this one.
 *
 * Pure: the layout modules pass what they read from an in-memory snapshot. Every check becomes a line; a failed
 * check throws nothing.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { isDvkeysError, ValidationError, VerificationError, type ErrorCode } from '../errors.js';
import { parseDepositDataFile } from '../eth/deposit-file.js';
import { customNetwork, getNetwork, networkByForkVersion, type Network } from '../eth/networks.js';
import { checkInterchangeNetwork, parseInterchangeFile } from '../eth/slashing-protection.js';
import { decryptKeystoresSettled, type DecryptItem } from '../keys/batch.js';
import type { KdfBackend } from '../keys/kdf.js';
import { kdfWorkOf, kdfWorkRefusal } from '../keys/kdf-work.js';
import { checkRecombination } from '../sharing/recombine.js';
import { toShareIndex, type RandomBytes, type SecretShare } from '../types.js';
import type { Cluster } from './cluster.js';
import type { ClusterRecord } from './double-cluster.js';
import { compareFingerprint, type FingerprintKind } from './fingerprint.js';
import { attempt, fileText, type FoundKeystore } from './tree.js';

/** One line of a verification report, in every layout. */
export interface CheckLine {
  readonly check: 'manifest' | 'files' | 'keystores' | 'deposit-data' | 'slashing-protection' | 'sharing' | 'shares' | 'lock' | 'node' | 'operators' | 'keyshares';
  /** The file, folder, validator or check at issue. */
  readonly subject: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'skipped';
  readonly detail: string;
  readonly code?: ErrorCode;
  /** The field at fault (a JSON path in the file named by `subject`). */
  readonly field?: string;
  /** The operators (names) a failed check blames. */
  readonly culprits?: readonly string[];
}

/** One share holder's folder as a layout read it: which operator of the cluster it is, and its keystores. */
export interface HolderFolder {
  readonly label: string;
  /** Index into `cluster.operators`. */
  readonly k: number;
  readonly keystores: readonly FoundKeystore[];
}

/** A public file of the tree, as read. */
export interface NamedFile {
  readonly subject: string;
  readonly bytes: Uint8Array;
}

const fromError = (check: CheckLine['check'], subject: string, e: unknown, culprits?: readonly string[]): CheckLine => {
  if (!isDvkeysError(e)) throw e;
  return { check, subject, status: 'fail', code: e.code, detail: e.message, ...(e.field === undefined ? {} : { field: e.field }), ...(culprits === undefined ? {} : { culprits }) };
};

/**
 * The network a cluster names: the known one of its name, else of its fork version, else a custom network of its
 * fork version (no genesis validators root); undefined when it has neither.
 */
export function clusterNetwork(c: Cluster): Network | undefined {
  if (c.network !== null) {
    const known = attempt(() => getNetwork(c.network));
    if (known.ok) return known.value;
  } else if (c.forkVersion !== null) {
    const known = networkByForkVersion(c.forkVersion);
    if (known !== undefined) return known;
  }
  if (c.forkVersion === null) return undefined;
  const fork = c.forkVersion;
  const custom = attempt(() => customNetwork({ name: c.network ?? 'lock-network', genesisForkVersion: fork }));
  return custom.ok ? custom.value : undefined;
}

/** The fingerprint the operator got over another channel, compared with the cluster's (fingerprint.ts). */
export function fingerprintLine(check: CheckLine['check'], actual: string, expected: string, kind: FingerprintKind): CheckLine {
  const c = compareFingerprint(actual, expected, kind);
  return { check, subject: 'fingerprint', status: c.ok ? 'pass' : 'fail', detail: c.detail, ...(c.code === undefined ? {} : { code: c.code }) };
}

/**
 * A holder's keystores: one per validator, each keystore's `pubkey` the holder's public share of that validator.
 * (The pubkey is only a claim until the share is decrypted: {@link shareLines}.)
 */
export function keystoreLine(c: Cluster, h: HolderFolder): CheckLine {
  const op = c.operators[h.k]!;
  const wrong = h.keystores.find((ks) => bytesToHex(c.validators[ks.validator]!.publicShares[h.k]!) !== (ks.keystore.pubkey ?? '').toLowerCase());
  if (wrong !== undefined) return { check: 'keystores', subject: h.label, status: 'fail', code: 'KEYSTORE_PUBKEY_MISMATCH', field: wrong.file, detail: `${wrong.file}: its pubkey is not ${op.name}'s public share of validator ${wrong.validator}` };
  const missing = c.validators.length - h.keystores.length;
  if (missing > 0) return { check: 'keystores', subject: h.label, status: 'fail', code: 'INVALID_FORMAT', detail: `operator ${op.name}: ${missing} keystore(s) missing` };
  return { check: 'keystores', subject: h.label, status: 'pass', detail: `operator ${op.name} (share ${op.shareId}): ${h.keystores.length} keystore pubkey(s) match their public shares` };
}

/**
 * A deposit-data file: every entry verifies (roots, DOMAIN_DEPOSIT signature, the cluster's network), is for a
 * validator of this cluster, and, where the layout records the deposits (a Charon lock), is one of them.
 */
export function depositLine(c: Cluster, file: NamedFile): CheckLine {
  const network = clusterNetwork(c);
  const keys = new Set(c.validators.map((v) => bytesToHex(v.pubkey)));
  const recorded = c.validators.some((v) => v.deposits !== undefined) ? new Set(c.validators.flatMap((v) => (v.deposits ?? []).map((d) => bytesToHex(d.signature)))) : undefined;
  try {
    const entries = parseDepositDataFile(fileText(file.bytes, file.subject), network === undefined ? {} : { network });
    const stray = entries.findIndex((e) => !keys.has(bytesToHex(e.pubkey)));
    if (stray >= 0) {
      const field = `deposit_data[${stray}].pubkey`;
      throw new VerificationError('DEPOSIT_INVALID', `entry ${stray} is for ${bytesToHex(entries[stray]!.pubkey, true)}, not a validator of this cluster`, { field });
    }
    const foreign = recorded === undefined ? -1 : entries.findIndex((e) => !recorded.has(bytesToHex(e.signature)));
    if (foreign >= 0) throw new VerificationError('DEPOSIT_INVALID', `entry ${foreign} is not a deposit of the cluster lock`, { field: `deposit_data[${foreign}]` });
    return { check: 'deposit-data', subject: file.subject, status: 'pass', detail: `${entries.length} deposit(s): roots and signatures verify for this cluster's validators${recorded === undefined ? '' : ' and are in the lock'}` };
  } catch (e) {
    return fromError('deposit-data', file.subject, e);
  }
}

/**
 * A holder's slashing-protection.json (EIP-3076 interchange): it parses, is for the cluster's network (its genesis
 * validators root, where known), and every entry is keyed by one of this holder's share keys, the key its
 * validator client signs with (a history under another key protects nothing).
 */
export function slashingLine(c: Cluster, k: number, file: NamedFile): CheckLine {
  const op = c.operators[k]!;
  try {
    const ic = parseInterchangeFile(fileText(file.bytes, file.subject));
    const network = clusterNetwork(c);
    const checked = network?.genesisValidatorsRoot !== undefined;
    if (checked) checkInterchangeNetwork(ic, network);
    const mine = new Set(c.validators.map((v) => bytesToHex(v.publicShares[k]!)));
    const stray = ic.data.findIndex((d) => !mine.has(bytesToHex(d.pubkey)));
    if (stray >= 0) {
      const field = `data[${stray}].pubkey`;
      throw new ValidationError('SLASHING_PROTECTION_INVALID', `'${field}' ${bytesToHex(ic.data[stray]!.pubkey, true).slice(0, 14)}… is not one of ${op.name}'s share keys (its validator client would not protect itself)`, { field });
    }
    return { check: 'slashing-protection', subject: file.subject, status: 'pass', detail: `${ic.data.length} history(ies) keyed by ${op.name}'s share keys${checked ? ` for ${network.name}` : ''}` };
  } catch (e) {
    return fromError('slashing-protection', file.subject, e);
  }
}

/** The double-cluster record of a verified cluster (double-cluster.ts). */
export function clusterRecord(label: string, fingerprint: string, c: Cluster): ClusterRecord {
  return { label, fingerprint, validators: c.validators.map((v) => bytesToHex(v.pubkey, true)) };
}

/** Options of {@link shareLines}. */
export interface ShareCheckOptions {
  /** A password for every keystore (else the `.txt` beside each one). */
  readonly password?: string;
  readonly noDecrypt?: boolean;
  /** KDF work budget in default-keystore units (keys/kdf-work.ts); default 2 per keystore. */
  readonly maxKdfWork?: number;
  readonly rng?: RandomBytes;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly kdfBackend?: KdfBackend;
}

/**
 * A share that is not decrypted is not verified: its keystore's `pubkey` field is only a claim, and a dishonest
 * dealer could ship a keystore whose secret is unrelated to it (issue 15).
 */
export function notDecrypted(files: readonly string[]): CheckLine {
  const first = files.slice(0, 3).join(', ');
  return {
    check: 'shares',
    subject: 'keystores',
    status: 'fail',
    code: 'SHARES_NOT_DECRYPTED',
    detail: `${files.length} keystore(s) not decrypted for want of a password (${first}${files.length > 3 ? ', …' : ''}), so their shares are not verified; give --password-file, or --no-decrypt to check public data only`,
  };
}

/** Decrypts the holders' keystores (one KDF each, failures kept apart); a holder with a failing keystore gives no share. */
async function decrypt(c: Cluster, holders: readonly HolderFolder[], o: ShareCheckOptions, lines: CheckLine[]): Promise<{ v: number; share: SecretShare }[]> {
  const items: DecryptItem[] = [];
  const meta: { k: number; v: number }[] = [];
  const undecrypted: string[] = [];
  for (const h of holders) {
    for (const ks of h.keystores) {
      const password = o.password ?? ks.password;
      if (password === undefined) {
        undecrypted.push(ks.file);
        continue;
      }
      items.push({ keystore: ks.keystore, password, source: ks.file });
      meta.push({ k: h.k, v: ks.validator });
    }
  }
  if (undecrypted.length > 0) lines.push(notDecrypted(undecrypted));
  if (items.length === 0) return [];
  const refused = kdfWorkRefusal(kdfWorkOf(items.map((it, i) => ({ keystore: it.keystore, source: it.source ?? `items[${i}]` })), o.maxKdfWork));
  if (refused !== undefined) {
    lines.push({ check: 'shares', subject: 'keystores', status: 'fail', code: refused.code, field: 'maxKdfWork', detail: refused.message });
    return [];
  }
  // Every KDF runs once, each keystore's failure kept apart, so one bad keystore hides no other check (review F17)
  // and costs no second pass (attack a09): the work spent is the work counted against the budget.
  const outcomes = await decryptKeystoresSettled(items, {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.kdfBackend ? { kdfBackend: o.kdfBackend } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const secrets = outcomes.map((r) => (r.ok ? r.secret : undefined));
  if (outcomes.every((r) => r.ok)) {
    lines.push({ check: 'shares', subject: 'keystores', status: 'pass', detail: `${items.length} keystore(s) decrypted` });
  } else {
    for (const h of holders) {
      const idx = meta.flatMap((m, i) => (m.k === h.k ? [i] : []));
      if (idx.length === 0) continue;
      const name = c.operators[h.k]!.name;
      const failed = idx.map((i) => outcomes[i]!).find((r) => !r.ok);
      if (failed === undefined || failed.ok) {
        lines.push({ check: 'shares', subject: name, status: 'pass', detail: `${idx.length} keystore(s) decrypted` });
        continue;
      }
      for (const i of idx) {
        secrets[i]?.fill(0);
        secrets[i] = undefined;
      }
      lines.push({ check: 'shares', subject: name, status: 'fail', code: failed.error.code, detail: failed.error.message, culprits: [name] });
    }
  }
  return secrets.flatMap((secret, i) => (secret === undefined ? [] : [{ v: meta[i]!.v, share: { id: toShareIndex(c.operators[meta[i]!.k]!.shareId), secret } }]));
}

/**
 * The shares and the sharing of every validator: the holders' keystores decrypted (unless `noDecrypt`), then the
 * recombination checks of design section 4 on the cluster's public shares (with its commitments where the layout
 * keeps them), each decrypted share against its public share, and a threshold signature when t shares are present.
 * Every secret is wiped before this returns.
 */
export async function shareLines(c: Cluster, holders: readonly HolderFolder[], o: ShareCheckOptions): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  if (o.noDecrypt === true) lines.push({ check: 'shares', subject: 'keystores', status: 'skipped', detail: 'not decrypted (--no-decrypt): public data checked only' });
  const shares = o.noDecrypt === true ? [] : await decrypt(c, holders, o, lines);
  const nameOf = (id: string): string => c.operators.find((op) => String(op.shareId) === id)?.name ?? id;
  try {
    c.validators.forEach((val, v) => {
      const mine = shares.filter((s) => s.v === v).map((s) => s.share);
      const data = {
        threshold: c.threshold,
        groupPublicKey: val.pubkey,
        ...(val.commitments === null ? {} : { commitments: val.commitments }),
        publicShares: c.operators.map((op, i) => ({ id: toShareIndex(op.shareId), publicKey: val.publicShares[i]! })),
      };
      const subject = `validator ${v} ${bytesToHex(val.pubkey, true).slice(0, 14)}…`;
      const res = attempt(() => checkRecombination(data, { ...(mine.length > 0 ? { shares: mine } : {}), ...(o.rng ? { rng: o.rng } : {}) }));
      if (!res.ok) {
        lines.push(fromError('sharing', subject, res.error));
        return;
      }
      for (const r of res.value.checks) {
        lines.push({ check: r.check === 'shares' || r.check === 'threshold-signature' ? 'shares' : 'sharing', subject: `${subject} ${r.check}`, status: r.status, detail: r.detail, ...(r.code ? { code: r.code } : {}), culprits: r.culprits.map(nameOf) });
      }
    });
  } finally {
    for (const s of shares) s.share.secret.fill(0);
  }
  return lines;
}
