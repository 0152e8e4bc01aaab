/**
 * After writing: read the tree back from disk and check it before the command reports success (design section 3:
 * "every keystore is read back and checked"). On any failure the freshly written tree is removed.
 *
 * With the derived keys kept from encryption (keys/kept-key.ts; docs/decisions/0210-read-back-with-kept-keys.md),
 * the check costs no second KDF per keystore: every written file is byte-compared with what was produced; the
 * tree's structure, hashes, deposit data and keystore pubkeys are verified as `dvkeys verify --no-decrypt` would;
 * every keystore file is parsed, its KDF parameters, salt, iv and checksum compared by value with the ones used,
 * its ciphertext decrypted under the kept key, its checksum checked and its secret checked against its public
 * share; and the first keystore of every operator folder is decrypted from its password with a full KDF run, so
 * that a KDF that is not deterministic is still caught. `dvkeys verify` itself still decrypts everything from the
 * passwords. Without kept keys, every keystore is decrypted from its password.
 *
 * @module
 */
import { join } from 'node:path';
import { bytesToHex } from '../bytes.js';
import { MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../ceremony/manifest.js';
import { fileText, type FolderSnapshot } from '../ceremony/tree.js';
import { verifyCeremony, type VerifyReport } from '../ceremony/verify.js';
import { DvkeysError, KeystoreError, VerificationError } from '../errors.js';
import { decryptKeystores, openKeystores, type OpenItem } from '../keys/batch.js';
import type { KeptKey } from '../keys/kept-key.js';
import { parseKeystore, type Keystore } from '../keys/keystore-format.js';
import type { CharonNode } from '../ceremony/charon-node.js';
import { label, readFolder, readText } from './files.js';
import { readBackTree, removeTree, type OutputFile } from './fs.js';
import type { CliIo } from './io.js';
import { progressBar } from './progress.js';

/** Test hook: runs between the write and the read-back (tests alter the tree here; the read-back must catch it). */
export interface ReadbackHooks {
  readonly afterWrite?: (out: string) => Promise<void> | void;
}

/**
 * Byte-compares and verifies a ceremony tree just written to `out`; with `kept` (the share keystores' derived keys
 * by file path, from runSplit's `keepKeys`) without a second KDF per keystore, see the module comment.
 * @throws VerificationError naming the first failed check (the tree is removed first).
 */
export async function checkWrittenTree(out: string, files: readonly OutputFile[], io: CliIo & ReadbackHooks, password: string | undefined, quiet: boolean, kept?: ReadonlyMap<string, KeptKey>): Promise<VerifyReport> {
  const bar = progressBar(io, kept === undefined ? 'reading back and decrypting every keystore' : 'reading back and checking every keystore', quiet);
  try {
    await io.afterWrite?.(out);
    await readBackTree(out, files);
    const manifestText = await readText(join(out, 'ceremony.json'), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
    const manifest = parseManifest(manifestText, 'ceremony.json');
    const folders = await Promise.all(manifest.operators.map((o) => readFolder(join(out, o.name), o.name)));
    const report = await verifyCeremony({
      manifestText,
      manifestSource: `${label(out)}/ceremony.json`,
      folders,
      rootFiles: await readFolder(out, label(out)),
      wholeTree: true,
      ...(password === undefined ? {} : { password }),
      ...(kept === undefined ? {} : { noDecrypt: true }),
      signal: io.signal,
      onProgress: bar.onProgress,
    });
    const failed = report.lines.find((l) => l.status === 'fail');
    const skipped = report.lines.find((l) => l.check === 'shares' && l.subject === 'keystores' && l.status !== 'pass');
    if (failed !== undefined || (kept === undefined && skipped !== undefined)) {
      const l = failed ?? skipped!;
      throw new VerificationError(l.code ?? 'IO_FAILED', `read-back of ${label(out)} failed (${l.subject}: ${l.detail}); the output was removed`);
    }
    if (kept !== undefined) await readBackStep(out, () => openShareKeystores(folders, manifest.operators.map((o) => o.name), manifest.validators.map((v) => v.publicShares), password, kept, io, bar.onProgress));
    return report;
  } catch (e) {
    await removeTree(out);
    throw e;
  } finally {
    bar.done();
  }
}

/**
 * Runs one read-back step; a keystore that does not open (wrong checksum or password, pubkey mismatch, a KDF
 * parameter that differs) is reported as `read-back of <out>/<file> failed: <why>; the output was removed`, with
 * the original code, field and culprits (the caller removes the tree). An abort passes through unchanged.
 */
async function readBackStep<T>(out: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (!(e instanceof DvkeysError) || e.code === 'ABORTED' || e.message.startsWith('read-back')) throw e;
    const m = /^([^\s:]+\.json): ([\s\S]*)$/.exec(e.message);
    const file = m === null ? label(out) : `${label(out)}/${m[1]!}`;
    const why = m === null ? e.message : m[2]!;
    const Class = e instanceof KeystoreError ? KeystoreError : VerificationError;
    throw new Class(e.code, `read-back of ${file} failed: ${why}; the output was removed`, {
      cause: e,
      ...(e.field === undefined ? {} : { field: e.field }),
      culprits: e.culprits,
    });
  }
}

/** One share keystore read back, for {@link openWrittenKeystores}. */
export interface WrittenKeystore {
  /** Its path as shown (`<folder>/keystore-<v>.json`), also the key of its kept key. */
  readonly path: string;
  readonly keystore: Keystore;
  readonly password: string;
  /** The public share it must hold (its pubkey), and whose share that is (the culprit). */
  readonly publicShare: Uint8Array;
  readonly owner: string;
  /** Decrypt it from its password with a full KDF run (the folder's sample) instead of its kept key. */
  readonly sample: boolean;
}

/**
 * Opens share keystores read back: each one's pubkey must be its public share; the samples are decrypted from their
 * passwords (full KDF), the others with the key kept from encryption (no KDF; a missing kept key fails). Every
 * secret is checked against its pubkey (openKeystores) and wiped. Callers mark at least one sample per folder.
 * @throws VerificationError `KEYSTORE_PUBKEY_MISMATCH` (culprit: the owner), `IO_FAILED`; keystore errors naming the file.
 */
export async function openWrittenKeystores(entries: readonly WrittenKeystore[], kept: ReadonlyMap<string, KeptKey>, io: CliIo, onProgress?: (done: number, total: number) => void): Promise<void> {
  const items: OpenItem[] = entries.map((e) => {
    if (e.keystore.pubkey !== bytesToHex(e.publicShare)) {
      throw new VerificationError('KEYSTORE_PUBKEY_MISMATCH', `read-back: ${e.path} does not hold the public share of ${e.owner}; the output was removed`, { culprits: [e.owner] });
    }
    const key = e.sample ? undefined : kept.get(e.path);
    if (!e.sample && key === undefined) throw new VerificationError('IO_FAILED', `read-back: no key kept for ${e.path}`);
    return { keystore: e.keystore, password: e.password, source: e.path, key };
  });
  const secrets = await openKeystores(items, { signal: io.signal, ...(onProgress === undefined ? {} : { onProgress }) });
  for (const s of secrets) s.fill(0);
}

/**
 * The share keystores of one dvkeys-layout folder read back, `keystore-<v>.json` holding share `shares[v]` of
 * `owner`, with the password given or the `.txt` beside each; `keystore-0.json` is the sample. Paths (and kept
 * keys) are `<prefix>/keystore-<v>.json`, or `keystore-<v>.json` when `prefix` is ''.
 */
function folderKeystoreEntries(folder: FolderSnapshot, prefix: string, owner: string, shares: readonly Uint8Array[], password: string | undefined): WrittenKeystore[] {
  return shares.map((publicShare, v) => {
    const path = `${prefix === '' ? '' : `${prefix}/`}keystore-${v}.json`;
    const bytes = folder.files.get(`keystore-${v}.json`);
    const pw = password ?? folder.files.get(`keystore-${v}.txt`);
    if (bytes === undefined || pw === undefined) throw new VerificationError('IO_FAILED', `read-back: ${path} or its password is missing; the output was removed`);
    const keystore = parseKeystore(fileText(bytes, path), path);
    return { path, keystore, password: typeof pw === 'string' ? pw : fileText(pw, path.replace(/\.json$/, '.txt')), publicShare, owner, sample: v === 0 };
  });
}

/**
 * Opens every share keystore read back: with its kept key, except the first of each folder (full KDF from its
 * password), and checks that each holds the public share of its operator.
 */
async function openShareKeystores(
  folders: readonly FolderSnapshot[],
  names: readonly string[],
  publicShares: readonly (readonly Uint8Array[])[],
  password: string | undefined,
  kept: ReadonlyMap<string, KeptKey>,
  io: CliIo,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const entries = folders.flatMap((folder, k) => folderKeystoreEntries(folder, names[k]!, names[k]!, publicShares.map((shares) => shares[k]!), password));
  await openWrittenKeystores(entries, kept, io, onProgress);
}

/**
 * One operator folder just written to `out` (a DKG output), read back with the keys kept from encryption (by
 * `keystore-<v>.json`): each keystore must hold `shares[v]`, the operator's public share of validator v;
 * `keystore-0.json` is decrypted from its password (the sample), the others with their kept keys.
 * @throws VerificationError / KeystoreError as `read-back of <out>/<file> failed: …` (the caller removes the tree).
 */
export async function openWrittenFolderKeystores(out: string, owner: string, shares: readonly Uint8Array[], password: string | undefined, kept: ReadonlyMap<string, KeptKey>, io: CliIo): Promise<void> {
  const folder = await readFolder(out, label(out));
  await readBackStep(out, () => openWrittenKeystores(folderKeystoreEntries(folder, '', owner, shares, password), kept, io));
}

/**
 * The keystores of a Charon cluster just written and read back (`nodes`, from its node folders labelled
 * `node<k>`), with the keys kept by runCharonSplit: every node holds one keystore per validator of the lock, each
 * holding that node's public share; `keystore-0.json` of every node is decrypted from its `.txt` password (the
 * sample), the others with their kept keys. The lock, deposits and node identities are checked by
 * verifyCharonCluster with `noDecrypt` first.
 * @throws VerificationError / KeystoreError as `read-back of <out>/<file> failed: …` (the caller removes the tree).
 */
export async function openWrittenCharonKeystores(out: string, nodes: readonly CharonNode[], kept: ReadonlyMap<string, KeptKey>, io: CliIo): Promise<void> {
  const entries: WrittenKeystore[] = [];
  for (const node of nodes) {
    const dvs = node.lock.validators;
    if (node.keystores.length !== dvs.length || node.keystores.some((ks, v) => ks.validator !== v)) {
      throw new VerificationError('IO_FAILED', `read-back: ${node.label} does not hold one keystore per validator; the output was removed`);
    }
    for (const ks of node.keystores) {
      if (ks.password === undefined) throw new VerificationError('IO_FAILED', `read-back: ${ks.file} has no password beside it; the output was removed`);
      entries.push({ path: ks.file, keystore: ks.keystore, password: ks.password, publicShare: dvs[ks.validator]!.publicShares[node.nodeIndex]!, owner: node.label, sample: ks.validator === 0 });
    }
  }
  await readBackStep(out, () => openWrittenKeystores(entries, kept, io));
}

/**
 * Reads recovered validator keystores back, checks each pubkey and opens each: with `kept` (the derived keys in
 * `files` order) without a KDF, except `keystore-0.json`, decrypted from the password as the sample; without
 * `kept`, every one from the password.
 * @throws VerificationError / KeystoreError when a keystore does not decrypt to the expected key (the output is
 *   removed first).
 */
export async function checkWrittenKeystores(out: string, files: readonly OutputFile[], password: string, expectedPubkeys: readonly string[], io: CliIo & ReadbackHooks, kept?: readonly KeptKey[]): Promise<void> {
  try {
    await io.afterWrite?.(out);
    await readBackTree(out, files);
    const items = await Promise.all(
      expectedPubkeys.map(async (_pk, v) => ({
        keystore: parseKeystore(await readText(join(out, `keystore-${v}.json`), 1 << 16, 'keystore'), `keystore-${v}.json`),
        password,
        source: `keystore-${v}.json`,
        key: v === 0 ? undefined : kept?.[v],
      })),
    );
    items.forEach((it, v) => {
      if (it.keystore.pubkey !== expectedPubkeys[v]) throw new VerificationError('KEY_MISMATCH', `read-back: keystore-${v}.json does not hold validator ${v}; the output was removed`);
    });
    const secrets = await readBackStep(out, () => (kept === undefined ? decryptKeystores(items, { signal: io.signal }) : openKeystores(items, { signal: io.signal })));
    for (const s of secrets) s.fill(0);
  } catch (e) {
    await removeTree(out);
    throw e;
  }
}
