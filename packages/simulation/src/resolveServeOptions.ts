import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidParameter } from '@ecrkit/core-types';
import { demoSeed } from './demoSeed.js';
import { objectArgument, optionsArgument, stringArgument } from './internal/arguments.js';
import { SimulationStartError, type RunSimulationServerOptions } from './runSimulationServer.js';
import { publicUrlProblem } from './server/startSimulationServer.js';

// The one definition of `serve`'s flags, defaults, validation, exit codes and messages, shared by
// both front doors: the `ecrkit-sim serve` bin and `ecrkit sim serve`. Each front door only
// parses argv its own way (node:util parseArgs, commander) and prints.

/** Defaults of `serve`: port 4510 (5000 is moto's default and macOS's AirPlay receiver), the demo seed. */
export const serveDefaults = {
  port: 4510,
  host: '127.0.0.1',
  seed: 'demo',
  maxBodyMib: 32,
  bodyBudgetMib: 256,
} as const;

/** One flag of `serve`, as both front doors declare it. */
export interface ServeFlag {
  /** Long name without dashes (`public-url`). */
  readonly name: string;
  /** Placeholder of its value (`<url>`); absent for a switch. */
  readonly value?: string;
  /** One line of help. */
  readonly description: string;
}

/** Every flag of `serve`, in help order. */
export const serveFlags = [
  { name: 'port', value: '<port>', description: `TCP port (default ${serveDefaults.port}; 0 picks a free one)` },
  { name: 'host', value: '<addr>', description: `interface to bind (default ${serveDefaults.host}; 0.0.0.0 for all)` },
  {
    name: 'public-url',
    value: '<url>',
    description:
      'the origin clients reach the server at, used in the URLs it hands out: blob downloads, repository URIs, login commands (default http://<host>:<port>)',
  },
  { name: 'seed', value: '<seed>', description: "initial state without a state file: 'demo' (default), 'empty', or a seed or snapshot JSON file" },
  { name: 'state', value: '<file>', description: 'state file: loaded if it exists (the seed is then ignored), saved after changes and on exit' },
  { name: 'lenient', description: 'moto-compatible mode: PutImage accepts missing blobs and trusts imageDigest' },
  { name: 'anonymous', description: 'the registry (/v2/) also serves docker and skopeo without credentials (default: ECR logins only)' },
  { name: 'verify-sigv4', description: 'require SigV4 signatures on every API call, reset and blob download (key pair below)' },
  { name: 'access-key', value: '<id>', description: 'access key id clients sign with (default: AWS_ACCESS_KEY_ID)' },
  { name: 'secret-key-file', value: '<file>', description: 'file holding its secret access key (default: AWS_SECRET_ACCESS_KEY)' },
  {
    name: 'secret-key',
    value: '<key>',
    description: 'the secret access key itself; it shows in `ps` to every user of the machine, prefer --secret-key-file or AWS_SECRET_ACCESS_KEY',
  },
  { name: 'max-body-mib', value: '<n>', description: `largest request body, MiB (default ${serveDefaults.maxBodyMib})` },
  {
    name: 'body-budget-mib',
    value: '<n>',
    description: `request bodies held at once across all connections, MiB (default ${serveDefaults.bodyBudgetMib}); more get 503 with Retry-After`,
  },
] as const satisfies readonly ServeFlag[];

/** The name of a `serve` flag. */
export type ServeFlagName = (typeof serveFlags)[number]['name'];

/** Flag values as a front door parsed them: strings for flags with a value, booleans for switches, by flag name. */
export type ServeFlagValues = Partial<Record<ServeFlagName, string | boolean>>;

/** Exit codes of `serve` on both front doors (the same numbers as `ecrkit`'s). */
export const ServeExitCode = {
  /** Stopped by SIGINT or SIGTERM (or the caller's signal), state saved. */
  Ok: 0,
  /** A bad flag or value, a missing key pair, a seed, state or secret file that is not valid (or a state path that cannot be a file). */
  Usage: 2,
  /** The server could not start serving: the port is taken, the interface does not exist, the state file is locked by another process or cannot be read or written. */
  Unavailable: 5,
} as const;
/** An exit code of `serve`. */
export type ServeExitCode = (typeof ServeExitCode)[keyof typeof ServeExitCode];

/** The exit codes as both front doors' help shows them. */
export const serveExitCodeHelp = `Exit codes: 0 stopped by SIGINT/SIGTERM (state saved), 2 usage error or a seed, state or secret file that is not valid, 5 cannot listen or the state file is locked or cannot be read or written.`;

/** A `serve` usage error: exit 2 with `message` and a `hint` on how to fix it. */
export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
  readonly hint: string | undefined;
  readonly exitCode = ServeExitCode.Usage;

  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    stringArgument(message, 'message');
    if (hint !== undefined) stringArgument(hint, 'hint');
    super(message, optionsArgument<{ cause?: unknown }>(options, ['cause']));
    this.hint = hint;
  }
}

/** What {@link resolveServeOptions} settles: the runner's options and how the user named the files. */
export interface ServeSettings {
  /** For `runSimulationServer`; the front door adds `signal`, `stopOnSignals` and `onSaveError`. */
  options: RunSimulationServerOptions;
  /** `--seed` as given (`demo`, `empty` or the path typed), for messages. */
  seedName: string;
  /** `--state` as given, for messages. */
  stateName: string | undefined;
}

/** Where {@link resolveServeOptions} reads the environment and resolves relative paths. */
export interface ServeEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Validate `serve`'s flags and environment into `runSimulationServer` options: defaults, seeds
 * by name (`demo`, `empty`), the key pair from flags, a file or `AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`, body limits, the public URL.
 *
 * @throws ServeUsageError naming the flag and the rule (exit code 2).
 */
export async function resolveServeOptions(values: ServeFlagValues, environment: ServeEnvironment): Promise<ServeSettings> {
  values = optionsArgument<ServeFlagValues>(
    values,
    serveFlags.map((flag) => flag.name),
    'values',
  );
  environment = objectArgument<ServeEnvironment>(environment, ['env', 'cwd'], 'environment');
  if (typeof environment.env !== 'object' || environment.env === null) throw invalidParameter('environment.env', 'must be an object of environment variables');
  stringArgument(environment.cwd, 'environment.cwd');
  const text = (name: ServeFlagName): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const port = wholeNumber('port', text('port') ?? String(serveDefaults.port), 0, 65535);
  const maxBodyMib = wholeNumber('max-body-mib', text('max-body-mib') ?? String(serveDefaults.maxBodyMib), 1, 4096);
  const bodyBudgetMib = wholeNumber('body-budget-mib', text('body-budget-mib') ?? String(serveDefaults.bodyBudgetMib), 1, 65536);
  if (bodyBudgetMib < maxBodyMib) {
    throw new ServeUsageError(
      `--body-budget-mib (${bodyBudgetMib}) must be at least --max-body-mib (${maxBodyMib})`,
      'A body larger than the budget could never be admitted.',
    );
  }
  const publicUrl = text('public-url');
  const problem = publicUrl === undefined ? undefined : publicUrlProblem(publicUrl);
  if (problem) throw new ServeUsageError(`--public-url ${problem}`);

  const seedName = text('seed') ?? serveDefaults.seed;
  const seed = seedName === 'demo' ? demoSeed : seedName === 'empty' ? undefined : resolve(environment.cwd, seedName);
  const stateName = text('state');
  const credentials = await keyPair(values, text, environment.env);
  const verify = values['verify-sigv4'] === true;
  if (verify && !credentials) {
    throw new ServeUsageError(
      '--verify-sigv4 needs the key pair clients will sign with',
      'Pass --access-key with --secret-key-file, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values; clients must sign with the same).',
    );
  }
  const mib = 1024 * 1024;
  return {
    seedName,
    stateName,
    options: {
      port,
      host: text('host') ?? serveDefaults.host,
      ...(publicUrl !== undefined ? { publicUrl } : {}),
      verifySignatures: verify,
      credentials: credentials ? [credentials] : [],
      maxBodyBytes: maxBodyMib * mib,
      maxBodyBytesInFlight: bodyBudgetMib * mib,
      statePath: stateName === undefined ? undefined : resolve(environment.cwd, stateName),
      seed,
      registryOptions: { lenient: values.lenient === true },
      registryAuth: values.anonymous === true ? 'anonymous' : 'token',
    },
  };
}

function wholeNumber(flag: ServeFlagName, value: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new ServeUsageError(`--${flag} must be a whole number from ${min} to ${max}, got '${value.slice(0, 40)}'`);
  return n;
}

// Flags first, then the environment; never a mix of a flag's key id with the environment's secret.
async function keyPair(
  values: ServeFlagValues,
  text: (name: ServeFlagName) => string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ accessKeyId: string; secretAccessKey: string } | undefined> {
  const accessKeyId = text('access-key');
  const secretFlag = text('secret-key');
  const secretFile = text('secret-key-file');
  if (secretFlag !== undefined && secretFile !== undefined) throw new ServeUsageError('--secret-key and --secret-key-file cannot be used together');
  if (accessKeyId === undefined && secretFlag === undefined && secretFile === undefined) {
    const fromEnv = { id: env.AWS_ACCESS_KEY_ID, secret: env.AWS_SECRET_ACCESS_KEY };
    return fromEnv.id && fromEnv.secret ? { accessKeyId: fromEnv.id, secretAccessKey: fromEnv.secret } : undefined;
  }
  if (!accessKeyId || (secretFlag === undefined && secretFile === undefined)) {
    throw new ServeUsageError(
      '--access-key goes with --secret-key-file (or --secret-key)',
      values['secret-key'] !== undefined || secretFile !== undefined ? 'Pass --access-key too.' : 'Pass --secret-key-file with a file holding the secret.',
    );
  }
  const secret = secretFlag ?? (await readSecret(secretFile!));
  if (secret.length === 0) throw new ServeUsageError('--secret-key must not be empty');
  return { accessKeyId, secretAccessKey: secret };
}

async function readSecret(path: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ServeUsageError(`cannot read --secret-key-file ${path}: ${(cause as NodeJS.ErrnoException).code ?? messageOf(cause)}`, undefined, { cause });
  }
  // One trailing line break is the file's, not the secret's (echo, editors).
  const secret = content.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new ServeUsageError(`--secret-key-file ${path} is empty`);
  return secret;
}

/** How a failure to start reads on either front door: exit code, one-line message, hint. */
export interface ServeFailure {
  exitCode: ServeExitCode;
  message: string;
  hint: string | undefined;
}

/**
 * The exit code, message and hint for a failure of {@link resolveServeOptions} or of
 * `runSimulationServer` at start; `undefined` for anything else (a bug: let it surface).
 */
export function describeServeFailure(error: unknown, settings?: Pick<ServeSettings, 'seedName' | 'stateName' | 'options'>): ServeFailure | undefined {
  if (error instanceof ServeUsageError) return { exitCode: ServeExitCode.Usage, message: error.message, hint: error.hint };
  if (!(error instanceof SimulationStartError)) return undefined;
  const reason = messageOf(error.cause);
  if (error.stage === 'listen') {
    const where = `${settings?.options.host ?? serveDefaults.host}:${settings?.options.port ?? serveDefaults.port}`;
    return {
      exitCode: ServeExitCode.Unavailable,
      message: `Could not listen on ${where}: ${reason}`,
      hint: 'Pick another --port, or --port 0 for a free one.',
    };
  }
  const named = error.path !== undefined && error.path === settings?.options.statePath ? settings.stateName : (settings?.seedName ?? error.path ?? 'the seed');
  // A state file another process holds, or one that cannot be read or written, is not a usage mistake.
  if (error.reason === 'locked' || error.reason === 'io') {
    return {
      exitCode: ServeExitCode.Unavailable,
      message: reason,
      hint: error.reason === 'locked' ? 'Another ecrkit command or server is using the state file: stop it, or pass another --state.' : undefined,
    };
  }
  return {
    exitCode: ServeExitCode.Usage,
    message: `Could not load ${named}: ${reason}`,
    hint: 'Pass a seed or snapshot file written by ecrkit, or --seed demo / --seed empty.',
  };
}

/** A failure as one line: the message, ended with a period, then the hint (as `ecrkit` prints errors). */
export function formatServeFailure(failure: ServeFailure): string {
  failure = objectArgument<ServeFailure>(failure, ['exitCode', 'message', 'hint'], 'failure');
  stringArgument(failure.message, 'failure.message');
  if (failure.hint !== undefined) stringArgument(failure.hint, 'failure.hint');
  const message = failure.message.replace(/\s*\n\s*/g, ' ').trim();
  return `${/[.!?]$/.test(message) ? message : `${message}.`}${failure.hint ? ` ${failure.hint}` : ''}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
