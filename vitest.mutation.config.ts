/**
 * Vitest config for mutation runs (stryker.config.mjs, scripts/mutate.mjs, docs/mutation.md): vitest.config.ts
 * (its `#kdf-native` alias included) restricted to the test files given in DVKEYS_MUTATE_TESTS (comma-separated
 * globs, set per folder by scripts/mutate.mjs), by default the unit and property tests of the core. The CLI
 * end-to-end tests and the fuzzers are left out: they import every module, so each mutant would rerun them.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const CORE = ['test/bls/**/*.test.ts', 'test/sharing/**/*.test.ts', 'test/safety/**/*.test.ts', 'test/keys/**/*.test.ts', 'test/dkg/**/*.test.ts', 'test/ceremony/**/*.test.ts'];
const chosen = process.env['DVKEYS_MUTATE_TESTS']?.split(',').filter((g) => g !== '');

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: chosen !== undefined && chosen.length > 0 ? chosen : CORE,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
