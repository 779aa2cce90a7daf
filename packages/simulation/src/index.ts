// @ecrkit/simulation: a stateful Amazon ECR simulation with four faces (in process, the HTTP AWS API, the /v2/ registry, files).
// The public types use Node's (@types/node is a dependency); `preserve` keeps this line in the declarations.
/// <reference types="node" preserve="true" />

/** The registry: state, ECR semantics, behaviour controls and the fluent test API. */
export { SimulatedRegistry } from './SimulatedRegistry.js';
/** Options of the registry and of its fluent methods, and what `addImage` returns. */
export type {
  SimulatedRegistryOptions,
  WithRepositoryOptions,
  WithImageOptions,
  AddedImage,
  ScanFindingsOptions,
  BlobLocation,
} from './SimulatedRegistry.js';
/** One call into the registry from any face, and the transport-level faults it can inject. */
export { FaultKind, SimulatedFault } from './RegistryCall.js';
/** One call into the registry from any face. */
export type { RegistryCall } from './RegistryCall.js';
/** Behaviour controls: error and latency injection, scan and replication progression, history. */
export type {
  ErrorSpec,
  CallMatcher,
  ErrorInjectionRule,
  LatencyInjectionRule,
  ScanProgressionOptions,
  ReplicationOptions,
  OperationHistoryEntry,
  OperationHistoryFilter,
} from './behaviour.js';
/** Finding counts by severity and explicit findings, as the fluent API and seeds take them. */
/** One vulnerability as the simulation stores it. */
export type { FindingSpec } from './internal/state.js';
/** The in-process face: a core-types `Transport` over a registry. */
export { createSimulatedTransport } from './createSimulatedTransport.js';
/** Options of the in-process transport. */
export type { SimulatedTransportOptions } from './createSimulatedTransport.js';
/** Where blob bytes live: in memory (the default; they travel inside snapshots) or as files in a content-addressed folder. */
export { createMemoryBlobStore } from './blobs/createMemoryBlobStore.js';
/** Blobs as `<dir>/sha256/<hex>` files, streamed in and renamed into place once complete; and the folder beside a state file. */
export { createDirectoryBlobStore, blobDirectoryFor } from './blobs/createDirectoryBlobStore.js';
/** The blob store port and a streamed upload. */
export type { BlobStore, BlobUpload } from './blobs/BlobStore.js';
/** Save and load the whole state atomically as a versioned state file. */
export { saveSnapshot, loadSnapshot } from './snapshot.js';
/** A state file one process at a time writes: locked, journaled, compacted, strictly loaded. */
export { StateFile, StateFileError } from './stateFile.js';
/** Options of a state file, why one failed, and the file-system seam its writes go through. */
export type { StateFileOptions, StateFileErrorReason, StateFileSystem } from './stateFile.js';
/** The snapshot format. */
export type { RegistrySnapshot, RepositorySnapshot } from './internal/serialize.js';
/** Seed files: a compact declaration of accounts, repositories, images, findings, policies and replication. */
export { validateSeed, applySeed } from './seed.js';
/** The seed file format. */
export type { SeedFile, SeedAccount, SeedRegion, SeedRepository, SeedPublicRepository, SeedImage } from './seed.js';
/** A ready-made demo registry: four applications, multi-arch and immutable repositories, findings, policies, replication, ECR Public. */
export { demoSeed } from './demoSeed.js';
/** An in-memory `VectorMemory` with cosine similarity (core-types' own, re-exported where tests have always found it). */
export { InMemoryVectorMemory } from '@ecrkit/core-types';
/** The HTTP face: an AWS JSON 1.1 server over a registry (also at `@ecrkit/simulation/server`). */
export { startSimulationServer } from './server/index.js';
/** Options and handle of the HTTP server, and the route interface for mounting more faces on it. */
export type { SimulationServer, SimulationServerOptions, ServerRoute, RouteExchange } from './server/index.js';
/** Run a server the way the `ecrkit-sim` bin does: state file or seed in, saves on changes, clean stop on signals. */
export { runSimulationServer, SimulationStartError } from './runSimulationServer.js';
/** Options and handle of {@link runSimulationServer}. */
export type { RunSimulationServerOptions, RunningSimulationServer } from './runSimulationServer.js';
/**
 * `serve`'s flags, defaults, validation, exit codes and messages, shared by `ecrkit-sim serve` and
 * `ecrkit sim serve`: declare flags from `serveFlags`, turn their values into
 * `runSimulationServer` options with `resolveServeOptions`, report failures with `describeServeFailure`.
 */
export {
  serveFlags,
  serveDefaults,
  resolveServeOptions,
  describeServeFailure,
  formatServeFailure,
  ServeUsageError,
  ServeExitCode,
  serveExitCodeHelp,
} from './resolveServeOptions.js';
/** A `serve` flag, its values, what they resolve to, and how a failure reads. */
export type { ServeFlag, ServeFlagName, ServeFlagValues, ServeSettings, ServeEnvironment, ServeFailure } from './resolveServeOptions.js';
/** Record and replay at the Transport port. */
export { withRecording, MemoryRecorder, FileRecorder, ReplayTransport } from './recording/index.js';
/** What a recorder receives, and replay options. */
export type { Recorder, RecordedCall, ReplayMode, ReplayOptions } from './recording/index.js';
