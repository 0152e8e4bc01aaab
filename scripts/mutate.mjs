// `npm run mutate [-- folder...] [-- --mutate <files>] [-- --tests <globs>] [-- stryker options]`: Stryker mutation
// testing of the security-critical core (issue 19, docs/mutation.md). Each folder runs on its own, in turn
// (default: all of them), with
//   - its own source globs (--mutate) and the test files that exercise it (DVKEYS_MUTATE_TESTS, read by
//     vitest.mutation.config.ts), so a mutant reruns only the relevant tests;
//   - its own incremental file reports/stryker-incremental-<folder>.json (a second run tests only mutants whose
//     code or covering tests changed) and JSON report reports/mutation/<folder>.json (reports/ is gitignored);
//   - STRYKER_CONCURRENCY test runners (default 2).
// `--mutate a.ts,b.ts` narrows one folder's run to those files (each must lie in the folder) and `--tests g1,g2` to
// those test globs; a narrowed run keeps its own incremental file and report (reports/...-<folder>-<file>.json), so
// the folder's stay whole.
// Slow (tens of minutes a folder on a 2-core machine): not part of `npm test` or .ci/run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const FOLDERS = {
  safety: { mutate: ['src/safety/**/*.ts'], tests: ['test/safety/**/*.test.ts'] },
  sharing: { mutate: ['src/sharing/**/*.ts'], tests: ['test/sharing/**/*.test.ts', 'test/bls/**/*.test.ts'] },
  bls: { mutate: ['src/bls/**/*.ts'], tests: ['test/bls/**/*.test.ts', 'test/sharing/**/*.test.ts'] },
  keys: { mutate: ['src/keys/**/*.ts', '!src/keys/kdf-native-browser.ts'], tests: ['test/keys/**/*.test.ts'] },
  ceremony: { mutate: ['src/ceremony/verify.ts'], tests: ['test/ceremony/verify.test.ts'] },
  dkg: { mutate: ['src/dkg/{verify,evidence,blame,pok,dleq,encryption,finalize}.ts'], tests: ['test/dkg/**/*.test.ts'] },
};
const DIRS = { safety: 'src/safety/', sharing: 'src/sharing/', bls: 'src/bls/', keys: 'src/keys/', ceremony: 'src/ceremony/', dkg: 'src/dkg/' };

function fail(message) {
  console.error(`dvkeys mutate: ${message}`);
  process.exit(2);
}

const names = [];
const extra = [];
let only;
let tests;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--mutate' || a === '-m' || a === '--tests') {
    const value = args[++i];
    if (value === undefined || value.startsWith('-')) fail(`${a} needs a value`);
    if (a === '--tests') tests = value.split(',').filter((g) => g !== '');
    else only = value.split(',').filter((g) => g !== '');
  } else if (a.startsWith('-')) extra.push(a);
  else if (extra.length > 0 && !(a in FOLDERS)) extra.push(a); // the value of a Stryker option
  else names.push(a);
}
const chosen = names.length > 0 ? names : Object.keys(FOLDERS);
if ((only !== undefined || tests !== undefined) && chosen.length !== 1) fail('--mutate and --tests narrow one folder: name it');
for (const name of chosen) {
  const folder = FOLDERS[name];
  if (folder === undefined) fail(`unknown folder '${name}' (one of ${Object.keys(FOLDERS).join(', ')})`);
  for (const file of only ?? []) {
    if (!file.startsWith(DIRS[name])) fail(`--mutate ${file} is not in folder ${name} (${DIRS[name]})`);
  }
  const mutate = only ?? folder.mutate;
  const testGlobs = tests ?? folder.tests;
  const tag = only === undefined && tests === undefined ? name : `${name}-${only === undefined ? 'all' : only.map((f) => path.basename(f, '.ts')).join('+')}${tests === undefined ? '' : '-narrow'}`;
  console.log(`dvkeys mutate: ${name} (${mutate.join(' ')}; tests ${testGlobs.join(' ')})`);
  const run = spawnSync(
    'npx',
    [
      'stryker', 'run',
      '--mutate', [...mutate, '!src/**/index.ts'].join(','),
      '--incrementalFile', `reports/stryker-incremental-${tag}.json`,
      '--concurrency', process.env.STRYKER_CONCURRENCY ?? '2',
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, DVKEYS_MUTATE_TESTS: testGlobs.join(','), STRYKER_JSON: `reports/mutation/${tag}.json` } },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
