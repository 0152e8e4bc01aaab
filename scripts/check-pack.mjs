// CI gate (issue 9): the published package holds only dist/, docs/, README.md, LICENSE and package.json, and
// the entry points the exports map names, and no source map unless DVKEYS_SOURCEMAPS=1 (decision 0808). Run after
// `npm run build` (scripts/pack-test.mjs runs it after `npm pack`, whose prepack builds).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const files = pack.files.map((f) => f.path);
const allowed = (p) => p.startsWith('dist/') || p.startsWith('docs/') || ['README.md', 'LICENSE', 'package.json'].includes(p);
const stray = files.filter((p) => !allowed(p) || (p.endsWith('.map') && process.env.DVKEYS_SOURCEMAPS !== '1'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const needed = [pkg.bin.dvkeys, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [] : [e.import, e.types]))].map((p) => p.replace(/^\.\//, ''));
const missing = needed.filter((p) => !files.includes(p));
console.log(`npm pack: ${files.length} files, ${pack.size} bytes packed; outside dist/docs/README/LICENSE: ${stray.length}; missing entry points: ${missing.length}`);
if (stray.length > 0 || missing.length > 0) {
  for (const p of stray) console.error(`  not allowed in the package: ${p}`);
  for (const p of missing) console.error(`  entry point missing from the package: ${p}`);
  process.exit(1);
}
