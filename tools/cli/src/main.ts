import { CommanderError } from 'commander';
import { App } from './App.js';
import type { CliIo } from './CliIo.js';
import { ExitCode, exitCodeFor } from './exitCodes.js';
import { createColors, shouldUseColor } from './internal/colors.js';
import { createProgram } from './program.js';
import { renderError, renderErrorJson } from './renderError.js';

/**
 * Run `ecrkit` with `argv` (without the node and script paths) and return the exit code.
 * Nothing here calls `process.exit`, so it can be called from a test or another program.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const app = new App(io);
  app.jsonErrors = requestedOutput(argv, io.env) === 'json';
  const program = createProgram(app);
  const onSignal = () => app.abort(new Error('interrupted'));
  // `on`, not `once`, until done: the state file's lock (proper-lockfile, signal-exit) re-raises a signal that finds no other listener.
  process.on('SIGINT', onSignal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return app.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.Ok;
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return ExitCode.Usage;
    }
    const debug = app.globals?.debug ?? argv.includes('--debug');
    if (app.globals ? app.globals.output === 'json' : app.jsonErrors) {
      io.stderr.write(renderErrorJson(error, { debug, context: app.errorContext }));
    } else {
      const colors = app.output?.colors ?? createColors(shouldUseColor({ flag: !argv.includes('--no-color'), env: io.env, isTTY: io.stderr.isTTY }));
      io.stderr.write(renderError(error, { colors, debug, context: app.errorContext }));
    }
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSignal);
    await app.close();
  }
}

/**
 * The output format the arguments ask for, read before commander parses them, so that a usage
 * error (which stops the parse) is still printed as JSON when JSON was asked for.
 */
export function requestedOutput(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  let output: string | undefined;
  let query = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '-o' || arg === '--output') output = argv[++i];
    else if (arg.startsWith('--output=')) output = arg.slice('--output='.length);
    else if (/^-o[a-z]/.test(arg)) output = arg.slice(2);
    else if (arg === '--query' || arg.startsWith('--query=')) query = true;
  }
  return output ?? (query ? 'json' : env.ECRKIT_OUTPUT);
}
