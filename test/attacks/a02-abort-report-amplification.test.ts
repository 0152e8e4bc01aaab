/**
 * Attack a02 (resource): an abort report is unsigned and may carry up to 4·64 evidence items, each verified from
 * scratch against the report's collected round 1 (blame.ts verifyAbortReport). A colluding participant signs ONE
 * piece of evidence that is expensive to check, and the coordinator repeats it 256 times in its report; every honest
 * operator verifies the report (`dkg round2` or `dkg finalize` when the coordinator sends a report instead of the
 * collected round 1 or the final message, `dkg verify-evidence`, participantVerdict):
 * - an Ack with a bad deposit partial (`invalid-partial`): each copy re-runs the whole public check of the collected
 *   round 1 (every commitment decoded, every proof of knowledge, V·t subgroup tests), hashes every deposit to G2 and
 *   checks the partials: the public work of a whole round 2, 256 times;
 * - a complaint with n − 1 public accusations (`invalid-proof`): each copy re-parses and relay-checks the collected
 *   round 1 and decodes n − 1 whole round-1 messages.
 * What must hold (issue 12, caps): no message makes an honest party do much more work than the protocol step it
 * replaces. Counted, not timed: calls of checkPublic and decodeRound1Content made while verifying the report, against
 * the one checkPublic (n decodes) of a round 2.
 * Defence (decision 0423): identical items count once (report-caps.ts), each slot the protocol has (one complaint
 * per accuser, one Ack fault per signer, ...) holds one distinct item or the report is refused with LIMIT_EXCEEDED,
 * and the steps common to items run once per report (evidence-work.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import type * as verify from '../../src/dkg/verify.js';
import { verifyAbortReport, type AbortReportJson, type EvidenceItem } from '../../src/dkg/index.js';
import { simulateDkg } from '../../src/dkg/simulate.js';
import { parseDefinition } from '../../src/dkg/definition.js';
import { complaintToJson, signComplaint, type ComplaintJson } from '../../src/dkg/messages.js';
import { ValidationError } from '../../src/errors.js';
import { hexToBytes } from '../../src/bytes.js';
import { insecureTestRng } from '../helpers/rng.js';

const calls = { checkPublic: 0, decodeRound1Content: 0 };
vi.mock('../../src/dkg/verify.js', async (importOriginal) => {
  const orig = await importOriginal<typeof verify>();
  return {
    ...orig,
    checkPublic: (...a: Parameters<typeof orig.checkPublic>) => {
      calls.checkPublic++;
      return orig.checkPublic(...a);
    },
    decodeRound1Content: (...a: Parameters<typeof orig.decodeRound1Content>) => {
      calls.decodeRound1Content++;
      return orig.decodeRound1Content(...a);
    },
  };
});

// the cap of abort.evidence is 4 · MAX_PARTICIPANTS = 256; 16 copies already show it (and keep the test cheap)
const COPIES = 16;



function reset(): void {
  calls.checkPublic = 0;
  calls.decodeRound1Content = 0;
}

/** A signed complaint by `accuser` with a public (false) invalid-proof accusation of every other participant. */
function publicComplaint(r: ReturnType<typeof simulateDkg>, accuser: number, aux: number): ComplaintJson {
  const def = parseDefinition(r.definition);
  const base = r.round2[accuser - 1] as { transcriptHash: string };
  return complaintToJson(
    signComplaint(
      {
        ceremonyId: def.id,
        index: accuser,
        transcriptHash: hexToBytes(base.transcriptHash, 'transcriptHash', { length: 32, prefix: 'required' }),
        accusations: def.participants.filter((p) => p.index !== accuser).map((p) => ({ accused: p.index, fault: 'invalid-proof' as const, validator: 1 })),
      },
      r.hostSecretKeys[accuser - 1]!,
      new Uint8Array(32).fill(aux),
    ),
  );
}

function report(r: ReturnType<typeof simulateDkg>, collected: AbortReportJson['collected'], evidence: AbortReportJson['evidence']): AbortReportJson {
  return { format: 'dvkeys/dkg-abort', version: 1, ceremonyId: parseDefinition(r.definition).idHex, stage: 'round2', ...(collected === undefined ? {} : { collected }), evidence };
}

/** Reverses the member order of every object (the same JSON value, another text). */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('the report was accepted');
}

describe('a02: one signed piece of evidence repeated in an abort report', () => {
  const partial = simulateDkg({ n: 4, t: 3, V: 2, rng: insecureTestRng('a02/partial'), faults: [{ kind: 'bad-partial', signer: 2, variant: 'wrong-message' }] });
  const complaint = simulateDkg({ n: 4, t: 3, V: 2, rng: insecureTestRng('a02/complaint'), faults: [{ kind: 'false-complaint', accuser: 2, accused: 1, variant: 'public' }] });

  it('16 copies of an invalid-partial Ack (some with members reordered) are checked once: one checkPublic, one blame', () => {
    expect(partial.ok).toBe(false);
    const item = partial.evidence.find((e) => e.evidence.kind === 'invalid-partial');
    expect(item?.collected).toBeDefined();
    const evidence = Array.from({ length: COPIES }, (_, k) => (k % 2 === 0 ? item!.evidence : (reordered(item!.evidence) as EvidenceItem['evidence'])));
    reset();
    const verdict = verifyAbortReport(partial.definition, report(partial, item!.collected, evidence), { rng: insecureTestRng('a02/v') });
    expect(verdict.culprits).toEqual(['2']);
    expect(verdict.blames.map((b) => `${b.culprit}:${b.fault}`)).toEqual(['2:invalid-partial-signature']);
    expect(calls.checkPublic).toBe(1);
  });

  it('16 copies of a complaint with n − 1 public accusations decode each accused message once', () => {
    expect(complaint.ok).toBe(false);
    const c = publicComplaint(complaint, 2, 5);
    reset();
    const verdict = verifyAbortReport(complaint.definition, report(complaint, complaint.collected[0], Array.from({ length: COPIES }, () => ({ kind: 'complaint' as const, complaint: c }))), { rng: insecureTestRng('a02/v2') });
    expect(verdict.culprits).toEqual(['2']);
    expect(verdict.blames.map((b) => `${b.culprit}:${b.fault}`)).toEqual(['2:false-complaint', '2:false-complaint', '2:false-complaint']);
    expect(calls.decodeRound1Content).toBe(3);
  });

  it('distinct complaints of several accusers share the decoding of each message (at most n decodes per report)', () => {
    const def = parseDefinition(complaint.definition);
    const evidence = [2, 3, 4].map((accuser) => ({ kind: 'complaint' as const, complaint: publicComplaint(complaint, accuser, 6) }));
    reset();
    const verdict = verifyAbortReport(complaint.definition, report(complaint, complaint.collected[0], evidence), { rng: insecureTestRng('a02/v3') });
    expect(verdict.culprits).toEqual(['2', '3', '4']);
    expect(calls.decodeRound1Content).toBe(def.n);
  });

  it('Ack faults of two signers share one public check of the collected round 1', () => {
    const two = simulateDkg({ n: 4, t: 3, V: 2, rng: insecureTestRng('a02/two'), faults: [{ kind: 'bad-partial', signer: 2, variant: 'wrong-message' }, { kind: 'bad-partial', signer: 3, variant: 'wrong-share' }] });
    const items = two.evidence.filter((e) => e.evidence.kind === 'invalid-partial');
    expect(items.map((e) => (e.evidence as { ack: { index: number } }).ack.index).sort()).toEqual([2, 3]);
    reset();
    const verdict = verifyAbortReport(two.definition, report(two, items[0]!.collected, items.map((e) => e.evidence)), { rng: insecureTestRng('a02/v4') });
    expect(verdict.culprits).toEqual(['2', '3']);
    expect(calls.checkPublic).toBe(1);
  });

  it('two different complaints signed by one accuser refuse the report: LIMIT_EXCEEDED at the second', () => {
    const first = publicComplaint(complaint, 2, 5);
    const second = publicComplaint(complaint, 2, 7); // same content, another signature nonce: a distinct item
    expect(second.signature).not.toBe(first.signature);
    const evidence = [{ kind: 'missing' as const, index: 1, stage: 'round2' as const, detail: 'x' }, { kind: 'complaint' as const, complaint: first }, { kind: 'complaint' as const, complaint: second }];
    reset();
    const err = refusal(() => verifyAbortReport(complaint.definition, report(complaint, complaint.collected[0], evidence), { rng: insecureTestRng('a02/v5') }));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.field).toBe('abort.evidence[2]');
    expect(err.message).toContain('more than one complaint by participant 2');
    // refused before any item is checked
    expect(calls.decodeRound1Content).toBe(0);
  });

  it('two different Ack faults of one signer, or n + 3 coordinator items, refuse the report', () => {
    const item = partial.evidence.find((e) => e.evidence.kind === 'invalid-partial')!;
    const other = { ...item.evidence, deposit: 1 } as typeof item.evidence;
    const err = refusal(() => verifyAbortReport(partial.definition, report(partial, item.collected, [item.evidence, other])));
    expect([err.code, err.field]).toEqual(['LIMIT_EXCEEDED', 'abort.evidence[1]']);
    expect(err.message).toContain('more than one Ack fault of participant 2');
    const n = parseDefinition(partial.definition).n;
    const coordinator = Array.from({ length: n + 3 }, (_, k) => ({ kind: 'coordinator' as const, fault: 'misordered', detail: `position ${k}` }));
    const err2 = refusal(() => verifyAbortReport(partial.definition, report(partial, undefined, coordinator)));
    expect([err2.code, err2.field]).toEqual(['LIMIT_EXCEEDED', `abort.evidence[${n + 2}]`]);
    // n + 2 of them is what a relay check can report: accepted (each only names the coordinator a suspect)
    const ok = verifyAbortReport(partial.definition, report(partial, undefined, coordinator.slice(0, n + 2)));
    expect(ok.culprits).toEqual([]);
    expect(ok.suspects).toEqual(['coordinator']);
  });
});
