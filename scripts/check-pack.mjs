// CI gate (issue 9): the published package holds only dist/, docs/, README.md, LICENSE and package.json, and
// the entry points the exports map names. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const files = pack.files.map((f) => f.path);
const allowed = (p) => p.startsWith('dist/') || p.startsWith('docs/') || ['README.md', 'LICENSE', 'package.json'].includes(p);
const stray = files.filter((p) => !allowed(p));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const needed = [pkg.bin.dvkeys, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [] : [e.import, e.types]))].map((p) => p.replace(/^\.\//, ''));
const missing = needed.filter((p) => !files.includes(p));
console.log(`npm pack: ${files.length} files, ${pack.size} bytes packed; outside dist/docs/README/LICENSE: ${stray.length}; missing entry points: ${missing.length}`);
if (stray.length > 0 || missing.length > 0) {
  for (const p of stray) console.error(`  not allowed in the package: ${p}`);
  for (const p of missing) console.error(`  entry point missing from the package: ${p}`);
  process.exit(1);
}
