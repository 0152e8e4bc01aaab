/**
 * Threshold-signed voluntary exits. Each operator signs the exit's signing root (exit.ts, EIP-7044 domain) with its
 * secret share and writes a partial file; any t partials are checked one by one against the operators' public
 * shares, combined by Lagrange interpolation in G2 (Boldyreva 2003), and the result is checked under the validator
 * key. The partial file (docs/formats/exit.md):
 *
 * `{"format":"dvkeys/exit-partial","version":1,"network":"mainnet","validator_pubkey":"0x…","share_id":"2",
 *   "validator_index":"…","epoch":"…","signature":"0x…"}`, integers as decimal strings (as the beacon API
 *   writes them).
 *
 * @module
 */
import { abytes, bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError, VerificationError } from '../errors.js';
import { sign, verify } from '../bls/signature.js';
import { toShareIndex, type PartialSignature, type PublicShare, type SecretShare, type ShareIndex } from '../types.js';
import {
  checkExit,
  exitSigningRoot,
  MAX_EXIT_TEXT_LENGTH,
  type SignedExit,
  type VoluntaryExitInput,
  type VoluntaryExitMessage,
} from './exit.js';
import { expectObject, expectString, parseJsonText, parseUint64String } from '../json.js';
import { resolveNetwork, type Network } from './networks.js';

/** The `format` of an exit-partial file. */
export const EXIT_PARTIAL_FORMAT = 'dvkeys/exit-partial';
/** The `version` of the exit-partial format this module writes and reads. */
export const EXIT_PARTIAL_VERSION = 1;
/** Most partials one combination accepts. */
export const MAX_EXIT_PARTIALS = 1000;

/** One operator's partial signature of a voluntary exit. */
export interface ExitPartial {
  /** The network name the exit is for. */
  readonly network: string;
  /** The validator (group) public key, 48 bytes. */
  readonly validatorPubkey: Uint8Array;
  /** The signer's share id (Shamir x-coordinate). */
  readonly shareId: ShareIndex;
  readonly exit: VoluntaryExitMessage;
  /** σ_x = s_x·H(signing root), 96 bytes. */
  readonly signature: Uint8Array;
}

/** The JSON of an exit-partial file. */
export interface ExitPartialJson {
  format: typeof EXIT_PARTIAL_FORMAT;
  version: typeof EXIT_PARTIAL_VERSION;
  network: string;
  validator_pubkey: string;
  share_id: string;
  validator_index: string;
  epoch: string;
  signature: string;
}

/** Parameters of {@link signExitPartial}. */
export interface ExitPartialParams {
  readonly validatorPubkey: Uint8Array;
  readonly exit: VoluntaryExitInput;
  readonly network: Network | string;
}

/**
 * One operator's partial signature of an exit: its share signs exitSigningRoot(exit, network). A partial signature
 * is a plain BLS signature under the share's public key, so it is checked with the standard verifier.
 * @throws ValidationError for a bad share scalar (`secretKey`), pubkey, exit or network.
 */
export function signExitPartial(share: SecretShare, params: ExitPartialParams): ExitPartial {
  const network = resolveNetwork(params.network);
  const exit = checkExit(params.exit);
  return {
    network: network.name,
    validatorPubkey: Uint8Array.from(abytes(params.validatorPubkey, 48, 'validatorPubkey')),
    shareId: toShareIndex(share.id, 'share.id'),
    exit,
    signature: sign(share.secret, exitSigningRoot(exit, network)),
  };
}

/** The JSON object of an exit-partial file. */
export function exitPartialToJson(partial: ExitPartial): ExitPartialJson {
  return {
    format: EXIT_PARTIAL_FORMAT,
    version: EXIT_PARTIAL_VERSION,
    network: partial.network,
    validator_pubkey: bytesToHex(partial.validatorPubkey, true),
    share_id: partial.shareId.toString(),
    validator_index: partial.exit.validatorIndex.toString(),
    epoch: partial.exit.epoch.toString(),
    signature: bytesToHex(partial.signature, true),
  };
}

/** The text of an exit-partial file: two-space indentation and a final newline. */
export function formatExitPartialFile(partial: ExitPartial): string {
  return `${JSON.stringify(exitPartialToJson(partial), null, 2)}\n`;
}

const KEYS = ['format', 'version', 'network', 'validator_pubkey', 'share_id', 'validator_index', 'epoch', 'signature'];

/**
 * Parses an exit-partial JSON value strictly (every field required, no other field, canonical hex and integers).
 * Does not verify the signature; {@link combineExitPartials} does.
 * @throws ValidationError `INVALID_FORMAT`, `INVALID_HEX`, `INVALID_LENGTH`, `INVALID_SHARE_ID` naming `field.<key>`.
 */
export function parseExitPartial(value: unknown, field = 'exit_partial'): ExitPartial {
  const obj = expectObject(value, field, KEYS, [], 'INVALID_FORMAT');
  if (obj.format !== EXIT_PARTIAL_FORMAT) {
    throw new ValidationError('INVALID_FORMAT', `'${field}.format' must be ${EXIT_PARTIAL_FORMAT}`, {
      field: `${field}.format`,
    });
  }
  if (obj.version !== EXIT_PARTIAL_VERSION) {
    throw new ValidationError('INVALID_FORMAT', `'${field}.version' must be ${EXIT_PARTIAL_VERSION}`, {
      field: `${field}.version`,
    });
  }
  const shareId = parseUint64String(obj.share_id, `${field}.share_id`, 'INVALID_SHARE_ID');
  return {
    network: expectString(obj.network, `${field}.network`, 32, 'INVALID_FORMAT'),
    validatorPubkey: hexToBytes(obj.validator_pubkey, `${field}.validator_pubkey`, { length: 48, prefix: 'required' }),
    shareId: toShareIndex(shareId, `${field}.share_id`),
    exit: {
      validatorIndex: parseUint64String(obj.validator_index, `${field}.validator_index`, 'INVALID_FORMAT'),
      epoch: parseUint64String(obj.epoch, `${field}.epoch`, 'INVALID_FORMAT'),
    },
    signature: hexToBytes(obj.signature, `${field}.signature`, { length: 96, prefix: 'required' }),
  };
}

/**
 * {@link parseExitPartial} of a file's text, after a length cap.
 * @throws ValidationError `LIMIT_EXCEEDED`, `INVALID_JSON`, and what {@link parseExitPartial} throws.
 */
export function parseExitPartialFile(text: string, field = 'exit_partial'): ExitPartial {
  return parseExitPartial(parseJsonText(text, MAX_EXIT_TEXT_LENGTH, field), field);
}

/** Lagrange combination of partial signatures at zero (src/sharing/threshold-signature.ts `aggregatePartials`). */
export type AggregatePartials = (partials: readonly PartialSignature[]) => Uint8Array;

/** Input of {@link combineExitPartials}. */
export interface CombineExitInput {
  /** At least `threshold` partials, each from a different share. */
  readonly partials: readonly ExitPartial[];
  readonly network: Network | string;
  /** The validator (group) public key from the trusted ceremony record. */
  readonly validatorPubkey: Uint8Array;
  /** Every operator's public share from the trusted ceremony record (never from the partial files). */
  readonly publicShares: readonly PublicShare[];
  readonly threshold: number;
  /** The exit expected; default the (validator_index, epoch) most partials carry. */
  readonly exit?: VoluntaryExitInput;
  /** Lagrange combination in G2; pass `aggregatePartials` from src/sharing/threshold-signature.ts. */
  readonly aggregate: AggregatePartials;
}

function exitKey(e: VoluntaryExitMessage): string {
  return `${e.validatorIndex}/${e.epoch}`;
}

function expectedExit(input: CombineExitInput): VoluntaryExitMessage {
  if (input.exit !== undefined) return checkExit(input.exit);
  const counts = new Map<string, { exit: VoluntaryExitMessage; n: number }>();
  for (const p of input.partials) {
    const k = exitKey(p.exit);
    counts.set(k, { exit: p.exit, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
  if (ranked.length > 1 && ranked[0]!.n === ranked[1]!.n) {
    throw new ValidationError('INVALID_ARGUMENT', 'the partials sign different exits in equal numbers; give the exit', {
      field: 'exit',
      culprits: input.partials.map((p) => p.shareId.toString()),
    });
  }
  return ranked[0]!.exit;
}

/**
 * Combines t exit partials into a signed exit. Every partial is checked first: same network and validator as
 * expected, the expected exit, a known share id, and its signature verifies under that share's public key (wrong
 * share, wrong key or wrong domain all fail here). Any bad partial refuses the whole combination, naming its
 * share id. Then the first t partials are combined and the result verified under the validator key.
 * @throws ValidationError `INVALID_THRESHOLD`, `LIMIT_EXCEEDED`, `DUPLICATE_SHARE_ID`, `NOT_ENOUGH_SHARES`,
 *   `INVALID_ARGUMENT`; VerificationError `PARTIAL_SIGNATURE_INVALID` with `culprits` = the bad share ids, or
 *   `SIGNATURE_INVALID` (field `publicShares`) when the public shares do not belong to the validator key.
 */
export function combineExitPartials(input: CombineExitInput): SignedExit {
  const { partials, threshold } = input;
  const network = resolveNetwork(input.network);
  const validatorPubkey = abytes(input.validatorPubkey, 48, 'validatorPubkey');
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > input.publicShares.length) {
    throw new ValidationError('INVALID_THRESHOLD', `'threshold' must be 1..${input.publicShares.length}`, {
      field: 'threshold',
    });
  }
  if (partials.length > MAX_EXIT_PARTIALS) {
    throw new ValidationError('LIMIT_EXCEEDED', `at most ${MAX_EXIT_PARTIALS} partials`, { field: 'partials' });
  }
  if (partials.length < threshold) {
    throw new ValidationError('NOT_ENOUGH_SHARES', `need ${threshold} partials, got ${partials.length}`, {
      field: 'partials',
    });
  }
  const shares = new Map<bigint, Uint8Array>();
  input.publicShares.forEach((s, i) => shares.set(s.id, abytes(s.publicKey, 48, `publicShares[${i}].publicKey`)));
  const seen = new Set<bigint>();
  partials.forEach((p, i) => {
    if (seen.has(p.shareId)) {
      throw new ValidationError('DUPLICATE_SHARE_ID', `share ${p.shareId} gave two partials`, {
        field: `partials[${i}].share_id`,
        culprits: [p.shareId.toString()],
      });
    }
    seen.add(p.shareId);
  });

  const exit = expectedExit(input);
  const root = exitSigningRoot(exit, network);
  const pubkeyHex = bytesToHex(validatorPubkey);
  const bad: { index: number; id: string; why: string }[] = [];
  partials.forEach((p, i) => {
    const share = shares.get(p.shareId);
    let why: string | undefined;
    if (p.network !== network.name) why = `signed for network ${p.network}, not ${network.name}`;
    else if (bytesToHex(p.validatorPubkey) !== pubkeyHex) why = 'signed for another validator';
    else if (exitKey(p.exit) !== exitKey(exit)) why = `signed exit ${exitKey(p.exit)}, not ${exitKey(exit)}`;
    else if (share === undefined) why = 'is not one of the public shares';
    else if (!verify(share, root, p.signature)) {
      why = 'does not verify under its public share (wrong share, key or domain)';
    }
    if (why !== undefined) bad.push({ index: i, id: p.shareId.toString(), why });
  });
  if (bad.length > 0) {
    throw new VerificationError(
      'PARTIAL_SIGNATURE_INVALID',
      bad.map((b) => `the partial of share ${b.id} ${b.why}`).join('; '),
      { field: `partials[${bad[0]!.index}]`, culprits: bad.map((b) => b.id) },
    );
  }
  const chosen = partials.slice(0, threshold).map((p) => ({ id: p.shareId, signature: p.signature }));
  const signature = input.aggregate(chosen);
  if (!verify(validatorPubkey, root, signature)) {
    throw new VerificationError('SIGNATURE_INVALID', 'the combined exit does not verify under the validator key', {
      field: 'publicShares',
    });
  }
  return { message: exit, signature };
}
