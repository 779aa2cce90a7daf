import type { OutputStream } from './Output.js';

/** The process's streams and environment, passed in so `main` is a plain function. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input, for a `-` in place of a file; without it, `-` is a usage error. */
  stdin?: NodeJS.ReadableStream;
}
