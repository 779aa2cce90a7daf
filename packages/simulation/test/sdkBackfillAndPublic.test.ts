import { describe, expect, test } from 'vitest';
import { sdkWorld, type Out } from './support/sdkWorld.js';

// Replication backfills, and ECR Public's repository policies, tags and registry catalog data,
// through the real @aws-sdk/client-ecr and @aws-sdk/client-ecr-public against the simulation server.

const { clock, registry, call, fail } = sdkWorld();
const account = '123456789012';
const destination = { region: 'eu-west-1', registryId: account };

describe('replication backfills', () => {
  // Called after the pushes, so those images are not replicated on push: only a backfill copies them.
  function world() {
    registry.configureReplication({ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: ['team/'], stepMs: 10_000 });
  }

  test('PREPARING, IN_PROGRESS with progress, COMPLETE: the images land in the destination', async () => {
    for (const tag of ['v1', 'v2', 'v3', 'v4']) registry.withImage('team/api', { tags: [tag] });
    registry.withImage('other/tool', { tags: ['v1'] });
    world();
    const started = await call('StartReplicationBackfill', { destination });
    expect(started).toEqual({
      replicationBackfillId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      registryId: account,
      destination,
      status: 'PREPARING',
      startedAt: new Date(clock.now()),
    });
    const id = started.replicationBackfillId;
    const describe = () => call('DescribeReplicationBackfillResults', { replicationBackfillId: id });
    expect(await describe()).toMatchObject({ status: 'PREPARING', results: [] });
    expect((await describe()).progress).toBeUndefined();
    await clock.advance(15_000);
    const half = await describe();
    expect(half).toMatchObject({
      status: 'IN_PROGRESS',
      progress: { totalReplicationCount: 4, completedReplicationCount: 2, failedReplicationCount: 0, failureCodes: [] },
    });
    expect(half.results.map((r: Out) => r.status)).toEqual(['COMPLETE', 'COMPLETE']);
    expect((await call('ListImages', { repositoryName: 'team/api' }, 'ecr', 'eu-west-1')).imageIds).toHaveLength(2);
    await clock.advance(5000);
    const done = await describe();
    expect(done).toMatchObject({ status: 'COMPLETE', progress: { totalReplicationCount: 4, completedReplicationCount: 4 }, endedAt: new Date(clock.now()) });
    expect(done.results.every((r: Out) => r.repositoryName === 'team/api' && r.status === 'COMPLETE')).toBe(true);
    expect((await call('ListImages', { repositoryName: 'team/api' }, 'ecr', 'eu-west-1')).imageIds.map((i: Out) => i.imageTag).sort()).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
    ]);
    expect((await fail('DescribeRepositories', { repositoryNames: ['other/tool'] }, 'ecr', 'eu-west-1')).name).toBe('RepositoryNotFoundException');
    const { backfills } = await call('ListReplicationBackfills');
    expect(backfills).toEqual([
      { replicationBackfillId: id, destination, status: 'COMPLETE', progress: done.progress, startedAt: started.startedAt, endedAt: done.endedAt },
    ]);
    const invalid = await fail('StopReplicationBackfill', { replicationBackfillId: id });
    expect([invalid.name, invalid.message]).toEqual([
      'ReplicationBackfillInvalidStatusException',
      `The replication backfill with id '${id}' cannot be stopped because its status is COMPLETE`,
    ]);
  });

  test('one backfill per destination at a time; stop answers STOPPING, then it is STOPPED', async () => {
    registry.withImage('team/api', { tags: ['v1'] });
    world();
    const { replicationBackfillId: id } = await call('StartReplicationBackfill', { destination });
    expect((await fail('StartReplicationBackfill', { destination })).name).toBe('ReplicationBackfillInProgressException');
    expect((await call('StopReplicationBackfill', { replicationBackfillId: id })).status).toBe('STOPPING');
    expect((await call('DescribeReplicationBackfillResults', { replicationBackfillId: id })).status).toBe('STOPPED');
    await call('StartReplicationBackfill', { destination });
  });

  test('a failing destination fails every replication; results filter by status', async () => {
    registry.withImage('team/api', { tags: ['v1'] }).withImage('team/api', { tags: ['v2'] });
    registry.configureReplication({ destinations: [{ region: 'eu-west-1' }], stepMs: 1000, failRegions: ['eu-west-1'] });
    const { replicationBackfillId: id } = await call('StartReplicationBackfill', { destination });
    await clock.advance(2000);
    const out = await call('DescribeReplicationBackfillResults', { replicationBackfillId: id, resultStatusFilter: 'FAILED', maxResults: 1 });
    expect(out).toMatchObject({
      status: 'FAILED',
      failureCode: 'REPLICATION_FAILED',
      progress: { failedReplicationCount: 2, failureCodes: ['REPLICATION_FAILED'] },
    });
    expect(out.results).toEqual([
      { repositoryName: 'team/api', imageId: { imageDigest: expect.any(String) }, status: 'FAILED', failureCode: 'REPLICATION_FAILED' },
    ]);
    const next = await call('DescribeReplicationBackfillResults', {
      replicationBackfillId: id,
      resultStatusFilter: 'FAILED',
      maxResults: 1,
      nextToken: out.nextToken,
    });
    expect(next.results).toHaveLength(1);
    expect((await call('DescribeReplicationBackfillResults', { replicationBackfillId: id, resultStatusFilter: 'COMPLETE' })).results).toEqual([]);
  });

  test('a destination outside the replication configuration and unknown ids are refused', async () => {
    expect((await fail('StartReplicationBackfill', { destination })).name).toBe('ValidationException');
    const missing = await fail('DescribeReplicationBackfillResults', { replicationBackfillId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.name).toBe('ReplicationBackfillNotFoundException');
    expect((await fail('StopReplicationBackfill', { replicationBackfillId: 'nope' })).name).toBe('ReplicationBackfillNotFoundException');
  });
});

describe('ECR Public: repository policies, tags and registry catalog data', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr-public:BatchCheckLayerAvailability'] }],
  });
  const arn = `arn:aws:ecr-public::${account}:repository/tools/cli`;

  test('set, get and delete a repository policy; without one they are RepositoryPolicyNotFoundException', async () => {
    registry.withRepository('tools/cli', { public: true });
    const missing = await fail('GetRepositoryPolicy', { repositoryName: 'tools/cli' }, 'ecr-public');
    expect(missing.name).toBe('RepositoryPolicyNotFoundException');
    expect(await call('SetRepositoryPolicy', { repositoryName: 'tools/cli', policyText: policy }, 'ecr-public')).toEqual({
      registryId: account,
      repositoryName: 'tools/cli',
      policyText: policy,
    });
    expect(await call('GetRepositoryPolicy', { repositoryName: 'tools/cli' }, 'ecr-public')).toEqual({
      registryId: account,
      repositoryName: 'tools/cli',
      policyText: policy,
    });
    expect(await call('DeleteRepositoryPolicy', { repositoryName: 'tools/cli' }, 'ecr-public')).toEqual({
      registryId: account,
      repositoryName: 'tools/cli',
      policyText: policy,
    });
    expect((await fail('DeleteRepositoryPolicy', { repositoryName: 'tools/cli' }, 'ecr-public')).name).toBe('RepositoryPolicyNotFoundException');
    expect((await fail('SetRepositoryPolicy', { repositoryName: 'tools/cli', policyText: 'nope' }, 'ecr-public')).name).toBe('InvalidParameterException');
    expect((await fail('GetRepositoryPolicy', { repositoryName: 'tools/none' }, 'ecr-public')).name).toBe('RepositoryNotFoundException');
  });

  test('tag, list and untag a public repository by ARN', async () => {
    registry.withRepository('tools/cli', { public: true });
    await call(
      'TagResource',
      {
        resourceArn: arn,
        tags: [
          { Key: 'team', Value: 'cli' },
          { Key: 'tier', Value: 'free' },
        ],
      },
      'ecr-public',
    );
    expect((await call('ListTagsForResource', { resourceArn: arn }, 'ecr-public')).tags).toEqual([
      { Key: 'team', Value: 'cli' },
      { Key: 'tier', Value: 'free' },
    ]);
    await call('UntagResource', { resourceArn: arn, tagKeys: ['tier'] }, 'ecr-public');
    expect((await call('ListTagsForResource', { resourceArn: arn }, 'ecr-public')).tags).toEqual([{ Key: 'team', Value: 'cli' }]);
    expect((await fail('TagResource', { resourceArn: arn, tags: [{ Key: 'aws:x', Value: 'y' }] }, 'ecr-public')).name).toBe('InvalidTagParameterException');
    expect((await fail('ListTagsForResource', { resourceArn: 'arn:aws:ecr-public::123456789012:repository/none' }, 'ecr-public')).name).toBe(
      'RepositoryNotFoundException',
    );
    expect((await fail('ListTagsForResource', { resourceArn: 'not-an-arn' }, 'ecr-public')).name).toBe('InvalidParameterException');
  });

  test('PutRegistryCatalogData sets the display name GetRegistryCatalogData reports', async () => {
    expect(await call('GetRegistryCatalogData', {}, 'ecr-public')).toEqual({ registryCatalogData: {} });
    expect(await call('PutRegistryCatalogData', { displayName: 'Example Corp' }, 'ecr-public')).toEqual({
      registryCatalogData: { displayName: 'Example Corp' },
    });
    expect(await call('GetRegistryCatalogData', {}, 'ecr-public')).toEqual({ registryCatalogData: { displayName: 'Example Corp' } });
    expect((await fail('PutRegistryCatalogData', { displayName: 'x'.repeat(101) }, 'ecr-public')).name).toBe('InvalidParameterException');
  });
});
