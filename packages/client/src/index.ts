// @ecrkit/client: createClient(config) with the default transport, and the services surface in
// one import. Each name below is reviewed; no `export *`.

/** An `EcrClient` from the config alone: the SigV4 transport behind the default pipeline, or a transport you give. */
export { createClient, createDefaultTransport } from './createClient.js';
export type { DefaultClientOptions, DefaultTransportOptions, PipelineOptions } from './createClient.js';

/** Configuration and errors, from `@ecrkit/core-types`. */
export { ecrConfig, EcrError, isEcrError } from '@ecrkit/core-types';
export type { EcrConfig, CallOptions, WaitOptions, ErrorKind, Transport } from '@ecrkit/core-types';

/** The client and its services, from `@ecrkit/services`. */
export {
  EcrClient,
  RegionalClientPool,
  RepositoryService,
  ImageService,
  ManifestService,
  ScanService,
  AuthService,
  ImagePullSecret,
  ReplicationService,
  PublicRegistryService,
  publicRegistryHost,
  privateRegistryHost,
  confirmMutation,
  parsePolicyStatements,
} from '@ecrkit/services';
export type {
  ClientOptions,
  ClientTelemetry,
  DeploymentImage,
  DeploymentOptions,
  DeploymentScan,
  FetchBlob,
  MeterLike,
  ScanFindingsLogLevel,
  RegionalClientPoolOptions,
  Paginated,
  PageOptions,
  PolicyStatement,
  RepositoryListFilter,
  RepositoryPolicy,
  RepositoryLifecyclePolicy,
  LifecyclePreviewOptions,
  ImageListFilter,
  ImageManifestResult,
  BatchGetResult,
  PutTagResult,
  ImageRef,
  FetchedManifest,
  PlatformOptions,
  LayerInfo,
  ScanFindings,
  ScanStatusResult,
  StartScanResult,
  ScanThresholds,
  ScanEvaluation,
  ScanWaitOptions,
  AuthToken,
  LoginCommand,
  ReplicationStatusResult,
  ReplicationWaitOptions,
  ReplicationWaitResult,
  TokenCacheStats,
  MetadataCacheOptions,
  MetadataCacheStats,
} from '@ecrkit/services';
