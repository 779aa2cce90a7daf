// Generated from the ECR and ECR Public service models. Do not edit by hand.
import type { OperationSpec } from './OperationSpec.js';

/** Private ECR (AmazonEC2ContainerRegistry_V20150921), signing name `ecr`. */
export const ecrOperations = {
  BatchCheckLayerAvailability: {
    target: 'AmazonEC2ContainerRegistry_V20150921.BatchCheckLayerAvailability',
    mutating: false,
    errors: ["RepositoryNotFoundException", "InvalidParameterException", "ServerException"],
  },
  BatchDeleteImage: {
    target: 'AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException"],
  },
  BatchGetImage: {
    target: 'AmazonEC2ContainerRegistry_V20150921.BatchGetImage',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "LimitExceededException", "UnableToGetUpstreamImageException"],
  },
  CompleteLayerUpload: {
    target: 'AmazonEC2ContainerRegistry_V20150921.CompleteLayerUpload',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UploadNotFoundException", "InvalidLayerException", "LayerPartTooSmallException", "LayerAlreadyExistsException", "EmptyUploadException", "KmsException"],
  },
  CreateRepository: {
    target: 'AmazonEC2ContainerRegistry_V20150921.CreateRepository',
    mutating: true,
    outputTimestamps: ["repository.createdAt"],
    errors: ["ServerException", "InvalidParameterException", "InvalidTagParameterException", "TooManyTagsException", "RepositoryAlreadyExistsException", "LimitExceededException", "KmsException"],
  },
  CreatePullThroughCacheRule: {
    target: 'AmazonEC2ContainerRegistry_V20150921.CreatePullThroughCacheRule',
    mutating: true,
    outputTimestamps: ["createdAt"],
    errors: ["ServerException", "InvalidParameterException", "ValidationException", "PullThroughCacheRuleAlreadyExistsException", "UnsupportedUpstreamRegistryException", "LimitExceededException", "UnableToAccessSecretException", "SecretNotFoundException", "UnableToDecryptSecretValueException"],
  },
  DeleteLifecyclePolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DeleteLifecyclePolicy',
    mutating: true,
    outputTimestamps: ["lastEvaluatedAt"],
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "LifecyclePolicyNotFoundException", "ValidationException"],
  },
  DeleteRepository: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DeleteRepository',
    mutating: true,
    outputTimestamps: ["repository.createdAt"],
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "RepositoryNotEmptyException", "KmsException"],
  },
  DeleteRepositoryPolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DeleteRepositoryPolicy',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "RepositoryPolicyNotFoundException"],
  },
  DescribeImageReplicationStatus: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribeImageReplicationStatus',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "ImageNotFoundException", "RepositoryNotFoundException", "ValidationException"],
  },
  DescribeImageScanFindings: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings',
    mutating: false,
    outputTimestamps: ["imageScanFindings.imageScanCompletedAt", "imageScanFindings.vulnerabilitySourceUpdatedAt", "imageScanFindings.enhancedFindings.*.firstObservedAt", "imageScanFindings.enhancedFindings.*.lastObservedAt", "imageScanFindings.enhancedFindings.*.packageVulnerabilityDetails.vendorCreatedAt", "imageScanFindings.enhancedFindings.*.packageVulnerabilityDetails.vendorUpdatedAt", "imageScanFindings.enhancedFindings.*.resources.*.details.awsEcrContainerImage.pushedAt", "imageScanFindings.enhancedFindings.*.resources.*.details.awsEcrContainerImage.lastInUseAt", "imageScanFindings.enhancedFindings.*.updatedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["imageScanFindings.findings", "imageScanFindings.enhancedFindings"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ImageNotFoundException", "ScanNotFoundException", "ValidationException"],
  },
  DescribeImages: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribeImages',
    mutating: false,
    outputTimestamps: ["imageDetails.*.imagePushedAt", "imageDetails.*.imageScanFindingsSummary.imageScanCompletedAt", "imageDetails.*.imageScanFindingsSummary.vulnerabilitySourceUpdatedAt", "imageDetails.*.lastRecordedPullTime", "imageDetails.*.lastArchivedAt", "imageDetails.*.lastActivatedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["imageDetails"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ImageNotFoundException"],
  },
  DescribePullThroughCacheRules: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribePullThroughCacheRules',
    mutating: false,
    outputTimestamps: ["pullThroughCacheRules.*.createdAt", "pullThroughCacheRules.*.updatedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["pullThroughCacheRules"] },
    errors: ["ServerException", "InvalidParameterException", "ValidationException", "PullThroughCacheRuleNotFoundException"],
  },
  DescribeRegistry: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribeRegistry',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "ValidationException"],
  },
  DescribeRepositories: {
    target: 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories',
    mutating: false,
    outputTimestamps: ["repositories.*.createdAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["repositories"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException"],
  },
  GetAuthorizationToken: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    mutating: false,
    outputTimestamps: ["authorizationData.*.expiresAt"],
    errors: ["ServerException", "InvalidParameterException"],
  },
  GetDownloadUrlForLayer: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetDownloadUrlForLayer',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "LayersNotFoundException", "LayerInaccessibleException", "RepositoryNotFoundException", "UnableToGetUpstreamLayerException"],
  },
  GetLifecyclePolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetLifecyclePolicy',
    mutating: false,
    outputTimestamps: ["lastEvaluatedAt"],
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "LifecyclePolicyNotFoundException", "ValidationException"],
  },
  GetLifecyclePolicyPreview: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetLifecyclePolicyPreview',
    mutating: false,
    outputTimestamps: ["previewResults.*.imagePushedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["previewResults"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "LifecyclePolicyPreviewNotFoundException", "ValidationException"],
  },
  GetRegistryScanningConfiguration: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetRegistryScanningConfiguration',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "ValidationException"],
  },
  GetRepositoryPolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.GetRepositoryPolicy',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "RepositoryPolicyNotFoundException"],
  },
  InitiateLayerUpload: {
    target: 'AmazonEC2ContainerRegistry_V20150921.InitiateLayerUpload',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "KmsException"],
  },
  ListImages: {
    target: 'AmazonEC2ContainerRegistry_V20150921.ListImages',
    mutating: false,
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["imageIds"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException"],
  },
  ListTagsForResource: {
    target: 'AmazonEC2ContainerRegistry_V20150921.ListTagsForResource',
    mutating: false,
    errors: ["InvalidParameterException", "RepositoryNotFoundException", "ServerException"],
  },
  PutImage: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutImage',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ImageAlreadyExistsException", "LayersNotFoundException", "ReferencedImagesNotFoundException", "LimitExceededException", "ImageTagAlreadyExistsException", "ImageDigestDoesNotMatchException", "KmsException"],
  },
  PutImageScanningConfiguration: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutImageScanningConfiguration',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ValidationException"],
  },
  PutImageTagMutability: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutImageTagMutability',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException"],
  },
  PutLifecyclePolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutLifecyclePolicy',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ValidationException"],
  },
  PutRegistryScanningConfiguration: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutRegistryScanningConfiguration',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "ValidationException", "BlockedByOrganizationPolicyException"],
  },
  PutReplicationConfiguration: {
    target: 'AmazonEC2ContainerRegistry_V20150921.PutReplicationConfiguration',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "ValidationException"],
  },
  SetRepositoryPolicy: {
    target: 'AmazonEC2ContainerRegistry_V20150921.SetRepositoryPolicy',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException"],
  },
  StartImageScan: {
    target: 'AmazonEC2ContainerRegistry_V20150921.StartImageScan',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "UnsupportedImageTypeException", "LimitExceededException", "RepositoryNotFoundException", "ImageNotFoundException", "ValidationException", "ImageArchivedException"],
  },
  StartLifecyclePolicyPreview: {
    target: 'AmazonEC2ContainerRegistry_V20150921.StartLifecyclePolicyPreview',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "LifecyclePolicyNotFoundException", "LifecyclePolicyPreviewInProgressException", "ValidationException"],
  },
  TagResource: {
    target: 'AmazonEC2ContainerRegistry_V20150921.TagResource',
    mutating: true,
    errors: ["InvalidParameterException", "InvalidTagParameterException", "TooManyTagsException", "RepositoryNotFoundException", "ServerException"],
  },
  UntagResource: {
    target: 'AmazonEC2ContainerRegistry_V20150921.UntagResource',
    mutating: true,
    errors: ["InvalidParameterException", "InvalidTagParameterException", "TooManyTagsException", "RepositoryNotFoundException", "ServerException"],
  },
  UploadLayerPart: {
    target: 'AmazonEC2ContainerRegistry_V20150921.UploadLayerPart',
    mutating: true,
    inputBlobs: ["layerPartBlob"],
    errors: ["ServerException", "InvalidParameterException", "InvalidLayerPartException", "RepositoryNotFoundException", "UploadNotFoundException", "LimitExceededException", "KmsException"],
  },
} as const satisfies Record<string, OperationSpec>;

/** ECR Public (SpencerFrontendService), signing name `ecr-public`, always signed for us-east-1. */
export const ecrPublicOperations = {
  BatchCheckLayerAvailability: {
    target: 'SpencerFrontendService.BatchCheckLayerAvailability',
    mutating: false,
    errors: ["RepositoryNotFoundException", "InvalidParameterException", "ServerException", "RegistryNotFoundException", "UnsupportedCommandException"],
  },
  BatchDeleteImage: {
    target: 'SpencerFrontendService.BatchDeleteImage',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UnsupportedCommandException"],
  },
  CompleteLayerUpload: {
    target: 'SpencerFrontendService.CompleteLayerUpload',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UploadNotFoundException", "InvalidLayerException", "LayerPartTooSmallException", "LayerAlreadyExistsException", "EmptyUploadException", "RegistryNotFoundException", "UnsupportedCommandException"],
  },
  CreateRepository: {
    target: 'SpencerFrontendService.CreateRepository',
    mutating: true,
    outputTimestamps: ["repository.createdAt"],
    inputBlobs: ["catalogData.logoImageBlob"],
    errors: ["ServerException", "InvalidParameterException", "InvalidTagParameterException", "TooManyTagsException", "RepositoryAlreadyExistsException", "LimitExceededException", "UnsupportedCommandException"],
  },
  DeleteRepository: {
    target: 'SpencerFrontendService.DeleteRepository',
    mutating: true,
    outputTimestamps: ["repository.createdAt"],
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "RepositoryNotEmptyException", "UnsupportedCommandException"],
  },
  DescribeImageTags: {
    target: 'SpencerFrontendService.DescribeImageTags',
    mutating: false,
    outputTimestamps: ["imageTagDetails.*.createdAt", "imageTagDetails.*.imageDetail.imagePushedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["imageTagDetails"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UnsupportedCommandException"],
  },
  DescribeImages: {
    target: 'SpencerFrontendService.DescribeImages',
    mutating: false,
    outputTimestamps: ["imageDetails.*.imagePushedAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["imageDetails"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ImageNotFoundException", "UnsupportedCommandException"],
  },
  DescribeRegistries: {
    target: 'SpencerFrontendService.DescribeRegistries',
    mutating: false,
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["registries"] },
    errors: ["InvalidParameterException", "UnsupportedCommandException", "ServerException"],
  },
  DescribeRepositories: {
    target: 'SpencerFrontendService.DescribeRepositories',
    mutating: false,
    outputTimestamps: ["repositories.*.createdAt"],
    pagination: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ["repositories"] },
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UnsupportedCommandException"],
  },
  GetAuthorizationToken: {
    target: 'SpencerFrontendService.GetAuthorizationToken',
    mutating: false,
    outputTimestamps: ["authorizationData.expiresAt"],
    errors: ["ServerException", "InvalidParameterException", "UnsupportedCommandException"],
  },
  GetRegistryCatalogData: {
    target: 'SpencerFrontendService.GetRegistryCatalogData',
    mutating: false,
    errors: ["ServerException", "UnsupportedCommandException"],
  },
  GetRepositoryCatalogData: {
    target: 'SpencerFrontendService.GetRepositoryCatalogData',
    mutating: false,
    errors: ["ServerException", "InvalidParameterException", "RepositoryCatalogDataNotFoundException", "RepositoryNotFoundException", "UnsupportedCommandException"],
  },
  InitiateLayerUpload: {
    target: 'SpencerFrontendService.InitiateLayerUpload',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "RegistryNotFoundException", "UnsupportedCommandException"],
  },
  PutImage: {
    target: 'SpencerFrontendService.PutImage',
    mutating: true,
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "ImageAlreadyExistsException", "LayersNotFoundException", "ReferencedImagesNotFoundException", "LimitExceededException", "ImageTagAlreadyExistsException", "ImageDigestDoesNotMatchException", "RegistryNotFoundException", "UnsupportedCommandException"],
  },
  PutRepositoryCatalogData: {
    target: 'SpencerFrontendService.PutRepositoryCatalogData',
    mutating: true,
    inputBlobs: ["catalogData.logoImageBlob"],
    errors: ["ServerException", "InvalidParameterException", "RepositoryNotFoundException", "UnsupportedCommandException"],
  },
  UploadLayerPart: {
    target: 'SpencerFrontendService.UploadLayerPart',
    mutating: true,
    inputBlobs: ["layerPartBlob"],
    errors: ["ServerException", "InvalidParameterException", "InvalidLayerPartException", "RepositoryNotFoundException", "UploadNotFoundException", "LimitExceededException", "RegistryNotFoundException", "UnsupportedCommandException"],
  },
} as const satisfies Record<string, OperationSpec>;
