/**
 * Operator lists as users give them to `split --layout ssv`: `--ssv-operators 1:KEY,2:KEY,...` (KEY = the
 * operator's public key as SSV's explorer and API show it: base64 of the PEM, which contains no `,` or `:`), or a
 * JSON file: an array of `{id, operatorKey}` (the keyshares.json operator shape), `{id, publicKey}` or
 * `{id, public_key}` (SSV API), possibly wrapped as `{"operators": [...]}`. Keys are parsed later
 * (rsa.ts `parseOperatorKey`); this only reads the list.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import type { SsvOperatorInput } from './create.js';

/** Most operators a list may name (SSV's largest cluster is 13). */
export const MAX_SSV_OPERATOR_LIST = 13;
const MAX_LIST_TEXT = 128 * 1024;

function fail(field: string, message: string): never {
  throw new ValidationError('INVALID_ARGUMENT', `'${field}' ${message}`, { field });
}

function toId(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) fail(field, 'expected a positive integer operator id');
  return n;
}

function fromJson(value: unknown, field: string): SsvOperatorInput[] {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? (value as Record<string, unknown>).operators : undefined;
  if (!Array.isArray(list)) fail(field, 'expected an array of operators or {"operators": [...]}');
  if (list.length > MAX_SSV_OPERATOR_LIST) fail(field, `names ${list.length} operators; at most ${MAX_SSV_OPERATOR_LIST}`);
  return list.map((o: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof o !== 'object' || o === null) fail(at, 'expected {id, operatorKey}');
    const r = o as Record<string, unknown>;
    const keys = ['operatorKey', 'publicKey', 'public_key'].filter((k) => typeof r[k] === 'string');
    if (keys.length !== 1) fail(at, 'needs exactly one of operatorKey, publicKey, public_key');
    return { id: toId(r.id, `${at}.id`), operatorKey: r[keys[0]!] as string };
  });
}

/**
 * Reads an operator list: `id:key,id:key` text, or the JSON text of a file (see the module comment).
 * @throws ValidationError `INVALID_ARGUMENT` naming `field` or `field[i]`.
 */
export function parseSsvOperators(text: string, field = 'ssvOperators'): SsvOperatorInput[] {
  if (typeof text !== 'string' || text.trim() === '') fail(field, 'expected a list of operators');
  if (text.length > MAX_LIST_TEXT) fail(field, `is longer than ${MAX_LIST_TEXT} characters`);
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed) as unknown;
    } catch {
      fail(field, 'is not valid JSON');
    }
    return fromJson(value, field);
  }
  const entries = trimmed.split(',');
  if (entries.length > MAX_SSV_OPERATOR_LIST) fail(field, `names ${entries.length} operators; at most ${MAX_SSV_OPERATOR_LIST}`);
  return entries.map((entry, i) => {
    const at = `${field}[${i}]`;
    const colon = entry.indexOf(':');
    if (colon < 0) fail(at, 'expected id:key');
    return { id: toId(entry.slice(0, colon).trim(), `${at}.id`), operatorKey: entry.slice(colon + 1).trim() };
  });
}
