/**
 * Runs `dvkeys <argv>` through the CLI's main() in this process and prints one JSON line: exit code, wall time of
 * main() in ms, peak RSS in MiB. Used by the end-to-end benchmarks (floor.ts runCliChild); the CLI's own output
 * goes to stderr only when it is an error. The CLI's working directory is $DVKEYS_BENCH_CWD.
 */
import { main } from '../src/cli/main.js';

const io = {
  out: () => undefined,
  err: (t: string) => console.error(t),
  isTTY: false,
  env: process.env,
  cwd: process.env['DVKEYS_BENCH_CWD'] ?? process.cwd(),
  signal: new AbortController().signal,
};
const start = performance.now();
const code = await main(process.argv.slice(2), io);
const wallMs = performance.now() - start;
console.log(JSON.stringify({ code, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
