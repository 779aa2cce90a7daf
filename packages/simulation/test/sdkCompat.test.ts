import { createHash } from 'node:crypto';
import { ManualClock, isEcrError, operationNames, operationSpec, type Api, type Transport } from '@ecrkit/core-types';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatedRegistry, createSimulatedTransport } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';
import { AwsSdk, type SdkResult } from './support/awsSdk.js';

// The proof of wire compatibility: the real @aws-sdk/client-ecr and @aws-sdk/client-ecr-public,
// pointed at the server, see exactly what the in-process transport sees for the same calls on
// an identical registry (same seed, same clock).

const start = Date.UTC(2026, 0, 1, 12);

function makeRegistry(): SimulatedRegistry {
  return new SimulatedRegistry({ clock: new ManualClock(start), seed: 7 })
    .withRepository('team/api', { scanOnPush: false })
    .withImage('team/api', { tags: ['a'] })
    .withImage('team/api', { tags: ['b'] })
    .withImage('team/api', { tags: ['c', 'c2'] })
    .withImage('team/api', { tags: [] })
    .withImage('team/api', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64/v8'] })
    .withScanFindings('team/api', 'a', { critical: 1, high: 2, medium: 3, low: 1 })
    .withRepository('pub/tool', { public: true, catalogData: { description: 'A tool', architectures: ['x86-64'] } })
    .withImage('pub/tool', { public: true, tags: ['1.0'] })
    .configureReplication({ destinations: [{ region: 'eu-west-1' }] });
}

type Outcome = { ok: true; output: unknown } | { ok: false; code: string | undefined; message: string; statusCode: number | undefined };

interface Step {
  name: string;
  api?: Api;
  operation: string;
  region?: string;
  input: (previous: Map<string, unknown>) => unknown;
}

const sdk = new AwsSdk();
let server: SimulationServer;
let transport: Transport;
let httpRegistry: SimulatedRegistry;

beforeAll(async () => {
  httpRegistry = makeRegistry();
  server = await startSimulationServer({ registry: httpRegistry });
  transport = createSimulatedTransport(makeRegistry());
});
afterAll(async () => {
  await sdk.close();
  await server.close();
});

async function inProcess(step: Step, input: unknown): Promise<Outcome> {
  try {
    const output = await transport.send({
      api: step.api ?? 'ecr',
      operation: step.operation as never,
      input: input as never,
      region: step.region ?? 'us-east-1',
    });
    return { ok: true, output };
  } catch (err) {
    if (!isEcrError(err)) throw err;
    return { ok: false, code: err.awsCode, message: err.message, statusCode: err.statusCode };
  }
}

async function overHttp(step: Step, input: unknown): Promise<Outcome> {
  const result: SdkResult = await sdk.send({
    api: step.api ?? 'ecr',
    operation: step.operation,
    input,
    endpoint: server.url,
    region: step.region ?? 'us-east-1',
  });
  return result.ok
    ? { ok: true, output: result.output }
    : { ok: false, code: result.error.name, message: result.error.message, statusCode: result.error.statusCode };
}

/** Drop `undefined` members so both faces compare on the values they carry. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, normalize(v)]),
  );
}

/**
 * The other intended difference: served over HTTP, repository URIs and `proxyEndpoint` name the
 * server (where docker must push) instead of `<account>.dkr.ecr.<region>.amazonaws.com`.
 */
function servedHere(value: unknown): unknown {
  const host = server.url.replace('http://', '');
  const text = JSON.stringify(value)
    .replace(/https:\/\/\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/g, server.url)
    .replace(/"(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com)\//g, `"${host}/`);
  return JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT.*Z$/.test(v) ? new Date(v) : v));
}

/** Run steps on both faces in lockstep; each face's outputs feed its own later steps. */
async function runScenario(steps: Step[]): Promise<Map<string, Outcome>> {
  const local = new Map<string, unknown>();
  const remote = new Map<string, unknown>();
  const outcomes = new Map<string, Outcome>();
  for (const step of steps) {
    const a = await inProcess(step, step.input(local));
    const b = await overHttp(step, step.input(remote));
    if (a.ok) local.set(step.name, a.output);
    if (b.ok) remote.set(step.name, b.output);
    if (step.operation === 'GetDownloadUrlForLayer' && a.ok && b.ok) {
      // The one intended difference: a data: URL in process, a /blobs URL over HTTP. Same bytes.
      const { downloadUrl: urlA, ...restA } = a.output as { downloadUrl: string };
      const { downloadUrl: urlB, ...restB } = b.output as { downloadUrl: string };
      expect(restB, step.name).toEqual(restA);
      expect(urlB).toMatch(new RegExp(`^${server.url}/blobs/`));
      const [bytesA, bytesB] = await Promise.all([urlA, urlB].map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
      expect(bytesB).toEqual(bytesA);
    } else {
      expect({ step: step.name, ...(normalize(b) as object) }).toEqual({ step: step.name, ...(normalize(servedHere(a)) as object) });
    }
    outcomes.set(step.name, a);
  }
  return outcomes;
}

const layerBytes = new TextEncoder().encode('layer bytes of the web image');
const configBytes = new TextEncoder().encode(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
const sha = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const manifestFor = (layer: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBytes.length, digest: sha(configBytes) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layerBytes.length, digest: layer }],
  });
const manifest = manifestFor(sha(layerBytes));
const uploadId = (prev: Map<string, unknown>, step: string) => (prev.get(step) as { uploadId?: string } | undefined)?.uploadId;
const token = (prev: Map<string, unknown>, step: string) => (prev.get(step) as { nextToken?: string } | undefined)?.nextToken;
const lifecyclePolicy = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'keep two tagged',
      selection: { tagStatus: 'tagged', tagPrefixList: ['c', 'a', 'b', 'm'], countType: 'imageCountMoreThan', countNumber: 2 },
      action: { type: 'expire' },
    },
  ],
});

describe('the AWS SDK over HTTP sees what the in-process transport sees', () => {
  test('private ECR: repositories, the layer upload flow, images, pagination, batches, scans, auth, lifecycle, replication', async () => {
    const outcomes = await runScenario([
      {
        name: 'create',
        operation: 'CreateRepository',
        input: () => ({ repositoryName: 'team/web', tags: [{ Key: 'team', Value: 'web' }], imageScanningConfiguration: { scanOnPush: true } }),
      },
      { name: 'create again', operation: 'CreateRepository', input: () => ({ repositoryName: 'team/web' }) },
      { name: 'repos page 1', operation: 'DescribeRepositories', input: () => ({ maxResults: 1 }) },
      { name: 'repos page 2', operation: 'DescribeRepositories', input: (p) => ({ maxResults: 1, nextToken: token(p, 'repos page 1') }) },
      { name: 'init layer', operation: 'InitiateLayerUpload', input: () => ({ repositoryName: 'team/web' }) },
      {
        name: 'upload layer',
        operation: 'UploadLayerPart',
        input: (p) => ({
          repositoryName: 'team/web',
          uploadId: uploadId(p, 'init layer'),
          partFirstByte: 0,
          partLastByte: layerBytes.length - 1,
          layerPartBlob: layerBytes,
        }),
      },
      {
        name: 'bad range',
        operation: 'UploadLayerPart',
        input: (p) => ({ repositoryName: 'team/web', uploadId: uploadId(p, 'init layer'), partFirstByte: 0, partLastByte: 1, layerPartBlob: layerBytes }),
      },
      {
        name: 'complete layer',
        operation: 'CompleteLayerUpload',
        input: (p) => ({ repositoryName: 'team/web', uploadId: uploadId(p, 'init layer'), layerDigests: [sha(layerBytes)] }),
      },
      { name: 'init config', operation: 'InitiateLayerUpload', input: () => ({ repositoryName: 'team/web' }) },
      {
        name: 'upload config',
        operation: 'UploadLayerPart',
        input: (p) => ({
          repositoryName: 'team/web',
          uploadId: uploadId(p, 'init config'),
          partFirstByte: 0,
          partLastByte: configBytes.length - 1,
          layerPartBlob: configBytes,
        }),
      },
      {
        name: 'complete config',
        operation: 'CompleteLayerUpload',
        input: (p) => ({ repositoryName: 'team/web', uploadId: uploadId(p, 'init config'), layerDigests: [sha(configBytes)] }),
      },
      {
        name: 'check layers',
        operation: 'BatchCheckLayerAvailability',
        input: () => ({ repositoryName: 'team/web', layerDigests: [sha(layerBytes), sha(configBytes), sha('missing')] }),
      },
      { name: 'put v1', operation: 'PutImage', input: () => ({ repositoryName: 'team/web', imageManifest: manifest, imageTag: 'v1' }) },
      {
        name: 'retag v2',
        operation: 'PutImage',
        input: () => ({ repositoryName: 'team/web', imageManifest: manifest, imageTag: 'v2', imageDigest: sha(manifest) }),
      },
      { name: 'put v1 again', operation: 'PutImage', input: () => ({ repositoryName: 'team/web', imageManifest: manifest, imageTag: 'v1' }) },
      {
        name: 'digest mismatch',
        operation: 'PutImage',
        input: () => ({ repositoryName: 'team/web', imageManifest: manifest, imageTag: 'v3', imageDigest: sha('other') }),
      },
      {
        name: 'layers missing',
        operation: 'PutImage',
        input: () => ({ repositoryName: 'team/web', imageManifest: manifestFor(sha('never uploaded')), imageTag: 'v4' }),
      },
      { name: 'download url', operation: 'GetDownloadUrlForLayer', input: () => ({ repositoryName: 'team/web', layerDigest: sha(layerBytes) }) },
      { name: 'images page 1', operation: 'DescribeImages', input: () => ({ repositoryName: 'team/api', maxResults: 2 }) },
      {
        name: 'images page 2',
        operation: 'DescribeImages',
        input: (p) => ({ repositoryName: 'team/api', maxResults: 2, nextToken: token(p, 'images page 1') }),
      },
      { name: 'images tagged', operation: 'DescribeImages', input: () => ({ repositoryName: 'team/api', filter: { tagStatus: 'TAGGED' } }) },
      { name: 'images by id', operation: 'DescribeImages', input: () => ({ repositoryName: 'team/api', imageIds: [{ imageTag: 'nope' }] }) },
      { name: 'list untagged', operation: 'ListImages', input: () => ({ repositoryName: 'team/api', filter: { tagStatus: 'UNTAGGED' } }) },
      { name: 'list page 1', operation: 'ListImages', input: () => ({ repositoryName: 'team/api', maxResults: 3 }) },
      { name: 'list page 2', operation: 'ListImages', input: (p) => ({ repositoryName: 'team/api', maxResults: 3, nextToken: token(p, 'list page 1') }) },
      { name: 'bad token', operation: 'ListImages', input: () => ({ repositoryName: 'team/api', nextToken: 'not-a-token' }) },
      { name: 'bad maxResults', operation: 'DescribeImages', input: () => ({ repositoryName: 'team/api', maxResults: 5000 }) },
      { name: 'missing repo', operation: 'DescribeImages', input: () => ({ repositoryName: 'team/nope' }) },
      {
        name: 'batch get',
        operation: 'BatchGetImage',
        input: () => ({
          repositoryName: 'team/api',
          imageIds: [{ imageTag: 'a' }, { imageTag: 'nope' }, { imageDigest: 'sha256:not-hex' }, {}],
          acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
        }),
      },
      {
        name: 'batch delete',
        operation: 'BatchDeleteImage',
        input: () => ({ repositoryName: 'team/api', imageIds: [{ imageTag: 'c2' }, { imageTag: 'nope' }] }),
      },
      {
        name: 'scan findings',
        operation: 'DescribeImageScanFindings',
        input: () => ({ repositoryName: 'team/api', imageId: { imageTag: 'a' }, maxResults: 2 }),
      },
      {
        name: 'scan findings 2',
        operation: 'DescribeImageScanFindings',
        input: (p) => ({ repositoryName: 'team/api', imageId: { imageTag: 'a' }, maxResults: 2, nextToken: token(p, 'scan findings') }),
      },
      { name: 'no scan', operation: 'DescribeImageScanFindings', input: () => ({ repositoryName: 'team/api', imageId: { imageTag: 'b' } }) },
      { name: 'start scan', operation: 'StartImageScan', input: () => ({ repositoryName: 'team/api', imageId: { imageTag: 'b' } }) },
      { name: 'scan in progress', operation: 'DescribeImageScanFindings', input: () => ({ repositoryName: 'team/api', imageId: { imageTag: 'b' } }) },
      { name: 'auth token', operation: 'GetAuthorizationToken', input: () => ({}) },
      { name: 'put lifecycle', operation: 'PutLifecyclePolicy', input: () => ({ repositoryName: 'team/api', lifecyclePolicyText: lifecyclePolicy }) },
      { name: 'start preview', operation: 'StartLifecyclePolicyPreview', input: () => ({ repositoryName: 'team/api' }) },
      { name: 'preview', operation: 'GetLifecyclePolicyPreview', input: () => ({ repositoryName: 'team/api' }) },
      { name: 'replication status', operation: 'DescribeImageReplicationStatus', input: () => ({ repositoryName: 'team/api', imageId: { imageTag: 'a' } }) },
      { name: 'registry', operation: 'DescribeRegistry', input: () => ({}) },
      {
        name: 'tag resource',
        operation: 'TagResource',
        input: () => ({ resourceArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web', tags: [{ Key: 'env', Value: 'test' }] }),
      },
      { name: 'list tags', operation: 'ListTagsForResource', input: () => ({ resourceArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web' }) },
      { name: 'other region', operation: 'DescribeRepositories', region: 'eu-west-1', input: () => ({}) },
      { name: 'not empty', operation: 'DeleteRepository', input: () => ({ repositoryName: 'team/web' }) },
      { name: 'force delete', operation: 'DeleteRepository', input: () => ({ repositoryName: 'team/web', force: true }) },
    ]);
    // The scenario really exercised success and failure paths, not a wall of identical errors.
    const failed = [...outcomes].filter(([, o]) => !o.ok).map(([name, o]) => [name, o.ok ? '' : o.code]);
    expect(Object.fromEntries(failed)).toEqual({
      'create again': 'RepositoryAlreadyExistsException',
      'bad range': 'InvalidLayerPartException',
      'put v1 again': 'ImageAlreadyExistsException',
      'digest mismatch': 'ImageDigestDoesNotMatchException',
      'layers missing': 'LayersNotFoundException',
      'images by id': 'ImageNotFoundException',
      'bad token': 'InvalidParameterException',
      'bad maxResults': 'InvalidParameterException',
      'missing repo': 'RepositoryNotFoundException',
      'no scan': 'ScanNotFoundException',
      'not empty': 'RepositoryNotEmptyException',
    });
    const batch = outcomes.get('batch get') as { ok: true; output: { images: unknown[]; failures: { failureCode: string }[] } };
    expect(batch.output.images).toHaveLength(1);
    expect(batch.output.failures.map((f) => f.failureCode).sort()).toEqual(['ImageNotFound', 'InvalidImageDigest', 'MissingDigestAndTag']);
  });

  test('ECR Public: auth, repositories, catalog data, images, tags, registries', async () => {
    const outcomes = await runScenario([
      { name: 'auth', api: 'ecr-public', operation: 'GetAuthorizationToken', input: () => ({}) },
      {
        name: 'create',
        api: 'ecr-public',
        operation: 'CreateRepository',
        input: () => ({ repositoryName: 'pub/new', catalogData: { description: 'new one', aboutText: '# About' } }),
      },
      { name: 'repos', api: 'ecr-public', operation: 'DescribeRepositories', input: () => ({}) },
      { name: 'missing', api: 'ecr-public', operation: 'DescribeRepositories', input: () => ({ repositoryNames: ['pub/none'] }) },
      {
        name: 'put catalog',
        api: 'ecr-public',
        operation: 'PutRepositoryCatalogData',
        input: () => ({ repositoryName: 'pub/new', catalogData: { usageText: 'docker run it' } }),
      },
      { name: 'get catalog', api: 'ecr-public', operation: 'GetRepositoryCatalogData', input: () => ({ repositoryName: 'pub/tool' }) },
      { name: 'images', api: 'ecr-public', operation: 'DescribeImages', input: () => ({ repositoryName: 'pub/tool' }) },
      { name: 'tags', api: 'ecr-public', operation: 'DescribeImageTags', input: () => ({ repositoryName: 'pub/tool' }) },
      { name: 'registries', api: 'ecr-public', operation: 'DescribeRegistries', input: () => ({}) },
      { name: 'registry catalog', api: 'ecr-public', operation: 'GetRegistryCatalogData', input: () => ({}) },
    ]);
    expect([...outcomes].filter(([, o]) => !o.ok).map(([name]) => name)).toEqual(['missing']);
  });
});

describe('every modelled error code reaches the SDK as its exception class', () => {
  test.each(['ecr', 'ecr-public'] as const)('%s: each operation, each error its model lists', async (api) => {
    const seen: string[] = [];
    for (const operation of operationNames(api)) {
      for (const code of operationSpec(api, operation)!.errors) {
        httpRegistry.clearErrorInjection().withErrorInjection({ api, operation, error: code, times: 1 });
        const result = await sdk.send({ api, operation, input: {}, endpoint: server.url, region: 'us-east-1' });
        expect(result.ok, `${operation} ${code}`).toBe(false);
        if (!result.ok) {
          expect({ operation, name: result.error.name }).toEqual({ operation, name: code });
          expect(result.error.fault).toBe((result.error.statusCode ?? 0) >= 500 ? 'server' : 'client');
          expect(result.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
        }
        seen.push(code);
      }
    }
    httpRegistry.clearErrorInjection();
    expect(seen.length).toBeGreaterThan(api === 'ecr' ? 100 : 40);
  });

  test('the codes the server itself produces map to the SDK exception names', async () => {
    const credentials = [{ accessKeyId: 'AKIDGOOD', secretAccessKey: 'good-secret', accountId: '123456789012' }];
    // One server on the real clock, one whose clock runs an hour ahead of the SDK's signing date.
    const onTime = await startSimulationServer({ registry: new SimulatedRegistry(), verifySignatures: true, credentials });
    const ahead = await startSimulationServer({
      registry: new SimulatedRegistry({ clock: new ManualClock(Date.now() + 3_600_000) }),
      verifySignatures: true,
      credentials,
    });
    try {
      const call = (endpoint: string, key: { accessKeyId: string; secretAccessKey: string }, sessionToken?: string) =>
        sdk.send({
          api: 'ecr',
          operation: 'DescribeRepositories',
          input: {},
          endpoint,
          region: 'eu-west-1',
          credentials: { ...key, ...(sessionToken ? { sessionToken } : {}) },
        });
      const good = await call(onTime.url, { accessKeyId: 'AKIDGOOD', secretAccessKey: 'good-secret' }, 'session-token');
      expect(good).toEqual({ ok: true, output: { repositories: [] } });
      const unknown = await call(onTime.url, { accessKeyId: 'AKIDWHO', secretAccessKey: 'x' });
      expect(!unknown.ok && [unknown.error.name, unknown.error.statusCode, unknown.error.message]).toEqual([
        'UnrecognizedClientException',
        400,
        'The security token included in the request is invalid.',
      ]);
      const wrong = await call(onTime.url, { accessKeyId: 'AKIDGOOD', secretAccessKey: 'bad-secret' });
      expect(!wrong.ok && [wrong.error.name, wrong.error.statusCode]).toEqual(['InvalidSignatureException', 400]);
      const expired = await call(ahead.url, { accessKeyId: 'AKIDGOOD', secretAccessKey: 'good-secret' });
      expect(!expired.ok && expired.error.name).toBe('InvalidSignatureException');
      expect(!expired.ok && expired.error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    } finally {
      await onTime.close();
      await ahead.close();
    }
  });
});
