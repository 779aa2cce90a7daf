import { createHash } from 'node:crypto';
import type { Api } from '@ecrkit/core-types';
import type { SimulatedRegistry } from '@ecrkit/simulation';

/** The account and region every scenario works in (the simulation's defaults). */
export const contractAccountId = '123456789012';
export const contractRegion = 'us-east-1';

/**
 * One call to make against a prepared registry: `setup` builds the state (deterministically:
 * the same seed gives the same bytes) and returns the input; `check` asserts on the output.
 */
export interface Scenario {
  setup(registry: SimulatedRegistry): unknown;
  check?(output: Record<string, unknown>): void;
}

const lifecyclePolicy = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'keep two', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 }, action: { type: 'expire' } },
  ],
});
const repositoryPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${contractAccountId}:root` }, Action: ['ecr:BatchGetImage'] }],
});
const repoArn = (name: string) => `arn:aws:ecr:${contractRegion}:${contractAccountId}:repository/${name}`;
const publicArn = (name: string) => `arn:aws:ecr-public::${contractAccountId}:repository/${name}`;

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`contract check failed: ${message}`);
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A started upload with one part received: what CompleteLayerUpload needs. */
function uploadedPart(registry: SimulatedRegistry, api: Api, repositoryName: string, bytes: Uint8Array): string {
  const { uploadId } = registry.applySync({ api, operation: 'InitiateLayerUpload', input: { repositoryName } }) as { uploadId: string };
  registry.applySync({
    api,
    operation: 'UploadLayerPart',
    input: { repositoryName, uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes },
  });
  return uploadId;
}

const blob = new TextEncoder().encode('a layer of the contract suite');
const registryPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'replicate',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: ['ecr:ReplicateImage', 'ecr:CreateRepository'],
      Resource: '*',
    },
  ],
});
const signingProfile = `arn:aws:signer:${contractRegion}:${contractAccountId}:/signing-profiles/contract_signing`;
const principal = `arn:aws:iam::${contractAccountId}:role/contract-ci`;
const secretArn = `arn:aws:secretsmanager:${contractRegion}:${contractAccountId}:secret:ecr-pullthroughcache/contract-AbCdEf`;
const backfillDestination = { region: 'eu-west-1', registryId: contractAccountId };

/** A pull-through rule for Docker Hub (which needs a credential ARN). */
function hubRule(registry: SimulatedRegistry): void {
  registry.applySync({
    api: 'ecr',
    operation: 'CreatePullThroughCacheRule',
    input: { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: secretArn },
  });
}

/** A repository creation template for `prod/`. */
function prodTemplate(registry: SimulatedRegistry): void {
  registry.applySync({
    api: 'ecr',
    operation: 'CreateRepositoryCreationTemplate',
    input: { prefix: 'prod', appliedFor: ['REPLICATION', 'PULL_THROUGH_CACHE'] },
  });
}

/** A backfill to eu-west-1 over a repository with one image; returns its id. */
function startedBackfill(registry: SimulatedRegistry): string {
  registry.addImage('web-app', { tags: ['v1'] });
  registry.configureReplication({ destinations: [{ region: 'eu-west-1' }] });
  const { replicationBackfillId } = registry.applySync({ api: 'ecr', operation: 'StartReplicationBackfill', input: { destination: backfillDestination } }) as {
    replicationBackfillId: string;
  };
  return replicationBackfillId;
}

/** A subject image and an SBOM referring to it, pushed; returns the subject's digest. */
function subjectWithSbom(registry: SimulatedRegistry): string {
  const subject = registry.addImage('web-app', { tags: ['v1'], mediaType: 'oci' });
  const empty = new TextEncoder().encode('{}');
  const sbom = new TextEncoder().encode('{"spdxVersion":"SPDX-2.3"}');
  for (const bytes of [empty, sbom]) {
    registry.applySync({
      api: 'ecr',
      operation: 'CompleteLayerUpload',
      input: { repositoryName: 'web-app', uploadId: uploadedPart(registry, 'ecr', 'web-app', bytes), layerDigests: [sha256(bytes)] },
    });
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/spdx+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.length },
    layers: [{ mediaType: 'application/spdx+json', digest: sha256(sbom), size: sbom.length }],
    subject: { mediaType: subject.mediaType, digest: subject.imageDigest, size: new TextEncoder().encode(subject.manifest).length },
  });
  registry.applySync({ api: 'ecr', operation: 'PutImage', input: { repositoryName: 'web-app', imageManifest: manifest } });
  return subject.imageDigest;
}

const isDate = (value: unknown) => value instanceof Date;

/** A repository with a tagged single-platform image, a multi-platform index and findings. */
function gallery(registry: SimulatedRegistry): { single: string; index: string } {
  const single = registry.addImage('web-app', { tags: ['v1', 'stable'], layers: 2 });
  const index = registry.addImage('web-app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64/v8'], mediaType: 'oci' });
  registry.withScanFindings('web-app', 'v1', { critical: 1, high: 2, medium: 1, low: 3 });
  return { single: single.imageDigest, index: index.imageDigest };
}

/** A success scenario for every operation of both APIs, keyed by API and operation. */
export const operationScenarios: Record<Api, Record<string, Scenario>> = {
  ecr: {
    BatchCheckLayerAvailability: {
      setup: (r) => ({ repositoryName: 'web-app', layerDigests: [r.addImage('web-app').imageDigest.replace(/.$/, '0'), sha256(blob)] }),
      check: (o) => assert(Array.isArray(o.failures), 'failures listed'),
    },
    BatchDeleteImage: {
      setup: (r) => {
        r.addImage('web-app', { tags: ['old'] });
        return { repositoryName: 'web-app', imageIds: [{ imageTag: 'old' }, { imageTag: 'missing' }] };
      },
      check: (o) => assert((o.imageIds as unknown[]).length === 1 && (o.failures as unknown[]).length === 1, 'one deleted, one failure'),
    },
    BatchGetImage: {
      setup: (r) => {
        gallery(r);
        return {
          repositoryName: 'web-app',
          imageIds: [{ imageTag: 'v1' }, { imageTag: 'multi' }],
          acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.index.v1+json'],
        };
      },
      check: (o) => assert((o.images as unknown[]).length === 2, 'two images'),
    },
    CompleteLayerUpload: {
      setup: (r) => {
        r.withRepository('uploads');
        return { repositoryName: 'uploads', uploadId: uploadedPart(r, 'ecr', 'uploads', blob), layerDigests: [sha256(blob)] };
      },
      check: (o) => assert(o.layerDigest === sha256(blob), 'layer digest'),
    },
    CreateRepository: {
      setup: () => ({
        repositoryName: 'team/new-repo',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        tags: [{ Key: 'team', Value: 'platform' }],
      }),
      check: (o) => assert((o.repository as { createdAt?: unknown }).createdAt instanceof Date, 'createdAt is a Date'),
    },
    CreatePullThroughCacheRule: {
      setup: () => ({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' }),
      check: (o) => assert(o.createdAt instanceof Date, 'createdAt is a Date'),
    },
    DeleteLifecyclePolicy: {
      setup: (r) => {
        r.withRepository('web-app', { lifecyclePolicy });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(o.lifecyclePolicyText === lifecyclePolicy, 'policy returned'),
    },
    DeleteRepository: {
      setup: (r) => {
        r.addImage('doomed');
        return { repositoryName: 'doomed', force: true };
      },
      check: (o) => assert((o.repository as { repositoryName?: string }).repositoryName === 'doomed', 'repository returned'),
    },
    DeleteRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('web-app', { repositoryPolicy });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(typeof o.policyText === 'string', 'policy returned'),
    },
    DescribeImageReplicationStatus: {
      setup: (r) => {
        r.configureReplication({ destinations: [{ region: 'eu-west-1' }, { region: 'ap-southeast-2' }] });
        return { repositoryName: 'web-app', imageId: { imageDigest: r.addImage('web-app', { tags: ['replicated'] }).imageDigest } };
      },
      check: (o) => assert((o.replicationStatuses as unknown[]).length === 2, 'two destinations'),
    },
    DescribeImageScanFindings: {
      setup: (r) => {
        gallery(r);
        return { repositoryName: 'web-app', imageId: { imageTag: 'v1' } };
      },
      check: (o) => assert((o.imageScanFindings as { imageScanCompletedAt?: unknown }).imageScanCompletedAt instanceof Date, 'completion date'),
    },
    DescribeImages: {
      setup: (r) => {
        gallery(r);
        return { repositoryName: 'web-app' };
      },
      check: (o) => {
        const details = o.imageDetails as { imagePushedAt?: unknown }[];
        assert(details.length >= 2 && details.every((d) => d.imagePushedAt instanceof Date), 'images with push dates');
      },
    },
    DescribePullThroughCacheRules: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'CreatePullThroughCacheRule', input: { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' } });
        return {};
      },
      check: (o) => assert((o.pullThroughCacheRules as unknown[]).length === 1, 'one rule'),
    },
    DescribeRegistry: {
      setup: (r) => {
        r.configureReplication({ destinations: [{ region: 'eu-west-1' }] });
        return {};
      },
      check: (o) => assert(o.registryId === contractAccountId, 'registry id'),
    },
    DescribeRepositories: {
      setup: (r) => {
        r.withRepository('a-repo').withRepository('b-repo', { tags: { team: 'x' } });
        return { maxResults: 10 };
      },
      check: (o) => assert((o.repositories as unknown[]).length === 2, 'two repositories'),
    },
    GetAuthorizationToken: {
      setup: () => ({}),
      check: (o) => assert((o.authorizationData as { expiresAt?: unknown }[])[0]?.expiresAt instanceof Date, 'token expiry'),
    },
    GetDownloadUrlForLayer: {
      setup: (r) => {
        r.withRepository('uploads');
        r.applySync({
          api: 'ecr',
          operation: 'CompleteLayerUpload',
          input: { repositoryName: 'uploads', uploadId: uploadedPart(r, 'ecr', 'uploads', blob), layerDigests: [sha256(blob)] },
        });
        return { repositoryName: 'uploads', layerDigest: sha256(blob) };
      },
      check: (o) => assert(typeof o.downloadUrl === 'string', 'download URL'),
    },
    GetLifecyclePolicy: {
      setup: (r) => {
        r.withRepository('web-app', { lifecyclePolicy });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(o.lifecyclePolicyText === lifecyclePolicy && o.lastEvaluatedAt instanceof Date, 'policy text and evaluation date'),
    },
    GetLifecyclePolicyPreview: {
      setup: (r) => {
        r.withRepository('web-app', { lifecyclePolicy });
        for (const tag of ['a', 'b', 'c', 'd']) r.addImage('web-app', { tags: [tag] });
        r.applySync({ api: 'ecr', operation: 'StartLifecyclePolicyPreview', input: { repositoryName: 'web-app' } });
        r.applySync({ api: 'ecr', operation: 'GetLifecyclePolicyPreview', input: { repositoryName: 'web-app' } });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(o.status === 'COMPLETE' && (o.previewResults as unknown[]).length === 2, 'two images expire'),
    },
    GetRegistryScanningConfiguration: { setup: () => ({}), check: (o) => assert(typeof o.registryId === 'string', 'registry id') },
    GetRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('web-app', { repositoryPolicy });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(typeof o.policyText === 'string', 'policy text'),
    },
    InitiateLayerUpload: {
      setup: (r) => {
        r.withRepository('uploads');
        return { repositoryName: 'uploads' };
      },
      check: (o) => assert(typeof o.uploadId === 'string' && typeof o.partSize === 'number', 'upload id and part size'),
    },
    ListImages: {
      setup: (r) => {
        gallery(r);
        return { repositoryName: 'web-app', filter: { tagStatus: 'TAGGED' } };
      },
      check: (o) => assert((o.imageIds as unknown[]).length >= 3, 'tagged image ids'),
    },
    ListTagsForResource: {
      setup: (r) => {
        r.withRepository('web-app', { tags: { team: 'platform', env: 'prod' } });
        return { resourceArn: repoArn('web-app') };
      },
      check: (o) => assert((o.tags as unknown[]).length === 2, 'two tags'),
    },
    PutImage: {
      setup: (r) => {
        const image = r.addImage('web-app', { tags: ['v1'] });
        return { repositoryName: 'web-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'v1-copy' };
      },
      check: (o) => assert((o.image as { imageId?: { imageTag?: string } }).imageId?.imageTag === 'v1-copy', 'tagged'),
    },
    PutImageScanningConfiguration: {
      setup: (r) => {
        r.withRepository('web-app');
        return { repositoryName: 'web-app', imageScanningConfiguration: { scanOnPush: true } };
      },
      check: (o) => assert((o.imageScanningConfiguration as { scanOnPush?: boolean }).scanOnPush === true, 'scan on push'),
    },
    PutImageTagMutability: {
      setup: (r) => {
        r.withRepository('web-app');
        return { repositoryName: 'web-app', imageTagMutability: 'IMMUTABLE' };
      },
      check: (o) => assert(o.imageTagMutability === 'IMMUTABLE', 'immutable'),
    },
    PutLifecyclePolicy: {
      setup: (r) => {
        r.withRepository('web-app');
        return { repositoryName: 'web-app', lifecyclePolicyText: lifecyclePolicy };
      },
      check: (o) => assert(o.lifecyclePolicyText === lifecyclePolicy, 'policy text'),
    },
    PutRegistryScanningConfiguration: {
      setup: () => ({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] }),
      check: (o) => assert((o.registryScanningConfiguration as { scanType?: string }).scanType === 'ENHANCED', 'enhanced'),
    },
    PutReplicationConfiguration: {
      setup: () => ({ replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-west-1', registryId: contractAccountId }] }] } }),
      check: (o) => assert((o.replicationConfiguration as { rules: unknown[] }).rules.length === 1, 'one rule'),
    },
    SetRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('web-app');
        return { repositoryName: 'web-app', policyText: repositoryPolicy };
      },
      check: (o) => assert(typeof o.policyText === 'string', 'policy text'),
    },
    StartImageScan: {
      setup: (r) => {
        r.addImage('web-app', { tags: ['scan-me'] });
        return { repositoryName: 'web-app', imageId: { imageTag: 'scan-me' } };
      },
      check: (o) => assert(typeof (o.imageScanStatus as { status?: string }).status === 'string', 'scan status'),
    },
    StartLifecyclePolicyPreview: {
      setup: (r) => {
        r.withRepository('web-app', { lifecyclePolicy });
        return { repositoryName: 'web-app' };
      },
      check: (o) => assert(o.status === 'IN_PROGRESS', 'in progress'),
    },
    TagResource: {
      setup: (r) => {
        r.withRepository('web-app');
        return { resourceArn: repoArn('web-app'), tags: [{ Key: 'cost-centre', Value: '42' }] };
      },
    },
    UntagResource: {
      setup: (r) => {
        r.withRepository('web-app', { tags: { a: '1', b: '2' } });
        return { resourceArn: repoArn('web-app'), tagKeys: ['a'] };
      },
    },
    BatchGetRepositoryScanningConfiguration: {
      setup: (r) => {
        r.withRepository('web-app', { scanOnPush: true });
        return { repositoryNames: ['web-app', 'missing'] };
      },
      check: (o) => assert((o.scanningConfigurations as unknown[]).length === 1 && (o.failures as unknown[]).length === 1, 'one configuration, one failure'),
    },
    CreateRepositoryCreationTemplate: {
      setup: () => ({
        prefix: 'prod',
        appliedFor: ['PULL_THROUGH_CACHE'],
        imageTagMutability: 'IMMUTABLE',
        resourceTags: [{ Key: 'team', Value: 'platform' }],
      }),
      check: (o) => assert(isDate((o.repositoryCreationTemplate as { createdAt?: unknown }).createdAt), 'createdAt is a Date'),
    },
    DeletePullThroughCacheRule: {
      setup: (r) => {
        hubRule(r);
        return { ecrRepositoryPrefix: 'hub' };
      },
      check: (o) => assert(isDate(o.createdAt) && o.credentialArn === secretArn, 'the deleted rule'),
    },
    DeleteRegistryPolicy: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'PutRegistryPolicy', input: { policyText: registryPolicy } });
        return {};
      },
      check: (o) => assert(o.policyText === registryPolicy, 'policy returned'),
    },
    DeleteRepositoryCreationTemplate: {
      setup: (r) => {
        prodTemplate(r);
        return { prefix: 'prod' };
      },
      check: (o) => assert(isDate((o.repositoryCreationTemplate as { updatedAt?: unknown }).updatedAt), 'updatedAt is a Date'),
    },
    DeleteSigningConfiguration: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'PutSigningConfiguration', input: { signingConfiguration: { rules: [{ signingProfileArn: signingProfile }] } } });
        return {};
      },
      check: (o) => assert((o.signingConfiguration as { rules: unknown[] }).rules.length === 1, 'configuration returned'),
    },
    DeregisterPullTimeUpdateExclusion: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'RegisterPullTimeUpdateExclusion', input: { principalArn: principal } });
        return { principalArn: principal };
      },
      check: (o) => assert(o.principalArn === principal, 'principal returned'),
    },
    DescribeImageSigningStatus: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'PutSigningConfiguration', input: { signingConfiguration: { rules: [{ signingProfileArn: signingProfile }] } } });
        r.addImage('web-app', { tags: ['signed'] });
        return { repositoryName: 'web-app', imageId: { imageTag: 'signed' } };
      },
      check: (o) => assert((o.signingStatuses as { signingProfileArn?: string }[])[0]?.signingProfileArn === signingProfile, 'one signing status'),
    },
    DescribeReplicationBackfillResults: {
      setup: (r) => ({ replicationBackfillId: startedBackfill(r) }),
      check: (o) => assert(o.status === 'PREPARING' && isDate(o.startedAt), 'a preparing backfill'),
    },
    DescribeRepositoryCreationTemplates: {
      setup: (r) => {
        prodTemplate(r);
        return { prefixes: ['prod'] };
      },
      check: (o) =>
        assert(
          (o.repositoryCreationTemplates as { createdAt?: unknown }[]).every((t) => isDate(t.createdAt)),
          'templates with dates',
        ),
    },
    GetAccountSetting: {
      setup: () => ({ name: 'BASIC_SCAN_TYPE_VERSION' }),
      check: (o) => assert(o.value === 'AWS_NATIVE', 'the default'),
    },
    GetRegistryPolicy: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'PutRegistryPolicy', input: { policyText: registryPolicy } });
        return {};
      },
      check: (o) => assert(o.policyText === registryPolicy && o.registryId === contractAccountId, 'policy returned'),
    },
    GetSigningConfiguration: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'PutSigningConfiguration', input: { signingConfiguration: { rules: [{ signingProfileArn: signingProfile }] } } });
        return {};
      },
      check: (o) => assert(o.registryId === contractAccountId, 'registry id'),
    },
    ListImageReferrers: {
      setup: (r) => ({ repositoryName: 'web-app', subjectId: { imageDigest: subjectWithSbom(r) }, filter: { artifactTypes: ['application/spdx+json'] } }),
      check: (o) => assert((o.referrers as { artifactType?: string }[])[0]?.artifactType === 'application/spdx+json', 'the SBOM'),
    },
    ListPullTimeUpdateExclusions: {
      setup: (r) => {
        r.applySync({ api: 'ecr', operation: 'RegisterPullTimeUpdateExclusion', input: { principalArn: principal } });
        return { maxResults: 10 };
      },
      check: (o) => assert((o.pullTimeUpdateExclusions as string[])[0] === principal, 'one exclusion'),
    },
    ListReplicationBackfills: {
      setup: (r) => {
        startedBackfill(r);
        return {};
      },
      check: (o) =>
        assert(
          (o.backfills as { startedAt?: unknown }[]).every((b) => isDate(b.startedAt)),
          'backfills with dates',
        ),
    },
    PutAccountSetting: {
      setup: () => ({ name: 'REGISTRY_POLICY_SCOPE', value: 'V1' }),
      check: (o) => assert(o.value === 'V1', 'value returned'),
    },
    PutRegistryPolicy: {
      setup: () => ({ policyText: registryPolicy }),
      check: (o) => assert(o.policyText === registryPolicy, 'policy returned'),
    },
    PutSigningConfiguration: {
      setup: () => ({
        signingConfiguration: { rules: [{ signingProfileArn: signingProfile, repositoryFilters: [{ filter: 'web-*', filterType: 'WILDCARD_MATCH' }] }] },
      }),
      check: (o) => assert((o.signingConfiguration as { rules: unknown[] }).rules.length === 1, 'configuration returned'),
    },
    RegisterPullTimeUpdateExclusion: {
      setup: () => ({ principalArn: principal }),
      check: (o) => assert(isDate(o.createdAt), 'createdAt is a Date'),
    },
    StartReplicationBackfill: {
      setup: (r) => {
        r.addImage('web-app', { tags: ['v1'] });
        r.configureReplication({ destinations: [{ region: 'eu-west-1' }] });
        return { destination: backfillDestination };
      },
      check: (o) => assert(o.status === 'PREPARING' && isDate(o.startedAt), 'a preparing backfill'),
    },
    StopReplicationBackfill: {
      setup: (r) => ({ replicationBackfillId: startedBackfill(r) }),
      check: (o) => assert(o.status === 'STOPPING' && isDate(o.startedAt), 'stopping'),
    },
    UpdateImageStorageClass: {
      setup: (r) => {
        r.addImage('web-app', { tags: ['old'] });
        return { repositoryName: 'web-app', imageId: { imageTag: 'old' }, targetStorageClass: 'ARCHIVE' };
      },
      check: (o) => assert(o.imageStatus === 'ARCHIVED', 'archived'),
    },
    UpdatePullThroughCacheRule: {
      setup: (r) => {
        hubRule(r);
        return { ecrRepositoryPrefix: 'hub', credentialArn: secretArn.replace('AbCdEf', 'GhIjKl') };
      },
      check: (o) => assert(isDate(o.updatedAt), 'updatedAt is a Date'),
    },
    UpdateRepositoryCreationTemplate: {
      setup: (r) => {
        prodTemplate(r);
        return { prefix: 'prod', description: 'production repositories' };
      },
      check: (o) => assert((o.repositoryCreationTemplate as { description?: string }).description === 'production repositories', 'updated'),
    },
    ValidatePullThroughCacheRule: {
      setup: (r) => {
        hubRule(r);
        return { ecrRepositoryPrefix: 'hub' };
      },
      check: (o) => assert(o.isValid === true, 'valid'),
    },
    UploadLayerPart: {
      setup: (r) => {
        r.withRepository('uploads');
        const { uploadId } = r.applySync({ api: 'ecr', operation: 'InitiateLayerUpload', input: { repositoryName: 'uploads' } }) as { uploadId: string };
        return { repositoryName: 'uploads', uploadId, partFirstByte: 0, partLastByte: blob.length - 1, layerPartBlob: blob };
      },
      check: (o) => assert(o.lastByteReceived === blob.length - 1, 'last byte'),
    },
  },
  'ecr-public': {
    BatchCheckLayerAvailability: {
      setup: (r) => {
        r.addImage('public-app', { public: true });
        return { repositoryName: 'public-app', layerDigests: [sha256(blob)] };
      },
      check: (o) => assert(Array.isArray(o.failures), 'failures listed'),
    },
    BatchDeleteImage: {
      setup: (r) => {
        r.addImage('public-app', { public: true, tags: ['old'] });
        return { repositoryName: 'public-app', imageIds: [{ imageTag: 'old' }] };
      },
      check: (o) => assert((o.imageIds as unknown[]).length === 1, 'one deleted'),
    },
    CompleteLayerUpload: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return { repositoryName: 'public-app', uploadId: uploadedPart(r, 'ecr-public', 'public-app', blob), layerDigests: [sha256(blob)] };
      },
      check: (o) => assert(o.layerDigest === sha256(blob), 'layer digest'),
    },
    CreateRepository: {
      setup: () => ({ repositoryName: 'new-public', catalogData: { description: 'A public repository', architectures: ['ARM 64'], logoImageBlob: blob } }),
      check: (o) => assert((o.repository as { createdAt?: unknown }).createdAt instanceof Date, 'createdAt is a Date'),
    },
    DeleteRepository: {
      setup: (r) => {
        r.withRepository('doomed-public', { public: true });
        return { repositoryName: 'doomed-public' };
      },
      check: (o) => assert((o.repository as { repositoryName?: string }).repositoryName === 'doomed-public', 'repository returned'),
    },
    DescribeImageTags: {
      setup: (r) => {
        r.addImage('public-app', { public: true, tags: ['v1', 'latest'] });
        return { repositoryName: 'public-app' };
      },
      check: (o) =>
        assert(
          (o.imageTagDetails as { createdAt?: unknown }[]).every((d) => d.createdAt instanceof Date),
          'tag dates',
        ),
    },
    DescribeImages: {
      setup: (r) => {
        r.addImage('public-app', { public: true, tags: ['v1'] });
        return { repositoryName: 'public-app' };
      },
      check: (o) => assert((o.imageDetails as { imagePushedAt?: unknown }[])[0]?.imagePushedAt instanceof Date, 'push date'),
    },
    DescribeRegistries: {
      setup: (r) => {
        r.setPublicRegistry({ alias: 'contract', displayName: 'Contract' });
        return {};
      },
      check: (o) => assert((o.registries as unknown[]).length === 1, 'one registry'),
    },
    DescribeRepositories: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return {};
      },
      check: (o) => assert((o.repositories as unknown[]).length === 1, 'one repository'),
    },
    GetAuthorizationToken: {
      setup: () => ({}),
      check: (o) => assert((o.authorizationData as { expiresAt?: unknown }).expiresAt instanceof Date, 'token expiry'),
    },
    GetRegistryCatalogData: {
      setup: (r) => {
        r.setPublicRegistry({ displayName: 'Contract' });
        return {};
      },
      check: (o) => assert(typeof o.registryCatalogData === 'object', 'catalog data'),
    },
    GetRepositoryCatalogData: {
      setup: (r) => {
        r.withRepository('public-app', { public: true, catalogData: { description: 'hello' } });
        return { repositoryName: 'public-app' };
      },
      check: (o) => assert(typeof o.catalogData === 'object', 'catalog data'),
    },
    InitiateLayerUpload: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return { repositoryName: 'public-app' };
      },
      check: (o) => assert(typeof o.uploadId === 'string', 'upload id'),
    },
    PutImage: {
      setup: (r) => {
        const image = r.addImage('public-app', { public: true, tags: ['v1'] });
        return { repositoryName: 'public-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'v1-copy' };
      },
      check: (o) => assert((o.image as { imageId?: { imageTag?: string } }).imageId?.imageTag === 'v1-copy', 'tagged'),
    },
    PutRepositoryCatalogData: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return { repositoryName: 'public-app', catalogData: { description: 'described', operatingSystems: ['Linux'] } };
      },
      check: (o) => assert((o.catalogData as { description?: string }).description === 'described', 'catalog data'),
    },
    DeleteRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('public-app', { public: true, repositoryPolicy });
        return { repositoryName: 'public-app' };
      },
      check: (o) => assert(typeof o.policyText === 'string', 'policy returned'),
    },
    GetRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('public-app', { public: true, repositoryPolicy });
        return { repositoryName: 'public-app' };
      },
      check: (o) => assert(o.policyText === repositoryPolicy, 'policy returned'),
    },
    ListTagsForResource: {
      setup: (r) => {
        r.withRepository('public-app', { public: true, tags: { team: 'x' } });
        return { resourceArn: publicArn('public-app') };
      },
      check: (o) => assert((o.tags as unknown[]).length === 1, 'one tag'),
    },
    PutRegistryCatalogData: {
      setup: () => ({ displayName: 'Contract Corp' }),
      check: (o) => assert((o.registryCatalogData as { displayName?: string }).displayName === 'Contract Corp', 'display name'),
    },
    SetRepositoryPolicy: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return { repositoryName: 'public-app', policyText: repositoryPolicy };
      },
      check: (o) => assert(o.policyText === repositoryPolicy, 'policy returned'),
    },
    TagResource: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        return { resourceArn: publicArn('public-app'), tags: [{ Key: 'env', Value: 'test' }] };
      },
    },
    UntagResource: {
      setup: (r) => {
        r.withRepository('public-app', { public: true, tags: { env: 'test' } });
        return { resourceArn: publicArn('public-app'), tagKeys: ['env'] };
      },
    },
    UploadLayerPart: {
      setup: (r) => {
        r.withRepository('public-app', { public: true });
        const { uploadId } = r.applySync({ api: 'ecr-public', operation: 'InitiateLayerUpload', input: { repositoryName: 'public-app' } }) as {
          uploadId: string;
        };
        return { repositoryName: 'public-app', uploadId, partFirstByte: 0, partLastByte: blob.length - 1, layerPartBlob: blob };
      },
      check: (o) => assert(o.lastByteReceived === blob.length - 1, 'last byte'),
    },
  },
};

/** A service error the registry answers with, and the kind every transport must map it to. */
export interface ErrorScenario {
  name: string;
  api: Api;
  operation: string;
  kind: string;
  awsCode: string;
  statusCode: number;
  setup(registry: SimulatedRegistry): unknown;
}

const otherImage = `sha256:${'0'.repeat(64)}`;

/** Every error the registry can be brought to answer with, by operation and state. */
export const errorScenarios: ErrorScenario[] = [
  {
    name: 'missing repository',
    api: 'ecr',
    operation: 'DescribeImages',
    kind: 'RepositoryNotFound',
    awsCode: 'RepositoryNotFoundException',
    statusCode: 400,
    setup: () => ({ repositoryName: 'nope' }),
  },
  {
    name: 'missing public repository',
    api: 'ecr-public',
    operation: 'DescribeImages',
    kind: 'RepositoryNotFound',
    awsCode: 'RepositoryNotFoundException',
    statusCode: 400,
    setup: () => ({ repositoryName: 'nope' }),
  },
  {
    name: 'missing image',
    api: 'ecr',
    operation: 'DescribeImages',
    kind: 'ImageNotFound',
    awsCode: 'ImageNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app', imageIds: [{ imageDigest: otherImage }] };
    },
  },
  {
    name: 'missing layer',
    api: 'ecr',
    operation: 'GetDownloadUrlForLayer',
    kind: 'LayersNotFound',
    awsCode: 'LayersNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app', layerDigest: otherImage };
    },
  },
  {
    name: 'invalid repository name',
    api: 'ecr',
    operation: 'DescribeImages',
    kind: 'InvalidParameter',
    awsCode: 'InvalidParameterException',
    statusCode: 400,
    setup: () => ({ repositoryName: 'Not_Valid!' }),
  },
  {
    name: 'maxResults out of range',
    api: 'ecr',
    operation: 'DescribeRepositories',
    kind: 'InvalidParameter',
    awsCode: 'InvalidParameterException',
    statusCode: 400,
    setup: () => ({ maxResults: 5000 }),
  },
  {
    name: 'immutable tag taken',
    api: 'ecr',
    operation: 'PutImage',
    kind: 'ImageTagAlreadyExists',
    awsCode: 'ImageTagAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app', { tagMutability: 'IMMUTABLE' });
      r.addImage('web-app', { tags: ['v1'] });
      const other = r.addImage('web-app', { tags: ['v2'] });
      return { repositoryName: 'web-app', imageManifest: other.manifest, imageManifestMediaType: other.mediaType, imageTag: 'v1' };
    },
  },
  {
    name: 'image already tagged so',
    api: 'ecr',
    operation: 'PutImage',
    kind: 'ImageAlreadyExists',
    awsCode: 'ImageAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      const image = r.addImage('web-app', { tags: ['v1'] });
      return { repositoryName: 'web-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'v1' };
    },
  },
  {
    name: 'digest does not match manifest',
    api: 'ecr',
    operation: 'PutImage',
    kind: 'ImageDigestMismatch',
    awsCode: 'ImageDigestDoesNotMatchException',
    statusCode: 400,
    setup: (r) => {
      const image = r.addImage('web-app', { tags: ['v1'] });
      return { repositoryName: 'web-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageDigest: otherImage, imageTag: 'v9' };
    },
  },
  {
    name: 'no lifecycle policy',
    api: 'ecr',
    operation: 'GetLifecyclePolicy',
    kind: 'LifecyclePolicyNotFound',
    awsCode: 'LifecyclePolicyNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'no repository policy',
    api: 'ecr',
    operation: 'GetRepositoryPolicy',
    kind: 'RepositoryPolicyNotFound',
    awsCode: 'RepositoryPolicyNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'never scanned',
    api: 'ecr',
    operation: 'DescribeImageScanFindings',
    kind: 'ScanNotFound',
    awsCode: 'ScanNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.addImage('web-app', { tags: ['v1'] });
      return { repositoryName: 'web-app', imageId: { imageTag: 'v1' } };
    },
  },
  {
    name: 'repository exists',
    api: 'ecr',
    operation: 'CreateRepository',
    kind: 'RepositoryAlreadyExists',
    awsCode: 'RepositoryAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'repository not empty',
    api: 'ecr',
    operation: 'DeleteRepository',
    kind: 'RepositoryNotEmpty',
    awsCode: 'RepositoryNotEmptyException',
    statusCode: 400,
    setup: (r) => {
      r.addImage('web-app');
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'unknown upload',
    api: 'ecr',
    operation: 'UploadLayerPart',
    kind: 'UploadNotFound',
    awsCode: 'UploadNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return {
        repositoryName: 'web-app',
        uploadId: '00000000-0000-4000-8000-000000000000',
        partFirstByte: 0,
        partLastByte: blob.length - 1,
        layerPartBlob: blob,
      };
    },
  },
  {
    name: 'part out of order',
    api: 'ecr',
    operation: 'UploadLayerPart',
    kind: 'InvalidLayerPart',
    awsCode: 'InvalidLayerPartException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      const { uploadId } = r.applySync({ api: 'ecr', operation: 'InitiateLayerUpload', input: { repositoryName: 'web-app' } }) as { uploadId: string };
      return { repositoryName: 'web-app', uploadId, partFirstByte: 7, partLastByte: 7 + blob.length - 1, layerPartBlob: blob };
    },
  },
  {
    name: 'empty upload',
    api: 'ecr',
    operation: 'CompleteLayerUpload',
    kind: 'EmptyUpload',
    awsCode: 'EmptyUploadException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      const { uploadId } = r.applySync({ api: 'ecr', operation: 'InitiateLayerUpload', input: { repositoryName: 'web-app' } }) as { uploadId: string };
      return { repositoryName: 'web-app', uploadId, layerDigests: [sha256(blob)] };
    },
  },
  {
    name: 'layer digest mismatch',
    api: 'ecr',
    operation: 'CompleteLayerUpload',
    kind: 'InvalidLayer',
    awsCode: 'InvalidLayerException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { repositoryName: 'web-app', uploadId: uploadedPart(r, 'ecr', 'web-app', blob), layerDigests: [otherImage] };
    },
  },
  {
    name: 'layer already uploaded',
    api: 'ecr',
    operation: 'CompleteLayerUpload',
    kind: 'LayerAlreadyExists',
    awsCode: 'LayerAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      r.applySync({
        api: 'ecr',
        operation: 'CompleteLayerUpload',
        input: { repositoryName: 'web-app', uploadId: uploadedPart(r, 'ecr', 'web-app', blob), layerDigests: [sha256(blob)] },
      });
      return { repositoryName: 'web-app', uploadId: uploadedPart(r, 'ecr', 'web-app', blob), layerDigests: [sha256(blob)] };
    },
  },
  {
    name: 'parts too small',
    api: 'ecr',
    operation: 'CompleteLayerUpload',
    kind: 'LayerPartTooSmall',
    awsCode: 'LayerPartTooSmallException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      const uploadId = uploadedPart(r, 'ecr', 'web-app', blob);
      r.applySync({
        api: 'ecr',
        operation: 'UploadLayerPart',
        input: { repositoryName: 'web-app', uploadId, partFirstByte: blob.length, partLastByte: 2 * blob.length - 1, layerPartBlob: blob },
      });
      return { repositoryName: 'web-app', uploadId, layerDigests: [otherImage] };
    },
  },
  {
    name: 'manifest layers not uploaded here',
    api: 'ecr',
    operation: 'PutImage',
    kind: 'LayersNotFound',
    awsCode: 'LayersNotFoundException',
    statusCode: 400,
    setup: (r) => {
      const image = r.addImage('elsewhere', { tags: ['v1'] });
      r.withRepository('web-app');
      return { repositoryName: 'web-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'v1' };
    },
  },
  {
    name: 'index children not pushed here',
    api: 'ecr',
    operation: 'PutImage',
    kind: 'ReferencedImagesNotFound',
    awsCode: 'ReferencedImagesNotFoundException',
    statusCode: 400,
    setup: (r) => {
      const index = r.addImage('elsewhere', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
      r.withRepository('web-app');
      return { repositoryName: 'web-app', imageManifest: index.manifest, imageManifestMediaType: index.mediaType, imageTag: 'multi' };
    },
  },
  {
    name: 'over 50 tags',
    api: 'ecr',
    operation: 'TagResource',
    kind: 'TooManyTags',
    awsCode: 'TooManyTagsException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { resourceArn: repoArn('web-app'), tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) };
    },
  },
  {
    name: 'no lifecycle preview',
    api: 'ecr',
    operation: 'GetLifecyclePolicyPreview',
    kind: 'LifecyclePolicyPreviewNotFound',
    awsCode: 'LifecyclePolicyPreviewNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app', { lifecyclePolicy });
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'preview still running',
    api: 'ecr',
    operation: 'StartLifecyclePolicyPreview',
    kind: 'LifecyclePolicyPreviewInProgress',
    awsCode: 'LifecyclePolicyPreviewInProgressException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app', { lifecyclePolicy });
      r.applySync({ api: 'ecr', operation: 'StartLifecyclePolicyPreview', input: { repositoryName: 'web-app' } });
      return { repositoryName: 'web-app' };
    },
  },
  {
    name: 'reserved tag key',
    api: 'ecr',
    operation: 'TagResource',
    kind: 'InvalidTagParameter',
    awsCode: 'InvalidTagParameterException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('web-app');
      return { resourceArn: repoArn('web-app'), tags: [{ Key: 'aws:owner', Value: 'x' }] };
    },
  },
  {
    name: 'pull-through rule exists',
    api: 'ecr',
    operation: 'CreatePullThroughCacheRule',
    kind: 'PullThroughCacheRuleAlreadyExists',
    awsCode: 'PullThroughCacheRuleAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      r.applySync({ api: 'ecr', operation: 'CreatePullThroughCacheRule', input: { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' } });
      return { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' };
    },
  },
  {
    name: 'no pull-through rule',
    api: 'ecr',
    operation: 'DescribePullThroughCacheRules',
    kind: 'PullThroughCacheRuleNotFound',
    awsCode: 'PullThroughCacheRuleNotFoundException',
    statusCode: 400,
    setup: () => ({ ecrRepositoryPrefixes: ['nothing'] }),
  },
  {
    name: 'index scan unsupported',
    api: 'ecr',
    operation: 'StartImageScan',
    kind: 'UnsupportedImageType',
    awsCode: 'UnsupportedImageTypeException',
    statusCode: 400,
    setup: (r) => {
      r.addImage('web-app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
      return { repositoryName: 'web-app', imageId: { imageTag: 'multi' } };
    },
  },
  {
    name: 'scan quota',
    api: 'ecr',
    operation: 'StartImageScan',
    kind: 'LimitExceeded',
    awsCode: 'LimitExceededException',
    statusCode: 400,
    setup: (r) => {
      r.addImage('web-app', { tags: ['v1'] });
      r.applySync({ api: 'ecr', operation: 'StartImageScan', input: { repositoryName: 'web-app', imageId: { imageTag: 'v1' } } });
      return { repositoryName: 'web-app', imageId: { imageTag: 'v1' } };
    },
  },
  {
    name: 'continuous basic scanning',
    api: 'ecr',
    operation: 'PutRegistryScanningConfiguration',
    kind: 'Validation',
    awsCode: 'ValidationException',
    statusCode: 400,
    setup: () => ({ scanType: 'BASIC', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] }),
  },
  {
    name: 'no registry policy',
    api: 'ecr',
    operation: 'GetRegistryPolicy',
    kind: 'RegistryPolicyNotFound',
    awsCode: 'RegistryPolicyNotFoundException',
    statusCode: 400,
    setup: () => ({}),
  },
  {
    name: 'no signing configuration',
    api: 'ecr',
    operation: 'GetSigningConfiguration',
    kind: 'SigningConfigurationNotFound',
    awsCode: 'SigningConfigurationNotFoundException',
    statusCode: 400,
    setup: () => ({}),
  },
  {
    name: 'template exists',
    api: 'ecr',
    operation: 'CreateRepositoryCreationTemplate',
    kind: 'TemplateAlreadyExists',
    awsCode: 'TemplateAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      prodTemplate(r);
      return { prefix: 'prod', appliedFor: ['REPLICATION'] };
    },
  },
  {
    name: 'no template',
    api: 'ecr',
    operation: 'DeleteRepositoryCreationTemplate',
    kind: 'TemplateNotFound',
    awsCode: 'TemplateNotFoundException',
    statusCode: 400,
    setup: () => ({ prefix: 'prod' }),
  },
  {
    name: 'exclusion exists',
    api: 'ecr',
    operation: 'RegisterPullTimeUpdateExclusion',
    kind: 'ExclusionAlreadyExists',
    awsCode: 'ExclusionAlreadyExistsException',
    statusCode: 400,
    setup: (r) => {
      r.applySync({ api: 'ecr', operation: 'RegisterPullTimeUpdateExclusion', input: { principalArn: principal } });
      return { principalArn: principal };
    },
  },
  {
    name: 'no exclusion',
    api: 'ecr',
    operation: 'DeregisterPullTimeUpdateExclusion',
    kind: 'ExclusionNotFound',
    awsCode: 'ExclusionNotFoundException',
    statusCode: 400,
    setup: () => ({ principalArn: principal }),
  },
  {
    name: 'archived image scanned',
    api: 'ecr',
    operation: 'StartImageScan',
    kind: 'ImageArchived',
    awsCode: 'ImageArchivedException',
    statusCode: 400,
    setup: (r) => {
      r.addImage('web-app', { tags: ['old'] });
      r.applySync({
        api: 'ecr',
        operation: 'UpdateImageStorageClass',
        input: { repositoryName: 'web-app', imageId: { imageTag: 'old' }, targetStorageClass: 'ARCHIVE' },
      });
      return { repositoryName: 'web-app', imageId: { imageTag: 'old' } };
    },
  },
  {
    name: 'manifest list child archived alone',
    api: 'ecr',
    operation: 'UpdateImageStorageClass',
    kind: 'ImageStorageClassUpdateNotSupported',
    awsCode: 'ImageStorageClassUpdateNotSupportedException',
    statusCode: 400,
    setup: (r) => {
      const index = r.addImage('web-app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
      return { repositoryName: 'web-app', imageId: { imageDigest: index.children![0]!.imageDigest }, targetStorageClass: 'ARCHIVE' };
    },
  },
  {
    name: 'no backfill',
    api: 'ecr',
    operation: 'DescribeReplicationBackfillResults',
    kind: 'ReplicationBackfillNotFound',
    awsCode: 'ReplicationBackfillNotFoundException',
    statusCode: 400,
    setup: () => ({ replicationBackfillId: '00000000-0000-4000-8000-000000000000' }),
  },
  {
    name: 'backfill already running',
    api: 'ecr',
    operation: 'StartReplicationBackfill',
    kind: 'ReplicationBackfillInProgress',
    awsCode: 'ReplicationBackfillInProgressException',
    statusCode: 400,
    setup: (r) => {
      startedBackfill(r);
      return { destination: backfillDestination };
    },
  },
  {
    name: 'backfill stopped twice',
    api: 'ecr',
    operation: 'StopReplicationBackfill',
    kind: 'ReplicationBackfillInvalidStatus',
    awsCode: 'ReplicationBackfillInvalidStatusException',
    statusCode: 400,
    setup: (r) => {
      const replicationBackfillId = startedBackfill(r);
      r.applySync({ api: 'ecr', operation: 'StopReplicationBackfill', input: { replicationBackfillId } });
      return { replicationBackfillId };
    },
  },
  {
    name: 'unsupported upstream registry',
    api: 'ecr',
    operation: 'CreatePullThroughCacheRule',
    kind: 'UnsupportedUpstreamRegistry',
    awsCode: 'UnsupportedUpstreamRegistryException',
    statusCode: 400,
    setup: () => ({ ecrRepositoryPrefix: 'example', upstreamRegistryUrl: 'registry.example.com' }),
  },
  {
    name: 'no public repository policy',
    api: 'ecr-public',
    operation: 'GetRepositoryPolicy',
    kind: 'RepositoryPolicyNotFound',
    awsCode: 'RepositoryPolicyNotFoundException',
    statusCode: 400,
    setup: (r) => {
      r.withRepository('public-app', { public: true });
      return { repositoryName: 'public-app' };
    },
  },
];

/** Errors only injection produces, with the kind, code and status the registry sends for each. */
export const injectedErrorScenarios: { error: string; kind: string; awsCode: string; statusCode: number; retryable: boolean }[] = [
  { error: 'ThrottlingException', kind: 'Throttling', awsCode: 'ThrottlingException', statusCode: 400, retryable: true },
  { error: 'ServerException', kind: 'ServiceUnavailable', awsCode: 'ServerException', statusCode: 500, retryable: true },
  { error: 'ServiceUnavailableException', kind: 'ServiceUnavailable', awsCode: 'ServiceUnavailableException', statusCode: 503, retryable: true },
  { error: 'AccessDeniedException', kind: 'AccessDenied', awsCode: 'AccessDeniedException', statusCode: 400, retryable: false },
  { error: 'KmsException', kind: 'KmsError', awsCode: 'KmsException', statusCode: 400, retryable: false },
  { error: 'LimitExceededException', kind: 'LimitExceeded', awsCode: 'LimitExceededException', statusCode: 400, retryable: true },
  { error: 'ExpiredTokenException', kind: 'ExpiredToken', awsCode: 'ExpiredTokenException', statusCode: 400, retryable: false },
];
