/**
 * SSV `keyshares.json` as ssv-keys v1.1/v1.2 and ssv-dkg write it (research/interop-formats.md 2.1): a strict
 * parser for the multi-validator layout `{version, createdAt, shares: [{data, payload}]}` and the legacy single
 * layout (`data` and `payload` beside `version`), and a serialiser for the multi layout.
 *
 * Parsing applies ssv-keys' read rules (2.6) and the layout's consistency: ids are positive integers, sorted, unique
 * and the same in `data.operators` and `payload.operatorIds`; every operator key parses as RSA-2048 and none
 * repeats; n is 4, 7, 10 or 13; `data.publicKey` = `payload.publicKey`; `sharesData` has 96 + 304·n bytes; the
 * owner address is an address (any case; mixed case must be a valid EIP-55 checksum); the nonce a non-negative
 * integer. Unknown fields are refused. Signatures and points are checked by verify.ts.
 *
 * @module
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError, isDvkeysError } from '../errors.js';
import { parseExecutionAddress } from '../eth/withdrawal.js';
import { parseJsonText } from '../json.js';
import { decodeSharesData, ssvRule, type SharesData } from './payload.js';
import { parseOperatorKey, type RsaPublicKey } from './rsa.js';

/** Longest keyshares text accepted (one 13-operator item is about 16 KB). */
export const MAX_KEYSHARES_TEXT_LENGTH = 16 * 1024 * 1024;
/** Most items (validators) in one file. */
export const MAX_KEYSHARES_ITEMS = 1000;
/** The version dvkeys writes: ssv-keys 1.2's, which ssv-keys 1.2.x requires (major.minor) and ssv-dkg writes. */
export const KEYSHARES_VERSION = 'v1.2.0';

/** One operator of an item. */
export interface KeysharesOperator {
  readonly id: number;
  /** As written (base64 of the PEM). */
  readonly operatorKey: string;
  readonly key: RsaPublicKey;
}

/** One validator's entry. */
export interface KeysharesItem {
  readonly ownerNonce: number;
  /** As written. */
  readonly ownerAddress: string;
  readonly owner: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Sorted by id. */
  readonly operators: readonly KeysharesOperator[];
  readonly sharesData: Uint8Array;
  /** sharesData split into its parts. */
  readonly parts: SharesData;
}

/** A parsed keyshares file. */
export interface KeysharesFile {
  readonly version: string;
  readonly createdAt: string;
  /** `multi`: `shares: [...]`; `single`: the legacy top-level `data`/`payload`. */
  readonly layout: 'multi' | 'single';
  readonly items: readonly KeysharesItem[];
}

type Obj = Readonly<Record<string, unknown>>;

function fail(field: string, message: string): never {
  throw new ValidationError('KEYSHARES_INVALID', `'${field}' ${message}`, { field });
}

function object(value: unknown, field: string, keys: readonly string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'expected an object');
  const obj = value as Obj;
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(`${field}.${k.slice(0, 40)}`, 'is not a keyshares field');
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(obj, k)) fail(`${field}.${k}`, 'is missing');
  return obj;
}

function id(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(field, 'expected a positive integer operator id');
  return value;
}

/** Re-labels a lower-level ValidationError as KEYSHARES_INVALID at `field`. */
function within<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isDvkeysError(e)) fail(field, e.message.replace(/^'[^']*' /, ''));
    throw e;
  }
}

function parseItem(data: unknown, payload: unknown, at: string): KeysharesItem {
  const d = object(data, `${at}.data`, ['ownerNonce', 'ownerAddress', 'publicKey', 'operators']);
  const p = object(payload, `${at}.payload`, ['publicKey', 'operatorIds', 'sharesData']);
  const ownerNonce = d.ownerNonce;
  if (typeof ownerNonce !== 'number' || !Number.isSafeInteger(ownerNonce) || ownerNonce < 0) fail(`${at}.data.ownerNonce`, 'expected a non-negative integer');
  const ownerAddress = d.ownerAddress;
  const owner = within(`${at}.data.ownerAddress`, () => parseExecutionAddress(ownerAddress, `${at}.data.ownerAddress`));
  const publicKey = within(`${at}.data.publicKey`, () => hexToBytes(d.publicKey, `${at}.data.publicKey`, { prefix: 'required', length: 48 }));
  const payloadKey = within(`${at}.payload.publicKey`, () => hexToBytes(p.publicKey, `${at}.payload.publicKey`, { prefix: 'required', length: 48 }));
  if (bytesToHex(publicKey) !== bytesToHex(payloadKey)) fail(`${at}.payload.publicKey`, 'differs from data.publicKey');
  if (!Array.isArray(d.operators)) fail(`${at}.data.operators`, 'expected an array');
  if (!Array.isArray(p.operatorIds)) fail(`${at}.payload.operatorIds`, 'expected an array');
  const ops = d.operators as readonly unknown[];
  const ids = p.operatorIds as readonly unknown[];
  if (ops.length > 13 || ids.length !== ops.length) fail(`${at}.payload.operatorIds`, `has ${ids.length} ids for ${ops.length} operators`);
  within(`${at}.data.operators`, () => ssvRule(ops.length, `${at}.data.operators`));
  const seenKeys = new Set<string>();
  const operators = ops.map((o, i) => {
    const of = `${at}.data.operators[${i}]`;
    const op = object(o, of, ['id', 'operatorKey']);
    const opId = id(op.id, `${of}.id`);
    if (id(ids[i], `${at}.payload.operatorIds[${i}]`) !== opId) fail(`${at}.payload.operatorIds[${i}]`, `is not data.operators[${i}].id`);
    if (i > 0 && opId <= id((ops[i - 1] as Obj).id, `${at}.data.operators[${i - 1}].id`)) fail(`${of}.id`, 'ids must be sorted ascending and unique');
    const key = within(`${of}.operatorKey`, () => parseOperatorKey(op.operatorKey, `${of}.operatorKey`));
    const k = key.n.toString(16);
    if (seenKeys.has(k)) fail(`${of}.operatorKey`, 'repeats the key of another operator');
    seenKeys.add(k);
    return { id: opId, operatorKey: op.operatorKey as string, key };
  });
  const sharesData = within(`${at}.payload.sharesData`, () => hexToBytes(p.sharesData, `${at}.payload.sharesData`, { prefix: 'required' }));
  const parts = decodeSharesData(sharesData, operators.length, `${at}.payload.sharesData`);
  return { ownerNonce, ownerAddress: ownerAddress as string, owner, publicKey, operators, sharesData, parts };
}

/**
 * Parses the JSON value of a keyshares file strictly (see the module comment).
 * @throws ValidationError `KEYSHARES_INVALID` naming the path (e.g. `shares[0].data.operators[2].operatorKey`),
 *   `LIMIT_EXCEEDED` for too many items.
 */
export function parseKeyshares(value: unknown): KeysharesFile {
  const top = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : fail('keyshares', 'expected an object');
  const layout = 'shares' in top ? 'multi' : 'single';
  const obj = object(value, 'keyshares', layout === 'multi' ? ['version', 'createdAt', 'shares'] : ['version', 'createdAt', 'data', 'payload']);
  const version = obj.version;
  if (typeof version !== 'string' || !/^v[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(version)) fail('keyshares.version', 'expected a version such as v1.2.0');
  const createdAt = obj.createdAt;
  if (typeof createdAt !== 'string' || createdAt.length > 64) fail('keyshares.createdAt', 'expected a timestamp string');
  let items: KeysharesItem[];
  if (layout === 'multi') {
    if (!Array.isArray(obj.shares)) fail('shares', 'expected an array');
    const shares = obj.shares as readonly unknown[];
    if (shares.length > MAX_KEYSHARES_ITEMS) {
      throw new ValidationError('LIMIT_EXCEEDED', `'shares' has ${shares.length} items; the limit is ${MAX_KEYSHARES_ITEMS}`, { field: 'shares' });
    }
    if (shares.length === 0) fail('shares', 'holds no validator');
    items = shares.map((s, i) => {
      const item = object(s, `shares[${i}]`, ['data', 'payload']);
      return parseItem(item.data, item.payload, `shares[${i}]`);
    });
  } else {
    items = [parseItem(obj.data, obj.payload, 'keyshares')];
  }
  return { version, createdAt, layout, items };
}

/**
 * Parses the text of a keyshares file after a length cap.
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, and what {@link parseKeyshares} throws.
 */
export function parseKeysharesText(text: string): KeysharesFile {
  return parseKeyshares(parseJsonText(text, MAX_KEYSHARES_TEXT_LENGTH, 'keyshares'));
}

function itemJson(item: KeysharesItem): Record<string, unknown> {
  const publicKey = bytesToHex(item.publicKey, true);
  return {
    data: {
      ownerNonce: item.ownerNonce,
      ownerAddress: item.ownerAddress,
      publicKey,
      operators: item.operators.map((o) => ({ id: o.id, operatorKey: o.operatorKey })),
    },
    payload: { publicKey, operatorIds: item.operators.map((o) => o.id), sharesData: bytesToHex(item.sharesData, true) },
  };
}

/** The JSON value of a keyshares file, in the key order ssv-keys writes (the layout it was parsed from). */
export function keysharesToJson(file: KeysharesFile): Record<string, unknown> {
  const head = { version: file.version, createdAt: file.createdAt };
  if (file.layout === 'single') return { ...head, ...itemJson(file.items[0]!) };
  return { ...head, shares: file.items.map(itemJson) };
}

/** The text of a keyshares file: two-space indentation and a final newline. */
export function serializeKeyshares(file: KeysharesFile): string {
  return `${JSON.stringify(keysharesToJson(file), null, 2)}\n`;
}
