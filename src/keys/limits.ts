/**
 * Every numeric cap on untrusted key input, in one place (design.md section 2.2, after noble-hashes' scrypt
 * `maxmem`). A keystore file, a password file or a mnemonic comes from outside; these caps make sure such input
 * cannot allocate gigabytes or run for hours before we refuse it. docs/formats/keystore.md explains each choice.
 *
 * Costs are measured against the EIP-2335 defaults (scrypt n=2^18, r=8, p=1: 256 MiB and ~1.25 s on one core;
 * pbkdf2 c=2^18: ~50 ms native, ~280 ms pure JS). We accept up to 16 times the default work and 4 times the
 * default scrypt memory. As far as we know every tool writes the defaults (or Charon's test cost 2^4), so this
 * leaves a margin of 4 to 16 times. docs/decisions/0202-keystore-read-rules-and-caps.md.
 *
 * @module
 */

/** Largest keystore JSON text we parse, in UTF-16 code units (a real keystore is about 1 KiB). */
export const MAX_KEYSTORE_JSON_LENGTH = 64 * 1024;

/** Largest `description` we accept, in UTF-16 code units. */
export const MAX_DESCRIPTION_LENGTH = 4096;

/** Largest `path` string we accept in a keystore, in UTF-16 code units. */
export const MAX_KEYSTORE_PATH_LENGTH = 1024;

/** Smallest scrypt `n` (RFC 7914 section 2: N is a power of two greater than 1). */
export const SCRYPT_MIN_N = 2;

/** Largest scrypt `n`: 2^20 (4 times the EIP-2335 default 2^18). */
export const SCRYPT_MAX_N = 2 ** 20;

/**
 * Largest scrypt working memory, 128 * r * (n + p + 2) bytes (OpenSSL's and noble's accounting): 1 GiB, 4 times
 * the EIP-2335 default of 256 MiB.
 */
export const SCRYPT_MAX_MEMORY_BYTES = 2 ** 30;

/** Largest scrypt work, 128 * n * r * p bytes mixed: 2^32, 16 times the EIP-2335 default (about 20 s native). */
export const SCRYPT_MAX_WORK = 2 ** 32;

/** Largest pbkdf2 iteration count `c`: 2^22, 16 times the EIP-2335 default (about 0.8 s native, 5 s pure JS). */
export const PBKDF2_MAX_C = 2 ** 22;

/** The only derived-key length EIP-2335 uses: 16 bytes of AES-128 key and 16 bytes of checksum key. */
export const KDF_DKLEN = 32;

/** Smallest KDF salt we accept, in bytes (NIST SP 800-132 asks for at least 128 bits; every known tool writes 32). */
export const KDF_MIN_SALT_BYTES = 16;

/** Largest KDF salt we accept, in bytes. */
export const KDF_MAX_SALT_BYTES = 256;

/** Length of the AES-128-CTR iv (EIP-2335 cipher module `params.iv`), in bytes. */
export const CIPHER_IV_BYTES = 16;

/** Largest ciphertext of a bare EIP-2335 crypto module, in bytes (a keystore's BLS secret is exactly 32). */
export const MAX_CIPHER_MESSAGE_BYTES = 1024;

/** Largest password we accept, in UTF-16 code units before normalisation (or bytes for a byte password). */
export const MAX_PASSWORD_LENGTH = 4096;

/**
 * Memory that concurrently running KDFs may hold in total, in bytes: four default EIP-2335 scrypt jobs
 * (4 * 128 * 8 * (2^18 + 3), just over 1 GiB). A single job above it runs alone.
 */
export const MAX_CONCURRENT_KDF_MEMORY_BYTES = 4 * 128 * 8 * (2 ** 18 + 3);

/** Most KDF jobs run at once by the batch APIs, whatever the caller asks for. */
export const MAX_KDF_CONCURRENCY = 64;

/** Most keystores one batch call accepts. */
export const MAX_BATCH_ITEMS = 100_000;

/** Longest mnemonic text we normalise, in UTF-16 code units (24 Japanese words are under 300). */
export const MAX_MNEMONIC_LENGTH = 2048;

/** Longest BIP-39 passphrase we accept, in UTF-16 code units. */
export const MAX_BIP39_PASSPHRASE_LENGTH = 4096;

/** Most levels below `m` in a derivation path (EIP-2334 signing keys use 5). */
export const MAX_PATH_DEPTH = 32;

/** Longest derivation path text we parse. */
export const MAX_PATH_LENGTH = 512;

/** Most validator keys one `deriveValidatorKeys` call derives from a mnemonic. */
export const MAX_DERIVED_KEYS = 10_000;

/** scrypt working memory in bytes for the given parameters: 128 * r * (n + p + 2) (OpenSSL's formula). */
export function scryptMemoryBytes(n: number, r: number, p: number): number {
  return 128 * r * (n + p + 2);
}
