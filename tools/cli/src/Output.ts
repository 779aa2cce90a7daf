import type { Writable } from 'node:stream';
import { createColors, type Colors } from './internal/colors.js';
import { formatFields, formatTable, type Column } from './internal/table.js';

/** How results are printed: `table` for people, `json` for programs. */
export type OutputFormat = 'table' | 'json';

/** A writable stream that may be a terminal. */
export type OutputStream = Writable & { isTTY?: boolean; columns?: number };

/**
 * Where a command writes. Results go to stdout, exactly one JSON document in `json` mode;
 * notes and progress go to stderr so that a pipe only ever sees results.
 */
export class Output {
  readonly format: OutputFormat;
  readonly colors: Colors;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;

  constructor(options: { format: OutputFormat; color: boolean; stdout: OutputStream; stderr: OutputStream }) {
    this.format = options.format;
    this.colors = createColors(options.color);
    this.stdout = options.stdout;
    this.stderr = options.stderr;
  }

  /** Print a result: `json` as a stable JSON document, otherwise the text `table()` renders. */
  result(json: unknown, table: () => string): void {
    if (this.format === 'json') this.stdout.write(`${toJson(json)}\n`);
    else this.stdout.write(table());
  }

  /** A table with an upper-case, bold header. */
  table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
    return formatTable(rows, columns, { header: this.colors.bold });
  }

  /** Aligned `key: value` lines. */
  fields(fields: readonly (readonly [string, string | undefined])[]): string {
    return formatFields(fields, { key: this.colors.dim });
  }

  /** A line of text on stdout (table mode only). */
  line(text = ''): void {
    if (this.format !== 'json') this.stdout.write(`${text}\n`);
  }

  /** An informational line on stderr. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }
}

/** JSON with dates as ISO strings, bytes left out and secrets as `[redacted]` (their own `toJSON`). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (key, v: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
      if (raw instanceof Uint8Array) return undefined;
      if (typeof v === 'bigint') return v.toString();
      return v;
    },
    2,
  );
}
