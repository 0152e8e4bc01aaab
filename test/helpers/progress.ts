/** Progress lines a CLI child without a tty prints on stderr (src/cli/progress.ts, decision 0803). */
export const PROGRESS_LINE = /^[a-z][a-z ,-]*: \d+\/\d+ (\(\d+ %\), [0-9.]+\/s, .* left|done in .*)$/;

/** `stderr` without its progress lines (each other line kept as it was). */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !PROGRESS_LINE.test(l))
    .join('\n');
}
