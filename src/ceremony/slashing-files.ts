/**
 * The per-node EIP-3076 slashing-protection files of a split (docs/decisions/0301): the solo validator's history,
 * checked against the network, filtered to the split validators, re-keyed to each node's public share (a node's
 * validator client signs with its share key, and its slashing database is keyed by that key) and minified to the
 * maxima. One function for every layout that has a place for the file (dvkeys: `<operator>/`, Charon: `node<k>/`).
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { Network } from '../eth/networks.js';
import { checkInterchangeNetwork, filterInterchange, formatInterchangeFile, minifyInterchange, type Interchange } from '../eth/slashing-protection.js';
import { textFile, type CeremonyFile } from './files.js';

/** The file name in every node folder. */
export const SLASHING_FILE = 'slashing-protection.json';

/** Slashing-protection options of a split. */
export interface SlashingInput {
  readonly interchange: Interchange;
  /** The network the history must belong to (its genesis validators root). */
  readonly network: Network;
  /** Accept split validators that have no history in the file (they never signed). */
  readonly allowMissing?: boolean;
}

/**
 * `<folder>/slashing-protection.json` for every node folder; `validators[v].publicShares[k]` is node k's share key.
 * @throws ValidationError `SLASHING_PROTECTION_INVALID` for another network's history, or a split validator the
 *   history lacks (unless `allowMissing`).
 */
export function nodeSlashingFiles(
  sp: SlashingInput,
  validators: readonly { readonly pubkey: Uint8Array; readonly publicShares: readonly Uint8Array[] }[],
  folders: readonly string[],
): CeremonyFile[] {
  checkInterchangeNetwork(sp.interchange, sp.network);
  return folders.map((folder, k) => {
    const { interchange, missing } = filterInterchange(sp.interchange, validators.map((v) => ({ pubkey: v.pubkey, as: v.publicShares[k]! })));
    if (missing.length > 0 && sp.allowMissing !== true) {
      throw new ValidationError('SLASHING_PROTECTION_INVALID', `the slashing-protection file has no history for validator ${bytesToHex(missing[0]!, true)}; if it never signed, allow missing histories explicitly`, { field: 'slashingProtection' });
    }
    return textFile(`${folder}/${SLASHING_FILE}`, formatInterchangeFile(minifyInterchange(interchange)), 'slashing-protection', false);
  });
}
