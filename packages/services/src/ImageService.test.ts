import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import type { Transport } from '@ecrkit/core-types';
import { createClient } from './createClient.js';
import { rejection, setup } from '../test/fixtures.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('ImageService', () => {
  it('list() returns every image id across pages, with a tag-status filter', async () => {
    const f = setup();
    for (let i = 0; i < 5; i++) f.registry.withImage('web-app', { tags: [`v${i}`] });
    f.registry.withImage('web-app', { tags: [] });
    expect(await f.client.images.list('web-app', { pageSize: 2 }).toArray()).toHaveLength(6);
    const untagged = await f.client.images.list('web-app', { tagStatus: 'UNTAGGED' }).toArray();
    expect(untagged).toHaveLength(1);
    expect(untagged[0]?.imageTag).toBeUndefined();
    expect(f.ops()).toEqual(['ListImages', 'ListImages', 'ListImages', 'ListImages']);
    expect(await rejection(f.client.images.list('missing').toArray())).toMatchObject({ kind: 'RepositoryNotFound' });
  });

  it('refuses bad input before anything is sent', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] });
    f.registry.clearOperationHistory();
    expect(() => f.client.images.list('web-app', { tagStatus: 'SOME' as never })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'tagStatus' }),
    );
    expect(() => f.client.images.describe('web-app', [])).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'imageIds' }));
    expect(() => f.client.images.describe('web-app', ['bad tag'])).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'imageIds[0].imageTag' }),
    );
    expect(() => f.client.images.describe('web-app', ['sha256:abc'])).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'imageIds[0].imageDigest' }),
    );
    expect(await rejection(f.client.images.get('web-app', {}))).toMatchObject({ kind: 'InvalidParameter', field: 'imageId' });
    expect(await rejection(f.client.images.putTag('web-app', 'v1', '.bad'))).toMatchObject({ kind: 'InvalidParameter', field: 'newTag' });
    expect(await rejection(f.client.images.untag('web-app', ''))).toMatchObject({ kind: 'InvalidParameter' });
    expect(await rejection(f.client.images.batchDelete('Web-App', ['v1']))).toMatchObject({ kind: 'InvalidParameter', field: 'repositoryName' });
    expect(await rejection(f.client.images.batchGet('web-app', [{ imageTag: 'v1', imageDigest: 'nope' }]))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });

  it('describe() returns every image detail, or those asked for by tag or digest', async () => {
    const f = setup();
    const a = f.registry.addImage('web-app', { tags: ['v1', 'latest'] });
    f.registry.withImage('web-app', { tags: ['v2'] });
    const all = await f.client.images.describe('web-app').toArray();
    expect(all).toHaveLength(2);
    const [byTag] = await f.client.images.describe('web-app', ['v1']).toArray();
    expect(byTag).toMatchObject({ imageDigest: a.imageDigest, repositoryName: 'web-app', registryId: '123456789012' });
    expect(byTag?.imageTags?.sort()).toEqual(['latest', 'v1']);
    const [byDigest] = await f.client.images.describe('web-app', [a.imageDigest]).toArray();
    expect(byDigest?.imageDigest).toBe(a.imageDigest);
    expect(await rejection(f.client.images.describe('web-app', ['nope']).toArray())).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('describe() with more than 100 ids sends one request per 100', async () => {
    const f = setup();
    const tags = Array.from({ length: 120 }, (_, i) => `t${i}`);
    for (const t of tags) f.registry.withImage('many', { tags: [t], layers: 1 });
    f.registry.clearOperationHistory();
    expect(await f.client.images.describe('many', tags).toArray()).toHaveLength(120);
    expect(f.ops()).toEqual(['DescribeImages', 'DescribeImages']);
  });

  it('describe() by id is served from the metadata cache, which putTag, untag and batchDelete invalidate', async () => {
    const f = setup({ client: { metadataCache: { ttlMs: 60_000, maxEntries: 100 } } });
    const a = f.registry.addImage('web-app', { tags: ['v1'] });
    f.registry.withImage('web-app', { tags: ['v2'] });
    f.registry.clearOperationHistory();
    await f.client.images.describe('web-app', ['v1']).toArray();
    await f.client.images.describe('web-app', ['v1', a.imageDigest]).toArray();
    expect(f.ops()).toEqual(['DescribeImages']);
    await f.client.images.putTag('web-app', 'v1', 'stable');
    const [after] = await f.client.images.describe('web-app', ['v1']).toArray();
    expect(after?.imageTags?.sort()).toEqual(['stable', 'v1']);
    await f.client.images.untag('web-app', 'stable');
    const [afterUntag] = await f.client.images.describe('web-app', ['v1']).toArray();
    expect(afterUntag?.imageTags).toEqual(['v1']);
    await f.client.images.batchDelete('web-app', ['v2']);
    expect(await rejection(f.client.images.describe('web-app', ['v2']).toArray())).toMatchObject({ kind: 'ImageNotFound' });
    expect(f.ops({ operation: 'DescribeImages' })).toHaveLength(4);
  });

  it('get() returns the manifest, media type and verified digest', async () => {
    const f = setup();
    const a = f.registry.addImage('web-app', { tags: ['v1'], mediaType: 'oci' });
    const byTag = await f.client.images.get('web-app', 'v1');
    expect(byTag).toEqual({ imageId: { imageTag: 'v1', imageDigest: a.imageDigest }, manifest: a.manifest, mediaType: a.mediaType, digest: a.imageDigest });
    expect(byTag.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect((await f.client.images.get('web-app', { imageDigest: a.imageDigest })).manifest).toBe(a.manifest);
    expect(await rejection(f.client.images.get('web-app', 'v9'))).toMatchObject({ kind: 'ImageNotFound' });
    expect(await rejection(f.client.images.get('web-app', digest('0')))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('get() refuses a manifest whose bytes do not match the digest ECR reports', async () => {
    const registry = new SimulatedRegistry({ seed: 3 });
    registry.withImage('web-app', { tags: ['v1'] });
    const inner = createSimulatedTransport(registry);
    // The simulation always serves consistent bytes; tamper with the response to play a corrupting proxy.
    const tampering: Transport = {
      async send(request) {
        const out = (await inner.send(request)) as { images?: { imageManifest?: string }[] };
        for (const image of out.images ?? []) image.imageManifest = `${image.imageManifest} `;
        return out as never;
      },
    };
    const client = createClient({ ...setup().config }, { transport: tampering });
    expect(await rejection(client.images.get('web-app', 'v1'))).toMatchObject({ kind: 'ImageDigestMismatch' });
  });

  it('batchGet() returns images and every failure, 100 ids per request', async () => {
    const f = setup();
    const tags = Array.from({ length: 105 }, (_, i) => `t${i}`);
    for (const t of tags) f.registry.withImage('many', { tags: [t], layers: 1 });
    f.registry.clearOperationHistory();
    const result = await f.client.images.batchGet('many', [...tags, 'missing-1', digest('a')]);
    expect(result.images).toHaveLength(105);
    expect(result.failures.map((x) => x.failureCode)).toEqual(['ImageNotFound', 'ImageNotFound']);
    expect(result.failures.map((x) => x.imageId)).toEqual([{ imageTag: 'missing-1' }, { imageDigest: digest('a') }]);
    expect(f.ops()).toEqual(['BatchGetImage', 'BatchGetImage']);
  });

  it('putTag() re-puts the manifest with its media type; the same tag again is a no-op', async () => {
    const f = setup();
    const a = f.registry.addImage('web-app', { tags: ['v1'], mediaType: 'oci' });
    f.registry.clearOperationHistory();
    expect(await f.client.images.putTag('web-app', 'v1', 'prod')).toEqual({ imageDigest: a.imageDigest, imageTag: 'prod', changed: true });
    expect(f.ops()).toEqual(['BatchGetImage', 'PutImage']);
    const put = f.registry.getOperationHistory({ operation: 'PutImage' })[0]?.input as Record<string, unknown>;
    expect(put).toMatchObject({
      repositoryName: 'web-app',
      imageTag: 'prod',
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageDigest: a.imageDigest,
    });
    expect(await f.client.images.putTag('web-app', a.imageDigest, 'prod')).toEqual({ imageDigest: a.imageDigest, imageTag: 'prod', changed: false });
    const [detail] = await f.client.images.describe('web-app', ['prod']).toArray();
    expect(detail?.imageDigest).toBe(a.imageDigest);
    expect(detail?.imageManifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('putTag() keeps a multi-platform index an index', async () => {
    const f = setup();
    const index = f.registry.addImage('multi', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
    await f.client.images.putTag('multi', 'v1', 'stable');
    const stable = await f.client.images.get('multi', 'stable');
    expect(stable).toMatchObject({ digest: index.imageDigest, mediaType: index.mediaType, manifest: index.manifest });
  });

  it('putTag() on an immutable repository: ImageTagAlreadyExists when the tag points elsewhere', async () => {
    const f = setup();
    f.registry
      .withRepository('locked', { tagMutability: 'IMMUTABLE' })
      .withImage('locked', { tags: ['v1'] })
      .withImage('locked', { tags: ['v2'] });
    expect(await rejection(f.client.images.putTag('locked', 'v1', 'v2'))).toMatchObject({ kind: 'ImageTagAlreadyExists' });
    expect(await rejection(f.client.images.putTag('locked', 'nope', 'v3'))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('a read-only client refuses writes before sending anything', async () => {
    const f = setup({ config: (b) => b.readOnly(true) });
    f.registry.withImage('web-app', { tags: ['v1'] });
    f.registry.clearOperationHistory();
    expect(await rejection(f.client.images.putTag('web-app', 'v1', 'prod'))).toMatchObject({ kind: 'ReadOnly' });
    expect(await rejection(f.client.images.untag('web-app', 'v1'))).toMatchObject({ kind: 'ReadOnly' });
    expect(await rejection(f.client.images.batchDelete('web-app', ['v1']))).toMatchObject({ kind: 'ReadOnly' });
    expect(f.ops()).toEqual([]);
    expect(await f.client.images.list('web-app').toArray()).toHaveLength(1);
  });

  it('untag() removes one tag; the last tag takes the image with it; a missing tag is ImageNotFound', async () => {
    const f = setup();
    const a = f.registry.addImage('web-app', { tags: ['v1', 'latest'] });
    expect(await f.client.images.untag('web-app', 'latest')).toEqual({ imageTag: 'latest', imageDigest: a.imageDigest });
    expect((await f.client.images.list('web-app').toArray()).map((i) => i.imageTag)).toEqual(['v1']);
    await f.client.images.untag('web-app', 'v1');
    expect(await f.client.images.list('web-app').toArray()).toEqual([]);
    expect(await rejection(f.client.images.untag('web-app', 'v1'))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('batchDelete() returns what was deleted and every failure', async () => {
    const f = setup();
    const a = f.registry.addImage('web-app', { tags: ['v1'] });
    f.registry.withImage('web-app', { tags: ['v2'] });
    const result = await f.client.images.batchDelete('web-app', [a.imageDigest, 'v2', 'ghost']);
    expect(result.deleted).toHaveLength(2);
    expect(result.deleted).toContainEqual(expect.objectContaining({ imageDigest: a.imageDigest }));
    expect(result.failures).toEqual([expect.objectContaining({ imageId: { imageTag: 'ghost' }, failureCode: 'ImageNotFound' })]);
  });
});

// Paging over any page size returns every item exactly once, for every paginated listing.
const registry = new SimulatedRegistry({ seed: 11 });
for (let i = 0; i < 23; i++) registry.withImage('paged', { tags: i % 4 === 0 ? [] : [`v${i}`], layers: 1 });
for (let i = 0; i < 17; i++) registry.withRepository(`repo-${i}`).withRepository(`pub-${i}`, { public: true });
const pagedClient = createClient(setup().config, { transport: createSimulatedTransport(registry) });
const expected = (await pagedClient.images.describe('paged').toArray()).map((d) => d.imageDigest).sort();

test.prop([fc.integer({ min: 1, max: 30 })], { numRuns: 40 })('paging over any page size returns every image and repository exactly once', async (pageSize) => {
  const ids = await pagedClient.images.list('paged', { pageSize }).toArray();
  const keys = ids.map((i) => i.imageTag ?? i.imageDigest);
  expect(new Set(keys).size).toBe(23);
  expect(keys).toHaveLength(23);
  expect([...new Set(ids.map((i) => i.imageDigest))].sort()).toEqual(expected);
  const details = await pagedClient.images.describe('paged', undefined, { pageSize }).toArray();
  expect(details.map((d) => d.imageDigest).sort()).toEqual(expected);
  const pages = [];
  for await (const page of pagedClient.images.describe('paged', undefined, { pageSize }).pages()) pages.push(page);
  expect(pages).toHaveLength(Math.ceil(23 / pageSize));
  const repos = (await pagedClient.repositories.list({ pageSize }).toArray()).map((r) => r.repositoryName);
  expect(repos).toHaveLength(18);
  expect(new Set(repos).size).toBe(18);
  const publicRepos = (await pagedClient.public.listRepositories({ pageSize }).toArray()).map((r) => r.repositoryName);
  expect(publicRepos).toHaveLength(17);
  expect(new Set(publicRepos).size).toBe(17);
});
