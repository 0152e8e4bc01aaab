/** docs/errors.md documents exactly the codes of ERROR_CODES, once each. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

it('docs/errors.md has one row per error code and no other', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(rows).toEqual([...ERROR_CODES]);
});
