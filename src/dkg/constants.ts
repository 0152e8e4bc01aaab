/**
 * Constants of the DKG protocol: the version, the domain-separation tags and every numeric cap on untrusted input.
 *
 * Tags follow the brief's proposal (research/dkg-brief.md B2, "DST and tag namespace"), renamed to the project:
 * one prefix `DVKEYS-DKG-V1/` and one suffix per use, so no hash, signature or key derivation of one kind can be
 * replayed as another (docs/decisions/0401-dkg-encodings.md).
 *
 * @module
 */

/** Version of every DKG message, state and format (the `version` field of their JSON). */
export const DKG_VERSION = 1;

/**
 * Version of the round-1 and complaint messages: 2 since issue 12 (round 1 carries a per-message salt and an
 * ephemeral sender key with its proof of knowledge; complaints reveal one ECDH point per accused dealer with a DLEQ
 * proof instead of the encryption secret; decision 0420). Version 1 of either is refused by name.
 */
export const MESSAGE_VERSION = 2;

/** Prefix of every DKG domain-separation tag. */
export const TAG_PREFIX = 'DVKEYS-DKG-V1/';

/** The domain-separation tags (each is {@link TAG_PREFIX} + the name). */
export const TAGS = {
  /** Hash of a draft (what enrollments sign). */
  draft: `${TAG_PREFIX}draft`,
  /** The ceremony id: hash of the definition. */
  ceremony: `${TAG_PREFIX}ceremony`,
  /** Enrollment signature. */
  enroll: `${TAG_PREFIX}enroll`,
  /** Derivation of the per-attempt encryption secret d_i (hash_to_field over secp256k1's order). */
  encKey: `${TAG_PREFIX}enc-key`,
  /** Derivation of a dealer's seed from host key, fresh randomness and ceremony id. */
  seed: `${TAG_PREFIX}seed`,
  /** Derivation of polynomial coefficients from the seed (hash_to_field over Fr). */
  coeff: `${TAG_PREFIX}coeff`,
  /** Derivation of proof-of-knowledge nonces from the seed. */
  pokNonce: `${TAG_PREFIX}pok-nonce`,
  /** Proof-of-knowledge challenge (hash_to_field over Fr). */
  pok: `${TAG_PREFIX}pok`,
  /** HKDF info of a pairwise share-encryption key. */
  kdf: `${TAG_PREFIX}kdf`,
  /** HKDF info of the self-encryption key (a dealer's own share, kept in the transcript for recovery). */
  kdfSelf: `${TAG_PREFIX}kdf-self`,
  /** Derivation of a round-1 message's salt (HKDF input of every pairwise key) from the dealer seed. */
  messageSalt: `${TAG_PREFIX}message-salt`,
  /** Derivation of a round-1 message's ephemeral sender secret e_i (hash_to_field over secp256k1's order) from the seed. */
  ephemeral: `${TAG_PREFIX}ephemeral`,
  /** Fiat-Shamir challenge of the proof of knowledge of e_i (Schnorr over secp256k1). */
  ephemeralPok: `${TAG_PREFIX}ephemeral-pok`,
  /** Fiat-Shamir challenge of a complaint's DLEQ proof (hash_to_field over the secp256k1 order). */
  dleq: `${TAG_PREFIX}dleq`,
  /** Hedged nonce of a complaint's DLEQ proof. */
  dleqNonce: `${TAG_PREFIX}dleq-nonce`,
  /** AEAD associated data of an encrypted share bundle. */
  aad: `${TAG_PREFIX}aad`,
  /** Round-1 message digest (what its host signature signs). */
  round1: `${TAG_PREFIX}round1`,
  /** Host-signature nonce randomness derived from a dealer seed. */
  aux: `${TAG_PREFIX}aux`,
  /** The transcript hash. */
  transcript: `${TAG_PREFIX}transcript`,
  /** The CertEq vote: a signature over the transcript hash. */
  certeq: `${TAG_PREFIX}certeq`,
  /** Round-2 acknowledgement digest. */
  ack: `${TAG_PREFIX}ack`,
  /** Round-2 complaint digest. */
  complaint: `${TAG_PREFIX}complaint`,
  /** Key derivation for sealing a participant state at rest. */
  state: `${TAG_PREFIX}state`,
} as const;

/** Fewest participants and smallest threshold (brief B1: 2 <= t <= n). */
export const MIN_THRESHOLD = 2;

/** Most participants of one ceremony (brief B1 suggests 64). */
export const MAX_PARTICIPANTS = 64;

/** Most validators of one ceremony (brief B1 suggests 10 000). */
export const MAX_VALIDATORS = 10_000;

/** Most deposit amounts one validator may list (partial deposits, as Charon allows). */
export const MAX_DEPOSITS_PER_VALIDATOR = 16;

/** Most deposits (validators times amounts) of one ceremony: bounds the G2 work of round 2. */
export const MAX_DEPOSITS = 20_000;

/** Longest operator or network name, in characters (printable ASCII). */
export const MAX_NAME_LENGTH = 64;

/**
 * Most accusations one complaint may carry: at most one per accused dealer (decision 0420), so every complaint of
 * every definition fits, whatever V and t.
 */
export const MAX_ACCUSATIONS = MAX_PARTICIPANTS;
