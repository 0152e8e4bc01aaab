/**
 * The core must run in a browser (design.md section 1): src/keys imports nothing from Node statically; only
 * kdf.ts reaches node:crypto and node:os, through a dynamic import behind a runtime check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', 'src', 'keys');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/keys portability', () => {
  it.each(files)('%s has no static node: import and no require', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toMatch(/^\s*import\s[^;]*from\s+['"]node:/m);
    expect(text).not.toMatch(/^\s*import\s+['"]node:/m);
    expect(text).not.toMatch(/\brequire\(/);
    const dynamic = [...text.matchAll(/import\(\s*['"](node:[a-z]+)['"]\s*\)/g)].map((m) => m[1]);
    expect(dynamic).toEqual(file === 'kdf.ts' ? ['node:crypto', 'node:os'] : []);
  });
});
