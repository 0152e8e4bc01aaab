/**
 * Progress (issue 13, "Progress everywhere"): a \r bar only on a terminal through io.errRaw, sparse plain lines
 * through io.err otherwise (a 10 % step at least 2 s after the last line, a line at least every 10 s, a final
 * line), nothing with quiet (--json); never process.stderr directly.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { progressBar } from '../../src/cli/progress.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import { PROGRESS_LINE } from '../helpers/progress.js';

function capture(tty: boolean, raw: boolean) {
  const err: string[] = [];
  const rawOut: string[] = [];
  const controller = new AbortController();
  const io: CliIo = {
    out: () => undefined,
    err: (t) => void err.push(t),
    ...(raw ? { errRaw: (t: string) => void rawOut.push(t) } : {}),
    isTTY: tty,
    env: {},
    cwd: tmpdir(),
    signal: controller.signal,
  };
  return { io, err, rawOut, controller };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('progressBar', () => {
  it('without a terminal: sparse plain lines with counts, rate and time left, then a final line', () => {
    vi.useFakeTimers({ now: 0 });
    const write = vi.spyOn(process.stderr, 'write');
    const { io, err, rawOut } = capture(false, true);
    const p = progressBar(io, 'encrypting share keystores');
    for (let k = 1; k <= 100; k++) {
      vi.advanceTimersByTime(550); // 100 keystores in 55 s
      p.onProgress(k, 100);
    }
    p.done();
    expect(rawOut).toEqual([]);
    expect(write).not.toHaveBeenCalled();
    expect(err.every((l) => !l.includes('\r'))).toBe(true);
    // a line each time another 10 % is done (every 5.5 s here), and the final one
    expect(err[0]).toBe('encrypting share keystores: 10/100 (10 %), 1.8/s, about 49.5 s left');
    expect(err.at(-1)).toBe('encrypting share keystores: 100/100 done in 55.0 s');
    expect(err).toHaveLength(10);
    expect(err.every((l) => PROGRESS_LINE.test(l))).toBe(true); // the helper the child-process tests filter with
  });

  it('without a terminal: a line at least every 10 s even with no 10 % step, none after done', () => {
    vi.useFakeTimers({ now: 0 });
    const { io, err } = capture(false, false);
    const p = progressBar(io, 'decrypting share keystores');
    p.onProgress(1, 1000);
    vi.advanceTimersByTime(10_500);
    expect(err).toEqual(['decrypting share keystores: 1/1000 (0 %), 0.1/s, about 166 min 30 s left']);
    vi.advanceTimersByTime(10_000);
    expect(err).toHaveLength(2);
    p.done();
    vi.advanceTimersByTime(60_000);
    expect(err).toHaveLength(2);
  });

  it('without a terminal: a step shorter than 2 s prints nothing', () => {
    vi.useFakeTimers({ now: 0 });
    const { io, err } = capture(false, false);
    const p = progressBar(io, 'reading back');
    for (let k = 1; k <= 8; k++) {
      vi.advanceTimersByTime(100);
      p.onProgress(k, 8);
    }
    p.done();
    expect(err).toEqual([]);
  });

  it('on a terminal: a bar redrawn with \\r through io.errRaw, ended by a newline', () => {
    const write = vi.spyOn(process.stderr, 'write');
    const { io, err, rawOut } = capture(true, true);
    const p = progressBar(io, 'x');
    p.onProgress(1, 2);
    p.onProgress(2, 2);
    p.done();
    expect(write).not.toHaveBeenCalled();
    expect(err).toEqual([]);
    expect(rawOut).toHaveLength(3);
    expect(rawOut[0]).toMatch(/^\rx \[#{15}\.{15}\] 1\/2 \d+\.\ds$/);
    expect(rawOut[2]).toBe('\n');
  });

  it('quiet (--json): nothing, on a terminal or not, even after 10 s', () => {
    vi.useFakeTimers({ now: 0 });
    for (const tty of [true, false]) {
      const { io, err, rawOut } = capture(tty, true);
      const p = progressBar(io, 'x', true);
      p.onProgress(1, 100);
      vi.advanceTimersByTime(30_000);
      p.onProgress(100, 100);
      p.done();
      expect([...err, ...rawOut]).toEqual([]);
    }
  });

  it('an aborted run stops the 10 s lines', () => {
    vi.useFakeTimers({ now: 0 });
    const { io, err, controller } = capture(false, false);
    const p = progressBar(io, 'x');
    p.onProgress(1, 100);
    controller.abort('SIGINT');
    vi.advanceTimersByTime(60_000);
    expect(err).toEqual([]);
  });
});

describe('split through main', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dvkeys-progress-'));
    mkdirSync(join(root, 'in'));
    await makeInputs(join(root, 'in'), 'pbkdf2', SECRETS.slice(0, 2));
  });

  it('--json on a terminal: no bar, stderr only the insecure-keys warning', async () => {
    const { io, err, rawOut } = capture(true, true);
    const code = await main(['split', join(root, 'in'), '--operators', '4', '--insecure-keys', '--out', join(root, 'j'), '--json'], io);
    expect(code).toBe(0);
    expect(rawOut).toEqual([]);
    expect(err.filter((l) => !l.includes('--insecure-keys'))).toEqual([]);
  });

  it('on a terminal: the bars go through io.errRaw', async () => {
    const { io, rawOut } = capture(true, true);
    const code = await main(['split', join(root, 'in'), '--operators', '4', '--insecure-keys', '--out', join(root, 't')], io);
    expect(code).toBe(0);
    expect(rawOut.some((t) => /^\r[a-z ]+ \[[#.]{30}\] \d+\/\d+ /.test(t)), JSON.stringify(rawOut)).toBe(true);
  });
});
