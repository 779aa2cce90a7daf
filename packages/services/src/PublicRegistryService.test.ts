import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

function publicRegistry() {
  const f = setup();
  f.registry
    .withRepository('tools/cli', { public: true, catalogData: { description: 'The CLI', architectures: ['x86-64', 'ARM 64'], aboutText: 'About it' } })
    .withRepository('base', { public: true })
    .withImage('tools/cli', { public: true, tags: ['v1', 'latest'] })
    .withImage('tools/cli', { public: true, tags: ['v2'] })
    .setPublicRegistry({ displayName: 'Example Corp' });
  f.registry.clearOperationHistory();
  return f;
}

describe('PublicRegistryService', () => {
  it('lists public repositories, calling ecr-public in us-east-1 whatever the client region', async () => {
    const f = setup({ config: (b) => b.region('eu-west-1') });
    f.registry.withRepository('tools/cli', { public: true }).withRepository('base', { public: true }).withRepository('private-one');
    const names = (await f.client.public.listRepositories({ pageSize: 1 }).toArray()).map((r) => r.repositoryName).sort();
    expect(names).toEqual(['base', 'tools/cli']);
    const history = f.registry.getOperationHistory();
    expect(history.map((e) => [e.api, e.operation, e.region])).toEqual([
      ['ecr-public', 'DescribeRepositories', 'us-east-1'],
      ['ecr-public', 'DescribeRepositories', 'us-east-1'],
    ]);
  });

  it('getRepository() returns one repository; a missing one is RepositoryNotFound', async () => {
    const f = publicRegistry();
    expect(await f.client.public.getRepository('tools/cli')).toMatchObject({ repositoryName: 'tools/cli', registryId: '123456789012' });
    expect(await rejection(f.client.public.getRepository('nope'))).toMatchObject({ kind: 'RepositoryNotFound' });
  });

  it('listImages() and listImageTags() page through images and tags', async () => {
    const f = publicRegistry();
    const images = await f.client.public.listImages('tools/cli', { pageSize: 1 }).toArray();
    expect(images).toHaveLength(2);
    const tags = await f.client.public.listImageTags('tools/cli').toArray();
    expect(tags.map((t) => t.imageTag).sort()).toEqual(['latest', 'v1', 'v2']);
    expect(tags.find((t) => t.imageTag === 'v2')?.imageDetail?.imageDigest).toBe(images.find((i) => i.imageTags?.includes('v2'))?.imageDigest);
  });

  it('getCatalogData() and getRegistryCatalogData() read the gallery data', async () => {
    const f = publicRegistry();
    expect(await f.client.public.getCatalogData('tools/cli')).toMatchObject({
      description: 'The CLI',
      architectures: ['x86-64', 'ARM 64'],
      aboutText: 'About it',
    });
    expect(await f.client.public.getRegistryCatalogData()).toEqual({ displayName: 'Example Corp' });
  });

  it('getAuthToken() is cached apart from private tokens; login targets public.ecr.aws', async () => {
    const f = publicRegistry();
    const token = await f.client.public.getAuthToken();
    await f.client.public.getAuthToken();
    await f.client.auth.getAuthorizationToken();
    expect(f.registry.getOperationHistory().map((e) => `${e.api}:${e.operation}`)).toEqual(['ecr-public:GetAuthorizationToken', 'ecr:GetAuthorizationToken']);
    expect(token).toMatchObject({ registry: 'public.ecr.aws', proxyEndpoint: 'https://public.ecr.aws' });
    const login = await f.client.public.getLoginCommand();
    expect(login.args).toEqual(['login', '--username', 'AWS', '--password-stdin', 'public.ecr.aws']);
    expect(login.toString()).toBe('aws ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin public.ecr.aws');
    const creds = await f.client.public.getDockerCredentials();
    expect(inspect(login)).not.toContain(creds.password.reveal());
  });

  it('validates public repository names before anything is sent', async () => {
    const f = publicRegistry();
    expect(await rejection(f.client.public.getRepository('a__b'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(() => f.client.public.listImages('UPPER')).toThrow(expect.objectContaining({ kind: 'InvalidParameter' }));
    expect(() => f.client.public.listImageTags('x')).toThrow(expect.objectContaining({ kind: 'InvalidParameter' }));
    expect(await rejection(f.client.public.getCatalogData('-x'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });
});
