import { request as httpRequest } from 'node:http';
import { EcrError, ManualClock } from '@ecrkit/core-types';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatedFault, type FaultKind, type RegistryCall } from '../RegistryCall.js';
import type { BlobLocation } from '../SimulatedRegistry.js';
import { startSimulationServer, type ServedRegistry, type SimulationServer } from './startSimulationServer.js';

// The face on its own: a registry stand-in that records the calls it receives, so these tests
// pin down the translation (wire <-> RegistryCall). test/ runs the real registry behind it.

class StandInRegistry implements ServedRegistry {
  readonly calls: RegistryCall[] = [];
  resets = 0;
  readonly clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  readonly region = 'us-east-1';
  readonly blobs = new Map<string, Uint8Array>([['123456789012/us-east-1/team/web/sha256:ab', new Uint8Array([1, 2, 3])]]);

  async execute(call: RegistryCall): Promise<unknown> {
    this.calls.push(call);
    const input = call.input as Record<string, unknown>;
    switch (call.operation) {
      case 'DescribeImages':
        return { imageDetails: [{ imageDigest: 'sha256:ab', imagePushedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 250)) }] };
      case 'DescribeRepositories':
        throw new EcrError({
          kind: 'RepositoryNotFound',
          awsCode: 'RepositoryNotFoundException',
          statusCode: 400,
          message: "The repository with name 'x' does not exist in the registry with id '123456789012'",
        });
      case 'ListImages':
        throw new SimulatedFault(input.repositoryName as FaultKind);
      case 'UploadLayerPart':
        return { lastByteReceived: (input.layerPartBlob as Uint8Array).length - 1 };
      case 'DeleteRepository':
        throw new EcrError({ kind: 'Throttling', awsCode: 'ThrottlingException', statusCode: 400, message: 'Rate exceeded', retryAfterMs: 1500 });
      case 'GetAuthorizationToken':
        throw new TypeError('a bug in the registry');
      default:
        return {};
    }
  }

  readBlob(location: BlobLocation): Uint8Array | undefined {
    return this.blobs.get(`${location.accountId}/${location.region}/${location.repositoryName}/${location.digest}`);
  }

  reset(): void {
    this.resets++;
  }
}

const registry = new StandInRegistry();
let server: SimulationServer;
const mutations: string[] = [];

beforeAll(async () => {
  server = await startSimulationServer({
    registry,
    credentials: [{ accessKeyId: 'AKIDTEAM', secretAccessKey: 'x', accountId: '222222222222' }],
    maxBodyBytes: 4096,
    onMutation: (e) => mutations.push(`${e.api}:${e.operation}`),
  });
});
afterAll(() => server.close());

async function post(target: string | undefined, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const ecr = (op: string) => `AmazonEC2ContainerRegistry_V20150921.${op}`;

describe('startSimulationServer', () => {
  test('listens on a random loopback port and reports its url', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  test('a call becomes one RegistryCall; the output is AWS JSON 1.1 with epoch-second timestamps', async () => {
    const r = await post(ecr('DescribeImages'), '{"repositoryName":"web"}');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json()).toEqual({ imageDetails: [{ imageDigest: 'sha256:ab', imagePushedAt: 1767225600.25 }] });
    expect(registry.calls.at(-1)).toEqual({
      api: 'ecr',
      operation: 'DescribeImages',
      input: { repositoryName: 'web' },
      region: 'us-east-1',
      accountId: undefined,
      face: 'http',
      blobUrl: expect.any(Function),
      registryUrl: server.publicUrl,
    });
    // The face addresses blobs with presigned URLs on its public URL.
    const url = new URL(registry.calls.at(-1)!.blobUrl!({ accountId: '123456789012', region: 'us-east-1', repositoryName: 'team/web', digest: 'sha256:ab' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${server.publicUrl}/blobs/123456789012/us-east-1/team/web/sha256:ab`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(new Uint8Array(await (await fetch(url)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  test('the region comes from the credential scope, the account from the access key', async () => {
    await post(ecr('DescribeImages'), '{}', {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEAM/20260101/eu-west-1/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
    });
    expect(registry.calls.at(-1)).toMatchObject({ region: 'eu-west-1', accountId: '222222222222' });
    await post(ecr('DescribeImages'), '{}', {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDOTHER/20260101/ap-south-1/ecr/aws4_request, SignedHeaders=host, Signature=00',
    });
    expect(registry.calls.at(-1)).toMatchObject({ region: 'ap-south-1', accountId: undefined });
  });

  test('ECR Public targets reach the registry as api ecr-public', async () => {
    const r = await post('SpencerFrontendService.DescribeRegistries', '{}');
    expect(r.status).toBe(200);
    expect(registry.calls.at(-1)).toMatchObject({ api: 'ecr-public', operation: 'DescribeRegistries' });
  });

  test('base64 blobs in the input arrive as bytes', async () => {
    const r = await post(
      ecr('UploadLayerPart'),
      JSON.stringify({ repositoryName: 'web', uploadId: 'u', partFirstByte: 0, partLastByte: 4, layerPartBlob: 'AQIDBAU=' }),
    );
    expect(r.json()).toEqual({ lastByteReceived: 4 });
    expect((registry.calls.at(-1)!.input as { layerPartBlob: unknown }).layerPartBlob).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    expect(mutations).toContain('ecr:UploadLayerPart');
  });

  test('registry errors become the AWS error body with the same code, message and status', async () => {
    const r = await post(ecr('DescribeRepositories'), '{"repositoryNames":["x"]}');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-amzn-errortype')).toBeNull();
    expect(r.json()).toEqual({
      __type: 'RepositoryNotFoundException',
      message: "The repository with name 'x' does not exist in the registry with id '123456789012'",
    });
  });

  test('a throttling error carries Retry-After', async () => {
    const r = await post(ecr('DeleteRepository'), '{"repositoryName":"x"}');
    expect(r.status).toBe(400);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.json().__type).toBe('ThrottlingException');
    expect(mutations).not.toContain('ecr:DeleteRepository');
  });

  test('an unexpected registry failure is a 500 ServerException without its message', async () => {
    const r = await post(ecr('GetAuthorizationToken'), '{}');
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ __type: 'ServerException', message: 'An internal error occurred in the simulated registry' });
  });

  test('malformed JSON and non-object bodies are SerializationException', async () => {
    for (const body of ['{"repositoryName":', '[1,2]', '"text"', '\u0000\u00ff']) {
      const r = await post(ecr('DescribeImages'), body);
      expect(r.status).toBe(400);
      expect(r.json().__type).toBe('SerializationException');
    }
    expect((await post(ecr('DescribeImages'), '')).status).toBe(200);
  });

  test('a missing or unknown target is UnknownOperationException', async () => {
    for (const target of [undefined, 'AmazonEC2ContainerRegistry_V20150921.DropDatabase', 'DynamoDB_20120810.ListTables', 'nonsense']) {
      const r = await post(target, '{}');
      expect(r.status).toBe(400);
      expect(r.json().__type).toBe('UnknownOperationException');
    }
  });

  test('unknown paths and methods are 404', async () => {
    expect((await fetch(`${server.url}/v2/`)).status).toBe(404);
    expect((await fetch(`${server.url}/other`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  test('a body over the limit is 413, by Content-Length or by streaming', async () => {
    const big = 'x'.repeat(5000);
    const r = await post(ecr('DescribeImages'), big);
    expect(r.status).toBe(413);
    expect(r.json().__type).toBe('RequestEntityTooLargeException');
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/`,
        { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'x-amz-target': ecr('DescribeImages') } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('y'.repeat(1000));
      req.end();
    });
    expect(streamed).toBe(413);
    expect((await post(ecr('DescribeImages'), '{}')).status).toBe(200);
  });

  test('GET /blobs/{account}/{region}/{repository}/{digest} serves the blob; unknown blobs are 404', async () => {
    const r = await fetch(`${server.url}/blobs/123456789012/us-east-1/team/web/sha256:ab`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect((await fetch(`${server.url}/blobs/123456789012/us-east-1/team/web/sha256:cd`)).status).toBe(404);
    expect((await fetch(`${server.url}/blobs/%E0%A4%A`)).status).toBe(404);
  });

  test('POST /moto-api/reset resets the registry', async () => {
    const before = registry.resets;
    const r = await fetch(`${server.url}/moto-api/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(registry.resets).toBe(before + 1);
    expect(mutations).toContain('moto-api:reset');
  });
});

describe('injected faults are acted out on the wire', () => {
  test('drop-connection closes the socket without a response', async () => {
    await expect(post(ecr('ListImages'), '{"repositoryName":"drop-connection"}')).rejects.toThrow();
  });

  test('truncated-body sends fewer bytes than Content-Length, then closes', async () => {
    await expect(post(ecr('ListImages'), '{"repositoryName":"truncated-body"}')).rejects.toThrow();
  });

  test('malformed-body is a 200 whose body is not JSON', async () => {
    const r = await post(ecr('ListImages'), '{"repositoryName":"malformed-body"}');
    expect(r.status).toBe(200);
    expect(() => r.json()).toThrow(SyntaxError);
  });

  test('html-502 is a gateway error page', async () => {
    const r = await post(ecr('ListImages'), '{"repositoryName":"html-502"}');
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(r.text).toContain('502 Bad Gateway');
  });

  test('wrong-content-type is a 200 in text/plain', async () => {
    const r = await post(ecr('ListImages'), '{"repositoryName":"wrong-content-type"}');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain');
  });

  test('the server keeps serving after every fault', async () => {
    expect((await post(ecr('DescribeImages'), '{}')).status).toBe(200);
  });
});

describe('with verifySignatures', () => {
  test('an unsigned request is MissingAuthenticationTokenException; a bad signature is refused before the registry sees it', async () => {
    const strict = await startSimulationServer({ registry, verifySignatures: true, credentials: [{ accessKeyId: 'AKIDTEAM', secretAccessKey: 'x' }] });
    try {
      const count = registry.calls.length;
      const unsigned = await fetch(strict.url, { method: 'POST', headers: { 'x-amz-target': ecr('DescribeImages') }, body: '{}' });
      expect(unsigned.status).toBe(403);
      expect(await unsigned.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
      const bad = await fetch(strict.url, {
        method: 'POST',
        headers: {
          'x-amz-target': ecr('DescribeImages'),
          'x-amz-date': '20260101T120000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEAM/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        },
        body: '{}',
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { __type: string }).__type).toBe('InvalidSignatureException');
      expect(registry.calls.length).toBe(count);
    } finally {
      await strict.close();
    }
  });
});
