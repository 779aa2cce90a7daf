import { ManualClock, isEcrError } from '@ecrkit/core-types';
import { expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';

const region = 'us-east-1';

test('inputs and outputs are copies: mutating either never reaches the registry', async () => {
  const registry = new SimulatedRegistry({ clock: new ManualClock() }).withImage('app', { tags: ['v1'] });
  const transport = createSimulatedTransport(registry);
  const input = { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] };
  const first = await transport.send({ api: 'ecr', operation: 'DescribeImages', input, region });
  first.imageDetails![0]!.imageTags!.push('hacked');
  first.imageDetails![0]!.imagePushedAt!.setTime(0);
  input.imageIds[0]!.imageTag = 'zzz';
  const second = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'app' }, region });
  expect(second.imageDetails![0]!.imageTags).toEqual(['v1']);
  expect(second.imageDetails![0]!.imagePushedAt!.getTime()).not.toBe(0);
});

test('errors are EcrErrors with the call context and a request id', async () => {
  const transport = createSimulatedTransport(new SimulatedRegistry());
  const err = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'missing' }, region: 'eu-central-1' }).catch((e) => e);
  expect(isEcrError(err)).toBe(true);
  expect(err).toMatchObject({
    kind: 'RepositoryNotFound',
    awsCode: 'RepositoryNotFoundException',
    statusCode: 400,
    operation: 'DescribeImages',
    region: 'eu-central-1',
    category: 'terminal',
  });
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
});

test('faults become Network or InvalidResponse errors, as a real transport would raise', async () => {
  const registry = new SimulatedRegistry().withErrorInjection({
    operation: 'DescribeRepositories',
    sequence: [{ fault: 'drop-connection' }, { fault: 'malformed-body' }, { fault: 'html-502' }],
  });
  const transport = createSimulatedTransport(registry);
  const send = () => transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region }).catch((e) => e);
  const dropped = await send();
  expect(dropped).toMatchObject({ kind: 'Network', retryable: true });
  expect((await send()).kind).toBe('InvalidResponse');
  const html = await send();
  expect(html).toMatchObject({ kind: 'InvalidResponse', statusCode: 502, retryable: true });
  expect(await send()).toHaveProperty('repositories');
});

test('an aborted signal rejects with kind Aborted before and during the call', async () => {
  const clock = new ManualClock();
  const registry = new SimulatedRegistry({ clock }).withLatencyInjection({ ms: 5000 });
  const transport = createSimulatedTransport(registry);
  await expect(transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region, signal: AbortSignal.abort() })).rejects.toMatchObject({
    kind: 'Aborted',
  });
  const controller = new AbortController();
  const pending = transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region, signal: controller.signal });
  await clock.advance(100);
  controller.abort();
  await expect(pending).rejects.toMatchObject({ kind: 'Aborted', retryable: false });
});

test('the accountId option acts as the caller account', async () => {
  const registry = new SimulatedRegistry();
  const other = createSimulatedTransport(registry, { accountId: '555555555555' });
  await other.send({ api: 'ecr', operation: 'CreateRepository', input: { repositoryName: 'mine' }, region });
  const { repositories } = await other.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
  expect(repositories![0]!.repositoryUri).toBe('555555555555.dkr.ecr.us-east-1.amazonaws.com/mine');
  const defaults = await createSimulatedTransport(registry).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
  expect(defaults.repositories).toEqual([]);
  expect(registry.getOperationHistory()[0]!.accountId).toBe('555555555555');
});
