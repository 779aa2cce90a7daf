import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatedRegistry } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';
import { AwsSdk } from './support/awsSdk.js';

// The HTTP face over the real registry: moto's reset, injected faults as the AWS SDK meets them.

const sdk = new AwsSdk();
let registry: SimulatedRegistry;
let server: SimulationServer;

beforeAll(async () => {
  registry = new SimulatedRegistry({ lenient: true }).withImage('app', { tags: ['v1'] });
  server = await startSimulationServer({ registry });
});
afterAll(async () => {
  await sdk.close();
  await server.close();
});

const describeRepositories = () => sdk.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, endpoint: server.url, region: 'us-east-1' });

describe('the server over the real registry', () => {
  test('POST /moto-api/reset clears all state, as moto server mode does', async () => {
    expect(await describeRepositories()).toMatchObject({ ok: true, output: { repositories: [{ repositoryName: 'app' }] } });
    const reset = await fetch(`${server.url}/moto-api/reset`, { method: 'POST' });
    expect([reset.status, await reset.json()]).toEqual([200, { status: 'ok' }]);
    expect(await describeRepositories()).toEqual({ ok: true, output: { repositories: [] } });
    expect(registry.lenient).toBe(true);
  });

  test.each([
    ['drop-connection', /socket hang up|ECONNRESET|closed/i],
    ['truncated-body', /.+/],
    ['malformed-body', /.+/],
    ['html-502', /.+/],
  ] as const)('an injected %s fails the SDK call, and the next call succeeds', async (fault, message) => {
    registry.withErrorInjection({ operation: 'DescribeRepositories', fault, times: 1 });
    const failed = await describeRepositories();
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toMatch(message);
    if (fault === 'html-502' && !failed.ok) expect(failed.error.statusCode).toBe(502);
    expect((await describeRepositories()).ok).toBe(true);
  });
});
