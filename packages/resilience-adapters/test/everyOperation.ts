import { createHash } from 'node:crypto';
import { operationNames } from '@ecrkit/core-types';
import type { Api } from '@ecrkit/core-types';

/** Sends one call; resolves with the output or the error (never rejects). */
export type Send = (api: Api, operation: string, input: object) => Promise<{ output?: unknown; error?: unknown }>;

/** What the registry must hold before {@link exerciseEveryOperation} runs. */
export interface Fixture {
  repositoryName: string;
  publicRepositoryName: string;
  repositoryArn: string;
  /** A stored image's manifest and media type; its blobs exist in the repository. */
  manifest: string;
  mediaType: string;
  /** One layer digest of that image. */
  layerDigest: string;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Call every operation of both APIs once, with plausible inputs, carrying `canary` wherever a
 * caller could put content: a manifest annotation and uploaded layer bytes. Returns the operations
 * called, so a test can check none was missed.
 */
export async function exerciseEveryOperation(send: Send, fixture: Fixture, canary: string): Promise<Set<string>> {
  const called = new Set<string>();
  const call = async (api: Api, operation: string, input: object) => {
    called.add(`${api}:${operation}`);
    return send(api, operation, input);
  };
  const repo = { repositoryName: fixture.repositoryName };
  const pub = { repositoryName: fixture.publicRepositoryName };
  // The canary leads the document, so a leak cut short by truncation is still caught.
  const canaryManifest = JSON.stringify({ annotations: { note: canary }, ...(JSON.parse(fixture.manifest) as object) });
  const layerBytes = new TextEncoder().encode(`layer bytes ${canary} layer bytes`);

  for (const api of ['ecr', 'ecr-public'] as const) {
    const target = api === 'ecr' ? repo : pub;
    await call(api, 'GetAuthorizationToken', {});
    await call(api, 'DescribeRepositories', {});
    await call(api, 'PutImage', { ...target, imageManifest: canaryManifest, imageManifestMediaType: fixture.mediaType, imageTag: 'canary' });
    await call(api, 'BatchCheckLayerAvailability', { ...target, layerDigests: [fixture.layerDigest] });
    const initiated = await call(api, 'InitiateLayerUpload', target);
    const uploadId = (initiated.output as { uploadId?: string } | undefined)?.uploadId ?? 'no-upload';
    await call(api, 'UploadLayerPart', { ...target, uploadId, partFirstByte: 0, partLastByte: layerBytes.length - 1, layerPartBlob: layerBytes });
    await call(api, 'CompleteLayerUpload', { ...target, uploadId, layerDigests: [sha256(layerBytes)] });
    await call(api, 'DescribeImages', target);
    await call(api, 'BatchDeleteImage', { ...target, imageIds: [{ imageTag: 'canary' }] });
    await call(api, 'CreateRepository', { repositoryName: `${target.repositoryName}-extra` });
    await call(api, 'DeleteRepository', { repositoryName: `${target.repositoryName}-extra`, force: true });
  }

  await call('ecr', 'PutImage', { ...repo, imageManifest: canaryManifest, imageManifestMediaType: fixture.mediaType, imageTag: 'canary' });
  await call('ecr', 'BatchGetImage', { ...repo, imageIds: [{ imageTag: 'canary' }] });
  await call('ecr', 'ListImages', repo);
  await call('ecr', 'GetDownloadUrlForLayer', { ...repo, layerDigest: fixture.layerDigest });
  await call('ecr', 'StartImageScan', { ...repo, imageId: { imageTag: 'canary' } });
  await call('ecr', 'DescribeImageScanFindings', { ...repo, imageId: { imageTag: 'canary' } });
  await call('ecr', 'DescribeImageScanFindings', { ...repo, imageId: { imageTag: 'canary' } });
  await call('ecr', 'DescribeImageReplicationStatus', { ...repo, imageId: { imageTag: 'canary' } });
  await call('ecr', 'PutImageScanningConfiguration', { ...repo, imageScanningConfiguration: { scanOnPush: true } });
  await call('ecr', 'PutImageTagMutability', { ...repo, imageTagMutability: 'MUTABLE' });
  const policy = JSON.stringify({
    rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
  });
  await call('ecr', 'PutLifecyclePolicy', { ...repo, lifecyclePolicyText: policy });
  await call('ecr', 'GetLifecyclePolicy', repo);
  await call('ecr', 'StartLifecyclePolicyPreview', repo);
  await call('ecr', 'GetLifecyclePolicyPreview', repo);
  await call('ecr', 'DeleteLifecyclePolicy', repo);
  await call('ecr', 'SetRepositoryPolicy', { ...repo, policyText: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
  await call('ecr', 'GetRepositoryPolicy', repo);
  await call('ecr', 'DeleteRepositoryPolicy', repo);
  await call('ecr', 'TagResource', { resourceArn: fixture.repositoryArn, tags: [{ Key: 'team', Value: 'platform' }] });
  await call('ecr', 'ListTagsForResource', { resourceArn: fixture.repositoryArn });
  await call('ecr', 'UntagResource', { resourceArn: fixture.repositoryArn, tagKeys: ['team'] });
  await call('ecr', 'CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
  await call('ecr', 'DescribePullThroughCacheRules', {});
  await call('ecr', 'DescribeRegistry', {});
  await call('ecr', 'GetRegistryScanningConfiguration', {});
  await call('ecr', 'PutRegistryScanningConfiguration', { scanType: 'BASIC', rules: [] });
  const account = fixture.repositoryArn.split(':')[4]!;
  const destination = { region: 'eu-west-1', registryId: account };
  await call('ecr', 'PutReplicationConfiguration', { replicationConfiguration: { rules: [{ destinations: [destination] }] } });
  await call('ecr-public', 'DescribeImageTags', pub);
  await call('ecr-public', 'DescribeRegistries', {});
  await call('ecr-public', 'GetRegistryCatalogData', {});
  await call('ecr-public', 'PutRepositoryCatalogData', { ...pub, catalogData: { description: 'public images' } });
  await call('ecr-public', 'GetRepositoryCatalogData', pub);

  const registryPolicy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'ecr:ReplicateImage' }] });
  await call('ecr', 'PutRegistryPolicy', { policyText: registryPolicy });
  await call('ecr', 'GetRegistryPolicy', {});
  await call('ecr', 'DeleteRegistryPolicy', {});
  await call('ecr', 'PutAccountSetting', { name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
  await call('ecr', 'GetAccountSetting', { name: 'BASIC_SCAN_TYPE_VERSION' });
  await call('ecr', 'BatchGetRepositoryScanningConfiguration', { repositoryNames: [fixture.repositoryName] });
  await call('ecr', 'UpdatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay', customRoleArn: `arn:aws:iam::${account}:role/cache` });
  await call('ecr', 'ValidatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay' });
  await call('ecr', 'DeletePullThroughCacheRule', { ecrRepositoryPrefix: 'quay' });
  await call('ecr', 'CreateRepositoryCreationTemplate', { prefix: 'canary', description: 'templates for cached images', appliedFor: ['PULL_THROUGH_CACHE'] });
  await call('ecr', 'DescribeRepositoryCreationTemplates', {});
  await call('ecr', 'UpdateRepositoryCreationTemplate', { prefix: 'canary', imageTagMutability: 'IMMUTABLE' });
  await call('ecr', 'DeleteRepositoryCreationTemplate', { prefix: 'canary' });
  const signingConfiguration = { rules: [{ signingProfileArn: `arn:aws:signer:us-east-1:${account}:/signing-profiles/canary` }] };
  await call('ecr', 'PutSigningConfiguration', { signingConfiguration });
  await call('ecr', 'GetSigningConfiguration', {});
  await call('ecr', 'DescribeImageSigningStatus', { ...repo, imageId: { imageTag: 'canary' } });
  await call('ecr', 'DeleteSigningConfiguration', {});
  await call('ecr', 'ListImageReferrers', { ...repo, subjectId: { imageDigest: sha256(new TextEncoder().encode(canaryManifest)) } });
  await call('ecr', 'UpdateImageStorageClass', { ...repo, imageId: { imageTag: 'canary' }, targetStorageClass: 'ARCHIVE' });
  const principalArn = `arn:aws:iam::${account}:role/canary`;
  await call('ecr', 'RegisterPullTimeUpdateExclusion', { principalArn });
  await call('ecr', 'ListPullTimeUpdateExclusions', {});
  await call('ecr', 'DeregisterPullTimeUpdateExclusion', { principalArn });
  const backfill = await call('ecr', 'StartReplicationBackfill', { destination });
  const replicationBackfillId = (backfill.output as { replicationBackfillId?: string } | undefined)?.replicationBackfillId ?? 'no-backfill';
  await call('ecr', 'ListReplicationBackfills', {});
  await call('ecr', 'DescribeReplicationBackfillResults', { replicationBackfillId });
  await call('ecr', 'StopReplicationBackfill', { replicationBackfillId });
  await call('ecr-public', 'SetRepositoryPolicy', { ...pub, policyText: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
  await call('ecr-public', 'GetRepositoryPolicy', pub);
  await call('ecr-public', 'DeleteRepositoryPolicy', pub);
  const publicArn = `arn:aws:ecr-public::${account}:repository/${fixture.publicRepositoryName}`;
  await call('ecr-public', 'TagResource', { resourceArn: publicArn, tags: [{ Key: 'team', Value: 'platform' }] });
  await call('ecr-public', 'ListTagsForResource', { resourceArn: publicArn });
  await call('ecr-public', 'UntagResource', { resourceArn: publicArn, tagKeys: ['team'] });
  await call('ecr-public', 'PutRegistryCatalogData', { displayName: 'Canary Corp' });
  return called;
}

/** Every operation of both APIs, as `api:Operation`. */
export function everyOperation(): string[] {
  return [...operationNames('ecr').map((op) => `ecr:${op}`), ...operationNames('ecr-public').map((op) => `ecr-public:${op}`)];
}
