/**
 * `dvkeys/lifecycle`: a cluster's lifecycle after its keys exist (design section 9; docs/protocols/lifecycle.md):
 * reshare to a new operator set or threshold, refresh the shares, repair a lost share, and the handover rule
 * before old shares are deleted, and the old cluster's stop records with the EIP-3076 history carried to the new
 * nodes. The algebra and its checks, with blame; sealed messages (wire.ts, repair-wire.ts), transcript agreement
 * (echo.ts) and their JSON (messages.ts).
 * @module
 */
export { MAX_LIFECYCLE_VALIDATORS, decodeClusterPublicData } from './public-data.js';
export type { ClusterPublicData, DecodedValidator, ValidatorPublicData } from './public-data.js';
export { checkReshareSafety, defineReshare } from './reshare-definition.js';
export type { ReshareDefinition, ReshareInput } from './reshare-definition.js';
export { checkReshareDealings, combineReshare, dealReshare, reshareOutput } from './reshare.js';
export type { CheckedDealings, NewValidatorPublicData, ReshareDealing, SubShareBundle } from './reshare.js';
export { checkRefreshDealings, combineRefresh, dealRefresh, defineRefresh, refreshOutput } from './refresh.js';
export type { CheckedRefreshDealings, RefreshBundle, RefreshDealing, RefreshDefinition, RefreshInput, RefreshedValidatorPublicData } from './refresh.js';
export { checkRepairContributions, completeRepair, contributeRepair, defineRepair, lagrangeCoefficientsAt, repairSum } from './repair.js';
export type { CheckedContributions, RepairContribution, RepairDefinition, RepairDeltaBundle, RepairInput, RepairSum } from './repair.js';
export { RESHARE_COMPLETE_PREFIX, checkHandover, newPublicDataHash, reshareCompleteMessage, signHandover, verifyHandoverCertificate } from './handover.js';
export type { HandoverCertificate, HandoverPartials, HandoverPublicData } from './handover.js';
export { checkSignedHandovers, judgeHandover, signHandoverMessage, verifyHandoverSignature } from './signed-handover.js';
export type { HandoverVerdict, SignedHandover } from './signed-handover.js';
export { RESHARE_STOP_PREFIX, SLOTS_PER_EPOCH, START_WAIT_EPOCHS, checkStops, historyDigest, historyFor, signStop, stopMessage } from './stop.js';
export type { StopCheck, StopRecord, StoppableDefinition } from './stop.js';
export { STOP_RECORD_FORMAT, parseStopRecord, stopRecordToJson } from './stop-messages.js';
export { checkSealed, complain, enrollRecipient, judgeComplaint, openSealed, sealDealing, sealedDigest, sessionFingerprint, verifySealedSignature, wireSession } from './wire.js';
export { checkEchoes, findEquivocations, openAgreed, signEcho, transcriptOf, verifyEquivocation } from './echo.js';
export type { AgreedTranscript, Echo, EchoEntry, EquivocationEvidence, Transcript } from './echo.js';
export type { ComplaintVerdict, Enrollment, SealedDealing, WireComplaint, WireSession } from './wire.js';
export { LIFECYCLE_FORMATS, complaintToJson, echoToJson, enrollmentToJson, equivocationToJson, handoverToJson, parseComplaint, parseEcho, parseEnrollment, parseEquivocation, parseHandover, parseSealed, sealedToJson } from './messages.js';
export type { SealedStep } from './messages.js';
export { agreedRepairContributions, echoRepairDeltas, openRepairSums, repairContributions, sealRepairDeltas, sealRepairSum } from './repair-wire.js';
export { simulateRefresh, simulateRepair, simulateReshare } from './simulate.js';
export type { LifecycleFault, ReshareSimulation, SimulateRefreshOptions, SimulateRepairOptions, SimulateReshareOptions } from './simulate.js';
