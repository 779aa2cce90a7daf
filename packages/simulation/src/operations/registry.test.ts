import { describe, expect, test } from 'vitest';
import { createSimulatedTransport } from '../createSimulatedTransport.js';
import { SimulatedRegistry } from '../SimulatedRegistry.js';
import { operationSetup } from '../../test/support/operationCalls.js';

const setup = () => operationSetup();

describe('GetAuthorizationToken', () => {
  test('base64 AWS:<password>, 12 hours, proxy endpoint; one per registry id; remembered', async () => {
    const { registry, send, clock } = setup();
    const { authorizationData } = await send('GetAuthorizationToken', {}, 'eu-west-1');
    expect(authorizationData).toHaveLength(1);
    const [data] = authorizationData;
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    expect(decoded.startsWith('AWS:')).toBe(true);
    expect(decoded.length).toBeGreaterThan(100);
    expect(data.expiresAt).toEqual(new Date(Date.UTC(2026, 0, 1) + 12 * 3600_000));
    expect(data.proxyEndpoint).toBe('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(registry.isAuthorizationTokenValid(data.authorizationToken)).toBe(true);
    expect(registry.isAuthorizationTokenValid(decoded.slice(4))).toBe(true);
    expect(registry.isAuthorizationTokenValid(Buffer.from('AWS:forged').toString('base64'))).toBe(false);
    const two = await send('GetAuthorizationToken', { registryIds: ['111111111111', '222222222222'] });
    expect(two.authorizationData.map((d: any) => d.proxyEndpoint)).toEqual([
      'https://111111111111.dkr.ecr.us-east-1.amazonaws.com',
      'https://222222222222.dkr.ecr.us-east-1.amazonaws.com',
    ]);
    await clock.advance(12 * 3600_000 + 1);
    expect(registry.isAuthorizationTokenValid(data.authorizationToken)).toBe(false);
  });

  test('passwords come from the seeded random source and never appear in the history', async () => {
    const a = new SimulatedRegistry({ seed: 3 });
    const b = new SimulatedRegistry({ seed: 3 });
    const ta = await createSimulatedTransport(a).send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' });
    const tb = await createSimulatedTransport(b).send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' });
    expect(ta.authorizationData![0]!.authorizationToken).toBe(tb.authorizationData![0]!.authorizationToken);
    expect(JSON.stringify(a.getOperationHistory())).not.toContain(ta.authorizationData![0]!.authorizationToken!);
  });
});

describe('replication', () => {
  test('PutReplicationConfiguration, DescribeRegistry, and per-destination status progressing by poll', async () => {
    const { registry, send, fail } = setup();
    const config = {
      rules: [
        {
          destinations: [
            { region: 'us-west-2', registryId: '123456789012' },
            { region: 'eu-west-1', registryId: '123456789012' },
          ],
        },
      ],
    };
    expect(await send('PutReplicationConfiguration', { replicationConfiguration: config })).toEqual({ replicationConfiguration: config });
    expect(await send('DescribeRegistry', {})).toEqual({ registryId: '123456789012', replicationConfiguration: config });
    const self = { rules: [{ destinations: [{ region: 'us-east-1', registryId: '123456789012' }] }] };
    expect((await fail('PutReplicationConfiguration', { replicationConfiguration: self })).awsCode).toBe('InvalidParameterException');

    const image = registry.addImage('app', { tags: ['v1'] });
    expect((await fail('DescribeRepositories', { repositoryNames: ['app'] }, 'us-west-2')).awsCode).toBe('RepositoryNotFoundException');
    const first = await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(first).toEqual({
      repositoryName: 'app',
      imageId: { imageDigest: image.imageDigest, imageTag: 'v1' },
      replicationStatuses: [
        { region: 'us-west-2', registryId: '123456789012', status: 'IN_PROGRESS' },
        { region: 'eu-west-1', registryId: '123456789012', status: 'IN_PROGRESS' },
      ],
    });
    const second = await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageDigest: image.imageDigest } });
    expect(second.replicationStatuses.map((s: any) => s.status)).toEqual(['COMPLETE', 'COMPLETE']);
    const replica = await send('DescribeImages', { repositoryName: 'app' }, 'us-west-2');
    expect(replica.imageDetails.map((d: any) => [d.imageDigest, d.imageTags])).toEqual([[image.imageDigest, ['v1']]]);
    const got = await send('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }, 'eu-west-1');
    expect(got.images[0].imageManifest).toBe(image.manifest);
  });

  test('configureReplication: time-driven progression, failed regions, cross-account destinations', async () => {
    const { registry, clock, send } = setup();
    registry.configureReplication({
      destinations: [{ region: 'us-west-2' }, { region: 'ap-south-1' }, { region: 'us-east-1', registryId: '999999999999' }],
      advanceOn: 'time',
      stepMs: 1000,
      failRegions: ['ap-south-1'],
    });
    registry.withImage('app', { tags: ['v1'] });
    await clock.advance(1000);
    const statuses = (await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).replicationStatuses;
    expect(statuses).toEqual([
      { region: 'us-west-2', registryId: '123456789012', status: 'COMPLETE' },
      { region: 'ap-south-1', registryId: '123456789012', status: 'FAILED', failureCode: 'REPLICATION_FAILED' },
      { region: 'us-east-1', registryId: '999999999999', status: 'COMPLETE' },
    ]);
    const other = await send('DescribeImages', { repositoryName: 'app', registryId: '999999999999' });
    expect(other.imageDetails).toHaveLength(1);
    expect((await send('DescribeRepositories', {}, 'ap-south-1')).repositories).toEqual([]);
  });

  test('time-driven replications reach their destinations without anyone polling the status', async () => {
    const { registry, clock, send } = setup();
    registry.configureReplication({ destinations: [{ region: 'us-west-2' }], advanceOn: 'time', stepMs: 500 });
    registry.withImage('app', { tags: ['v1'] });
    expect((await send('DescribeRepositories', {}, 'us-west-2')).repositories).toEqual([]);
    await clock.advance(500);
    expect((await send('ListImages', { repositoryName: 'app' }, 'us-west-2')).imageIds).toHaveLength(1);
  });

  test('lagRegions: those destinations stay IN_PROGRESS and are never written; the others complete', async () => {
    const { registry, clock, send } = setup();
    registry.configureReplication({
      destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }],
      advanceOn: 'time',
      stepMs: 500,
      lagRegions: ['eu-west-1'],
    });
    registry.withImage('app', { tags: ['v1'] });
    await clock.advance(60 * 60_000);
    const statuses = (await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).replicationStatuses;
    expect(statuses.map((s: any) => `${s.region} ${s.status}`)).toEqual(['us-west-2 COMPLETE', 'eu-west-1 IN_PROGRESS']);
    expect((await send('DescribeRepositories', {}, 'eu-west-1')).repositories).toEqual([]);
    expect((await send('ListImages', { repositoryName: 'app' }, 'us-west-2')).imageIds).toHaveLength(1);
  });

  test('an index replicates with the platform manifests it references, though only the index was polled', async () => {
    const { registry, send } = setup();
    registry.configureReplication({ destinations: [{ region: 'us-west-2' }] });
    const image = registry.addImage('app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
    for (let i = 0; i < 2; i++) await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    const replica = await send('DescribeImages', { repositoryName: 'app' }, 'us-west-2');
    expect(replica.imageDetails.map((d: any) => d.imageDigest).sort()).toEqual([image.imageDigest, ...image.children!.map((c) => c.imageDigest)].sort());
  });

  test('a tag pushed for an existing image replicates to destinations already written, as a push does', async () => {
    const { registry, send } = setup();
    registry.configureReplication({ destinations: [{ region: 'us-west-2' }] });
    const image = registry.addImage('app', { tags: ['v1'] });
    await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    await send('PutImage', { repositoryName: 'app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'stable' });
    registry.withImage('app', { tags: ['v1', 'fluent'] }); // a new image: v1 moves, at the source only until it replicates
    const replica = await send('DescribeImages', { repositoryName: 'app', imageIds: [{ imageDigest: image.imageDigest }] }, 'us-west-2');
    expect(replica.imageDetails[0].imageTags).toEqual(['v1', 'stable']);
  });

  test('withDivergedReplica moves the tag in one destination to another image and leaves the source alone', async () => {
    const { registry, send } = setup();
    registry.configureReplication({ destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }] });
    const image = registry.addImage('app', { tags: ['v1'] });
    for (let i = 0; i < 2; i++) await send('DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    registry.withDivergedReplica('app', 'v1', { region: 'eu-west-1' });
    const tagged = async (region: string) =>
      (await send('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }, region)).imageDetails[0].imageDigest;
    expect(await tagged('us-east-1')).toBe(image.imageDigest);
    expect(await tagged('us-west-2')).toBe(image.imageDigest);
    expect(await tagged('eu-west-1')).not.toBe(image.imageDigest);
    const kept = await send('DescribeImages', { repositoryName: 'app', imageIds: [{ imageDigest: image.imageDigest }] }, 'eu-west-1');
    expect(kept.imageDetails[0].imageTags).toBeUndefined();
  });
});

describe('pull-through cache rules', () => {
  test('create, describe by prefix, duplicates and unknown prefixes', async () => {
    const { send, fail } = setup();
    const rule = await send('CreatePullThroughCacheRule', {
      ecrRepositoryPrefix: 'ecr-public',
      upstreamRegistryUrl: 'public.ecr.aws',
      upstreamRegistry: 'ecr-public',
    });
    expect(rule).toEqual({
      ecrRepositoryPrefix: 'ecr-public',
      upstreamRegistryUrl: 'public.ecr.aws',
      createdAt: new Date(Date.UTC(2026, 0, 1)),
      registryId: '123456789012',
      upstreamRegistry: 'ecr-public',
    });
    expect((await fail('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'quay.io' })).awsCode).toBe(
      'PullThroughCacheRuleAlreadyExistsException',
    );
    expect(
      (await fail('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'registry-1.docker.io', upstreamRegistry: 'docker-hub' }))
        .awsCode,
    ).toBe('ValidationException');
    await send('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    const all = await send('DescribePullThroughCacheRules', {});
    expect(all.pullThroughCacheRules.map((r: any) => r.ecrRepositoryPrefix)).toEqual(['ecr-public', 'quay']);
    const one = await send('DescribePullThroughCacheRules', { ecrRepositoryPrefixes: ['quay'] });
    expect(one.pullThroughCacheRules[0].updatedAt).toBeInstanceOf(Date);
    expect((await fail('DescribePullThroughCacheRules', { ecrRepositoryPrefixes: ['nope'] })).awsCode).toBe('PullThroughCacheRuleNotFoundException');
    const page = await send('DescribePullThroughCacheRules', { maxResults: 1 });
    const rest = await send('DescribePullThroughCacheRules', { maxResults: 1, nextToken: page.nextToken });
    expect([...page.pullThroughCacheRules, ...rest.pullThroughCacheRules].map((r: any) => r.ecrRepositoryPrefix)).toEqual(['ecr-public', 'quay']);
    expect(rest.nextToken).toBeUndefined();
  });
});
