import { createHash } from 'node:crypto';
import { ecrConfig, isEcrError, secret } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './createClient.js';
import { RegistryClient, type RegistryCredentialProvider } from './RegistryClient.js';

// RegistryClient against the simulation's real /v2/ face over HTTP, with tokens from the same
// registry's GetAuthorizationToken (in process, through the services' own AuthService).

const sha = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
let registry: SimulatedRegistry;
let server: SimulationServer;

beforeEach(async () => {
  registry = new SimulatedRegistry().withRepository('team/app');
  server = await startSimulationServer({ registry });
});
afterEach(() => server.close());

function ecrClient(region = 'us-east-1') {
  return createClient(ecrConfig().region(region).build(), { transport: createSimulatedTransport(registry) });
}

function registryClient(options: { credentials?: RegistryCredentialProvider; fetch?: typeof fetch } = {}) {
  return new RegistryClient({
    url: server.url,
    credentials: options.credentials ?? ecrClient().auth.registryCredentials(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('RegistryClient', () => {
  it('reads a manifest by tag and digest with its exact bytes, and HEADs it', async () => {
    const added = registry.addImage('team/app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
    const client = registryClient();
    await client.ping();
    const byTag = await client.getManifest('team/app', 'v1');
    expect(byTag).toMatchObject({ digest: added.imageDigest, mediaType: added.mediaType });
    expect(new TextDecoder().decode(byTag.bytes)).toBe(added.manifest);
    expect((await client.getManifest('team/app', added.imageDigest)).digest).toBe(added.imageDigest);
    expect(await client.headManifest('team/app', 'v1')).toEqual({ digest: added.imageDigest, mediaType: added.mediaType, size: byTag.bytes.byteLength });
    expect(await client.headManifest('team/app', 'v2')).toBeUndefined();
  });

  it('pushes a blob and a manifest, and lists tags page by page', async () => {
    const client = registryClient();
    const config = JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } });
    await client.pushBlob('team/app', sha(config), new TextEncoder().encode(config));
    await client.pushBlob('team/app', sha('layer'), new Blob(['la', 'yer']).stream());
    expect(await client.blobSize('team/app', sha('layer'))).toBe(5);
    expect(await new Response(await client.getBlob('team/app', sha('layer'))).text()).toBe('layer');
    const manifest = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha('layer'), size: 5 }],
      }),
    );
    for (const tag of ['c', 'a', 'b']) {
      expect(await client.putManifest('team/app', tag, { bytes: manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json' })).toBe(sha(manifest));
    }
    expect(await client.listTags('team/app', { pageSize: 2 })).toEqual(['a', 'b', 'c']);
  });

  it('refuses content that does not match its digest: a manifest, and a blob stream at its end', async () => {
    const added = registry.addImage('team/app', { tags: ['v1'] });
    const layer = (JSON.parse(added.manifest) as { layers: { digest: string }[] }).layers[0]!.digest;
    const corrupting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method !== 'GET' || !/\/(manifests|blobs)\//.test(String(input))) return res;
      const bytes = new Uint8Array(await res.arrayBuffer());
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      return new Response(bytes, { status: res.status, headers: res.headers });
    };
    const client = registryClient({ fetch: corrupting });
    expect(await failure(client.getManifest('team/app', 'v1'))).toMatchObject({ kind: 'ImageDigestMismatch' });
    const stream = await client.getBlob('team/app', layer);
    expect(await failure(new Response(stream).arrayBuffer())).toMatchObject({ kind: 'ImageDigestMismatch' });
  });

  it('asks for fresh credentials once when the registry answers 401, and maps errors to EcrError kinds without secrets', async () => {
    registry.addImage('team/app', { tags: ['v1'] });
    const good = ecrClient().auth.registryCredentials();
    const calls: boolean[] = [];
    const stale: RegistryCredentialProvider = async (options) => {
      calls.push(options.refresh);
      return options.refresh ? good(options) : { username: 'AWS', password: secret('an-old-token') };
    };
    const client = registryClient({ credentials: stale });
    expect((await client.getManifest('team/app', 'v1')).digest).toMatch(/^sha256:/);
    expect(calls).toEqual([false, true]);

    const denied = await failure(registryClient({ credentials: async () => ({ username: 'AWS', password: secret('never-valid-password') }) }).ping());
    expect(denied).toMatchObject({ kind: 'AccessDenied', statusCode: 401, awsCode: 'DENIED' });
    expect(String((denied as Error).message)).not.toContain('never-valid-password');

    const authorized = registryClient();
    expect(await failure(authorized.getManifest('nope', 'v1'))).toMatchObject({ kind: 'RepositoryNotFound', awsCode: 'NAME_UNKNOWN', statusCode: 404 });
    expect(await failure(authorized.getManifest('team/app', 'v9'))).toMatchObject({ kind: 'ImageNotFound', awsCode: 'MANIFEST_UNKNOWN' });
    registry.withErrorInjection({ operation: 'BatchGetImage', error: 'Throttling', times: 1 });
    expect(await failure(authorized.getManifest('team/app', 'v1'))).toMatchObject({ kind: 'Throttling', retryable: true });
  });

  it('follows a redirect for a blob without sending the registry credentials along', async () => {
    const added = registry.addImage('team/app', { tags: ['v1'] });
    const layer = (JSON.parse(added.manifest) as { layers: { digest: string; size: number }[] }).layers[0]!;
    const seen: { url: string; authorized: boolean }[] = [];
    // ECR answers blob GETs with a 307 to storage; the simulation's presigned-style /blobs/ route stands in for S3.
    const redirecting: typeof fetch = async (input, init) => {
      const url = String(input);
      seen.push({ url, authorized: new Headers(init?.headers).has('authorization') });
      if (init?.method === 'GET' && url.includes('/v2/team/app/blobs/')) {
        return new Response(null, { status: 307, headers: { location: `/blobs/123456789012/us-east-1/team/app/${layer.digest}` } });
      }
      return fetch(input, init);
    };
    const body = await new Response(await registryClient({ fetch: redirecting }).getBlob('team/app', layer.digest)).arrayBuffer();
    expect(body.byteLength).toBe(layer.size);
    expect(seen.at(-1)).toEqual({ url: `${server.url}/blobs/123456789012/us-east-1/team/app/${layer.digest}`, authorized: false });
  });

  it('refuses a bad repository name, tag or digest before any request', async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const client = registryClient({ fetch: counting });
    expect(await failure(client.getManifest('Team/App', 'v1'))).toMatchObject({ kind: 'InvalidParameter', field: 'repositoryName' });
    expect(await failure(client.headManifest('team/app', '-bad'))).toMatchObject({ kind: 'InvalidParameter', field: 'reference' });
    expect(await failure(client.getBlob('team/app', 'sha256:abc'))).toMatchObject({ kind: 'InvalidParameter', field: 'digest' });
    expect(await failure(client.mountBlob('team/app', sha('x'), 'NOPE'))).toMatchObject({ kind: 'InvalidParameter', field: 'fromRepository' });
    expect(requests).toEqual([]);
  });

  it('reports an unreachable registry as Network and a bad URL as InvalidParameter', async () => {
    const closed = await startSimulationServer({ registry });
    await closed.close();
    const err = await failure(new RegistryClient({ url: closed.url }).ping());
    expect(isEcrError(err) && err.kind).toBe('Network');
    expect(() => new RegistryClient({ url: 'ftp://example.com' })).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'url' }));
  });
});
