/** Brief B10.8 state-machine safety and B7 determinism: round order, single use, refusing different inputs. */
import { describe, expect, it } from 'vitest';
import {
  collectRound1,
  finalizeParticipant,
  openState,
  processRound1,
  sealState,
  startRound1,
  type CollectedJson,
} from '../../src/dkg/index.js';
import { isDvkeysError, type ErrorCode } from '../../src/errors.js';
import { insecureTestRng } from '../helpers/rng.js';
import { ceremony } from './fixtures.js';

function code(f: () => unknown): ErrorCode | 'none' | 'other' {
  try {
    f();
    return 'none';
  } catch (e) {
    return isDvkeysError(e) ? e.code : 'other';
  }
}

/** A collected round 1 of the same definition with participant 2's message dealt again with other randomness. */
function otherCollected(): CollectedJson {
  const c = ceremony();
  const again = startRound1(c.definition, c.keys[1]!, { random: new Uint8Array(32).fill(9) }).message;
  const r = collectRound1(c.definition, [c.round1[0], again, c.round1[2]]);
  if (!r.ok) throw new Error('collect failed');
  return r.message;
}

describe('participant state machine', () => {
  it('round 1 is deterministic in (definition, host key, random): a restart re-sends the identical message', () => {
    const c = ceremony();
    const again = startRound1(structuredClone(c.definition), Uint8Array.from(c.keys[0]!), { random: Uint8Array.from(c.randoms[0]!) });
    expect(again.message).toEqual(c.round1[0]);
    expect(again.state).toEqual(c.round1States[0]);
  });

  it('refuses an all-zero random', () => {
    const c = ceremony();
    expect(code(() => startRound1(c.definition, c.keys[0]!, { random: new Uint8Array(32) }))).toBe('INVALID_ARGUMENT');
  });

  it('refuses a definition other than the approved one, and a host key not in it', () => {
    const c = ceremony();
    expect(code(() => startRound1(c.definition, c.keys[0]!, { expectedCeremonyId: `0x${'00'.repeat(32)}` }))).toBe('CEREMONY_MISMATCH');
    expect(code(() => startRound1(c.definition, new Uint8Array(32).fill(3)))).toBe('INVALID_ARGUMENT');
  });

  it('rejects out-of-order steps', () => {
    const c = ceremony();
    expect(code(() => finalizeParticipant(c.round1States[0], c.collected, c.final))).toBe('DKG_WRONG_ROUND');
    expect(code(() => processRound1(c.round2States[0], c.keys[0]!, c.collected))).toBe('DKG_WRONG_ROUND');
    const done = finalizeParticipant(c.round2States[0], c.collected, c.final, { rng: insecureTestRng('done') });
    expect(done.ok).toBe(true);
    expect(code(() => finalizeParticipant(done.state, c.collected, c.final))).toBe('DKG_WRONG_ROUND');
    expect(code(() => processRound1(done.state, c.keys[0]!, c.collected))).toBe('DKG_WRONG_ROUND');
  });

  it('refuses a second, different collected round 1 after round 2 (the retry-with-substituted-package regression)', () => {
    const c = ceremony();
    const other = otherCollected();
    expect(code(() => processRound1(c.round2States[0], c.keys[0]!, other))).toBe('DKG_REPLAY');
    expect(code(() => finalizeParticipant(c.round2States[0], other, c.final))).toBe('DKG_REPLAY');
  });

  it('an aborted state accepts nothing more (late messages after an abort are ignored)', () => {
    const c = ceremony();
    const other = otherCollected();
    const tampered = { ...other, round1: other.round1.map((m, i) => (i === 1 ? { ...m, signature: other.round1[0]!.signature } : m)) };
    const res = processRound1(c.round1States[0], c.keys[0]!, tampered, { rng: insecureTestRng('abort') });
    expect(res.ok).toBe(false);
    expect(res.state.step).toBe('aborted');
    if (!res.ok) expect(res.verdict.culprits).toEqual(['coordinator']);
    expect(code(() => processRound1(res.state, c.keys[0]!, c.collected))).toBe('DKG_WRONG_ROUND');
    expect(code(() => finalizeParticipant(res.state, c.collected, c.final))).toBe('DKG_WRONG_ROUND');
  });

  it('refuses another participant\'s host key', () => {
    const c = ceremony();
    expect(code(() => processRound1(c.round1States[0], c.keys[1]!, c.collected))).toBe('KEY_MISMATCH');
  });

  it('mutating inputs after a call changes neither the state nor the outputs', () => {
    const c = ceremony();
    const random = Uint8Array.from(c.randoms[2]!);
    const key = Uint8Array.from(c.keys[2]!);
    const def = structuredClone(c.definition);
    const r1 = startRound1(def, key, { random });
    const snapshot = structuredClone(r1);
    random.fill(1);
    key.fill(2);
    (def.participants[0] as { salt: string }).salt = `0x${'ab'.repeat(32)}`;
    expect(r1).toEqual(snapshot);
    const collected = structuredClone(c.collected);
    const r2 = processRound1(c.round1States[2], c.keys[2]!, collected, { rng: insecureTestRng('mut') });
    const snap2 = structuredClone(r2);
    (collected.round1[0] as unknown as { ciphertexts: string[] }).ciphertexts = [];
    expect(r2).toEqual(snap2);
    expect(r2.ok).toBe(true);
  });

  it('seals and opens a state with the host key only', () => {
    const c = ceremony();
    const sealed = sealState(c.round2States[1], c.keys[1]!, insecureTestRng('seal'));
    expect(JSON.stringify(sealed)).not.toContain(c.round2States[1]!.shares![0]!.slice(2));
    expect(openState(sealed, c.keys[1]!)).toEqual(c.round2States[1]);
    expect(code(() => openState(sealed, c.keys[0]!))).toBe('WRONG_PASSWORD');
    const tampered = { ...sealed, ciphertext: `${sealed.ciphertext.slice(0, -2)}${sealed.ciphertext.endsWith('00') ? '01' : '00'}` };
    expect(code(() => openState(tampered, c.keys[1]!))).toBe('WRONG_PASSWORD');
  });

  it('states are strict: unknown fields and round-2 data at the wrong step are rejected', () => {
    const c = ceremony();
    expect(code(() => processRound1({ ...c.round1States[0], extra: 1 }, c.keys[0]!, c.collected))).toBe('DKG_INVALID_MESSAGE');
    expect(code(() => processRound1({ ...c.round1States[0], shares: [] }, c.keys[0]!, c.collected))).toBe('DKG_INVALID_MESSAGE');
    expect(code(() => finalizeParticipant({ ...c.round2States[0], shares: undefined }, c.collected, c.final))).toBe('DKG_INVALID_MESSAGE');
  });
});
