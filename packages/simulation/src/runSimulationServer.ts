import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isEcrError } from '@ecrkit/core-types';
import type { SeedFile } from './seed.js';
import { SimulatedRegistry, type SimulatedRegistryOptions } from './SimulatedRegistry.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';
import { startSimulationServer, type SimulationServerOptions } from './server/startSimulationServer.js';

/** Options of {@link runSimulationServer}. */
export interface RunSimulationServerOptions
  extends Pick<
    SimulationServerOptions,
    'port' | 'host' | 'publicUrl' | 'verifySignatures' | 'credentials' | 'maxBodyBytes' | 'maxBodyBytesInFlight' | 'downloadUrlTtlSeconds'
  > {
  /**
   * A snapshot file: loaded when it exists (`seed` is then ignored, the state already holds it),
   * otherwise written at start; saved again once `saveDelayMs` pass without further changes after
   * a mutating request, and when the server stops. Saves are atomic (`saveSnapshot`) and create
   * missing parent folders.
   */
  statePath?: string;
  /** The initial state when there is no state file: a seed, or the path of a seed or snapshot JSON file. Default: empty. */
  seed?: SeedFile | string;
  /**
   * Options of the registry (`lenient`, `clock`, …). A state or snapshot file keeps its own
   * default account and region; `accountId` and `region` apply to registries built from a seed.
   */
  registryOptions?: SimulatedRegistryOptions;
  /** Quiet time after a mutating request before the state file is written; default 200 ms. */
  saveDelayMs?: number;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Process signals that stop the server, listened to until it stops; default `['SIGINT', 'SIGTERM']`, `[]` for none. */
  stopOnSignals?: readonly NodeJS.Signals[];
  /** A failed save (the server keeps serving); default: one line on standard error. */
  onSaveError?: (error: Error, statePath: string) => void;
}

/** A server started by {@link runSimulationServer}. */
export interface RunningSimulationServer {
  /** `http://host:port`, ready for an SDK's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The registry being served. */
  readonly registry: SimulatedRegistry;
  /** Resolves once the server has stopped (on `stop()`, the abort signal or a process signal) and the state is saved. */
  readonly stopped: Promise<void>;
  /** Stop accepting, close connections, save the state; resolves like `stopped`. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Why {@link runSimulationServer} could not start: the state or seed could not be loaded, or the port not bound. */
export class SimulationStartError extends Error {
  override readonly name = 'SimulationStartError';
  /** `load`: the state file or the seed; `listen`: binding `host:port`. */
  readonly stage: 'load' | 'listen';
  /** The file that could not be loaded (`load` with a file only). */
  readonly path: string | undefined;

  constructor(stage: 'load' | 'listen', message: string, options: { cause: unknown; path?: string }) {
    super(message, { cause: options.cause });
    this.stage = stage;
    this.path = options.path;
  }
}

const defaultSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Run a simulation server the way `ecrkit-sim serve` does: build the registry from the state
 * file if there is one, else from the seed; serve it over HTTP (AWS JSON 1.1, private ECR and ECR
 * Public); keep the state file up to date; stop cleanly on `stop()`, the abort signal, SIGINT or
 * SIGTERM, saving the state one last time.
 *
 * @throws SimulationStartError when the state or seed cannot be loaded or the port cannot be bound.
 */
export async function runSimulationServer(options: RunSimulationServerOptions = {}): Promise<RunningSimulationServer> {
  const { statePath, signal } = options;
  const saveDelayMs = options.saveDelayMs ?? 200;
  const onSaveError =
    options.onSaveError ?? ((error: Error, path: string) => process.stderr.write(`ecrkit simulation: saving ${path} failed: ${error.message}\n`));

  // Listen for signals from the start, so one that arrives while loading stops the server as soon as it runs.
  let requestStop: () => void = () => undefined;
  let stopRequested = false;
  const onStopRequest = () => {
    stopRequested = true;
    requestStop();
  };
  const signals = options.stopOnSignals ?? defaultSignals;
  for (const name of signals) process.once(name, onStopRequest);
  signal?.addEventListener('abort', onStopRequest, { once: true });
  const unlisten = () => {
    for (const name of signals) process.off(name, onStopRequest);
    signal?.removeEventListener('abort', onStopRequest);
  };

  let registry: SimulatedRegistry;
  let server: Awaited<ReturnType<typeof startSimulationServer>>;
  const stateExisted = statePath !== undefined && existsSync(statePath);
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let dirty = false;
  // Saves run one at a time; a change during a save schedules the next one.
  const save = (): Promise<void> => {
    if (!statePath || !dirty) return saving;
    dirty = false;
    saving = saving
      .then(async () => {
        await mkdir(dirname(statePath), { recursive: true });
        await saveSnapshot(registry, statePath);
      })
      .catch((error: unknown) => onSaveError(error instanceof Error ? error : new Error(String(error)), statePath));
    return saving;
  };
  try {
    registry = await initialRegistry(options, stateExisted);
    try {
      server = await startSimulationServer({
        registry,
        port: options.port,
        host: options.host,
        verifySignatures: options.verifySignatures,
        credentials: options.credentials,
        maxBodyBytes: options.maxBodyBytes,
        publicUrl: options.publicUrl,
        maxBodyBytesInFlight: options.maxBodyBytesInFlight,
        downloadUrlTtlSeconds: options.downloadUrlTtlSeconds,
        onMutation: statePath
          ? () => {
              dirty = true;
              clearTimeout(timer);
              timer = setTimeout(() => void save(), saveDelayMs);
            }
          : undefined,
      });
    } catch (cause) {
      // A bad server option is the caller's mistake, not a failure to listen.
      if (isEcrError(cause)) throw cause;
      throw new SimulationStartError('listen', `cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${messageOf(cause)}`, { cause });
    }
  } catch (error) {
    unlisten();
    throw error;
  }
  if (statePath && !stateExisted) {
    dirty = true;
    void save();
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unlisten();
      clearTimeout(timer);
      await server.close();
      if (statePath) {
        dirty = true;
        await save();
      }
    })();
    return stopping;
  };
  let stoppedResolve!: () => void;
  let stoppedReject!: (error: unknown) => void;
  const stopped = new Promise<void>((resolve, reject) => {
    stoppedResolve = resolve;
    stoppedReject = reject;
  });
  requestStop = () => void stop().then(stoppedResolve, stoppedReject);
  if (stopRequested || signal?.aborted) requestStop();

  return {
    url: server.url,
    port: server.port,
    host: server.host,
    registry,
    stopped,
    stop: () => {
      requestStop();
      return stopped;
    },
  };
}

async function initialRegistry(options: RunSimulationServerOptions, stateExisted: boolean): Promise<SimulatedRegistry> {
  // A loaded state keeps its own default account and region.
  const { accountId: _accountId, region: _region, ...loadOptions } = options.registryOptions ?? {};
  if (stateExisted) return loadFile(options.statePath!, () => loadSnapshot(options.statePath!, loadOptions));
  const seed = options.seed;
  if (typeof seed === 'string') {
    return loadFile(seed, async () => {
      const parsed = JSON.parse(await readFile(seed, 'utf8')) as unknown;
      // A snapshot names its format; anything else is a seed file.
      if (typeof parsed === 'object' && parsed !== null && 'format' in parsed) return loadSnapshot(seed, loadOptions);
      return new SimulatedRegistry(options.registryOptions).loadSeed(parsed as SeedFile);
    });
  }
  const registry = new SimulatedRegistry(options.registryOptions);
  if (seed) {
    try {
      registry.loadSeed(seed);
    } catch (cause) {
      throw new SimulationStartError('load', `cannot load the seed: ${messageOf(cause)}`, { cause });
    }
  }
  return registry;
}

async function loadFile(path: string, load: () => Promise<SimulatedRegistry>): Promise<SimulatedRegistry> {
  try {
    return await load();
  } catch (cause) {
    throw new SimulationStartError('load', `cannot load ${path}: ${messageOf(cause)}`, { cause, path });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
