import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, ecrConfig, isEcrError, type EcrConfig } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { contractCredentials, endpointCases } from '@ecrkit/test-utils';
import { Agent, MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSigV4Transport } from './createSigV4Transport.js';

let registry: SimulatedRegistry;
let server: SimulationServer;
const config = (extra: Partial<{ auth: Parameters<ReturnType<typeof ecrConfig>['auth']>[0] }> = {}): EcrConfig =>
  ecrConfig()
    .region('us-east-1')
    .endpointUrl(server.url)
    .auth(extra.auth ?? { type: 'static', ...contractCredentials })
    .build();

beforeAll(async () => {
  registry = new SimulatedRegistry();
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [contractCredentials] });
});
afterAll(() => server.close());
beforeEach(() => {
  registry.reset();
});

describe('createSigV4Transport', () => {
  it('refuses a response larger than maxResponseBytes with InvalidResponse, status and request id', async () => {
    for (let i = 0; i < 5; i++) registry.addImage('web-app', { tags: [`v${i}`] });
    const transport = createSigV4Transport(config(), { maxResponseBytes: 512 });
    try {
      const err = await transport
        .send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app' }, region: 'us-east-1' })
        .catch((e: unknown) => e);
      expect(isEcrError(err) && { kind: err.kind, statusCode: err.statusCode, hasId: typeof err.requestId === 'string' }).toEqual({
        kind: 'InvalidResponse',
        statusCode: 200,
        hasId: true,
      });
      // A small answer on the same connection pool still gets through.
      await expect(transport.send({ api: 'ecr', operation: 'DescribeRegistry', input: {}, region: 'us-east-1' })).resolves.toHaveProperty('registryId');
    } finally {
      await transport.destroy?.();
    }
  });

  it('shares one credential refresh between concurrent calls and refreshes five minutes before expiry', async () => {
    const clock = new ManualClock(Date.now());
    let calls = 0;
    const provider = async () => {
      calls++;
      return { ...contractCredentials, sessionToken: `token-${calls}`, expiration: new Date(clock.now() + 15 * 60_000) };
    };
    const transport = createSigV4Transport(config(), { credentials: provider, clock });
    try {
      const send = () => transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
      await Promise.all(Array.from({ length: 10 }, send));
      expect(calls).toBe(1);
      await clock.advance(9 * 60_000);
      await send();
      expect(calls).toBe(1);
      await clock.advance(2 * 60_000);
      await send();
      expect(calls).toBe(2);
    } finally {
      await transport.destroy?.();
    }
  });

  it('sends through a caller-owned dispatcher and leaves it open on destroy', async () => {
    const agent = new Agent();
    const transport = createSigV4Transport(config(), { dispatcher: agent });
    await expect(transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' })).resolves.toHaveProperty('repositories');
    await transport.destroy?.();
    expect(agent.destroyed).toBe(false);
    await agent.close();
  });

  it('is a typed EcrError for an operation the table does not know, and sends nothing', async () => {
    const transport = createSigV4Transport(config());
    const err = await transport
      .send({ api: 'ecr', operation: 'DescribeEverything' as never, input: {} as never, region: 'us-east-1' })
      .catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('UnknownOperation');
    expect(registry.getOperationHistory()).toHaveLength(0);
    await transport.destroy?.();
  });

  it('reads throttling with Retry-After and an x-amzn-ErrorType header', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://api.ecr.eu-west-1.amazonaws.com')
      .intercept({ path: '/', method: 'POST' })
      .reply(400, '{"message":"Rate exceeded"}', {
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/',
          'retry-after': '2',
          'x-amzn-requestid': 'req-7',
        },
      });
    const transport = createSigV4Transport(
      ecrConfig()
        .region('eu-west-1')
        .auth({ type: 'static', ...contractCredentials })
        .build(),
      { dispatcher: agent },
    );
    const err = await transport
      .send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web-app' }, region: 'eu-west-1' })
      .catch((e: unknown) => e);
    expect(isEcrError(err) && { kind: err.kind, awsCode: err.awsCode, retryAfterMs: err.retryAfterMs, requestId: err.requestId, message: err.message }).toEqual(
      {
        kind: 'Throttling',
        awsCode: 'ThrottlingException',
        retryAfterMs: 2000,
        requestId: 'req-7',
        message: 'Rate exceeded',
      },
    );
    await transport.destroy();
    await agent.close();
  });

  it('reads the headers it needs in any case, among others of the same length and first letter', async () => {
    const wire = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(
          503,
          [
            ['Content-Language', 'en'],
            ['X-Amzn-Trace-Id', 'Root=1'],
            ['X-Amzn-ErrorType', 'ServiceUnavailableException'],
            ['Connection', 'keep-alive'],
            ['Retry-After', '3'],
            ['X-Amz-Request-Id', 'req-9'],
            ['Content-Type', 'Application/X-Amz-Json-1.1'],
          ].flat(),
        );
        res.end('{"message":"Try later"}');
      });
    });
    await new Promise<void>((resolve) => wire.listen(0, '127.0.0.1', resolve));
    const transport = createSigV4Transport(
      ecrConfig()
        .region('us-east-1')
        .endpointUrl(`http://127.0.0.1:${(wire.address() as AddressInfo).port}`)
        .auth({ type: 'static', ...contractCredentials })
        .build(),
    );
    try {
      const err = await transport.send({ api: 'ecr', operation: 'DescribeRegistry', input: {}, region: 'us-east-1' }).catch((e: unknown) => e);
      expect(
        isEcrError(err) && { kind: err.kind, awsCode: err.awsCode, retryAfterMs: err.retryAfterMs, requestId: err.requestId, statusCode: err.statusCode },
      ).toEqual({
        kind: 'ServiceUnavailable',
        awsCode: 'ServiceUnavailableException',
        retryAfterMs: 3000,
        requestId: 'req-9',
        statusCode: 503,
      });
    } finally {
      await transport.destroy();
      await new Promise((resolve) => wire.close(resolve));
    }
  });

  it('refuses a session token that cannot travel in a header, without quoting it', async () => {
    const transport = createSigV4Transport(config(), { credentials: { ...contractCredentials, sessionToken: 'token-with-a\nline-break' } });
    const err = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('InvalidParameter');
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain('line-break');
    expect(registry.getOperationHistory()).toHaveLength(0);
    await transport.destroy();
  });

  it('turns an input JSON cannot express into a Serialization EcrError, sending nothing', async () => {
    const transport = createSigV4Transport(config());
    const cyclic: Record<string, unknown> = { repositoryName: 'web-app' };
    cyclic.self = cyclic;
    for (const input of [cyclic, { repositoryName: 'web-app', maxResults: 10n }]) {
      const err = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: input as never, region: 'us-east-1' }).catch((e: unknown) => e);
      expect(isEcrError(err) && err.kind).toBe('Serialization');
    }
    expect(registry.getOperationHistory()).toHaveLength(0);
    await transport.destroy();
  });

  describe.each(endpointCases)('endpoint: $name', (c) => {
    it(`POSTs to ${c.origin}${c.path}, signed for ${c.signingRegion}/${c.signingName}`, async () => {
      const agent = new MockAgent();
      agent.disableNetConnect();
      let seen: Record<string, string> = {};
      agent
        .get(c.origin)
        .intercept({ path: c.path, method: 'POST' })
        .reply((options) => {
          seen = options.headers as Record<string, string>;
          return { statusCode: 200, data: '{}', responseOptions: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' } } };
        });
      let builder = ecrConfig()
        .region(c.region)
        .auth({ type: 'static', ...contractCredentials })
        .useFips(c.useFips ?? false)
        .useDualstack(c.useDualstack ?? false);
      if (c.endpointUrl) builder = builder.endpointUrl(c.endpointUrl);
      const transport = createSigV4Transport(builder.build(), { dispatcher: agent });
      try {
        await transport.send({ api: c.api, operation: 'DescribeRepositories', input: {}, region: c.region });
        agent.assertNoPendingInterceptors();
        expect(seen.host).toBe(new URL(c.origin).host);
        expect(seen['x-amz-target']).toBe(`${c.api === 'ecr' ? 'AmazonEC2ContainerRegistry_V20150921' : 'SpencerFrontendService'}.DescribeRepositories`);
        expect(seen['content-type']).toBe('application/x-amz-json-1.1');
        expect(seen.authorization).toMatch(
          new RegExp(
            `^AWS4-HMAC-SHA256 Credential=${contractCredentials.accessKeyId}/\\d{8}/${c.signingRegion}/${c.signingName}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$`,
          ),
        );
      } finally {
        await transport.destroy?.();
        await agent.close();
      }
    });
  });
});
