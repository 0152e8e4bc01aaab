/**
 * After writing: read the tree back from disk and check it as `dvkeys verify` would (design section 3: "every
 * keystore is read back and checked before the command reports success"). Byte-compares every file, then runs the
 * full verification on what is on disk, including decrypting every share keystore (one more KDF per keystore).
 * On any failure the freshly written tree is removed.
 *
 * @module
 */
import { join } from 'node:path';
import { MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../ceremony/manifest.js';
import { verifyCeremony, type VerifyReport } from '../ceremony/verify.js';
import { VerificationError } from '../errors.js';
import { decryptKeystores } from '../keys/batch.js';
import { parseKeystore } from '../keys/keystore-format.js';
import { label, readFolder, readText } from './files.js';
import { readBackTree, removeTree, type OutputFile } from './fs.js';
import type { CliIo } from './io.js';
import { progressBar } from './progress.js';

/**
 * Byte-compares and fully verifies a ceremony tree just written to `out`.
 * @throws VerificationError naming the first failed check (the tree is removed first).
 */
export async function checkWrittenTree(out: string, files: readonly OutputFile[], io: CliIo, password: string | undefined, quiet: boolean): Promise<VerifyReport> {
  const bar = progressBar(io, 'reading back and decrypting every keystore', quiet);
  try {
    await readBackTree(out, files);
    const manifestText = await readText(join(out, 'ceremony.json'), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
    const names = parseManifest(manifestText, 'ceremony.json').operators.map((o) => o.name);
    const report = await verifyCeremony({
      manifestText,
      manifestSource: `${label(out)}/ceremony.json`,
      folders: await Promise.all(names.map((n) => readFolder(join(out, n), n))),
      rootFiles: await readFolder(out, label(out)),
      wholeTree: true,
      ...(password === undefined ? {} : { password }),
      signal: io.signal,
      onProgress: bar.onProgress,
    });
    const failed = report.lines.find((l) => l.status === 'fail');
    const skipped = report.lines.find((l) => l.check === 'shares' && l.subject === 'keystores' && l.status !== 'pass');
    if (failed !== undefined || skipped !== undefined) {
      const l = failed ?? skipped!;
      throw new VerificationError(l.code ?? 'IO_FAILED', `read-back of ${label(out)} failed (${l.subject}: ${l.detail}); the output was removed`);
    }
    return report;
  } catch (e) {
    await removeTree(out);
    throw e;
  } finally {
    bar.done();
  }
}

/**
 * Reads recovered validator keystores back, decrypts each and checks its pubkey (combine's output).
 * @throws VerificationError when a keystore does not decrypt to the expected key (the output is removed first).
 */
export async function checkWrittenKeystores(out: string, files: readonly OutputFile[], password: string, expectedPubkeys: readonly string[], io: CliIo): Promise<void> {
  try {
    await readBackTree(out, files);
    const items = await Promise.all(
      expectedPubkeys.map(async (_pk, v) => ({
        keystore: parseKeystore(await readText(join(out, `keystore-${v}.json`), 1 << 16, 'keystore'), `keystore-${v}.json`),
        password,
        source: `keystore-${v}.json`,
      })),
    );
    items.forEach((it, v) => {
      if (it.keystore.pubkey !== expectedPubkeys[v]) throw new VerificationError('KEY_MISMATCH', `read-back: keystore-${v}.json does not hold validator ${v}; the output was removed`);
    });
    const secrets = await decryptKeystores(items, { signal: io.signal });
    for (const s of secrets) s.fill(0);
  } catch (e) {
    await removeTree(out);
    throw e;
  }
}
