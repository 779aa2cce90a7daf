import { describe, expect, it } from 'vitest';
import { ecrConfig } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { createSimulatedTransport } from '@ecrkit/simulation';
import { rejection, settle, setup } from '../test/fixtures.js';
import { createClient } from './createClient.js';
import { replicationDestinationsFor } from './verifyReplication.js';
import type { ReplicationVerification } from './verifyReplication.js';

const otherAccount = '210987654321';

/**
 * A registry replicating `web-*` repositories to us-west-2, eu-west-1 and another account's
 * us-east-1, and `data-*` ones to ap-south-1; replicas are written 1 s after a push (time mode).
 */
function world(
  progression: { lagRegions?: string[]; failRegions?: string[]; advanceOn?: 'poll' | 'time' } = {},
  before?: (f: ReturnType<typeof setup>) => void,
) {
  const f = setup();
  before?.(f);
  f.registry.configureReplication({ destinations: [{ region: 'us-west-2' }], advanceOn: 'time', stepMs: 1000, ...progression });
  f.registry.applySync({
    api: 'ecr',
    operation: 'PutReplicationConfiguration',
    input: {
      replicationConfiguration: {
        rules: [
          {
            destinations: [
              { region: 'us-west-2', registryId: '123456789012' },
              { region: 'eu-west-1', registryId: '123456789012' },
              { region: 'us-east-1', registryId: otherAccount },
            ],
            repositoryFilters: [{ filter: 'web-', filterType: 'PREFIX_MATCH' }],
          },
          { destinations: [{ region: 'ap-south-1', registryId: '123456789012' }], repositoryFilters: [{ filter: 'data-', filterType: 'PREFIX_MATCH' }] },
        ],
      },
    },
  });
  f.registry.withRepository('web-app', { scanOnPush: true });
  const send = (operation: string, input: unknown, region = 'us-east-1') =>
    createSimulatedTransport(f.registry).send({ api: 'ecr', operation, input, region } as never) as Promise<Record<string, any>>;
  return { ...f, send };
}

const states = (r: ReplicationVerification) => r.destinations.map((d) => `${d.registryId}/${d.region} ${d.state}`);

describe('replicationDestinationsFor', () => {
  it('applies rules without filters or with a matching prefix, and leaves out the source itself', () => {
    const config = {
      rules: [
        {
          destinations: [{ region: 'us-west-2', registryId: '111111111111' }],
          repositoryFilters: [{ filter: 'team-a/', filterType: 'PREFIX_MATCH' as const }],
        },
        {
          destinations: [
            { region: 'eu-west-1', registryId: '111111111111' },
            { region: 'us-east-1', registryId: '111111111111' },
          ],
        },
        {
          destinations: [{ region: 'ap-south-1', registryId: '111111111111' }],
          repositoryFilters: [{ filter: 'team-b/', filterType: 'PREFIX_MATCH' as const }],
        },
      ],
    };
    const source = { region: 'us-east-1', registryId: '111111111111' };
    expect(replicationDestinationsFor(config, 'team-a/web', source)).toEqual({
      applicable: [
        { region: 'us-west-2', registryId: '111111111111' },
        { region: 'eu-west-1', registryId: '111111111111' },
      ],
      notApplicable: [{ region: 'ap-south-1', registryId: '111111111111' }],
    });
    expect(replicationDestinationsFor({ rules: [] }, 'x', source)).toEqual({ applicable: [], notApplicable: [] });
  });
});

describe('client.replication.verify', () => {
  it('consistent: digest, tags, every platform manifest and referrer, and the copied settings in every destination; filtered-out ones not applicable', async () => {
    const w = world();
    const image = w.registry.addImage('web-app', { tags: ['v1', 'latest'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
    const child = JSON.parse(image.children![0]!.manifest);
    // A referrer (an attestation) naming the index as its subject, made of blobs the repository holds.
    await w.send('PutImage', {
      repositoryName: 'web-app',
      imageManifest: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: child.config,
        layers: [child.layers[0]],
        subject: { mediaType: image.mediaType, digest: image.imageDigest, size: image.manifest.length },
      }),
    });
    await w.clock.advance(1000);

    const result = await w.client.replication.verify('web-app', 'v1');

    expect(result).toMatchObject({
      repositoryName: 'web-app',
      imageDigest: image.imageDigest,
      imageTags: ['v1', 'latest'],
      outcome: 'consistent',
      attempts: 1,
    });
    expect(result.source).toEqual({ region: 'us-east-1', registryId: '123456789012' });
    expect(states(result)).toEqual([
      '123456789012/us-west-2 consistent',
      '123456789012/eu-west-1 consistent',
      `${otherAccount}/us-east-1 consistent`,
      '123456789012/ap-south-1 not-applicable',
    ]);
    expect(result.destinations.every((d) => d.problems.length === 0)).toBe(true);
    expect(result.destinations[0]).toMatchObject({ replicationStatus: 'COMPLETE' });
  });

  it('pending: a lagging destination, with the time since the push; the others are consistent', async () => {
    const w = world({ lagRegions: ['eu-west-1'] });
    w.registry.withImage('web-app', { tags: ['v1'] });
    await w.clock.advance(90_000);

    const result = await w.client.replication.verify('web-app', 'v1');

    expect(result.outcome).toBe('pending');
    expect(states(result).slice(0, 3)).toEqual(['123456789012/us-west-2 consistent', '123456789012/eu-west-1 pending', `${otherAccount}/us-east-1 consistent`]);
    const eu = result.destinations[1]!;
    expect(eu).toMatchObject({ replicationStatus: 'IN_PROGRESS', pendingForMs: 90_000 });
    // The repository is created with the first replica, so nothing of web-app is in eu-west-1 yet.
    expect(eu.problems).toEqual(['repository web-app is not there (replication IN_PROGRESS)']);
  });

  it('missing: a failed destination, and a replica deleted after replication completed', async () => {
    const w = world({ failRegions: ['eu-west-1'] });
    const image = w.registry.addImage('web-app', { tags: ['v1'] });
    await w.clock.advance(1000);
    await w.send('BatchDeleteImage', { repositoryName: 'web-app', imageIds: [{ imageDigest: image.imageDigest }] }, 'us-west-2');

    const result = await w.client.replication.verify('web-app', 'v1');

    expect(result.outcome).toBe('inconsistent');
    expect(states(result).slice(0, 2)).toEqual(['123456789012/us-west-2 missing', '123456789012/eu-west-1 missing']);
    expect(result.destinations[0]!.problems).toEqual([`image ${image.imageDigest} is not there (replication COMPLETE)`]);
    expect(result.destinations[1]).toMatchObject({
      replicationStatus: 'FAILED',
      failureCode: 'REPLICATION_FAILED',
      problems: ['repository web-app is not there (replication FAILED (REPLICATION_FAILED))'],
    });
  });

  it('a referrer pushed later is pending while it replicates and missing when its replication failed', async () => {
    const w = world();
    const image = w.registry.addImage('web-app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
    await w.clock.advance(1000);
    expect((await w.client.replication.verify('web-app', 'v1')).outcome).toBe('consistent');
    // The signature's replication fails in eu-west-1 and lags in the other account.
    w.registry.configureReplication({
      destinations: [{ region: 'us-west-2' }],
      advanceOn: 'time',
      stepMs: 1000,
      failRegions: ['eu-west-1'],
      lagRegions: ['us-east-1'],
    });
    w.registry.applySync({
      api: 'ecr',
      operation: 'PutReplicationConfiguration',
      input: {
        replicationConfiguration: {
          rules: [
            {
              destinations: [
                { region: 'us-west-2', registryId: '123456789012' },
                { region: 'eu-west-1', registryId: '123456789012' },
                { region: 'us-east-1', registryId: otherAccount },
              ],
            },
          ],
        },
      },
    });
    const child = JSON.parse(image.children![0]!.manifest);
    const signature = await w.send('PutImage', {
      repositoryName: 'web-app',
      imageManifest: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: child.config,
        layers: [child.layers[0]],
        subject: { mediaType: image.mediaType, digest: image.imageDigest, size: image.manifest.length },
      }),
    });
    await w.clock.advance(5000);

    const result = await w.client.replication.verify('web-app', 'v1');

    const digest = signature.image.imageId.imageDigest;
    expect(states(result)).toEqual(['123456789012/us-west-2 consistent', '123456789012/eu-west-1 missing', `${otherAccount}/us-east-1 pending`]);
    expect(result.outcome).toBe('inconsistent');
    expect(result.destinations[1]!.problems).toEqual([
      `referrer (application/vnd.docker.container.image.v1+json) ${digest} is not there (replication FAILED (REPLICATION_FAILED))`,
    ]);
    expect(result.destinations[2]).toMatchObject({
      replicationStatus: 'COMPLETE',
      problems: [`referrer (application/vnd.docker.container.image.v1+json) ${digest} is not there (replication IN_PROGRESS)`],
    });
  });

  it('diverged: a tag on another image, an extra tag, and repository settings that differ', async () => {
    const w = world();
    const image = w.registry.addImage('web-app', { tags: ['v1', 'rc'] });
    await w.clock.advance(1000);
    w.registry.withDivergedReplica('web-app', 'v1', { region: 'eu-west-1' });
    await w.send('PutImageTagMutability', { repositoryName: 'web-app', imageTagMutability: 'IMMUTABLE' }, 'us-west-2');
    // Taking a tag off at the source is not replicated: the replicas keep it.
    await w.send('BatchDeleteImage', { repositoryName: 'web-app', imageIds: [{ imageTag: 'rc' }] });

    const result = await w.client.replication.verify('web-app', image.imageDigest);

    expect(result.outcome).toBe('inconsistent');
    expect(states(result).slice(0, 3)).toEqual(['123456789012/us-west-2 diverged', '123456789012/eu-west-1 diverged', `${otherAccount}/us-east-1 diverged`]);
    expect(result.destinations[0]!.problems).toEqual([
      'tag mutability is IMMUTABLE, MUTABLE at the source',
      'tag rc is on the replica but not on the source image',
    ]);
    const eu = await w.send('DescribeImages', { repositoryName: 'web-app', imageIds: [{ imageTag: 'v1' }] }, 'eu-west-1');
    expect(result.destinations[1]!.problems).toEqual([
      `tag v1 is on ${eu.imageDetails[0].imageDigest} there`,
      'tag rc is on the replica but not on the source image',
    ]);
  });

  it('not applicable everywhere: a repository no rule replicates is consistent, with nothing to check', async () => {
    const w = world();
    w.registry.withImage('tools', { tags: ['v1'] });
    const result = await w.client.replication.verify('tools', 'v1');
    expect(result.outcome).toBe('consistent');
    expect(result.destinations.map((d) => d.state)).toEqual(['not-applicable', 'not-applicable', 'not-applicable', 'not-applicable']);
  });

  it('wait: verifies again with backoff until nothing is pending; a lagging destination ends timedOut, still pending', async () => {
    const w = world({ advanceOn: 'poll' });
    w.registry.withImage('web-app', { tags: ['v1'] });
    const progress: string[] = [];
    const done = await settle(
      w.clock,
      w.client.replication.verify('web-app', 'v1', { wait: true, onProgress: (p) => progress.push(p.destinations.map((d) => d.state).join(',')) }),
    );
    expect(done.outcome).toBe('consistent');
    expect(done.attempts).toBe(2);
    expect(progress).toEqual(['pending,pending,pending,not-applicable']);

    const lag = world({ lagRegions: ['eu-west-1'] });
    lag.registry.withImage('web-app', { tags: ['v1'] });
    const late = await settle(lag.clock, lag.client.replication.verify('web-app', 'v1', { wait: true, timeoutMs: 60_000 }));
    expect(late).toMatchObject({ outcome: 'pending', timedOut: true, elapsedMs: 60_000 });
    expect(late.destinations[1]).toMatchObject({ state: 'pending', pendingForMs: 60_000 });
  });

  it('clientFor reads each destination with the client given for it (e.g. another account credentials)', async () => {
    const w = world();
    w.registry.withImage('web-app', { tags: ['v1'] });
    await w.clock.advance(1000);
    const seen: string[] = [];
    const inner = createSimulatedTransport(w.registry);
    const recording: Transport = {
      send: (request) => {
        seen.push(`${request.region} ${request.operation}`);
        return inner.send(request);
      },
    };
    const asked: string[] = [];
    const result = await w.client.replication.verify('web-app', 'v1', {
      clientFor: (d) => {
        asked.push(`${d.registryId}/${d.region}`);
        return createClient(ecrConfig().region(d.region).registryId(d.registryId).build(), { transport: recording });
      },
    });
    expect(result.outcome).toBe('consistent');
    expect(asked).toEqual(['123456789012/us-west-2', '123456789012/eu-west-1', `${otherAccount}/us-east-1`]);
    expect(seen).toContain('eu-west-1 DescribeImages');
    expect(seen.some((s) => s.startsWith('ap-south-1'))).toBe(false);
  });

  it('refuses a source image that does not exist, and bad input before any request', async () => {
    const w = world();
    w.registry.withRepository('web-app');
    expect(await rejection(w.client.replication.verify('web-app', 'nope'))).toMatchObject({ kind: 'ImageNotFound' });
    expect(await rejection(w.client.replication.verify('missing-repo', 'v1'))).toMatchObject({ kind: 'RepositoryNotFound' });
    w.registry.clearOperationHistory();
    expect(await rejection(w.client.replication.verify('Bad Name', 'v1'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(w.client.replication.verify('web-app', 'v1', { clientFor: 'x' as never }))).toMatchObject({
      kind: 'InvalidParameter',
      field: 'clientFor',
    });
    expect(w.ops()).toEqual([]);
  });
});
