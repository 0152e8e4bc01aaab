/**
 * The native KDF outside Node: there is none (browsers offer WebCrypto PBKDF2, which kdf.ts uses directly, and no
 * scrypt). Chosen for `#kdf-native` by the package.json `imports` conditions (kdf-native.ts).
 *
 * @module
 */
import type { NativeKdf } from './kdf-native.js';

/** No native KDF here. */
export const nativeKdf: NativeKdf | undefined = undefined;
