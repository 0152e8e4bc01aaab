/** CLI file helpers: the size cap holds while reading (review F8); terminal-safe error text (review F7). */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapped } from '../../src/cli/files.js';
import { terminalSafe } from '../../src/cli/main.js';

describe('readCapped', () => {
  it.runIf(existsSync('/proc/self/status'))('refuses a /proc file (reported size 0) above the cap', async () => {
    await expect(readCapped('/proc/self/status', 16, 'file')).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });
  it('reads a file within the cap', async () => {
    const bytes = await readCapped(new URL('../../package.json', import.meta.url).pathname, 1 << 20, 'file');
    expect(new TextDecoder().decode(bytes)).toContain('"name": "dvkeys"');
  });
  it('names a missing file without throwing a raw fs error', async () => {
    await expect(readCapped('/nonexistent/x.json', 10, 'keystore')).rejects.toMatchObject({ code: 'IO_FAILED' });
  });
});

describe('terminalSafe', () => {
  it('escapes control characters and bounds the length', () => {
    expect(terminalSafe('kdf \u001b]0;pwned\u0007 x')).toBe('kdf \\x1b]0;pwned\\x07 x');
    expect(terminalSafe('a'.repeat(1000))).toHaveLength(601);
  });
});
