import { relative, resolve } from 'node:path';
import { ecrConfig, type EcrConfig, type Transport } from '@ecrkit/core-types';
import { createClient, type EcrClient } from '@ecrkit/services';
import type { SimulatedRegistry, StateFile } from '@ecrkit/simulation';
import type { GlobalOptions } from './App.js';
import type { CliIo } from './CliIo.js';
import { CliError } from './CliError.js';
import { ExitCode } from './exitCodes.js';
import type { Output } from './Output.js';

/** An open connection to one target: the client, and for the simulation its registry and state file. */
export interface Session {
  target: 'sim' | 'aws';
  client: EcrClient;
  config: EcrConfig;
  /** The embedded registry (sim target only). */
  registry?: SimulatedRegistry;
  /** Where requests go, for error hints: the endpoint URL or the state file. */
  endpoint?: string;
  /** Poll faster than against AWS: the embedded simulation scans and replicates in about a second. */
  pollIntervalMs?: number;
  /**
   * The client for another registry (account) or region: with `--account-profile` for that
   * account (AWS only), a client of its own with that profile; otherwise the session's, pointed
   * there (`forRegistry`: the same credentials).
   */
  clientFor(target: { registryId: string; region: string }): EcrClient;
  /** Persist the simulation's changes (appended to the state file and flushed to disk); nothing for AWS. */
  save(): Promise<void>;
  /**
   * Embedded simulation only: serve its registry (`/v2/`) on a free local port for the rest of the
   * run, and return the URL (the same server every time). `ecrkit copy` and `pull` read and write
   * through it like through any registry.
   */
  serveRegistry?(): Promise<string>;
  close(): Promise<void>;
}

/** The region and account of the demo seed. */
export const simRegion = 'us-east-1';
export const simAccountId = '123456789012';

/** Open the target the global options name. */
export async function openSession(globals: GlobalOptions, io: CliIo, out: Output): Promise<Session> {
  return globals.target === 'aws' ? openAwsSession(globals, io) : openSimSession(globals, io, out);
}

/** How long a command waits while another process (a command, `ecrkit sim serve`) uses the state file. */
const stateLockWaitMs = 10_000;

/**
 * The embedded simulation: state from `--state`, created from the demo seed on first use. The
 * file is locked for the whole command (other commands wait up to 10 s), read under the lock,
 * and the command's changes are appended to it and flushed to disk before the command reports
 * them, so concurrent commands never lose an update and a killed one loses nothing it reported.
 */
async function openSimSession(globals: GlobalOptions, io: CliIo, out: Output): Promise<Session> {
  const sim = await import('@ecrkit/simulation');
  const statePath = resolve(io.cwd, globals.state);
  const rel = relative(io.cwd, statePath);
  const shown = rel && !rel.startsWith('..') ? rel : statePath;
  let file: StateFile;
  try {
    file = await sim.StateFile.open(statePath, { initial: () => createDemoRegistry(sim), lockWaitMs: stateLockWaitMs });
  } catch (error) {
    throw stateFileFailure(sim, error, shown);
  }
  const registry = file.registry;
  configureFastProgress(registry);
  out.info(
    out.colors.dim(
      `ecrkit: target sim (embedded simulation, state in ${shown}${file.created ? ', created from the demo seed' : ''}); use --target aws for a real registry`,
    ),
  );
  const session = simSession(sim, registry, globals, {
    endpoint: `the embedded simulation (${shown})`,
    save: async () => {
      try {
        await file.save();
      } catch (error) {
        throw stateFileFailure(sim, error, shown);
      }
    },
  });
  return {
    ...session,
    close: async () => {
      await session.close();
      // The command saved (and reported any failure) already; this releases the lock.
      await file.close().catch(() => undefined);
    },
  };
}

/** A state file that cannot be used, as a CLI error: its content or path is bad usage (exit 2), anything else exit 5. */
function stateFileFailure(sim: SimulationModule, error: unknown, shown: string): unknown {
  if (!(error instanceof sim.StateFileError)) return error;
  const detail = error.cause instanceof Error && error.reason === 'invalid' ? error.cause.message : error.message;
  switch (error.reason) {
    case 'invalid':
      return new CliError(`The simulation state file ${shown} is not a valid ecrkit snapshot: ${detail}`, {
        exitCode: ExitCode.Usage,
        hint: 'Delete it to start again from the demo seed, or pass --state with another file.',
        cause: error,
      });
    case 'unusable':
      return new CliError(error.message, { exitCode: ExitCode.Usage, hint: 'Pass --state with a file in a folder you can write to.', cause: error });
    case 'locked':
      return new CliError(error.message, {
        exitCode: ExitCode.Service,
        hint: 'Another ecrkit command or `ecrkit sim serve` is using it: try again when it is done, or send commands to the server with --target aws --endpoint <its URL>.',
        cause: error,
      });
    default:
      return new CliError(`${error.message}; the change is not saved`, { exitCode: ExitCode.Service, cause: error });
  }
}

/** A fresh demo registry, in memory only (the `demo` command uses one so it never touches state). */
export async function openDemoSession(globals: GlobalOptions): Promise<Session> {
  const sim = await import('@ecrkit/simulation');
  const registry = createDemoRegistry(sim);
  configureFastProgress(registry);
  return simSession(sim, registry, globals, { endpoint: 'the embedded simulation', save: async () => undefined });
}

type SimulationModule = typeof import('@ecrkit/simulation');

function createDemoRegistry(sim: SimulationModule): SimulatedRegistry {
  const registry = new sim.SimulatedRegistry({ accountId: simAccountId, region: simRegion });
  registry.loadSeed(sim.demoSeed);
  return registry;
}

/**
 * Real scans take minutes; on the embedded simulation a scan started from now on finishes in
 * about a second of real time (time-driven steps), so `scan --wait` shows progress without
 * making anyone wait, and a scan started without `--wait` is done by the next command.
 */
function configureFastProgress(registry: SimulatedRegistry): void {
  registry.configureScanProgression({ sequence: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'], advanceOn: 'time', stepMs: 450 });
}

function simSession(
  sim: SimulationModule,
  registry: SimulatedRegistry,
  globals: GlobalOptions,
  options: { endpoint: string; save: () => Promise<void> },
): Session {
  const config = ecrConfig()
    .region(globals.region ?? simRegion)
    .registryId(globals.registryId ?? simAccountId)
    .auth({ type: 'default' })
    .build();
  const transport = sim.createSimulatedTransport(registry);
  const client = createClient(config, { transport });
  let served: Promise<{ url: string; close(): Promise<void> }> | undefined;
  return {
    target: 'sim',
    client,
    config,
    // One simulated world: every account is reachable with the session's credentials.
    clientFor: (target) => client.forRegistry(target),
    registry,
    endpoint: options.endpoint,
    pollIntervalMs: 200,
    save: options.save,
    serveRegistry: async () => {
      if (!served) served = sim.startSimulationServer({ registry, port: 0 });
      return (await served).url;
    },
    close: async () => {
      await transport.destroy?.();
      if (served) await (await served).close();
    },
  };
}

/**
 * A real registry, or any ECR-compatible endpoint: configuration from the environment, then
 * the flags; `@ecrkit/client` builds each client from its config alone (the SigV4 transport,
 * or with `--transport sdk` the SDK one, behind the default pipeline). Another account with an
 * `--account-profile` gets a client (and pipeline) of its own, made on first use. The modules
 * are imported on demand, so the simulation target never loads the AWS SDK or undici.
 */
async function openAwsSession(globals: GlobalOptions, io: CliIo): Promise<Session> {
  if (!globals.region && !io.env.AWS_REGION && !io.env.AWS_DEFAULT_REGION) {
    throw new CliError('--target aws needs a region', { exitCode: ExitCode.Usage, hint: 'Pass --region (for example --region us-east-1) or set AWS_REGION.' });
  }
  const configFor = (overrides: { profile?: string; region?: string; registryId?: string } = {}) => {
    let builder = ecrConfig().fromEnv(io.env);
    if (overrides.region ?? globals.region) builder = builder.region((overrides.region ?? globals.region)!);
    if (overrides.profile ?? globals.profile) builder = builder.auth({ type: 'profile', profile: (overrides.profile ?? globals.profile)! });
    if (globals.endpoint) builder = builder.endpointUrl(globals.endpoint);
    if (overrides.registryId ?? globals.registryId) builder = builder.registryId((overrides.registryId ?? globals.registryId)!);
    return builder.build();
  };
  const config = configFor();
  const clientOf = await awsClients(globals, io);
  const client = clientOf(config);
  const others = new Map<string, EcrClient>();
  return {
    target: 'aws',
    client,
    config,
    clientFor: (target) => {
      const profile = globals.accountProfiles[target.registryId];
      if (!profile || (target.registryId === config.registryId && target.region === config.region)) return client.forRegistry(target);
      const key = `${target.registryId}/${target.region}`;
      let other = others.get(key);
      if (!other) {
        other = clientOf(configFor({ profile, region: target.region, registryId: target.registryId }));
        others.set(key, other);
      }
      return other;
    },
    endpoint: globals.endpoint ?? `ECR in ${config.region}`,
    save: async () => undefined,
    // Each client owns the transport it built (clients from forRegistry share the session's).
    close: async () => {
      await Promise.all([client, ...others.values()].map((c) => c.destroy()));
    },
  };
}

/** Loads the modules, then makes a client from a config: `@ecrkit/client`'s default, over the SDK transport with `--transport sdk`. */
async function awsClients(globals: Pick<GlobalOptions, 'transport' | 'debug'>, io: Pick<CliIo, 'stderr'>): Promise<(config: EcrConfig) => EcrClient> {
  const { createClient: createDefaultClient } = await import('@ecrkit/client');
  let createSdkTransport: ((config: EcrConfig) => Transport) | undefined;
  if (globals.transport === 'sdk') {
    // The SDK nags about Node 20 on stderr; this package supports Node 20, so a CLI user gains
    // nothing from it (an explicit setting in the environment still wins).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    createSdkTransport = (await import('@ecrkit/transport-sdk')).createSdkTransport;
  }
  // With --debug, one redacted log line per call (the pipeline redacts before logging).
  const logger = globals.debug ? stderrLogger(io.stderr) : undefined;
  return (config) => createDefaultClient(config, { ...(createSdkTransport ? { wire: createSdkTransport(config) } : {}), ...(logger ? { logger } : {}) });
}

/**
 * An `EcrClient` of its own for a configuration (the registry commands' clients for each side's
 * region and account, the credential helper's): `@ecrkit/client`'s default pipeline over the
 * chosen transport, as the session's. `close` destroys the transport the client built.
 */
export async function createAwsClient(
  config: EcrConfig,
  options: { transport: 'sdk' | 'sigv4'; debug?: boolean; stderr?: CliIo['stderr'] },
): Promise<{ client: EcrClient; close: () => Promise<void> }> {
  const clientOf = await awsClients(
    { transport: options.transport, debug: options.debug === true && options.stderr !== undefined },
    { stderr: options.stderr ?? process.stderr },
  );
  const client = clientOf(config);
  return { client, close: () => client.destroy() };
}

function stderrLogger(stderr: CliIo['stderr']) {
  const write = (level: string) => (obj: object, msg?: string) =>
    void stderr.write(`debug: ${level === 'debug' ? '' : `${level}: `}${msg ?? ''} ${JSON.stringify(obj)}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
