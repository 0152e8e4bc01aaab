/**
 * Validator registrations for external block builders (ethereum/builder-specs `ValidatorRegistrationV1`,
 * specs/bellatrix/builder.md "Signing": domain = compute_domain(DOMAIN_APPLICATION_BUILDER = 0x00000001,
 * GENESIS_FORK_VERSION, genesis_validators_root = zero), so a registration is valid across forks, like a deposit).
 * Charon puts one per distributed validator into its cluster lock, signed by the whole validator key.
 *
 * @module
 */
import { ByteVectorType, ContainerType, UintBigintType } from '@chainsafe/ssz';
import { abytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { sign, verify } from '../bls/signature.js';
import { computeDomain, computeSigningRoot } from './signing.js';

/** DOMAIN_APPLICATION_BUILDER (builder-specs). */
export const DOMAIN_APPLICATION_BUILDER = Uint8Array.of(0x00, 0x00, 0x00, 0x01);

/** builder-specs `ValidatorRegistrationV1 { fee_recipient, gas_limit, timestamp, pubkey }`. */
export const ValidatorRegistrationV1 = new ContainerType(
  {
    feeRecipient: new ByteVectorType(20),
    gasLimit: new UintBigintType(8),
    timestamp: new UintBigintType(8),
    pubkey: new ByteVectorType(48),
  },
  { typeName: 'ValidatorRegistrationV1', jsonCase: 'snake' },
);

/** A registration message. */
export interface ValidatorRegistration {
  /** 20-byte execution address. */
  readonly feeRecipient: Uint8Array;
  readonly gasLimit: bigint | number;
  /** Unix seconds. */
  readonly timestamp: bigint | number;
  /** 48-byte validator public key. */
  readonly pubkey: Uint8Array;
}

function u64(value: bigint | number, field: string): bigint {
  const v = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (v < 0n || v >= 1n << 64n) throw new ValidationError('INVALID_ARGUMENT', `'${field}' must be a uint64`, { field });
  return v;
}

/**
 * compute_signing_root(registration, compute_domain(DOMAIN_APPLICATION_BUILDER, genesisForkVersion, zero)).
 * @throws ValidationError `INVALID_LENGTH` / `INVALID_ARGUMENT` naming `registration.<field>` or `forkVersion`.
 */
export function registrationSigningRoot(registration: ValidatorRegistration, genesisForkVersion: Uint8Array): Uint8Array {
  const root = ValidatorRegistrationV1.hashTreeRoot({
    feeRecipient: abytes(registration.feeRecipient, 20, 'registration.feeRecipient'),
    gasLimit: u64(registration.gasLimit, 'registration.gasLimit'),
    timestamp: u64(registration.timestamp, 'registration.timestamp'),
    pubkey: abytes(registration.pubkey, 48, 'registration.pubkey'),
  });
  return computeSigningRoot(root, computeDomain(DOMAIN_APPLICATION_BUILDER, abytes(genesisForkVersion, 4, 'forkVersion')));
}

/**
 * Signs a registration with the validator's full secret key (96-byte signature).
 * @throws ValidationError for a bad key or message.
 */
export function signRegistration(secretKey: Uint8Array, registration: ValidatorRegistration, genesisForkVersion: Uint8Array): Uint8Array {
  return sign(secretKey, registrationSigningRoot(registration, genesisForkVersion));
}

/** True when `signature` is the registration's signature by `registration.pubkey`. */
export function verifyRegistration(registration: ValidatorRegistration, signature: Uint8Array, genesisForkVersion: Uint8Array): boolean {
  return verify(registration.pubkey, registrationSigningRoot(registration, genesisForkVersion), signature);
}
