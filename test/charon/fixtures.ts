/** Shared helpers for test/charon: the copied Charon lock vectors, expected-error assertions and re-hashing. */
import { expect } from 'vitest';
import { isDvkeysError } from '../../src/errors.js';
import { computeConfigHash, computeDefinitionHash, computeLockHash } from '../../src/charon/lock-hash.js';
import { clusterLockToJson } from '../../src/charon/lock-json.js';
import { parseClusterLock } from '../../src/charon/lock-parse.js';
import { loadVector } from '../helpers/vectors.js';

export interface LockCase {
  id: string;
  version: string;
  network: string;
  expected: { config_hash: string; definition_hash: string; lock_hash: string };
  shape: { operators: number; threshold: number; num_validators: number; partial_deposits?: number };
  verified: Record<string, unknown>;
  lock: Record<string, unknown>;
}

export const LOCKS = loadVector<{ cases: LockCase[] }>('charon/charon-locks.json').cases;

export function lockCase(id: string): LockCase {
  const c = LOCKS.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no case ${id}`);
  return c;
}

/** A JSON object. */
export type Json = Record<string, unknown>;

/** A deep copy of a fixture lock's JSON, to tamper with. */
export function lockJson(id: string): Json {
  return structuredClone(lockCase(id).lock);
}

/** Recomputes config_hash, definition_hash and lock_hash of a (tampered) lock JSON, as an attacker would. */
export function rehash(json: unknown): Json {
  const lock = parseClusterLock(json);
  const withConfig = { ...lock.definition, configHash: computeConfigHash(lock.definition) };
  const definition = { ...withConfig, definitionHash: computeDefinitionHash(withConfig) };
  const rehashed = { ...lock, definition };
  return clusterLockToJson({ ...rehashed, lockHash: computeLockHash(rehashed) });
}

/** Runs `f` and returns what it threw (or undefined). */
export function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts `f` throws a DvkeysError with `code` and `field`. */
export function expectThrows(f: () => unknown, code: string, field?: string): void {
  const e = caught(f);
  expect(isDvkeysError(e), `expected DvkeysError ${code}, got ${String(e)}`).toBe(true);
  expect({ code: (e as { code: string }).code, field: (e as { field?: string }).field }).toEqual({ code, field: field ?? (e as { field?: string }).field });
}

/** Sets the value at a dotted/bracketed JSON path, e.g. `distributed_validators[0].public_shares[1]`. */
export function setPath(obj: Json, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let at = obj;
  for (const p of parts.slice(0, -1)) at = at[p] as Json;
  at[parts[parts.length - 1]!] = value;
}

/** Reads the value at a JSON path. */
export function getPath(obj: Json, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((at, p) => (at as Json)[p], obj);
}

/** Flips the last hex digit of a 0x-hex string (stays valid hex of the same length). */
export function flipHex(h: string): string {
  const last = h[h.length - 1]!;
  return h.slice(0, -1) + (last === '0' ? '1' : '0');
}
