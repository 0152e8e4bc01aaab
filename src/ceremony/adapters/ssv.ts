/**
 * The SSV layout as a {@link LayoutAdapter}: the cluster is one `keyshares.json` (research/interop-formats.md 2.1,
 * ssv-keys v1.2: `{version, createdAt, shares: [{data, payload}]}`, or the legacy single-item form). Operator x =
 * SSV operator id (as ssv-keys shares); the threshold is SSV's rule t = 2f + 1 for n = 3f + 1 operators.
 *
 * It carries the operators (id and RSA key), and per validator the key, the share public keys and the shares
 * encrypted to each operator (`payload.sharesData` = signature ‖ share keys ‖ ciphertexts), the owner address and
 * nonce and the owner:nonce signature. It names no network, cluster name, operator names (they read back as
 * `operator-<id>`), commitments, deposits or fee recipient. One file whose items use different operator sets
 * describes several clusters: `fromLayout` refuses it.
 *
 * @module
 */
import { bytesToHex } from '../../bytes.js';
import { ValidationError } from '../../errors.js';
import { parseKeyshares, parseKeysharesText, serializeKeyshares, type KeysharesFile } from '../../ssv/keyshares.js';
import { encodeSharesData, ssvRule } from '../../ssv/payload.js';
import { KEYSHARES_FILE } from '../layouts/ssv.js';
import { textFile, type CeremonyFile } from '../files.js';
import { fileText } from '../tree.js';
import { coreOf, unsupported, type Cluster, type LayoutAdapter, type LayoutFiles } from '../cluster.js';

/** The label an SSV operator reads back with. */
export function ssvOperatorName(id: number): string {
  return `operator-${id}`;
}

/** The keyshares.json of a cluster (validated by the strict parser before it is written). */
export function clusterToKeyshares(c: Cluster): KeysharesFile {
  const rec = c.ssv;
  if (rec === undefined) throw unsupported('ssv', 'ssv', 'keyshares.json needs its version and creation time');
  const rule = ssvRule(c.operators.length, 'operators');
  if (c.threshold !== rule.threshold) throw unsupported('ssv', 'threshold', `SSV's rule fixes t = ${rule.threshold} for ${rule.operators} operators`);
  if (rec.layout === 'single' && c.validators.length !== 1) throw unsupported('ssv', 'ssv.layout', 'the single-item keyshares form holds one validator');
  const operators = c.operators.map((o, k) => {
    if (o.ssv === undefined) throw unsupported('ssv', `operators[${k}].ssv`, 'an SSV operator needs its RSA key');
    return { id: o.shareId, operatorKey: o.ssv.operatorKey };
  });
  const items = c.validators.map((v, i) => {
    if (v.ssv === undefined) throw unsupported('ssv', `validators[${i}].ssv`, 'an SSV item needs the owner address, nonce and signature');
    if (v.encryptedShares === undefined) throw unsupported('ssv', `validators[${i}].encryptedShares`, 'an SSV item carries every share encrypted to its operator');
    const publicKey = bytesToHex(v.pubkey, true);
    const sharesData = encodeSharesData({ signature: v.ssv.signature, sharePublicKeys: v.publicShares, encryptedShares: v.encryptedShares });
    return {
      data: { ownerNonce: v.ssv.ownerNonce, ownerAddress: v.ssv.ownerAddress, publicKey, operators },
      payload: { publicKey, operatorIds: operators.map((o) => o.id), sharesData: bytesToHex(sharesData, true) },
    };
  });
  const head = { version: rec.version, createdAt: rec.createdAt };
  return parseKeyshares(rec.layout === 'single' ? { ...head, ...items[0] } : { ...head, shares: items });
}

function toLayout(c: Cluster): CeremonyFile[] {
  return [textFile(KEYSHARES_FILE, serializeKeyshares(clusterToKeyshares(c)), 'keyshares', false)];
}

/**
 * The cluster of a parsed keyshares file.
 * @throws ValidationError `LAYOUT_UNSUPPORTED` when items use different operators (several clusters in one file).
 */
export function keysharesToCluster(file: KeysharesFile): Cluster {
  const first = file.items[0]!;
  const ops = (i: number): string => file.items[i]!.operators.map((o) => `${o.id}:${o.operatorKey}`).join(',');
  file.items.forEach((_item, i) => {
    if (ops(i) !== ops(0)) {
      const field = file.layout === 'multi' ? `shares[${i}].data.operators` : 'keyshares.data.operators';
      throw new ValidationError('LAYOUT_UNSUPPORTED', `'${field}' differs from the first item's operators: one cluster has one operator set; split the file per operator set`, { field });
    }
  });
  return {
    kind: null,
    threshold: ssvRule(first.operators.length).threshold,
    operators: first.operators.map((o) => ({ shareId: o.id, name: ssvOperatorName(o.id), group: ssvOperatorName(o.id), ssv: { operatorKey: o.operatorKey } })),
    network: null,
    forkVersion: null,
    name: '',
    validators: file.items.map((item) => ({
      pubkey: item.publicKey,
      publicShares: item.parts.sharePublicKeys,
      commitments: null,
      encryptedShares: item.parts.encryptedShares,
      ssv: { ownerAddress: item.ownerAddress, ownerNonce: item.ownerNonce, signature: item.parts.signature },
    })),
    ssv: { version: file.version, createdAt: file.createdAt, layout: file.layout },
  };
}

/**
 * Reads `keyshares.json`.
 * @throws ValidationError `INVALID_FORMAT` when it is missing, what parseKeysharesText throws, and
 *   {@link keysharesToCluster}'s refusal.
 */
function fromLayout(files: LayoutFiles): Cluster {
  const bytes = files.get(KEYSHARES_FILE);
  if (bytes === undefined) throw new ValidationError('INVALID_FORMAT', `no ${KEYSHARES_FILE} in the SSV layout`, { field: KEYSHARES_FILE });
  return keysharesToCluster(parseKeysharesText(fileText(bytes, KEYSHARES_FILE)));
}

/** The fields keyshares.json keeps. */
function carried(c: Cluster): Cluster {
  const core = coreOf(c);
  return {
    ...core,
    kind: null,
    network: null,
    forkVersion: null,
    name: '',
    operators: c.operators.map((o) => ({ shareId: o.shareId, name: ssvOperatorName(o.shareId), group: ssvOperatorName(o.shareId), ...(o.ssv === undefined ? {} : { ssv: o.ssv }) })),
    validators: c.validators.map((v) => ({
      pubkey: v.pubkey,
      publicShares: v.publicShares,
      commitments: null,
      ...(v.encryptedShares === undefined ? {} : { encryptedShares: v.encryptedShares }),
      ...(v.ssv === undefined ? {} : { ssv: v.ssv }),
    })),
    ...(c.ssv === undefined ? {} : { ssv: c.ssv }),
  };
}

/** The SSV layout adapter. */
export const ssvAdapter: LayoutAdapter = { layout: 'ssv', toLayout, fromLayout, carried };
