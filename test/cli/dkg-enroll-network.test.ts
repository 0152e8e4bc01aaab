/**
 * Issue 18, decision 0448: `dkg enroll` runs over files only. `--coordinator` is refused in one line naming the
 * decision, before the draft or the host key is read, and nothing is written.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './dkg-helpers.js';

describe('dkg enroll --coordinator (decision 0448)', () => {
  it('is refused in one line and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvkeys-enroll-net-'));
    const out = join(dir, 'enrollment.json');
    const r = await cli('dkg', 'enroll', '--coordinator', 'http://127.0.0.1:9', '--draft', join(dir, 'missing-draft.json'), '--host-key', join(dir, 'missing-key.json'), '--out', out);
    expect(r.code).not.toBe(0);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('enrollment runs over files only (decision 0448)');
    expect(existsSync(out)).toBe(false);
  });
});
