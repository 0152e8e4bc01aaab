/**
 * EIP-3076 slashing-protection interchange, format version 5: strict parse, the network check, filtering to the
 * validators being split (optionally re-keyed to each operator's share key), merging, minifying, and a scan for
 * slashable data inside one interchange. The signing rules after an import are in slashing-checker.ts.
 *
 * Interchange JSON (EIP-3076 "JSON Schema"):
 * `{"metadata":{"interchange_format_version":"5","genesis_validators_root":"0x…"},"data":[{"pubkey":"0x…",
 * "signed_blocks":[{"slot":"…","signing_root"?:"0x…"}],
 * "signed_attestations":[{"source_epoch":"…","target_epoch":"…","signing_root"?:"0x…"}]}]}`. Integers are decimal
 * strings (EIP-3076 "Integer Representation"). Parsing rejects unknown fields and non-canonical integers; hex may be
 * upper- or lowercase (other clients' files) and is written lowercase.
 *
 * @module
 */
import { abytes, bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { expectArray, expectObject, parseJsonText, parseUint64String } from '../json.js';
import { resolveNetwork, type Network } from './networks.js';

/** The interchange format version dvkeys reads and writes (EIP-3076 "Additional Information"). */
export const INTERCHANGE_FORMAT_VERSION = '5';
/** Longest interchange text accepted. Larger complete histories should be minified by the exporting client. */
export const MAX_INTERCHANGE_TEXT_LENGTH = 256 * 1024 * 1024;
/** Most records (validators + blocks + attestations) one interchange may hold. */
export const MAX_INTERCHANGE_RECORDS = 5_000_000;

const CODE = 'SLASHING_PROTECTION_INVALID';

/** A signed block: its slot and, when known, its signing root. */
export interface SignedBlockRecord {
  readonly slot: bigint;
  readonly signingRoot: Uint8Array | undefined;
}

/** A signed attestation: source and target epochs and, when known, its signing root. */
export interface SignedAttestationRecord {
  readonly sourceEpoch: bigint;
  readonly targetEpoch: bigint;
  readonly signingRoot: Uint8Array | undefined;
}

/** One `data` entry: a validator's signing history. */
export interface InterchangeValidator {
  /** 48 bytes. */
  readonly pubkey: Uint8Array;
  readonly signedBlocks: readonly SignedBlockRecord[];
  readonly signedAttestations: readonly SignedAttestationRecord[];
}

/** A parsed interchange. */
export interface Interchange {
  /** 32 bytes: identifies the chain. */
  readonly genesisValidatorsRoot: Uint8Array;
  readonly data: readonly InterchangeValidator[];
}

function root(value: unknown, field: string): Uint8Array {
  return hexToBytes(value, field, { length: 32, prefix: 'required', allowUppercase: true });
}

function optionalRoot(obj: Readonly<Record<string, unknown>>, field: string): Uint8Array | undefined {
  return 'signing_root' in obj ? root(obj.signing_root, `${field}.signing_root`) : undefined;
}

/** Options of {@link parseInterchange}. */
export interface ParseInterchangeOptions {
  /** Cap on validators + blocks + attestations; default {@link MAX_INTERCHANGE_RECORDS}. */
  readonly maxRecords?: number;
}

/**
 * Parses an EIP-3076 interchange JSON value strictly.
 * @throws ValidationError `SLASHING_PROTECTION_INVALID` (shape, version, integers), `INVALID_HEX`,
 *   `INVALID_LENGTH`, `LIMIT_EXCEEDED`, each naming the field (e.g. `data[2].signed_blocks[5].slot`).
 */
export function parseInterchange(value: unknown, options: ParseInterchangeOptions = {}): Interchange {
  const maxRecords = options.maxRecords ?? MAX_INTERCHANGE_RECORDS;
  let budget = maxRecords;
  const take = (items: readonly unknown[], field: string): void => {
    budget -= items.length;
    if (budget < 0) {
      throw new ValidationError('LIMIT_EXCEEDED', `the interchange holds more than ${maxRecords} records`, { field });
    }
  };
  const top = expectObject(value, 'interchange', ['metadata', 'data'], [], CODE);
  const metaKeys = ['interchange_format_version', 'genesis_validators_root'];
  const meta = expectObject(top.metadata, 'metadata', metaKeys, [], CODE);
  if (meta.interchange_format_version !== INTERCHANGE_FORMAT_VERSION) {
    throw new ValidationError(CODE, "'metadata.interchange_format_version' must be \"5\"", {
      field: 'metadata.interchange_format_version',
    });
  }
  const genesisValidatorsRoot = root(meta.genesis_validators_root, 'metadata.genesis_validators_root');
  const items = expectArray(top.data, 'data', Number.MAX_SAFE_INTEGER, CODE);
  take(items, 'data');
  const data = items.map((item, i): InterchangeValidator => {
    const at = `data[${i}]`;
    const v = expectObject(item, at, ['pubkey', 'signed_blocks', 'signed_attestations'], [], CODE);
    const blocks = expectArray(v.signed_blocks, `${at}.signed_blocks`, Number.MAX_SAFE_INTEGER, CODE);
    take(blocks, `${at}.signed_blocks`);
    const atts = expectArray(v.signed_attestations, `${at}.signed_attestations`, Number.MAX_SAFE_INTEGER, CODE);
    take(atts, `${at}.signed_attestations`);
    return {
      pubkey: hexToBytes(v.pubkey, `${at}.pubkey`, { length: 48, prefix: 'required', allowUppercase: true }),
      signedBlocks: blocks.map((b, j) => {
        const f = `${at}.signed_blocks[${j}]`;
        const o = expectObject(b, f, ['slot'], ['signing_root'], CODE);
        return { slot: parseUint64String(o.slot, `${f}.slot`, CODE), signingRoot: optionalRoot(o, f) };
      }),
      signedAttestations: atts.map((a, j) => {
        const f = `${at}.signed_attestations[${j}]`;
        const o = expectObject(a, f, ['source_epoch', 'target_epoch'], ['signing_root'], CODE);
        return {
          sourceEpoch: parseUint64String(o.source_epoch, `${f}.source_epoch`, CODE),
          targetEpoch: parseUint64String(o.target_epoch, `${f}.target_epoch`, CODE),
          signingRoot: optionalRoot(o, f),
        };
      }),
    };
  });
  return { genesisValidatorsRoot, data };
}

/**
 * {@link parseInterchange} of a file's text, after a length cap ({@link MAX_INTERCHANGE_TEXT_LENGTH}).
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, and what {@link parseInterchange} throws.
 */
export function parseInterchangeFile(text: string, options: ParseInterchangeOptions = {}): Interchange {
  return parseInterchange(parseJsonText(text, MAX_INTERCHANGE_TEXT_LENGTH, 'interchange'), options);
}

/** The EIP-3076 JSON of an interchange (lowercase hex; `signing_root` only where known). */
export interface InterchangeJson {
  metadata: { interchange_format_version: string; genesis_validators_root: string };
  data: {
    pubkey: string;
    signed_blocks: { slot: string; signing_root?: string }[];
    signed_attestations: { source_epoch: string; target_epoch: string; signing_root?: string }[];
  }[];
}

/** The JSON object of an interchange. */
export function interchangeToJson(ic: Interchange): InterchangeJson {
  const rootField = (r: Uint8Array | undefined): { signing_root?: string } =>
    r === undefined ? {} : { signing_root: bytesToHex(r, true) };
  return {
    metadata: {
      interchange_format_version: INTERCHANGE_FORMAT_VERSION,
      genesis_validators_root: bytesToHex(ic.genesisValidatorsRoot, true),
    },
    data: ic.data.map((v) => ({
      pubkey: bytesToHex(v.pubkey, true),
      signed_blocks: v.signedBlocks.map((b) => ({ slot: b.slot.toString(), ...rootField(b.signingRoot) })),
      signed_attestations: v.signedAttestations.map((a) => ({
        source_epoch: a.sourceEpoch.toString(),
        target_epoch: a.targetEpoch.toString(),
        ...rootField(a.signingRoot),
      })),
    })),
  };
}

/** The text of an interchange file: two-space indentation and a final newline. */
export function formatInterchangeFile(ic: Interchange): string {
  return `${JSON.stringify(interchangeToJson(ic), null, 2)}\n`;
}

/**
 * Checks that the interchange is for `network` (its genesis validators root).
 * @throws ValidationError `SLASHING_PROTECTION_INVALID` (field `metadata.genesis_validators_root`),
 *   `NETWORK_UNKNOWN`, or `INVALID_ARGUMENT` for a custom network without a genesis validators root.
 */
export function checkInterchangeNetwork(ic: Interchange, network: Network | string): void {
  const net = resolveNetwork(network);
  if (net.genesisValidatorsRoot === undefined) {
    throw new ValidationError('INVALID_ARGUMENT', `network ${net.name} has no genesis validators root`, {
      field: 'network.genesisValidatorsRoot',
    });
  }
  if (bytesToHex(ic.genesisValidatorsRoot) !== bytesToHex(net.genesisValidatorsRoot)) {
    throw new ValidationError(CODE, `the interchange is not for ${net.name} (genesis validators root differs)`, {
      field: 'metadata.genesis_validators_root',
    });
  }
}

/** A validator to keep in {@link filterInterchange}, optionally written under another public key. */
export interface InterchangeSelection {
  readonly pubkey: Uint8Array;
  /** The key the history is written under (e.g. an operator's share public key); default `pubkey`. */
  readonly as?: Uint8Array;
}

/** Result of {@link filterInterchange}. */
export interface FilterResult {
  readonly interchange: Interchange;
  /** Selected validators with no history in the interchange, in selection order. */
  readonly missing: readonly Uint8Array[];
}

/**
 * Keeps only the selected validators' histories (merged per validator, see {@link mergeInterchanges}), in selection
 * order, each written under its `as` key when given.
 * @throws ValidationError `INVALID_LENGTH` for a key that is not 48 bytes; `INVALID_ARGUMENT` when two selections
 *   name the same validator or the same `as` key.
 */
export function filterInterchange(ic: Interchange, selection: readonly InterchangeSelection[]): FilterResult {
  const merged = new Map(mergeInterchanges([ic]).data.map((v) => [bytesToHex(v.pubkey), v]));
  const seen = new Set<string>();
  const seenAs = new Set<string>();
  const data: InterchangeValidator[] = [];
  const missing: Uint8Array[] = [];
  selection.forEach((s, i) => {
    const key = bytesToHex(abytes(s.pubkey, 48, `selection[${i}].pubkey`));
    const as = s.as === undefined ? s.pubkey : abytes(s.as, 48, `selection[${i}].as`);
    const asKey = bytesToHex(as);
    if (seen.has(key) || seenAs.has(asKey)) {
      throw new ValidationError('INVALID_ARGUMENT', `'selection[${i}]' repeats a validator or target key`, {
        field: `selection[${i}]`,
      });
    }
    seen.add(key);
    seenAs.add(asKey);
    const v = merged.get(key);
    if (v === undefined) missing.push(Uint8Array.from(s.pubkey));
    else data.push({ ...v, pubkey: Uint8Array.from(as) });
  });
  return { interchange: { genesisValidatorsRoot: Uint8Array.from(ic.genesisValidatorsRoot), data }, missing };
}

function rootKey(r: Uint8Array | undefined): string {
  return r === undefined ? '-' : bytesToHex(r);
}

/**
 * Merges interchanges of one chain: one entry per validator (first-seen order), the union of its records without
 * exact duplicates, blocks sorted by slot and attestations by (target, source).
 * @throws ValidationError `SLASHING_PROTECTION_INVALID` (field `interchanges[i].metadata.genesis_validators_root`)
 *   when the chains differ; `INVALID_ARGUMENT` for an empty list.
 */
export function mergeInterchanges(interchanges: readonly Interchange[]): Interchange {
  const first = interchanges[0];
  if (first === undefined) {
    throw new ValidationError('INVALID_ARGUMENT', "'interchanges' must not be empty", { field: 'interchanges' });
  }
  const gvr = bytesToHex(first.genesisValidatorsRoot);
  interface Entry {
    readonly pubkey: Uint8Array;
    readonly blocks: Map<string, SignedBlockRecord>;
    readonly atts: Map<string, SignedAttestationRecord>;
  }
  const byKey = new Map<string, Entry>();
  interchanges.forEach((ic, i) => {
    if (bytesToHex(ic.genesisValidatorsRoot) !== gvr) {
      const field = `interchanges[${i}].metadata.genesis_validators_root`;
      throw new ValidationError(CODE, `'${field}' differs from interchanges[0]`, { field });
    }
    for (const v of ic.data) {
      const key = bytesToHex(v.pubkey);
      const entry = byKey.get(key) ?? { pubkey: Uint8Array.from(v.pubkey), blocks: new Map(), atts: new Map() };
      byKey.set(key, entry);
      for (const b of v.signedBlocks) entry.blocks.set(`${b.slot}/${rootKey(b.signingRoot)}`, b);
      for (const a of v.signedAttestations) {
        entry.atts.set(`${a.sourceEpoch}/${a.targetEpoch}/${rootKey(a.signingRoot)}`, a);
      }
    }
  });
  const cmp = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  return {
    genesisValidatorsRoot: Uint8Array.from(first.genesisValidatorsRoot),
    data: [...byKey.values()].map((e) => ({
      pubkey: e.pubkey,
      signedBlocks: [...e.blocks.values()].sort((a, b) => cmp(a.slot, b.slot)),
      signedAttestations: [...e.atts.values()].sort(
        (a, b) => cmp(a.targetEpoch, b.targetEpoch) || cmp(a.sourceEpoch, b.sourceEpoch),
      ),
    })),
  };
}

/**
 * Minifies an interchange (EIP-3076 "Advice for Minimal Databases"; lighthouse's `minify`): per validator one
 * block at the maximum slot and one attestation with the maximum source and maximum target epochs, without signing
 * roots. An importer then refuses everything at or below them (conditions 2, 4, 5), which is safe.
 */
export function minifyInterchange(ic: Interchange): Interchange {
  const max = (xs: readonly bigint[]): bigint => xs.reduce((m, x) => (x > m ? x : m));
  const merged = mergeInterchanges([ic]);
  return {
    genesisValidatorsRoot: merged.genesisValidatorsRoot,
    data: merged.data.map((v) => ({
      pubkey: v.pubkey,
      signedBlocks:
        v.signedBlocks.length === 0 ? [] : [{ slot: max(v.signedBlocks.map((b) => b.slot)), signingRoot: undefined }],
      signedAttestations:
        v.signedAttestations.length === 0
          ? []
          : [
              {
                sourceEpoch: max(v.signedAttestations.map((a) => a.sourceEpoch)),
                targetEpoch: max(v.signedAttestations.map((a) => a.targetEpoch)),
                signingRoot: undefined,
              },
            ],
    })),
  };
}
