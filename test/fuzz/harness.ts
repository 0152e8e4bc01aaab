/**
 * A small parser fuzzer on fast-check: random JSON, random text, and mutations of valid seeds (a leaf replaced by
 * random JSON, a key deleted or added, the text truncated or one character changed). A parser passes when every
 * input either parses or throws a DvkeysError, within a time bound.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { isDvkeysError } from '../../src/errors.js';

/** Inputs tried per parser: random + mutated. Shown in the test names. */
export const RANDOM_RUNS = 300;
export const MUTATED_RUNS = 700;

type Json = unknown;

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], f: (parent: Record<string | number, Json>, key: string | number) => void): Json {
  if (path.length === 0) return root;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  f(node, path[path.length - 1]!);
  return copy;
}

/** One mutation of a seed text. */
export const mutation = fc.record({
  op: fc.integer({ min: 0, max: 6 }),
  at: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }),
  text: fc.string({ maxLength: 12 }),
});

export function mutate(seed: string, m: { op: number; at: number; value: Json; text: string }): string {
  const json = JSON.parse(seed) as Json;
  const all = paths(json);
  const path = all[m.at % all.length]!;
  switch (m.op) {
    case 0:
      return JSON.stringify(path.length === 0 ? m.value : setAt(json, path, (p, k) => (p[k] = m.value)));
    case 1:
      return JSON.stringify(setAt(json, path, (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1) : delete p[k])));
    case 2:
      return JSON.stringify(setAt(json, path, (p, k) => {
        const target = p[k];
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[m.text || 'x'] = m.value;
      }));
    case 3:
      return seed.slice(0, m.at % (seed.length + 1));
    case 4: {
      const i = m.at % seed.length;
      return seed.slice(0, i) + (m.text[0] ?? '0') + seed.slice(i + 1);
    }
    case 5: {
      // change one hex digit somewhere in a string value
      const i = m.at % seed.length;
      const j = seed.slice(i).search(/[0-9a-f]/);
      if (j < 0) return seed;
      const c = seed[i + j]!;
      return seed.slice(0, i + j) + (c === 'f' ? '0' : c === '9' ? 'a' : String.fromCharCode(c.charCodeAt(0) + 1)) + seed.slice(i + j + 1);
    }
    default:
      return JSON.stringify(setAt(json, path, (p, k) => (p[k] = typeof p[k] === 'string' ? `${p[k]}${m.text}` : p[k])));
  }
}

/** Asserts that `parse` accepts or throws only DvkeysErrors, each input within `maxMs`. */
export function fuzz(parse: (text: string) => unknown, seeds: readonly string[], maxMs = 2000): { random: number; mutated: number; accepted: number } {
  let accepted = 0;
  const check = (text: string): void => {
    const t0 = performance.now();
    try {
      parse(text);
      accepted++;
    } catch (e) {
      if (!isDvkeysError(e)) throw new Error(`non-dvkeys error ${String(e)} for input ${text.slice(0, 200)}`);
    }
    expect(performance.now() - t0).toBeLessThan(maxMs);
  };
  fc.assert(fc.property(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })), check), { numRuns: RANDOM_RUNS });
  fc.assert(fc.property(fc.nat({ max: seeds.length - 1 }), mutation, (i, m) => check(mutate(seeds[i]!, m))), { numRuns: MUTATED_RUNS });
  for (const s of seeds) check(s);
  return { random: RANDOM_RUNS, mutated: MUTATED_RUNS, accepted };
}

/** The ```json blocks of a docs/formats file, as seeds. */
export function docSeeds(file: string): string[] {
  const text = readFileSync(new URL(`../../docs/formats/${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```json[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
}
