/**
 * The core runs in a browser (design sections 1 and 10): nothing outside src/cli/ imports a Node module (as
 * `node:x` or a bare builtin name, statically, dynamically or by require), uses Buffer, process or console. The one
 * Node-only module is src/keys/kdf-native-node.ts, reached only through the `#kdf-native` import whose package.json
 * conditions pick the browser module for bundlers. test/bundle.test.ts bundles every entry point for the browser.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const core = walk(src)
  .map((p) => relative(src, p))
  .filter((p) => !p.startsWith('cli'));
const NODE_ONLY = join('keys', 'kdf-native-node.ts');
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

/** Source without comments. */
function code(file: string): string {
  return readFileSync(join(src, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

/** Every module specifier: `from 'x'`, `import 'x'`, `import('x')`, `require('x')`. */
function specifiers(text: string): string[] {
  const re = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"`]([^'"`]+)['"`]|\brequire\s*\(\s*['"`]([^'"`]+)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

const isNode = (s: string): boolean => s.startsWith('node:') || builtins.has(s) || builtins.has(s.split('/')[0]!);

describe('core portability', () => {
  it('the specifier scan sees every import form', () => {
    const sample = `import a from 'node:fs'; import 'os'; export { x } from "crypto"; await import('node:crypto');
      const r = require('path'); import { y } from './y.js'; import type { Z } from 'node:worker_threads';`;
    expect(specifiers(sample).filter(isNode)).toEqual(['node:fs', 'os', 'crypto', 'node:crypto', 'path', 'node:worker_threads']);
  });

  it.each(core)('%s uses no Node-only API', (file) => {
    const text = code(file);
    const node = specifiers(text).filter(isNode);
    expect(node).toEqual(file === NODE_ONLY ? ['node:crypto', 'node:os'] : []);
    expect(text).not.toMatch(/\bBuffer\b/);
    expect(text).not.toMatch(/\bconsole\./);
    expect(text).not.toMatch(/\bprocess\s*[.?[]/);
    expect(text).not.toMatch(/\brequire\s*\(/);
  });

  it('only kdf.ts imports the native KDF, and only through #kdf-native', () => {
    const importers = core.filter((f) => specifiers(code(f)).includes('#kdf-native'));
    expect(importers).toEqual([join('keys', 'kdf.ts')]);
    const direct = core.filter((f) => specifiers(code(f)).some((s) => /kdf-native-(node|browser)/.test(s)));
    expect(direct).toEqual([]);
  });

  it('package.json picks the Node module only under the node condition; source resolution agrees', () => {
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));
    expect(pkg.imports['#kdf-native']).toEqual({
      types: './dist/keys/kdf-native-node.d.ts',
      browser: './dist/keys/kdf-native-browser.js',
      node: './dist/keys/kdf-native-node.js',
      default: './dist/keys/kdf-native-browser.js',
    });
    const tsconfig = readFileSync(join(src, '..', 'tsconfig.json'), 'utf8');
    expect(tsconfig).toContain('"#kdf-native": ["./src/keys/kdf-native-node.ts"]');
  });
});
