import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  describeServeFailure,
  formatServeFailure,
  resolveServeOptions,
  ServeExitCode,
  serveExitCodeHelp,
  serveFlags,
  type ServeFlagValues,
  type ServeSettings,
} from '../resolveServeOptions.js';
import { runSimulationServer } from '../runSimulationServer.js';

/** I/O and lifetime of one `ecrkit-sim` run; the entry uses the defaults, tests pass their own. */
export interface MainOptions {
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Process signals that stop the server; default SIGINT and SIGTERM (tests in process pass `[]`). */
  stopOnSignals?: readonly NodeJS.Signals[];
  /** One line to standard output. */
  out?: (line: string) => void;
  /** One line to standard error. */
  err?: (line: string) => void;
  /** Quiet time after a mutating request before the state file is written; default 200 ms. */
  saveDelayMs?: number;
  /** Environment variables (the key pair); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths resolve against; default `process.cwd()`. */
  cwd?: string;
}

const flagWidth = Math.max(...serveFlags.map((f) => `--${f.name}${'value' in f ? ` ${f.value}` : ''}`.length)) + 2;

const usage = `Usage: ecrkit-sim serve [options]

Serve a simulated Amazon ECR (AWS JSON 1.1, private and Public) over HTTP.
The same command as \`ecrkit sim serve\`: same flags, defaults and exit codes.

Options:
${serveFlags.map((f) => `  ${`--${f.name}${'value' in f ? ` ${f.value}` : ''}`.padEnd(flagWidth)}${f.description}`).join('\n')}
  ${'-h, --help'.padEnd(flagWidth)}show this help

Secrets: prefer --secret-key-file or AWS_SECRET_ACCESS_KEY to --secret-key, whose value
other users of the machine can read in \`ps\`.
Prints the server URL on one line once it listens.
${serveExitCodeHelp}`;

const argOptions: NonNullable<ParseArgsConfig['options']> = {
  ...Object.fromEntries(serveFlags.map((f) => [f.name, { type: 'value' in f ? 'string' : 'boolean' } as const])),
  help: { type: 'boolean', short: 'h' },
};

/**
 * `ecrkit-sim`'s whole behaviour: parse `argv`, then `runSimulationServer` until `signal` aborts
 * or SIGINT/SIGTERM arrives. Flags, defaults, validation and messages come from
 * `resolveServeOptions`, shared with `ecrkit sim serve`.
 * Resolves with the exit code (`ServeExitCode`: 0 after a clean stop, 2 on bad usage or an
 * unreadable seed or state, 5 when it cannot listen).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));

  let values: ServeFlagValues & { help?: boolean };
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: argOptions });
    values = parsed.values as ServeFlagValues & { help?: boolean };
    positionals = parsed.positionals;
  } catch (e) {
    err(`ecrkit-sim: ${(e as Error).message}`);
    err(usage);
    return ServeExitCode.Usage;
  }
  if (values.help) {
    out(usage);
    return ServeExitCode.Ok;
  }
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    err(positionals.length === 0 ? 'ecrkit-sim: missing command' : `ecrkit-sim: unknown command '${positionals.join(' ')}'`);
    err(usage);
    return ServeExitCode.Usage;
  }

  let settings: ServeSettings | undefined;
  try {
    settings = await resolveServeOptions(values, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() });
    if (options.signal?.aborted) return ServeExitCode.Ok;
    const running = await runSimulationServer({
      ...settings.options,
      saveDelayMs: options.saveDelayMs,
      signal: options.signal,
      stopOnSignals: options.stopOnSignals,
      onSaveError: (error, path) => err(`ecrkit-sim: saving ${path} failed: ${error.message}`),
    });
    out(running.url);
    await running.stopped;
    return ServeExitCode.Ok;
  } catch (e) {
    const failure = describeServeFailure(e, settings);
    if (!failure) throw e;
    err(`ecrkit-sim: ${formatServeFailure(failure)}`);
    return failure.exitCode;
  }
}
