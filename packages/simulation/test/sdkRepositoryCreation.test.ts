import { describe, expect, test } from 'vitest';
import { sdkWorld, type Out } from './support/sdkWorld.js';

// Repositories ECR creates on its own: pull through cache rules (create, describe, update,
// validate, delete, and the first pull that creates the repository) and repository creation
// templates (CRUD, and their settings on repositories that pull through cache, replication and
// create-on-push create), through the real @aws-sdk/client-ecr against the simulation server.

const { clock, registry, call, fail } = sdkWorld();
const account = '123456789012';
const secret = `arn:aws:secretsmanager:us-east-1:${account}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`;
const lifecycle = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
});
const repoPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['ecr:BatchGetImage'] }],
});

describe('pull through cache rules', () => {
  test('create infers the upstream registry; describe, update, validate and delete', async () => {
    const created = await call('CreatePullThroughCacheRule', {
      ecrRepositoryPrefix: 'hub',
      upstreamRegistryUrl: 'registry-1.docker.io',
      credentialArn: secret,
    });
    expect(created).toEqual({
      ecrRepositoryPrefix: 'hub',
      upstreamRegistryUrl: 'registry-1.docker.io',
      createdAt: new Date(clock.now()),
      registryId: account,
      upstreamRegistry: 'docker-hub',
      credentialArn: secret,
    });
    await clock.advance(60_000);
    const newSecret = secret.replace('AbCdEf', 'GhIjKl');
    const updated = await call('UpdatePullThroughCacheRule', { ecrRepositoryPrefix: 'hub', credentialArn: newSecret });
    expect(updated).toEqual({ ecrRepositoryPrefix: 'hub', registryId: account, updatedAt: new Date(clock.now()), credentialArn: newSecret });
    const [rule] = (await call('DescribePullThroughCacheRules', { ecrRepositoryPrefixes: ['hub'] })).pullThroughCacheRules;
    expect(rule).toMatchObject({ credentialArn: newSecret, updatedAt: new Date(clock.now()), createdAt: new Date(clock.now() - 60_000) });
    expect(await call('ValidatePullThroughCacheRule', { ecrRepositoryPrefix: 'hub' })).toEqual({
      ecrRepositoryPrefix: 'hub',
      registryId: account,
      upstreamRegistryUrl: 'registry-1.docker.io',
      credentialArn: newSecret,
      isValid: true,
    });
    expect(await call('DeletePullThroughCacheRule', { ecrRepositoryPrefix: 'hub' })).toMatchObject({
      ecrRepositoryPrefix: 'hub',
      upstreamRegistryUrl: 'registry-1.docker.io',
      credentialArn: newSecret,
    });
    expect((await call('DescribePullThroughCacheRules')).pullThroughCacheRules).toEqual([]);
  });

  test.each(['DeletePullThroughCacheRule', 'ValidatePullThroughCacheRule', 'UpdatePullThroughCacheRule'])(
    '%s of an unknown prefix is PullThroughCacheRuleNotFoundException',
    async (operation) => {
      const err = await fail(operation, { ecrRepositoryPrefix: 'nope', credentialArn: secret });
      expect([err.name, err.message]).toEqual([
        'PullThroughCacheRuleNotFoundException',
        `The pull through cache rule with prefix 'nope' does not exist in the registry with id '${account}'`,
      ]);
    },
  );

  test('unsupported upstreams, missing credentials, malformed secret ARNs and empty updates are refused', async () => {
    expect((await fail('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'x', upstreamRegistryUrl: 'registry.example.com' })).name).toBe(
      'InvalidParameterException',
    );
    expect((await fail('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'ex', upstreamRegistryUrl: 'registry.example.com' })).name).toBe(
      'UnsupportedUpstreamRegistryException',
    );
    expect((await fail('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'ghcr', upstreamRegistryUrl: 'ghcr.io' })).name).toBe('ValidationException');
    const badSecret = await fail('CreatePullThroughCacheRule', {
      ecrRepositoryPrefix: 'ghcr',
      upstreamRegistryUrl: 'ghcr.io',
      credentialArn: `arn:aws:secretsmanager:us-east-1:${account}:secret:other/ghcr-token-abc`,
    });
    expect(badSecret.name).toBe('InvalidParameterException');
    await call('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    expect((await fail('UpdatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay' })).name).toBe('ValidationException');
  });

  test('the first pull through a rule creates the repository (with the PULL_THROUGH_CACHE template) and caches the image', async () => {
    await call('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    await call('CreateRepositoryCreationTemplate', {
      prefix: 'ecr-public',
      appliedFor: ['PULL_THROUGH_CACHE'],
      imageTagMutability: 'IMMUTABLE',
      lifecyclePolicy: lifecycle,
      resourceTags: [{ Key: 'source', Value: 'cache' }],
    });
    const upstream = registry.withUpstreamImage('public.ecr.aws', 'docker/library/alpine', { tags: ['3.19'], platforms: ['linux/amd64', 'linux/arm64'] });
    expect((await fail('DescribeRepositories', { repositoryNames: ['ecr-public/docker/library/alpine'] })).name).toBe('RepositoryNotFoundException');

    const pulled = await call('BatchGetImage', { repositoryName: 'ecr-public/docker/library/alpine', imageIds: [{ imageTag: '3.19' }] });
    expect(pulled.failures).toEqual([]);
    expect(pulled.images.map((i: Out) => [i.imageId, i.imageManifest === upstream.manifest])).toEqual([
      [{ imageDigest: upstream.imageDigest, imageTag: '3.19' }, true],
    ]);
    const { repositories } = await call('DescribeRepositories', { repositoryNames: ['ecr-public/docker/library/alpine'] });
    expect(repositories[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', createdAt: new Date(clock.now()) });
    expect((await call('GetLifecyclePolicy', { repositoryName: 'ecr-public/docker/library/alpine' })).lifecyclePolicyText).toBe(lifecycle);
    expect((await call('ListTagsForResource', { resourceArn: repositories[0].repositoryArn })).tags).toEqual([{ Key: 'source', Value: 'cache' }]);
    // The index and its children are cached; their layers can be downloaded.
    const { imageIds } = await call('ListImages', { repositoryName: 'ecr-public/docker/library/alpine' });
    expect(imageIds).toHaveLength(3);
    const child = JSON.parse(upstream.children![0]!.manifest);
    const url = await call('GetDownloadUrlForLayer', { repositoryName: 'ecr-public/docker/library/alpine', layerDigest: child.layers[0].digest });
    expect((await fetch(url.downloadUrl)).status).toBe(200);
  });

  test('an image the upstream lacks is an ImageNotFound failure once the repository exists, and creates nothing before', async () => {
    await call('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    registry.withUpstreamImage('quay.io', 'coreos/etcd', { tags: ['v3.5'] });
    expect((await fail('BatchGetImage', { repositoryName: 'quay/coreos/etcd', imageIds: [{ imageTag: 'v9' }] })).name).toBe('RepositoryNotFoundException');
    expect((await fail('BatchGetImage', { repositoryName: 'quay/coreos/missing', imageIds: [{ imageTag: 'v3.5' }] })).name).toBe('RepositoryNotFoundException');
    const out = await call('BatchGetImage', { repositoryName: 'quay/coreos/etcd', imageIds: [{ imageTag: 'v3.5' }, { imageTag: 'v9' }] });
    expect(out.images).toHaveLength(1);
    expect(out.failures).toEqual([{ imageId: { imageTag: 'v9' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    // A later tag is pulled into the cached repository on demand.
    registry.withUpstreamImage('quay.io', 'coreos/etcd', { tags: ['v3.6'] });
    expect((await call('BatchGetImage', { repositoryName: 'quay/coreos/etcd', imageIds: [{ imageTag: 'v3.6' }] })).images).toHaveLength(1);
  });

  test('an upstream repository prefix maps the cached name to the upstream name', async () => {
    await call('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'k8s', upstreamRegistryUrl: 'registry.k8s.io', upstreamRepositoryPrefix: 'kube' });
    registry.withUpstreamImage('registry.k8s.io', 'kube/pause', { tags: ['3.9'] });
    expect((await call('BatchGetImage', { repositoryName: 'k8s/pause', imageIds: [{ imageTag: '3.9' }] })).images).toHaveLength(1);
  });
});

describe('repository creation templates', () => {
  test('create, describe (filtered, paginated), update and delete', async () => {
    const created = await call('CreateRepositoryCreationTemplate', {
      prefix: 'prod',
      description: 'production',
      appliedFor: ['REPLICATION', 'CREATE_ON_PUSH'],
      encryptionConfiguration: { encryptionType: 'KMS' },
      repositoryPolicy: repoPolicy,
    });
    expect(created).toEqual({
      registryId: account,
      repositoryCreationTemplate: {
        prefix: 'prod',
        description: 'production',
        encryptionConfiguration: { encryptionType: 'KMS' },
        resourceTags: [],
        imageTagMutability: 'MUTABLE',
        repositoryPolicy: repoPolicy,
        appliedFor: ['REPLICATION', 'CREATE_ON_PUSH'],
        createdAt: new Date(clock.now()),
        updatedAt: new Date(clock.now()),
      },
    });
    await call('CreateRepositoryCreationTemplate', { prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE'] });
    const dup = await fail('CreateRepositoryCreationTemplate', { prefix: 'prod/', appliedFor: ['REPLICATION'] });
    expect([dup.name, dup.message]).toEqual([
      'TemplateAlreadyExistsException',
      `The repository creation template with prefix 'prod/' already exists in the registry with id '${account}'`,
    ]);
    const page = await call('DescribeRepositoryCreationTemplates', { maxResults: 1 });
    const rest = await call('DescribeRepositoryCreationTemplates', { maxResults: 1, nextToken: page.nextToken });
    expect([...page.repositoryCreationTemplates, ...rest.repositoryCreationTemplates].map((t: Out) => t.prefix)).toEqual(['prod', 'ROOT']);
    expect(
      (await call('DescribeRepositoryCreationTemplates', { prefixes: ['ROOT', 'unknown'] })).repositoryCreationTemplates.map((t: Out) => t.prefix),
    ).toEqual(['ROOT']);
    await clock.advance(1000);
    const updated = await call('UpdateRepositoryCreationTemplate', {
      prefix: 'prod',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
    });
    expect(updated.repositoryCreationTemplate).toMatchObject({
      description: 'production',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      updatedAt: new Date(clock.now()),
      createdAt: new Date(clock.now() - 1000),
    });
    expect((await call('DeleteRepositoryCreationTemplate', { prefix: 'prod' })).repositoryCreationTemplate.prefix).toBe('prod');
    const missing = await fail('DeleteRepositoryCreationTemplate', { prefix: 'prod' });
    expect([missing.name, missing.message]).toEqual([
      'TemplateNotFoundException',
      `The repository creation template with prefix 'prod' does not exist in the registry with id '${account}'`,
    ]);
    expect((await fail('UpdateRepositoryCreationTemplate', { prefix: 'nope', description: 'x' })).name).toBe('TemplateNotFoundException');
  });

  test.each([
    ['no appliedFor', { prefix: 'a' }],
    ['an unknown scenario', { prefix: 'a', appliedFor: ['SOMETIMES'] }],
    ['an invalid lifecycle policy', { prefix: 'a', appliedFor: ['REPLICATION'], lifecyclePolicy: '{"rules": 1}' }],
    ['an invalid repository policy', { prefix: 'a', appliedFor: ['REPLICATION'], repositoryPolicy: 'nope' }],
    [
      'a kmsKey with AES256',
      { prefix: 'a', appliedFor: ['REPLICATION'], encryptionConfiguration: { encryptionType: 'AES256', kmsKey: `arn:aws:kms:us-east-1:${account}:key/abc` } },
    ],
    ['a reserved tag key', { prefix: 'a', appliedFor: ['REPLICATION'], resourceTags: [{ Key: 'aws:owner', Value: 'x' }] }],
    ['a bad prefix', { prefix: 'Bad Prefix', appliedFor: ['REPLICATION'] }],
  ])('%s is refused', async (_, input) => {
    expect((await fail('CreateRepositoryCreationTemplate', input)).name).toMatch(/^(InvalidParameterException|InvalidTagParameterException)$/);
  });

  test('CREATE_ON_PUSH: a push to a missing repository under the prefix creates it with the template', async () => {
    await call('CreateRepositoryCreationTemplate', {
      prefix: 'prod',
      appliedFor: ['CREATE_ON_PUSH'],
      imageTagMutability: 'IMMUTABLE',
      encryptionConfiguration: { encryptionType: 'KMS' },
    });
    const { uploadId } = await call('InitiateLayerUpload', { repositoryName: 'prod/new-service' });
    expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
    const { repositories } = await call('DescribeRepositories', { repositoryNames: ['prod/new-service'] });
    expect(repositories[0].imageTagMutability).toBe('IMMUTABLE');
    expect(repositories[0].encryptionConfiguration.kmsKey).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${account}:key/[0-9a-f-]{36}$`));
    // Outside the prefix a push still needs the repository.
    expect((await fail('InitiateLayerUpload', { repositoryName: 'dev/new-service' })).name).toBe('RepositoryNotFoundException');
  });

  test('REPLICATION: the destination repository takes the template instead of the source settings', async () => {
    await call(
      'CreateRepositoryCreationTemplate',
      { prefix: 'ROOT', appliedFor: ['REPLICATION'], imageTagMutability: 'IMMUTABLE', lifecyclePolicy: lifecycle },
      'ecr',
      'eu-west-1',
    );
    registry.configureReplication({ destinations: [{ region: 'eu-west-1' }], advanceOn: 'time', stepMs: 1000 });
    registry.withRepository('team/app', { tagMutability: 'MUTABLE' }).withImage('team/app', { tags: ['v1'] });
    await clock.advance(2000);
    const { repositories } = await call('DescribeRepositories', { repositoryNames: ['team/app'] }, 'ecr', 'eu-west-1');
    expect(repositories[0].imageTagMutability).toBe('IMMUTABLE');
    expect((await call('GetLifecyclePolicy', { repositoryName: 'team/app' }, 'ecr', 'eu-west-1')).lifecyclePolicyText).toBe(lifecycle);
  });
});
