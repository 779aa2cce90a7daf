// A consumer's vitest test (ES modules, TypeScript): the simulation in process and over HTTP, and
// every export of every package (exports.json: specifier to the names a plain ES import gives).
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import { startSimulationServer } from '@ecrkit/simulation/server';
import { expect, test } from 'vitest';
import exportNames from './exports.json';

test('the simulation answers DescribeImages in process', async () => {
  const registry = new SimulatedRegistry().withImage('web-app', { tags: ['v1.0.0'] });
  const transport = createSimulatedTransport(registry);
  const { imageDetails } = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app' }, region: 'us-east-1' });
  expect(imageDetails?.map((d) => d.imageTags)).toEqual([['v1.0.0']]);
});

test('the simulation server speaks AWS JSON 1.1', async () => {
  const registry = new SimulatedRegistry().withRepository('api');
  const server = await startSimulationServer({ registry, port: 0 });
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' },
      body: '{}',
    });
    const body = (await response.json()) as { repositories: { repositoryName: string }[] };
    expect(body.repositories.map((r) => r.repositoryName)).toEqual(['api']);
  } finally {
    await server.close();
  }
});

test.each(Object.entries(exportNames as Record<string, string[]>))('import(%s) under vitest gives the names Node gives', async (specifier, names) => {
  const loaded = Object.keys(await import(specifier)).filter((n) => n !== 'default' && n !== 'module.exports');
  expect(loaded.sort()).toEqual(names);
});
