// `npm run mutate [-- folder...]`: Stryker on each folder in turn (default: all of them), each with its own
// incremental file and JSON report under reports/ (gitignored; docs/mutation.md), at most 2 concurrent runners.
import { spawnSync } from 'node:child_process';

const FOLDERS = {
  safety: ['src/safety/**/*.ts'],
  sharing: ['src/sharing/**/*.ts'],
  bls: ['src/bls/**/*.ts'],
  keys: ['src/keys/**/*.ts'],
  dkg: ['src/dkg/{verify,blame,pok,encryption,finalize}.ts'],
  ceremony: ['src/ceremony/verify.ts'],
};
const args = process.argv.slice(2);
const extra = args.filter((a) => a.startsWith('-'));
const names = args.filter((a) => !a.startsWith('-'));
const chosen = names.length > 0 ? names : Object.keys(FOLDERS);
for (const name of chosen) {
  const globs = FOLDERS[name];
  if (globs === undefined) {
    console.error(`dvkeys mutate: unknown folder '${name}' (one of ${Object.keys(FOLDERS).join(', ')})`);
    process.exit(2);
  }
  const mutate = [...globs, '!src/**/index.ts'].join(',');
  const run = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', mutate, '--incrementalFile', `reports/stryker-incremental-${name}.json`, '--concurrency', process.env.STRYKER_CONCURRENCY ?? '2', ...extra],
    { stdio: 'inherit', env: { ...process.env, ...(name === 'ceremony' ? { DVKEYS_MUTATE_CLI: '1' } : {}), STRYKER_JSON: `reports/mutation/${name}.json` } },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
