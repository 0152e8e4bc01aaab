/** A small ceremony run step by step through the public API (what a CLI does), for the DKG unit tests. */
import { hex } from '../../src/dkg/codec.js';
import {
  collectRound1,
  collectRound2,
  createDraft,
  defineCeremony,
  enroll,
  finalizeParticipant,
  generateHostSecretKey,
  hostPublicKey,
  processRound1,
  startRound1,
  type AckJson,
  type CeremonyDefinitionJson,
  type CollectedJson,
  type DkgDraftJson,
  type EnrollmentJson,
  type FinalJson,
  type ParticipantOutput,
  type ParticipantStateJson,
  type RecoveryDataJson,
  type Round1Json,
} from '../../src/dkg/index.js';
import { insecureTestRng } from '../helpers/rng.js';

export interface Ceremony {
  readonly keys: Uint8Array[];
  readonly draft: DkgDraftJson;
  readonly enrollments: EnrollmentJson[];
  readonly definition: CeremonyDefinitionJson;
  readonly randoms: Uint8Array[];
  readonly round1States: ParticipantStateJson[];
  readonly round1: Round1Json[];
  readonly collected: CollectedJson;
  readonly round2States: ParticipantStateJson[];
  readonly acks: AckJson[];
  readonly final: FinalJson;
  readonly outputs: ParticipantOutput[];
  readonly recovery: RecoveryDataJson;
}

/** The draft of a ceremony with n fresh operators (deterministic from the seed). */
export function draftOf(n: number, t: number, V: number, seed: string): { keys: Uint8Array[]; draft: DkgDraftJson; rng: (k: number) => Uint8Array } {
  const rng = insecureTestRng(seed);
  const keys = Array.from({ length: n }, () => generateHostSecretKey(rng));
  const draft = createDraft({
    network: { name: 'hoodi', genesisForkVersion: '0x10000910' },
    threshold: t,
    operators: keys.map((k, i) => ({ hostPublicKey: hex(hostPublicKey(k)), name: `op${i + 1}` })),
    validators: Array.from({ length: V }, (_, v) => ({ withdrawalCredentials: `0x01${'00'.repeat(11)}${(v + 1).toString(16).padStart(40, '0')}`, amounts: ['32000000000'] })),
    rng,
  });
  return { keys, draft, rng };
}

const cache = new Map<string, Ceremony>();

/** Runs (once per arguments) a whole honest ceremony through the public API. */
export function ceremony(n = 3, t = 2, V = 2, seed = 'fixture'): Ceremony {
  const key = `${n}/${t}/${V}/${seed}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { keys, draft, rng } = draftOf(n, t, V, seed);
  const enrollments = keys.map((k) => enroll(draft, k, { rng }));
  const definition = defineCeremony(draft, enrollments);
  const randoms = keys.map(() => rng(32));
  const started = keys.map((k, i) => startRound1(definition, k, { random: randoms[i]! }));
  const c1 = collectRound1(definition, started.map((s) => s.message));
  if (!c1.ok) throw new Error('fixture: collect round 1 failed');
  const processed = keys.map((k, i) => processRound1(started[i]!.state, k, c1.message, { rng }));
  const acks = processed.map((p) => {
    if (!p.ok) throw new Error('fixture: round 2 failed');
    return p.message;
  });
  const c2 = collectRound2(definition, c1.message, acks, { rng });
  if (!c2.ok) throw new Error('fixture: collect round 2 failed');
  const finals = processed.map((p) => finalizeParticipant(p.state, c1.message, c2.message, { rng }));
  const outputs = finals.map((f) => {
    if (!f.ok) throw new Error('fixture: finalize failed');
    return f.output;
  });
  const first = finals[0]!;
  const result: Ceremony = {
    keys,
    draft,
    enrollments,
    definition,
    randoms,
    round1States: started.map((s) => s.state),
    round1: started.map((s) => s.message),
    collected: c1.message,
    round2States: processed.map((p) => p.state),
    acks,
    final: c2.message,
    outputs,
    recovery: first.ok ? first.recovery : (undefined as never),
  };
  cache.set(key, result);
  return result;
}
