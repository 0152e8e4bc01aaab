/**
 * An in-process simulator of a whole ceremony (tests and benchmarks): n participants with fresh host keys, an
 * untrusted coordinator, and optional injected faults (adversary.ts). It runs every step through the public API with
 * JSON messages, exactly as separate machines would.
 *
 * On abort, every honest participant computes its verdict from the same pool of evidence: the coordinator's abort
 * report, the honest participants' own evidence (their complaints, the bad relays or final messages they received)
 * and, when transcript hashes differ, the equivocation found by comparing their collected round-1 copies (what
 * operators do out of band after a failed ceremony, brief B5 "CertEq mismatch, then comparing C1 copies").
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';
import { hex, readHex } from './codec.js';
import { createDraft, defineCeremony, enroll, parseDefinition, type CeremonyDefinitionJson, type DkgNetworkJson } from './definition.js';
import { dealRound1 } from './deal.js';
import { generateHostSecretKey, hostPublicKey } from './host-key.js';
import { deriveEncryptionSecret, sharedPoint } from './encryption.js';
import { proveDleq } from './dleq.js';
import { collectRound1, collectRound2, collectedTranscriptHash } from './coordinator.js';
import { processRound1, startRound1WithHooks } from './participant.js';
import { finalizeParticipant } from './finalize.js';
import {
  ackToJson,
  parseAck,
  parseRound1,
  signAck,
  signComplaint,
  complaintToJson,
  type AckJson,
  type CollectedJson,
  type ComplaintJson,
  type FinalJson,
  type Round1Json,
  type PairEvidence,
  type Round1Validator,
} from './messages.js';
import { findEquivocation, verdictFromEvidence, type EvidenceItem, type Verdict } from './blame.js';
import { dealHooks, type SimFault } from './adversary.js';
import type { ParticipantOutput, RecoveryDataJson } from './output.js';
import type { DepositRootFn } from './deposit.js';
import type { ParticipantStateJson } from './state.js';
import { decodeG1Uncompressed, decodeG2Uncompressed, encodeG1UncompressedBatch } from './points.js';
import { G1, encodeG2 } from '../bls/group.js';
import { hashToG2 } from '../bls/signature.js';
import { Fr, decodeScalar } from '../bls/field.js';

/** Options of {@link simulateDkg}. */
export interface SimulateOptions {
  readonly n: number;
  readonly t: number;
  readonly V: number;
  readonly faults?: readonly SimFault[];
  /** Randomness for keys, nonces and batch weights (tests pass an insecure deterministic one). */
  readonly rng?: RandomBytes;
  readonly network?: DkgNetworkJson;
  /** Deposit amounts (Gwei, decimal) of every validator; default one of 32 ETH. */
  readonly amounts?: readonly string[];
  readonly depositSigningRoot?: DepositRootFn;
  /** Passed to finalisation (recombination checks): default 'all' for V <= 4, else 4. */
  readonly recombinationCheck?: 'all' | number;
}

/** Wall time of one step, in milliseconds. */
export interface StepTiming {
  readonly step: 'setup' | 'round1' | 'collect1' | 'round2' | 'collect2' | 'finalize';
  readonly participant: number;
  readonly ms: number;
}

/** The result of {@link simulateDkg}. */
export interface SimulationResult {
  readonly ok: boolean;
  readonly definition: CeremonyDefinitionJson;
  readonly hostSecretKeys: readonly Uint8Array[];
  /** Injected culprits (participant indices, or `coordinator`). */
  readonly faulty: readonly string[];
  readonly honest: readonly number[];
  readonly round1: readonly (Round1Json | undefined)[];
  /** The collected round 1 each participant received. */
  readonly collected: readonly (CollectedJson | undefined)[];
  readonly round2: readonly (AckJson | ComplaintJson | undefined)[];
  readonly final: FinalJson | undefined;
  readonly states: readonly (ParticipantStateJson | undefined)[];
  /** Outputs of participants that reached success. */
  readonly outputs: readonly (ParticipantOutput | undefined)[];
  readonly recovery: RecoveryDataJson | undefined;
  /** Each honest participant's verdict when the ceremony aborted. */
  readonly verdicts: ReadonlyMap<number, Verdict>;
  /** The pool of evidence the verdicts come from. */
  readonly evidence: readonly EvidenceItem[];
  readonly timings: readonly StepTiming[];
}

function faultyParties(faults: readonly SimFault[]): string[] {
  const out = new Set<string>();
  for (const f of faults) {
    if ('dealer' in f && f.kind !== 'replay-round1' && f.kind !== 'tamper-ciphertext') out.add(String(f.dealer));
    if ('participant' in f) out.add(String(f.participant));
    if ('accuser' in f) out.add(String(f.accuser));
    if ('signer' in f) out.add(String(f.signer));
    if (f.kind === 'cancelling-shares' && f.partner !== undefined) out.add(String(f.partner));
    if (f.kind === 'replay-round1' || f.kind === 'tamper-ciphertext' || f.kind === 'bad-certificate' || f.kind === 'bad-deposit-signature') out.add('coordinator');
  }
  return [...out];
}

function timed<T>(timings: StepTiming[], step: StepTiming['step'], participant: number, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    timings.push({ step, participant, ms: performance.now() - t0 });
  }
}

function setup(opts: SimulateOptions, rng: RandomBytes, keys: readonly Uint8Array[], attemptNonce: Uint8Array, V: number): CeremonyDefinitionJson {
  const draft = createDraft({
    network: opts.network ?? { name: 'mainnet', genesisForkVersion: '0x00000000' },
    threshold: opts.t,
    operators: keys.map((k, i) => ({ hostPublicKey: hex(hostPublicKey(k)), name: `operator-${i + 1}` })),
    validators: Array.from({ length: V }, () => ({ withdrawalCredentials: hex(Uint8Array.of(1, ...new Uint8Array(11), ...rng(20))), amounts: [...(opts.amounts ?? ['32000000000'])] })),
    attemptNonce,
  });
  const enrollments = keys.map((k) => enroll(draft, k, { rng }));
  return defineCeremony(draft, enrollments);
}

/**
 * Runs a whole ceremony in process.
 * @throws ValidationError for invalid parameters (as the definition checks them).
 */
export function simulateDkg(opts: SimulateOptions): SimulationResult {
  const rng = opts.rng ?? systemRandomBytes;
  const faults = opts.faults ?? [];
  const { n, V } = opts;
  const timings: StepTiming[] = [];
  const keys = Array.from({ length: n }, () => generateHostSecretKey(rng));
  const definition = timed(timings, 'setup', 0, () => setup(opts, rng, keys, rng(32), V));
  const def = parseDefinition(definition);
  const faulty = faultyParties(faults);
  const honest = def.participants.map((p) => p.index).filter((i) => !faulty.includes(String(i)));
  const find = <K extends SimFault['kind']>(kind: K): Extract<SimFault, { kind: K }>[] => faults.filter((f): f is Extract<SimFault, { kind: K }> => f.kind === kind);

  // ---- round 1 ----
  const states: (ParticipantStateJson | undefined)[] = new Array<ParticipantStateJson | undefined>(n);
  const round1: (Round1Json | undefined)[] = new Array<Round1Json | undefined>(n);
  const randoms = keys.map(() => rng(32));
  const honestValidator = (dealer: number, v: number): Round1Validator => {
    const m = dealRound1(def, dealer, keys[dealer - 1]!, randoms[dealer - 1]!).message;
    return m.validators[v - 1]!;
  };
  let equivocated: Round1Json | undefined;
  for (const p of def.participants) {
    const i = p.index;
    const hooks = faults.reduce((acc, f) => ({ ...acc, ...dealHooks(f, i, hookContext(f, i)) }), {});
    const res = timed(timings, 'round1', i, () => startRound1WithHooks(definition, keys[i - 1]!, { random: randoms[i - 1]! }, hooks));
    states[i - 1] = res.state;
    round1[i - 1] = res.message;
    for (const f of find('equivocation')) {
      if (f.dealer !== i) continue;
      const variantHooks =
        f.variant === 'proof-nonce'
          ? { nonce: (v: number, k: bigint) => (v === 1 ? Fr.add(k, 1n) : k) }
          : f.variant === 'ciphertexts'
            ? { share: (j: number, v: number, s: bigint) => (j === otherRecipient(f.split, i, n) && v === 1 ? Fr.add(s, 1n) : s) }
            : {};
      const random = f.variant === 'commitments' ? rng(32) : randoms[i - 1]!;
      equivocated = startRound1WithHooks(definition, keys[i - 1]!, { random }, variantHooks).message;
    }
  }
  function hookContext(f: SimFault, dealer: number): Parameters<typeof dealHooks>[2] {
    const base = { extra: BigInt(1 + (rng(1)[0] ?? 0)), n };
    if (f.kind !== 'bad-proof' || f.dealer !== dealer) return base;
    const v = f.validator ?? 1;
    if (f.variant === 'swapped-r') return { ...base, foreign: honestValidator(dealer, (v % V) + 1) };
    if (f.variant === 'copied') return { ...base, foreign: honestValidator((dealer % n) + 1, v) };
    if (f.variant === 'other-ceremony') {
      const other = parseDefinition(setup(opts, rng, keys, rng(32), V));
      return { ...base, foreign: dealRound1(other, dealer, keys[dealer - 1]!, randoms[dealer - 1]!).message.validators[v - 1]! };
    }
    if (f.variant === 'rogue-key') {
      let sum = G1.ZERO;
      for (const q of def.participants) if (q.index !== dealer) sum = sum.add(decodeG1Uncompressed(honestValidator(q.index, v).commitments[0]!, 'c0'));
      return { ...base, honestC0Sum: encodeG1UncompressedBatch([sum])[0]! };
    }
    return base;
  }

  const evidence: EvidenceItem[] = [];
  /** Per participant, the `coordinator` evidence items it reported from what it received itself. */
  const received = new Map<number, Set<EvidenceItem>>();
  const report = (i: number, item: EvidenceItem): void => {
    evidence.push(item);
    if (item.evidence.kind !== 'coordinator') return;
    const own = received.get(i) ?? new Set<EvidenceItem>();
    own.add(item);
    received.set(i, own);
  };
  const result = (extra: Partial<SimulationResult>): SimulationResult => {
    const verdicts = new Map<number, Verdict>();
    // every honest participant holds the same pool and the verification is deterministic: computed once, shared;
    // a participant that received a bad relay or final message itself also trusts that evidence (decision 0413)
    const verdict = extra.ok === true ? undefined : verdictFromEvidence(definition, evidence, { rng });
    if (verdict !== undefined) {
      for (const i of honest) {
        const own = received.get(i);
        verdicts.set(i, own === undefined ? verdict : verdictFromEvidence(definition, evidence.map((e) => (own.has(e) ? { ...e, received: true } : e)), { rng }));
      }
    }
    return {
      ok: false,
      definition,
      hostSecretKeys: keys,
      faulty,
      honest,
      round1,
      collected: [],
      round2: [],
      final: undefined,
      states,
      outputs: [],
      recovery: undefined,
      verdicts,
      evidence,
      timings,
      ...extra,
    };
  };

  // ---- collect round 1 ----
  const delivered: Round1Json[] = [];
  for (const p of def.participants) {
    if (find('missing-round1').some((f) => f.participant === p.index)) continue;
    if (find('wrong-definition').some((f) => f.participant === p.index)) {
      const other = setup({ ...opts }, rng, keys, rng(32), V + 1);
      delivered.push(startRound1WithHooks(other, keys[p.index - 1]!, { random: randoms[p.index - 1]! }, {}).message);
      continue;
    }
    delivered.push(round1[p.index - 1]!);
  }
  const c1 = timed(timings, 'collect1', 0, () => collectRound1(definition, delivered));
  if (!c1.ok) {
    for (const e of c1.abort.evidence) evidence.push({ evidence: e });
    return result({});
  }
  const base = c1.message;
  const collected: CollectedJson[] = def.participants.map((p) => {
    let list = [...base.round1];
    for (const f of find('equivocation')) if (f.split.includes(p.index)) list[f.dealer - 1] = equivocated!;
    for (const f of find('replay-round1')) {
      const other = setup(opts, rng, keys, rng(32), V);
      list[f.dealer - 1] = startRound1WithHooks(other, keys[f.dealer - 1]!, { random: randoms[f.dealer - 1]! }, {}).message;
    }
    for (const f of find('tamper-ciphertext')) {
      if (f.recipient !== p.index) continue;
      const m = list[f.dealer - 1]!;
      const cts = [...m.ciphertexts];
      cts[f.recipient - 1] = `${cts[f.recipient - 1]!.slice(0, -2)}${cts[f.recipient - 1]!.endsWith('00') ? '01' : '00'}`;
      list[f.dealer - 1] = { ...m, ciphertexts: cts };
    }
    list = list.map((m) => ({ ...m }));
    return { ...base, round1: list };
  });

  // ---- round 2 ----
  const round2: (AckJson | ComplaintJson | undefined)[] = new Array<AckJson | ComplaintJson | undefined>(n);
  for (const p of def.participants) {
    const i = p.index;
    const res = timed(timings, 'round2', i, () => processRound1(states[i - 1], keys[i - 1]!, collected[i - 1], { rng, ...(opts.depositSigningRoot === undefined ? {} : { depositSigningRoot: opts.depositSigningRoot }) }));
    states[i - 1] = res.state;
    if (!res.ok) {
      for (const e of res.evidence) report(i, { evidence: e, collected: collected[i - 1]! });
      round2[i - 1] = res.message;
      continue;
    }
    round2[i - 1] = tamperAck(res.message, res.state, i);
  }
  for (const f of find('false-complaint')) {
    const i = f.accuser;
    const k = keys[i - 1]!;
    const fault = f.variant === 'public' ? 'invalid-proof' : 'invalid-share';
    const otherKey = readHex(collected[i - 1]!.round1[f.accused - 1]!.ephemeralKey, 'ephemeralKey', 33);
    let evidence: PairEvidence | undefined;
    if (f.variant === 'valid-evidence' || f.variant === 'forged-point') {
      const d = deriveEncryptionSecret(k, def.attemptNonce, def.participants[i - 1]!.salt);
      // forged: a point of another scalar, "proven" with the real d (the DLEQ must fail)
      const ecdhPoint = f.variant === 'valid-evidence' ? sharedPoint(d, otherKey) : sharedPoint(Uint8Array.from(rng(31).reduce((a, b, j) => ((a[j + 1] = b), a), new Uint8Array(32))), otherKey);
      const st = { ceremonyId: def.id, prover: i, other: f.accused, proverKey: def.participants[i - 1]!.encKey, otherKey, point: sharedPoint(d, otherKey) };
      evidence = { ecdhPoint, dleqProof: proveDleq(d, st, rng(32)) };
      d.fill(0);
    }
    const accusation = { accused: f.accused, fault, validator: 1, ...(evidence === undefined ? {} : { evidence }) } as const;
    const complaint = signComplaint({ ceremonyId: def.id, index: i, transcriptHash: readHex(collectedTranscriptHash(definition, collected[i - 1]), 'transcriptHash', 32), accusations: [accusation] }, k, rng(32));
    round2[i - 1] = complaintToJson(complaint);
  }
  function tamperAck(ack: AckJson, state: ParticipantStateJson, i: number): AckJson {
    const partial = find('bad-partial').find((f) => f.signer === i);
    const vote = find('bad-cert-vote').some((f) => f.signer === i);
    if (partial === undefined && !vote) return ack;
    const a = parseAck(ack);
    let depositPartials = a.depositPartials;
    if (partial !== undefined) {
      const s = decodeScalar(readHex(state.shares![0], 'share', 32), 'share');
      const h0 = decodeG2Uncompressed(readHex(state.hashedDeposits![0], 'hashed', 192), 'hashed');
      const replacement =
        partial.variant === 'wrong-message'
          ? encodeG2(hashToG2(new Uint8Array(32).fill(7)).multiply(s))
          : partial.variant === 'wrong-share'
            ? encodeG2(h0.multiply(Fr.add(s, 1n)))
            : a.depositPartials[def.deposits.findIndex((d) => d.validator === 1)]!;
      depositPartials = [replacement, ...a.depositPartials.slice(1)];
    }
    const certSignature = vote ? Uint8Array.from(a.certSignature.map((b, j) => (j === 0 ? b ^ 1 : b))) : a.certSignature;
    return ackToJson(signAck({ ...a, depositPartials, certSignature }, keys[i - 1]!, rng(32)));
  }
  for (const f of find('missing-ack')) round2[f.participant - 1] = undefined;

  const c2 = timed(timings, 'collect2', 0, () => collectRound2(definition, base, round2.filter((m) => m !== undefined), { rng, ...(opts.depositSigningRoot === undefined ? {} : { depositSigningRoot: opts.depositSigningRoot }) }));
  if (!c2.ok) {
    for (const e of c2.abort.evidence) evidence.push({ evidence: e, ...(c2.abort.collected === undefined ? {} : { collected: c2.abort.collected }) });
    compareCopies();
    return result({ collected, round2 });
  }
  let final = c2.message;
  for (const f of find('bad-certificate')) {
    const cert = [...final.certificate];
    if (f.variant === 'invalid-signature') cert[0] = `${cert[0]!.slice(0, -2)}${cert[0]!.endsWith('00') ? '01' : '00'}`;
    if (f.variant === 'reordered') [cert[0], cert[1]] = [cert[1]!, cert[0]!];
    if (f.variant === 'duplicated') cert[1] = cert[0]!;
    final = { ...final, certificate: cert, ...(f.variant === 'other-transcript' ? { transcriptHash: hex(rng(32)) } : {}) };
  }
  if (find('bad-deposit-signature').length > 0) final = { ...final, depositSignatures: [hex(encodeG2(hashToG2(rng(32)))), ...final.depositSignatures.slice(1)] };

  // ---- finalize ----
  const outputs: (ParticipantOutput | undefined)[] = new Array<ParticipantOutput | undefined>(n);
  let recovery: RecoveryDataJson | undefined;
  let allOk = true;
  for (const p of def.participants) {
    const i = p.index;
    const res = timed(timings, 'finalize', i, () =>
      finalizeParticipant(states[i - 1], collected[i - 1], final, { rng, recombinationCheck: opts.recombinationCheck ?? (V <= 4 ? 'all' : 4) }),
    );
    states[i - 1] = res.state;
    if (res.ok) {
      outputs[i - 1] = res.output;
      recovery = res.recovery;
    } else {
      allOk = false;
      for (const e of res.evidence) report(i, { evidence: e });
    }
  }
  if (!allOk) compareCopies();
  return result({ ok: allOk, collected, round2, final, outputs, recovery });

  function compareCopies(): void {
    for (const a of honest) {
      for (const b of honest) {
        if (a >= b) continue;
        const e = findEquivocation(definition, collected[a - 1], collected[b - 1]);
        if (e !== undefined) evidence.push({ evidence: e });
      }
    }
  }
}

function otherRecipient(split: readonly number[], dealer: number, n: number): number {
  for (let j = 1; j <= n; j++) if (!split.includes(j) && j !== dealer) return j;
  throw new ValidationError('INVALID_ARGUMENT', 'equivocation needs a recipient outside the split', { field: 'faults' });
}

/** Re-parses a round-1 JSON message (validates the simulator's own output). */
export function checkRound1Json(m: Round1Json): void {
  parseRound1(m);
}
