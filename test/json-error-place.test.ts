/** Where invalid JSON goes wrong (issue 13: "'$' is not valid JSON" names the file and the position). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonErrorPlace, parseJsonText } from '../src/json.js';

const valid = (t: string): boolean => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorPlace', () => {
  it('names the line and column of the first bad character, or says the text ends early', () => {
    expect(jsonErrorPlace('$')).toBe('line 1, column 1');
    expect(jsonErrorPlace('{\n  "a": 1\n  "b": 2\n}')).toBe('line 3, column 3');
    expect(jsonErrorPlace('{"a":1,}')).toBe('line 1, column 8');
    expect(jsonErrorPlace('{"a":tru}')).toBe('line 1, column 9');
    expect(jsonErrorPlace('[01]')).toBe('line 1, column 3');
    expect(jsonErrorPlace('{"a":1} x')).toBe('line 1, column 9');
    expect(jsonErrorPlace('[1,2')).toBe('it ends early');
    expect(jsonErrorPlace('[['.repeat(100_000))).toBe('it ends early');
  });

  it('in the error: the file and the place, never the text', () => {
    expect(() => parseJsonText('{"password": "hunter2" x}', 1000, 'keystore-0.json')).toThrow("'keystore-0.json' is not valid JSON (line 1, column 24)");
  });

  it('agrees with JSON.parse: no error offset exactly for valid JSON, on JSON texts and their one-character edits', () => {
    const text = fc.oneof(fc.json(), fc.string({ unit: fc.constantFrom(...'{}[],:"\\ 0123456789.eE+-truefalsn\nx') }));
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom('', '}', ']', ',', '"', ':', '0', ' ', 'x', '\\'), (t, at, c) => {
        const k = t.length === 0 ? 0 : at % (t.length + 1);
        const edited = t.slice(0, k) + c + t.slice(k + (c === '' ? 1 : 0));
        for (const s of [t, edited]) expect(jsonErrorOffset(s) === undefined, JSON.stringify(s)).toBe(valid(s));
      }),
      { numRuns: 2000 },
    );
  });
});
