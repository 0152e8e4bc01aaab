/**
 * A signal after the read-back passed (issue 13, defect 1): the tree is complete and verified, so split keeps it,
 * says so in one line and exits 130. The real read-back runs; the mock only aborts the signal once it has passed,
 * which is the moment a real Ctrl-C can land between the last check and the report.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Readback from '../../src/cli/readback.js';
import { runCli } from '../helpers/cli.js';
import { makeInputs } from '../helpers/inputs.js';
import { withoutProgress } from '../helpers/progress.js';

const controller = new AbortController();

vi.mock('../../src/cli/readback.js', async (importOriginal) => {
  const real = await importOriginal<typeof Readback>();
  return {
    ...real,
    checkWrittenTree: async (...args: Parameters<typeof real.checkWrittenTree>) => {
      const report = await real.checkWrittenTree(...args);
      controller.abort('SIGINT');
      return report;
    },
  };
});

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-kept-'));
  mkdirSync(join(root, 'in'));
  await makeInputs(join(root, 'in'), 'pbkdf2');
});

describe('a signal after the read-back', () => {
  it('keeps the verified tree, says so in one line and exits 130', async () => {
    const out = join(root, 'out');
    const r = await runCli(['split', join(root, 'in'), '--operators', 'a,b,c', '--out', out, '--insecure-keys'], { signal: controller.signal });
    expect(r.code).toBe(130);
    expect(withoutProgress(r.err).split('\n').filter((l) => !l.includes('--insecure-keys'))).toEqual([`dvkeys split: interrupted after ${out} was written, read back and verified; it is complete and was kept`]);
    expect(existsSync(join(out, 'ceremony.json'))).toBe(true);
    expect(readdirSync(root).filter((n) => n.includes('dvkeys-tmp'))).toEqual([]);
    const v = await runCli(['verify', out]);
    expect(v.code).toBe(0);
  });
});
