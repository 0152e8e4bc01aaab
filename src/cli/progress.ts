/**
 * Progress of long steps (KDFs), on standard error through the {@link CliIo} (issue 13, "Progress everywhere";
 * decision 0803):
 *
 * - on a terminal (`io.isTTY` and `io.errRaw`): one bar redrawn in place with `\r`;
 * - otherwise (CI, SSH without a tty, a log file): sparse plain lines, `<label>: 40/100 (40 %), 3.2/s, about 19 s
 *   left`, one when another 10 % is done and at least 2 s passed since the last line, and one at least every 10 s
 *   while the step runs; a step that was reported ends with `<label>: 100/100 done in 31.0 s`. A step shorter
 *   than 2 s prints nothing;
 * - with `quiet` (`--json`): nothing at all, so stdout and stderr stay machine-readable.
 *
 * @module
 */
import type { CliIo } from './io.js';

/** The progress of one step: `onProgress(done, total)` as work completes, `done()` when the step ends. */
export interface Progress {
  readonly onProgress: (done: number, total: number) => void;
  readonly done: () => void;
}

/** A plain line at a 10 % step is printed only this long after the previous line (or the start). */
export const PLAIN_MIN_INTERVAL_MS = 2_000;
/** A plain line is printed at least this often while a step runs. */
export const PLAIN_MAX_INTERVAL_MS = 10_000;

const NOTHING: Progress = { onProgress: () => undefined, done: () => undefined };

/** Returns the progress reporter for `label` (see the module comment for what each output gets). */
export function progressBar(io: CliIo, label: string, quiet = false): Progress {
  if (quiet) return NOTHING;
  const raw = io.errRaw;
  return io.isTTY && raw !== undefined ? terminalBar(raw, label) : plainLines(io, label);
}

function terminalBar(raw: (text: string) => void, label: string): Progress {
  const start = Date.now();
  let drawn = false;
  return {
    onProgress: (done, total) => {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      raw(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s`);
      drawn = true;
    },
    done: () => {
      if (drawn) raw('\n');
    },
  };
}

/** `12.5 s`, `3 min 05 s`. */
function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

function plainLines(io: CliIo, label: string): Progress {
  const start = Date.now();
  let last = start;
  let lastFraction = 0;
  let reported = false;
  let finished = false;
  let state: { done: number; total: number } | undefined;
  const line = (done: number, total: number): void => {
    const now = Date.now();
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const rate = done / Math.max((now - start) / 1000, 1e-3);
    const left = done === 0 ? 'time left not known yet' : `about ${duration(((total - done) / rate) * 1000)} left`;
    io.err(`${label}: ${done}/${total} (${pct} %), ${rate.toFixed(1)}/s, ${left}`);
    last = now;
    lastFraction = total === 0 ? 1 : done / total;
    reported = true;
  };
  const timer = setInterval(() => {
    if (state !== undefined && !finished && Date.now() - last >= PLAIN_MAX_INTERVAL_MS) line(state.done, state.total);
  }, 1_000);
  timer.unref?.();
  io.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return {
    onProgress: (done, total) => {
      if (finished) return;
      state = { done, total };
      const now = Date.now();
      if (done >= total) {
        finished = true;
        clearInterval(timer);
        if (reported || now - start >= PLAIN_MIN_INTERVAL_MS) io.err(`${label}: ${done}/${total} done in ${duration(now - start)}`);
        return;
      }
      const fraction = total === 0 ? 1 : done / total;
      if (fraction - lastFraction >= 0.1 && now - last >= PLAIN_MIN_INTERVAL_MS) line(done, total);
      else if (now - last >= PLAIN_MAX_INTERVAL_MS) line(done, total);
    },
    done: () => {
      finished = true;
      clearInterval(timer);
    },
  };
}
