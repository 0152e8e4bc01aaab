/**
 * `combine` refuses an SSV keyshares.json (a file, or a folder holding one) in one line with LAYOUT_UNSUPPORTED
 * and writes nothing: its shares are encrypted to the operators' RSA keys (the combine row of the parity matrix).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { loadVector } from '../helpers/vectors.js';

const C = loadVector<{ cases: { keyshares: string }[] }>('ssv/dvkeys-keyshares-operator-keys.json').cases[0]!;

describe('combine on an SSV keyshares.json', () => {
  it('is refused in one line for a folder and for the file itself; nothing is written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dvkeys-combine-ssv-'));
    mkdirSync(join(root, 'ssv'));
    writeFileSync(join(root, 'ssv', 'keyshares.json'), C.keyshares);
    for (const input of [join(root, 'ssv'), join(root, 'ssv', 'keyshares.json')]) {
      const r = await runCli(['combine', '--in', input, '--in', input, '--out', join(root, 'out'), '--insecure-keys']);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain('--in has no place in the ssv layout: an SSV keyshares.json holds shares encrypted to the operators\' RSA keys');
      expect(r.err).toContain('LAYOUT_UNSUPPORTED');
      expect(existsSync(join(root, 'out'))).toBe(false);
    }
  });
});
