import { createHash } from 'node:crypto';
import { ecrConfig } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyImage, registryDestination } from './copyImage.js';
import { createClient } from './createClient.js';
import { RegistryClient } from './RegistryClient.js';

// copyImage between repositories, regions and servers of the simulation, over its /v2/ face.

const sha = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const oci = { manifest: 'application/vnd.oci.image.manifest.v1+json', empty: 'application/vnd.oci.empty.v1+json' };

let registry: SimulatedRegistry;
let server: SimulationServer;
beforeEach(async () => {
  registry = new SimulatedRegistry().withRepository('web-app', { region: 'us-east-1' }).withRepository('web-app', { region: 'eu-west-1' });
  server = await startSimulationServer({ registry });
});
afterEach(() => server.close());

/** A RegistryClient for one region (and account) of a served registry: its tokens select them. */
function regionClient(reg: SimulatedRegistry, url: string, region: string, accountId?: string): RegistryClient {
  const ecr = createClient(ecrConfig().region(region).build(), { transport: createSimulatedTransport(reg) });
  return new RegistryClient({
    url,
    credentials: ecr.auth.registryCredentials(accountId ? [accountId] : undefined),
    registryKey: `${url}|${accountId}|${region}`,
  });
}

/** Push a signature-like artifact whose subject is `subject`. */
async function pushReferrer(client: RegistryClient, repository: string, subject: { digest: string; mediaType: string; size: number }): Promise<string> {
  await client.pushBlob(repository, sha('{}'), new TextEncoder().encode('{}'));
  await client.pushBlob(repository, sha('signature'), new TextEncoder().encode('signature'));
  const bytes = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: oci.manifest,
      artifactType: 'application/vnd.example.signature',
      config: { mediaType: oci.empty, digest: sha('{}'), size: 2 },
      layers: [{ mediaType: 'application/octet-stream', digest: sha('signature'), size: 9 }],
      subject,
    }),
  );
  return client.putManifest(repository, sha(bytes), { bytes, mediaType: oci.manifest });
}

async function digests(reg: SimulatedRegistry, region: string, repositoryName = 'web-app'): Promise<string[]> {
  const out = (await reg.execute({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName }, region, face: 'in-process' })) as {
    imageDetails: { imageDigest: string }[];
  };
  return out.imageDetails.map((d) => d.imageDigest).sort();
}

describe('copyImage', () => {
  it('copies every platform of an index and its referrers between two regions, then skips all of it on a second run', async () => {
    const image = registry.addImage('web-app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'], mediaType: 'oci' });
    const us = regionClient(registry, server.url, 'us-east-1');
    const eu = regionClient(registry, server.url, 'eu-west-1');
    const signature = await pushReferrer(us, 'web-app', { digest: image.imageDigest, mediaType: image.mediaType, size: Buffer.byteLength(image.manifest) });

    const report = await copyImage({ client: us, repository: 'web-app', reference: 'v1' }, registryDestination(eu, 'web-app'));
    expect(report).toMatchObject({
      digest: image.imageDigest,
      mediaType: image.mediaType,
      tag: 'v1',
      referrersSupported: true,
      skipped: { manifests: 0, blobs: 0, bytes: 0 },
    });
    expect(report.manifests.map((m) => [m.role, m.platform ?? m.subject ?? '', m.outcome])).toEqual([
      ['platform', 'linux/amd64', 'copied'],
      ['platform', 'linux/arm64/v8', 'copied'],
      ['index', '', 'copied'],
      ['referrer', image.imageDigest, 'copied'],
    ]);
    expect(report.blobs.every((b) => b.outcome === 'copied')).toBe(true);
    expect(report.copiedBytes).toBe(report.blobs.reduce((n, b) => n + b.size, 0));
    expect(await digests(registry, 'eu-west-1')).toEqual(await digests(registry, 'us-east-1'));
    expect((await eu.referrers('web-app', image.imageDigest))?.map((r) => r.digest)).toEqual([signature]);
    expect((await eu.headManifest('web-app', 'v1'))?.digest).toBe(image.imageDigest);

    const again = await copyImage({ client: us, repository: 'web-app', reference: 'v1' }, registryDestination(eu, 'web-app'));
    expect(again.manifests.every((m) => m.outcome === 'skipped')).toBe(true);
    expect(again.blobs.every((b) => b.outcome === 'skipped')).toBe(true);
    expect(again).toMatchObject({ copiedBytes: 0, skipped: { manifests: 4, blobs: report.blobs.length, bytes: report.copiedBytes } });
  });

  it('copies between two simulation servers, skipping the blobs the destination already holds', async () => {
    const other = new SimulatedRegistry().withRepository('mirror/web-app');
    const otherServer = await startSimulationServer({ registry: other });
    try {
      const image = registry.addImage('web-app', { tags: ['v2'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
      const source = regionClient(registry, server.url, 'us-east-1');
      const target = regionClient(other, otherServer.url, 'us-east-1');
      // The destination already has the amd64 image (its config and layers).
      const amd64 = image.children![0]!;
      await copyImage({ client: source, repository: 'web-app', reference: amd64.imageDigest }, registryDestination(target, 'mirror/web-app'));

      const report = await copyImage({ client: source, repository: 'web-app', reference: 'v2' }, registryDestination(target, 'mirror/web-app'));
      const amdBlobs = new Set((JSON.parse(amd64.manifest) as { config: { digest: string }; layers: { digest: string }[] }).layers.map((l) => l.digest));
      const skipped = report.blobs.filter((b) => b.outcome === 'skipped').map((b) => b.digest);
      expect(skipped.filter((d) => amdBlobs.has(d))).toHaveLength(amdBlobs.size);
      expect(report.manifests.find((m) => m.digest === amd64.imageDigest)?.outcome).toBe('skipped');
      expect(report.manifests.find((m) => m.role === 'index')?.outcome).toBe('copied');
      expect(report.skipped.manifests).toBe(1);
      expect(await digests(other, 'us-east-1', 'mirror/web-app')).toEqual(await digests(registry, 'us-east-1'));
      expect(report.referrersSupported).toBe(true);
    } finally {
      await otherServer.close();
    }
  });

  it('copies between accounts (a token for the other account`s registry)', async () => {
    registry.withRepository('shared/web-app', { accountId: '210987654321' });
    const image = registry.addImage('web-app', { tags: ['v3'] });
    const report = await copyImage(
      { client: regionClient(registry, server.url, 'us-east-1'), repository: 'web-app', reference: 'v3' },
      registryDestination(regionClient(registry, server.url, 'us-east-1', '210987654321'), 'shared/web-app'),
    );
    expect(report.blobs.map((b) => b.outcome)).toEqual(['copied', 'copied', 'copied']);
    const other = (await registry.execute({
      api: 'ecr',
      operation: 'DescribeImages',
      input: { repositoryName: 'shared/web-app', registryId: '210987654321' },
      region: 'us-east-1',
      face: 'in-process',
    })) as { imageDetails: { imageDigest: string; imageTags: string[] }[] };
    expect(other.imageDetails).toEqual([expect.objectContaining({ imageDigest: image.imageDigest, imageTags: ['v3'] })]);
  });

  it('mounts blobs between repositories of one registry instead of copying them', async () => {
    registry.withRepository('web-app-copy');
    const image = registry.addImage('web-app', { tags: ['v1'] });
    const us = regionClient(registry, server.url, 'us-east-1');
    const report = await copyImage({ client: us, repository: 'web-app', reference: 'v1' }, registryDestination(us, 'web-app-copy'), { tag: 'copied' });
    expect(report.blobs.map((b) => b.outcome)).toEqual(['mounted', 'mounted', 'mounted']);
    expect(report.copiedBytes).toBe(0);
    expect((await us.headManifest('web-app-copy', 'copied'))?.digest).toBe(image.imageDigest);
  });

  it('stops at a blob that does not match its digest and leaves the destination without it', async () => {
    const image = registry.addImage('web-app', { tags: ['v1'] });
    const layer = (JSON.parse(image.manifest) as { layers: { digest: string }[] }).layers[1]!.digest;
    const corrupting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method !== 'GET' || !String(input).endsWith(layer)) return res;
      const bytes = new Uint8Array(await res.arrayBuffer());
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return new Response(bytes, { status: 200, headers: res.headers });
    };
    const ecr = createClient(ecrConfig().region('us-east-1').build(), { transport: createSimulatedTransport(registry) });
    const source = new RegistryClient({ url: server.url, credentials: ecr.auth.registryCredentials(), fetch: corrupting });
    const eu = regionClient(registry, server.url, 'eu-west-1');
    const err = await copyImage({ client: source, repository: 'web-app', reference: 'v1' }, registryDestination(eu, 'web-app')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'ImageDigestMismatch' });
    expect(await eu.blobSize('web-app', layer)).toBeUndefined();
    expect(await digests(registry, 'eu-west-1')).toEqual([]);
  });

  it('refuses to move an immutable tag at the destination', async () => {
    registry.withRepository('web-app', { region: 'eu-west-1', tagMutability: 'IMMUTABLE' });
    registry.addImage('web-app', { tags: ['v1'], region: 'eu-west-1' });
    registry.addImage('web-app', { tags: ['v1'] });
    const err = await copyImage(
      { client: regionClient(registry, server.url, 'us-east-1'), repository: 'web-app', reference: 'v1' },
      registryDestination(regionClient(registry, server.url, 'eu-west-1'), 'web-app'),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'ImageTagAlreadyExists', awsCode: 'TAG_INVALID' });
  });
});
