/**
 * Renders rows as left-aligned columns separated by two spaces, with a header row. Cells are
 * single-line; the last column is not padded, so lines carry no trailing blanks.
 *
 * @example
 * ```ts
 * renderTable(['ID', 'VALUE'], [['a1', 'example.de']]);
 * // 'ID  VALUE\na1  example.de\n'
 * ```
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows].map((row) => headers.map((_, i) => (row[i] ?? '').replace(/\s+/g, ' ')));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  const lines = all.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
      )
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Renders `label value` pairs with the labels padded to one width (at least `minWidth`, so that
 * blocks rendered apart line up), each line indented.
 */
export function renderFields(
  fields: readonly (readonly [string, string])[],
  indent: string,
  minWidth = 0,
): string {
  const width = Math.max(minWidth, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}\n`).join('');
}
