/**
 * `dvkeys/dkg`: distributed key generation for Ethereum distributed validators (PedPop with CertEq, through an
 * untrusted coordinator, with identifiable abort). docs/protocols/dkg.md describes the protocol; docs/formats/
 * dkg-messages.md every message.
 *
 * One pure function per step, JSON in and out:
 * - coordinator: {@link createDraft} → operators {@link enroll} → {@link defineCeremony};
 * - participant: {@link startRound1} → coordinator {@link collectRound1} → participant {@link processRound1} →
 *   coordinator {@link collectRound2} → participant {@link finalizeParticipant} (or {@link finalizeFromAcks}) →
 *   participant {@link signReady} → anyone {@link collectReady} → anyone {@link verifyDepositCertificate};
 * - anyone: {@link recover} (with a host key), {@link audit}, {@link verifyEvidence}, {@link verifyAbortReport},
 *   {@link verdictFromEvidence}, {@link findEquivocation}.
 * @module
 */
export { DKG_VERSION, MAX_DEPOSITS, MAX_DEPOSITS_PER_VALIDATOR, MAX_PARTICIPANTS, MAX_VALIDATORS, MIN_THRESHOLD } from './constants.js';
export { generateHostSecretKey, hostPublicKey } from './host-key.js';
export { createDraft, enroll, parseDraft } from './draft.js';
export type { DkgDraftJson, DkgNetworkJson, DkgOperatorJson, DkgValidatorJson, DraftParams, EnrollOptions, EnrollmentJson } from './draft.js';
export { ceremonyFingerprint, ceremonyId, defineCeremony, parseDefinition } from './definition.js';
export type { CeremonyDefinitionJson, DkgParticipantJson } from './definition.js';
export { startRound1, processRound1 } from './participant.js';
export type { ProcessRound1Options, ProcessRound1Result, StartRound1Options, StartRound1Result } from './participant.js';
export { collectRound1, collectRound2, collectedTranscriptHash } from './coordinator.js';
export type { CollectResult, CollectRound2Options } from './coordinator.js';
export { finalizeFromAcks, finalizeParticipant } from './finalize.js';
export type { FinalizeOptions, FinalizeResult } from './finalize.js';
export { READY_TAG, checkReady, collectReady, signReady, verifyDepositCertificate } from './ready.js';
export type { CertificateExpectations, CertifiedDeposits, CollectReadyResult, DepositCertificateJson, ReadyClaimJson, ReadyJson } from './ready.js';
export { audit, recover, samePublicOutput } from './recover.js';
export type { AuditReport, PublicValidatorOutput, RecoverOptions } from './recover.js';
export { checkOutput, parseRecoveryData, sharingPublicData, wipeOutput } from './output.js';
export type { ParticipantOutput, RecoveryDataJson, ValidatorOutput } from './output.js';
export { findEquivocation, verdictFromEvidence, verifyAbortReport, verifyEvidence } from './blame.js';
export type { AbortReportJson, Blame, Certainty, EvidenceContext, EvidenceItem, EvidenceJson, Verdict } from './blame.js';
export { participantVerdict } from './participant-verdict.js';
export type { OwnComplaint } from './participant-verdict.js';
export { openState, parseState, sealState } from './state.js';
export type { ParticipantStateJson, ParticipantStep, SealedStateJson } from './state.js';
export { ethDepositSigningRoot } from './deposit.js';
export type { DepositRootFn, DepositRootInput } from './deposit.js';
export type { Accusation, AckJson, CollectedJson, ComplaintJson, ComplaintFault, FinalJson, Round1Json } from './messages.js';
export { simulateDkg } from './simulate.js';
export type { SimulateOptions, SimulationResult, StepTiming } from './simulate.js';
export type { SimFault } from './adversary.js';
