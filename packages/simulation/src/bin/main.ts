import { parseArgs } from 'node:util';
import { runSimulationServer, SimulationStartError } from '../runSimulationServer.js';

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
}

const usage = `Usage: ecrkit-sim serve [options]

Serve a simulated Amazon ECR (AWS JSON 1.1, private and Public) over HTTP.

Options:
  --port <n>            TCP port (default 5000; 0 picks a free one)
  --host <addr>         interface to bind (default 127.0.0.1)
  --seed <file>         seed (or snapshot) file to load at start (ignored when --state exists)
  --state <file>        snapshot to load if present, and to save after changes and on exit
  --verify-sigv4        require valid SigV4 signatures (--access-key/--secret-key, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
  --lenient             moto-compatible mode: PutImage accepts missing blobs and trusts imageDigest
  --access-key <id>     access key id the server accepts
  --secret-key <key>    its secret access key
  -h, --help            show this help

Prints the server URL on one line once it listens; exits 0 on SIGINT/SIGTERM after saving --state.`;

/**
 * `ecrkit-sim`'s whole behaviour: parse `argv`, then `runSimulationServer` until `signal` aborts
 * or SIGINT/SIGTERM arrives.
 * Resolves with the exit code (0 after a clean stop, 1 on a runtime failure, 2 on bad usage).
 */
const argOptions = {
  port: { type: 'string', default: '5000' },
  host: { type: 'string', default: '127.0.0.1' },
  seed: { type: 'string' },
  state: { type: 'string' },
  'verify-sigv4': { type: 'boolean', default: false },
  lenient: { type: 'boolean', default: false },
  'access-key': { type: 'string' },
  'secret-key': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));

  let parsed: ReturnType<typeof parseArgs<{ options: typeof argOptions; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: argOptions,
    });
  } catch (e) {
    err(`ecrkit-sim: ${(e as Error).message}`);
    err(usage);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(usage);
    return 0;
  }
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    err(positionals.length === 0 ? 'ecrkit-sim: missing command' : `ecrkit-sim: unknown command '${positionals.join(' ')}'`);
    err(usage);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    err(`ecrkit-sim: --port must be an integer from 0 to 65535, got '${values.port}'`);
    return 2;
  }
  const accessKeyId = values['access-key'] ?? process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = values['secret-key'] ?? process.env.AWS_SECRET_ACCESS_KEY;
  if ((values['access-key'] === undefined) !== (values['secret-key'] === undefined)) {
    err('ecrkit-sim: --access-key and --secret-key go together');
    return 2;
  }
  const credentials = accessKeyId && secretAccessKey ? [{ accessKeyId, secretAccessKey }] : [];
  if (values['verify-sigv4'] && credentials.length === 0) {
    err('ecrkit-sim: --verify-sigv4 needs --access-key and --secret-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
    return 2;
  }
  if (options.signal?.aborted) return 0;

  let running: Awaited<ReturnType<typeof runSimulationServer>>;
  try {
    running = await runSimulationServer({
      port,
      host: values.host,
      verifySignatures: values['verify-sigv4'],
      credentials,
      statePath: values.state,
      seed: values.seed,
      registryOptions: { lenient: values.lenient },
      saveDelayMs: options.saveDelayMs,
      signal: options.signal,
      stopOnSignals: options.stopOnSignals,
      onSaveError: (error, path) => err(`ecrkit-sim: saving ${path} failed: ${error.message}`),
    });
  } catch (e) {
    if (!(e instanceof SimulationStartError)) throw e;
    err(`ecrkit-sim: ${e.message}`);
    // A state or seed file that is not valid, or a path that cannot be one, is bad usage.
    return e.reason === 'invalid' || e.reason === 'unusable' ? 2 : 1;
  }
  out(running.url);
  await running.stopped;
  return 0;
}
