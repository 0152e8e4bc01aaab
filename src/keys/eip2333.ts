/**
 * EIP-2333 BLS12-381 key derivation: HKDF_mod_r, the Lamport-based child derivation, master and child keys.
 *
 * Written here on @noble/hashes (hkdf, sha256) rather than taken from @chainsafe/bls-hd-key 0.3.0, which computes
 * the same values but leaves the 16 KiB of Lamport secrets, the flipped parent key and every intermediate key in
 * memory, does not expose the intermediates the EIP's test vector lists, and brings a second copy of
 * @noble/hashes (1.x). docs/decisions/0201-eip2333-implementation.md; the tests check every EIP-2333 vector and
 * compare with @chainsafe/bls-hd-key on random seeds.
 *
 * Spec sections (ERC-2333 "Specification"): `IKM_to_lamport_SK`, `parent_SK_to_lamport_PK`, `HKDF_mod_r`
 * (the version aligned with draft-irtf-cfrg-bls-signature-04 KeyGen: salt = H(salt) in a loop, IKM || I2OSP(0, 1),
 * L = 48), `derive_child_SK`, `derive_master_SK`.
 *
 * Secrets: every byte array holding key material is wiped in `finally`; the bigint of the reduced key cannot be
 * wiped (docs/js-limits.md).
 *
 * @module
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { R } from '../bls/field.js';
import { abytes, bigintToBytesBE, bytesToBigintBE, concatBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { SecretBytes } from '../types.js';

/** Largest child index: indices are 32-bit (I2OSP(index, 4)). */
export const MAX_CHILD_INDEX = 2 ** 32 - 1;

/** EIP-2333: the seed must be at least 256 bits. */
export const MIN_SEED_BYTES = 32;

const K = 32; // digest size of SHA-256
const LAMPORT_CHUNKS = 255;
const KEYGEN_SALT = utf8('BLS-SIG-KEYGEN-SALT-');
const L_BYTES = Uint8Array.of(0, 48); // I2OSP(L = 48, 2)

/**
 * HKDF_mod_r(IKM, key_info) of EIP-2333 (= KeyGen of draft-irtf-cfrg-bls-signature-04 section 2.3): a secret key
 * in [1, r). Accepts any IKM length; {@link deriveMasterSK} enforces the 32-byte minimum for seeds.
 */
export function hkdfModR(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): SecretBytes {
  let salt: Uint8Array = KEYGEN_SALT;
  const ikm0 = concatBytes(ikm, Uint8Array.of(0));
  const info = concatBytes(keyInfo, L_BYTES);
  try {
    for (;;) {
      salt = sha256(salt);
      const okm = hkdf(sha256, ikm0, salt, info, 48);
      const sk = bytesToBigintBE(okm) % R;
      okm.fill(0);
      if (sk !== 0n) {
        const out = bigintToBytesBE(sk, 32);
        try {
          return SecretBytes.copyOf(out);
        } finally {
          out.fill(0);
        }
      }
    }
  } finally {
    ikm0.fill(0);
  }
}

/** IKM_to_lamport_SK(IKM, salt): 255 chunks of 32 bytes, returned as one 8160-byte array (the caller wipes it). */
function ikmToLamportSK(ikm: Uint8Array, salt: Uint8Array): Uint8Array {
  return hkdf(sha256, ikm, salt, new Uint8Array(0), K * LAMPORT_CHUNKS);
}

/** The Lamport intermediates of one child derivation, as the EIP-2333 intermediate test vector lists them. */
export interface LamportIntermediates {
  /** IKM_to_lamport_SK(I2OSP(parent_SK, 32), salt): 255 secret chunks. */
  readonly lamport0: readonly Uint8Array[];
  /** IKM_to_lamport_SK(flip_bits(I2OSP(parent_SK, 32)), salt): 255 secret chunks. */
  readonly lamport1: readonly Uint8Array[];
  /** parent_SK_to_lamport_PK(parent_SK, index). */
  readonly compressedLamportPK: Uint8Array;
}

function checkIndex(index: number, field: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_CHILD_INDEX) {
    throw new ValidationError('PATH_INVALID', `'${field}' must be an integer in 0..2^32-1`, { field });
  }
}

/**
 * parent_SK_to_lamport_PK(parent_SK, index). When `keep` is given, the Lamport secret chunks are copied into it
 * (tests only: they are secret-derived); otherwise every Lamport secret is wiped before returning.
 */
function parentSKToLamportPK(
  parentSK: Uint8Array,
  index: number,
  keep?: { lamport0: Uint8Array[]; lamport1: Uint8Array[] },
): Uint8Array {
  const salt = new Uint8Array(4);
  new DataView(salt.buffer).setUint32(0, index, false);
  const notIkm = parentSK.map((b) => ~b & 0xff);
  let l0: Uint8Array | undefined;
  let l1: Uint8Array | undefined;
  const pk = new Uint8Array(2 * LAMPORT_CHUNKS * K);
  try {
    l0 = ikmToLamportSK(parentSK, salt);
    l1 = ikmToLamportSK(notIkm, salt);
    for (let i = 0; i < LAMPORT_CHUNKS; i++) {
      const c0 = l0.subarray(i * K, (i + 1) * K);
      const c1 = l1.subarray(i * K, (i + 1) * K);
      const h0 = sha256(c0);
      const h1 = sha256(c1);
      pk.set(h0, i * K);
      pk.set(h1, (LAMPORT_CHUNKS + i) * K);
      h0.fill(0);
      h1.fill(0);
      keep?.lamport0.push(Uint8Array.from(c0));
      keep?.lamport1.push(Uint8Array.from(c1));
    }
    return sha256(pk);
  } finally {
    notIkm.fill(0);
    l0?.fill(0);
    l1?.fill(0);
    pk.fill(0); // the Lamport public key is as secret as the child key it derives (review F11)
  }
}

/**
 * derive_child_SK(parent_SK, index) of EIP-2333.
 * @throws ValidationError `INVALID_LENGTH` unless `parentSK` is 32 bytes; `PATH_INVALID` unless 0 <= index < 2^32.
 */
export function deriveChildSK(parentSK: Uint8Array, index: number): SecretBytes {
  abytes(parentSK, 32, 'parentSK');
  checkIndex(index, 'index');
  const lamportPK = parentSKToLamportPK(parentSK, index);
  try {
    return hkdfModR(lamportPK);
  } finally {
    lamportPK.fill(0);
  }
}

/**
 * derive_master_SK(seed) of EIP-2333 = HKDF_mod_r(seed).
 * @throws ValidationError `INVALID_ARGUMENT` (field `seed`) unless the seed is a Uint8Array of at least 32 bytes
 *   (EIP-2333 requires 256 bits; go-eth2-util accepts 16, we follow the EIP and staking-deposit-cli).
 */
export function deriveMasterSK(seed: Uint8Array): SecretBytes {
  abytes(seed, undefined, 'seed');
  if (seed.length < MIN_SEED_BYTES) {
    throw new ValidationError('INVALID_LENGTH', `'seed' must be at least ${MIN_SEED_BYTES} bytes (EIP-2333)`, {
      field: 'seed',
    });
  }
  return hkdfModR(seed);
}

/**
 * The Lamport intermediates of derive_child_SK(parentSK, index), for checking the EIP-2333 intermediate vector.
 * Insecure by design: the returned chunks are secret-derived and not wiped; never call this outside tests.
 */
export function lamportIntermediatesInsecure(parentSK: Uint8Array, index: number): LamportIntermediates {
  abytes(parentSK, 32, 'parentSK');
  checkIndex(index, 'index');
  const keep = { lamport0: [] as Uint8Array[], lamport1: [] as Uint8Array[] };
  const compressedLamportPK = parentSKToLamportPK(parentSK, index, keep);
  return { ...keep, compressedLamportPK };
}
