/**
 * The SSV layout: one `keyshares.json` (research/interop-formats.md 2.1) that the SSV web app or ssv-keys loads
 * to register the validators. It carries only public data and shares encrypted to each operator's RSA key, so it
 * is written like any public file. Pure: text in, {@link CeremonyFile}s out.
 *
 * @module
 */
import { textFile, type CeremonyFile } from '../files.js';

/** The file name SSV tooling expects. */
export const KEYSHARES_FILE = 'keyshares.json';

/** The files of an SSV split: `keyshares.json` (kind `manifest`: the record of the split, listed in no manifest). */
export function ssvLayout(keysharesText: string): CeremonyFile[] {
  return [textFile(KEYSHARES_FILE, keysharesText, 'keyshares', false)];
}
