import { PassThrough } from 'node:stream';
import type { CliIo } from '../src/CliIo.js';

/**
 * In-process streams for `main` or an `App`, with what was written to each. `columns` makes
 * stdout a terminal of that width; `stderrTTY` makes stderr a terminal.
 */
export function captureIo(options: { cwd?: string; env?: NodeJS.ProcessEnv; columns?: number; stderrTTY?: boolean; stdin?: NodeJS.ReadableStream } = {}): {
  io: CliIo;
  out: () => string;
  err: () => string;
} {
  const stdout = Object.assign(new PassThrough(), options.columns === undefined ? {} : { isTTY: true, columns: options.columns });
  const stderr = Object.assign(new PassThrough(), options.stderrTTY ? { isTTY: true } : {});
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const io: CliIo = { stdout, stderr, env: options.env ?? {}, cwd: options.cwd ?? process.cwd(), ...(options.stdin ? { stdin: options.stdin } : {}) };
  return { io, out: () => out, err: () => err };
}
