import { createHash } from 'node:crypto';
import { ManualClock } from '@ecrkit/core-types';
import { describe, expect, test } from 'vitest';
import { createSimulatedTransport } from '../createSimulatedTransport.js';
import { SimulatedRegistry } from '../SimulatedRegistry.js';
import { failing } from '../../test/support/operationCalls.js';

const region = 'us-east-1';
const sha = (text: string | Uint8Array) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function setup(options: { lenient?: boolean } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock, seed: 7, ...options });
  const transport = createSimulatedTransport(registry);
  const send = (operation: string, input: unknown, api: 'ecr' | 'ecr-public' = 'ecr') =>
    transport.send({ api, operation, input, region } as never) as Promise<Record<string, any>>;
  const fail = failing(send);
  return { clock, registry, transport, send, fail };
}

/** Upload a blob through the layer API, as `docker push` does. */
async function upload(send: ReturnType<typeof setup>['send'], repositoryName: string, bytes: Uint8Array): Promise<string> {
  const { uploadId } = await send('InitiateLayerUpload', { repositoryName });
  await send('UploadLayerPart', { repositoryName, uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes });
  const { layerDigest } = await send('CompleteLayerUpload', { repositoryName, uploadId, layerDigests: [sha(bytes)] });
  return layerDigest;
}

function manifestFor(config: Uint8Array, layers: Uint8Array[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: l.length, digest: sha(l) })),
  });
}

const configBytes = new TextEncoder().encode('{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
const layerBytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('PutImage', () => {
  test('stores the exact manifest, digest of its bytes, size from config and layers', async () => {
    const { send } = setup();
    await send('CreateRepository', { repositoryName: 'app' });
    await upload(send, 'app', configBytes);
    await upload(send, 'app', layerBytes);
    const manifest = manifestFor(configBytes, [layerBytes]);
    const { image } = await send('PutImage', { repositoryName: 'app', imageManifest: manifest, imageTag: 'v1' });
    expect(image).toEqual({
      registryId: '123456789012',
      repositoryName: 'app',
      imageId: { imageDigest: sha(manifest), imageTag: 'v1' },
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app' });
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails[0]).toMatchObject({
      imageDigest: sha(manifest),
      imageTags: ['v1'],
      imageSizeInBytes: configBytes.length + layerBytes.length,
      imagePushedAt: new Date(Date.UTC(2026, 0, 1)),
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    });
  });

  test('strict mode refuses blobs that were never uploaded with LayersNotFoundException', async () => {
    const { send, fail } = setup();
    await send('CreateRepository', { repositoryName: 'app' });
    await upload(send, 'app', configBytes);
    const err = await fail('PutImage', { repositoryName: 'app', imageManifest: manifestFor(configBytes, [layerBytes]), imageTag: 'v1' });
    expect(err).toMatchObject({ awsCode: 'LayersNotFoundException', kind: 'LayersNotFound', statusCode: 400 });
    expect(err.message).toBe(
      `Layers with digests '[${sha(layerBytes)}]' required for pushing image into repository with name 'app' in the registry with id '123456789012' do not exist`,
    );
  });

  test('strict mode checks the imageDigest parameter against the bytes; lenient mode trusts it', async () => {
    const strict = setup();
    await strict.send('CreateRepository', { repositoryName: 'app' });
    await upload(strict.send, 'app', configBytes);
    await upload(strict.send, 'app', layerBytes);
    const manifest = manifestFor(configBytes, [layerBytes]);
    const wrong = `sha256:${'a'.repeat(64)}`;
    expect(await strict.fail('PutImage', { repositoryName: 'app', imageManifest: manifest, imageDigest: wrong })).toMatchObject({
      awsCode: 'ImageDigestDoesNotMatchException',
      kind: 'ImageDigestMismatch',
    });
    const ok = await strict.send('PutImage', { repositoryName: 'app', imageManifest: manifest, imageDigest: sha(manifest), imageTag: 'x' });
    expect(ok.image.imageId.imageDigest).toBe(sha(manifest));

    const lenient = setup({ lenient: true });
    await lenient.send('CreateRepository', { repositoryName: 'app' });
    const { image } = await lenient.send('PutImage', { repositoryName: 'app', imageManifest: manifest, imageDigest: wrong, imageTag: 'v1' });
    expect(image.imageId.imageDigest).toBe(wrong);
    const got = await lenient.send('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
    expect(got.images[0].imageManifest).toBe(manifest);
  });

  test('re-pushing the same manifest with a new tag moves the tag; the same manifest and tag is ImageAlreadyExistsException', async () => {
    const { registry, send, fail } = setup();
    const a = registry.addImage('app', { tags: ['latest'] });
    const b = registry.addImage('app', { tags: ['v2'] });
    await send('PutImage', { repositoryName: 'app', imageManifest: b.manifest, imageTag: 'latest' });
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app' });
    const tagsOf = (digest: string) => imageDetails.find((d: any) => d.imageDigest === digest)?.imageTags;
    expect(tagsOf(a.imageDigest)).toBeUndefined();
    expect(tagsOf(b.imageDigest)).toEqual(['v2', 'latest']);
    const err = await fail('PutImage', { repositoryName: 'app', imageManifest: b.manifest, imageTag: 'v2' });
    expect(err.awsCode).toBe('ImageAlreadyExistsException');
    expect(err.message).toBe(
      `Image with digest '${b.imageDigest}' and tag 'v2' already exists in the repository with name 'app' in registry with id '123456789012'`,
    );
  });

  test('immutable repositories refuse to move a tag but accept new tags', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('prod', { tagMutability: 'IMMUTABLE' });
    const a = registry.addImage('prod', { tags: ['v1'] });
    const b = registry.addImage('prod', { tags: ['v2'] });
    const err = await fail('PutImage', { repositoryName: 'prod', imageManifest: b.manifest, imageTag: 'v1' });
    expect(err).toMatchObject({ awsCode: 'ImageTagAlreadyExistsException', kind: 'ImageTagAlreadyExists' });
    expect(err.message).toContain("The image tag 'v1' already exists in the 'prod' repository");
    await send('PutImage', { repositoryName: 'prod', imageManifest: a.manifest, imageTag: 'stable' });
    const { imageIds } = await send('ListImages', { repositoryName: 'prod', filter: { tagStatus: 'TAGGED' } });
    expect(imageIds).toEqual([
      { imageDigest: a.imageDigest, imageTag: 'v1' },
      { imageDigest: a.imageDigest, imageTag: 'stable' },
      { imageDigest: b.imageDigest, imageTag: 'v2' },
    ]);
  });

  test('exclusion filters make matching tags mutable in an IMMUTABLE_WITH_EXCLUSION repository', async () => {
    const { registry, send, fail } = setup();
    await send('CreateRepository', {
      repositoryName: 'mixed',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
    });
    registry.addImage('mixed', { tags: ['latest', 'v1'] });
    const b = registry.addImage('mixed', { tags: ['v2'] });
    await send('PutImage', { repositoryName: 'mixed', imageManifest: b.manifest, imageTag: 'latest' });
    expect((await fail('PutImage', { repositoryName: 'mixed', imageManifest: b.manifest, imageTag: 'v1' })).awsCode).toBe('ImageTagAlreadyExistsException');
  });

  test('manifest lists need their children in strict mode (ReferencedImagesNotFoundException)', async () => {
    const { registry, send, fail } = setup();
    const multi = registry.addImage('app', { platforms: ['linux/amd64', 'linux/arm64/v8'], tags: ['multi'] });
    expect(multi.children).toHaveLength(2);
    const orphan = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${'b'.repeat(64)}`,
          size: 10,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    });
    expect((await fail('PutImage', { repositoryName: 'app', imageManifest: orphan, imageTag: 'x' })).awsCode).toBe('ReferencedImagesNotFoundException');
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'multi' }] });
    expect(imageDetails[0].imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(imageDetails[0].imageSizeInBytes).toBe(multi.children!.reduce((s, c) => s + c.imageSizeInBytes, 0));
  });

  test('rejects bad input: invalid JSON, schema 1, bad tag, unknown repository', async () => {
    const { send, fail } = setup();
    await send('CreateRepository', { repositoryName: 'app' });
    expect(await fail('PutImage', { repositoryName: 'app', imageManifest: '{nope' })).toMatchObject({
      awsCode: 'InvalidParameterException',
      field: 'imageManifest',
    });
    expect((await fail('PutImage', { repositoryName: 'app', imageManifest: JSON.stringify({ schemaVersion: 1, name: 'x' }) })).awsCode).toBe(
      'InvalidParameterException',
    );
    expect((await fail('PutImage', { repositoryName: 'app', imageManifest: '{}', imageTag: '-bad' })).field).toBe('imageTag');
    const missing = await fail('PutImage', { repositoryName: 'nope', imageManifest: '{}' });
    expect(missing.message).toBe("The repository with name 'nope' does not exist in the registry with id '123456789012'");
    expect(missing).toMatchObject({ kind: 'RepositoryNotFound', statusCode: 400, operation: 'PutImage', region });
  });
});

describe('BatchGetImage', () => {
  test('returns manifests by tag and digest, failures per id, and records the pull time', async () => {
    const { registry, clock, send } = setup();
    const a = registry.addImage('app', { tags: ['v1'] });
    await clock.advance(60_000);
    const out = await send('BatchGetImage', {
      repositoryName: 'app',
      imageIds: [{ imageTag: 'v1' }, { imageDigest: a.imageDigest }, { imageTag: 'missing' }, { imageDigest: 'sha256:xyz' }, {}, { imageTag: '!!' }],
    });
    expect(out.images.map((i: any) => i.imageId)).toEqual([{ imageDigest: a.imageDigest, imageTag: 'v1' }, { imageDigest: a.imageDigest }]);
    expect(out.images[0].imageManifest).toBe(a.manifest);
    expect(out.failures).toEqual([
      { imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      { imageId: { imageDigest: 'sha256:xyz' }, failureCode: 'InvalidImageDigest', failureReason: expect.any(String) },
      { imageId: {}, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' },
      { imageId: { imageTag: '!!' }, failureCode: 'InvalidImageTag', failureReason: expect.any(String) },
    ]);
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app' });
    expect(imageDetails[0].lastRecordedPullTime).toEqual(new Date(Date.UTC(2026, 0, 1) + 60_000));
  });

  test('a tag that names another image than the digest fails with ImageTagDoesNotMatchDigest', async () => {
    const { registry, send } = setup();
    const a = registry.addImage('app', { tags: ['a'] });
    registry.addImage('app', { tags: ['b'] });
    const out = await send('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageDigest: a.imageDigest, imageTag: 'b' }] });
    expect(out.failures[0].failureCode).toBe('ImageTagDoesNotMatchDigest');
  });

  test('acceptedMediaTypes filters out images of other types', async () => {
    const { registry, send } = setup();
    registry.addImage('app', { tags: ['oci'], mediaType: 'oci' });
    const refused = await send('BatchGetImage', {
      repositoryName: 'app',
      imageIds: [{ imageTag: 'oci' }],
      acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
    });
    expect(refused.images).toEqual([]);
    expect(refused.failures[0].imageId).toEqual({ imageTag: 'oci' });
    const accepted = await send('BatchGetImage', {
      repositoryName: 'app',
      imageIds: [{ imageTag: 'oci' }],
      acceptedMediaTypes: ['application/vnd.oci.image.manifest.v1+json'],
    });
    expect(accepted.images).toHaveLength(1);
  });

  test('imageIds must hold 1 to 100 entries', async () => {
    const { registry, fail } = setup();
    registry.withRepository('app');
    expect((await fail('BatchGetImage', { repositoryName: 'app', imageIds: [] })).field).toBe('imageIds');
    expect((await fail('BatchGetImage', { repositoryName: 'app', imageIds: Array.from({ length: 101 }, () => ({ imageTag: 'x' })) })).field).toBe('imageIds');
  });
});

describe('BatchDeleteImage', () => {
  test('a tag alone untags; the last tag deletes the image; a digest deletes the image and all tags', async () => {
    const { registry, send } = setup();
    const a = registry.addImage('app', { tags: ['v1', 'latest'] });
    const b = registry.addImage('app', { tags: ['v2', 'stable'] });
    let out = await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageTag: 'latest' }] });
    expect(out).toEqual({ imageIds: [{ imageDigest: a.imageDigest, imageTag: 'latest' }], failures: [] });
    expect((await send('DescribeImages', { repositoryName: 'app' })).imageDetails).toHaveLength(2);
    out = await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
    expect(out.imageIds).toEqual([{ imageDigest: a.imageDigest, imageTag: 'v1' }]);
    out = await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageDigest: b.imageDigest }, { imageTag: 'gone' }] });
    expect(out.imageIds).toEqual([
      { imageDigest: b.imageDigest, imageTag: 'v2' },
      { imageDigest: b.imageDigest, imageTag: 'stable' },
    ]);
    expect(out.failures).toEqual([{ imageId: { imageTag: 'gone' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    expect((await send('DescribeImages', { repositoryName: 'app' })).imageDetails).toEqual([]);
  });

  test('children of a manifest list cannot be deleted while the list references them', async () => {
    const { registry, send } = setup();
    const multi = registry.addImage('app', { platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'] });
    const child = multi.children![0]!.imageDigest;
    const refused = await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageDigest: child }] });
    expect(refused.failures[0]).toMatchObject({ failureCode: 'ImageReferencedByManifestList', imageId: { imageDigest: child } });
    await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageDigest: multi.imageDigest }] });
    const ok = await send('BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageDigest: child }] });
    expect(ok.imageIds).toEqual([{ imageDigest: child }]);
  });
});

describe('DescribeImages and ListImages', () => {
  test('paginate with opaque tokens, each image exactly once, honouring tagStatus', async () => {
    const { registry, send } = setup();
    const pushed: string[] = [];
    for (let i = 0; i < 7; i++) pushed.push(registry.addImage('app', { tags: i % 3 === 0 ? [] : [`t${i}`], layers: 1 }).imageDigest);
    for (const [tagStatus, expected] of [
      ['ANY', pushed],
      ['TAGGED', pushed.filter((_, i) => i % 3 !== 0)],
      ['UNTAGGED', pushed.filter((_, i) => i % 3 === 0)],
    ] as const) {
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await send('DescribeImages', { repositoryName: 'app', maxResults: 2, filter: { tagStatus }, ...(nextToken ? { nextToken } : {}) });
        expect(page.imageDetails.length).toBeLessThanOrEqual(2);
        seen.push(...page.imageDetails.map((d: any) => d.imageDigest));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(seen).toEqual(expected);
    }
    const untagged = await send('ListImages', { repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } });
    expect(untagged.imageIds).toEqual(pushed.filter((_, i) => i % 3 === 0).map((imageDigest) => ({ imageDigest })));
  });

  test('bad, foreign and out-of-range page parameters are InvalidParameterException', async () => {
    const { registry, send, fail } = setup();
    for (let i = 0; i < 3; i++) registry.addImage('app', { tags: [`t${i}`], layers: 1 });
    registry.withRepository('other');
    const { nextToken } = await send('DescribeImages', { repositoryName: 'app', maxResults: 1 });
    expect(typeof nextToken).toBe('string');
    expect(await fail('DescribeImages', { repositoryName: 'app', nextToken: 'garbage!' })).toMatchObject({
      awsCode: 'InvalidParameterException',
      field: 'nextToken',
    });
    expect((await fail('DescribeImages', { repositoryName: 'other', nextToken })).field).toBe('nextToken');
    expect((await fail('DescribeImages', { repositoryName: 'app', nextToken, filter: { tagStatus: 'TAGGED' } })).field).toBe('nextToken');
    expect((await fail('ListImages', { repositoryName: 'app', nextToken })).field).toBe('nextToken');
    expect((await fail('DescribeImages', { repositoryName: 'app', maxResults: 0 })).field).toBe('maxResults');
    expect((await fail('DescribeImages', { repositoryName: 'app', maxResults: 1001 })).field).toBe('maxResults');
    expect((await fail('ListImages', { repositoryName: 'app', filter: { tagStatus: 'SOME' } })).field).toBe('filter.tagStatus');
  });

  test('DescribeImages with imageIds fails the whole call for a missing image', async () => {
    const { registry, send, fail } = setup();
    const a = registry.addImage('app', { tags: ['v1'] });
    const { imageDetails } = await send('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }, { imageDigest: a.imageDigest }] });
    expect(imageDetails).toHaveLength(1);
    const err = await fail('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v2' }] });
    expect(err.awsCode).toBe('ImageNotFoundException');
    expect(err.message).toBe(
      "The image with imageId {imageDigest:'null', imageTag:'v2'} does not exist within the repository with name 'app' in the registry with id '123456789012'",
    );
    expect((await fail('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }], maxResults: 5 })).awsCode).toBe('InvalidParameterException');
  });

  test("ListImages pages split one image's tags across pages without loss", async () => {
    const { registry, send } = setup();
    registry.addImage('app', { tags: ['a', 'b', 'c', 'd', 'e'] });
    registry.addImage('app', { tags: [] });
    const seen: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = await send('ListImages', { repositoryName: 'app', maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.imageIds);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen.map((s: any) => s.imageTag ?? 'untagged')).toEqual(['a', 'b', 'c', 'd', 'e', 'untagged']);
  });
});
