/**
 * The shape of the platform's native KDF, shared by its two implementations. Which one a program gets is chosen by
 * the package.json `imports` conditions of `#kdf-native` (design section 10), never by a runtime check:
 * - `kdf-native-node.ts` under the `node` condition (Node, Deno, Bun): node:crypto's async scrypt and pbkdf2 on
 *   the libuv thread pool;
 * - `kdf-native-browser.ts` everywhere else (browser bundlers): none, so kdf.ts uses WebCrypto or @noble/hashes.
 *
 * In this repository tsconfig.json `paths` (typecheck, tsx) and vitest.config.ts point `#kdf-native` at the Node
 * source file; the published dist resolves it through package.json. test/bundle.test.ts checks the browser side.
 *
 * @module
 */
import type { Pbkdf2Params, ScryptParams } from './kdf.js';

/** A native KDF implementation: jobs run off the calling thread; outputs are fresh arrays the caller wipes. */
export interface NativeKdf {
  /** scrypt with a memory cap of the table size plus slack (parameters validated by the caller). */
  scrypt(params: ScryptParams, password: Uint8Array): Promise<Uint8Array>;
  /** PBKDF2-HMAC-SHA256. */
  pbkdf2(params: Pbkdf2Params, password: Uint8Array): Promise<Uint8Array>;
  /** How many CPU cores the runtime offers (at least 1). */
  cores(): number;
}
