// Generated from the Amazon Elastic Container Registry service model (2015-09-21).
// Do not edit by hand: shapes follow the ECR API reference exactly; timestamps are Date, blobs Uint8Array.

export interface BatchCheckLayerAvailabilityRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the image layers to check. */
  registryId?: string;
  /** The name of the repository that is associated with the image layers to check. */
  repositoryName: string;
  /** The digests of the image layers to check. */
  layerDigests: string[];
}

export const LayerAvailability = {
  AVAILABLE: 'AVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
  ARCHIVED: 'ARCHIVED',
} as const;
export type LayerAvailability = (typeof LayerAvailability)[keyof typeof LayerAvailability];

/** An object representing an Amazon ECR image layer. */
export interface Layer {
  /** The sha256 digest of the image layer. */
  layerDigest?: string;
  /** The availability status of the image layer. */
  layerAvailability?: LayerAvailability;
  /** The size, in bytes, of the image layer. */
  layerSize?: number;
  /** The media type of the layer, such as application/vnd.docker.image.rootfs.diff.tar.gzip or application/vnd.oci.image.layer.v1.tar+gzip. */
  mediaType?: string;
}

export const LayerFailureCode = {
  InvalidLayerDigest: 'InvalidLayerDigest',
  MissingLayerDigest: 'MissingLayerDigest',
} as const;
export type LayerFailureCode = (typeof LayerFailureCode)[keyof typeof LayerFailureCode];

/** An object representing an Amazon ECR image layer failure. */
export interface LayerFailure {
  /** The layer digest associated with the failure. */
  layerDigest?: string;
  /** The failure code associated with the failure. */
  failureCode?: LayerFailureCode;
  /** The reason for the failure. */
  failureReason?: string;
}

export interface BatchCheckLayerAvailabilityResponse {
  /** A list of image layer objects corresponding to the image layer references in the request. */
  layers?: Layer[];
  /** Any failures associated with the call. */
  failures?: LayerFailure[];
}

/** An object with identifying information for an image in an Amazon ECR repository. */
export interface ImageIdentifier {
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The tag used for the image. */
  imageTag?: string;
}

/** Deletes specified images within a specified repository. */
export interface BatchDeleteImageRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the image to delete. */
  registryId?: string;
  /** The repository that contains the image to delete. */
  repositoryName: string;
  /** A list of image ID references that correspond to images to delete. */
  imageIds: ImageIdentifier[];
}

export const ImageFailureCode = {
  InvalidImageDigest: 'InvalidImageDigest',
  InvalidImageTag: 'InvalidImageTag',
  ImageTagDoesNotMatchDigest: 'ImageTagDoesNotMatchDigest',
  ImageNotFound: 'ImageNotFound',
  MissingDigestAndTag: 'MissingDigestAndTag',
  ImageReferencedByManifestList: 'ImageReferencedByManifestList',
  KmsError: 'KmsError',
  UpstreamAccessDenied: 'UpstreamAccessDenied',
  UpstreamTooManyRequests: 'UpstreamTooManyRequests',
  UpstreamUnavailable: 'UpstreamUnavailable',
  ImageInaccessible: 'ImageInaccessible',
} as const;
export type ImageFailureCode = (typeof ImageFailureCode)[keyof typeof ImageFailureCode];

/** An object representing an Amazon ECR image failure. */
export interface ImageFailure {
  /** The image ID associated with the failure. */
  imageId?: ImageIdentifier;
  /** The code associated with the failure. */
  failureCode?: ImageFailureCode;
  /** The reason for the failure. */
  failureReason?: string;
}

export interface BatchDeleteImageResponse {
  /** The image IDs of the deleted images. */
  imageIds?: ImageIdentifier[];
  /** Any failures associated with the call. */
  failures?: ImageFailure[];
}

export interface BatchGetImageRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the images to describe. */
  registryId?: string;
  /** The repository that contains the images to describe. */
  repositoryName: string;
  /** A list of image ID references that correspond to images to describe. */
  imageIds: ImageIdentifier[];
  /** The accepted media types for the request. */
  acceptedMediaTypes?: string[];
}

/** An object representing an Amazon ECR image. */
export interface Image {
  /** The Amazon Web Services account ID associated with the registry containing the image. */
  registryId?: string;
  /** The name of the repository associated with the image. */
  repositoryName?: string;
  /** An object containing the image tag and image digest associated with an image. */
  imageId?: ImageIdentifier;
  /** The image manifest associated with the image. */
  imageManifest?: string;
  /** The manifest media type of the image. */
  imageManifestMediaType?: string;
}

export interface BatchGetImageResponse {
  /** A list of image objects corresponding to the image references in the request. */
  images?: Image[];
  /** Any failures associated with the call. */
  failures?: ImageFailure[];
}

export interface CompleteLayerUploadRequest {
  /** The Amazon Web Services account ID associated with the registry to which to upload layers. */
  registryId?: string;
  /** The name of the repository to associate with the image layer. */
  repositoryName: string;
  /** The upload ID from a previous InitiateLayerUpload operation to associate with the image layer. */
  uploadId: string;
  /** The sha256 digest of the image layer. */
  layerDigests: string[];
}

export interface CompleteLayerUploadResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The upload ID associated with the layer. */
  uploadId?: string;
  /** The sha256 digest of the image layer. */
  layerDigest?: string;
}

/** The metadata to apply to a resource to help you categorize and organize them. */
export interface Tag {
  /** One part of a key-value pair that make up a tag. */
  Key: string;
  /** A value acts as a descriptor within a tag category (key). */
  Value: string;
}

export const ImageTagMutability = {
  MUTABLE: 'MUTABLE',
  IMMUTABLE: 'IMMUTABLE',
  IMMUTABLE_WITH_EXCLUSION: 'IMMUTABLE_WITH_EXCLUSION',
  MUTABLE_WITH_EXCLUSION: 'MUTABLE_WITH_EXCLUSION',
} as const;
export type ImageTagMutability = (typeof ImageTagMutability)[keyof typeof ImageTagMutability];

export const ImageTagMutabilityExclusionFilterType = {
  WILDCARD: 'WILDCARD',
} as const;
export type ImageTagMutabilityExclusionFilterType = (typeof ImageTagMutabilityExclusionFilterType)[keyof typeof ImageTagMutabilityExclusionFilterType];

/** A filter that specifies which image tags should be excluded from the repository's image tag mutability setting. */
export interface ImageTagMutabilityExclusionFilter {
  /** The type of filter to apply for excluding image tags from mutability settings. */
  filterType: ImageTagMutabilityExclusionFilterType;
  /** The filter value used to match image tags for exclusion from mutability settings. */
  filter: string;
}

/** The image scanning configuration for a repository. */
export interface ImageScanningConfiguration {
  /** The setting that determines whether images are scanned after being pushed to a repository. */
  scanOnPush?: boolean;
}

export const EncryptionType = {
  AES256: 'AES256',
  KMS: 'KMS',
  KMS_DSSE: 'KMS_DSSE',
} as const;
export type EncryptionType = (typeof EncryptionType)[keyof typeof EncryptionType];

/** The encryption configuration for the repository. */
export interface EncryptionConfiguration {
  /** The encryption type to use. */
  encryptionType: EncryptionType;
  /** If you use the KMS encryption type, specify the KMS key to use for encryption. */
  kmsKey?: string;
}

export interface CreateRepositoryRequest {
  /** The Amazon Web Services account ID associated with the registry to create the repository. */
  registryId?: string;
  /** The name to use for the repository. */
  repositoryName: string;
  /** The metadata that you apply to the repository to help you categorize and organize them. */
  tags?: Tag[];
  /** The tag mutability setting for the repository. */
  imageTagMutability?: ImageTagMutability;
  /** A list of filters that specify which image tags should be excluded from the repository's image tag mutability setting. */
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
  /** The imageScanningConfiguration parameter is being deprecated, in favor of specifying the image scanning configuration at the registry level. */
  imageScanningConfiguration?: ImageScanningConfiguration;
  /** The encryption configuration for the repository. */
  encryptionConfiguration?: EncryptionConfiguration;
}

/** An object representing a repository. */
export interface Repository {
  /** The Amazon Resource Name (ARN) that identifies the repository. */
  repositoryArn?: string;
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository. */
  repositoryName?: string;
  /** The URI for the repository. */
  repositoryUri?: string;
  /** The date and time, in JavaScript date format, when the repository was created. */
  createdAt?: Date;
  /** The tag mutability setting for the repository. */
  imageTagMutability?: ImageTagMutability;
  /** A list of filters that specify which image tags are excluded from the repository's image tag mutability setting. */
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
  imageScanningConfiguration?: ImageScanningConfiguration;
  /** The encryption configuration for the repository. */
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface CreateRepositoryResponse {
  /** The repository that was created. */
  repository?: Repository;
}

export const UpstreamRegistry = {
  ecr: 'ecr',
  ecr_public: 'ecr-public',
  quay: 'quay',
  k8s: 'k8s',
  docker_hub: 'docker-hub',
  github_container_registry: 'github-container-registry',
  azure_container_registry: 'azure-container-registry',
  gitlab_container_registry: 'gitlab-container-registry',
  chainguard: 'chainguard',
} as const;
export type UpstreamRegistry = (typeof UpstreamRegistry)[keyof typeof UpstreamRegistry];

export interface CreatePullThroughCacheRuleRequest {
  /** The repository name prefix to use when caching images from the source registry. */
  ecrRepositoryPrefix: string;
  /** The registry URL of the upstream public registry to use as the source for the pull through cache rule. */
  upstreamRegistryUrl: string;
  /** The Amazon Web Services account ID associated with the registry to create the pull through cache rule for. */
  registryId?: string;
  /** The name of the upstream registry. */
  upstreamRegistry?: UpstreamRegistry;
  /** The Amazon Resource Name (ARN) of the Amazon Web Services Secrets Manager secret that identifies the credentials to authenticate to the upstream registry. */
  credentialArn?: string;
  /** Amazon Resource Name (ARN) of the IAM role to be assumed by Amazon ECR to authenticate to the ECR upstream registry. */
  customRoleArn?: string;
  /** The repository name prefix of the upstream registry to match with the upstream repository name. */
  upstreamRepositoryPrefix?: string;
}

export interface CreatePullThroughCacheRuleResponse {
  /** The Amazon ECR repository prefix associated with the pull through cache rule. */
  ecrRepositoryPrefix?: string;
  /** The upstream registry URL associated with the pull through cache rule. */
  upstreamRegistryUrl?: string;
  /** The date and time, in JavaScript date format, when the pull through cache rule was created. */
  createdAt?: Date;
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The name of the upstream registry associated with the pull through cache rule. */
  upstreamRegistry?: UpstreamRegistry;
  /** The Amazon Resource Name (ARN) of the Amazon Web Services Secrets Manager secret associated with the pull through cache rule. */
  credentialArn?: string;
  /** The ARN of the IAM role associated with the pull through cache rule. */
  customRoleArn?: string;
  /** The upstream repository prefix associated with the pull through cache rule. */
  upstreamRepositoryPrefix?: string;
}

export interface DeleteLifecyclePolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository. */
  repositoryName: string;
}

export interface DeleteLifecyclePolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON lifecycle policy text. */
  lifecyclePolicyText?: string;
  /** The time stamp of the last time that the lifecycle policy was run. */
  lastEvaluatedAt?: Date;
}

export interface DeleteRepositoryRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository to delete. */
  registryId?: string;
  /** The name of the repository to delete. */
  repositoryName: string;
  /** If true, deleting the repository force deletes the contents of the repository. */
  force?: boolean;
}

export interface DeleteRepositoryResponse {
  /** The repository that was deleted. */
  repository?: Repository;
}

export interface DeleteRepositoryPolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository policy to delete. */
  registryId?: string;
  /** The name of the repository that is associated with the repository policy to delete. */
  repositoryName: string;
}

export interface DeleteRepositoryPolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON repository policy that was deleted from the repository. */
  policyText?: string;
}

export interface DescribeImageReplicationStatusRequest {
  /** The name of the repository that the image is in. */
  repositoryName: string;
  imageId: ImageIdentifier;
  /** The Amazon Web Services account ID associated with the registry. */
  registryId?: string;
}

export const ReplicationStatus = {
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETE',
  FAILED: 'FAILED',
} as const;
export type ReplicationStatus = (typeof ReplicationStatus)[keyof typeof ReplicationStatus];

/** The status of the replication process for an image. */
export interface ImageReplicationStatus {
  /** The destination Region for the image replication. */
  region?: string;
  /** The Amazon Web Services account ID associated with the registry to which the image belongs. */
  registryId?: string;
  /** The image replication status. */
  status?: ReplicationStatus;
  /** The failure code for a replication that has failed. */
  failureCode?: string;
}

export interface DescribeImageReplicationStatusResponse {
  /** The repository name associated with the request. */
  repositoryName?: string;
  imageId?: ImageIdentifier;
  /** The replication status details for the images in the specified repository. */
  replicationStatuses?: ImageReplicationStatus[];
}

export interface DescribeImageScanFindingsRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to describe the image scan findings for. */
  registryId?: string;
  /** The repository for the image for which to describe the scan findings. */
  repositoryName: string;
  imageId: ImageIdentifier;
  /** The nextToken value returned from a previous paginated DescribeImageScanFindings request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of image scan results returned by DescribeImageScanFindings in paginated output. */
  maxResults?: number;
}

export const ScanStatus = {
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETE',
  FAILED: 'FAILED',
  UNSUPPORTED_IMAGE: 'UNSUPPORTED_IMAGE',
  ACTIVE: 'ACTIVE',
  PENDING: 'PENDING',
  SCAN_ELIGIBILITY_EXPIRED: 'SCAN_ELIGIBILITY_EXPIRED',
  FINDINGS_UNAVAILABLE: 'FINDINGS_UNAVAILABLE',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  IMAGE_ARCHIVED: 'IMAGE_ARCHIVED',
} as const;
export type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

/** The current status of an image scan. */
export interface ImageScanStatus {
  /** The current state of an image scan. */
  status?: ScanStatus;
  /** The description of the image scan status. */
  description?: string;
}

export const FindingSeverity = {
  INFORMATIONAL: 'INFORMATIONAL',
  LOW: 'LOW',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  CRITICAL: 'CRITICAL',
  UNDEFINED: 'UNDEFINED',
} as const;
export type FindingSeverity = (typeof FindingSeverity)[keyof typeof FindingSeverity];

/** This data type is used in the ImageScanFinding data type. */
export interface Attribute {
  /** The attribute key. */
  key: string;
  /** The value assigned to the attribute key. */
  value?: string;
}

/** Contains information about an image scan finding. */
export interface ImageScanFinding {
  /** The name associated with the finding, usually a CVE number. */
  name?: string;
  /** The description of the finding. */
  description?: string;
  /** A link containing additional details about the security vulnerability. */
  uri?: string;
  /** The finding severity. */
  severity?: FindingSeverity;
  /** A collection of attributes of the host from which the finding is generated. */
  attributes?: Attribute[];
}

/** The CVSS score for a finding. */
export interface CvssScore {
  /** The base CVSS score used for the finding. */
  baseScore?: number;
  /** The vector string of the CVSS score. */
  scoringVector?: string;
  /** The source of the CVSS score. */
  source?: string;
  /** The version of CVSS used for the score. */
  version?: string;
}

/** Information on the vulnerable package identified by a finding. */
export interface VulnerablePackage {
  /** The architecture of the vulnerable package. */
  arch?: string;
  /** The epoch of the vulnerable package. */
  epoch?: number;
  /** The file path of the vulnerable package. */
  filePath?: string;
  /** The name of the vulnerable package. */
  name?: string;
  /** The package manager of the vulnerable package. */
  packageManager?: string;
  /** The release of the vulnerable package. */
  release?: string;
  /** The source layer hash of the vulnerable package. */
  sourceLayerHash?: string;
  /** The version of the vulnerable package. */
  version?: string;
  /** The version of the package that contains the vulnerability fix. */
  fixedInVersion?: string;
}

/** Information about a package vulnerability finding. */
export interface PackageVulnerabilityDetails {
  /** An object that contains details about the CVSS score of a finding. */
  cvss?: CvssScore[];
  /** One or more URLs that contain details about this vulnerability type. */
  referenceUrls?: string[];
  /** One or more vulnerabilities related to the one identified in this finding. */
  relatedVulnerabilities?: string[];
  /** The source of the vulnerability information. */
  source?: string;
  /** A URL to the source of the vulnerability information. */
  sourceUrl?: string;
  /** The date and time that this vulnerability was first added to the vendor's database. */
  vendorCreatedAt?: Date;
  /** The severity the vendor has given to this vulnerability type. */
  vendorSeverity?: string;
  /** The date and time the vendor last updated this vulnerability in their database. */
  vendorUpdatedAt?: Date;
  /** The ID given to this vulnerability. */
  vulnerabilityId?: string;
  /** The packages impacted by this vulnerability. */
  vulnerablePackages?: VulnerablePackage[];
}

/** Details about the recommended course of action to remediate the finding. */
export interface Recommendation {
  /** The URL address to the CVE remediation recommendations. */
  url?: string;
  /** The recommended course of action to remediate the finding. */
  text?: string;
}

/** Information on how to remediate a finding. */
export interface Remediation {
  /** An object that contains information about the recommended course of action to remediate the finding. */
  recommendation?: Recommendation;
}

/** The image details of the Amazon ECR container image. */
export interface AwsEcrContainerImageDetails {
  /** The architecture of the Amazon ECR container image. */
  architecture?: string;
  /** The image author of the Amazon ECR container image. */
  author?: string;
  /** The image hash of the Amazon ECR container image. */
  imageHash?: string;
  /** The image tags attached to the Amazon ECR container image. */
  imageTags?: string[];
  /** The platform of the Amazon ECR container image. */
  platform?: string;
  /** The date and time the Amazon ECR container image was pushed. */
  pushedAt?: Date;
  /** The most recent date and time a cluster was running the image. */
  lastInUseAt?: Date;
  /** The number of Amazon ECS or Amazon EKS clusters currently running the image. */
  inUseCount?: number;
  /** The registry the Amazon ECR container image belongs to. */
  registry?: string;
  /** The name of the repository the Amazon ECR container image resides in. */
  repositoryName?: string;
}

/** Contains details about the resource involved in the finding. */
export interface ResourceDetails {
  /** An object that contains details about the Amazon ECR container image involved in the finding. */
  awsEcrContainerImage?: AwsEcrContainerImageDetails;
}

/** Details about the resource involved in a finding. */
export interface Resource {
  /** An object that contains details about the resource involved in a finding. */
  details?: ResourceDetails;
  /** The ID of the resource. */
  id?: string;
  /** The tags attached to the resource. */
  tags?: Record<string, string>;
  /** The type of resource. */
  type?: string;
}

/** Details on adjustments Amazon Inspector made to the CVSS score for a finding. */
export interface CvssScoreAdjustment {
  /** The metric used to adjust the CVSS score. */
  metric?: string;
  /** The reason the CVSS score has been adjustment. */
  reason?: string;
}

/** Information about the CVSS score. */
export interface CvssScoreDetails {
  /** An object that contains details about adjustment Amazon Inspector made to the CVSS score. */
  adjustments?: CvssScoreAdjustment[];
  /** The CVSS score. */
  score?: number;
  /** The source for the CVSS score. */
  scoreSource?: string;
  /** The vector for the CVSS score. */
  scoringVector?: string;
  /** The CVSS version used in scoring. */
  version?: string;
}

/** Information about the Amazon Inspector score given to a finding. */
export interface ScoreDetails {
  /** An object that contains details about the CVSS score given to a finding. */
  cvss?: CvssScoreDetails;
}

/** The details of an enhanced image scan. */
export interface EnhancedImageScanFinding {
  /** The Amazon Web Services account ID associated with the image. */
  awsAccountId?: string;
  /** The description of the finding. */
  description?: string;
  /** The Amazon Resource Number (ARN) of the finding. */
  findingArn?: string;
  /** The date and time that the finding was first observed. */
  firstObservedAt?: Date;
  /** The date and time that the finding was last observed. */
  lastObservedAt?: Date;
  /** An object that contains the details of a package vulnerability finding. */
  packageVulnerabilityDetails?: PackageVulnerabilityDetails;
  /** An object that contains the details about how to remediate a finding. */
  remediation?: Remediation;
  /** Contains information on the resources involved in a finding. */
  resources?: Resource[];
  /** The Amazon Inspector score given to the finding. */
  score?: number;
  /** An object that contains details of the Amazon Inspector score. */
  scoreDetails?: ScoreDetails;
  /** The severity of the finding. */
  severity?: string;
  /** The status of the finding. */
  status?: string;
  /** The title of the finding. */
  title?: string;
  /** The type of the finding. */
  type?: string;
  /** The date and time the finding was last updated at. */
  updatedAt?: Date;
  /** Details on whether a fix is available through a version update. */
  fixAvailable?: string;
  /** If a finding discovered in your environment has an exploit available. */
  exploitAvailable?: string;
}

/** The details of an image scan. */
export interface ImageScanFindings {
  /** The time of the last completed image scan. */
  imageScanCompletedAt?: Date;
  /** The time when the vulnerability data was last scanned. */
  vulnerabilitySourceUpdatedAt?: Date;
  /** The image vulnerability counts, sorted by severity. */
  findingSeverityCounts?: Record<string, number>;
  /** The findings from the image scan. */
  findings?: ImageScanFinding[];
  /** Details about the enhanced scan findings from Amazon Inspector. */
  enhancedFindings?: EnhancedImageScanFinding[];
}

export interface DescribeImageScanFindingsResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  imageId?: ImageIdentifier;
  /** The current state of the scan. */
  imageScanStatus?: ImageScanStatus;
  /** The information contained in the image scan findings. */
  imageScanFindings?: ImageScanFindings;
  /** The nextToken value to include in a future DescribeImageScanFindings request. */
  nextToken?: string;
}

export const TagStatus = {
  TAGGED: 'TAGGED',
  UNTAGGED: 'UNTAGGED',
  ANY: 'ANY',
} as const;
export type TagStatus = (typeof TagStatus)[keyof typeof TagStatus];

export const ImageStatusFilter = {
  ACTIVE: 'ACTIVE',
  ARCHIVED: 'ARCHIVED',
  ACTIVATING: 'ACTIVATING',
  ANY: 'ANY',
} as const;
export type ImageStatusFilter = (typeof ImageStatusFilter)[keyof typeof ImageStatusFilter];

/** An object representing a filter on a DescribeImages operation. */
export interface DescribeImagesFilter {
  /** The tag status with which to filter your DescribeImages results. */
  tagStatus?: TagStatus;
  /** The image status with which to filter your DescribeImages results. */
  imageStatus?: ImageStatusFilter;
}

export interface DescribeImagesRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to describe images. */
  registryId?: string;
  /** The repository that contains the images to describe. */
  repositoryName: string;
  /** The list of image IDs for the requested repository. */
  imageIds?: ImageIdentifier[];
  /** The nextToken value returned from a previous paginated DescribeImages request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results returned by DescribeImages in paginated output. */
  maxResults?: number;
  /** The filter key and value with which to filter your DescribeImages results. */
  filter?: DescribeImagesFilter;
}

/** A summary of the last completed image scan. */
export interface ImageScanFindingsSummary {
  /** The time of the last completed image scan. */
  imageScanCompletedAt?: Date;
  /** The time when the vulnerability data was last scanned. */
  vulnerabilitySourceUpdatedAt?: Date;
  /** The image vulnerability counts, sorted by severity. */
  findingSeverityCounts?: Record<string, number>;
}

export const ImageStatus = {
  ACTIVE: 'ACTIVE',
  ARCHIVED: 'ARCHIVED',
  ACTIVATING: 'ACTIVATING',
} as const;
export type ImageStatus = (typeof ImageStatus)[keyof typeof ImageStatus];

/** An object that describes an image returned by a DescribeImages operation. */
export interface ImageDetail {
  /** The Amazon Web Services account ID associated with the registry to which this image belongs. */
  registryId?: string;
  /** The name of the repository to which this image belongs. */
  repositoryName?: string;
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The list of tags associated with this image. */
  imageTags?: string[];
  /** The size, in bytes, of the image in the repository. */
  imageSizeInBytes?: number;
  /** The date and time, expressed in standard JavaScript date format, at which the current image was pushed to the repository. */
  imagePushedAt?: Date;
  /** The current state of the scan. */
  imageScanStatus?: ImageScanStatus;
  /** A summary of the last completed image scan. */
  imageScanFindingsSummary?: ImageScanFindingsSummary;
  /** The media type of the image manifest. */
  imageManifestMediaType?: string;
  /** The artifact media type of the image. */
  artifactMediaType?: string;
  /** The date and time, expressed in standard JavaScript date format, when Amazon ECR recorded the last image pull. */
  lastRecordedPullTime?: Date;
  /** The digest of the subject manifest for images that are referrers. */
  subjectManifestDigest?: string;
  /** The current status of the image. */
  imageStatus?: ImageStatus;
  /** The date and time, expressed in standard JavaScript date format, when the image was last transitioned to Amazon ECR archive. */
  lastArchivedAt?: Date;
  /** The date and time, expressed in standard JavaScript date format, when the image was last restored from Amazon ECR archive to Amazon ECR standard. */
  lastActivatedAt?: Date;
}

export interface DescribeImagesResponse {
  /** A list of ImageDetail objects that contain data about the image. */
  imageDetails?: ImageDetail[];
  /** The nextToken value to include in a future DescribeImages request. */
  nextToken?: string;
}

export interface DescribePullThroughCacheRulesRequest {
  /** The Amazon Web Services account ID associated with the registry to return the pull through cache rules for. */
  registryId?: string;
  /** The Amazon ECR repository prefixes associated with the pull through cache rules to return. */
  ecrRepositoryPrefixes?: string[];
  /** The nextToken value returned from a previous paginated DescribePullThroughCacheRulesRequest request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of pull through cache rules returned by DescribePullThroughCacheRulesRequest in paginated output. */
  maxResults?: number;
}

/** The details of a pull through cache rule. */
export interface PullThroughCacheRule {
  /** The Amazon ECR repository prefix associated with the pull through cache rule. */
  ecrRepositoryPrefix?: string;
  /** The upstream registry URL associated with the pull through cache rule. */
  upstreamRegistryUrl?: string;
  /** The date and time the pull through cache was created. */
  createdAt?: Date;
  /** The Amazon Web Services account ID associated with the registry the pull through cache rule is associated with. */
  registryId?: string;
  /** The ARN of the Secrets Manager secret associated with the pull through cache rule. */
  credentialArn?: string;
  /** The ARN of the IAM role associated with the pull through cache rule. */
  customRoleArn?: string;
  /** The upstream repository prefix associated with the pull through cache rule. */
  upstreamRepositoryPrefix?: string;
  /** The name of the upstream source registry associated with the pull through cache rule. */
  upstreamRegistry?: UpstreamRegistry;
  /** The date and time, in JavaScript date format, when the pull through cache rule was last updated. */
  updatedAt?: Date;
}

export interface DescribePullThroughCacheRulesResponse {
  /** The details of the pull through cache rules. */
  pullThroughCacheRules?: PullThroughCacheRule[];
  /** The nextToken value to include in a future DescribePullThroughCacheRulesRequest request. */
  nextToken?: string;
}

export interface DescribeRegistryRequest {
}

/** An array of objects representing the destination for a replication rule. */
export interface ReplicationDestination {
  /** The Region to replicate to. */
  region: string;
  /** The Amazon Web Services account ID of the Amazon ECR private registry to replicate to. */
  registryId: string;
}

export const RepositoryFilterType = {
  PREFIX_MATCH: 'PREFIX_MATCH',
} as const;
export type RepositoryFilterType = (typeof RepositoryFilterType)[keyof typeof RepositoryFilterType];

/** The filter settings used with image replication. */
export interface RepositoryFilter {
  /** The repository filter details. */
  filter: string;
  /** The repository filter type. */
  filterType: RepositoryFilterType;
}

/** An array of objects representing the replication destinations and repository filters for a replication configuration. */
export interface ReplicationRule {
  /** An array of objects representing the destination for a replication rule. */
  destinations: ReplicationDestination[];
  /** An array of objects representing the filters for a replication rule. */
  repositoryFilters?: RepositoryFilter[];
}

/** The replication configuration for a registry. */
export interface ReplicationConfiguration {
  /** An array of objects representing the replication destinations and repository filters for a replication configuration. */
  rules: ReplicationRule[];
}

export interface DescribeRegistryResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The replication configuration for the registry. */
  replicationConfiguration?: ReplicationConfiguration;
}

export interface DescribeRepositoriesRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repositories to be described. */
  registryId?: string;
  /** A list of repositories to describe. */
  repositoryNames?: string[];
  /** The nextToken value returned from a previous paginated DescribeRepositories request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results returned by DescribeRepositories in paginated output. */
  maxResults?: number;
}

export interface DescribeRepositoriesResponse {
  /** A list of repository objects corresponding to valid repositories. */
  repositories?: Repository[];
  /** The nextToken value to include in a future DescribeRepositories request. */
  nextToken?: string;
}

export interface GetAuthorizationTokenRequest {
  /** A list of Amazon Web Services account IDs that are associated with the registries for which to get AuthorizationData objects. */
  registryIds?: string[];
}

/** An object representing authorization data for an Amazon ECR registry. */
export interface AuthorizationData {
  /** A base64-encoded string that contains authorization data for the specified Amazon ECR registry. */
  authorizationToken?: string;
  /** The Unix time in seconds and milliseconds when the authorization token expires. */
  expiresAt?: Date;
  /** The registry URL to use for this authorization token in a docker login command. */
  proxyEndpoint?: string;
}

export interface GetAuthorizationTokenResponse {
  /** A list of authorization token data objects that correspond to the registryIds values in the request. */
  authorizationData?: AuthorizationData[];
}

export interface GetDownloadUrlForLayerRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the image layer to download. */
  registryId?: string;
  /** The name of the repository that is associated with the image layer to download. */
  repositoryName: string;
  /** The digest of the image layer to download. */
  layerDigest: string;
}

export interface GetDownloadUrlForLayerResponse {
  /** The pre-signed Amazon S3 download URL for the requested layer. */
  downloadUrl?: string;
  /** The digest of the image layer to download. */
  layerDigest?: string;
}

export interface GetLifecyclePolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository. */
  repositoryName: string;
}

export interface GetLifecyclePolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON lifecycle policy text. */
  lifecyclePolicyText?: string;
  /** The time stamp of the last time that the lifecycle policy was run. */
  lastEvaluatedAt?: Date;
}

/** The filter for the lifecycle policy preview. */
export interface LifecyclePolicyPreviewFilter {
  /** The tag status of the image. */
  tagStatus?: TagStatus;
}

export interface GetLifecyclePolicyPreviewRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository. */
  repositoryName: string;
  /** The list of imageIDs to be included. */
  imageIds?: ImageIdentifier[];
  /** The nextToken value returned from a previous paginated&#x2028; GetLifecyclePolicyPreviewRequest request where maxResults was used and the&#x2028; results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of repository results returned by GetLifecyclePolicyPreviewRequest in&#x2028; paginated output. */
  maxResults?: number;
  /** An optional parameter that filters results based on image tag status and all tags, if tagged. */
  filter?: LifecyclePolicyPreviewFilter;
}

export const LifecyclePolicyPreviewStatus = {
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETE',
  EXPIRED: 'EXPIRED',
  FAILED: 'FAILED',
} as const;
export type LifecyclePolicyPreviewStatus = (typeof LifecyclePolicyPreviewStatus)[keyof typeof LifecyclePolicyPreviewStatus];

export const ImageActionType = {
  EXPIRE: 'EXPIRE',
  TRANSITION: 'TRANSITION',
} as const;
export type ImageActionType = (typeof ImageActionType)[keyof typeof ImageActionType];

export const LifecyclePolicyTargetStorageClass = {
  ARCHIVE: 'ARCHIVE',
} as const;
export type LifecyclePolicyTargetStorageClass = (typeof LifecyclePolicyTargetStorageClass)[keyof typeof LifecyclePolicyTargetStorageClass];

/** The type of action to be taken. */
export interface LifecyclePolicyRuleAction {
  /** The type of action to be taken. */
  type?: ImageActionType;
  /** The target storage class for the action. */
  targetStorageClass?: LifecyclePolicyTargetStorageClass;
}

export const LifecyclePolicyStorageClass = {
  ARCHIVE: 'ARCHIVE',
  STANDARD: 'STANDARD',
} as const;
export type LifecyclePolicyStorageClass = (typeof LifecyclePolicyStorageClass)[keyof typeof LifecyclePolicyStorageClass];

/** The result of the lifecycle policy preview. */
export interface LifecyclePolicyPreviewResult {
  /** The list of tags associated with this image. */
  imageTags?: string[];
  /** The sha256 digest of the image manifest. */
  imageDigest?: string;
  /** The date and time, expressed in standard JavaScript date format, at which the current image was pushed to the repository. */
  imagePushedAt?: Date;
  /** The type of action to be taken. */
  action?: LifecyclePolicyRuleAction;
  /** The priority of the applied rule. */
  appliedRulePriority?: number;
  /** The storage class of the image. */
  storageClass?: LifecyclePolicyStorageClass;
}

/** The total count of images transitioning to a storage class. */
export interface TransitioningImageTotalCount {
  /** The target storage class. */
  targetStorageClass?: LifecyclePolicyTargetStorageClass;
  /** The total number of images transitioning to the storage class. */
  imageTotalCount?: number;
}

/** The summary of the lifecycle policy preview request. */
export interface LifecyclePolicyPreviewSummary {
  /** The number of expiring images. */
  expiringImageTotalCount?: number;
  /** The total count of images that will be transitioned to each storage class. */
  transitioningImageTotalCounts?: TransitioningImageTotalCount[];
}

export interface GetLifecyclePolicyPreviewResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON lifecycle policy text. */
  lifecyclePolicyText?: string;
  /** The status of the lifecycle policy preview request. */
  status?: LifecyclePolicyPreviewStatus;
  /** The nextToken value to include in a future GetLifecyclePolicyPreview request. */
  nextToken?: string;
  /** The results of the lifecycle policy preview request. */
  previewResults?: LifecyclePolicyPreviewResult[];
  /** The list of images that is returned as a result of the action. */
  summary?: LifecyclePolicyPreviewSummary;
}

export interface GetRegistryScanningConfigurationRequest {
}

export const ScanType = {
  BASIC: 'BASIC',
  ENHANCED: 'ENHANCED',
} as const;
export type ScanType = (typeof ScanType)[keyof typeof ScanType];

export const ScanFrequency = {
  SCAN_ON_PUSH: 'SCAN_ON_PUSH',
  CONTINUOUS_SCAN: 'CONTINUOUS_SCAN',
  MANUAL: 'MANUAL',
} as const;
export type ScanFrequency = (typeof ScanFrequency)[keyof typeof ScanFrequency];

export const ScanningRepositoryFilterType = {
  WILDCARD: 'WILDCARD',
} as const;
export type ScanningRepositoryFilterType = (typeof ScanningRepositoryFilterType)[keyof typeof ScanningRepositoryFilterType];

/** The details of a scanning repository filter. */
export interface ScanningRepositoryFilter {
  /** The filter to use when scanning. */
  filter: string;
  /** The type associated with the filter. */
  filterType: ScanningRepositoryFilterType;
}

/** The details of a scanning rule for a private registry. */
export interface RegistryScanningRule {
  /** The frequency that scans are performed at for a private registry. */
  scanFrequency: ScanFrequency;
  /** The repository filters associated with the scanning configuration for a private registry. */
  repositoryFilters: ScanningRepositoryFilter[];
}

/** The scanning configuration for a private registry. */
export interface RegistryScanningConfiguration {
  /** The type of scanning configured for the registry. */
  scanType?: ScanType;
  /** The scanning rules associated with the registry. */
  rules?: RegistryScanningRule[];
}

export interface GetRegistryScanningConfigurationResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The scanning configuration for the registry. */
  scanningConfiguration?: RegistryScanningConfiguration;
}

export interface GetRepositoryPolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository with the policy to retrieve. */
  repositoryName: string;
}

export interface GetRepositoryPolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON repository policy text associated with the repository. */
  policyText?: string;
}

export interface InitiateLayerUploadRequest {
  /** The Amazon Web Services account ID associated with the registry to which you intend to upload layers. */
  registryId?: string;
  /** The name of the repository to which you intend to upload layers. */
  repositoryName: string;
}

export interface InitiateLayerUploadResponse {
  /** The upload ID for the layer upload. */
  uploadId?: string;
  /** The size, in bytes, that Amazon ECR expects future layer part uploads to be. */
  partSize?: number;
}

/** An object representing a filter on a ListImages operation. */
export interface ListImagesFilter {
  /** The tag status with which to filter your ListImages results. */
  tagStatus?: TagStatus;
  /** The image status with which to filter your ListImages results. */
  imageStatus?: ImageStatusFilter;
}

export interface ListImagesRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to list images. */
  registryId?: string;
  /** The repository with image IDs to be listed. */
  repositoryName: string;
  /** The nextToken value returned from a previous paginated ListImages request where maxResults was used and the results exceeded the value of that parameter. */
  nextToken?: string;
  /** The maximum number of image results returned by ListImages in paginated output. */
  maxResults?: number;
  /** The filter key and value with which to filter your ListImages results. */
  filter?: ListImagesFilter;
}

export interface ListImagesResponse {
  /** The list of image IDs for the requested repository. */
  imageIds?: ImageIdentifier[];
  /** The nextToken value to include in a future ListImages request. */
  nextToken?: string;
}

export interface ListTagsForResourceRequest {
  /** The Amazon Resource Name (ARN) that identifies the resource for which to list the tags. */
  resourceArn: string;
}

export interface ListTagsForResourceResponse {
  /** The tags for the resource. */
  tags?: Tag[];
}

export interface PutImageRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to put the image. */
  registryId?: string;
  /** The name of the repository in which to put the image. */
  repositoryName: string;
  /** The image manifest corresponding to the image to be uploaded. */
  imageManifest: string;
  /** The media type of the image manifest. */
  imageManifestMediaType?: string;
  /** The tag to associate with the image. */
  imageTag?: string;
  /** The image digest of the image manifest corresponding to the image. */
  imageDigest?: string;
}

export interface PutImageResponse {
  /** Details of the image uploaded. */
  image?: Image;
}

export interface PutImageScanningConfigurationRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to update the image scanning configuration setting. */
  registryId?: string;
  /** The name of the repository in which to update the image scanning configuration setting. */
  repositoryName: string;
  /** The image scanning configuration for the repository. */
  imageScanningConfiguration: ImageScanningConfiguration;
}

export interface PutImageScanningConfigurationResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The image scanning configuration setting for the repository. */
  imageScanningConfiguration?: ImageScanningConfiguration;
}

export interface PutImageTagMutabilityRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to update the image tag mutability settings. */
  registryId?: string;
  /** The name of the repository in which to update the image tag mutability settings. */
  repositoryName: string;
  /** The tag mutability setting for the repository. */
  imageTagMutability: ImageTagMutability;
  /** A list of filters that specify which image tags should be excluded from the image tag mutability setting being applied. */
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
}

export interface PutImageTagMutabilityResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The image tag mutability setting for the repository. */
  imageTagMutability?: ImageTagMutability;
  /** The list of filters that specify which image tags are excluded from the repository's image tag mutability setting. */
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
}

export interface PutLifecyclePolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository to receive the policy. */
  repositoryName: string;
  /** The JSON repository policy text to apply to the repository. */
  lifecyclePolicyText: string;
}

export interface PutLifecyclePolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON repository policy text. */
  lifecyclePolicyText?: string;
}

export interface PutRegistryScanningConfigurationRequest {
  /** The scanning type to set for the registry. */
  scanType?: ScanType;
  /** The scanning rules to use for the registry. */
  rules?: RegistryScanningRule[];
}

export interface PutRegistryScanningConfigurationResponse {
  /** The scanning configuration for your registry. */
  registryScanningConfiguration?: RegistryScanningConfiguration;
}

export interface PutReplicationConfigurationRequest {
  /** An object representing the replication configuration for a registry. */
  replicationConfiguration: ReplicationConfiguration;
}

export interface PutReplicationConfigurationResponse {
  /** The contents of the replication configuration for the registry. */
  replicationConfiguration?: ReplicationConfiguration;
}

export interface SetRepositoryPolicyRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository to receive the policy. */
  repositoryName: string;
  /** The JSON repository policy text to apply to the repository. */
  policyText: string;
  /** If the policy you are attempting to set on a repository policy would prevent you from setting another policy in the future, you must force the SetRepositoryPolicy operation. */
  force?: boolean;
}

export interface SetRepositoryPolicyResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON repository policy text applied to the repository. */
  policyText?: string;
}

export interface StartImageScanRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository in which to start an image scan request. */
  registryId?: string;
  /** The name of the repository that contains the images to scan. */
  repositoryName: string;
  imageId: ImageIdentifier;
}

export interface StartImageScanResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  imageId?: ImageIdentifier;
  /** The current state of the scan. */
  imageScanStatus?: ImageScanStatus;
}

export interface StartLifecyclePolicyPreviewRequest {
  /** The Amazon Web Services account ID associated with the registry that contains the repository. */
  registryId?: string;
  /** The name of the repository to be evaluated. */
  repositoryName: string;
  /** The policy to be evaluated against. */
  lifecyclePolicyText?: string;
}

export interface StartLifecyclePolicyPreviewResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The JSON repository policy text. */
  lifecyclePolicyText?: string;
  /** The status of the lifecycle policy preview request. */
  status?: LifecyclePolicyPreviewStatus;
}

export interface TagResourceRequest {
  /** The Amazon Resource Name (ARN) of the the resource to which to add tags. */
  resourceArn: string;
  /** The tags to add to the resource. */
  tags: Tag[];
}

export interface TagResourceResponse {
}

export interface UntagResourceRequest {
  /** The Amazon Resource Name (ARN) of the resource from which to remove tags. */
  resourceArn: string;
  /** The keys of the tags to be removed. */
  tagKeys: string[];
}

export interface UntagResourceResponse {
}

export interface UploadLayerPartRequest {
  /** The Amazon Web Services account ID associated with the registry to which you are uploading layer parts. */
  registryId?: string;
  /** The name of the repository to which you are uploading layer parts. */
  repositoryName: string;
  /** The upload ID from a previous InitiateLayerUpload operation to associate with the layer part upload. */
  uploadId: string;
  /** The position of the first byte of the layer part witin the overall image layer. */
  partFirstByte: number;
  /** The position of the last byte of the layer part within the overall image layer. */
  partLastByte: number;
  /** The base64-encoded layer part payload. */
  layerPartBlob: Uint8Array;
}

export interface UploadLayerPartResponse {
  /** The registry ID associated with the request. */
  registryId?: string;
  /** The repository name associated with the request. */
  repositoryName?: string;
  /** The upload ID associated with the request. */
  uploadId?: string;
  /** The integer value of the last byte received in the request. */
  lastByteReceived?: number;
}

/** Every ecr operation ecrkit speaks, with its input and output shapes. */
export interface EcrOperations {
  BatchCheckLayerAvailability: { input: BatchCheckLayerAvailabilityRequest; output: BatchCheckLayerAvailabilityResponse };
  BatchDeleteImage: { input: BatchDeleteImageRequest; output: BatchDeleteImageResponse };
  BatchGetImage: { input: BatchGetImageRequest; output: BatchGetImageResponse };
  CompleteLayerUpload: { input: CompleteLayerUploadRequest; output: CompleteLayerUploadResponse };
  CreateRepository: { input: CreateRepositoryRequest; output: CreateRepositoryResponse };
  CreatePullThroughCacheRule: { input: CreatePullThroughCacheRuleRequest; output: CreatePullThroughCacheRuleResponse };
  DeleteLifecyclePolicy: { input: DeleteLifecyclePolicyRequest; output: DeleteLifecyclePolicyResponse };
  DeleteRepository: { input: DeleteRepositoryRequest; output: DeleteRepositoryResponse };
  DeleteRepositoryPolicy: { input: DeleteRepositoryPolicyRequest; output: DeleteRepositoryPolicyResponse };
  DescribeImageReplicationStatus: { input: DescribeImageReplicationStatusRequest; output: DescribeImageReplicationStatusResponse };
  DescribeImageScanFindings: { input: DescribeImageScanFindingsRequest; output: DescribeImageScanFindingsResponse };
  DescribeImages: { input: DescribeImagesRequest; output: DescribeImagesResponse };
  DescribePullThroughCacheRules: { input: DescribePullThroughCacheRulesRequest; output: DescribePullThroughCacheRulesResponse };
  DescribeRegistry: { input: DescribeRegistryRequest; output: DescribeRegistryResponse };
  DescribeRepositories: { input: DescribeRepositoriesRequest; output: DescribeRepositoriesResponse };
  GetAuthorizationToken: { input: GetAuthorizationTokenRequest; output: GetAuthorizationTokenResponse };
  GetDownloadUrlForLayer: { input: GetDownloadUrlForLayerRequest; output: GetDownloadUrlForLayerResponse };
  GetLifecyclePolicy: { input: GetLifecyclePolicyRequest; output: GetLifecyclePolicyResponse };
  GetLifecyclePolicyPreview: { input: GetLifecyclePolicyPreviewRequest; output: GetLifecyclePolicyPreviewResponse };
  GetRegistryScanningConfiguration: { input: GetRegistryScanningConfigurationRequest; output: GetRegistryScanningConfigurationResponse };
  GetRepositoryPolicy: { input: GetRepositoryPolicyRequest; output: GetRepositoryPolicyResponse };
  InitiateLayerUpload: { input: InitiateLayerUploadRequest; output: InitiateLayerUploadResponse };
  ListImages: { input: ListImagesRequest; output: ListImagesResponse };
  ListTagsForResource: { input: ListTagsForResourceRequest; output: ListTagsForResourceResponse };
  PutImage: { input: PutImageRequest; output: PutImageResponse };
  PutImageScanningConfiguration: { input: PutImageScanningConfigurationRequest; output: PutImageScanningConfigurationResponse };
  PutImageTagMutability: { input: PutImageTagMutabilityRequest; output: PutImageTagMutabilityResponse };
  PutLifecyclePolicy: { input: PutLifecyclePolicyRequest; output: PutLifecyclePolicyResponse };
  PutRegistryScanningConfiguration: { input: PutRegistryScanningConfigurationRequest; output: PutRegistryScanningConfigurationResponse };
  PutReplicationConfiguration: { input: PutReplicationConfigurationRequest; output: PutReplicationConfigurationResponse };
  SetRepositoryPolicy: { input: SetRepositoryPolicyRequest; output: SetRepositoryPolicyResponse };
  StartImageScan: { input: StartImageScanRequest; output: StartImageScanResponse };
  StartLifecyclePolicyPreview: { input: StartLifecyclePolicyPreviewRequest; output: StartLifecyclePolicyPreviewResponse };
  TagResource: { input: TagResourceRequest; output: TagResourceResponse };
  UntagResource: { input: UntagResourceRequest; output: UntagResourceResponse };
  UploadLayerPart: { input: UploadLayerPartRequest; output: UploadLayerPartResponse };
}
