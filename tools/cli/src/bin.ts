#!/usr/bin/env node
import { main } from './main.js';

// `ecrkit images web-app | head -1` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // Only a command given `-` touches standard input.
  get stdin() {
    return process.stdin;
  },
});
