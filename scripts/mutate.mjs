// `npm run mutate [-- folder...] [-- stryker options]`: Stryker mutation testing of the security-critical core
// (issue 19, docs/mutation.md). Each folder runs on its own, in turn (default: all of them), with
//   - its own source globs (--mutate) and the test files that exercise it (DVKEYS_MUTATE_TESTS, read by
//     vitest.mutation.config.ts), so a mutant reruns only the relevant tests;
//   - its own incremental file reports/stryker-incremental-<folder>.json (a second run tests only mutants whose
//     code or covering tests changed) and JSON report reports/mutation/<folder>.json (reports/ is gitignored);
//   - STRYKER_CONCURRENCY test runners (default 2).
// Slow (tens of minutes a folder on a 2-core machine): not part of `npm test` or .ci/run.
import { spawnSync } from 'node:child_process';

const FOLDERS = {
  safety: { mutate: ['src/safety/**/*.ts'], tests: ['test/safety/**/*.test.ts'] },
  sharing: { mutate: ['src/sharing/**/*.ts'], tests: ['test/sharing/**/*.test.ts', 'test/bls/**/*.test.ts'] },
  bls: { mutate: ['src/bls/**/*.ts'], tests: ['test/bls/**/*.test.ts', 'test/sharing/**/*.test.ts'] },
  keys: { mutate: ['src/keys/**/*.ts', '!src/keys/kdf-native-browser.ts'], tests: ['test/keys/**/*.test.ts'] },
  ceremony: { mutate: ['src/ceremony/verify.ts'], tests: ['test/ceremony/verify.test.ts'] },
  dkg: { mutate: ['src/dkg/{verify,blame,pok,encryption,finalize}.ts'], tests: ['test/dkg/**/*.test.ts'] },
};
const args = process.argv.slice(2);
const extra = args.filter((a) => a.startsWith('-'));
const names = args.filter((a) => !a.startsWith('-'));
const chosen = names.length > 0 ? names : Object.keys(FOLDERS);
for (const name of chosen) {
  const folder = FOLDERS[name];
  if (folder === undefined) {
    console.error(`dvkeys mutate: unknown folder '${name}' (one of ${Object.keys(FOLDERS).join(', ')})`);
    process.exit(2);
  }
  console.log(`dvkeys mutate: ${name} (${folder.mutate.join(' ')}; tests ${folder.tests.join(' ')})`);
  const run = spawnSync(
    'npx',
    [
      'stryker', 'run',
      '--mutate', [...folder.mutate, '!src/**/index.ts'].join(','),
      '--incrementalFile', `reports/stryker-incremental-${name}.json`,
      '--concurrency', process.env.STRYKER_CONCURRENCY ?? '2',
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, DVKEYS_MUTATE_TESTS: folder.tests.join(','), STRYKER_JSON: `reports/mutation/${name}.json` } },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
