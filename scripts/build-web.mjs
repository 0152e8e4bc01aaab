// `npm run build:web`: the offline single-file web app (issue 17, design section 10, docs/web.md).
// Bundles web/kdf-worker.ts (the KDF Web Worker) and web/main.ts (the page) with esbuild for the browser, inlines
// both and web/style.css into web/index.html, and writes dist/web/dvkeys.html with a Content-Security-Policy that
// allows exactly: this one script and this one style sheet (by SHA-256), WebAssembly compiled by that script
// (@chainsafe/ssz's SHA-256), workers from blob: URLs (the inlined KDF worker) and nothing else (default-src 'none': no fetch, XHR, WebSocket, image, font, frame or form target).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(repo, 'web');

/** `#kdf-native` for the page: the Web Worker pool (web/kdf-pool.ts); for the worker itself: none. */
function kdfNative(target) {
  return {
    name: 'kdf-native',
    setup(build) {
      build.onResolve({ filter: /^#kdf-native$/ }, () => ({ path: target }));
    },
  };
}

async function bundle(entry, target, define = {}) {
  const result = await esbuild.build({
    entryPoints: [join(web, entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    define,
    plugins: [kdfNative(target)],
  });
  if (result.errors.length > 0 || result.warnings.length > 0) {
    throw new Error(`esbuild: ${JSON.stringify([...result.errors, ...result.warnings].map((m) => m.text))}`);
  }
  const text = result.outputFiles[0].text;
  if (/["'`]node:/.test(text)) throw new Error(`${entry}: the bundle names a node: module`);
  return text;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export async function buildWeb(outFile = join(repo, 'dist', 'web', 'dvkeys.html')) {
  const worker = await bundle('kdf-worker.ts', join(repo, 'src', 'keys', 'kdf-native-browser.ts'));
  const script = await bundle('main.ts', join(web, 'kdf-pool.ts'), { __KDF_WORKER_SOURCE__: JSON.stringify(worker) });
  const style = readFileSync(join(web, 'style.css'), 'utf8');
  // An inline script must not contain its own end tag; esbuild escapes it in strings, this checks it did.
  if (/<\/script/i.test(script) || /<\/style/i.test(style)) throw new Error('an inlined script or style contains its end tag');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(style)}`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const template = readFileSync(join(web, 'index.html'), 'utf8');
  const parts = { '%CSP%': csp, '%STYLE%': style, '%SCRIPT%': script };
  const html = template.replace(/%CSP%|%STYLE%|%SCRIPT%/g, (m) => parts[m]);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, html);
  return { outFile, bytes: statSync(outFile).size, csp };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outFile, bytes } = await buildWeb(process.argv[2]);
  console.log(`wrote ${outFile} (${(bytes / 1024).toFixed(0)} KiB)`);
}
