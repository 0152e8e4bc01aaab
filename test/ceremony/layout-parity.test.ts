/**
 * The parity matrix (issue 15): every option of split, verify and combine against every layout. Each cell is
 * either `true` (the option works there) or a one-line reason, and the command's assert function refuses exactly
 * the reason cells with LAYOUT_UNSUPPORTED and the option as `field`, and accepts the others. Every option named
 * is a real option of its command (it appears in the command's --help), so no table row can drift from the CLI.
 */
import { describe, expect, it } from 'vitest';
import { LAYOUTS, PARITY, assertCombineOptions, assertDkgOutputOptions, assertSplitOptions, assertVerifyOptions, type Layout } from '../../src/ceremony/layout-options.js';
import { isDvkeysError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { renderParityTables } from './parity-doc.js';

const ASSERT = { split: assertSplitOptions, verify: assertVerifyOptions, combine: assertCombineOptions, 'dkg finalize': assertDkgOutputOptions } as const;
/** The option each command always checks first (a layout that refuses it refuses every option for that reason). */
const GATE: Partial<Record<keyof typeof PARITY, string>> = { combine: 'in', 'dkg finalize': 'layout' };

function refusal(f: () => void): { code: string; field: string | undefined; message: string } | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    return { code: e.code, field: e.field, message: e.message };
  }
}

describe('layout parity matrix', () => {
  for (const [command, table] of Object.entries(PARITY) as [keyof typeof PARITY, (typeof PARITY)[keyof typeof PARITY]][]) {
    it(`${command}: every cell works or is refused in one line with LAYOUT_UNSUPPORTED`, async () => {
      const help = await runCli([...command.split(' '), '--help']);
      let cells = 0;
      for (const [option, row] of Object.entries(table)) {
        expect(help.out + help.err, `--${option} is an option of ${command}`).toContain(`--${option}`);
        expect(Object.keys(row).sort()).toEqual([...LAYOUTS].sort());
        for (const layout of LAYOUTS as readonly Layout[]) {
          cells++;
          const cell = row[layout];
          // combine always checks `in`, dkg finalize `layout`: where that is refused, every option is, for that reason.
          const gate = GATE[command];
          const inCell = gate === undefined ? true : table[gate]![layout];
          const r = refusal(() => ASSERT[command](layout, [option]));
          if (cell === true && inCell === true) {
            expect(r, `${command} --${option} in ${layout}`).toBeUndefined();
          } else {
            const reason = inCell === true ? cell : inCell;
            const field = inCell === true ? `--${option}` : `--${gate!}`;
            expect(r, `${command} --${option} in ${layout}`).toEqual({ code: 'LAYOUT_UNSUPPORTED', field, message: `${field} has no place in the ${layout} layout: ${String(reason)}` });
            expect(String(reason)).not.toContain('\n');
          }
        }
      }
      expect(cells).toBe(Object.keys(table).length * LAYOUTS.length);
    });
  }

  it('has 18 split, 4 verify, 9 combine and 5 dkg finalize options: 108 cells', () => {
    expect([PARITY.split, PARITY.verify, PARITY.combine, PARITY['dkg finalize']].map((t) => Object.keys(t).length)).toEqual([18, 4, 9, 5]);
  });

  it('docs/formats/layout-parity.md shows exactly these tables', () => {
    const doc = readFileSync(new URL('../../docs/formats/layout-parity.md', import.meta.url), 'utf8');
    expect(doc.slice(doc.indexOf('## split')).trimEnd()).toBe(renderParityTables());
  });
});
