/**
 * The dvkeys layout as a {@link LayoutAdapter}: the cluster is `ceremony.json` (docs/formats/ceremony.md, design
 * section 3), written at the root and in every operator folder (`<name>/ceremony.json`). It carries the kind,
 * network, threshold, operators (share id, folder, group) and per validator the key, the Feldman commitments, the
 * public shares and the withdrawal credentials; no cluster name, fee recipient, deposits (those are
 * `deposit-data.json`, a file of its own) or encrypted shares.
 *
 * @module
 */
import { ValidationError } from '../../errors.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../manifest.js';
import { dvkeysLayout } from '../layouts/dvkeys.js';
import { coreOf, unsupported, type Cluster, type LayoutAdapter, type LayoutFiles } from '../cluster.js';
import type { CeremonyFile } from '../files.js';
import { fileText } from '../tree.js';

/**
 * The ceremony.json content of a cluster, without its `files` map (the split and DKG pipelines add it).
 * @throws ValidationError `LAYOUT_UNSUPPORTED` with no kind or no commitments.
 */
export function clusterToManifest(c: Cluster): Omit<Manifest, 'files'> {
  if (c.kind === null) throw unsupported('dvkeys', 'kind', "ceremony.json records whether the keys were split or made by a DKG");
  return {
    kind: c.kind,
    network: c.network,
    forkVersion: c.forkVersion,
    threshold: c.threshold,
    operators: c.operators.map((o) => ({ index: o.shareId, name: o.name, group: o.group })),
    validators: c.validators.map((v, i) => {
      if (v.commitments === null) throw unsupported('dvkeys', `validators[${i}].commitments`, 'ceremony.json needs the Feldman commitments, which this cluster does not have');
      return {
        pubkey: v.pubkey,
        commitments: v.commitments,
        publicShares: v.publicShares,
        ...(v.withdrawalCredentials === undefined ? {} : { withdrawalCredentials: v.withdrawalCredentials }),
      };
    }),
  };
}

/** ceremony.json at the root and in every operator folder (`files` empty: no keystore is written here). */
function toLayout(c: Cluster): CeremonyFile[] {
  return dvkeysLayout(clusterToManifest(c), c.operators.map((o) => ({ name: o.name, keystores: [] }))).files;
}

/**
 * Reads the cluster from `ceremony.json` (the root copy, or the one operator folder's copy); every copy given
 * must be the same bytes.
 * @throws ValidationError `INVALID_FORMAT` with no ceremony.json, `CEREMONY_MISMATCH` for copies that differ, and
 *   what parseManifest throws.
 */
function fromLayout(files: LayoutFiles): Cluster {
  const copies = [...files.entries()].filter(([p]) => p === MANIFEST_FILE || /^[^/]+\/ceremony\.json$/.test(p));
  const first = copies[0];
  if (first === undefined) throw new ValidationError('INVALID_FORMAT', `no ${MANIFEST_FILE} in the dvkeys layout`, { field: MANIFEST_FILE });
  for (const [path, bytes] of copies) {
    if (fileText(bytes, path) !== fileText(first[1], first[0])) {
      throw new ValidationError('CEREMONY_MISMATCH', `${path} differs from ${first[0]}: the folders are from different ceremonies`, { field: path });
    }
  }
  return manifestToCluster(parseManifest(fileText(first[1], first[0]), first[0]));
}

/** The cluster a parsed ceremony.json describes (verify reads a tree through this). */
export function manifestToCluster(m: Manifest): Cluster {
  return {
    kind: m.kind,
    threshold: m.threshold,
    operators: m.operators.map((o) => ({ shareId: o.index, name: o.name, group: o.group })),
    network: m.network,
    forkVersion: m.forkVersion,
    name: '',
    validators: m.validators.map((v) => ({
      pubkey: v.pubkey,
      publicShares: v.publicShares,
      commitments: v.commitments,
      ...(v.withdrawalCredentials === undefined ? {} : { withdrawalCredentials: v.withdrawalCredentials }),
    })),
  };
}

/** The fields ceremony.json keeps. */
function carried(c: Cluster): Cluster {
  const core = coreOf(c);
  return {
    ...core,
    name: '',
    validators: core.validators.map((v, i) => {
      const wc = c.validators[i]!.withdrawalCredentials;
      return wc === undefined ? v : { ...v, withdrawalCredentials: wc };
    }),
  };
}

/** The dvkeys layout adapter. */
export const dvkeysAdapter: LayoutAdapter = { layout: 'dvkeys', toLayout, fromLayout, carried };
