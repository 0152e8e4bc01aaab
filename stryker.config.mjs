// Stryker mutation testing (issue 19, docs/mutation.md). Run one folder at a time: `npm run mutate -- safety`
// (scripts/mutate.mjs passes --mutate and a per-folder incremental file). Not part of .ci/run.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/bls/**/*.ts',
    'src/sharing/**/*.ts',
    'src/safety/**/*.ts',
    'src/keys/**/*.ts',
    'src/dkg/{verify,evidence,blame,pok,dleq,encryption,finalize}.ts',
    'src/ceremony/verify.ts',
    '!src/**/index.ts',
  ],
  // Static mutants (module-level constants) would each rerun every test; they are caps and tables that the tests
  // pin by value (test/keys/tamper.test.ts, the vectors), so they are skipped here.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: process.env.STRYKER_JSON ?? 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
