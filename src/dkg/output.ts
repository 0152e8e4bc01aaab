/**
 * What a successful ceremony gives a participant (brief B4 "Participant finalize", B1 "Goal"), the recovery data,
 * and the checks on the final message shared by finalisation, recovery and audit.
 *
 * Per validator: the participant's secret share (id = its index, the Shamir x-coordinate), the validator public
 * key, the Feldman commitments of the summed polynomial (so the split manifest `{pubkey, commitments[t],
 * public_shares[n]}` describes a DKG output unchanged), all public shares, and the deposit data (staking-deposit-cli
 * entries, threshold-signed in the ceremony). Plus the transcript hash.
 *
 * Recovery data = definition + collected round 1 + final message (brief B4: definition ‖ C1 ‖ C2.cert; we keep the
 * whole C2 so the deposit signatures come back too). The collected round 1 holds every dealer's ciphertext to every
 * participant, including each dealer's self-ciphertext, so the host key alone rebuilds every output.
 *
 * @module
 */
import type { G1Point, G2Point } from '../bls/group.js';
import { decodeG2Strict } from './g2.js';
import type { DepositDataEntry } from '../eth/deposit.js';
import { checkRecombination, type RecombinationReport, type SharingPublicData } from '../sharing/recombine.js';
import type { PublicShare, RandomBytes, SecretShare, ShareIndex } from '../types.js';
import { encodeScalar } from '../bls/field.js';
import { equalBytes, hex, readHeader, readObject } from './codec.js';
import type { CeremonyDefinitionJson, Definition } from './definition.js';
import { depositEntries, depositSignaturesValid, signatureValid } from './deposit.js';
import type { CollectedJson, Final, FinalJson } from './messages.js';
import { invalidCertificateEntries } from './transcript.js';
import type { Blame } from './blame.js';

/** One validator of a participant's output. */
export interface ValidatorOutput {
  /** 1-based position in the definition. */
  readonly validator: number;
  /** The validator public key (48 bytes). */
  readonly pubkey: Uint8Array;
  /** Feldman commitments of the summed polynomial, C_0 = pubkey (t × 48 bytes). */
  readonly commitments: readonly Uint8Array[];
  /** Every participant's public share, ids 1..n. */
  readonly publicShares: readonly PublicShare[];
  /** This participant's share (wipe `share.secret` when done). */
  readonly share: SecretShare;
  /** The threshold-signed deposits of this validator (one per amount). */
  readonly deposits: readonly DepositDataEntry[];
}

/** A participant's output. */
export interface ParticipantOutput {
  readonly ceremonyId: string;
  readonly transcriptHash: string;
  readonly index: number;
  readonly threshold: number;
  readonly participants: number;
  readonly networkName: string;
  readonly genesisForkVersion: string;
  readonly validators: readonly ValidatorOutput[];
}

/** Recovery data (format `dvkeys/dkg-recovery`): with the host key, enough to rebuild the output; public. */
export interface RecoveryDataJson {
  readonly format: 'dvkeys/dkg-recovery';
  readonly version: 1;
  readonly definition: CeremonyDefinitionJson;
  readonly collected: CollectedJson;
  readonly final: FinalJson;
}

/**
 * Shape-checks recovery data (the parts are parsed by their own parsers).
 * @throws ValidationError `DKG_INVALID_MESSAGE`.
 */
export function parseRecoveryData(value: unknown): RecoveryDataJson {
  const obj = readObject(value, 'recovery', ['format', 'version', 'definition', 'collected', 'final']);
  readHeader(obj, 'recovery', 'dvkeys/dkg-recovery');
  return obj as unknown as RecoveryDataJson;
}

/** The final message checked: its certificate and deposit signatures (decoded), or the coordinator's fault. */
export type FinalCheck = { readonly ok: true; readonly signatures: Uint8Array[] } | { readonly ok: false; readonly blame: Blame };

const coordinatorFault = (fault: string, detail: string): FinalCheck => ({ ok: false, blame: { culprit: 'coordinator', fault, certainty: 'coordinator', detail } });

/**
 * Checks a final message for our transcript: same ceremony and transcript hash, n valid CertEq votes in index
 * order, and one signature per deposit that verifies under its validator key (batched; per deposit on failure).
 * A failure is the coordinator's (it must check votes and partials before building the final message).
 */
export function checkFinal(def: Definition, hash: Uint8Array, final: Final, pubkeys: readonly G1Point[], hashed: readonly G2Point[], rng: RandomBytes): FinalCheck {
  if (!equalBytes(final.ceremonyId, def.id)) return coordinatorFault('invalid-certificate', 'the final message is for another ceremony');
  if (!equalBytes(final.transcriptHash, hash)) return coordinatorFault('invalid-certificate', 'the final message certifies another transcript');
  const badVotes = invalidCertificateEntries(def, hash, final.certificate);
  if (badVotes.length > 0) return coordinatorFault('invalid-certificate', `the certificate votes of participant ${badVotes.join(', ')} do not verify for our transcript`);
  if (final.depositSignatures.length !== def.deposits.length) return coordinatorFault('invalid-deposit-signature', `the final message has ${final.depositSignatures.length} deposit signatures, expected ${def.deposits.length}`);
  const sigs: G2Point[] = [];
  for (const [d, s] of final.depositSignatures.entries()) {
    try {
      sigs.push(decodeG2Strict(s, `final.depositSignatures[${d}]`));
    } catch (e) {
      return coordinatorFault('invalid-deposit-signature', e instanceof Error ? e.message : 'invalid deposit signature');
    }
  }
  if (!depositSignaturesValid(def, hashed, pubkeys, sigs, rng)) {
    const d = def.deposits.findIndex((dep, k) => !signatureValid(pubkeys[dep.validator]!, hashed[k]!, sigs[k]!));
    return coordinatorFault('invalid-deposit-signature', `deposit signature ${d} does not verify under its validator key`);
  }
  return { ok: true, signatures: final.depositSignatures.map((s) => Uint8Array.from(s)) };
}

/** The public parts of the outputs, per validator. */
export interface OutputParts {
  readonly pubkeys: readonly Uint8Array[];
  readonly commitments: readonly (readonly Uint8Array[])[];
  readonly publicShares: readonly (readonly Uint8Array[])[];
}

/** Assembles a participant's output (copies every byte array; the shares become SecretBytes). */
export function buildOutput(def: Definition, index: number, hash: Uint8Array, shares: readonly bigint[], parts: OutputParts, signatures: readonly Uint8Array[]): ParticipantOutput {
  const entries = depositEntries(def, parts.pubkeys, signatures);
  return {
    ceremonyId: def.idHex,
    transcriptHash: hex(hash),
    index,
    threshold: def.t,
    participants: def.n,
    networkName: def.networkName,
    genesisForkVersion: hex(def.forkVersion),
    validators: shares.map((s, v) => ({
      validator: v + 1,
      pubkey: Uint8Array.from(parts.pubkeys[v]!),
      commitments: parts.commitments[v]!.map((c) => Uint8Array.from(c)),
      publicShares: parts.publicShares[v]!.map((y, j) => ({ id: BigInt(j + 1) as ShareIndex, publicKey: Uint8Array.from(y) })),
      share: { id: BigInt(index) as ShareIndex, secret: encodeScalar(s) },
      deposits: entries.filter((_, k) => def.deposits[k]!.validator === v),
    })),
  };
}

/** The sharing public data of one validator of an output (for sharing/recombine.ts). */
export function sharingPublicData(output: ParticipantOutput, validator: number): SharingPublicData {
  const v = output.validators[validator - 1]!;
  return { threshold: output.threshold, groupPublicKey: v.pubkey, commitments: v.commitments, publicShares: v.publicShares };
}

/**
 * Runs the recombination checks of design section 4 (src/sharing/recombine.ts) on the given validators of an output
 * (all by default), with this participant's share.
 */
export function checkOutput(output: ParticipantOutput, validators?: readonly number[], rng?: RandomBytes): { validator: number; report: RecombinationReport }[] {
  const list = validators ?? output.validators.map((v) => v.validator);
  return list.map((v) => ({
    validator: v,
    report: checkRecombination(sharingPublicData(output, v), { shares: [output.validators[v - 1]!.share], ...(rng === undefined ? {} : { rng }) }),
  }));
}

/** Wipes every secret share of an output. */
export function wipeOutput(output: ParticipantOutput): void {
  for (const v of output.validators) v.share.secret.fill(0);
}
