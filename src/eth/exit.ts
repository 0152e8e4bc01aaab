/**
 * Voluntary exits: the signing root (consensus-specs phase0 beacon-chain.md `VoluntaryExit`,
 * `process_voluntary_exit`, with EIP-7044: the domain always uses CAPELLA_FORK_VERSION and the network's genesis
 * validators root, so a pre-signed exit never expires), and the beacon-API `SignedVoluntaryExit` JSON
 * (`POST /eth/v1/beacon/pool/voluntary_exits`):
 * `{"message":{"epoch":"…","validator_index":"…"},"signature":"0x…"}`, as ethstaker-deposit-cli writes it.
 * Threshold partials and their combination are in exit-partial.ts.
 *
 * @module
 */
import { abytes, bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { sign, verify } from '../bls/signature.js';
import { expectObject, parseJsonText, parseUint64String, toUint64 } from '../json.js';
import { resolveNetwork, type Network } from './networks.js';
import { computeSigningRoot, voluntaryExitDomain } from './signing.js';
import { voluntaryExitRoot } from './ssz.js';

/** Longest signed-exit or exit-partial file text accepted (a file is about 300 characters). */
export const MAX_EXIT_TEXT_LENGTH = 64 * 1024;

/** A voluntary exit message. Inputs may be numbers or bigints; outputs are bigints. */
export interface VoluntaryExitInput {
  /** Earliest epoch at which the exit may be processed (uint64). */
  readonly epoch: bigint | number;
  /** The validator's index in the beacon state (uint64). */
  readonly validatorIndex: bigint | number;
}

/** A checked voluntary exit message. */
export interface VoluntaryExitMessage {
  readonly epoch: bigint;
  readonly validatorIndex: bigint;
}

/** A signed voluntary exit. */
export interface SignedExit {
  readonly message: VoluntaryExitMessage;
  /** 96 bytes. */
  readonly signature: Uint8Array;
}

/** The beacon-API JSON of a SignedVoluntaryExit. */
export interface SignedExitJson {
  message: { epoch: string; validator_index: string };
  signature: string;
}

/**
 * Checks an exit message's integers.
 * @throws ValidationError `INVALID_ARGUMENT` naming `exit.epoch` or `exit.validatorIndex`.
 */
export function checkExit(exit: VoluntaryExitInput): VoluntaryExitMessage {
  return {
    epoch: toUint64(exit.epoch, 'exit.epoch'),
    validatorIndex: toUint64(exit.validatorIndex, 'exit.validatorIndex'),
  };
}

/**
 * The EIP-7044 exit domain of `network`: compute_domain(DOMAIN_VOLUNTARY_EXIT, CAPELLA_FORK_VERSION,
 * GENESIS_VALIDATORS_ROOT).
 * @throws ValidationError `NETWORK_UNKNOWN`; `INVALID_ARGUMENT` (field `network.capellaForkVersion` or
 *   `network.genesisValidatorsRoot`) for a custom network that lacks them.
 */
export function exitDomain(network: Network | string): Uint8Array {
  const net = resolveNetwork(network);
  if (net.capellaForkVersion === undefined || net.genesisValidatorsRoot === undefined) {
    const field = net.capellaForkVersion === undefined ? 'network.capellaForkVersion' : 'network.genesisValidatorsRoot';
    throw new ValidationError('INVALID_ARGUMENT', `network ${net.name} needs '${field}' to sign exits (EIP-7044)`, {
      field,
    });
  }
  return voluntaryExitDomain(net.capellaForkVersion, net.genesisValidatorsRoot);
}

/**
 * compute_signing_root(VoluntaryExit, exit domain): the 32 bytes a validator key, or each operator's share for a
 * threshold signature, signs.
 * @throws ValidationError for a bad exit (see {@link checkExit}) or network (see {@link exitDomain}).
 */
export function exitSigningRoot(exit: VoluntaryExitInput, network: Network | string): Uint8Array {
  return computeSigningRoot(voluntaryExitRoot(checkExit(exit)), exitDomain(network));
}

/**
 * Signs an exit with a full validator secret key (a test oracle and the non-threshold path).
 * @throws ValidationError for a bad key (`secretKey`), exit or network.
 */
export function signVoluntaryExit(
  secretKey: Uint8Array,
  exit: VoluntaryExitInput,
  network: Network | string,
): SignedExit {
  const message = checkExit(exit);
  return { message, signature: sign(secretKey, exitSigningRoot(message, network)) };
}

/**
 * Checks a signed exit under the validator public key.
 * @throws ValidationError for a bad exit or network; VerificationError `SIGNATURE_INVALID` (field `signature`).
 */
export function verifySignedExit(signed: SignedExit, validatorPubkey: Uint8Array, network: Network | string): void {
  abytes(validatorPubkey, 48, 'validatorPubkey');
  if (!verify(validatorPubkey, exitSigningRoot(signed.message, network), abytes(signed.signature, 96, 'signature'))) {
    throw new VerificationError('SIGNATURE_INVALID', 'the exit signature does not verify under the validator key', {
      field: 'signature',
    });
  }
}

/** The beacon-API JSON object of a signed exit. */
export function signedExitToJson(signed: SignedExit): SignedExitJson {
  return {
    message: { epoch: signed.message.epoch.toString(), validator_index: signed.message.validatorIndex.toString() },
    signature: bytesToHex(abytes(signed.signature, 96, 'signature'), true),
  };
}

/** The text of a signed-exit file: the JSON object with two-space indentation and a final newline. */
export function formatSignedExitFile(signed: SignedExit): string {
  return `${JSON.stringify(signedExitToJson(signed), null, 2)}\n`;
}

/**
 * Parses a beacon-API SignedVoluntaryExit JSON value strictly: exactly `message.{epoch, validator_index}` as
 * decimal strings and a 0x-prefixed 96-byte `signature`. Does not verify; see {@link verifySignedExit}.
 * @throws ValidationError `INVALID_FORMAT`, `INVALID_HEX`, `INVALID_LENGTH` naming the field.
 */
export function parseSignedExit(value: unknown): SignedExit {
  const obj = expectObject(value, 'signed_exit', ['message', 'signature'], [], 'INVALID_FORMAT');
  const msg = expectObject(obj.message, 'signed_exit.message', ['epoch', 'validator_index'], [], 'INVALID_FORMAT');
  return {
    message: {
      epoch: parseUint64String(msg.epoch, 'signed_exit.message.epoch', 'INVALID_FORMAT'),
      validatorIndex: parseUint64String(msg.validator_index, 'signed_exit.message.validator_index', 'INVALID_FORMAT'),
    },
    signature: hexToBytes(obj.signature, 'signed_exit.signature', { length: 96, prefix: 'required' }),
  };
}

/**
 * {@link parseSignedExit} of a file's text, after a length cap ({@link MAX_EXIT_TEXT_LENGTH}).
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, and what {@link parseSignedExit} throws.
 */
export function parseSignedExitFile(text: string): SignedExit {
  return parseSignedExit(parseJsonText(text, MAX_EXIT_TEXT_LENGTH, 'signed_exit'));
}
