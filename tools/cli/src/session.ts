import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { ecrConfig, isEcrError, type EcrConfig, type Transport } from '@ecrkit/core-types';
import { createClient, type EcrClient } from '@ecrkit/services';
import type { SimulatedRegistry } from '@ecrkit/simulation';
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
  /** Persist the simulation's state (atomically); nothing for AWS. */
  save(): Promise<void>;
  close(): Promise<void>;
}

/** The region and account of the demo seed. */
export const simRegion = 'us-east-1';
export const simAccountId = '123456789012';

/** Open the target the global options name. */
export async function openSession(globals: GlobalOptions, io: CliIo, out: Output): Promise<Session> {
  return globals.target === 'aws' ? openAwsSession(globals, io) : openSimSession(globals, io, out);
}

/**
 * The embedded simulation: state from `--state`, created from the demo seed on first use and
 * written back atomically (a temporary file renamed over the old one, so a killed process
 * leaves the previous state, never half a file).
 */
async function openSimSession(globals: GlobalOptions, io: CliIo, out: Output): Promise<Session> {
  const sim = await import('@ecrkit/simulation');
  const statePath = resolve(io.cwd, globals.state);
  const rel = relative(io.cwd, statePath);
  const shown = rel && !rel.startsWith('..') ? rel : statePath;
  let registry: SimulatedRegistry;
  let created = false;
  if (existsSync(statePath)) {
    try {
      registry = await sim.loadSnapshot(statePath);
    } catch (error) {
      throw new CliError(
        `The simulation state file ${shown} is not a valid ecrkit snapshot (${isEcrError(error) || error instanceof Error ? error.message : String(error)})`,
        {
          exitCode: ExitCode.Usage,
          hint: 'Delete it to start again from the demo seed, or pass --state with another file.',
          cause: error,
        },
      );
    }
  } else {
    registry = createDemoRegistry(sim);
    created = true;
  }
  configureFastProgress(registry);
  out.note(
    out.colors.dim(
      `ecrkit: target sim (embedded simulation, state in ${shown}${created ? ', created from the demo seed' : ''}); use --target aws for a real registry`,
    ),
  );
  const save = async () => {
    await mkdir(dirname(statePath), { recursive: true });
    await sim.saveSnapshot(registry, statePath);
  };
  if (created) await save();
  return simSession(sim, registry, globals, { endpoint: `the embedded simulation (${shown})`, save });
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
  return {
    target: 'sim',
    client,
    config,
    registry,
    endpoint: options.endpoint,
    pollIntervalMs: 200,
    save: options.save,
    close: async () => {
      await transport.destroy?.();
    },
  };
}

/**
 * A real registry, or any ECR-compatible endpoint: configuration from the environment, then
 * the flags; the chosen transport behind the recommended resilience stack. The transports are
 * imported on demand so the simulation target never loads the AWS SDK.
 */
async function openAwsSession(globals: GlobalOptions, io: CliIo): Promise<Session> {
  if (!globals.region && !io.env.AWS_REGION && !io.env.AWS_DEFAULT_REGION) {
    throw new CliError('--target aws needs a region', { exitCode: ExitCode.Usage, hint: 'Pass --region (for example --region us-east-1) or set AWS_REGION.' });
  }
  let builder = ecrConfig().fromEnv(io.env);
  if (globals.region) builder = builder.region(globals.region);
  if (globals.profile) builder = builder.auth({ type: 'profile', profile: globals.profile });
  if (globals.endpoint) builder = builder.endpointUrl(globals.endpoint);
  if (globals.registryId) builder = builder.registryId(globals.registryId);
  const config = builder.build();
  let raw: Transport;
  if (globals.transport === 'sdk') {
    // The SDK nags about Node 20 on stderr; this package supports Node 20, so a CLI user gains
    // nothing from it (an explicit setting in the environment still wins).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { createSdkTransport } = await import('@ecrkit/transport-sdk');
    raw = createSdkTransport(config);
  } else {
    const { createSigV4Transport } = await import('@ecrkit/transport-sigv4');
    raw = createSigV4Transport(config);
  }
  const { resilient } = await import('@ecrkit/resilience-adapters');
  // With --debug, one redacted log line per call (the instrumentation redacts before logging).
  const transport = resilient(raw, { config, ...(globals.debug ? { instrumentation: { logger: stderrLogger(io.stderr) } } : {}) });
  const client = createClient(config, { transport });
  return {
    target: 'aws',
    client,
    config,
    endpoint: globals.endpoint ?? `ECR in ${config.region}`,
    save: async () => undefined,
    close: async () => {
      await transport.destroy?.();
    },
  };
}

function stderrLogger(stderr: CliIo['stderr']) {
  const write = (level: string) => (obj: object, msg?: string) =>
    void stderr.write(`debug: ${level === 'debug' ? '' : `${level}: `}${msg ?? ''} ${JSON.stringify(obj)}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
