type StringWidth = typeof import('string-width').default;
type CliTruncate = typeof import('cli-truncate').default;

// string-width builds a grapheme segmenter and Unicode-property regexes when imported (tens of
// milliseconds of start-up), so it and cli-truncate load only when a table is printed.
let support: { stringWidth: StringWidth; cliTruncate: CliTruncate } | undefined;

/** Load what {@link formatTable} measures and cuts with; once per process, before the first table. */
export async function loadTableSupport(): Promise<void> {
  if (support) return;
  const [width, truncate] = await Promise.all([import('string-width'), import('cli-truncate')]);
  support = { stringWidth: width.default, cliTruncate: truncate.default };
}

function loaded(): { stringWidth: StringWidth; cliTruncate: CliTruncate } {
  if (!support) throw new Error('formatTable before loadTableSupport()');
  return support;
}

/** One column of a table: its header and how to render a row's cell. */
export interface Column<Row> {
  header: string;
  cell(row: Row): string;
  align?: 'left' | 'right';
  /** Narrowest this column may be truncated to (default: its header's width, at least 6). */
  minWidth?: number;
}

const gap = 2;

/**
 * Rows as aligned, space-separated columns with an upper-case header, like `docker images`.
 * Widths count what a terminal shows (colors ignored, wide characters double). With `maxWidth`
 * (the terminal's columns), the widest columns are narrowed first and their cells truncated
 * with an ellipsis, so no line wraps; a pipe gets every value whole.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  style: { header: (text: string) => string; maxWidth?: number } = { header: (t) => t },
): string {
  const { stringWidth } = loaded();
  const cells = rows.map((row) => columns.map((column) => sanitizeCell(column.cell(row))));
  const natural = columns.map((column, i) => Math.max(stringWidth(column.header), ...cells.map((line) => stringWidth(line[i] ?? ''))));
  const widths = style.maxWidth === undefined ? natural : fitWidths(natural, columns, style.maxWidth);
  const render = (line: readonly string[], isHeader: boolean) =>
    line
      .map((raw, i) => {
        const width = widths[i] ?? 0;
        const cell = stringWidth(raw) > width ? truncate(raw, width) : raw;
        const pad = ' '.repeat(Math.max(0, width - stringWidth(cell)));
        const last = i === line.length - 1;
        const text = columns[i]?.align === 'right' ? pad + cell : last ? cell : cell + pad;
        return isHeader ? style.header(text) : text;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return `${[
    render(
      columns.map((c) => c.header),
      true,
    ),
    ...cells.map((line) => render(line, false)),
  ].join('\n')}\n`;
}

/** `text` cut to `width` columns, ending with an ellipsis. */
function truncate(text: string, width: number): string {
  const { stringWidth, cliTruncate } = loaded();
  // cli-truncate may end one column over when a double-width character straddles the cut; cut again one shorter.
  for (let target = width; target > 0; target--) {
    const cut = cliTruncate(text, target, { position: 'end' });
    if (stringWidth(cut) <= width) return cut;
  }
  return '';
}

/**
 * Narrow the widest column, one step at a time, until the line fits or every column is at its
 * minimum (then the line is as narrow as it can be and the terminal may still wrap it).
 */
function fitWidths<Row>(natural: readonly number[], columns: readonly Column<Row>[], maxWidth: number): number[] {
  const { stringWidth } = loaded();
  const widths = [...natural];
  const min = columns.map((c, i) => Math.min(natural[i]!, c.minWidth ?? Math.max(stringWidth(c.header), 6)));
  const total = () => widths.reduce((sum, w) => sum + w, 0) + gap * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > min[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    const next = Math.max(0, ...widths.filter((_, i) => i !== widest));
    // Down to the next-widest column or as far as needed, whichever is less; never below the minimum.
    widths[widest] = Math.max(min[widest]!, Math.min(widths[widest]! - 1, Math.max(next, widths[widest]! - (total() - maxWidth))));
  }
  return widths;
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
const controlPattern = /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g;
function sanitizeCell(text: string, multiline = false): string {
  const cleaned = text.replace(controlPattern, '');
  return multiline ? cleaned : cleaned.replace(/[\r\n\t]+/g, ' ');
}
