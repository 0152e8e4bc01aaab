/**
 * The core runs in a browser (design section 1): nothing outside src/cli/ imports Node modules statically, uses
 * Buffer, process or console. The one exception is src/keys/kdf.ts, which reaches node:crypto through a dynamic
 * import behind a runtime check (test/keys/portability.test.ts pins that).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const core = walk(src).filter((p) => !relative(src, p).startsWith('cli'));

describe('core portability', () => {
  it.each(core.map((p) => relative(src, p)))('%s uses no Node-only API', (file) => {
    const text = readFileSync(join(src, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(text).not.toMatch(/from\s+['"]node:/);
    expect(text).not.toMatch(/\bBuffer\./);
    expect(text).not.toMatch(/\bconsole\./);
    expect(text).not.toMatch(/\brequire\(/);
    if (file !== join('keys', 'kdf.ts')) {
      expect(text).not.toMatch(/\bprocess\./);
      expect(text).not.toMatch(/import\(\s*['"]node:/);
    }
  });
});
