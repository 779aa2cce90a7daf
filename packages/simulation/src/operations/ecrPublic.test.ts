import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createSimulatedTransport } from '../createSimulatedTransport.js';
import { operationSetup } from '../../test/support/operationCalls.js';

const sha = (b: Uint8Array | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const setup = () => operationSetup({ api: 'ecr-public' });

test('public repositories: create with catalog data, describe, catalog data, registry and alias', async () => {
  const { registry, send, fail } = setup();
  registry.setPublicRegistry({ alias: 'acme', displayName: 'Acme' });
  const created = await send('CreateRepository', {
    repositoryName: 'tools/cli',
    catalogData: { description: 'CLI', architectures: ['x86-64'], operatingSystems: ['Linux'], logoImageBlob: new Uint8Array([1, 2, 3]) },
  });
  expect(created.repository).toEqual({
    repositoryArn: 'arn:aws:ecr-public::123456789012:repository/tools/cli',
    registryId: '123456789012',
    repositoryName: 'tools/cli',
    repositoryUri: 'public.ecr.aws/acme/tools/cli',
    createdAt: new Date(Date.UTC(2026, 0, 1)),
  });
  expect(created.catalogData).toMatchObject({
    description: 'CLI',
    architectures: ['x86-64'],
    marketplaceCertified: false,
    logoUrl: expect.stringMatching(/^https:\/\//),
  });
  expect((await fail('CreateRepository', { repositoryName: 'tools/cli' })).awsCode).toBe('RepositoryAlreadyExistsException');
  expect((await fail('CreateRepository', { repositoryName: 'x', catalogData: {} })).field).toBe('repositoryName');
  expect((await fail('CreateRepository', { repositoryName: 'ok-name', catalogData: { architectures: ['sparc'] } })).awsCode).toBe('InvalidParameterException');
  await send('PutRepositoryCatalogData', { repositoryName: 'tools/cli', catalogData: { usageText: 'docker run it' } });
  expect((await send('GetRepositoryCatalogData', { repositoryName: 'tools/cli' })).catalogData).toMatchObject({
    description: 'CLI',
    usageText: 'docker run it',
  });
  expect((await send('DescribeRepositories', {})).repositories.map((r: any) => r.repositoryName)).toEqual(['tools/cli']);
  expect(await send('DescribeRegistries', {})).toEqual({
    registries: [
      {
        registryId: '123456789012',
        registryArn: 'arn:aws:ecr-public::123456789012:registry/123456789012',
        registryUri: 'public.ecr.aws/acme',
        verified: false,
        aliases: [{ name: 'acme', status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true }],
      },
    ],
  });
  expect(await send('GetRegistryCatalogData', {})).toEqual({ registryCatalogData: { displayName: 'Acme' } });
  const { authorizationData } = await send('GetAuthorizationToken', {});
  expect(Buffer.from(authorizationData.authorizationToken, 'base64').toString().startsWith('AWS:')).toBe(true);
  expect(authorizationData.expiresAt).toEqual(new Date(Date.UTC(2026, 0, 1) + 12 * 3600_000));
  // Private and public namespaces are separate.
  expect(
    (await createSimulatedTransport(registry).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' })).repositories,
  ).toEqual([]);
});

test('public images: push through the layer API, describe images and tags, delete', async () => {
  const { send, fail } = setup();
  await send('CreateRepository', { repositoryName: 'hello' });
  const config = new TextEncoder().encode('{"architecture":"amd64","os":"linux"}');
  const { uploadId } = await send('InitiateLayerUpload', { repositoryName: 'hello' });
  await send('UploadLayerPart', { repositoryName: 'hello', uploadId, partFirstByte: 0, partLastByte: config.length - 1, layerPartBlob: config });
  await send('CompleteLayerUpload', { repositoryName: 'hello', uploadId, layerDigests: [sha(config)] });
  const check = await send('BatchCheckLayerAvailability', { repositoryName: 'hello', layerDigests: [sha(config)] });
  expect(check.layers[0].layerAvailability).toBe('AVAILABLE');
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [],
  });
  const { image } = await send('PutImage', { repositoryName: 'hello', imageManifest: manifest, imageTag: 'latest' });
  expect(image.imageId).toEqual({ imageDigest: sha(manifest), imageTag: 'latest' });
  await send('PutImage', { repositoryName: 'hello', imageManifest: manifest, imageTag: '1.0' });
  const { imageDetails } = await send('DescribeImages', { repositoryName: 'hello' });
  expect(imageDetails).toEqual([
    {
      registryId: '123456789012',
      repositoryName: 'hello',
      imageDigest: sha(manifest),
      imageTags: ['latest', '1.0'],
      imageSizeInBytes: config.length,
      imagePushedAt: new Date(Date.UTC(2026, 0, 1)),
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    },
  ]);
  const tags = await send('DescribeImageTags', { repositoryName: 'hello', maxResults: 1 });
  expect(tags.imageTagDetails[0]).toMatchObject({ imageTag: 'latest', imageDetail: { imageDigest: sha(manifest) } });
  const rest = await send('DescribeImageTags', { repositoryName: 'hello', nextToken: tags.nextToken });
  expect(rest.imageTagDetails.map((t: any) => t.imageTag)).toEqual(['1.0']);
  expect((await fail('DeleteRepository', { repositoryName: 'hello' })).awsCode).toBe('RepositoryNotEmptyException');
  const deleted = await send('BatchDeleteImage', { repositoryName: 'hello', imageIds: [{ imageDigest: sha(manifest) }] });
  expect(deleted.imageIds).toHaveLength(2);
  await send('DeleteRepository', { repositoryName: 'hello' });
  expect((await fail('GetRepositoryCatalogData', { repositoryName: 'hello' })).awsCode).toBe('RepositoryNotFoundException');
});

test('the fluent API builds public repositories too', async () => {
  const { registry, send } = setup();
  registry.withRepository('demo', { public: true, catalogData: { description: 'demo' } }).withImage('demo', { public: true, tags: ['v1'] });
  const { imageDetails } = await send('DescribeImages', { repositoryName: 'demo' });
  expect(imageDetails[0].imageTags).toEqual(['v1']);
  expect((await send('GetRepositoryCatalogData', { repositoryName: 'demo' })).catalogData.description).toBe('demo');
});
