import { describe, expect, it } from 'vitest';
import { computeDigest, isEcrError } from '@ecrkit/core-types';
import { rejection, setup } from '../test/fixtures.js';

function multiArch() {
  const f = setup();
  const index = f.registry.addImage('multi', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
  const single = f.registry.addImage('single', { tags: ['v1'], layers: 3 });
  f.registry.clearOperationHistory();
  return { f, index, single };
}

describe('ManifestService', () => {
  it('getManifest() parses a single-platform manifest with its verified digest', async () => {
    const { f, single } = multiArch();
    const got = await f.client.manifests.getManifest('single', 'v1');
    expect(got.digest).toBe(single.imageDigest);
    expect(got.mediaType).toBe(single.mediaType);
    expect(got.manifest.kind).toBe('manifest');
    expect(got.manifest.layers).toHaveLength(3);
    expect(got.manifest.config.digest).toMatch(/^sha256:/);
    expect(f.ops()).toEqual(['BatchGetImage']);
  });

  it('getManifest() on an index needs a platform, then returns that child', async () => {
    const { f, index } = multiArch();
    const err = await rejection(f.client.manifests.getManifest('multi', 'v1'));
    expect(isEcrError(err) && [err.kind, err.field]).toEqual(['InvalidParameter', 'platform']);
    expect((err as Error).message).toContain('linux/arm64/v8');
    const arm = await f.client.manifests.getManifest('multi', 'v1', { platform: 'linux/arm64/v8' });
    expect(arm.digest).toBe(index.children?.[1]?.imageDigest);
    expect(arm.manifest.kind).toBe('manifest');
  });

  it('getManifestList() returns the index; a single manifest is refused', async () => {
    const { f, index } = multiArch();
    const list = await f.client.manifests.getManifestList('multi', 'v1');
    expect(list.digest).toBe(index.imageDigest);
    expect(list.manifest.manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    expect(await rejection(f.client.manifests.getManifestList('single', 'v1'))).toMatchObject({ kind: 'InvalidParameter' });
  });

  it('getPlatformManifest() selects by string or Platform and fetches the child by digest', async () => {
    const { f, index } = multiArch();
    const amd = await f.client.manifests.getPlatformManifest('multi', 'v1', { os: 'linux', architecture: 'amd64' });
    expect(amd.digest).toBe(index.children?.[0]?.imageDigest);
    const history = f.registry.getOperationHistory({ operation: 'BatchGetImage' }).map((e) => (e.input as { imageIds: unknown[] }).imageIds);
    expect(history).toEqual([[{ imageTag: 'v1' }], [{ imageDigest: index.children?.[0]?.imageDigest }]]);
    const missing = await rejection(f.client.manifests.getPlatformManifest('multi', 'v1', 'windows/amd64'));
    expect(missing).toMatchObject({ kind: 'ImageNotFound' });
    expect((missing as Error).message).toContain('linux/amd64');
    expect(await rejection(f.client.manifests.getPlatformManifest('multi', 'v1', 'not a platform!'))).toMatchObject({ kind: 'InvalidParameter' });
  });

  it('getImageConfig() downloads the config blob, verifies it and parses it', async () => {
    const { f } = multiArch();
    const config = await f.client.manifests.getImageConfig('multi', 'v1', { platform: 'linux/arm64/v8' });
    expect(config).toMatchObject({ os: 'linux', architecture: 'arm64' });
    expect(config.rootfs.type).toBe('layers');
    expect(f.ops()).toEqual(['BatchGetImage', 'BatchGetImage', 'GetDownloadUrlForLayer']);
  });

  it('getImageConfig() refuses a blob that does not match its digest, and names a failed download', async () => {
    const corrupt = setup({
      client: { fetchBlob: async () => new TextEncoder().encode('{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]}}') },
    });
    corrupt.registry.withImage('single', { tags: ['v1'] });
    expect(await rejection(corrupt.client.manifests.getImageConfig('single', 'v1'))).toMatchObject({ kind: 'ImageDigestMismatch' });
    const broken = setup({ client: { fetchBlob: async () => Promise.reject(new TypeError('fetch failed')) } });
    broken.registry.withImage('single', { tags: ['v1'] });
    const err = await rejection(broken.client.manifests.getImageConfig('single', 'v1'));
    expect(err).toMatchObject({ kind: 'Network' });
    expect((err as Error).message).not.toContain('http');
  });

  it('getImageConfig() hands the download URL and the signal to the injected fetchBlob', async () => {
    const calls: { url: string; signal: AbortSignal | undefined }[] = [];
    const f = setup({
      client: {
        fetchBlob: async (url, { signal }) => {
          calls.push({ url, signal });
          return new Uint8Array(await (await fetch(url)).arrayBuffer());
        },
      },
    });
    const img = f.registry.addImage('single', { tags: ['v1'] });
    const configDigest = (JSON.parse(img.manifest) as { config: { digest: string } }).config.digest;
    const controller = new AbortController();
    const config = await f.client.manifests.getImageConfig('single', 'v1', { signal: controller.signal });
    expect(config.architecture).toBe('amd64');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.signal).toBe(controller.signal);
    expect(await computeDigest(new Uint8Array(await (await fetch(calls[0]!.url)).arrayBuffer()))).toBe(configDigest);
  });

  it('getLayers() lists layers with manifest sizes and registry availability', async () => {
    const { f, single } = multiArch();
    const layers = await f.client.manifests.getLayers('single', 'v1');
    const manifest = JSON.parse(single.manifest) as { layers: { digest: string; size: number }[] };
    expect(layers.map((l) => [l.digest, l.size])).toEqual(manifest.layers.map((l) => [l.digest, l.size]));
    expect(layers.every((l) => l.availability === 'AVAILABLE' && typeof l.registrySize === 'number')).toBe(true);
    expect(f.ops()).toEqual(['BatchGetImage', 'BatchCheckLayerAvailability']);
    expect(await rejection(f.client.manifests.getLayers('multi', 'v1'))).toMatchObject({ kind: 'InvalidParameter', field: 'platform' });
    expect((await f.client.manifests.getLayers('multi', 'v1', { platform: 'linux/amd64' })).length).toBeGreaterThan(0);
  });

  it('bad input is refused before anything is sent', async () => {
    const { f } = multiArch();
    expect(await rejection(f.client.manifests.getManifest('BAD', 'v1'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(f.client.manifests.getManifest('multi', 'v1', { platform: 42 as never }))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(f.client.manifests.getPlatformManifest('multi', 'sha256:xyz', 'linux/amd64'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });
});
