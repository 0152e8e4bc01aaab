/**
 * Withdrawal credentials (consensus-specs phase0 validator.md "Withdrawal credentials", capella
 * `ETH1_ADDRESS_WITHDRAWAL_PREFIX`, electra `COMPOUNDING_WITHDRAWAL_PREFIX`) and EIP-55 execution addresses.
 *
 * - 0x00 BLS: `0x00 ‖ sha256(withdrawal_pubkey)[1:]`.
 * - 0x01 execution address: `0x01 ‖ 11 zero bytes ‖ address` (MAX_EFFECTIVE_BALANCE 32 ETH).
 * - 0x02 compounding: `0x02 ‖ 11 zero bytes ‖ address` (MAX_EFFECTIVE_BALANCE_ELECTRA 2048 ETH).
 *
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, bytesToHex } from '../bytes.js';
import { ValidationError } from '../errors.js';

/** The withdrawal-credential prefixes dvkeys accepts. */
export const WITHDRAWAL_PREFIX = {
  /** BLS_WITHDRAWAL_PREFIX (phase0). */
  bls: 0x00,
  /** ETH1_ADDRESS_WITHDRAWAL_PREFIX (capella). */
  execution: 0x01,
  /** COMPOUNDING_WITHDRAWAL_PREFIX (electra). */
  compounding: 0x02,
} as const;

/** The kind of withdrawal credentials. */
export type WithdrawalKind = keyof typeof WITHDRAWAL_PREFIX;

/** Decoded withdrawal credentials. */
export interface WithdrawalCredentialsInfo {
  readonly kind: WithdrawalKind;
  /** The 20-byte execution address for `execution` and `compounding`; undefined for `bls`. */
  readonly address: Uint8Array | undefined;
}

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/**
 * EIP-55: the mixed-case checksum encoding of a 20-byte address (0x-prefixed).
 * @throws ValidationError `INVALID_LENGTH` unless `address` has 20 bytes.
 */
export function toChecksumAddress(address: Uint8Array): string {
  const lower = bytesToHex(abytes(address, 20, 'address'));
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i]!;
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 15;
    out += nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * Parses an execution (withdrawal) address: `0x` and 40 hex digits. Per EIP-55, an all-lowercase or all-uppercase
 * address carries no checksum and is accepted; a mixed-case one must match its checksum exactly.
 * @throws ValidationError `WITHDRAWAL_ADDRESS_INVALID` naming `field` (wrong type, not 20 bytes of hex, or a bad
 *   EIP-55 checksum).
 */
export function parseExecutionAddress(address: unknown, field = 'withdrawalAddress'): Uint8Array {
  if (typeof address !== 'string') {
    throw new ValidationError('WITHDRAWAL_ADDRESS_INVALID', `'${field}' expected a 0x-prefixed address string`, {
      field,
    });
  }
  if (!ADDRESS_RE.test(address)) {
    throw new ValidationError(
      'WITHDRAWAL_ADDRESS_INVALID',
      `'${field}' expected 0x and 40 hex digits (20 bytes), got ${Math.max(0, address.length - 2)} characters`,
      { field },
    );
  }
  const body = address.slice(2);
  const bytes = new Uint8Array(20);
  for (let i = 0; i < 20; i++) bytes[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  const isLower = body === body.toLowerCase();
  const isUpper = body === body.toUpperCase();
  if (!isLower && !isUpper && toChecksumAddress(bytes) !== address) {
    throw new ValidationError('WITHDRAWAL_ADDRESS_INVALID', `'${field}' has a bad EIP-55 checksum`, { field });
  }
  return bytes;
}

/**
 * 0x01 or 0x02 withdrawal credentials for an execution address: `prefix ‖ 11 zero bytes ‖ address`.
 * @throws ValidationError `INVALID_LENGTH` unless `address` has 20 bytes; `INVALID_ARGUMENT` for another kind.
 */
export function executionWithdrawalCredentials(
  address: Uint8Array,
  kind: 'execution' | 'compounding' = 'execution',
): Uint8Array {
  abytes(address, 20, 'address');
  if (kind !== 'execution' && kind !== 'compounding') {
    throw new ValidationError('INVALID_ARGUMENT', "'kind' must be execution or compounding", { field: 'kind' });
  }
  const out = new Uint8Array(32);
  out[0] = WITHDRAWAL_PREFIX[kind];
  out.set(address, 12);
  return out;
}

/**
 * 0x00 BLS withdrawal credentials: `0x00 ‖ sha256(withdrawalPubkey)[1:]` (phase0 validator.md).
 * @throws ValidationError `INVALID_LENGTH` unless `withdrawalPubkey` has 48 bytes.
 */
export function blsWithdrawalCredentials(withdrawalPubkey: Uint8Array): Uint8Array {
  const out = sha256(abytes(withdrawalPubkey, 48, 'withdrawalPubkey'));
  out[0] = WITHDRAWAL_PREFIX.bls;
  return out;
}

/**
 * Decodes 32-byte withdrawal credentials: the prefix must be 0x00, 0x01 or 0x02, and 0x01/0x02 must have 11 zero
 * bytes before the address.
 * @throws ValidationError `INVALID_LENGTH`, or `DEPOSIT_INVALID` naming `field` for another prefix or non-zero
 *   padding.
 */
export function parseWithdrawalCredentials(
  credentials: Uint8Array,
  field = 'withdrawal_credentials',
): WithdrawalCredentialsInfo {
  abytes(credentials, 32, field);
  const prefix = credentials[0]!;
  if (prefix === WITHDRAWAL_PREFIX.bls) return { kind: 'bls', address: undefined };
  if (prefix !== WITHDRAWAL_PREFIX.execution && prefix !== WITHDRAWAL_PREFIX.compounding) {
    throw new ValidationError(
      'DEPOSIT_INVALID',
      `'${field}' has prefix 0x${prefix.toString(16).padStart(2, '0')}; expected 0x00, 0x01 or 0x02`,
      { field },
    );
  }
  if (credentials.subarray(1, 12).some((b) => b !== 0)) {
    throw new ValidationError('DEPOSIT_INVALID', `'${field}' bytes 1..11 must be zero before the address`, { field });
  }
  return {
    kind: prefix === WITHDRAWAL_PREFIX.execution ? 'execution' : 'compounding',
    address: credentials.slice(12),
  };
}
