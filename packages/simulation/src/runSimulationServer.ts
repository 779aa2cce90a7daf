import { readFile } from 'node:fs/promises';
import { invalidParameter, isEcrError } from '@ecrkit/core-types';
import { objectArgument, stringArgument } from './internal/arguments.js';
import { blobDirectoryFor, createDirectoryBlobStore } from './blobs/createDirectoryBlobStore.js';
import { invalidAt } from './internal/fileChecks.js';
import { wholeFile } from './internal/stateFormat.js';
import type { SeedFile } from './seed.js';
import { SimulatedRegistry, type SimulatedRegistryOptions } from './SimulatedRegistry.js';
import { StateFile, StateFileError, readState, type StateFileErrorReason } from './stateFile.js';
import { startSimulationServer, type SimulationServerOptions } from './server/startSimulationServer.js';

/** Options of {@link runSimulationServer}. */
export interface RunSimulationServerOptions
  extends Pick<
    SimulationServerOptions,
    'port' | 'host' | 'publicUrl' | 'verifySignatures' | 'credentials' | 'maxBodyBytes' | 'maxBodyBytesInFlight' | 'downloadUrlTtlSeconds' | 'registryAuth'
  > {
  /**
   * A state file (see `StateFile`): loaded when it exists (`seed` is then ignored, the state
   * already holds it), otherwise written at start (parent folders created). Locked while the
   * server runs. Every change is saved (appended) once `saveDelayMs` pass without further
   * changes, and at the latest `maxSaveDelayMs` after the first unsaved one, and when the server
   * stops.
   */
  statePath?: string;
  /** The initial state when there is no state file: a seed, or the path of a seed or snapshot JSON file. Default: empty. */
  seed?: SeedFile | string;
  /**
   * Options of the registry (`lenient`, `clock`, …). A state or snapshot file keeps its own
   * default account and region; `accountId` and `region` apply to registries built from a seed.
   */
  registryOptions?: SimulatedRegistryOptions;
  /** Quiet time after a change before the state file is written; default 100 ms. */
  saveDelayMs?: number;
  /** Longest a change waits to be written while changes keep coming; default 500 ms. With the write itself, a change acknowledged more than 1 s ago is on disk. */
  maxSaveDelayMs?: number;
  /** How long to wait while another process holds the state file; default 10,000 ms. */
  lockWaitMs?: number;
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
  /**
   * For `load`: `invalid` (the file's content; the message names the path inside it), `unusable`
   * (the path), `locked` (another process holds the state file) or `io`. Front doors exit 2 for
   * `invalid` and `unusable`, as for bad usage.
   */
  readonly reason: StateFileErrorReason | undefined;

  constructor(stage: 'load' | 'listen', message: string, options: { cause: unknown; path?: string; reason?: StateFileErrorReason }) {
    if (stage !== 'load' && stage !== 'listen') throw invalidParameter('stage', "must be 'load' or 'listen'");
    stringArgument(message, 'message');
    options = objectArgument<typeof options>(options, ['cause', 'path', 'reason'], 'options');
    super(message, { cause: options.cause });
    this.stage = stage;
    this.path = options.path;
    this.reason = options.reason;
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
  const saveDelayMs = options.saveDelayMs ?? 100;
  const maxSaveDelayMs = Math.max(saveDelayMs, options.maxSaveDelayMs ?? 500);
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
  // `on`, not `once`, until stopped: proper-lockfile's signal-exit re-raises a signal that finds no other listener.
  for (const name of signals) process.on(name, onStopRequest);
  signal?.addEventListener('abort', onStopRequest, { once: true });
  const unlisten = () => {
    for (const name of signals) process.off(name, onStopRequest);
    signal?.removeEventListener('abort', onStopRequest);
  };

  let registry: SimulatedRegistry;
  let file: StateFile | undefined;
  let server: Awaited<ReturnType<typeof startSimulationServer>>;
  try {
    if (statePath) {
      // Beside a state file, blobs live in a content-addressed folder next to it, not inside it (a file naming another folder keeps it).
      const blobStore = options.registryOptions?.blobStore ?? createDirectoryBlobStore(blobDirectoryFor(statePath));
      const withBlobs = { ...options, registryOptions: { ...options.registryOptions, blobStore } };
      try {
        file = await StateFile.open(statePath, {
          registryOptions: withoutDefaults(withBlobs.registryOptions),
          initial: () => initialRegistry(withBlobs),
          lockWaitMs: options.lockWaitMs,
        });
      } catch (error) {
        throw startError(error, statePath);
      }
      registry = file.registry;
    } else registry = await initialRegistry(options);
    try {
      server = await startSimulationServer({
        registry,
        port: options.port,
        host: options.host,
        verifySignatures: options.verifySignatures,
        credentials: options.credentials,
        maxBodyBytes: options.maxBodyBytes,
        publicUrl: options.publicUrl,
        registryAuth: options.registryAuth,
        maxBodyBytesInFlight: options.maxBodyBytesInFlight,
        downloadUrlTtlSeconds: options.downloadUrlTtlSeconds,
      });
    } catch (cause) {
      // A bad server option is the caller's mistake, not a failure to listen.
      if (isEcrError(cause)) throw cause;
      throw new SimulationStartError('listen', `cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${messageOf(cause)}`, { cause });
    }
  } catch (error) {
    unlisten();
    await file?.close().catch(() => undefined);
    throw error;
  }

  const saver = file ? scheduleSaves(file, saveDelayMs, maxSaveDelayMs, (error) => onSaveError(error, file.path)) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unlisten();
      saver?.cancel();
      await server.close();
      await file?.close().catch((error: unknown) => onSaveError(error instanceof Error ? error : new Error(String(error)), file.path));
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

/**
 * Save `file` after changes: once `quietMs` pass without another change, and at the latest
 * `maxWaitMs` after the first unsaved one (a steady stream of writes cannot postpone it). Cheap
 * per change: one clock read; the timer re-arms itself only when it fires early.
 */
function scheduleSaves(file: StateFile, quietMs: number, maxWaitMs: number, onError: (error: Error) => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let firstChangeAt = 0;
  let lastChangeAt = 0;
  const tick = () => {
    const now = Date.now();
    const due = Math.min(lastChangeAt + quietMs, firstChangeAt + maxWaitMs);
    if (now < due) {
      timer = setTimeout(tick, due - now);
      return;
    }
    timer = undefined;
    file.save().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  };
  const unsubscribe = file.onChange(() => {
    lastChangeAt = Date.now();
    if (timer) return;
    firstChangeAt = lastChangeAt;
    timer = setTimeout(tick, quietMs);
  });
  return {
    cancel: () => {
      unsubscribe();
      clearTimeout(timer);
    },
  };
}

/** Registry options for a loaded state: it keeps its own default account and region. */
function withoutDefaults(options: SimulatedRegistryOptions = {}): SimulatedRegistryOptions {
  const { accountId: _accountId, region: _region, ...rest } = options;
  return rest;
}

function startError(error: unknown, path: string): SimulationStartError {
  if (error instanceof SimulationStartError) return error;
  if (error instanceof StateFileError) return new SimulationStartError('load', error.message, { cause: error, path: error.path, reason: error.reason });
  return new SimulationStartError('load', `cannot load ${path}: ${messageOf(error)}`, { cause: error, path });
}

/** The state when there is no state file yet: the seed (an object, or a seed or state file), else empty. */
async function initialRegistry(options: RunSimulationServerOptions): Promise<SimulatedRegistry> {
  const seed = options.seed;
  if (typeof seed === 'string') return loadSeedFile(seed, options.registryOptions);
  const registry = new SimulatedRegistry(options.registryOptions);
  if (seed) {
    try {
      registry.loadSeed(seed);
    } catch (cause) {
      throw new SimulationStartError('load', `cannot load the seed: ${messageOf(cause)}`, { cause, reason: isEcrError(cause) ? 'invalid' : undefined });
    }
  }
  return registry;
}

/** A seed file, or a state file used as a seed (its own default account and region win). */
async function loadSeedFile(path: string, registryOptions: SimulatedRegistryOptions = {}): Promise<SimulatedRegistry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new SimulationStartError('load', `cannot read the seed ${path}: ${messageOf(cause)}`, {
      cause,
      path,
      reason: code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES' ? 'unusable' : 'io',
    });
  }
  const invalid = (cause: unknown) =>
    new SimulationStartError('load', `cannot load ${path}: ${messageOf(cause)}`, { cause, path, reason: isEcrError(cause) ? 'invalid' : 'io' });
  if (/^\s*\{"format":"ecrkit-simulation-/.test(text)) {
    try {
      return await readState(path, withoutDefaults(registryOptions));
    } catch (error) {
      throw error instanceof StateFileError ? new SimulationStartError('load', error.message, { cause: error, path, reason: error.reason }) : invalid(error);
    }
  }
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidAt(wholeFile, 'is not JSON (a seed file is one JSON object)');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidAt(
        wholeFile,
        `must be a seed (a JSON object with repositories, accounts…), got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`,
      );
    }
    if ('format' in parsed) return await readState(path, withoutDefaults(registryOptions));
    return new SimulatedRegistry(registryOptions).loadSeed(parsed as SeedFile);
  } catch (error) {
    if (error instanceof StateFileError) throw new SimulationStartError('load', error.message, { cause: error, path, reason: error.reason });
    throw invalid(error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
