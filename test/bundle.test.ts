/**
 * Every entry point of the published package bundles for the browser with no polyfills (design section 10,
 * issue 17): the package is built as `npm run build` builds it (tsup.config.ts, into a temporary folder beside its
 * package.json), then each entry of the exports map is bundled by esbuild for the browser (bundle, minify). Any
 * error or warning fails, and so does a `node:` import or the Node KDF module in the output. It also checks that
 * minified error classes keep their names and that non-English BIP-39 wordlists stay out of the `keys` entry chunk.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { build as tsup } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../tsup.config.js';

const repo = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports as Record<string, string | { import: string }>)
  .filter(([, v]) => typeof v !== 'string')
  .map(([k, v]) => [k, (v as { import: string }).import] as const);
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-bundle-'));
  cpSync(join(repo, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  const options = Array.isArray(config) ? config[0] : config;
  await tsup({ ...options, entry: [join(repo, 'src/**/*.ts')], outDir: join(root, 'dist'), sourcemap: false, silent: true, config: false });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function bundle(entry: string, extra: esbuild.BuildOptions = {}): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }> {
  return esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...extra,
  }) as Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }>;
}

describe('browser bundles', () => {
  it('the exports map has the eleven entry points', () => {
    expect(entries.map(([k]) => k)).toEqual(['.', './bls', './sharing', './safety', './keys', './eth', './ceremony', './dkg', './charon', './ssv', './lifecycle']);
  });

  it.each(entries)('%s bundles for the browser with no error, warning or node: import', async (_name, file) => {
    const result = await bundle(file);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const text = new TextDecoder().decode(result.outputFiles![0]!.contents);
    expect(text).not.toMatch(/["'`]node:/);
    expect(Object.keys(result.metafile.inputs).filter((p) => /kdf-native-node|node:/.test(p))).toEqual([]);
  });

  it('minified error classes keep their names, and the browser build has no native KDF', async () => {
    const result = await bundle(pkg.exports['.'].import, { outfile: join(root, 'root.min.js') });
    writeFileSync(join(root, 'root.min.js'), result.outputFiles![0]!.contents);
    const m = await import(pathToFileURL(join(root, 'root.min.js')).href);
    const classes = ['DvkeysError', 'ValidationError', 'VerificationError', 'KeystoreError', 'SafetyError'] as const;
    for (const name of classes) {
      const e = new m[name]('INVALID_ARGUMENT', 'x');
      expect(e.constructor.name).not.toBe(name); // the minifier did rename the class
      expect(e.name).toBe(name);
      expect(String(e)).toBe(`${name}: x`);
    }
    expect(new m.AbortedError().name).toBe('AbortedError');
    await expect(m.keys.encryptKeystore(new Uint8Array(32).fill(1), 'pw', { kdf: 'pbkdf2', kdfParams: { c: 1 }, kdfBackend: 'node' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'kdfBackend' });
  });

  it('non-English BIP-39 wordlists are separate chunks of the keys entry, loaded only when asked for', async () => {
    const result = await bundle(pkg.exports['./keys'].import, { splitting: true, outdir: join(root, 'split') });
    const outputs = result.outputFiles!.map((f) => ({ path: f.path, text: f.text }));
    const main = outputs.find((o) => o.path.endsWith('index.js'))!;
    expect(main.text).toContain('abandon'); // English is built in
    expect(main.text).not.toContain('abaisser'); // French is not
    expect(main.text).not.toContain('abdikace'); // nor Czech
    expect(outputs.filter((o) => o.text.includes('abaisser'))).toHaveLength(1);
    expect(main.text.length).toBeLessThan(200_000);
  });
});
