import { readFileSync } from 'node:fs';
import { ManualClock } from '@ecrkit/core-types';
import { expect, test } from 'vitest';
import { SimulatedRegistry, createSimulatedTransport, validateSeed } from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README example runs and prints what it says', async () => {
  // Keep in sync with the first ```ts block of README.md (checked line by line below).
  const registry = new SimulatedRegistry({ clock: new ManualClock(), seed: 1 })
    .withRepository('web-app', { tagMutability: 'IMMUTABLE', scanOnPush: true })
    .withImage('web-app', { tags: ['v1.0.0'] })
    .withImage('web-app', { tags: ['v1.1.0', 'latest'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
  registry.withScanFindings('web-app', 'v1.0.0', { critical: 1, high: 2 });

  const transport = createSimulatedTransport(registry);
  const { imageDetails } = await transport.send({
    api: 'ecr',
    operation: 'DescribeImages',
    input: { repositoryName: 'web-app', filter: { tagStatus: 'TAGGED' } },
    region: 'us-east-1',
  });
  expect(imageDetails?.map((d) => d.imageTags)).toEqual([['v1.0.0'], ['v1.1.0', 'latest']]);

  const block = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  for (const line of block.split('\n').filter((l) => l.trim() && !l.startsWith('import') && !l.startsWith('console') && !l.startsWith('//'))) {
    expect(source).toContain(line);
  }
});

test('the README seed example is a valid seed', () => {
  const json = /```json\n([\s\S]*?)```/.exec(readme)![1]!;
  const seed = JSON.parse(json);
  validateSeed(seed);
  expect(() => new SimulatedRegistry({ clock: new ManualClock() }).loadSeed(seed)).not.toThrow();
});

test('the README withScanOutcome example runs: the scan completes 30 s later with its findings', async () => {
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('withScanOutcome'))!;
  const clock = new ManualClock();
  const registry = new SimulatedRegistry({ clock });
  new Function('registry', block)(registry);
  const transport = createSimulatedTransport(registry);
  await transport.send({ api: 'ecr', operation: 'StartImageScan', input: { repositoryName: 'web-app', imageId: { imageTag: 'v1' } }, region: 'us-east-1' });
  await clock.advance(30_000);
  const out = await transport.send({
    api: 'ecr',
    operation: 'DescribeImageScanFindings',
    input: { repositoryName: 'web-app', imageId: { imageTag: 'v1' } },
    region: 'us-east-1',
  });
  expect(out.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 2 });
});
