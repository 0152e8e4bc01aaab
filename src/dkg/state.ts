/**
 * The participant's serialisable state between rounds (brief B7 "Serialisable states"): a tagged JSON object
 * holding only strings and numbers, versioned and parsed strictly, and a helper to seal it at rest.
 *
 * Steps: `round1` (round-1 message sent; public: the definition and our round-1 digest) → `round2` (Ack sent; secret:
 * our V shares, plus the public outputs and the hashed deposit messages so that finalisation repeats no work) →
 * `done` (finalised; public) or `aborted` (a complaint or a coordinator fault; public, with the verdict); `superseded`
 * marks a state file a later step consumed. No step
 * accepts a state of another step, and `round2` remembers the transcript hash, so a second, different collected
 * round 1 is refused (the noble "retry with a substituted round-1 package" regression).
 *
 * The only secret state is `round2` (`secret: true`): {@link sealState} encrypts any state with XChaCha20-Poly1305
 * under HKDF(hostSk, salt = ceremonyId, info = DST_state), so the host key alone opens it, as it alone rebuilds
 * everything else. Keep states sealed: an unsealed state is trusted (its hashed deposits are not re-checked). The
 * shares of a round-2 state are hex strings, which JavaScript cannot wipe (docs/js-limits.md): drop the state object
 * as soon as it is sealed or finalised.
 *
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8, wipe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { hex, readArray, readHeader, readHex, readInt, readObject } from './codec.js';
import { MAX_DEPOSITS, MAX_PARTICIPANTS, MAX_VALIDATORS, TAGS } from './constants.js';
import { parseDefinition, type CeremonyDefinitionJson, type Definition } from './definition.js';
import { assertHostSecretKey } from './host-key.js';

/**
 * The steps of a participant. `superseded` marks a state that a later step consumed (the CLI replaces the round-1
 * state file with it once round 2 answered, decision 0411): public, it keeps the answered transcript hash, and no
 * step accepts it.
 */
export type ParticipantStep = 'round1' | 'round2' | 'done' | 'aborted' | 'superseded';

/** The participant state (format `dvkeys/dkg-state`). */
export interface ParticipantStateJson {
  readonly format: 'dvkeys/dkg-state';
  readonly version: 1;
  readonly step: ParticipantStep;
  readonly ceremonyId: string;
  readonly index: number;
  readonly definition: CeremonyDefinitionJson;
  readonly round1Digest: string;
  /**
   * The transcript this participant answered in round 2 (it signed an Ack, or a complaint revealing its encryption
   * secret): set in `round2` and `done`, and in `aborted` after a complaint or a failed finalisation. Absent when it
   * answered nothing. A state carrying it must never be followed by another answer (decision 0411).
   */
  readonly transcriptHash?: string;
  /** Present (true) exactly when the state holds secret shares. */
  readonly secret?: true;
  /** Step round2: our share of each validator (secret). */
  readonly shares?: readonly string[];
  /** Step round2: PK_v. */
  readonly pubkeys?: readonly string[];
  /** Step round2: the summed commitments Ĉ_v. */
  readonly commitments?: readonly (readonly string[])[];
  /** Step round2: every public share Y_{v,1..n}. */
  readonly publicShares?: readonly (readonly string[])[];
  /** Step round2: H(signing root) of each deposit, uncompressed G2. */
  readonly hashedDeposits?: readonly string[];
  /** Step aborted: why (the local verdict's one-line summary). */
  readonly reason?: string;
}

/** A parsed state. */
export interface ParsedState {
  readonly json: ParticipantStateJson;
  readonly def: Definition;
  readonly step: ParticipantStep;
  readonly index: number;
  readonly round1Digest: Uint8Array;
  readonly transcriptHash: Uint8Array | undefined;
}

const STEPS: readonly ParticipantStep[] = ['round1', 'round2', 'done', 'aborted', 'superseded'];
const ROUND2_FIELDS = ['secret', 'shares', 'pubkeys', 'commitments', 'publicShares', 'hashedDeposits'] as const;

/**
 * Parses a state strictly (its definition included).
 * @throws ValidationError `DKG_INVALID_MESSAGE` for a malformed state, `CEREMONY_MISMATCH` when its ceremony id is
 *   not its definition's.
 */
export function parseState(value: unknown): ParsedState {
  const obj = readObject(value, 'state', ['format', 'version', 'step', 'ceremonyId', 'index', 'definition', 'round1Digest'], ['transcriptHash', 'reason', ...ROUND2_FIELDS]);
  readHeader(obj, 'state', 'dvkeys/dkg-state');
  const step = obj['step'];
  if (typeof step !== 'string' || !(STEPS as readonly string[]).includes(step)) {
    throw new ValidationError('DKG_INVALID_MESSAGE', `'state.step' expected one of ${STEPS.join(', ')}`, { field: 'state.step' });
  }
  const def = parseDefinition(obj['definition']);
  const id = readHex(obj['ceremonyId'], 'state.ceremonyId', 32);
  if (hex(id) !== def.idHex) throw new ValidationError('CEREMONY_MISMATCH', "'state.ceremonyId' is not the id of its definition", { field: 'state.ceremonyId' });
  const index = readInt(obj['index'], 'state.index', 1, def.n);
  const round1Digest = readHex(obj['round1Digest'], 'state.round1Digest', 32);
  const transcriptHash = obj['transcriptHash'] === undefined ? undefined : readHex(obj['transcriptHash'], 'state.transcriptHash', 32);
  const hasRound2 = ROUND2_FIELDS.map((f) => obj[f] !== undefined);
  if (step === 'round2') {
    if (hasRound2.some((h) => !h) || transcriptHash === undefined || obj['secret'] !== true) {
      throw new ValidationError('DKG_INVALID_MESSAGE', "'state' of step round2 must carry the transcript hash, shares and outputs", { field: 'state' });
    }
    readArray(obj['shares'], 'state.shares', MAX_VALIDATORS, def.V).forEach((s, v) => readHex(s, `state.shares[${v}]`, 32));
    readArray(obj['pubkeys'], 'state.pubkeys', MAX_VALIDATORS, def.V).forEach((s, v) => readHex(s, `state.pubkeys[${v}]`, 48));
    readArray(obj['commitments'], 'state.commitments', MAX_VALIDATORS, def.V).forEach((row, v) =>
      readArray(row, `state.commitments[${v}]`, MAX_PARTICIPANTS, def.t).forEach((s, k) => readHex(s, `state.commitments[${v}][${k}]`, 48)),
    );
    readArray(obj['publicShares'], 'state.publicShares', MAX_VALIDATORS, def.V).forEach((row, v) =>
      readArray(row, `state.publicShares[${v}]`, MAX_PARTICIPANTS, def.n).forEach((s, k) => readHex(s, `state.publicShares[${v}][${k}]`, 48)),
    );
    readArray(obj['hashedDeposits'], 'state.hashedDeposits', MAX_DEPOSITS, def.deposits.length).forEach((s, d) => readHex(s, `state.hashedDeposits[${d}]`, 192));
  } else if (hasRound2.some((h) => h)) {
    throw new ValidationError('DKG_INVALID_MESSAGE', `'state' of step ${step} must not carry round-2 data`, { field: 'state' });
  }
  return { json: obj as unknown as ParticipantStateJson, def, step: step as ParticipantStep, index, round1Digest, transcriptHash };
}

/** A sealed state (format `dvkeys/dkg-sealed-state`): safe to write to disk. */
export interface SealedStateJson {
  readonly format: 'dvkeys/dkg-sealed-state';
  readonly version: 1;
  readonly ceremonyId: string;
  readonly index: number;
  readonly nonce: string;
  readonly ciphertext: string;
}

function stateKey(hostSecretKey: Uint8Array, ceremonyIdBytes: Uint8Array): Uint8Array {
  assertHostSecretKey(hostSecretKey);
  return hkdf(sha256, hostSecretKey, ceremonyIdBytes, utf8(TAGS.state), 32);
}

/**
 * Encrypts a state under a key derived from the host key (XChaCha20-Poly1305, random 24-byte nonce; the AAD binds the
 * ceremony id and index).
 * @throws ValidationError for a malformed state or host key.
 */
export function sealState(state: unknown, hostSecretKey: Uint8Array, rng: RandomBytes = systemRandomBytes): SealedStateJson {
  const s = parseState(state);
  const id = s.def.id;
  const key = stateKey(hostSecretKey, id);
  const nonce = rng(24);
  const plaintext = utf8(JSON.stringify(s.json));
  try {
    const aad = utf8(`${s.def.idHex}:${s.index}`);
    const ciphertext = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
    return { format: 'dvkeys/dkg-sealed-state', version: 1, ceremonyId: s.def.idHex, index: s.index, nonce: hex(nonce), ciphertext: hex(ciphertext) };
  } finally {
    wipe(key, plaintext);
  }
}

/**
 * Opens a sealed state with the host key and parses it.
 * @throws ValidationError `DKG_INVALID_MESSAGE` for a malformed container, `WRONG_PASSWORD` when the host key does
 *   not open it (wrong key or tampered), and the errors of {@link parseState}.
 */
export function openState(sealed: unknown, hostSecretKey: Uint8Array): ParticipantStateJson {
  const obj = readObject(sealed, 'sealedState', ['format', 'version', 'ceremonyId', 'index', 'nonce', 'ciphertext']);
  readHeader(obj, 'sealedState', 'dvkeys/dkg-sealed-state');
  const id = readHex(obj['ceremonyId'], 'sealedState.ceremonyId', 32);
  const index = readInt(obj['index'], 'sealedState.index', 1, MAX_PARTICIPANTS);
  const nonce = readHex(obj['nonce'], 'sealedState.nonce', 24);
  const ciphertext = readHex(obj['ciphertext'], 'sealedState.ciphertext', { max: 64 * 1024 * 1024 });
  const key = stateKey(hostSecretKey, id);
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(key, nonce, utf8(`${hex(id)}:${index}`)).decrypt(ciphertext);
  } catch {
    throw new ValidationError('WRONG_PASSWORD', 'the host key does not open this sealed state (wrong key or tampered file)', { field: 'sealedState' });
  } finally {
    wipe(key);
  }
  try {
    const state = parseState(JSON.parse(new TextDecoder().decode(plaintext)) as unknown);
    if (state.index !== index || state.def.idHex !== hex(id)) {
      throw new ValidationError('CEREMONY_MISMATCH', 'the sealed state does not match its container', { field: 'sealedState' });
    }
    return state.json;
  } finally {
    wipe(plaintext);
  }
}
