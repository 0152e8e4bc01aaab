/**
 * Issue 9: parser fuzzing for the interop formats and the DKG messages and states. Each test name records the
 * inputs tried; every input must parse or fail with a DvkeysError, quickly.
 */
import { describe, expect, it } from 'vitest';
import { parseClusterLockText } from '../../src/charon/lock-parse.js';
import { parseDefinition, parseDraft } from '../../src/dkg/definition.js';
import { parseAck, parseCollected, parseComplaint, parseFinal, parseRound1 } from '../../src/dkg/messages.js';
import { parseState } from '../../src/dkg/state.js';
import { parseKeysharesText } from '../../src/ssv/keyshares.js';
import { parseSsvOperators } from '../../src/ssv/operators.js';
import { loadVector } from '../helpers/vectors.js';
import { MUTATED_RUNS, RANDOM_RUNS, docSeeds, fuzz } from './harness.js';

const N = `${RANDOM_RUNS} random + ${MUTATED_RUNS} mutated inputs`;

describe('parser fuzzing: interop formats', () => {
  it(`Charon cluster locks (parseClusterLockText): ${N}`, () => {
    const v = loadVector<{ cases: { lock: unknown }[] }>('charon/charon-locks.json');
    const seeds = v.cases.slice(0, 4).map((c) => JSON.stringify(c.lock));
    expect(fuzz((t) => parseClusterLockText(t), seeds, 5000).accepted).toBeGreaterThanOrEqual(seeds.length);
  });

  it(`SSV keyshares (parseKeysharesText): ${N}`, () => {
    const v = loadVector<{ cases: { keyshares: unknown }[] }>('ssv/ssv-keyshares.json');
    const seeds = v.cases.map((c) => JSON.stringify(c.keyshares));
    expect(fuzz((t) => parseKeysharesText(t), seeds).accepted).toBeGreaterThanOrEqual(seeds.length);
  });

  it(`SSV operator lists (parseSsvOperators): ${N}`, () => {
    const seeds = docSeeds('ssv-keyshares.md').map((s) => JSON.stringify((JSON.parse(s) as { shares?: { data: { operators: unknown } }[] }).shares?.[0]?.data.operators ?? []));
    fuzz((t) => parseSsvOperators(t), seeds);
  });
});

describe('parser fuzzing: DKG messages and states', () => {
  const seeds = docSeeds('dkg-messages.md');
  const parsers: [string, (v: unknown) => unknown][] = [
    ['parseDraft', parseDraft],
    ['parseDefinition', parseDefinition],
    ['parseRound1', (v) => parseRound1(v)],
    ['parseCollected', parseCollected],
    ['parseAck', (v) => parseAck(v)],
    ['parseComplaint', (v) => parseComplaint(v)],
    ['parseFinal', (v) => parseFinal(v)],
    ['parseState', parseState],
  ];
  it.each(parsers)(`%s: ${N}`, (_name, parse) => {
    fuzz((t) => {
      let value: unknown;
      try {
        value = JSON.parse(t);
      } catch {
        return undefined; // the CLI's JSON reader turns this into INVALID_JSON before any DKG parser runs
      }
      return parse(value);
    }, seeds, 5000);
  });
});
