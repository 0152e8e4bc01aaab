// Build: every source module transpiled to its own dist file (bundle: false), so the published package has the
// same module structure as src/ and no opaque shared chunks; class identity (instanceof DvkeysError) holds across
// entry points. Type declarations come from tsc (tsconfig.build.json), one per module.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/**/*.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'neutral',
  bundle: false,
  dts: false, // declarations come from tsc (tsconfig.build.json), one .d.ts per module
  sourcemap: process.env.DVKEYS_SOURCEMAPS === '1', // decision 0808: none in the package unless asked for
  clean: true,
  outDir: 'dist',
});
