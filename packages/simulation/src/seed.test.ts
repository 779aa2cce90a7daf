import { ManualClock, type EcrError } from '@ecrkit/core-types';
import { describe, expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { demoSeed } from './demoSeed.js';
import { validateSeed, type SeedFile } from './seed.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';

const now = Date.UTC(2026, 0, 1);

function load(seed: SeedFile) {
  const registry = new SimulatedRegistry({ clock: new ManualClock(now) }).loadSeed(seed);
  const t = createSimulatedTransport(registry);
  const send = (operation: string, input: unknown, region = 'us-east-1', api: 'ecr' | 'ecr-public' = 'ecr') =>
    t.send({ api, operation, input, region } as never) as Promise<Record<string, any>>;
  return { registry, send };
}

function seedError(seed: unknown): EcrError {
  try {
    validateSeed(seed);
  } catch (err) {
    return err as EcrError;
  }
  throw new Error('seed was accepted');
}

describe('seed files', () => {
  test('the demo seed builds the documented registry', async () => {
    const { send } = load(demoSeed);
    const { repositories } = await send('DescribeRepositories', {});
    expect(repositories.map((r: any) => r.repositoryName)).toEqual(['web-app', 'api-service', 'worker', 'lambda-processor']);
    expect(repositories.find((r: any) => r.repositoryName === 'lambda-processor').imageTagMutability).toBe('IMMUTABLE');
    const web = await send('DescribeImages', { repositoryName: 'web-app' });
    expect(web.imageDetails).toHaveLength(4);
    expect(web.imageDetails.filter((d: any) => !d.imageTags)).toHaveLength(1);
    const counts = web.imageDetails.find((d: any) => d.imageTags?.includes('v1.0.0')).imageScanFindingsSummary.findingSeverityCounts;
    expect(counts).toEqual({ CRITICAL: 2, HIGH: 3, MEDIUM: 5, LOW: 4, INFORMATIONAL: 2, UNDEFINED: 1 });
    const api = await send('BatchGetImage', { repositoryName: 'api-service', imageIds: [{ imageTag: 'latest' }] });
    const index = JSON.parse(api.images[0].imageManifest);
    expect(index.manifests.map((m: any) => [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'))).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
      'linux/arm/v7',
    ]);
    // The index's findings are its platform images' (ECR scans those); the index has none.
    const children = await send('DescribeImages', { repositoryName: 'api-service', imageIds: index.manifests.map((m: any) => ({ imageDigest: m.digest })) });
    expect(children.imageDetails.map((d: any) => d.imageScanFindingsSummary.findingSeverityCounts)).toEqual(Array(3).fill({ MEDIUM: 1, LOW: 2 }));
    expect(
      (await send('DescribeImages', { repositoryName: 'api-service', imageIds: [{ imageTag: 'latest' }] })).imageDetails[0].imageScanStatus,
    ).toBeUndefined();
    expect((await send('GetRepositoryPolicy', { repositoryName: 'api-service' })).policyText).toContain('AllowPullFromCi');
    expect((await send('DescribeRegistry', {})).replicationConfiguration.rules[0].destinations.map((d: any) => d.region)).toEqual(['us-west-2', 'eu-west-1']);
    const lambda = await send('DescribeImageScanFindings', { repositoryName: 'lambda-processor', imageId: { imageTag: 'prod-2025-01-10' } });
    expect(lambda.imageScanFindings.enhancedFindings.length).toBe(4);
    const pub = await send('DescribeImages', { repositoryName: 'hello-world' }, 'us-east-1', 'ecr-public');
    expect(pub.imageDetails[0].imageTags).toEqual(['latest', '1.0']);
    await send('StartLifecyclePolicyPreview', { repositoryName: 'web-app' });
    await send('GetLifecyclePolicyPreview', { repositoryName: 'web-app' });
    const preview = await send('GetLifecyclePolicyPreview', { repositoryName: 'web-app' });
    expect(preview.previewResults.map((r: any) => r.appliedRulePriority)).toEqual([1]);
  });

  test('accounts and regions, pushedAt and ageDays, scanning configuration and pull-through rules', async () => {
    const { send } = load({
      accounts: [
        {
          accountId: '210987654321',
          regions: [
            {
              region: 'eu-west-1',
              scanning: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: ['*'] }] },
              pullThroughCacheRules: [{ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' }],
              repositories: [
                {
                  name: 'svc',
                  images: [
                    { tags: ['old'], pushedAt: '2024-06-01T00:00:00Z' },
                    { tags: ['new'], ageDays: 3 },
                  ],
                },
              ],
            },
          ],
          public: { alias: 'second', repositories: [{ name: 'tool' }] },
        },
      ],
    });
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'svc', registryId: '210987654321' }, 'eu-west-1');
    expect(imageDetails.map((d: any) => d.imagePushedAt)).toEqual([new Date('2024-06-01T00:00:00Z'), new Date(now - 3 * 86_400_000)]);
    expect(imageDetails[1].imageScanStatus.status).toBe('IN_PROGRESS');
    const rules = await send('DescribePullThroughCacheRules', { registryId: '210987654321' }, 'eu-west-1');
    expect(rules.pullThroughCacheRules[0].ecrRepositoryPrefix).toBe('quay');
    expect((await send('DescribeRepositories', {})).repositories).toEqual([]);
  });

  test('validation names the path of the first problem', () => {
    expect(seedError('nope').message).toBe("Invalid seed at 'seed': must be an object");
    expect(seedError({ repositories: [{ name: 'Bad Name' }] }).field).toBe('repositories[0].name');
    expect(seedError({ repositories: [{ name: 'ok', images: [{ tags: ['ok', '-bad'] }] }] }).field).toBe('repositories[0].images[0].tags[1]');
    expect(seedError({ repositories: [{ name: 'ok', images: [{ platforms: ['linux'] }] }] }).field).toBe('repositories[0].images[0].platforms[0]');
    expect(seedError({ repositories: [{ name: 'ok', images: [{ findings: { severe: 1 } }] }] }).message).toMatch(/unknown property 'severe'/);
    expect(seedError({ repositories: [{ name: 'ok', images: [{ pushedAt: 'yesterday' }] }] }).field).toBe('repositories[0].images[0].pushedAt');
    expect(seedError({ repositories: [{ name: 'ok', images: [{ base: 'two words' }] }] }).field).toBe('repositories[0].images[0].base');
    expect(seedError({ repositories: [{ name: 'ok', lifecyclePolicy: { rules: [] } }] }).field).toBe('repositories[0].lifecyclePolicy');
    expect(seedError({ repositories: [{ name: 'ok' }, { name: 'ok' }] }).message).toMatch(/declared twice/);
    expect(seedError({ accounts: [{ accountId: '12' }] }).field).toBe('accounts[0].accountId');
    expect(seedError({ accounts: [{ accountId: '123456789012', regions: [{ region: 'Mars' }] }] }).field).toBe('accounts[0].regions[0].region');
    expect(seedError({ version: 2 }).field).toBe('version');
    expect(seedError({ repos: [] }).message).toMatch(/unknown property 'repos'/);
    expect(seedError({ public: { repositories: [{ name: 'pub', images: [{ findings: { high: 1 } }] }] } }).message).toMatch(/not scanned/);
    expect(seedError({ replication: { destinations: [{ region: 'us-east-1' }] } }).message).toMatch(/itself|region/);
    expect(() => validateSeed(demoSeed)).not.toThrow();
  });

  test('loadSeed validates before changing anything', async () => {
    const registry = new SimulatedRegistry().withRepository('before');
    expect(() => registry.loadSeed({ repositories: [{ name: 'fine' }, { name: 'NOT fine' }] })).toThrow(/Invalid seed/);
    const { repositories } = await createSimulatedTransport(registry).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
    expect(repositories!.map((r) => r.repositoryName)).toEqual(['before']);
  });
});
