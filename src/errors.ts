/**
 * Typed errors for every failure dvkeys reports.
 *
 * One base class, {@link DvkeysError}, with a closed set of codes ({@link ErrorCode}), the input `field` that was
 * wrong (for example `publicShares[2]`) and the `culprits` (share ids or participants) that a failed check blames.
 * Modelled on frost-core's `Error` enum with culprit and hpke-js's exported error classes.
 *
 * Messages never include a secret, a share, a password or a decrypted value. They may include lengths, indices,
 * public keys and ids.
 *
 * @module
 */

/** Every error code dvkeys can raise. docs/errors.md describes each. */
export const ERROR_CODES = [
  // Input shape
  'INVALID_ARGUMENT',
  'INVALID_LENGTH',
  'INVALID_HEX',
  'INVALID_JSON',
  'INVALID_FORMAT',
  'LIMIT_EXCEEDED',
  // Scalars and points
  'SCALAR_OUT_OF_RANGE',
  'ZERO_SCALAR',
  'INVALID_POINT',
  'POINT_AT_INFINITY',
  'POINT_NOT_IN_SUBGROUP',
  // Threshold sharing
  'INVALID_THRESHOLD',
  'INVALID_SHARE_ID',
  'DUPLICATE_SHARE_ID',
  'NOT_ENOUGH_SHARES',
  'SHARE_MISMATCH',
  'PUBLIC_SHARE_MISMATCH',
  'COMMITMENT_MISMATCH',
  'DEGREE_CHECK_FAILED',
  'PARTIAL_SIGNATURE_INVALID',
  'SIGNATURE_INVALID',
  'KEY_MISMATCH',
  // Keys and keystores
  'KEYSTORE_INVALID',
  'KEYSTORE_UNSUPPORTED',
  'WRONG_PASSWORD',
  'KEYSTORE_PUBKEY_MISMATCH',
  'SHARES_NOT_DECRYPTED',
  'MNEMONIC_INVALID',
  'PATH_INVALID',
  // Ethereum messages (deposits, exits, slashing protection)
  'AMOUNT_INVALID',
  'WITHDRAWAL_ADDRESS_INVALID',
  'NETWORK_UNKNOWN',
  'DEPOSIT_INVALID',
  'SLASHING_PROTECTION_INVALID',
  // Safety
  'UNSAFE_THRESHOLD',
  // Ceremonies and output trees
  'DUPLICATE_KEY',
  'SHARE_INPUT',
  'CEREMONY_MISMATCH',
  'DOUBLE_CLUSTER',
  'OUTPUT_EXISTS',
  'LAYOUT_UNSUPPORTED',
  'IO_FAILED',
  // Distributed key generation (src/dkg; docs/protocols/dkg.md)
  'DKG_INVALID_MESSAGE',
  'DKG_WRONG_ROUND',
  'DKG_REPLAY',
  'DKG_EQUIVOCATION',
  'DKG_ABORTED',
  'DKG_EVIDENCE_INVALID',
  'DKG_CEREMONY_ID_REQUIRED',
  'DKG_ALREADY_DONE',
  'DKG_JOURNAL_LOCKED',
  'DKG_JOURNAL_INVALID',
  'DKG_NOT_READY',
  'DKG_BLS_CREDENTIALS',
  'DKG_PUSH_REFUSED',
  'DKG_TIMEOUT',
  // Interop formats (src/charon: Charon cluster locks; src/ssv: SSV keyshares)
  'LOCK_INVALID',
  'LOCK_HASH_MISMATCH',
  'KEYSHARES_INVALID',
  // Cluster lifecycle: reshare, refresh, repair, handover (src/lifecycle; docs/protocols/lifecycle.md)
  'NOT_ENOUGH_DEALERS',
  'DEALER_MISSING',
  'DEALING_CONSTANT_MISMATCH',
  'SUB_SHARE_INVALID',
  'REPAIRED_SHARE_MISMATCH',
  'HANDOVER_INCOMPLETE',
  'ECHO_MISSING',
  'TRANSCRIPT_MISMATCH',
  'OLD_CLUSTER_NOT_STOPPED',
  // Control
  'ABORTED',
] as const;

/** The closed union of error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Share ids (as decimal strings) or participant names that a failed check blames. */
export type Culprit = string;

/** Options of {@link DvkeysError}. */
export interface DvkeysErrorOptions {
  /** The input field at fault, e.g. `publicShares[2]` or `crypto.kdf.params.n`. */
  readonly field?: string;
  /** The share ids or participants a failed check blames, sorted as found: only those signed evidence convicts. */
  readonly culprits?: readonly Culprit[];
  /**
   * Who may be at fault when nothing is proven (a message that never arrived: its sender, or the coordinator that
   * relays it, withheld it; `coordinator` names the coordinator). Never to be dropped from a retry on this alone.
   */
  readonly suspects?: readonly Culprit[];
  /** The underlying error, kept only when it cannot carry a secret. */
  readonly cause?: unknown;
}

/**
 * Base class of every error dvkeys throws on purpose. Anything else escaping the library is a bug.
 */
export class DvkeysError extends Error {
  /** The class name, spelled out so that it survives minification (a bundler renames classes). */
  override name: string = 'DvkeysError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The input field at fault, where one is known. */
  readonly field: string | undefined;
  /** Who a failed check blames (share ids as decimal strings, or participant names). */
  readonly culprits: readonly Culprit[];
  /** Who may be at fault when nothing is proven (an omission); `coordinator` for the coordinator. Empty otherwise. */
  readonly suspects: readonly Culprit[];

  constructor(code: ErrorCode, message: string, options: DvkeysErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.culprits = Object.freeze([...(options.culprits ?? [])]);
    this.suspects = Object.freeze([...(options.suspects ?? [])]);
  }
}

/** Malformed or out-of-range input: a caller or file error, detected before any check runs. */
export class ValidationError extends DvkeysError {
  override name = 'ValidationError';
}

/** A cryptographic check failed: a share, commitment, public share or signature does not match. */
export class VerificationError extends DvkeysError {
  override name = 'VerificationError';
}

/** An EIP-2335 keystore could not be read, decrypted or trusted. */
export class KeystoreError extends DvkeysError {
  override name = 'KeystoreError';
}

/** A threshold or allocation that the slashing-safety math refuses. */
export class SafetyError extends DvkeysError {
  override name = 'SafetyError';
}

/** The caller cancelled the operation (AbortSignal). */
export class AbortedError extends DvkeysError {
  override name = 'AbortedError';
  constructor(message = 'operation aborted') {
    super('ABORTED', message);
  }
}

/** True when `e` is a {@link DvkeysError}, optionally with the given code. */
export function isDvkeysError(e: unknown, code?: ErrorCode): e is DvkeysError {
  return e instanceof DvkeysError && (code === undefined || e.code === code);
}
