/**
 * Plain-text tables for human output: columns padded to the widest cell, numbers right-aligned.
 *
 * @module
 */

/** Formats `rows` under `header` as lines of text; cells that look like numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[0-9][0-9/.]*$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((c, i) => (numeric[i] === true ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
