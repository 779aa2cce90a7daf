import type { Writable } from 'node:stream';
import type { JSONValue } from '@jmespath-community/jmespath';
import type { CliOutputs, OutputName } from './CliOutputs.js';
import { createColors, type Colors } from './internal/colors.js';
import { formatFields, formatTable, type Column } from './internal/table.js';
import { formatText } from './internal/textFormat.js';
import type { Query } from './query.js';

/** How results are printed: `table` for people, `json` and `text` for programs. */
export type OutputFormat = 'table' | 'json' | 'text';

/** A writable stream that may be a terminal. */
export type OutputStream = Writable & { isTTY?: boolean; columns?: number };

/**
 * Where a command writes. Results go to stdout: in `json` mode exactly one JSON document, in
 * `text` mode the AWS CLI's tab-separated lines, otherwise the table the command renders.
 * Notes and progress go to stderr, so a pipe only ever sees results.
 */
export class Output {
  readonly format: OutputFormat;
  readonly colors: Colors;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly #query: Query | undefined;
  readonly #verbose: boolean;

  constructor(options: { format: OutputFormat; color: boolean; stdout: OutputStream; stderr: OutputStream; query?: Query; verbose?: boolean }) {
    this.format = options.format;
    this.colors = createColors(options.color);
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.#query = options.query;
    this.#verbose = options.verbose === true;
  }

  /**
   * Print a command's result. `name` is the command path whose schema (`schema/v1/<name>.schema.json`)
   * `data` follows; `json` and `text` print the data (after `--query`), `table` the text `table()` renders.
   */
  result<K extends OutputName>(name: K, data: CliOutputs[K], table: () => string): void {
    // `name` ties `data` to its schema for the type checker; what is printed depends only on the format.
    void name;
    if (this.format === 'table') {
      this.stdout.write(table());
      return;
    }
    const document = this.document(data);
    this.stdout.write(this.format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : formatText(document));
  }

  /** The result as the JSON document `--output json` prints: plain JSON, `--query` applied. */
  document(data: unknown): JSONValue {
    const plain = toJsonValue(data);
    return this.#query ? this.#query(plain) : plain;
  }

  /** The usable width of stdout for tables: the terminal's columns, or unlimited for a pipe or file. */
  get width(): number | undefined {
    const columns = this.stdout.columns;
    return this.stdout.isTTY === true && typeof columns === 'number' && columns > 0 ? columns : undefined;
  }

  /** A table with an upper-case, bold header, fitted to the terminal's width (table support must be loaded: `App` does it for `--output table`). */
  table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
    return formatTable(rows, columns, { header: this.colors.bold, ...(this.width ? { maxWidth: this.width } : {}) });
  }

  /** Aligned `key: value` lines. */
  fields(fields: readonly (readonly [string, string | undefined])[]): string {
    return formatFields(fields, { key: this.colors.dim });
  }

  /** A line on stderr that matters whatever the mode (a warning, what a gate decided, where a secret went). */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** A line on stderr for a person watching: shown with `--verbose` or when stderr is a terminal, never in a script's logs otherwise. */
  info(text: string): void {
    if (this.#verbose || this.stderr.isTTY === true) this.stderr.write(`${text}\n`);
  }
}

/** The value as plain JSON: dates as ISO strings, bytes left out, secrets as `[redacted]` (their own `toJSON`). */
export function toJsonValue(value: unknown): JSONValue {
  const text = JSON.stringify(value, function (key, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
    if (raw instanceof Uint8Array) return undefined;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return text === undefined ? null : (JSON.parse(text) as JSONValue);
}
