/** Shared helpers for test/keys: a fixed test key, low-cost keystore options and an error matcher. */
import { expect } from 'vitest';
import { isDvkeysError } from '../../src/errors.js';
import type { EncryptOptions } from '../../src/keys/keystore.js';
import { insecureTestRng } from './rng.js';

/** The EIP-2335 vector secret (a valid BLS key) and its public key. */
export const TEST_SECRET_HEX = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
export const TEST_PUBKEY_HEX =
  '9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07';

export function testSecret(): Uint8Array {
  return Uint8Array.from(Buffer.from(TEST_SECRET_HEX, 'hex'));
}

/** Encrypt options with test costs (scrypt n=2^4, pbkdf2 c=2^4) and a deterministic rng. */
export function lowCost(kdf: 'scrypt' | 'pbkdf2', seed: number | string = 1): EncryptOptions {
  return {
    kdf,
    kdfParams: kdf === 'scrypt' ? { n: 16 } : { c: 16 },
    rng: insecureTestRng(seed),
  };
}

/** Runs `f` and returns what it threw (or undefined). */
export async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts that `f` throws a DvkeysError with `code` (and `field` when given); returns the error. */
export async function expectCode(f: () => unknown, code: string, field?: string): Promise<Error> {
  const e = await caught(f);
  expect(isDvkeysError(e), `expected DvkeysError ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
  if (field !== undefined) expect((e as { field: string | undefined }).field).toBe(field);
  return e as Error;
}
