/**
 * Vitest config for mutation runs (stryker.config.mjs, docs/mutation.md): vitest.config.ts (its `#kdf-native`
 * alias included) restricted to the unit and property tests of the core, without the CLI end-to-end tests (they
 * import every module, so each mutant would rerun them) and the fuzzers.
 * DVKEYS_MUTATE_CLI=1 adds the CLI tests that drive `verify` (for src/ceremony/verify.ts).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const cli = process.env['DVKEYS_MUTATE_CLI'] === '1' ? ['test/cli/verify-*.test.ts', 'test/cli/split-verify-combine.test.ts'] : [];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/bls/**/*.test.ts', 'test/sharing/**/*.test.ts', 'test/safety/**/*.test.ts', 'test/keys/**/*.test.ts', 'test/dkg/**/*.test.ts', 'test/ceremony/**/*.test.ts', ...cli],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
