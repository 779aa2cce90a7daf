import { Readable } from 'node:stream';
import { ecrConfig, isEcrError, type EcrConfig } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { contractCredentials, endpointCases } from '@ecrkit/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSdkTransport } from './createSdkTransport.js';

let registry: SimulatedRegistry;
let server: SimulationServer;
const config = (): EcrConfig =>
  ecrConfig()
    .region('us-east-1')
    .endpointUrl(server.url)
    .auth({ type: 'static', ...contractCredentials })
    .build();

beforeAll(async () => {
  registry = new SimulatedRegistry();
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [contractCredentials] });
});
afterAll(() => server.close());
beforeEach(() => {
  registry.reset();
});

interface CapturedRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
}

/**
 * An SDK request handler that keeps what it was asked (the request as the SDK built and signed
 * it) and answers with a fixed response, `{}` by default.
 */
function capturingHandler(
  seen: CapturedRequest[],
  answer: { statusCode: number; headers: Record<string, string>; body: string } = {
    statusCode: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' },
    body: '{}',
  },
) {
  return {
    async handle(request: CapturedRequest) {
      seen.push(request);
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: Readable.from([Buffer.from(answer.body)]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

describe('createSdkTransport', () => {
  it('turns SDK retries off by default: one injected 500 is one attempt', async () => {
    registry.withRepository('web-app').withErrorInjection({ operation: 'DescribeRepositories', error: 'ServerException', times: 1 });
    const transport = createSdkTransport(config());
    const err = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('ServiceUnavailable');
    expect(registry.getOperationHistory({ operation: 'DescribeRepositories' })).toHaveLength(1);
    await transport.destroy?.();
  });

  it('keeps the SDK retries when asked: the SDK retries the 500 itself', async () => {
    registry.withRepository('web-app').withErrorInjection({ operation: 'DescribeRepositories', error: 'ServerException', times: 1 });
    const transport = createSdkTransport(config(), { keepSdkRetries: true });
    await expect(transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' })).resolves.toHaveProperty('repositories');
    expect(registry.getOperationHistory({ operation: 'DescribeRepositories' })).toHaveLength(2);
    await transport.destroy?.();
  });

  it('calls a credential provider once while its credentials are fresh', async () => {
    let calls = 0;
    const transport = createSdkTransport(config(), {
      credentials: async () => {
        calls++;
        return { ...contractCredentials, sessionToken: 'session', expiration: new Date(Date.now() + 3600_000) };
      },
    });
    for (let i = 0; i < 5; i++) await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
    expect(calls).toBe(1);
    await transport.destroy?.();
  });

  it('maps a failing credential provider to CredentialsUnavailable without its message', async () => {
    const transport = createSdkTransport(config(), {
      credentials: async () => {
        throw new Error('cannot read /home/someone/.aws/sso/cache/abc.json');
      },
    });
    const err = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(isEcrError(err) && { kind: err.kind, operation: err.operation }).toEqual({ kind: 'CredentialsUnavailable', operation: 'DescribeRepositories' });
    expect((err as Error).message).not.toContain('/home/someone');
    await transport.destroy?.();
  });

  it('reads throttling with Retry-After and an x-amzn-ErrorType header', async () => {
    const handler = capturingHandler([], {
      statusCode: 400,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/',
        'retry-after': '2',
        'x-amzn-requestid': 'req-7',
      },
      body: '{"message":"Rate exceeded"}',
    });
    const transport = createSdkTransport(
      ecrConfig()
        .region('eu-west-1')
        .auth({ type: 'static', ...contractCredentials })
        .build(),
      { clientOptions: { requestHandler: handler as never } },
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
  });

  it('refuses a session token that cannot travel in a header, without quoting it', async () => {
    const transport = createSdkTransport(config(), { credentials: { ...contractCredentials, sessionToken: 'token-with-a\nline-break' } });
    const err = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('InvalidParameter');
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain('line-break');
    expect(registry.getOperationHistory()).toHaveLength(0);
    await transport.destroy();
  });

  describe.each(endpointCases)('endpoint: $name', (c) => {
    it(`sends to ${c.origin}${c.path}, signed for ${c.signingRegion}/${c.signingName}`, async () => {
      const seen: CapturedRequest[] = [];
      let builder = ecrConfig()
        .region(c.region)
        .auth({ type: 'static', ...contractCredentials })
        .useFips(c.useFips ?? false)
        .useDualstack(c.useDualstack ?? false);
      if (c.endpointUrl) builder = builder.endpointUrl(c.endpointUrl);
      const transport = createSdkTransport(builder.build(), { clientOptions: { requestHandler: capturingHandler(seen) as never } });
      try {
        await transport.send({ api: c.api, operation: 'DescribeRepositories', input: {}, region: c.region });
        const request = seen[0]!;
        const url = new URL(c.origin);
        expect({ protocol: request.protocol, hostname: request.hostname, port: request.port ?? '', path: request.path }).toEqual({
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port === '' ? '' : Number(url.port),
          path: c.path,
        });
        expect(request.headers['x-amz-target']).toBe(
          `${c.api === 'ecr' ? 'AmazonEC2ContainerRegistry_V20150921' : 'SpencerFrontendService'}.DescribeRepositories`,
        );
        expect(request.headers.authorization).toMatch(
          new RegExp(`Credential=${contractCredentials.accessKeyId}/\\d{8}/${c.signingRegion}/${c.signingName}/aws4_request`),
        );
      } finally {
        await transport.destroy?.();
      }
    });
  });
});
