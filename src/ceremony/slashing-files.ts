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
import { checkInterchangeNetwork, filterInterchange, formatInterchangeFile, mergeInterchanges, minifyInterchange, type Interchange } from '../eth/slashing-protection.js';
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

/** Output of {@link combinedSlashingFile}. */
export interface CombinedSlashing {
  /** `slashing-protection.json` for the recovered keys, keyed by the validator keys. */
  readonly file: CeremonyFile;
  /** Validators no history mentions (under their key or any share key). */
  readonly missing: readonly Uint8Array[];
}

/**
 * The way back to solo (issue 15): the nodes' share-keyed EIP-3076 histories merged onto the validator keys. Each
 * entry's key must be a share key (or the key itself) of one of the cluster's validators; entries of one validator
 * from every file are merged and minified, so the result holds, per validator, the highest slot, source epoch and
 * target epoch seen anywhere (EIP-3076 "Advice for Minimal Databases", the safe merge rule): the solo client
 * then refuses everything the cluster may have signed.
 * @throws ValidationError `SLASHING_PROTECTION_INVALID`: files of different chains or another network's history
 *   (field `interchanges[i].metadata.genesis_validators_root`), or an entry for a key that is
 *   no validator's or share key of this cluster (field `interchanges[i].data[j].pubkey`).
 */
export function combinedSlashingFile(
  interchanges: readonly Interchange[],
  validators: readonly { readonly pubkey: Uint8Array; readonly publicShares: readonly Uint8Array[] }[],
  network?: Network | string,
): CombinedSlashing {
  const owner = new Map<string, Uint8Array>();
  for (const v of validators) {
    owner.set(bytesToHex(v.pubkey), v.pubkey);
    for (const s of v.publicShares) owner.set(bytesToHex(s), v.pubkey);
  }
  const rekeyed = interchanges.map((ic, i) => {
    if (network !== undefined) {
      try {
        checkInterchangeNetwork(ic, network);
      } catch (e) {
        // Name the file (the CLI shows interchanges[i] as the path given).
        const field = `interchanges[${i}].metadata.genesis_validators_root`;
        if (e instanceof ValidationError) throw new ValidationError(e.code, `'${field}': ${e.message}`, { field });
        throw e;
      }
    }
    return {
      genesisValidatorsRoot: ic.genesisValidatorsRoot,
      data: ic.data.map((d, j) => {
        const pubkey = owner.get(bytesToHex(d.pubkey));
        if (pubkey === undefined) {
          const field = `interchanges[${i}].data[${j}].pubkey`;
          throw new ValidationError('SLASHING_PROTECTION_INVALID', `'${field}' ${bytesToHex(d.pubkey, true).slice(0, 14)}… is neither a validator key nor a share key of this cluster`, { field });
        }
        return { ...d, pubkey };
      }),
    };
  });
  const merged = minifyInterchange(mergeInterchanges(rekeyed));
  const seen = new Set(merged.data.map((d) => bytesToHex(d.pubkey)));
  // In the cluster's validator order, so the file reads like the keystores.
  const order = new Map(validators.map((v, i) => [bytesToHex(v.pubkey), i]));
  const data = [...merged.data].sort((a, b) => order.get(bytesToHex(a.pubkey))! - order.get(bytesToHex(b.pubkey))!);
  return {
    file: textFile(SLASHING_FILE, formatInterchangeFile({ genesisValidatorsRoot: merged.genesisValidatorsRoot, data }), 'slashing-protection', false),
    missing: validators.filter((v) => !seen.has(bytesToHex(v.pubkey))).map((v) => v.pubkey),
  };
}
