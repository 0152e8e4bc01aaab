/**
 * The operators map, `operators.json` (docs/formats/operators-map.md): which node folder goes to which operator
 * (the person or organisation that runs it) in a layout whose own files know only nodes. A Charon lock lists n
 * nodes, each with one share (x = k + 1 for `node<k>`); with `--operators eridian:3,spacesider:3,cloud:3` three
 * people run three nodes each, and the slashing-safety figures (design section 5) must be computed on the people,
 * not on the nodes. The dvkeys layout needs no map: `ceremony.json` names each folder's operator (`group`).
 *
 * ```json
 * { "format": "dvkeys/operators", "version": 1, "layout": "charon", "cluster": "0x<lock hash>", "threshold": 6,
 *   "operators": [ { "name": "eridian", "nodes": ["node0", "node1", "node2"] }, ... ] }
 * ```
 * `cluster` binds the map to one cluster (the lock hash); `nodes` lists every node folder exactly once across all
 * operators. The map is public and written at the root and in every node folder, so each operator's copy says
 * whose it is; `verify` checks it against the lock and prints the safety figures on the operators.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { expectArray, expectHex, expectInteger, expectObject, expectString, parseJsonText } from '../json.js';
import { bytesToHex } from '../bytes.js';
import type { AnalyzeInput } from '../safety/input.js';
import { assertSafeName } from './manifest.js';

/** The file name, at the root of the output and in every node folder. */
export const OPERATORS_FILE = 'operators.json';
/** `format` of the file. */
export const OPERATORS_FORMAT = 'dvkeys/operators';
/** Largest map accepted (a Charon lock has at most 256 nodes). */
export const MAX_OPERATORS_TEXT_LENGTH = 1 << 20;

/** One operator and the node folders it runs. */
export interface MappedOperator {
  readonly name: string;
  /** Node folder names (`node<k>`), in node order. */
  readonly nodes: readonly string[];
}

/** A parsed operators map. */
export interface OperatorsMap {
  readonly layout: 'charon';
  /** The cluster it belongs to: the lock hash (32 bytes). */
  readonly cluster: Uint8Array;
  readonly threshold: number;
  readonly operators: readonly MappedOperator[];
}

const NODE_RE = /^node(0|[1-9][0-9]{0,2})$/;

/** The canonical text of a map (two-space JSON, keys in the order above, trailing newline). */
export function serializeOperatorsMap(map: OperatorsMap): string {
  const obj = {
    format: OPERATORS_FORMAT,
    version: 1,
    layout: map.layout,
    cluster: bytesToHex(map.cluster, true),
    threshold: map.threshold,
    operators: map.operators.map((o) => ({ name: o.name, nodes: [...o.nodes] })),
  };
  return `${JSON.stringify(obj, null, 2)}\n`;
}

/**
 * Parses a map strictly: closed key sets, safe names, node folder names `node<k>`, no node listed twice.
 * @throws ValidationError `INVALID_FORMAT` naming the field, `INVALID_JSON`, `LIMIT_EXCEEDED`.
 */
export function parseOperatorsMap(text: string, source = OPERATORS_FILE): OperatorsMap {
  const root = expectObject(parseJsonText(text, MAX_OPERATORS_TEXT_LENGTH, source), source, ['format', 'version', 'layout', 'cluster', 'threshold', 'operators']);
  if (root['format'] !== OPERATORS_FORMAT) throw new ValidationError('INVALID_FORMAT', `'${source}.format' must be '${OPERATORS_FORMAT}'`, { field: `${source}.format` });
  if (root['version'] !== 1) throw new ValidationError('INVALID_FORMAT', `'${source}.version' is not supported (this dvkeys reads version 1)`, { field: `${source}.version` });
  if (root['layout'] !== 'charon') throw new ValidationError('INVALID_FORMAT', `'${source}.layout' must be 'charon'`, { field: `${source}.layout` });
  const cluster = expectHex(root['cluster'], `${source}.cluster`, 32);
  const threshold = expectInteger(root['threshold'], `${source}.threshold`, 1, 256);
  const seen = new Set<string>();
  const names = new Set<string>();
  const operators = expectArray(root['operators'], `${source}.operators`, 256).map((o, i) => {
    const f = `${source}.operators[${i}]`;
    const obj = expectObject(o, f, ['name', 'nodes']);
    const name = assertSafeName(expectString(obj['name'], `${f}.name`, 64), `${f}.name`);
    if (names.has(name.toLowerCase())) throw new ValidationError('INVALID_FORMAT', `'${f}.name' repeats '${name}'`, { field: `${f}.name` });
    names.add(name.toLowerCase());
    const nodes = expectArray(obj['nodes'], `${f}.nodes`, 256).map((n, j) => {
      const node = expectString(n, `${f}.nodes[${j}]`, 8);
      if (!NODE_RE.test(node)) throw new ValidationError('INVALID_FORMAT', `'${f}.nodes[${j}]' must be a node folder name node<k>`, { field: `${f}.nodes[${j}]` });
      if (seen.has(node)) throw new ValidationError('INVALID_FORMAT', `'${f}.nodes[${j}]' lists ${node} a second time`, { field: `${f}.nodes[${j}]` });
      seen.add(node);
      return node;
    });
    if (nodes.length === 0) throw new ValidationError('INVALID_FORMAT', `'${f}.nodes' is empty`, { field: `${f}.nodes` });
    return { name, nodes };
  });
  if (operators.length === 0) throw new ValidationError('INVALID_FORMAT', `'${source}.operators' is empty`, { field: `${source}.operators` });
  return { layout: 'charon', cluster, threshold, operators };
}

/**
 * Checks a map against the cluster it claims: the same lock hash and threshold, and every node `node0..node{n-1}`
 * listed exactly once. Returns the operator of each node (index k) on success.
 * @throws ValidationError `CEREMONY_MISMATCH` for another cluster's map, `INVALID_FORMAT` for a map that does not
 *   cover the nodes exactly.
 */
export function checkOperatorsMap(map: OperatorsMap, cluster: { readonly lockHash: Uint8Array; readonly threshold: number; readonly nodes: number }, source = OPERATORS_FILE): string[] {
  if (bytesToHex(map.cluster) !== bytesToHex(cluster.lockHash)) {
    throw new ValidationError('CEREMONY_MISMATCH', `${source} is the map of cluster ${bytesToHex(map.cluster, true).slice(0, 12)}…, not of this lock (${bytesToHex(cluster.lockHash, true).slice(0, 12)}…)`, { field: `${source}.cluster` });
  }
  if (map.threshold !== cluster.threshold) {
    throw new ValidationError('CEREMONY_MISMATCH', `${source} says threshold ${map.threshold}; the lock's is ${cluster.threshold}`, { field: `${source}.threshold` });
  }
  const owner: (string | undefined)[] = new Array<string | undefined>(cluster.nodes).fill(undefined);
  for (const op of map.operators) {
    for (const node of op.nodes) {
      const k = Number(node.slice(4));
      if (k >= cluster.nodes) throw new ValidationError('INVALID_FORMAT', `${source} gives ${op.name} ${node}, but the lock has ${cluster.nodes} nodes`, { field: `${source}.operators` });
      owner[k] = op.name;
    }
  }
  const missing = owner.findIndex((o) => o === undefined);
  if (missing >= 0) throw new ValidationError('INVALID_FORMAT', `${source} gives node${missing} to no operator`, { field: `${source}.operators` });
  return owner as string[];
}

/** The safety-math input of a map: each operator holds as many shares as it runs nodes. */
export function mapAllocation(map: OperatorsMap): AnalyzeInput {
  return { threshold: map.threshold, operators: map.operators.map((o) => ({ name: o.name, shares: o.nodes.length })) };
}
