import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@ecrkit/core-types';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { SimulatedRegistry, createDirectoryBlobStore, runSimulationServer } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';
import { AwsSdk } from './support/awsSdk.js';

// The registry's /v2/ face (OCI Distribution API v1.1) spoken by hand with fetch, so every status
// code, header and error body is checked; real clients (skopeo, buildah) are in tools/cli/test/skopeo.test.ts and buildah.test.ts.

const account = '123456789012';
const sha = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const json = (value: unknown) => JSON.stringify(value);
const oci = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const docker = { manifest: 'application/vnd.docker.distribution.manifest.v2+json' };

const sdk = new AwsSdk();
afterAll(() => sdk.close());

let clock: ManualClock;
let registry: SimulatedRegistry;
let server: SimulationServer;

beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 2, 1));
  registry = new SimulatedRegistry({ clock }).withRepository('team/app').withRepository('other');
  server = await startSimulationServer({ registry });
});
afterEach(() => server.close());

/** A GetAuthorizationToken password over the AWS API, as `aws ecr get-login-password` prints it. */
async function password(region = 'us-east-1', registryIds?: string[]): Promise<string> {
  const out = await sdk.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: registryIds ? { registryIds } : {}, endpoint: server.url, region });
  if (!out.ok) throw new Error(out.error.message);
  const token = (out.output.authorizationData as { authorizationToken: string }[])[0]!.authorizationToken;
  return Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
}

const basic = (pass: string, user = 'AWS') => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** A tiny registry client: every request carries the credential. */
function client(pass?: string, extra: Record<string, string> = {}) {
  const headers = (more: Record<string, string> = {}) => ({ ...(pass ? { authorization: basic(pass) } : {}), ...extra, ...more });
  const req = (method: string, path: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}) =>
    fetch(path.startsWith('http') ? path : `${server.url}${path}`, {
      method,
      headers: headers(init.headers),
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  return {
    req,
    async pushBlob(repo: string, bytes: Uint8Array | string): Promise<string> {
      const digest = sha(bytes);
      const res = await req('POST', `/v2/${repo}/blobs/uploads/?digest=${digest}`, { body: bytes });
      expect(res.status, await res.clone().text()).toBe(201);
      return digest;
    },
    async pushImage(
      repo: string,
      ref: string,
      options: {
        layers?: string[];
        artifactType?: string;
        subject?: { digest: string; size: number; mediaType: string };
        annotations?: Record<string, string>;
        mediaType?: string;
        platform?: string;
      } = {},
    ) {
      const [os = 'linux', architecture = 'amd64'] = (options.platform ?? 'linux/amd64').split('/');
      const config = json({ os, architecture, rootfs: { type: 'layers', diff_ids: [] } });
      const configDigest = await this.pushBlob(repo, config);
      const layers = [];
      for (const layer of options.layers ?? ['layer one'])
        layers.push({ mediaType: oci.layer, digest: await this.pushBlob(repo, layer), size: Buffer.byteLength(layer) });
      const mediaType = options.mediaType ?? oci.manifest;
      const manifest = json({
        schemaVersion: 2,
        mediaType,
        ...(options.artifactType ? { artifactType: options.artifactType } : {}),
        config: {
          mediaType: mediaType === docker.manifest ? 'application/vnd.docker.container.image.v1+json' : oci.config,
          digest: configDigest,
          size: Buffer.byteLength(config),
        },
        layers,
        ...(options.subject ? { subject: options.subject } : {}),
        ...(options.annotations ? { annotations: options.annotations } : {}),
      });
      // `@digest` pushes the manifest by its own digest, as `skopeo copy --all` pushes an index's children.
      const res = await req('PUT', `/v2/${repo}/manifests/${ref === '@digest' ? sha(manifest) : ref}`, {
        body: manifest,
        headers: { 'content-type': mediaType },
      });
      return { res, manifest, digest: sha(manifest), size: Buffer.byteLength(manifest), mediaType };
    },
  };
}

function statusWithHost(host: string, authorization: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { headers: { host, authorization } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { errors: { code: string }[] };
  return body.errors[0]!.code;
}

async function describeImages(repositoryName: string, region = 'us-east-1') {
  const out = await sdk.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName }, endpoint: server.url, region });
  if (!out.ok) throw new Error(out.error.message);
  return out.output.imageDetails as Record<string, unknown>[];
}

describe('authentication (ECR Basic AWS:<token>)', () => {
  test('GET /v2/ without credentials is 401 with ECR`s WWW-Authenticate; with a fresh token it is 200', async () => {
    const anonymous = await fetch(`${server.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Basic realm="${server.url}/",service="ecr.amazonaws.com"`);
    expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await anonymous.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Not Authorized' }] });

    const ok = await client(await password()).req('GET', '/v2/');
    expect([ok.status, await ok.json()]).toEqual([200, {}]);
  });

  test('a wrong password, another user name or an expired token is 401 DENIED with the challenge', async () => {
    const good = await password();
    for (const authorization of [basic('not-a-token'), basic(good, 'admin'), 'Bearer abc']) {
      const res = await fetch(`${server.url}/v2/team/app/tags/list`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await errorCode(res)).toBe('DENIED');
    }
    clock.advance(12 * 3600_000);
    const expired = await client(good).req('GET', '/v2/');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'Your authorization token has expired. Reauthenticate and try again.',
    );
  });

  test('the token selects account and region; a host naming another region refuses it', async () => {
    registry.withRepository('team/app', { region: 'eu-west-1' });
    const eu = client(await password('eu-west-1'));
    expect((await eu.pushImage('team/app', 'eu-only')).res.status).toBe(201);
    expect((await describeImages('team/app', 'eu-west-1')).map((i) => i.imageTags)).toEqual([['eu-only']]);
    expect(await describeImages('team/app', 'us-east-1')).toEqual([]);

    // A real registry host name (an /etc/hosts entry or a proxy sending it here) names account and region.
    // fetch() always sends the URL's host, so these requests go out through node:http.
    const us = await password('us-east-1');
    expect(await statusWithHost(`${account}.dkr.ecr.eu-west-1.amazonaws.com`, basic(us), '/v2/')).toBe(401);
    expect(await statusWithHost(`${account}.dkr.ecr.us-east-1.amazonaws.com`, basic(us), '/v2/team/app/tags/list')).toBe(200);
    expect(await statusWithHost(`${account}.dkr.ecr.eu-west-1.amazonaws.com`, basic(await password('eu-west-1')), '/v2/team/app/tags/list')).toBe(200);
  });

  test('a token issued for another account acts on that account', async () => {
    registry.withRepository('shared', { accountId: '210987654321' });
    const other = client(await password('us-east-1', ['210987654321']));
    expect((await other.pushImage('shared', 'v1')).res.status).toBe(201);
    const res = await client(await password()).req('GET', '/v2/shared/tags/list');
    expect(await errorCode(res)).toBe('NAME_UNKNOWN');
  });

  test('anonymous mode serves requests without credentials on the default account and region', async () => {
    const open = await startSimulationServer({ registry, registryAuth: 'anonymous' });
    try {
      const res = await fetch(`${open.url}/v2/team/app/tags/list`);
      expect([res.status, await res.json()]).toEqual([200, { name: 'team/app', tags: [] }]);
    } finally {
      await open.close();
    }
  });
});

describe('blobs', () => {
  test('a chunked upload: POST, PATCH with Content-Range, status, PUT with the digest; then HEAD and GET with Range', async () => {
    const c = client(await password());
    const start = await c.req('POST', '/v2/team/app/blobs/uploads/');
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location).toMatch(/^\/v2\/team\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(start.headers.get('docker-upload-uuid')).toBe(location.split('/').pop());

    const first = await c.req('PATCH', location, { body: 'hello, ', headers: { 'content-range': '0-6' } });
    expect([first.status, first.headers.get('range')]).toEqual([202, '0-6']);
    const outOfOrder = await c.req('PATCH', location, { body: 'xx', headers: { 'content-range': '3-4' } });
    expect([outOfOrder.status, outOfOrder.headers.get('range')]).toEqual([416, '0-6']);
    const second = await c.req('PATCH', location, { body: 'registry', headers: { 'content-range': '7-14' } });
    expect(second.headers.get('range')).toBe('0-14');
    const status = await c.req('GET', location);
    expect([status.status, status.headers.get('range')]).toEqual([204, '0-14']);

    const digest = sha('hello, registry');
    const done = await c.req('PUT', `${location}?digest=${digest}`);
    expect([done.status, done.headers.get('location'), done.headers.get('docker-content-digest')]).toEqual([201, `/v2/team/app/blobs/${digest}`, digest]);

    const head = await c.req('HEAD', `/v2/team/app/blobs/${digest}`);
    expect([head.status, head.headers.get('content-length'), head.headers.get('docker-content-digest')]).toEqual([200, '15', digest]);
    const whole = await c.req('GET', `/v2/team/app/blobs/${digest}`);
    expect(await whole.text()).toBe('hello, registry');
    const part = await c.req('GET', `/v2/team/app/blobs/${digest}`, { headers: { range: 'bytes=7-' } });
    expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([206, 'bytes 7-14/15', 'registry']);
    const suffix = await c.req('GET', `/v2/team/app/blobs/${digest}`, { headers: { range: 'bytes=-3' } });
    expect(await suffix.text()).toBe('try');
    const beyond = await c.req('GET', `/v2/team/app/blobs/${digest}`, { headers: { range: 'bytes=20-30' } });
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, 'bytes */15']);
  });

  test('a digest that does not match the bytes is 400 DIGEST_INVALID and stores nothing; a cancelled upload is gone', async () => {
    const c = client(await password());
    const wrong = await c.req('POST', `/v2/team/app/blobs/uploads/?digest=${sha('something else')}`, { body: 'these bytes' });
    expect([wrong.status, await errorCode(wrong)]).toEqual([400, 'DIGEST_INVALID']);
    expect(registry.blobStore.has(sha('these bytes'))).toBe(false);
    expect((await c.req('HEAD', `/v2/team/app/blobs/${sha('these bytes')}`)).status).toBe(404);

    const start = await c.req('POST', '/v2/team/app/blobs/uploads/');
    const location = start.headers.get('location')!;
    await c.req('PATCH', location, { body: 'abandoned' });
    expect((await c.req('DELETE', location)).status).toBe(204);
    const gone = await c.req('GET', location);
    expect([gone.status, await errorCode(gone)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
  });

  test('a client that breaks off mid-body leaves the server serving: a PATCH keeps what arrived (resumable), a PUT drops its upload', async () => {
    const pass = await password();
    const c = client(pass);
    const patched = (await c.req('POST', '/v2/team/app/blobs/uploads/')).headers.get('location')!;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}${patched}`, { method: 'PATCH', headers: { authorization: basic(pass), 'content-length': String(1 << 20) } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(Buffer.alloc(64 * 1024, 1), () => setTimeout(() => req.destroy(), 50));
    });
    // Once the server has seen the break, the upload takes the next chunk where the bytes end.
    let resumed: Response | undefined;
    let received = 0;
    for (let i = 0; i < 100; i++) {
      received = Number((await c.req('GET', patched)).headers.get('range')!.split('-')[1]) + 1;
      resumed = await c.req('PATCH', patched, { body: 'tail', headers: { 'content-range': `${received}-${received + 3}` } });
      if (resumed.status !== 409) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(resumed?.status).toBe(202);
    const whole = Buffer.concat([Buffer.alloc(received, 1), Buffer.from('tail')]);
    expect((await c.req('PUT', `${patched}?digest=${sha(whole)}`)).status).toBe(201);

    const put = (await c.req('POST', '/v2/team/app/blobs/uploads/')).headers.get('location')!;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}${put}?digest=${sha('x')}`, {
        method: 'PUT',
        headers: { authorization: basic(pass), 'content-length': String(1 << 20) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(Buffer.alloc(1024, 2), () => setTimeout(() => req.destroy(), 50));
    });
    let gone = 0;
    for (let i = 0; i < 50 && gone !== 404; i++) {
      gone = (await c.req('GET', put)).status;
      if (gone !== 404) await new Promise((r) => setTimeout(r, 20));
    }
    expect(gone).toBe(404);
    expect((await c.req('GET', '/v2/')).status).toBe(200);
  });

  test('a blob is per repository; mounting links it from another repository of the registry', async () => {
    const c = client(await password());
    const digest = await c.pushBlob('other', 'shared layer');
    const missing = await c.req('GET', `/v2/team/app/blobs/${digest}`);
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'BLOB_UNKNOWN']);
    const mounted = await c.req('POST', `/v2/team/app/blobs/uploads/?mount=${digest}&from=other`);
    expect([mounted.status, mounted.headers.get('location')]).toEqual([201, `/v2/team/app/blobs/${digest}`]);
    expect(await (await c.req('GET', `/v2/team/app/blobs/${digest}`)).text()).toBe('shared layer');
    const notThere = await c.req('POST', `/v2/team/app/blobs/uploads/?mount=${sha('nope')}&from=other`);
    expect(notThere.status).toBe(202);
  });

  test('a CREATE_ON_PUSH creation template creates the repository on push; a pull-through cache rule fills one on pull', async () => {
    const template = await sdk.send({
      api: 'ecr',
      operation: 'CreateRepositoryCreationTemplate',
      input: { prefix: 'auto', appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'IMMUTABLE' },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(template.ok, JSON.stringify(template)).toBe(true);
    const c = client(await password());
    expect((await c.pushImage('auto/made-on-push', 'v1')).res.status).toBe(201);
    const created = await sdk.send({
      api: 'ecr',
      operation: 'DescribeRepositories',
      input: { repositoryNames: ['auto/made-on-push'] },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(created).toMatchObject({ ok: true, output: { repositories: [{ repositoryName: 'auto/made-on-push', imageTagMutability: 'IMMUTABLE' }] } });

    const rule = await sdk.send({
      api: 'ecr',
      operation: 'CreatePullThroughCacheRule',
      input: { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'public.ecr.aws' },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(rule.ok, JSON.stringify(rule)).toBe(true);
    const upstream = registry.withUpstreamImage('public.ecr.aws', 'docker/library/alpine', { tags: ['3.19'] });
    const pulled = await c.req('GET', '/v2/hub/docker/library/alpine/manifests/3.19');
    expect([pulled.status, await pulled.text()]).toEqual([200, upstream.manifest]);
    const layer = (JSON.parse(upstream.manifest) as { layers: { digest: string }[] }).layers[0]!.digest;
    expect((await c.req('HEAD', `/v2/hub/docker/library/alpine/blobs/${layer}`)).status).toBe(200);
    expect((await c.req('GET', '/v2/hub/other/manifests/latest')).status).toBe(404);
  });

  test('blob storage is shared with the AWS layer API both ways', async () => {
    const c = client(await password());
    const digest = await c.pushBlob('team/app', 'pushed over /v2/');
    const check = await sdk.send({
      api: 'ecr',
      operation: 'BatchCheckLayerAvailability',
      input: { repositoryName: 'team/app', layerDigests: [digest] },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(check).toMatchObject({ ok: true, output: { layers: [{ layerDigest: digest, layerAvailability: 'AVAILABLE', layerSize: 16 }] } });
    const url = await sdk.send({
      api: 'ecr',
      operation: 'GetDownloadUrlForLayer',
      input: { repositoryName: 'team/app', layerDigest: digest },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(await (await fetch((url as unknown as { output: { downloadUrl: string } }).output.downloadUrl)).text()).toBe('pushed over /v2/');

    const added = registry.addImage('team/app', { tags: ['from-aws'] });
    const layer = (JSON.parse(added.manifest) as { layers: { digest: string; size: number }[] }).layers[0]!;
    const res = await c.req('GET', `/v2/team/app/blobs/${layer.digest}`);
    expect(new Uint8Array(await res.arrayBuffer()).byteLength).toBe(layer.size);
  });

  test('a repository that does not exist is NAME_UNKNOWN (no repository is created on push); a malformed name NAME_INVALID', async () => {
    const c = client(await password());
    const res = await c.req('POST', '/v2/not/there/blobs/uploads/');
    expect([res.status, await errorCode(res)]).toEqual([404, 'NAME_UNKNOWN']);
    const bad = await c.req('GET', '/v2/Team_App/tags/list');
    expect([bad.status, await errorCode(bad)]).toEqual([400, 'NAME_INVALID']);
    expect(
      (await sdk.send({ api: 'ecr', operation: 'DescribeRepositories', input: { repositoryNames: ['not/there'] }, endpoint: server.url, region: 'us-east-1' }))
        .ok,
    ).toBe(false);
  });
});

describe('manifests', () => {
  test('a pushed manifest is an image of DescribeImages with the same digest, size, media type and push time', async () => {
    const c = client(await password());
    const pushed = await c.pushImage('team/app', 'v1', { layers: ['aaaa', 'bbbbbb'] });
    expect(pushed.res.status).toBe(201);
    expect(pushed.res.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(pushed.res.headers.get('location')).toBe(`/v2/team/app/manifests/${pushed.digest}`);
    const [image] = await describeImages('team/app');
    const configSize = Buffer.byteLength(json({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }));
    expect(image).toMatchObject({
      imageDigest: pushed.digest,
      imageTags: ['v1'],
      imageManifestMediaType: oci.manifest,
      artifactMediaType: oci.config,
      imageSizeInBytes: configSize + 4 + 6,
      imagePushedAt: new Date(clock.now()),
    });
    const history = registry.getOperationHistory({ face: 'distribution', outcome: 'success' }).map((e) => e.operation);
    expect(history).toEqual(expect.arrayContaining(['InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload', 'PutImage']));
  });

  test('GET by tag and digest returns the exact bytes; Accept is honoured without conversion; only GET records a pull', async () => {
    const c = client(await password());
    const pushed = await c.pushImage('team/app', 'v1');
    const head = await c.req('HEAD', '/v2/team/app/manifests/v1', { headers: { accept: oci.manifest } });
    expect([head.status, head.headers.get('docker-content-digest'), head.headers.get('content-type')]).toEqual([200, pushed.digest, oci.manifest]);
    expect((await describeImages('team/app'))[0]!.lastRecordedPullTime).toBeUndefined();

    clock.advance(60_000);
    for (const ref of ['v1', pushed.digest]) {
      const res = await c.req('GET', `/v2/team/app/manifests/${ref}`, { headers: { accept: `${docker.manifest}, ${oci.manifest};q=0.9` } });
      expect(await res.text()).toBe(pushed.manifest);
    }
    expect((await describeImages('team/app'))[0]!.lastRecordedPullTime).toEqual(new Date(clock.now()));

    const dockerOnly = await c.req('GET', '/v2/team/app/manifests/v1', { headers: { accept: docker.manifest } });
    expect([dockerOnly.status, await errorCode(dockerOnly)]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const unknown = await c.req('GET', '/v2/team/app/manifests/v9');
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'MANIFEST_UNKNOWN']);
  });

  test('PUT refuses a digest reference that is not the content`s, missing blobs, and malformed manifests', async () => {
    const c = client(await password());
    const wrongDigest = await c.req('PUT', `/v2/team/app/manifests/${sha('x')}`, {
      body: json({ schemaVersion: 2, mediaType: oci.manifest, config: { mediaType: oci.config, digest: sha('c'), size: 1 }, layers: [] }),
      headers: { 'content-type': oci.manifest },
    });
    expect([wrongDigest.status, await errorCode(wrongDigest)]).toEqual([400, 'DIGEST_INVALID']);
    const missingBlobs = await c.req('PUT', '/v2/team/app/manifests/v1', {
      body: json({ schemaVersion: 2, mediaType: oci.manifest, config: { mediaType: oci.config, digest: sha('never uploaded'), size: 14 }, layers: [] }),
      headers: { 'content-type': oci.manifest },
    });
    expect([missingBlobs.status, await errorCode(missingBlobs)]).toEqual([400, 'MANIFEST_BLOB_UNKNOWN']);
    const garbage = await c.req('PUT', '/v2/team/app/manifests/v1', { body: '{"schemaVersion":1}', headers: { 'content-type': oci.manifest } });
    expect([garbage.status, await errorCode(garbage)]).toEqual([400, 'MANIFEST_INVALID']);
    expect(await describeImages('team/app')).toEqual([]);
  });

  test('an immutable tag is not overwritten (400 TAG_INVALID in ECR`s words); pushing the same image again is fine', async () => {
    registry.withRepository('team/app', { tagMutability: 'IMMUTABLE' });
    const c = client(await password());
    const first = await c.pushImage('team/app', 'v1', { layers: ['first'] });
    expect((await c.pushImage('team/app', 'v1', { layers: ['first'] })).res.status).toBe(201);
    const second = await c.pushImage('team/app', 'v1', { layers: ['second'] });
    expect(second.res.status).toBe(400);
    const body = (await second.res.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]).toEqual({
      code: 'TAG_INVALID',
      message: `The image tag 'v1' already exists in the 'team/app' repository with id '${account}' and cannot be overwritten because the repository is immutable.`,
    });
    expect((await describeImages('team/app')).map((i) => i.imageDigest)).toEqual([first.digest]);
  });

  test('an index over pushed children; children are untagged images; DELETE by tag and by digest', async () => {
    const c = client(await password());
    const children = [];
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const child = await c.pushImage('team/app', '@digest', { platform, layers: [platform] });
      expect(child.res.status).toBe(201);
      children.push(child);
    }
    const index = json({
      schemaVersion: 2,
      mediaType: oci.index,
      manifests: children.map((ch, i) => ({
        mediaType: oci.manifest,
        digest: ch.digest,
        size: ch.size,
        platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' },
      })),
    });
    const put = await c.req('PUT', '/v2/team/app/manifests/multi', { body: index, headers: { 'content-type': oci.index } });
    expect(put.status).toBe(201);
    const byDigest = new Map((await describeImages('team/app')).map((i) => [i.imageDigest, i]));
    expect(byDigest.get(sha(index))).toMatchObject({ imageTags: ['multi'], imageManifestMediaType: oci.index });
    expect(byDigest.get(children[1]!.digest)!.imageTags).toBeUndefined();

    const refused = await c.req('DELETE', `/v2/team/app/manifests/${children[1]!.digest}`);
    expect(refused.status).toBe(400);
    expect((await c.req('DELETE', '/v2/team/app/manifests/multi')).status).toBe(202);
    expect((await describeImages('team/app')).map((i) => i.imageDigest)).not.toContain(sha(index));
    expect((await c.req('DELETE', `/v2/team/app/manifests/${children[1]!.digest}`)).status).toBe(202);
    expect((await describeImages('team/app')).map((i) => i.imageDigest)).not.toContain(children[1]!.digest);
  });

  test('scan on push starts, replication and lifecycle policies act on pushed images', async () => {
    registry.withRepository('team/app', {
      scanOnPush: true,
      lifecyclePolicy: {
        rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }],
      },
    });
    registry.configureReplication({ destinations: [{ region: 'eu-west-1' }] });
    const c = client(await password());
    const old = await c.pushImage('team/app', 'v1', { layers: ['one'] });
    clock.advance(1000);
    await c.pushImage('team/app', 'v2', { layers: ['two'] });
    expect((await describeImages('team/app'))[0]!.imageScanStatus).toEqual({ status: 'IN_PROGRESS' });

    const status = await sdk.send({
      api: 'ecr',
      operation: 'DescribeImageReplicationStatus',
      input: { repositoryName: 'team/app', imageId: { imageTag: 'v1' } },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(status).toMatchObject({ ok: true, output: { replicationStatuses: [{ region: 'eu-west-1', status: 'IN_PROGRESS' }] } });
    await sdk.send({
      api: 'ecr',
      operation: 'DescribeImageReplicationStatus',
      input: { repositoryName: 'team/app', imageId: { imageTag: 'v1' } },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect((await describeImages('team/app', 'eu-west-1')).map((i) => i.imageDigest)).toEqual([old.digest]);

    await sdk.send({ api: 'ecr', operation: 'StartLifecyclePolicyPreview', input: { repositoryName: 'team/app' }, endpoint: server.url, region: 'us-east-1' });
    await sdk.send({ api: 'ecr', operation: 'GetLifecyclePolicyPreview', input: { repositoryName: 'team/app' }, endpoint: server.url, region: 'us-east-1' });
    const preview = await sdk.send({
      api: 'ecr',
      operation: 'GetLifecyclePolicyPreview',
      input: { repositoryName: 'team/app' },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(preview).toMatchObject({ ok: true, output: { previewResults: [{ imageDigest: old.digest, action: { type: 'EXPIRE' } }] } });
  });

  test('an error injected into PutImage reaches docker pushes too, in the distribution spec`s form', async () => {
    registry.withErrorInjection({ operation: 'PutImage', error: 'Throttling', times: 1 });
    const c = client(await password());
    const throttled = await c.pushImage('team/app', 'v1');
    expect([throttled.res.status, await errorCode(throttled.res)]).toEqual([429, 'TOOMANYREQUESTS']);
    expect((await c.pushImage('team/app', 'v1')).res.status).toBe(201);
  });
});

describe('abandoned uploads', () => {
  let dir: string;
  // Upload files on disk, once the store (which opens and removes them asynchronously) has caught up.
  const uploadFiles = (count: number) => vi.waitFor(() => expect(readdirSync(join(dir, 'uploads'))).toHaveLength(count));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecrkit-uploads-'));
    registry = new SimulatedRegistry({ clock, blobStore: createDirectoryBlobStore(dir) }).withRepository('team/app');
    await server.close();
    server = await startSimulationServer({ registry });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('expire after a day idle, on either face: their bytes are freed and a client coming back is told the upload is gone', async () => {
    const c = client(await password());
    const partial = (await c.req('POST', '/v2/team/app/blobs/uploads/')).headers.get('location')!;
    expect((await c.req('PATCH', partial, { body: 'left behind' })).status).toBe(202);
    const kept = (await c.req('POST', '/v2/team/app/blobs/uploads/')).headers.get('location')!;
    const api = await sdk.send({
      api: 'ecr',
      operation: 'InitiateLayerUpload',
      input: { repositoryName: 'team/app' },
      endpoint: server.url,
      region: 'us-east-1',
    });
    if (!api.ok) throw new Error(api.error.message);
    const apiUploadId = (api.output as { uploadId: string }).uploadId;
    await uploadFiles(2);

    // 23 hours on, one upload is used again: its idle time starts over.
    await clock.advance(23 * 3600_000);
    const c2 = client(await password());
    expect((await c2.req('PATCH', kept, { body: 'still here' })).status).toBe(202);
    // Past a day since the others were touched, the next upload to start expires them.
    await clock.advance(2 * 3600_000);
    expect((await c2.req('POST', '/v2/team/app/blobs/uploads/')).status).toBe(202);

    const gone = await c2.req('PATCH', partial, { body: 'more' });
    expect([gone.status, await errorCode(gone)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
    const part = await sdk.send({
      api: 'ecr',
      operation: 'UploadLayerPart',
      input: { repositoryName: 'team/app', uploadId: apiUploadId, partFirstByte: 0, partLastByte: 2, layerPartBlob: new Uint8Array([1, 2, 3]) },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(part.ok ? 'ok' : part.error.name).toBe('UploadNotFoundException');
    // The kept upload finishes; the expired one's file is gone (two remain: the kept one's until its PUT, and the new one).
    await uploadFiles(2);
    const done = await c2.req('PUT', `${kept}?digest=${sha('still here')}`);
    expect(done.status).toBe(201);
    await uploadFiles(1);
  });

  test('a repository deleted with uploads open frees their bytes', async () => {
    const c = client(await password());
    const open = (await c.req('POST', '/v2/team/app/blobs/uploads/')).headers.get('location')!;
    expect((await c.req('PATCH', open, { body: 'in flight' })).status).toBe(202);
    await uploadFiles(1);
    const deleted = await sdk.send({
      api: 'ecr',
      operation: 'DeleteRepository',
      input: { repositoryName: 'team/app', force: true },
      endpoint: server.url,
      region: 'us-east-1',
    });
    expect(deleted.ok).toBe(true);
    await uploadFiles(0);
  });
});

describe('limits', () => {
  /** PUT a manifest streamed in chunks (no Content-Length), as a client that does not know its size sends it. */
  function putStreamed(
    url: string,
    pass: string,
    chunks: number,
    chunkBytes: number,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'PUT', headers: { authorization: basic(pass), 'content-type': oci.manifest, 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(chunkBytes, 0x20);
      let sent = 0;
      const next = () => {
        while (sent < chunks) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', next);
        }
        req.end();
      };
      next();
    });
  }

  test('a manifest over ECR`s 4 MiB is 413 SIZE_INVALID, declared or streamed, and nothing is stored', async () => {
    const pass = await password();
    const c = client(pass);
    const declared = await c.req('PUT', '/v2/team/app/manifests/big', { body: ' '.repeat(4 * 1024 * 1024 + 1), headers: { 'content-type': oci.manifest } });
    expect([declared.status, await errorCode(declared)]).toEqual([413, 'SIZE_INVALID']);
    const streamed = await putStreamed(`${server.url}/v2/team/app/manifests/big`, pass, 80, 64 * 1024);
    expect(streamed.status).toBe(413);
    expect((JSON.parse(streamed.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('SIZE_INVALID');
    expect(await describeImages('team/app')).toEqual([]);
    expect((await c.pushImage('team/app', 'v1')).res.status).toBe(201);
  });

  test('blob uploads stream past the per-request body cap; a manifest over the server`s body budget is 503 UNAVAILABLE with Retry-After', async () => {
    const small = await startSimulationServer({ registry, maxBodyBytes: 64 * 1024, maxBodyBytesInFlight: 64 * 1024 });
    try {
      const pass = await password();
      const at = (path: string, init: RequestInit = {}) =>
        fetch(`${small.url}${path}`, { ...init, headers: { authorization: basic(pass), ...(init.headers as Record<string, string>) } });
      const blob = Buffer.alloc(1024 * 1024, 7);
      const monolithic = await at(`/v2/team/app/blobs/uploads/?digest=${sha(blob)}`, { method: 'POST', body: blob });
      expect(monolithic.status).toBe(201);
      const location = (await at('/v2/other/blobs/uploads/', { method: 'POST' })).headers.get('location')!;
      expect((await at(location, { method: 'PATCH', body: blob, headers: { 'content-range': `0-${blob.length - 1}` } })).status).toBe(202);
      expect((await at(`${location}?digest=${sha(blob)}`, { method: 'PUT' })).status).toBe(201);

      // A manifest is read into memory, so it counts against the budget of bodies in flight.
      const overBudget = await at('/v2/team/app/manifests/v1', { method: 'PUT', body: ' '.repeat(100 * 1024), headers: { 'content-type': oci.manifest } });
      expect([overBudget.status, overBudget.headers.get('retry-after'), await errorCode(overBudget)]).toEqual([503, '1', 'UNAVAILABLE']);
      const streamed = await putStreamed(`${small.url}/v2/team/app/manifests/v1`, pass, 4, 32 * 1024);
      expect([streamed.status, streamed.headers['retry-after']]).toEqual([503, '1']);
      expect((JSON.parse(streamed.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('UNAVAILABLE');
      expect(await describeImages('team/app')).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('artifacts, referrers and tags', () => {
  test('an artifact with a subject gets OCI-Subject, and the referrers API lists it, filtered by artifactType, as ListImageReferrers does', async () => {
    const c = client(await password());
    const image = await c.pushImage('team/app', 'v1');
    const subject = { mediaType: image.mediaType, digest: image.digest, size: image.size };
    const signature = await c.pushImage('team/app', 'sig', {
      artifactType: 'application/vnd.example.signature',
      subject,
      annotations: { 'org.example.signer': 'ci' },
      layers: ['sig'],
    });
    expect(signature.res.headers.get('oci-subject')).toBe(image.digest);
    const spdx = await c.pushImage('team/app', 'sbom', { artifactType: 'application/spdx+json', subject, layers: ['{}'] });

    const all = await c.req('GET', `/v2/team/app/referrers/${image.digest}`);
    expect(all.headers.get('content-type')).toBe(oci.index);
    expect(await all.json()).toEqual({
      schemaVersion: 2,
      mediaType: oci.index,
      manifests: [
        {
          mediaType: oci.manifest,
          digest: signature.digest,
          size: signature.size,
          artifactType: 'application/vnd.example.signature',
          annotations: { 'org.example.signer': 'ci' },
        },
        { mediaType: oci.manifest, digest: spdx.digest, size: spdx.size, artifactType: 'application/spdx+json' },
      ],
    });
    const filtered = await c.req('GET', `/v2/team/app/referrers/${image.digest}?artifactType=application/spdx%2Bjson`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([spdx.digest]);
    const none = await c.req('GET', `/v2/team/app/referrers/${sha('no such subject')}`);
    expect([none.status, ((await none.json()) as { manifests: unknown[] }).manifests]).toEqual([200, []]);

    const details = new Map((await describeImages('team/app')).map((i) => [i.imageDigest, i]));
    expect(details.get(signature.digest)).toMatchObject({ subjectManifestDigest: image.digest, artifactMediaType: oci.config });

    // The AWS API's ListImageReferrers lists the same referrers, with the same filter.
    const listed = async (filter?: { artifactTypes: string[] }) => {
      const out = await sdk.send({
        api: 'ecr',
        operation: 'ListImageReferrers',
        input: { repositoryName: 'team/app', subjectId: { imageDigest: image.digest }, ...(filter ? { filter } : {}) },
        endpoint: server.url,
        region: 'us-east-1',
      });
      if (!out.ok) throw new Error(out.error.message);
      return (out.output.referrers as { digest: string; artifactType?: string; size: number }[]).map((r) => [r.digest, r.artifactType, r.size]);
    };
    expect(await listed()).toEqual([
      [signature.digest, 'application/vnd.example.signature', signature.size],
      [spdx.digest, 'application/spdx+json', spdx.size],
    ]);
    expect(await listed({ artifactTypes: ['application/spdx+json'] })).toEqual([[spdx.digest, 'application/spdx+json', spdx.size]]);
  });

  test('tags list in lexical order, n at a time after last, with a Link to the next page', async () => {
    const c = client(await password());
    const pushed = await c.pushImage('team/app', 'b');
    for (const tag of ['a', 'C', 'c', '1.0']) {
      const res = await c.req('PUT', `/v2/team/app/manifests/${tag}`, { body: pushed.manifest, headers: { 'content-type': oci.manifest } });
      expect(res.status).toBe(201);
    }
    const all = await c.req('GET', '/v2/team/app/tags/list');
    expect(await all.json()).toEqual({ name: 'team/app', tags: ['1.0', 'C', 'a', 'b', 'c'] });
    expect(all.headers.get('link')).toBeNull();
    const page = await c.req('GET', '/v2/team/app/tags/list?n=2&last=C');
    expect(await page.json()).toEqual({ name: 'team/app', tags: ['a', 'b'] });
    expect(page.headers.get('link')).toBe('</v2/team/app/tags/list?n=2&last=b>; rel="next"');
    const rest = await c.req('GET', '/v2/team/app/tags/list?n=2&last=b');
    expect([await rest.json(), rest.headers.get('link')]).toEqual([{ name: 'team/app', tags: ['c'] }, null]);
  });
});

describe('the served host', () => {
  test('repository URIs, proxyEndpoint and the realm name the server (or --public-url) instead of amazonaws.com', async () => {
    const repos = await sdk.send({
      api: 'ecr',
      operation: 'DescribeRepositories',
      input: { repositoryNames: ['team/app'] },
      endpoint: server.url,
      region: 'us-east-1',
    });
    const host = server.url.replace('http://', '');
    expect(repos).toMatchObject({ ok: true, output: { repositories: [{ repositoryUri: `${host}/team/app` }] } });
    const token = await sdk.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, endpoint: server.url, region: 'eu-west-1' });
    expect(token).toMatchObject({ ok: true, output: { authorizationData: [{ proxyEndpoint: server.url }] } });

    const proxied = await startSimulationServer({ registry, publicUrl: 'https://ecr.example.test:8443/' });
    try {
      const behind = await sdk.send({
        api: 'ecr',
        operation: 'DescribeRepositories',
        input: { repositoryNames: ['team/app'] },
        endpoint: proxied.url,
        region: 'us-east-1',
      });
      expect(behind).toMatchObject({ ok: true, output: { repositories: [{ repositoryUri: 'ecr.example.test:8443/team/app' }] } });
      expect((await fetch(`${proxied.url}/v2/`)).headers.get('www-authenticate')).toBe(
        'Basic realm="https://ecr.example.test:8443/",service="ecr.amazonaws.com"',
      );
    } finally {
      await proxied.close();
    }
    await expect(startSimulationServer({ registry, publicUrl: 'ftp://x' })).rejects.toMatchObject({ kind: 'InvalidParameter', field: 'publicUrl' });
  });
});

describe('with a state file', () => {
  test('pushed blobs live in a content-addressed folder beside it and survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrkit-registry-state-'));
    try {
      const statePath = join(dir, 'sim-state.json');
      const first = await runSimulationServer({ port: 0, statePath, stopOnSignals: [], saveDelayMs: 10, registryOptions: { clock } });
      first.registry.withRepository('team/app');
      server = { url: first.url } as SimulationServer;
      const pushed = await client(await password()).pushImage('team/app', 'v1', { layers: ['persisted layer'] });
      expect(pushed.res.status).toBe(201);
      await first.stop();
      expect(readdirSync(join(dir, 'sim-state.blobs', 'sha256'))).toContain(sha('persisted layer').slice(7));

      const second = await runSimulationServer({ port: 0, statePath, stopOnSignals: [], registryOptions: { clock } });
      server = { url: second.url, close: () => second.stop() } as SimulationServer;
      const c = client(await password());
      expect(await (await c.req('GET', `/v2/team/app/blobs/${sha('persisted layer')}`)).text()).toBe('persisted layer');
      expect(await (await c.req('GET', '/v2/team/app/manifests/v1')).text()).toBe(pushed.manifest);
      await second.stop();
      expect(existsSync(statePath)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
