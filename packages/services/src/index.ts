// @ecrkit/services: the public surface. Each name below is reviewed; no `export *`.

/** Build an `EcrClient` for one registry and region over a caller-supplied transport. */
export { createClient, EcrClient } from './createClient.js';
export { privateRegistryHost } from './internal/registryHost.js';
export type { ClientOptions, DeploymentImage, DeploymentOptions, DeploymentScan } from './createClient.js';
export type { ClientTelemetry, FetchBlob } from './internal/ServiceContext.js';
/** The part of an OpenTelemetry `Meter` the business metrics need, and how much of each scan is logged. */
export type { MeterLike, MetricAttributes, ScanFindingsLogLevel } from './internal/ServiceTelemetry.js';

/** The domain rule the pipeline's retry asks before resending a mutating call whose answer was lost (PutImage: is the tag on the manifest's digest?). */
export { confirmMutation } from './confirmMutation.js';
export type { MutationOutcome } from './confirmMutation.js';

/** One client per region, created lazily. */
export { RegionalClientPool } from './RegionalClientPool.js';
export type { RegionalClientPoolOptions } from './RegionalClientPool.js';

/** The seven services. */
export { RepositoryService } from './RepositoryService.js';
export { parsePolicyStatements } from './parsePolicyStatements.js';
export type { PolicyStatement } from './parsePolicyStatements.js';
export type {
  RepositoryListFilter,
  RepositoryPolicy,
  RepositoryLifecyclePolicy,
  LifecyclePreviewSource,
  LifecyclePreviewOptions,
  LifecyclePreviewProgress,
} from './RepositoryService.js';
export { ImageService } from './ImageService.js';
export type { ImageListFilter, ImageManifestResult, BatchGetResult, PutTagResult } from './ImageService.js';
export type { ImageRef } from './internal/imageIds.js';
export { ManifestService } from './ManifestService.js';
export type { FetchedManifest, PlatformOptions, LayerInfo } from './ManifestService.js';
export { ScanService } from './ScanService.js';
export type {
  ScanFindings,
  ScanStatusResult,
  StartScanResult,
  ScanThresholds,
  ScanEvaluation,
  ScanWaitOptions,
  ScanWaitProgress,
} from './ScanService.js';
export { AuthService, ImagePullSecret } from './AuthService.js';
export type { AuthToken, LoginCommand, KubernetesDockerConfigSecret } from './AuthService.js';
export { ReplicationService } from './ReplicationService.js';
export type {
  ReplicationStatusResult,
  RegistryReplicationConfiguration,
  RegionReplicationState,
  RegionReplicationOutcome,
  ReplicationWaitResult,
  ReplicationWaitProgress,
  ReplicationWaitOptions,
} from './ReplicationService.js';
/** Replica states of `client.replication.verify`, and which destinations a repository replicates to. */
export { ReplicaState, replicationDestinationsFor } from './verifyReplication.js';
export type {
  ReplicaClientFactory,
  ReplicaReport,
  ReplicationTarget,
  ReplicationVerification,
  ReplicationVerifyOptions,
  ReplicationVerifyProgress,
} from './verifyReplication.js';
export { PublicRegistryService, publicRegistryHost } from './PublicRegistryService.js';

/** The registry's OCI Distribution API (pull, push, mount, tags, referrers) with ECR credentials, and copying images with it. */
export { RegistryClient, manifestMediaTypes, verifyingStream } from './RegistryClient.js';
export type {
  RegistryClientOptions,
  RegistryCredentials,
  RegistryCredentialProvider,
  RegistryManifest,
  ManifestHead,
  ReferrerDescriptor,
} from './RegistryClient.js';
export { copyImage, registryDestination } from './copyImage.js';
export type { ImageSource, ImageDestination, CopyImageOptions, CopyReport, CopiedManifest, CopiedBlob, CopyEvent } from './copyImage.js';

/** The registry policy of the caller's registry: get, put (validated document), delete. */
export { RegistryPolicyService } from './RegistryPolicyService.js';
export type { RegistryPolicy } from './RegistryPolicyService.js';
/** Pull through cache rules: create, list (paged), update, delete, validate. */
export { PullThroughCacheService } from './PullThroughCacheService.js';
export type { PullThroughCacheRuleInput, PullThroughCacheRuleChanges, PullThroughCacheListFilter } from './PullThroughCacheService.js';
/** Repository creation templates: create, list (paged), update, delete. */
export { CreationTemplateService } from './CreationTemplateService.js';
export type { CreationTemplateInput, CreationTemplateChanges, CreationTemplateListFilter } from './CreationTemplateService.js';
/** The OCI referrers (signatures, SBOMs, attestations) of an image, as an async iterable filtered by artifact type. */
export { ReferrersService } from './ReferrersService.js';
export type { ReferrersListFilter } from './ReferrersService.js';
/** The managed signing status of an image. */
export { ImageSigningService } from './ImageSigningService.js';
export type { ImageSigningStatusResult } from './ImageSigningService.js';
/** Archive and restore images (storage class). */
export { ImageStorageService } from './ImageStorageService.js';
export type { ImageStorageResult } from './ImageStorageService.js';
/** ECR account settings: get and put. */
export { AccountSettingsService } from './AccountSettingsService.js';
export type { AccountSetting, AccountSettingName } from './AccountSettingsService.js';

/** Pagination: every list operation returns a `Paginated`. */
export { paginate, PaginatedList } from './Paginated.js';
export type { Paginated, PageOptions, PageSender } from './Paginated.js';

/** The generic waiter behind waitForScan, waitForReplication and the lifecycle preview. */
export { waitFor, waiterDefaults } from './waitFor.js';
export type { WaiterState, WaiterResult, WaitProgress } from './waitFor.js';

/** Caches. */
export { TokenCache } from './TokenCache.js';
export type { TokenCacheStats, ExpiringValue } from './TokenCache.js';
export { MetadataCache } from './MetadataCache.js';
export type { MetadataCacheOptions, MetadataCacheStats } from './MetadataCache.js';

/** The embedding `images.findSimilar` stores in a `VectorMemory`: b-bit MinHash over layer digests. */
export { imageEmbedding, imageEmbeddingDimensions } from './imageEmbedding.js';
export type { ImageMemoryMetadata } from './imageEmbedding.js';
/** What `images.findSimilar` takes and returns. */
export type { FindSimilarOptions, SimilarImage, SimilarImages } from './findSimilarImages.js';
/** The vulnerability names of a set of findings. */
export { findingNames } from './findingNames.js';
