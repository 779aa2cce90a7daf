import type { Api } from '@ecrkit/core-types';
import {
  CreateRepositoryCreationTemplate,
  DeleteRepositoryCreationTemplate,
  DescribeRepositoryCreationTemplates,
  UpdateRepositoryCreationTemplate,
} from './creationTemplates.js';
import { ecrPublicHandlers } from './ecrPublic.js';
import { BatchDeleteImage, BatchGetImage, DescribeImages, ListImages, PutImage } from './images.js';
import { BatchCheckLayerAvailability, CompleteLayerUpload, GetDownloadUrlForLayer, InitiateLayerUpload, UploadLayerPart } from './layers.js';
import type { OperationHandler } from './OpContext.js';
import {
  DeleteLifecyclePolicy,
  DeleteRepositoryPolicy,
  GetLifecyclePolicy,
  GetLifecyclePolicyPreview,
  GetRepositoryPolicy,
  PutLifecyclePolicy,
  SetRepositoryPolicy,
  StartLifecyclePolicyPreview,
} from './policies.js';
import {
  CreatePullThroughCacheRule,
  DeletePullThroughCacheRule,
  DescribePullThroughCacheRules,
  UpdatePullThroughCacheRule,
  ValidatePullThroughCacheRule,
} from './pullThroughCache.js';
import { DeregisterPullTimeUpdateExclusion, ListPullTimeUpdateExclusions, RegisterPullTimeUpdateExclusion } from './pullTimeExclusions.js';
import { ListImageReferrers } from './referrers.js';
import { DescribeImageReplicationStatus, DescribeRegistry, GetAuthorizationToken, PutReplicationConfiguration } from './registry.js';
import { DeleteRegistryPolicy, GetAccountSetting, GetRegistryPolicy, PutAccountSetting, PutRegistryPolicy } from './registryPolicy.js';
import { DescribeReplicationBackfillResults, ListReplicationBackfills, StartReplicationBackfill, StopReplicationBackfill } from './replicationBackfill.js';
import {
  CreateRepository,
  DeleteRepository,
  DescribeRepositories,
  ListTagsForResource,
  PutImageScanningConfiguration,
  PutImageTagMutability,
  TagResource,
  UntagResource,
} from './repositories.js';
import {
  BatchGetRepositoryScanningConfiguration,
  DescribeImageScanFindings,
  GetRegistryScanningConfiguration,
  PutRegistryScanningConfiguration,
  StartImageScan,
} from './scans.js';
import { DeleteSigningConfiguration, DescribeImageSigningStatus, GetSigningConfiguration, PutSigningConfiguration } from './signing.js';
import { UpdateImageStorageClass } from './storageClass.js';

/** Every private ECR operation of core-types' operation table. */
export const ecrHandlers: Record<string, OperationHandler> = {
  BatchCheckLayerAvailability,
  BatchDeleteImage,
  BatchGetImage,
  BatchGetRepositoryScanningConfiguration,
  CompleteLayerUpload,
  CreatePullThroughCacheRule,
  CreateRepository,
  CreateRepositoryCreationTemplate,
  DeleteLifecyclePolicy,
  DeletePullThroughCacheRule,
  DeleteRegistryPolicy,
  DeleteRepository,
  DeleteRepositoryCreationTemplate,
  DeleteRepositoryPolicy,
  DeleteSigningConfiguration,
  DeregisterPullTimeUpdateExclusion,
  DescribeImageReplicationStatus,
  DescribeImageScanFindings,
  DescribeImageSigningStatus,
  DescribeImages,
  DescribePullThroughCacheRules,
  DescribeRegistry,
  DescribeReplicationBackfillResults,
  DescribeRepositories,
  DescribeRepositoryCreationTemplates,
  GetAccountSetting,
  GetAuthorizationToken,
  GetDownloadUrlForLayer,
  GetLifecyclePolicy,
  GetLifecyclePolicyPreview,
  GetRegistryPolicy,
  GetRegistryScanningConfiguration,
  GetRepositoryPolicy,
  GetSigningConfiguration,
  InitiateLayerUpload,
  ListImageReferrers,
  ListImages,
  ListPullTimeUpdateExclusions,
  ListReplicationBackfills,
  ListTagsForResource,
  PutAccountSetting,
  PutImage,
  PutImageScanningConfiguration,
  PutImageTagMutability,
  PutLifecyclePolicy,
  PutRegistryPolicy,
  PutRegistryScanningConfiguration,
  PutReplicationConfiguration,
  PutSigningConfiguration,
  RegisterPullTimeUpdateExclusion,
  SetRepositoryPolicy,
  StartImageScan,
  StartLifecyclePolicyPreview,
  StartReplicationBackfill,
  StopReplicationBackfill,
  TagResource,
  UntagResource,
  UpdateImageStorageClass,
  UpdatePullThroughCacheRule,
  UpdateRepositoryCreationTemplate,
  UploadLayerPart,
  ValidatePullThroughCacheRule,
};

/** The handler for an operation of an API, or `undefined`. */
export function handlerFor(api: Api, operation: string): OperationHandler | undefined {
  const table = api === 'ecr' ? ecrHandlers : ecrPublicHandlers;
  return Object.hasOwn(table, operation) ? table[operation] : undefined;
}
