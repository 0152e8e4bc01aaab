/**
 * The public record of a DKG (design section 3; docs/decisions/0700-dkg-output-layout.md, 0431): the operator
 * folder names, the cluster a DKG made ({@link dkgCluster}) and its `ceremony.json`, written by the dvkeys layout
 * adapter from that cluster (adapters/dvkeys.ts, decision 0312) so that a DKG's and a split's ceremony.json come
 * from one place, the deposit data, the canonical recovery data and the READY claim. Every operator computes all
 * of it alone from public data, so the n folders carry the same bytes. Pure.
 *
 * @module
 */
import { bytesToHex, utf8 } from '../bytes.js';
import { DvkeysError, ValidationError, VerificationError } from '../errors.js';
import type { DepositDataEntry } from '../eth/deposit.js';
import { formatDepositDataFile, verifyDepositData } from '../eth/deposit-file.js';
import { NETWORK_NAMES, customNetwork, getNetwork, type Network } from '../eth/networks.js';
import { canonicalJson } from '../json.js';
import { audit, parseDefinition, parseRecoveryData, type CeremonyDefinitionJson, type ParticipantOutput, type ReadyClaimJson, type RecoveryDataJson } from '../dkg/index.js';
import { finalToJson, parseCollected, parseFinal, round1ToJson } from '../dkg/messages.js';
import { clusterToManifest } from './adapters/dvkeys.js';
import type { Cluster } from './cluster.js';
import { fileHash } from './files.js';
import { DEPOSIT_FILE } from './layouts/dvkeys.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH, assertSafeName, serializeManifest, type Manifest, type ManifestOperator } from './manifest.js';

/** The recovery data in an operator's DKG folder. */
export const DKG_RECOVERY_FILE = 'dkg-recovery.json';

const RESERVED = new Set([MANIFEST_FILE, DEPOSIT_FILE, 'slashing-protection.json', DKG_RECOVERY_FILE]);

function safeName(name: string | undefined): boolean {
  if (name === undefined) return false;
  try {
    assertSafeName(name, 'name');
    return true;
  } catch {
    return false;
  }
}

/**
 * Folder names for operators 1..n from their (optional) names: the name where it is a safe folder name, else
 * `operator-<i>`; if two names would clash (case-insensitively) or one is a reserved file name, `operator-<i>` for
 * every operator.
 */
export function dkgOperatorNames(names: readonly (string | undefined)[]): string[] {
  const fallback = names.map((_n, i) => `operator-${i + 1}`);
  const named = names.map((n, i) => (safeName(n) ? n! : fallback[i]!));
  const folded = named.map((n) => n.toLowerCase());
  const clash = new Set(folded).size !== folded.length || folded.some((n) => RESERVED.has(n));
  return clash ? fallback : named;
}

/**
 * The manifest operators of a DKG: index = participant index (1..n, the Shamir x-coordinate), name = group =
 * {@link dkgOperatorNames} of the definition's operator names. A pure function of the definition, so every operator
 * computes the same list.
 */
export function dkgOperators(definition: CeremonyDefinitionJson): ManifestOperator[] {
  const names = dkgOperatorNames(definition.participants.map((p) => p.name));
  return definition.participants.map((p, i) => ({ index: p.index, name: names[i]!, group: names[i]! }));
}

/** One validator's public outputs (what every operator holds after success, or `audit` returns). */
export interface DkgPublicValidator {
  readonly pubkey: Uint8Array;
  /** Feldman commitments of the summed polynomial, t × 48 bytes, commitments[0] = pubkey. */
  readonly commitments: readonly Uint8Array[];
  /** Public shares of participants 1..n, 48 bytes each. */
  readonly publicShares: readonly Uint8Array[];
  /** The threshold-signed deposits of this validator. */
  readonly deposits: readonly DepositDataEntry[];
}

/** The public outputs of a ceremony with its definition. */
export interface DkgPublicOutput {
  readonly definition: CeremonyDefinitionJson;
  readonly validators: readonly DkgPublicValidator[];
}

/**
 * The public part of a participant's output.
 * @throws DvkeysError `CEREMONY_MISMATCH` when the output is not of this definition.
 */
export function publicOutputOf(output: ParticipantOutput, definition: CeremonyDefinitionJson): DkgPublicOutput {
  const def = parseDefinition(definition);
  if (output.ceremonyId !== def.idHex) throw new DvkeysError('CEREMONY_MISMATCH', 'the DKG output belongs to another ceremony than the definition', { field: 'definition' });
  return {
    definition: def.json,
    validators: output.validators.map((v) => ({ pubkey: v.pubkey, commitments: v.commitments, publicShares: v.publicShares.map((y) => y.publicKey), deposits: v.deposits })),
  };
}

function networkOf(name: string, forkVersion: Uint8Array): Network {
  return (NETWORK_NAMES as readonly string[]).includes(name) ? getNetwork(name) : customNetwork({ name, genesisForkVersion: forkVersion });
}

/**
 * The deposit-data file of a ceremony (every deposit, in definition order), verified with the standard deposit
 * verifier before it is returned.
 * @throws VerificationError / ValidationError of the deposit verifier (a bug: the ceremony checked every signature).
 */
export function dkgDepositDataText(pub: DkgPublicOutput): string {
  const def = parseDefinition(pub.definition);
  const text = formatDepositDataFile(pub.validators.flatMap((v) => v.deposits));
  verifyDepositData(JSON.parse(text) as unknown, { network: networkOf(def.networkName, def.forkVersion) });
  return text;
}

/**
 * The `ceremony.json` of a DKG (kind `dkg`), from public data only: network and fork version, threshold, operators
 * ({@link dkgOperators}), per validator pubkey, commitments, public shares and withdrawal credentials, and an empty
 * `files` (decision 0431: no deposit-data.json before round 3). Every operator of one ceremony gets the same manifest.
 * @throws ValidationError `INVALID_FORMAT` for outputs inconsistent with the definition, `LIMIT_EXCEEDED` for a
 *   manifest larger than `dvkeys verify` reads.
 */
export function dkgManifest(pub: DkgPublicOutput): Manifest {
  const def = parseDefinition(pub.definition);
  if (pub.validators.length !== def.V) throw new ValidationError('INVALID_FORMAT', `the DKG output has ${pub.validators.length} validators, the definition ${def.V}`, { field: 'validators' });
  pub.validators.forEach((v, i) => {
    if (v.commitments.length !== def.t || v.publicShares.length !== def.n || v.pubkey.length !== 48) {
      throw new ValidationError('INVALID_FORMAT', `validator ${i} of the DKG output does not have t commitments and n public shares`, { field: `validators[${i}]` });
    }
  });
  dkgDepositDataText(pub); // the deposits must verify before a manifest vouches for these validators
  const manifest: Manifest = { ...clusterToManifest(dkgCluster(pub)), files: {} };
  if (serializeManifest(manifest).length > MAX_MANIFEST_TEXT_LENGTH) {
    throw new ValidationError('LIMIT_EXCEEDED', 'the ceremony.json of this DKG would be larger than dvkeys reads back', { field: 'validators' });
  }
  return manifest;
}

/**
 * The cluster a DKG made, in the model every layout writes from (decision 0307): kind `dkg`, the definition's
 * network, threshold and operators ({@link dkgOperators}), and per validator its key, commitments, public shares and
 * withdrawal credentials. The caller has checked the outputs against the definition ({@link dkgManifest}).
 */
export function dkgCluster(pub: DkgPublicOutput): Cluster {
  const def = parseDefinition(pub.definition);
  return {
    kind: 'dkg',
    threshold: def.t,
    operators: dkgOperators(def.json).map((o) => ({ shareId: o.index, name: o.name, group: o.group })),
    network: def.networkName,
    forkVersion: Uint8Array.from(def.forkVersion),
    name: '',
    validators: pub.validators.map((v, i) => ({
      pubkey: Uint8Array.from(v.pubkey),
      commitments: v.commitments.map((c) => Uint8Array.from(c)),
      publicShares: v.publicShares.map((y) => Uint8Array.from(y)),
      withdrawalCredentials: Uint8Array.from(def.validators[i]!.withdrawalCredentials),
    })),
  };
}

/**
 * Recovery data in canonical form (every part re-encoded by its codec), so that every operator writes the same bytes
 * whatever the key order of the files it was given.
 * @throws ValidationError for malformed recovery data.
 */
export function canonicalRecoveryText(recovery: unknown): string {
  const r = parseRecoveryData(recovery);
  const def = parseDefinition(r.definition);
  const c = parseCollected(r.collected);
  const canonical: RecoveryDataJson = {
    format: 'dvkeys/dkg-recovery',
    version: 1,
    definition: def.json,
    collected: { format: 'dvkeys/dkg-collected', version: 1, ceremonyId: bytesToHex(c.ceremonyId, true), round1: c.round1.map(round1ToJson) },
    final: finalToJson(parseFinal(r.final)),
  };
  return canonicalJson(canonical);
}

/** What round 3 (READY, src/dkg/ready.ts) claims for a ceremony, with the two files the claim fingerprints. */
export interface DkgReadyExpectation {
  readonly definition: CeremonyDefinitionJson;
  readonly claim: ReadyClaimJson;
  /** The `ceremony.json` text every operator's folder holds; its SHA-256 is `claim.manifestFingerprint`. */
  readonly manifestText: string;
  /**
   * The `deposit-data.json` text that `dkg collect` of READY messages and `dkg deposit-data` write beside the deposit
   * certificate (never before it); its entries' roots are `claim.depositDataRoots`.
   */
  readonly depositDataText: string;
}

/**
 * The READY claim of a ceremony computed from its public recovery data alone (definition, collected round 1, final
 * message): what every operator's folder must hold, and what the collector of READY messages expects (issue 12).
 * @throws ValidationError for malformed data; VerificationError `DKG_ABORTED` (culprits from the audit) when the
 *   data do not describe a successful ceremony.
 */
export function dkgReadyExpectation(recovery: unknown): DkgReadyExpectation {
  const report = audit(recovery);
  const definition = parseDefinition(parseRecoveryData(recovery).definition).json;
  if (!report.ok) {
    const culprits = [...new Set(report.problems.map((b) => b.culprit))];
    throw new VerificationError('DKG_ABORTED', `the ceremony data do not describe a successful ceremony: ${report.problems.map((b) => b.detail).join('; ')}`, { field: 'recovery', culprits });
  }
  const pub: DkgPublicOutput = { definition, validators: report.validators };
  const manifestText = serializeManifest(dkgManifest(pub));
  const depositDataText = dkgDepositDataText(pub);
  const claim: ReadyClaimJson = {
    transcriptHash: report.transcriptHash,
    manifestFingerprint: `0x${fileHash(utf8(manifestText))}`,
    depositDataRoots: report.validators.flatMap((v) => v.deposits.map((d) => bytesToHex(d.depositDataRoot, true))),
  };
  return { definition, claim, manifestText, depositDataText };
}
