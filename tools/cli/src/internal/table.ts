import { stripAnsi } from './colors.js';

/** One column of a table: its header and how to render a row's cell. */
export interface Column<Row> {
  header: string;
  cell(row: Row): string;
  align?: 'left' | 'right';
}

/**
 * Rows as aligned, space-separated columns with an upper-case header, like `docker images`.
 * Widths count visible characters, so colored cells line up.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  style: { header: (text: string) => string } = { header: (t) => t },
): string {
  const cells = rows.map((row) => columns.map((column) => sanitizeCell(column.cell(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => stripAnsi(line[i] ?? '').length)));
  const render = (line: readonly string[], isHeader: boolean) =>
    line
      .map((cell, i) => {
        const last = i === line.length - 1;
        const width = widths[i] ?? 0;
        const pad = ' '.repeat(Math.max(0, width - stripAnsi(cell).length));
        const text = columns[i]?.align === 'right' ? pad + cell : last ? cell : cell + pad;
        return isHeader ? style.header(text) : text;
      })
      .join('  ')
      .trimEnd();
  return `${[
    render(
      columns.map((c) => c.header),
      true,
    ),
    ...cells.map((line) => render(line, false)),
  ].join('\n')}\n`;
}

/** `key: value` lines with the keys aligned; rows whose value is undefined are left out. */
export function formatFields(fields: readonly (readonly [string, string | undefined])[], style: { key: (text: string) => string } = { key: (t) => t }): string {
  const present = fields.filter((f): f is readonly [string, string] => f[1] !== undefined);
  const width = Math.max(0, ...present.map(([key]) => key.length + 1));
  const indent = ' '.repeat(width + 2);
  return `${present.map(([key, value]) => `${style.key(`${key}:`.padEnd(width))}  ${sanitizeCell(value, true).split(/\r?\n/).join(`\n${indent}`)}`).join('\n')}\n`;
}

// A registry can hold odd text in a description or label; never let it move the cursor or clear
// the screen. Only color escapes (SGR, `ESC[...m`) survive.
// eslint-disable-next-line no-control-regex
const controlPattern = /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g;
function sanitizeCell(text: string, multiline = false): string {
  const cleaned = text.replace(controlPattern, '');
  return multiline ? cleaned : cleaned.replace(/[\r\n\t]+/g, ' ');
}
