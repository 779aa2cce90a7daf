// @ecrkit/core-types: the public surface. Each name below is reviewed; no `export *`.

export { EcrError, isEcrError, invalidParameter } from './EcrError.js';
export { readOptions } from './readOptions.js';
export type { EcrErrorOptions } from './EcrError.js';
export { ErrorKind, ErrorCategory, categoryOf } from './errorKinds.js';
export { errorFromWire, sanitizeErrorCode, wireErrorKinds, wireCodeForKind, parseRetryAfter } from './errorFromWire.js';
export type { WireError } from './errorFromWire.js';
export { SecretString, secret } from './SecretString.js';
export { systemClock, ManualClock, abortError } from './Clock.js';
export type { Clock, RandomSource } from './Clock.js';
export type { Logger } from './Logger.js';
export type { Transport, TransportRequest, TransportDecorator } from './Transport.js';
/** A transport request read once and checked for shape, for transports that may be called past the guard. */
export { readTransportRequest } from './transportRequest.js';
export {
  operationSpec,
  operationNames,
  operationFromTarget,
  targetPrefixes,
  signingNames,
  ecrOperations,
  ecrPublicOperations,
} from './wire/operations.js';
export type {
  Api,
  ApiOperations,
  OperationName,
  EcrOperationName,
  EcrPublicOperationName,
  OperationNameOf,
  InputOf,
  OutputOf,
} from './wire/operations.js';
export type { OperationSpec, PaginationSpec } from './wire/OperationSpec.js';

// Private ECR wire shapes (ECR API reference names). Enums are const objects with a union type.
export {
  LayerAvailability,
  LayerFailureCode,
  ImageFailureCode,
  ImageTagMutability,
  ImageTagMutabilityExclusionFilterType,
  EncryptionType,
  UpstreamRegistry,
  ReplicationStatus,
  ScanStatus,
  FindingSeverity,
  TagStatus,
  ImageStatusFilter,
  ImageStatus,
  RepositoryFilterType,
  LifecyclePolicyPreviewStatus,
  ImageActionType,
  LifecyclePolicyTargetStorageClass,
  LifecyclePolicyStorageClass,
  ScanType,
  ScanFrequency,
  ScanningRepositoryFilterType,
  RCTAppliedFor,
  ArtifactStatus,
  ArtifactStatusFilter,
  SigningStatus,
  TargetStorageClass,
} from './wire/ecr.generated.js';
export type {
  BatchCheckLayerAvailabilityRequest,
  Layer,
  LayerFailure,
  BatchCheckLayerAvailabilityResponse,
  ImageIdentifier,
  BatchDeleteImageRequest,
  ImageFailure,
  BatchDeleteImageResponse,
  BatchGetImageRequest,
  Image,
  BatchGetImageResponse,
  CompleteLayerUploadRequest,
  CompleteLayerUploadResponse,
  Tag,
  ImageTagMutabilityExclusionFilter,
  ImageScanningConfiguration,
  EncryptionConfiguration,
  CreateRepositoryRequest,
  Repository,
  CreateRepositoryResponse,
  CreatePullThroughCacheRuleRequest,
  CreatePullThroughCacheRuleResponse,
  DeleteLifecyclePolicyRequest,
  DeleteLifecyclePolicyResponse,
  DeleteRepositoryRequest,
  DeleteRepositoryResponse,
  DeleteRepositoryPolicyRequest,
  DeleteRepositoryPolicyResponse,
  DescribeImageReplicationStatusRequest,
  ImageReplicationStatus,
  DescribeImageReplicationStatusResponse,
  DescribeImageScanFindingsRequest,
  ImageScanStatus,
  Attribute,
  ImageScanFinding,
  CvssScore,
  VulnerablePackage,
  PackageVulnerabilityDetails,
  Recommendation,
  Remediation,
  AwsEcrContainerImageDetails,
  ResourceDetails,
  Resource,
  CvssScoreAdjustment,
  CvssScoreDetails,
  ScoreDetails,
  EnhancedImageScanFinding,
  ImageScanFindings,
  DescribeImageScanFindingsResponse,
  DescribeImagesFilter,
  DescribeImagesRequest,
  ImageScanFindingsSummary,
  ImageDetail,
  DescribeImagesResponse,
  DescribePullThroughCacheRulesRequest,
  PullThroughCacheRule,
  DescribePullThroughCacheRulesResponse,
  DescribeRegistryRequest,
  ReplicationDestination,
  RepositoryFilter,
  ReplicationRule,
  ReplicationConfiguration,
  DescribeRegistryResponse,
  DescribeRepositoriesRequest,
  DescribeRepositoriesResponse,
  GetAuthorizationTokenRequest,
  AuthorizationData,
  GetAuthorizationTokenResponse,
  GetDownloadUrlForLayerRequest,
  GetDownloadUrlForLayerResponse,
  GetLifecyclePolicyRequest,
  GetLifecyclePolicyResponse,
  LifecyclePolicyPreviewFilter,
  GetLifecyclePolicyPreviewRequest,
  LifecyclePolicyRuleAction,
  LifecyclePolicyPreviewResult,
  TransitioningImageTotalCount,
  LifecyclePolicyPreviewSummary,
  GetLifecyclePolicyPreviewResponse,
  GetRegistryScanningConfigurationRequest,
  ScanningRepositoryFilter,
  RegistryScanningRule,
  RegistryScanningConfiguration,
  GetRegistryScanningConfigurationResponse,
  GetRepositoryPolicyRequest,
  GetRepositoryPolicyResponse,
  InitiateLayerUploadRequest,
  InitiateLayerUploadResponse,
  ListImagesFilter,
  ListImagesRequest,
  ListImagesResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  PutImageRequest,
  PutImageResponse,
  PutImageScanningConfigurationRequest,
  PutImageScanningConfigurationResponse,
  PutImageTagMutabilityRequest,
  PutImageTagMutabilityResponse,
  PutLifecyclePolicyRequest,
  PutLifecyclePolicyResponse,
  PutRegistryScanningConfigurationRequest,
  PutRegistryScanningConfigurationResponse,
  PutReplicationConfigurationRequest,
  PutReplicationConfigurationResponse,
  SetRepositoryPolicyRequest,
  SetRepositoryPolicyResponse,
  StartImageScanRequest,
  StartImageScanResponse,
  StartLifecyclePolicyPreviewRequest,
  StartLifecyclePolicyPreviewResponse,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
  UploadLayerPartRequest,
  UploadLayerPartResponse,
  EcrOperations,
  GetRegistryPolicyResponse,
  PutRegistryPolicyResponse,
  DeleteRegistryPolicyResponse,
  UpdatePullThroughCacheRuleResponse,
  DeletePullThroughCacheRuleResponse,
  ValidatePullThroughCacheRuleResponse,
  RepositoryCreationTemplate,
  CreateRepositoryCreationTemplateRequest,
  UpdateRepositoryCreationTemplateRequest,
  EncryptionConfigurationForRepositoryCreationTemplate,
  DescribeRepositoryCreationTemplatesResponse,
  SubjectIdentifier,
  ListImageReferrersFilter,
  ListImageReferrersRequest,
  ImageReferrer,
  ListImageReferrersResponse,
  ImageSigningStatus,
  DescribeImageSigningStatusResponse,
  UpdateImageStorageClassResponse,
} from './wire/ecr.generated.js';

/** ECR Public wire shapes, under one name because several collide with private ECR's. */
export * as EcrPublic from './wire/ecrPublic.generated.js';

export { encodeInput, decodeOutput, dateFromWire, decodeInput, encodeOutput, toBase64, fromBase64 } from './wire/codec.js';
export type { VectorMemory, VectorMatch } from './VectorMemory.js';
/** The default `VectorMemory`: exact cosine search over entries kept in memory. */
export { InMemoryVectorMemory } from './InMemoryVectorMemory.js';

// Validation of names, tags, digests, ids, regions, ARNs and page sizes (patterns and limits from the ECR models).
export {
  isValidRepositoryName,
  validateRepositoryName,
  isValidPublicRepositoryName,
  validatePublicRepositoryName,
  isValidImageTag,
  validateImageTag,
  isValidDigest,
  validateDigest,
  isValidRegistryId,
  validateRegistryId,
  isValidRegion,
  validateRegion,
  isValidRepositoryArn,
  validateRepositoryArn,
  parseRepositoryArn,
  isValidMaxResults,
  validateMaxResults,
  maxResultsLimits,
  isValidImageIdentifier,
  validateImageIdentifier,
  isValidLifecyclePolicyText,
  validateLifecyclePolicyText,
  validatePullThroughCachePrefix,
  validateCreationTemplatePrefix,
  validateCredentialArn,
  validateRoleArn,
  validateUpstreamRegistryUrl,
  validateArtifactType,
  validatePolicyDocument,
} from './validation.js';
export type { RepositoryArn, MaxResultsRange } from './validation.js';

// Content digests.
export { computeDigest, verifyDigest, createDigester } from './digest.js';
export type { DigestAlgorithm, Digester } from './digest.js';

// Manifests, indexes and platforms.
export { MediaType, parseManifest } from './manifest.js';
export type {
  Descriptor,
  ManifestConfig,
  ManifestLayer,
  PlatformManifest,
  ImageManifest,
  ManifestList,
  ParsedManifest,
} from './manifest.js';
export { parsePlatform, formatPlatform, normalizePlatform, selectPlatform } from './platform.js';
export type { Platform } from './platform.js';

// Lifecycle policies: parsing and the one evaluator of ECR's semantics.
export {
  parseLifecyclePolicy,
  validateLifecyclePolicy,
  evaluateLifecyclePolicy,
  matchesLifecycleSelection,
  matchesTagPattern,
} from './lifecyclePolicy.js';
export type {
  LifecyclePolicy,
  LifecyclePolicyRule,
  LifecyclePolicySelection,
  LifecyclePolicyAction,
  LifecycleTagStatus,
  LifecycleCountType,
  LifecycleCountUnit,
  LifecycleImage,
  LifecycleVerdict,
} from './lifecyclePolicy.js';

// Image configs and image references.
export { parseImageConfig } from './imageConfig.js';
export type { ImageConfig, ImageConfigContainer, ImageHistoryEntry } from './imageConfig.js';
export { parseImageReference, formatImageReference, registryHost, isPrivateRegistryHost } from './imageReference.js';
export type { ImageReference } from './imageReference.js';

// Configuration and endpoints.
export { ecrConfig, EcrConfigBuilder, configDefaults, isEcrConfig, toEcrConfig } from './config.js';
export type {
  EcrConfig,
  AuthConfig,
  AuthInput,
  Environment,
  EndpointOptions,
  CredentialsConfig,
  CallPolicyConfig,
  ClientConfig,
  SharedConfigFilePaths,
  SharedConfigFiles,
  AwsSettingsSources,
} from './config.js';
export { credentialsForAuth } from './credentials.js';
export type { AwsCredentials, AwsCredentialsProvider, CredentialProviderFactories, SharedFileInit } from './credentials.js';
export { resolveEndpoint } from './endpoints.js';
export { partitionOf } from './partitions.js';
export type { Partition } from './partitions.js';
export type { ResolvedEndpoint } from './endpoints.js';

// Finding severities: their order and counts, in one place.
export {
  Severity,
  severities,
  severityRank,
  isSeverityAtLeast,
  severityOf,
  emptySeverityCounts,
  severityCountsOf,
  severityCountsFromSummary,
  scanFindingsSummary,
} from './severity.js';
export type { SeverityCounts, ScanFindingsSummary, ScanFindingsCounts } from './severity.js';

// Domain types (aliases of wire shapes where the API reference already has them) and their helpers.
export { scanStateOf, replicationStateOf, authorizationTokenFromWire, dockerCredentials, loginCommand } from './domain.js';
export type {
  ScanState,
  ReplicationState,
  Finding,
  EnhancedFinding,
  PackageVulnerability,
  ScanFindings,
  ScanConfig,
  EncryptionConfig,
  TagMutability,
  AuthorizationToken,
  DockerCredentials,
  LoginCommand,
  BatchDeleteResult,
  CallOptions,
  WaitOptions,
} from './domain.js';

// The pipeline: how transports and decorators are assembled, and its first step.
export { compose, isTransport } from './compose.js';
export { withGuard } from './withGuard.js';
export type { GuardOptions } from './withGuard.js';
