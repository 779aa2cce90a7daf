import type { Api } from '@ecrkit/core-types';
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
  DescribeImageReplicationStatus,
  DescribePullThroughCacheRules,
  DescribeRegistry,
  GetAuthorizationToken,
  PutReplicationConfiguration,
} from './registry.js';
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
import { DescribeImageScanFindings, GetRegistryScanningConfiguration, PutRegistryScanningConfiguration, StartImageScan } from './scans.js';

/** Every private ECR operation of core-types' operation table. */
export const ecrHandlers: Record<string, OperationHandler> = {
  BatchCheckLayerAvailability,
  BatchDeleteImage,
  BatchGetImage,
  CompleteLayerUpload,
  CreateRepository,
  CreatePullThroughCacheRule,
  DeleteLifecyclePolicy,
  DeleteRepository,
  DeleteRepositoryPolicy,
  DescribeImageReplicationStatus,
  DescribeImageScanFindings,
  DescribeImages,
  DescribePullThroughCacheRules,
  DescribeRegistry,
  DescribeRepositories,
  GetAuthorizationToken,
  GetDownloadUrlForLayer,
  GetLifecyclePolicy,
  GetLifecyclePolicyPreview,
  GetRegistryScanningConfiguration,
  GetRepositoryPolicy,
  InitiateLayerUpload,
  ListImages,
  ListTagsForResource,
  PutImage,
  PutImageScanningConfiguration,
  PutImageTagMutability,
  PutLifecyclePolicy,
  PutRegistryScanningConfiguration,
  PutReplicationConfiguration,
  SetRepositoryPolicy,
  StartImageScan,
  StartLifecyclePolicyPreview,
  TagResource,
  UntagResource,
  UploadLayerPart,
};

/** The handler for an operation of an API, or `undefined`. */
export function handlerFor(api: Api, operation: string): OperationHandler | undefined {
  const table = api === 'ecr' ? ecrHandlers : ecrPublicHandlers;
  return Object.hasOwn(table, operation) ? table[operation] : undefined;
}
