/**
 * The 38 official EIP-3076 interchange tests (49 steps) from eth-clients/slashing-protection-interchange-tests
 * (provenance: test/vectors/eth/eip3076-tests.json `source`, test/vectors/README.md), run with the test runner
 * semantics of that repository's README:
 * - start from an empty database for the test's genesis_validators_root;
 * - per step, import the interchange: it must succeed iff `should_succeed` (an importer MAY refuse data with
 *   `contains_slashable_data`, skipping the rest; ours never does, so every check below runs);
 * - then attempt each block and attestation in order: accepted iff `should_succeed` (minimal strategy) or
 *   `should_succeed_complete` (complete strategy); accepted signings are recorded.
 * Both strategies run every step. A third run imports minified interchanges into the minimal checker (same
 * answers, since minification keeps the maxima). Parsing round-trips every interchange byte for byte, and the
 * slashable-data scan agrees with `contains_slashable_data`.
 */
import { describe, expect, it } from 'vitest';
import { isDvkeysError } from '../../src/errors.js';
import { findSlashableData, SlashingProtectionChecker, type SlashingStrategy } from '../../src/eth/slashing-checker.js';
import { interchangeToJson, minifyInterchange, parseInterchange } from '../../src/eth/slashing-protection.js';
import { hex, loadVector } from '../helpers/vectors.js';

interface Attempt {
  pubkey: string;
  signing_root: string;
  should_succeed: boolean;
  should_succeed_complete: boolean;
}
interface BlockAttempt extends Attempt {
  slot: string;
}
interface AttAttempt extends Attempt {
  source_epoch: string;
  target_epoch: string;
}
interface Step {
  should_succeed: boolean;
  contains_slashable_data: boolean;
  interchange: unknown;
  blocks: BlockAttempt[];
  attestations: AttAttempt[];
}
interface TestCase {
  name: string;
  genesis_validators_root: string;
  steps: Step[];
}

const file = loadVector<{ count: number; format: string; tests: TestCase[] }>('eth/eip3076-tests.json');

type Mode = SlashingStrategy | 'minimal-minified';

/** Runs one test; returns the number of signing attempts checked. */
function run(test: TestCase, mode: Mode): number {
  const strategy = mode === 'complete' ? 'complete' : 'minimal';
  const db = new SlashingProtectionChecker(hex(test.genesis_validators_root), strategy);
  let attempts = 0;
  for (const [i, step] of test.steps.entries()) {
    let imported = true;
    try {
      const ic = parseInterchange(step.interchange);
      db.importInterchange(mode === 'minimal-minified' ? minifyInterchange(ic) : ic);
    } catch (e) {
      expect(isDvkeysError(e, 'SLASHING_PROTECTION_INVALID'), String(e)).toBe(true);
      imported = false;
    }
    expect(imported, `step ${i} import`).toBe(step.should_succeed);
    if (!imported) return attempts;
    const want = (a: Attempt): boolean => (mode === 'complete' ? a.should_succeed_complete : a.should_succeed);
    for (const [j, b] of step.blocks.entries()) {
      const got = db.signBlock(hex(b.pubkey), BigInt(b.slot), hex(b.signing_root));
      expect(got.ok, `step ${i} block ${j} (slot ${b.slot}) ${got.ok ? '' : got.reason}`).toBe(want(b));
      attempts++;
    }
    for (const [j, a] of step.attestations.entries()) {
      const [source, target] = [BigInt(a.source_epoch), BigInt(a.target_epoch)];
      const got = db.signAttestation(hex(a.pubkey), source, target, hex(a.signing_root));
      const what = `(${a.source_epoch}, ${a.target_epoch})`;
      expect(got.ok, `step ${i} attestation ${j} ${what} ${got.ok ? '' : got.reason}`).toBe(want(a));
      attempts++;
    }
  }
  return attempts;
}

describe('EIP-3076 interchange tests (eth-clients/slashing-protection-interchange-tests)', () => {
  it('has the pinned counts: 38 tests, 49 steps, 71 block and 79 attestation attempts', () => {
    expect(file.tests.length).toBe(38);
    expect(file.count).toBe(38);
    const steps = file.tests.flatMap((t) => t.steps);
    expect(steps.length).toBe(49);
    expect(steps.reduce((n, s) => n + s.blocks.length, 0)).toBe(71);
    expect(steps.reduce((n, s) => n + s.attestations.length, 0)).toBe(79);
  });

  describe.each(['minimal', 'complete', 'minimal-minified'] as const)('%s strategy', (mode) => {
    let attempts = 0;
    it.each(file.tests.map((t) => [t.name, t] as const))('%s', (_n, t) => {
      attempts += run(t, mode);
    });
    it('checked all 150 signing attempts', () => {
      expect(attempts).toBe(150);
    });
  });

  it.each(file.tests.map((t) => [t.name, t] as const))('%s: interchanges round-trip and the scan agrees', (_n, t) => {
    for (const [i, step] of t.steps.entries()) {
      const ic = parseInterchange(step.interchange);
      expect(interchangeToJson(ic)).toEqual(step.interchange);
      const issues = findSlashableData(ic);
      // Data slashable on its own is always flagged by the test; a first step is flagged only when slashable on
      // its own (later steps may be slashable only against the database, e.g. below its low watermark).
      if (issues.length > 0) expect(step.contains_slashable_data).toBe(true);
      if (i === 0 && step.should_succeed) expect(issues.length > 0).toBe(step.contains_slashable_data);
    }
  });
});
