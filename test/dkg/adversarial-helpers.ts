/** Helpers of the B10 adversarial tests (adversarial-*.test.ts). */
import { expect } from 'vitest';
import { simulateDkg, type SimulationResult } from '../../src/dkg/simulate.js';
import type { SimFault } from '../../src/dkg/adversary.js';
import { verifyEvidence, type Blame, type Verdict } from '../../src/dkg/blame.js';
import { isDvkeysError } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';

export interface Expect {
  /** Proven culprits (default: the injected faulty parties). */
  readonly culprits?: readonly string[];
  /** Omission suspects instead of proven culprits. */
  readonly suspects?: readonly string[];
  /**
   * For a coordinator fault seen by some participants only: the honest participants that received the bad data
   * (they convict the coordinator); the others only suspect it (decision 0413). Default: every honest participant.
   */
  readonly receivers?: readonly number[];
  /** With `receivers`: the suspects of the other honest participants' verdicts. */
  readonly othersSuspect?: readonly string[];
  /**
   * The fault kinds of the blames behind each honest verdict (proven blames of its culprits, or the blames of its
   * suspects when nothing is proven), sorted: the right culprit for the wrong reason fails (issue 19).
   */
  readonly faults: readonly string[];
  /** With `receivers`: the fault kinds behind the other honest participants' verdicts. */
  readonly othersFaults?: readonly string[];
}

/** The sorted fault kinds behind a verdict: proven blames of its culprits, else the blames of its suspects. */
export function verdictFaults(verdict: Verdict): string[] {
  const proven = verdict.culprits.length > 0;
  const named = proven ? verdict.culprits : verdict.suspects;
  const kinds = verdict.blames.filter((b) => named.includes(b.culprit) && (b.certainty !== 'sender-or-coordinator') === proven).map((b) => b.fault);
  return [...new Set(kinds)].sort();
}

export function run(name: string, fault: SimFault, V = 1, n = 4, t = 3): SimulationResult {
  return simulateDkg({ n, t, V, rng: insecureTestRng(`adversarial/${name}`), faults: [fault] });
}

/** Re-verifies every evidence item with a fresh verifier and returns the blames it establishes. */
function independentBlames(r: SimulationResult): Blame[] {
  const blames: Blame[] = [];
  for (const item of r.evidence) {
    try {
      blames.push(...verifyEvidence(structuredClone(r.definition), structuredClone(item.evidence), { ...(item.collected === undefined ? {} : { collected: structuredClone(item.collected) }), rng: insecureTestRng('independent verifier') }));
    } catch (e) {
      if (!isDvkeysError(e, 'DKG_EVIDENCE_INVALID')) throw e;
    }
  }
  return blames;
}

export function expectAbort(r: SimulationResult, expected: Expect): void {
  const culprits = expected.suspects === undefined ? (expected.culprits ?? r.faulty) : [];
  const suspects = expected.suspects ?? [];
  expect(r.ok).toBe(false);
  expect(r.honest.length).toBeGreaterThan(0);
  for (const i of r.honest) {
    expect(r.outputs[i - 1], `honest participant ${i} must not succeed`).toBeUndefined();
    expect(r.states[i - 1]?.step).not.toBe('done');
    const verdict = r.verdicts.get(i)!;
    const receiver = expected.receivers === undefined || expected.receivers.includes(i);
    expect(verdict.culprits, `verdict of participant ${i}`).toEqual(receiver ? culprits : culprits.filter((c) => c !== 'coordinator'));
    expect(verdict.suspects).toEqual(receiver ? suspects : (expected.othersSuspect ?? ['coordinator']));
    expect(verdictFaults(verdict), `fault kinds behind the verdict of participant ${i}`).toEqual(receiver ? expected.faults : (expected.othersFaults ?? expected.faults));
    expect(verdict.culprits.filter((c) => r.honest.includes(Number(c)))).toEqual([]);
  }
  // an independent verifier (who received nothing itself) convicts the participants; the coordinator, who signs
  // nothing, is at most a suspect for it (decision 0413)
  const independent = independentBlames(r);
  const proven = [...new Set(independent.filter((b) => b.certainty !== 'sender-or-coordinator').map((b) => b.culprit))].sort();
  expect(proven).toEqual(culprits.filter((c) => c !== 'coordinator').sort());
  if (culprits.includes('coordinator')) expect(independent.some((b) => b.culprit === 'coordinator' && b.certainty === 'sender-or-coordinator')).toBe(true);
}

