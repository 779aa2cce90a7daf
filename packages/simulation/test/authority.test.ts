import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ManualClock } from '@ecrkit/core-types';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSimulationServer, SimulatedRegistry } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';
import { AwsSdk } from './support/awsSdk.js';

// Who may change or read state over HTTP: with verification on, every route that changes or
// reveals state needs a valid SigV4 signature (or, for blobs, a valid presigned URL); blob URLs
// are built from the configured public URL, never from the Host header; credential scopes must
// name a real-looking region.

const alice = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret', accountId: '123456789012' };
const sdk = new AwsSdk();
afterAll(() => sdk.close());

interface Started {
  server: SimulationServer;
  registry: SimulatedRegistry;
  clock: ManualClock;
}

async function start(options: { verify: boolean; publicUrl?: string }): Promise<Started> {
  const clock = new ManualClock(Date.now());
  const registry = new SimulatedRegistry({ clock, seed: 3 }).withImage('app', { tags: ['v1'], layers: 2 });
  const server = await startSimulationServer({
    registry,
    verifySignatures: options.verify,
    credentials: [alice],
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  return { server, registry, clock };
}

const call = (s: Started, operation: string, input: unknown) =>
  sdk.send({ api: 'ecr', operation, input, endpoint: s.server.url, region: 'us-east-1', credentials: alice });

/** A request signed (header auth) with @smithy/signature-v4 at the registry clock's time. */
async function signedFetch(
  s: Started,
  path: string,
  options: { body?: string; region?: string; secret?: string; target?: string; accessKeyId?: string } = {},
): Promise<Response> {
  const url = new URL(path, s.server.url);
  const signer = new SignatureV4({
    region: options.region ?? 'us-east-1',
    service: 'ecr',
    sha256: Sha256,
    credentials: { accessKeyId: options.accessKeyId ?? alice.accessKeyId, secretAccessKey: options.secret ?? alice.secretAccessKey },
  });
  const body = options.body ?? '';
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        ...(options.target ? { 'x-amz-target': options.target } : {}),
      },
      body,
    },
    { signingDate: new Date(s.clock.now()) },
  );
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, { method: 'POST', headers, body });
}

async function errorOf(response: Response): Promise<[number, string]> {
  const body = (await response.json()) as { __type?: string };
  return [response.status, body.__type ?? ''];
}

async function layerUrl(s: Started): Promise<{ url: URL; digest: string; other: string }> {
  const described = await call(s, 'BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
  if (!described.ok) throw new Error(described.error.message);
  const manifest = JSON.parse((described.output.images as { imageManifest: string }[])[0]!.imageManifest) as {
    layers: { digest: string }[];
    config: { digest: string };
  };
  const digest = manifest.layers[0]!.digest;
  const answer = await call(s, 'GetDownloadUrlForLayer', { repositoryName: 'app', layerDigest: digest });
  if (!answer.ok) throw new Error(answer.error.message);
  return { url: new URL(answer.output.downloadUrl as string), digest, other: manifest.config.digest };
}

const sha256 = (bytes: ArrayBuffer) => `sha256:${createHash('sha256').update(new Uint8Array(bytes)).digest('hex')}`;

describe('with signature verification on', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({ verify: true });
  });
  afterAll(() => s.server.close());

  const repositoryCount = async () => {
    const listed = await call(s, 'DescribeRepositories', {});
    if (!listed.ok) throw new Error(listed.error.message);
    return (listed.output.repositories as unknown[]).length;
  };

  test('an unsigned POST /moto-api/reset is refused and changes nothing', async () => {
    expect(await errorOf(await fetch(`${s.server.url}/moto-api/reset`, { method: 'POST' }))).toEqual([403, 'MissingAuthenticationTokenException']);
    expect(await repositoryCount()).toBe(1);
  });

  test('a reset signed with an unknown key or the wrong secret is refused and changes nothing', async () => {
    expect(await errorOf(await signedFetch(s, '/moto-api/reset', { accessKeyId: 'AKIDMALLORY' }))).toEqual([400, 'UnrecognizedClientException']);
    expect(await errorOf(await signedFetch(s, '/moto-api/reset', { secret: 'guessed' }))).toEqual([400, 'InvalidSignatureException']);
    expect(await repositoryCount()).toBe(1);
  });

  test('GetDownloadUrlForLayer answers a presigned URL on the public URL that serves the layer', async () => {
    const { url, digest } = await layerUrl(s);
    expect(url.origin).toBe(new URL(s.server.publicUrl).origin);
    expect(url.pathname.startsWith('/blobs/')).toBe(true);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(sha256(await response.arrayBuffer())).toBe(digest);
  });

  test('the blob route refuses a request without a presigned query', async () => {
    const { url } = await layerUrl(s);
    expect(await errorOf(await fetch(`${url.origin}${url.pathname}`))).toEqual([403, 'MissingAuthenticationTokenException']);
    expect((await fetch(`${url.origin}${url.pathname}`, { method: 'HEAD' })).status).toBe(403);
  });

  test('a presigned URL is tamper-proof: path, expiry, date, credential, signature, extra parameters', async () => {
    const { url, digest, other } = await layerUrl(s);
    const variants: [string, (u: URL) => void][] = [
      ['another blob of the same repository', (u) => (u.pathname = u.pathname.replace(digest, other))],
      ['a longer lifetime', (u) => u.searchParams.set('X-Amz-Expires', '604800')],
      [
        'a later signing date',
        (u) =>
          u.searchParams.set(
            'X-Amz-Date',
            u.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})/, (y) => String(Number(y) + 1)),
          ),
      ],
      ['another credential', (u) => u.searchParams.set('X-Amz-Credential', u.searchParams.get('X-Amz-Credential')!.replace(/^[^/]+/, alice.accessKeyId))],
      [
        'a changed signature',
        (u) => {
          // Change the last hex digit (to another digit: one time in 16 it already is '0').
          const signature = u.searchParams.get('X-Amz-Signature')!;
          u.searchParams.set('X-Amz-Signature', `${signature.slice(0, 63)}${signature.endsWith('0') ? '1' : '0'}`);
        },
      ],
      ['an added parameter', (u) => u.searchParams.set('response-content-type', 'text/html')],
      ['no signature', (u) => u.searchParams.delete('X-Amz-Signature')],
    ];
    for (const [name, tamper] of variants) {
      const tampered = new URL(url);
      tamper(tampered);
      expect(tampered.href, name).not.toBe(url.href);
      const response = await fetch(tampered);
      expect(response.status, name).toBe(403);
      await response.arrayBuffer();
    }
    expect((await fetch(url)).status).toBe(200);
  });

  test('a presigned URL signed for another Host is refused', async () => {
    const { url } = await layerUrl(s);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(url, { headers: { host: 'other.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  test.each([
    ['..', '..'],
    ['x', 'x'],
    ['200 characters', 'a'.repeat(200)],
    ['a trailing space', 'us-east-1 '],
  ])('a credential scope with region %s is refused before the registry sees it', async (_name, region) => {
    const before = s.registry.getOperationHistory().length;
    const response = await signedFetch(s, '/', { region, target: 'AmazonEC2ContainerRegistry_V20150921.CreateRepository', body: '{"repositoryName":"made"}' });
    const body = (await response.json()) as { __type: string; message: string };
    expect([response.status, body.__type]).toEqual([400, 'InvalidSignatureException']);
    expect(body.message).toContain('Credential should be scoped to a valid region');
    expect(s.registry.getOperationHistory()).toHaveLength(before);
  });

  test('a signed reset works (moto server mode, with keys)', async () => {
    const response = await signedFetch(s, '/moto-api/reset');
    expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }]);
    expect(await repositoryCount()).toBe(0);
  });
});

describe('presigned URLs expire', () => {
  test('a blob URL works until its lifetime (3600 s) has passed on the registry clock, then is refused', async () => {
    for (const verify of [true, false]) {
      const s = await start({ verify });
      try {
        const { url } = await layerUrl(s);
        await s.clock.advance(3599_000);
        expect((await fetch(url)).status, `verify=${verify}`).toBe(200);
        await s.clock.advance(2_000);
        const expired = await fetch(url);
        const body = (await expired.json()) as { __type: string; message: string };
        expect([expired.status, body.__type], `verify=${verify}`).toEqual([403, 'AccessDeniedException']);
        expect(body.message).toBe('Request has expired');
      } finally {
        await s.server.close();
      }
    }
  });
});

describe('the public URL, not the Host header, addresses blobs', () => {
  /** GetDownloadUrlForLayer sent unsigned with a hostile Host header. */
  function withHost(s: Started, host: string, digest: string): Promise<{ status: number | undefined; body: string }> {
    const body = JSON.stringify({ repositoryName: 'app', layerDigest: digest });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        s.server.url,
        {
          method: 'POST',
          headers: {
            host,
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetDownloadUrlForLayer',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  test('Host: evil.example:80/x? never appears in a download URL', async () => {
    const s = await start({ verify: false });
    try {
      const { digest } = await layerUrl(s);
      const answer = await withHost(s, 'evil.example:80/x?', digest);
      expect(answer.status).toBe(200);
      const url = (JSON.parse(answer.body) as { downloadUrl: string }).downloadUrl;
      expect(url).not.toContain('evil');
      expect(url.startsWith(`${s.server.publicUrl}/blobs/`)).toBe(true);
      expect(s.server.publicUrl).toBe(s.server.url);
    } finally {
      await s.server.close();
    }
  });

  test('a configured publicUrl is the origin of every download URL', async () => {
    const s = await start({ verify: false, publicUrl: 'https://sim.example.test:8443' });
    try {
      const { url } = await layerUrl(s);
      expect(url.origin).toBe('https://sim.example.test:8443');
      expect(s.server.publicUrl).toBe('https://sim.example.test:8443');
    } finally {
      await s.server.close();
    }
  });

  test('a publicUrl that is not an http(s) origin is refused at start', async () => {
    const registry = new SimulatedRegistry();
    for (const publicUrl of ['ftp://x.example', 'http://x.example/prefix', 'http://x.example?q=1', 'not a url', 'http://user:pw@x.example']) {
      await expect(startSimulationServer({ registry, publicUrl }), publicUrl).rejects.toMatchObject({ kind: 'InvalidParameter', field: 'publicUrl' });
    }
    // runSimulationServer passes it through, and a bad option is not reported as a failure to listen.
    await expect(runSimulationServer({ publicUrl: 'http://x.example/prefix', stopOnSignals: [] })).rejects.toMatchObject({
      kind: 'InvalidParameter',
      field: 'publicUrl',
    });
  });
});

describe('with signature verification off', () => {
  test('unsigned requests work, bare blob URLs still download, and scopes with bad regions are refused', async () => {
    const s = await start({ verify: false });
    try {
      const { url, digest } = await layerUrl(s);
      const bare = await fetch(`${url.origin}${url.pathname}`);
      expect(sha256(await bare.arrayBuffer())).toBe(digest);
      const response = await fetch(s.server.url, {
        method: 'POST',
        headers: {
          'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.CreateRepository',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIDALICE/20260101/../ecr/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: '{"repositoryName":"made"}',
      });
      expect(await errorOf(response)).toEqual([400, 'InvalidSignatureException']);
      expect(s.registry.getOperationHistory({ operation: 'CreateRepository' })).toHaveLength(0);
    } finally {
      await s.server.close();
    }
  });
});
