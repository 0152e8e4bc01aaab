/**
 * A progress bar on a terminal (stderr), silent otherwise, so pipes and `--json` output stay clean.
 *
 * @module
 */
import type { CliIo } from './io.js';

/** Returns an onProgress callback for `label`, and a `done()` that ends the line. */
export function progressBar(io: CliIo, label: string, quiet = false): { onProgress: (done: number, total: number) => void; done: () => void } {
  if (!io.isTTY || quiet) return { onProgress: () => undefined, done: () => undefined };
  const start = Date.now();
  let drawn = false;
  return {
    onProgress: (done, total) => {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s`);
      drawn = true;
    },
    done: () => {
      if (drawn) process.stderr.write('\n');
    },
  };
}
