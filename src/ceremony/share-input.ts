/**
 * Is a keystore given to `split` already a share? (issue 13, docs/decisions/0800-share-input-detection.md)
 *
 * Splitting a share again makes shares of a share: the new "cluster" signs for the share's public key, not for
 * any validator, and the operator who did it believes the validator is now distributed. `split` refuses such an
 * input unless `--allow-share-input`. The signals, strongest first, each read without a password:
 *
 * 1. the keystore's `description` is the one dvkeys writes for every share (split, DKG and Charon layout:
 *    {@link describeShare});
 * 2. its `pubkey` is listed in a `ceremony.json` or `cluster-lock.json` beside it (a public share);
 * 3. such a file is beside it at all: the folder is an operator or node folder. "Beside" is the keystore's own
 *    folder, and for Charon's `validator_keys/` also the node folder above it.
 *
 * Pure: the CLI reads the neighbouring files and passes their text here.
 *
 * @module
 */
import type { Keystore } from '../keys/keystore-format.js';

/** Files whose presence beside a keystore marks an operator folder: dvkeys' manifest and Charon's lock. */
export const SHARE_FOLDER_MARKERS = ['ceremony.json', 'cluster-lock.json'] as const;

/** A marker file found beside a keystore. */
export interface NeighbourFile {
  /** The path as shown to the user. */
  readonly path: string;
  /** Its text (only searched for the keystore's pubkey). */
  readonly text: string;
}

const SHARE_DESCRIPTION = /^dvkeys share ([0-9]+) \(threshold ([0-9]+) of ([0-9]+)\) of validator (0x[0-9a-f]{96})$/;

/**
 * Why `keystore` looks like a share, in words that finish "…is a share: <reason>", or undefined when nothing says so.
 * @param neighbours the marker files ({@link SHARE_FOLDER_MARKERS}) found beside the keystore.
 */
export function shareInputReason(keystore: Keystore, neighbours: readonly NeighbourFile[]): string | undefined {
  const m = SHARE_DESCRIPTION.exec(keystore.description ?? '');
  if (m !== null) return `its description says it is share ${m[1]!} (threshold ${m[2]!} of ${m[3]!}) of validator ${m[4]!.slice(0, 14)}…`;
  const pubkey = keystore.pubkey?.toLowerCase();
  if (pubkey !== undefined && /^[0-9a-f]{96}$/.test(pubkey)) {
    const listing = neighbours.find((f) => f.text.toLowerCase().includes(pubkey));
    if (listing !== undefined) return `its pubkey 0x${pubkey.slice(0, 12)}… is listed in ${listing.path}`;
  }
  const marker = neighbours[0];
  if (marker !== undefined) return `${marker.path} beside it marks an operator's folder of a cluster`;
  return undefined;
}
