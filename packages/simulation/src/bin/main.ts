import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SeedFile } from '../seed.js';
import { SimulatedRegistry } from '../SimulatedRegistry.js';
import { loadSnapshot, saveSnapshot } from '../snapshot.js';
import { startSimulationServer } from '../server/startSimulationServer.js';

/** I/O and lifetime of one `ecrkit-sim` run; the entry passes the process's, tests their own. */
export interface MainOptions {
  /** Stops the server (the entry aborts it on SIGINT/SIGTERM). */
  signal?: AbortSignal;
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
  --seed <file>         seed file to load at start (ignored when --state exists)
  --state <file>        snapshot to load if present, and to save after changes and on exit
  --verify-sigv4        require valid SigV4 signatures (--access-key/--secret-key, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
  --lenient             moto-compatible mode: PutImage accepts missing blobs and trusts imageDigest
  --access-key <id>     access key id the server accepts
  --secret-key <key>    its secret access key
  -h, --help            show this help

Prints the server URL on one line once it listens; exits 0 on SIGINT/SIGTERM after saving --state.`;

/**
 * `ecrkit-sim`'s whole behaviour, minus the process: parse `argv`, serve until `signal` aborts.
 * Resolves with the exit code (0 after a clean stop, 1 on a runtime failure, 2 on bad usage).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));

  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', default: '5000' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        state: { type: 'string' },
        'verify-sigv4': { type: 'boolean', default: false },
        lenient: { type: 'boolean', default: false },
        'access-key': { type: 'string' },
        'secret-key': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
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

  let registry: SimulatedRegistry;
  try {
    if (values.state && existsSync(values.state)) {
      registry = await loadSnapshot(values.state, { lenient: values.lenient });
    } else {
      registry = new SimulatedRegistry({ lenient: values.lenient });
      if (values.seed) registry.loadSeed(JSON.parse(await readFile(values.seed, 'utf8')) as SeedFile);
    }
  } catch (e) {
    err(`ecrkit-sim: cannot load ${values.state && existsSync(values.state) ? values.state : values.seed}: ${(e as Error).message}`);
    return 1;
  }

  const statePath = values.state;
  const saveDelayMs = options.saveDelayMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let dirty = false;
  // Saves run one at a time; a change during a save schedules the next one.
  const save = (): Promise<void> => {
    if (!statePath || !dirty) return saving;
    dirty = false;
    saving = saving.then(() => saveSnapshot(registry, statePath)).catch((e: unknown) => err(`ecrkit-sim: saving ${statePath} failed: ${(e as Error).message}`));
    return saving;
  };
  const onMutation = statePath
    ? () => {
        dirty = true;
        clearTimeout(timer);
        timer = setTimeout(() => void save(), saveDelayMs);
      }
    : undefined;

  let server;
  try {
    server = await startSimulationServer({
      registry,
      port,
      host: values.host,
      verifySignatures: values['verify-sigv4'],
      credentials,
      onMutation,
    });
  } catch (e) {
    err(`ecrkit-sim: cannot listen on ${values.host}:${port}: ${(e as Error).message}`);
    return 1;
  }
  out(server.url);

  await new Promise<void>((resolve) => {
    if (!options.signal) return;
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await server.close();
  if (statePath) {
    dirty = true;
    await save();
  }
  return 0;
}
