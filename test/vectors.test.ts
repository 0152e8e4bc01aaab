/** docs/test-vectors.md lists every vector file with its SHA-256, and nothing else. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'vectors');

it('docs/test-vectors.md has the checksum of every file in test/vectors', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'test-vectors.md'), 'utf8');
  const listed = new Map([...doc.matchAll(/^\| `([^`]+\.json)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map((m) => [m[1]!, m[2]!]));
  const actual = new Map(
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
      .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );
  expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(actual));
  expect(actual.size).toBe(18);
});
