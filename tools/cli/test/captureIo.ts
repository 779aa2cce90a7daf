import { PassThrough } from 'node:stream';
import type { CliIo } from '../src/CliIo.js';

/** In-process streams for `main` or an `App`, with what was written to each. */
export function captureIo(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() }, out: () => out, err: () => err };
}
