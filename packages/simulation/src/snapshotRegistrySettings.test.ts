import { ManualClock } from '@ecrkit/core-types';
import { expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';

// The registry-level state the newer operations keep survives snapshot -> JSON -> restore:
// registry policy, account settings, creation templates, signing, exclusions, backfills in
// flight, upstream registries, archived images, lifecycle evaluation times, and lenient
// repositories that carry another registry id.

const region = 'us-east-1';
const account = '123456789012';

async function built(options: { lenient?: boolean } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock, seed: 9, ...options });
  const send = (operation: string, input: unknown) =>
    createSimulatedTransport(registry).send({ api: 'ecr', operation: operation as never, input: input as never, region });
  return { clock, registry, send };
}

async function view(registry: SimulatedRegistry): Promise<Record<string, unknown>> {
  const t = createSimulatedTransport(registry);
  const send = (operation: string, input: unknown = {}) => t.send({ api: 'ecr', operation: operation as never, input: input as never, region });
  return {
    policy: await send('GetRegistryPolicy'),
    setting: await send('GetAccountSetting', { name: 'REGISTRY_POLICY_SCOPE' }),
    templates: await send('DescribeRepositoryCreationTemplates'),
    signing: await send('GetSigningConfiguration'),
    exclusions: await send('ListPullTimeUpdateExclusions'),
    backfills: await send('ListReplicationBackfills'),
    archived: await send('DescribeImages', { repositoryName: 'web', filter: { imageStatus: 'ANY' } }),
    lifecycle: await send('GetLifecyclePolicy', { repositoryName: 'web' }),
    pulled: await send('BatchGetImage', { repositoryName: 'ecr-public/library/alpine', imageIds: [{ imageTag: '3' }] }),
  };
}

test('registry settings, backfills, upstreams and archived images round-trip, and both registries continue identically', async () => {
  const { clock, registry, send } = await built();
  await send('PutRegistryPolicy', { policyText: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:ReplicateImage' }] }) });
  await send('PutAccountSetting', { name: 'REGISTRY_POLICY_SCOPE', value: 'V1' });
  await send('CreateRepositoryCreationTemplate', { prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'IMMUTABLE' });
  await send('PutSigningConfiguration', {
    signingConfiguration: { rules: [{ signingProfileArn: `arn:aws:signer:${region}:${account}:/signing-profiles/snap` }] },
  });
  await send('RegisterPullTimeUpdateExclusion', { principalArn: `arn:aws:iam::${account}:role/ci` });
  await send('CreatePullThroughCacheRule', { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
  registry.withUpstreamImage('public.ecr.aws', 'library/alpine', { tags: ['3'] });
  registry.withRepository('web', {
    lifecyclePolicy: {
      rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 9 }, action: { type: 'expire' } }],
    },
  });
  registry.withImage('web', { tags: ['v1'] }).withImage('web', { tags: ['v2'] });
  await send('UpdateImageStorageClass', { repositoryName: 'web', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' });
  registry.configureReplication({ destinations: [{ region: 'eu-west-1' }], stepMs: 10_000 }).configureStorageClass({ restoreMs: 60_000 });
  await send('StartReplicationBackfill', { destination: { region: 'eu-west-1', registryId: account } });
  await clock.advance(15_000);

  const snap = JSON.parse(JSON.stringify(registry.snapshot()));
  expect(snap.registrySettings).toHaveLength(1);
  expect(snap.upstreams).toHaveLength(1);
  expect(snap.restoreMs).toBe(60_000);
  const copy = new SimulatedRegistry({ clock, seed: 9 }).restore(snap);
  expect(await view(copy)).toEqual(await view(registry));

  // The backfill in flight finishes in both, and a restore started in both ends at the same time.
  for (const r of [registry, copy]) {
    await createSimulatedTransport(r).send({
      api: 'ecr',
      operation: 'UpdateImageStorageClass',
      input: { repositoryName: 'web', imageId: { imageTag: 'v1' }, targetStorageClass: 'STANDARD' },
      region,
    });
  }
  await clock.advance(60_000);
  const after = await view(registry);
  expect(await view(copy)).toEqual(after);
  expect((after.backfills as { backfills: { status: string }[] }).backfills[0]!.status).toBe('COMPLETE');
  expect((after.archived as { imageDetails: { imageStatus?: string }[] }).imageDetails.map((d) => d.imageStatus)).toEqual(['ACTIVE', undefined]);
});

test('a lenient repository created with another registry id keeps it through a snapshot', async () => {
  const { registry, send } = await built({ lenient: true });
  await send('CreateRepository', { repositoryName: 'app', registryId: '222222222222' });
  const copy = new SimulatedRegistry({ lenient: true }).restore(JSON.parse(JSON.stringify(registry.snapshot())));
  const listed = await createSimulatedTransport(copy).send({ api: 'ecr', operation: 'DescribeRepositories', input: { registryId: '222222222222' }, region });
  expect(listed.repositories?.map((r) => [r.repositoryName, r.registryId])).toEqual([['app', '222222222222']]);
  await createSimulatedTransport(copy).send({
    api: 'ecr',
    operation: 'DeleteRepository',
    input: { repositoryName: 'app', registryId: '222222222222' },
    region,
  });
  expect((await createSimulatedTransport(copy).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region })).repositories).toEqual([]);
});
