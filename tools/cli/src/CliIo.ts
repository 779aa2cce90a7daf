import type { OutputStream } from './Output.js';

/** The process's streams and environment, passed in so `main` is a plain function. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
