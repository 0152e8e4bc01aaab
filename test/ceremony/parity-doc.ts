/** Renders the parity tables as the markdown of docs/formats/layout-parity.md (test/ceremony/layout-parity.test.ts). */
import { LAYOUTS, PARITY } from '../../src/ceremony/layout-options.js';

export function renderParityTables(): string {
  return Object.entries(PARITY)
    .map(([command, table]) => {
      const rows = Object.entries(table).map(([option, row]) => `| \`--${option}\` | ${LAYOUTS.map((l) => (row[l] === true ? 'yes' : `refused: ${String(row[l])}`)).join(' | ')} |`);
      return [`## ${command}`, '', `| option | ${LAYOUTS.join(' | ')} |`, `|---|${LAYOUTS.map(() => '---').join('|')}|`, ...rows].join('\n');
    })
    .join('\n\n');
}
