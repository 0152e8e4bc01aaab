/**
 * `verify` for an SSV keyshares.json (docs/formats/ssv-keyshares.md, issue 15), the SSV adapter of the one verify
 * pipeline (decision 0310; the file is read into the cluster model by adapters/ssv.ts, the fingerprint line and the
 * double-cluster record are cluster-checks.ts's): the file parses strictly; its
 * fingerprint (the SHA-256 of the exact file bytes, fingerprint.ts) matches the one given; per validator the
 * points are valid, the share public keys lie on one polynomial of degree t - 1 through the validator key (x =
 * operator id) and the owner-nonce signature verifies (ssv/verify.ts); and the shares of the operators whose RSA
 * keys are given decrypt to the shares the public keys promise (ssv/share-decrypt.ts).
 *
 * "Not decrypted means not verified" (decision 0306): with no operator key and no `noDecrypt`, a
 * `SHARES_NOT_DECRYPTED` line fails the report. An operator checks its own shares, as it checks its own folder in
 * the other layouts: with one or more keys, the shares of the operators whose keys are absent are listed as
 * skipped (not this verifier's to check), and a key that is no operator's of this file fails.
 *
 * Pure: text and injected decryptors in, report lines out. Nothing throws for a failed check; a file that does not
 * parse throws its `KEYSHARES_INVALID` (as a manifest that does not parse does in verify.ts).
 *
 * @module
 */
import { bytesToHex, utf8 } from '../bytes.js';
import { parseKeysharesText, type KeysharesFile } from '../ssv/keyshares.js';
import { checkSsvShares, type SsvShareDecryptor } from '../ssv/share-decrypt.js';
import { verifyKeyshares } from '../ssv/verify.js';
import type { RandomBytes } from '../types.js';
import { keysharesToCluster } from './adapters/ssv.js';
import type { Cluster } from './cluster.js';
import { fileHash } from './files.js';
import { fingerprintLine, type CheckLine } from './cluster-checks.js';

/** One line of an SSV verification report (the shape every layout shares, cluster-checks.ts; culprits are `operator <id>`). */
export type SsvVerifyLine = CheckLine;

/** Output of {@link verifySsvKeyshares}. */
export interface SsvVerifyReport {
  readonly ok: boolean;
  readonly file: KeysharesFile;
  /** The file read into the cluster model (one operator set, SSV's threshold). */
  readonly cluster: Cluster;
  readonly lines: readonly SsvVerifyLine[];
  /** SHA-256 of the file bytes, 64 lowercase hex digits. */
  readonly fingerprint: string;
}

/** Input of {@link verifySsvKeyshares}. */
export interface SsvVerifyInput {
  /** The exact text of keyshares.json. */
  readonly text: string;
  /** Names the file in report lines. */
  readonly source: string;
  /** The fingerprint the operator got over another channel. */
  readonly expectedFingerprint?: string;
  /** The RSA keys of the operators doing the check (one each). */
  readonly decryptors?: readonly SsvShareDecryptor[];
  /** Public checks only: no share is decrypted, and that is reported as skipped. */
  readonly noDecrypt?: boolean;
  readonly rng?: RandomBytes;
}

/** The SSV fingerprint: lowercase SHA-256 hex of the exact keyshares.json bytes. */
export function keysharesFingerprint(text: string): string {
  return fileHash(utf8(text));
}

/**
 * Runs every check (see the module comment).
 * @throws ValidationError when the file does not parse (`KEYSHARES_INVALID`), or `LAYOUT_UNSUPPORTED` when its items
 *   use different operator sets (several clusters in one file, decision 0309), as the SSV adapter reads it.
 */
export function verifySsvKeyshares(input: SsvVerifyInput): SsvVerifyReport {
  const file = parseKeysharesText(input.text);
  const cluster = keysharesToCluster(file);
  const fingerprint = keysharesFingerprint(input.text);
  const lines: SsvVerifyLine[] = [
    { check: 'keyshares', subject: input.source, status: 'pass', detail: `ssv-keys ${file.version} (${file.layout} layout), ${file.items.length} validator(s)` },
  ];
  if (input.expectedFingerprint !== undefined) lines.push(fingerprintLine('keyshares', fingerprint, input.expectedFingerprint, 'keyshares.json'));
  const subject = (i: number): string => `validator ${i} ${bytesToHex(file.items[i]!.publicKey, true).slice(0, 14)}…`;
  for (const r of verifyKeyshares(file, input.rng === undefined ? {} : { rng: input.rng })) {
    lines.push({
      check: 'sharing',
      subject: subject(r.index),
      status: r.ok ? 'pass' : 'fail',
      detail: r.detail,
      ...(r.code === undefined ? {} : { code: r.code }),
      ...(r.field === undefined ? {} : { field: r.field }),
      ...(r.culprits === undefined ? {} : { culprits: r.culprits.map((id) => `operator ${id}`) }),
    });
  }
  const decryptors = input.decryptors ?? [];
  if (input.noDecrypt === true) {
    lines.push({ check: 'shares', subject: 'encrypted shares', status: 'skipped', detail: 'not decrypted (--no-decrypt): public data checked only' });
  } else if (decryptors.length === 0) {
    const count = file.items.reduce((a, it) => a + it.operators.length, 0);
    lines.push({
      check: 'shares',
      subject: 'encrypted shares',
      status: 'fail',
      code: 'SHARES_NOT_DECRYPTED',
      detail: `${count} encrypted share(s) not decrypted, so no share is verified; an operator gives its RSA key with --ssv-operator-key FILE, or --no-decrypt checks public data only`,
    });
  } else {
    const { reports, unmatched } = checkSsvShares(file, decryptors);
    for (const r of reports) {
      lines.push({
        check: 'shares',
        subject: `${subject(r.item)} operator ${r.operatorId}`,
        status: r.ok ? 'pass' : 'fail',
        detail: r.detail,
        ...(r.code === undefined ? {} : { code: r.code, culprits: [`operator ${r.operatorId}`] }),
        ...(r.field === undefined ? {} : { field: r.field }),
      });
    }
    for (const source of unmatched) {
      lines.push({ check: 'shares', subject: source, status: 'fail', code: 'CEREMONY_MISMATCH', detail: `is the RSA key of no operator in ${input.source}: this file was not made for that operator` });
    }
    const others = new Set<number>();
    file.items.forEach((it, i) => it.operators.forEach((op) => reports.some((r) => r.item === i && r.operatorId === op.id) || others.add(op.id)));
    if (others.size > 0) {
      lines.push({ check: 'shares', subject: 'other operators', status: 'skipped', detail: `shares of operator(s) ${[...others].join(', ')} not decrypted: each operator checks its own with its key` });
    }
  }
  return { ok: lines.every((l) => l.status !== 'fail'), file, cluster, lines, fingerprint };
}

