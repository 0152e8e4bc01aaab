/**
 * The default output layout (design section 3):
 *
 * ```
 * out/ceremony.json
 * out/<operator>/ceremony.json
 * out/<operator>/keystore-<v>.json     EIP-2335 v4, pubkey = that share's public key
 * out/<operator>/keystore-<v>.txt      its generated password (absent when the user chose one)
 * out/deposit-data.json, out/<operator>/deposit-data.json      with --network and --withdrawal-address
 * out/<operator>/slashing-protection.json                      with --slashing-protection
 * ```
 * `<v>` is the validator's 0-based position in the input order. The `.json`/`.txt` pairing is the one validator
 * clients and Charon import.
 *
 * @module
 */
import { serializeManifest, MANIFEST_FILE, type Manifest } from '../manifest.js';
import { hashFiles, secretTextFile, textFile, type CeremonyFile } from '../files.js';

/** Deposit data (staking-deposit-cli shape), at the root and in every operator folder. */
export const DEPOSIT_FILE = 'deposit-data.json';
/** An operator's EIP-3076 slashing-protection history, keyed by its share public keys. */
export { SLASHING_FILE } from '../slashing-files.js';

/** Relative path of operator `name`'s keystore for validator `v`. */
export function keystorePath(name: string, v: number): string {
  return `${name}/keystore-${v}.json`;
}

/** Relative path of the password file beside a keystore. */
export function passwordPath(name: string, v: number): string {
  return `${name}/keystore-${v}.txt`;
}

/** Per operator and validator: the keystore JSON and, when generated, its password. */
export interface OperatorKeystores {
  readonly name: string;
  readonly keystores: readonly { readonly json: string; readonly password?: string }[];
}

/**
 * Lays out a ceremony in the default layout. `manifest.files` is filled in here from the files written.
 * @returns the files (manifests last) and the final manifest.
 */
export function dvkeysLayout(
  manifest: Omit<Manifest, 'files'>,
  operators: readonly OperatorKeystores[],
  extra: readonly CeremonyFile[] = [],
): { files: CeremonyFile[]; manifest: Manifest } {
  const files: CeremonyFile[] = [];
  for (const op of operators) {
    op.keystores.forEach((k, v) => {
      files.push(textFile(keystorePath(op.name, v), k.json, 'keystore', true));
      if (k.password !== undefined) files.push(secretTextFile(passwordPath(op.name, v), k.password, 'password'));
    });
  }
  files.push(...extra);
  const full: Manifest = { ...manifest, files: hashFiles(files) };
  const text = serializeManifest(full);
  files.push(textFile(MANIFEST_FILE, text, 'manifest', false));
  for (const op of operators) files.push(textFile(`${op.name}/${MANIFEST_FILE}`, text, 'manifest', false));
  return { files, manifest: full };
}
