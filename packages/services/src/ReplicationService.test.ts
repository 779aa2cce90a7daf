import { describe, expect, it } from 'vitest';
import type { ReplicationStatus } from '@ecrkit/core-types';
import { rejection, settle, setup } from '../test/fixtures.js';

function replicated(
  options: { failRegions?: string[]; sequence?: ('IN_PROGRESS' | 'COMPLETE' | 'FAILED')[]; advanceOn?: 'poll' | 'time'; stepMs?: number } = {},
) {
  const f = setup();
  f.registry.configureReplication({ destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }], ...options });
  const img = f.registry.addImage('web-app', { tags: ['v1'] });
  f.registry.clearOperationHistory();
  return { f, img };
}

describe('ReplicationService', () => {
  it('getConfiguration() and listDestinations() read DescribeRegistry', async () => {
    const { f } = replicated();
    const config = await f.client.replication.getConfiguration();
    expect(config.registryId).toBe('123456789012');
    expect(config.replicationConfiguration.rules[0]?.destinations.map((d) => d.region).sort()).toEqual(['eu-west-1', 'us-west-2']);
    expect((await f.client.replication.listDestinations().toArray()).map((d) => `${d.region}/${d.registryId}`).sort()).toEqual([
      'eu-west-1/123456789012',
      'us-west-2/123456789012',
    ]);
    const bare = setup();
    expect(await bare.client.replication.getConfiguration()).toMatchObject({ replicationConfiguration: { rules: [] } });
    expect(await bare.client.replication.listDestinations().toArray()).toEqual([]);
  });

  it('getStatus() reports each destination', async () => {
    const { f, img } = replicated();
    const status = await f.client.replication.getStatus('web-app', img.imageDigest);
    expect(status.repositoryName).toBe('web-app');
    expect(status.destinations.map((d) => [d.region, d.status]).sort()).toEqual([
      ['eu-west-1', 'IN_PROGRESS'],
      ['us-west-2', 'IN_PROGRESS'],
    ]);
    expect(await rejection(f.client.replication.getStatus('web-app', `sha256:${'0'.repeat(64)}`))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('waitForReplication() returns once every given region is COMPLETE, with per-region outcomes', async () => {
    const { f, img } = replicated({ advanceOn: 'time', stepMs: 20_000 });
    const progress: string[][] = [];
    const result = await settle(
      f.clock,
      f.client.replication.waitForReplication('web-app', img.imageDigest, ['us-west-2', 'eu-west-1'], {
        onProgress: (p) => progress.push(p.regions.map((r) => `${r.region}:${r.status}`)),
      }),
    );
    expect(result.complete).toBe(true);
    expect(result.regions).toEqual([
      { region: 'us-west-2', status: 'COMPLETE', registryIds: ['123456789012'] },
      { region: 'eu-west-1', status: 'COMPLETE', registryIds: ['123456789012'] },
    ]);
    // Polls at 0, 1, 3, 7, 15 s are in progress; 31 s is complete.
    expect(result.attempts).toBe(6);
    expect(result.elapsedMs).toBe(31_000);
    expect(progress[0]).toEqual(['us-west-2:IN_PROGRESS', 'eu-west-1:IN_PROGRESS']);
  });

  it('waitForReplication() exits early when any region FAILED', async () => {
    const { f, img } = replicated({ failRegions: ['eu-west-1'] });
    const result = await settle(f.clock, f.client.replication.waitForReplication('web-app', img.imageDigest, ['us-west-2', 'eu-west-1']));
    expect(result.complete).toBe(false);
    expect(result.regions.find((r) => r.region === 'eu-west-1')?.status).toBe('FAILED');
    expect(result.attempts).toBe(2);
  });

  it('waitForReplication() keeps polling through a status it does not know, instead of calling it FAILED', async () => {
    // A status AWS might add later; the simulation reports it as given.
    const future = 'SOME_FUTURE_STATUS' as ReplicationStatus;
    const { f, img } = replicated({ sequence: [future, future, future, 'COMPLETE'] });
    const status = await f.client.replication.getStatus('web-app', img.imageDigest);
    expect(status.destinations.map((d) => d.status)).toEqual([future, future]);
    const progress: string[][] = [];
    const result = await settle(
      f.clock,
      f.client.replication.waitForReplication('web-app', img.imageDigest, ['us-west-2'], {
        onProgress: (p) => progress.push(p.regions.map((r) => `${r.region}:${r.status}`)),
      }),
    );
    expect(result.complete).toBe(true);
    expect(result.attempts).toBe(3);
    expect(progress).toEqual([['us-west-2:IN_PROGRESS'], ['us-west-2:IN_PROGRESS']]);
  });

  it('waitForReplication() with no regions waits for every reported destination', async () => {
    const { f, img } = replicated();
    const result = await settle(f.clock, f.client.replication.waitForReplication('web-app', img.imageDigest, []));
    expect(result.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-west-2']);
    expect(result.complete).toBe(true);
  });

  it('waitForReplication() ends with ReplicationTimeout (default 5 minutes), naming each region', async () => {
    const { f, img } = replicated({ sequence: ['IN_PROGRESS'] });
    const started = f.clock.now();
    const err = await rejection(settle(f.clock, f.client.replication.waitForReplication('web-app', img.imageDigest, ['us-west-2', 'ap-south-1'])));
    expect(err).toMatchObject({ kind: 'ReplicationTimeout' });
    expect((err as Error).message).toContain('us-west-2 IN_PROGRESS, ap-south-1 MISSING');
    expect(f.clock.now() - started).toBe(300_000);
  });

  it('waitForReplication() stops on abort', async () => {
    const { f, img } = replicated({ sequence: ['IN_PROGRESS'] });
    const controller = new AbortController();
    const waiting = f.client.replication.waitForReplication('web-app', img.imageDigest, ['us-west-2'], { signal: controller.signal }).catch((e: unknown) => e);
    await f.clock.advance(500);
    controller.abort();
    expect(await waiting).toMatchObject({ kind: 'Aborted' });
  });

  it('bad input is refused before anything is sent', async () => {
    const { f, img } = replicated();
    expect(await rejection(f.client.replication.waitForReplication('web-app', img.imageDigest, ['mars-1']))).toMatchObject({
      kind: 'InvalidParameter',
      field: 'regions[0]',
    });
    expect(await rejection(f.client.replication.waitForReplication('web-app', img.imageDigest, 'us-west-2' as never))).toMatchObject({ field: 'regions' });
    expect(await rejection(f.client.replication.getStatus('web-app', 'sha256:nothex'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });
});
