/**
 * The ceremony definition and its id (brief B3): the draft plus one enrollment per operator (draft.ts), whose hash is
 * the `ceremonyId` every message binds. ceremonyId = taggedHash(DST_ceremony, draftHash || (D_i || salt_i)_i).
 * Operators approve the definition by comparing the ceremony id (or {@link ceremonyFingerprint}) out of band before
 * round 1, as ChillDKG compares params_hash.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { Writer, equalBytes, hex, readArray, readHeader, readHex, readInt, readObject, taggedHash } from './codec.js';
import { MAX_PARTICIPANTS, TAGS } from './constants.js';
import { checkEnrollmentSignature, fail, parseDraftLike, parseDraftObject, uniqueKeys, type DkgNetworkJson, type DkgValidatorJson } from './draft.js';
import { assertEncryptionPublicKey, deriveEncryptionSecret, encryptionPublicKey } from './encryption.js';
import { hostPublicKey } from './host-key.js';

export type { DkgDraftJson, DkgNetworkJson, DkgOperatorJson, DkgValidatorJson, DraftParams, EnrollOptions, EnrollmentJson } from './draft.js';
export { createDraft, enroll, parseDraft } from './draft.js';

/** One participant of a definition. */
export interface DkgParticipantJson {
  readonly index: number;
  readonly hostPublicKey: string;
  readonly name?: string;
  readonly encryptionPublicKey: string;
  readonly salt: string;
  readonly enrollmentSignature: string;
}

/** The ceremony definition (format `dvkeys/dkg-definition`). */
export interface CeremonyDefinitionJson {
  readonly format: 'dvkeys/dkg-definition';
  readonly version: 1;
  readonly network: DkgNetworkJson;
  readonly threshold: number;
  readonly participants: readonly DkgParticipantJson[];
  readonly validators: readonly DkgValidatorJson[];
  readonly attemptNonce: string;
}

/** One deposit to threshold-sign: validator position (0-based) and amount. */
export interface DepositSlot {
  readonly validator: number;
  readonly amount: bigint;
}

/** A parsed, validated definition (bytes, not hex). */
export interface Definition {
  /** The canonical JSON (deeply frozen: it is shared by every parse of the same definition). */
  readonly json: CeremonyDefinitionJson;
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly draftHash: Uint8Array;
  readonly n: number;
  readonly t: number;
  readonly V: number;
  readonly networkName: string;
  readonly forkVersion: Uint8Array;
  readonly attemptNonce: Uint8Array;
  readonly participants: readonly { readonly index: number; readonly hostKey: Uint8Array; readonly encKey: Uint8Array; readonly salt: Uint8Array }[];
  readonly validators: readonly { readonly withdrawalCredentials: Uint8Array; readonly amounts: readonly bigint[] }[];
  /** Every (validator, amount) in order: the deposit partials of an Ack follow this order. */
  readonly deposits: readonly DepositSlot[];
}

/**
 * Assembles the definition from a draft and one enrollment per operator (any order). Checks every enrollment
 * signature and encryption key; the result lists participants in the draft's operator order.
 * @throws ValidationError as {@link parseDraft}; `DKG_INVALID_MESSAGE`/`INVALID_POINT` for a malformed enrollment,
 *   `SIGNATURE_INVALID` (culprit: the operator), `CEREMONY_MISMATCH` for an enrollment of another draft,
 *   `DUPLICATE_KEY` for a repeated operator or encryption key, `INVALID_ARGUMENT` for a missing operator.
 */
export function defineCeremony(draft: unknown, enrollments: readonly unknown[]): CeremonyDefinitionJson {
  const d = parseDraftObject(draft);
  readArray(enrollments, 'enrollments', MAX_PARTICIPANTS);
  const byHost = new Map<string, { encKey: Uint8Array; salt: Uint8Array; signature: Uint8Array }>();
  enrollments.forEach((raw, e) => {
    const f = `enrollments[${e}]`;
    const obj = readObject(raw, f, ['format', 'version', 'draftHash', 'hostPublicKey', 'encryptionPublicKey', 'salt', 'signature']);
    readHeader(obj, f, 'dvkeys/dkg-enrollment');
    const dh = readHex(obj['draftHash'], `${f}.draftHash`, 32);
    if (!equalBytes(dh, d.hash)) throw new ValidationError('CEREMONY_MISMATCH', `'${f}' enrolls in another draft`, { field: `${f}.draftHash` });
    const host = readHex(obj['hostPublicKey'], `${f}.hostPublicKey`, 32);
    const index = d.hostKeys.findIndex((k) => equalBytes(k, host)) + 1;
    if (index === 0) fail('INVALID_ARGUMENT', `${f}.hostPublicKey`, 'is not an operator of the draft');
    if (byHost.has(hex(host))) fail('DUPLICATE_KEY', `${f}.hostPublicKey`, `enrolls operator ${index} twice`, [String(index)]);
    const encKey = readHex(obj['encryptionPublicKey'], `${f}.encryptionPublicKey`, 33);
    assertEncryptionPublicKey(encKey, `${f}.encryptionPublicKey`);
    const salt = readHex(obj['salt'], `${f}.salt`, 32);
    const signature = readHex(obj['signature'], `${f}.signature`, 64);
    checkEnrollmentSignature(d.hash, host, encKey, salt, signature, `${f}.signature`, index);
    byHost.set(hex(host), { encKey, salt, signature });
  });
  const participants = d.hostKeys.map((k, i) => {
    const e = byHost.get(hex(k));
    if (e === undefined) fail('INVALID_ARGUMENT', 'enrollments', `has no enrollment of operator ${i + 1}`, [String(i + 1)]);
    const name = d.json.operators[i]!.name;
    return {
      index: i + 1,
      hostPublicKey: hex(k),
      ...(name === undefined ? {} : { name }),
      encryptionPublicKey: hex(e.encKey),
      salt: hex(e.salt),
      enrollmentSignature: hex(e.signature),
    };
  });
  const def: CeremonyDefinitionJson = {
    format: 'dvkeys/dkg-definition',
    version: 1,
    network: d.json.network,
    threshold: d.t,
    participants,
    validators: d.json.validators,
    attemptNonce: d.json.attemptNonce,
  };
  return parseDefinition(def).json;
}

const parsedDefinitions = new Map<string, Definition>();
const PARSED_CACHE_SIZE = 8;

/**
 * Parses and validates a definition: every field, every enrollment signature, distinct keys. Results are cached by
 * the JSON text of the input (content, not identity, so a caller mutating its object afterwards gets a fresh parse);
 * every step of a ceremony parses the same definition, and each parse verifies n BIP-340 signatures. Each call
 * returns its own byte arrays (the cache hands out copies); only the frozen `json` is shared.
 * @throws ValidationError as {@link defineCeremony}.
 */
export function parseDefinition(value: unknown): Definition {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  const cached = text === undefined ? undefined : parsedDefinitions.get(text);
  if (cached !== undefined) return copyDefinition(cached);
  const def = parseDefinitionUncached(value);
  deepFreeze(def.json);
  if (text !== undefined) {
    if (parsedDefinitions.size >= PARSED_CACHE_SIZE) parsedDefinitions.delete(parsedDefinitions.keys().next().value!);
    parsedDefinitions.set(text, def);
  }
  return copyDefinition(def);
}

/**
 * A copy of a cached definition whose byte arrays belong to the caller (review finding D6, decision 0414): a caller
 * that wipes or alters one never changes what later parses return. The JSON is deeply frozen and shared.
 */
function copyDefinition(d: Definition): Definition {
  return {
    ...d,
    id: d.id.slice(),
    draftHash: d.draftHash.slice(),
    forkVersion: d.forkVersion.slice(),
    attemptNonce: d.attemptNonce.slice(),
    participants: d.participants.map((p) => ({ ...p, hostKey: p.hostKey.slice(), encKey: p.encKey.slice(), salt: p.salt.slice() })),
    validators: d.validators.map((v) => ({ ...v, withdrawalCredentials: v.withdrawalCredentials.slice(), amounts: [...v.amounts] })),
    deposits: d.deposits.map((x) => ({ ...x })),
  };
}

function deepFreeze(o: object): void {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  Object.freeze(o);
}

function parseDefinitionUncached(value: unknown): Definition {
  const obj = readObject(value, 'definition', ['format', 'version', 'network', 'threshold', 'participants', 'validators', 'attemptNonce']);
  readHeader(obj, 'definition', 'dvkeys/dkg-definition');
  const list = readArray(obj['participants'], 'definition.participants', MAX_PARTICIPANTS);
  list.forEach((p, i) => {
    const o = readObject(p, `definition.participants[${i}]`, ['index', 'hostPublicKey', 'encryptionPublicKey', 'salt', 'enrollmentSignature'], ['name']);
    readInt(o['index'], `definition.participants[${i}].index`, i + 1, i + 1);
  });
  const d = parseDraftLike(obj, list, 'definition');
  const participants = list.map((raw, i) => {
    const o = raw as Readonly<Record<string, unknown>>;
    const f = `definition.participants[${i}]`;
    const encKey = readHex(o['encryptionPublicKey'], `${f}.encryptionPublicKey`, 33);
    assertEncryptionPublicKey(encKey, `${f}.encryptionPublicKey`);
    const salt = readHex(o['salt'], `${f}.salt`, 32);
    const sig = readHex(o['enrollmentSignature'], `${f}.enrollmentSignature`, 64);
    checkEnrollmentSignature(d.hash, d.hostKeys[i]!, encKey, salt, sig, `${f}.enrollmentSignature`, i + 1);
    return { index: i + 1, hostKey: d.hostKeys[i]!, encKey, salt, sig, name: d.json.operators[i]!.name };
  });
  uniqueKeys(participants.map((p) => p.encKey), 'definition.participants', 'encryption public key');
  const idInput = new Writer().raw(d.hash);
  for (const p of participants) idInput.raw(p.encKey).raw(p.salt);
  const id = taggedHash(TAGS.ceremony, idInput.finish());
  const json: CeremonyDefinitionJson = {
    format: 'dvkeys/dkg-definition',
    version: 1,
    network: d.json.network,
    threshold: d.t,
    participants: participants.map((p) => ({
      index: p.index,
      hostPublicKey: hex(p.hostKey),
      ...(p.name === undefined ? {} : { name: p.name }),
      encryptionPublicKey: hex(p.encKey),
      salt: hex(p.salt),
      enrollmentSignature: hex(p.sig),
    })),
    validators: d.json.validators,
    attemptNonce: d.json.attemptNonce,
  };
  const deposits: DepositSlot[] = [];
  d.validators.forEach((v, i) => v.amounts.forEach((amount) => deposits.push({ validator: i, amount })));
  const def: Definition = {
    json,
    id,
    idHex: hex(id),
    draftHash: d.hash,
    n: participants.length,
    t: d.t,
    V: d.validators.length,
    networkName: d.networkName,
    forkVersion: d.forkVersion,
    attemptNonce: d.attemptNonce,
    participants: participants.map((p) => ({ index: p.index, hostKey: p.hostKey, encKey: p.encKey, salt: p.salt })),
    validators: d.validators,
    deposits,
  };
  return def;
}

/**
 * The ceremony id (0x + 32 bytes) of a definition: what operators compare out of band before round 1.
 * @throws ValidationError as {@link parseDefinition}.
 */
export function ceremonyId(definition: unknown): string {
  return parseDefinition(definition).idHex;
}

/**
 * A short human-comparable fingerprint of the ceremony id: the first 10 bytes as five groups of four hex digits.
 * @throws ValidationError as {@link parseDefinition}.
 */
export function ceremonyFingerprint(definition: unknown): string {
  const h = parseDefinition(definition).idHex.slice(2, 22);
  return h.match(/.{4}/g)!.join('-');
}

/**
 * The index (1..n) of the participant holding `hostSecretKey`, after checking that its enrolled encryption key is
 * the one its host key derives (so the definition really carries this operator's enrollment).
 * @throws ValidationError `INVALID_ARGUMENT` (host key not in the definition), `KEY_MISMATCH` (enrolled key differs).
 */
export function participantIndex(def: Definition, hostSecretKey: Uint8Array): number {
  const host = hostPublicKey(hostSecretKey);
  const p = def.participants.find((x) => equalBytes(x.hostKey, host));
  if (p === undefined) fail('INVALID_ARGUMENT', 'hostSecretKey', 'is not the key of any participant of the definition');
  const secret = deriveEncryptionSecret(hostSecretKey, def.attemptNonce, p.salt);
  try {
    if (!equalBytes(encryptionPublicKey(secret), p.encKey)) {
      throw new ValidationError('KEY_MISMATCH', `the enrolled encryption key of participant ${p.index} is not derived from this host key`, {
        field: `definition.participants[${p.index - 1}].encryptionPublicKey`,
      });
    }
  } finally {
    secret.fill(0);
  }
  return p.index;
}
