import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf';
const role = 'arn:aws:iam::123456789012:role/ecr-pull-through';

describe('PullThroughCacheService', () => {
  it('creates rules, lists them page by page, updates, validates and deletes one', async () => {
    const f = setup();
    const created = await f.client.pullThroughCache.create({ ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: secret });
    expect(created).toMatchObject({ ecrRepositoryPrefix: 'hub', upstreamRegistry: 'docker-hub', credentialArn: secret, registryId: '123456789012' });
    expect(created.createdAt).toBeInstanceOf(Date);
    await f.client.pullThroughCache.create({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    await f.client.pullThroughCache.create({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    f.registry.clearOperationHistory();

    const all = await f.client.pullThroughCache.list({ pageSize: 2 }).toArray();
    expect(all.map((r) => r.ecrRepositoryPrefix).sort()).toEqual(['ecr-public', 'hub', 'quay']);
    expect(f.ops()).toEqual(['DescribePullThroughCacheRules', 'DescribePullThroughCacheRules']);
    expect((await f.client.pullThroughCache.list({ prefixes: ['quay'] }).toArray()).map((r) => r.upstreamRegistryUrl)).toEqual(['quay.io']);

    const updated = await f.client.pullThroughCache.update('hub', { customRoleArn: role });
    expect(updated).toMatchObject({ ecrRepositoryPrefix: 'hub', customRoleArn: role });
    expect(updated.updatedAt).toBeInstanceOf(Date);
    expect(await f.client.pullThroughCache.validate('hub')).toMatchObject({ ecrRepositoryPrefix: 'hub', isValid: true });
    expect(await f.client.pullThroughCache.delete('quay')).toMatchObject({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    expect(await rejection(f.client.pullThroughCache.validate('quay'))).toMatchObject({ kind: 'PullThroughCacheRuleNotFound' });
  });

  it('a pull through the rule creates the repository', async () => {
    const f = setup();
    f.registry.withUpstreamImage('public.ecr.aws', 'docker/library/alpine', { tags: ['3.19'] });
    await f.client.pullThroughCache.create({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    const image = await f.client.images.get('ecr-public/docker/library/alpine', '3.19');
    expect(image.digest).toMatch(/^sha256:/);
    expect((await f.client.repositories.get('ecr-public/docker/library/alpine')).repositoryName).toBe('ecr-public/docker/library/alpine');
  });

  it.each([
    ['a one-letter prefix', { ecrRepositoryPrefix: 'h', upstreamRegistryUrl: 'quay.io' }, 'ecrRepositoryPrefix', 'length must be 2–30'],
    ['an upper-case prefix', { ecrRepositoryPrefix: 'Hub', upstreamRegistryUrl: 'quay.io' }, 'ecrRepositoryPrefix', 'prefix rule'],
    ['a URL with a path', { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'https://quay.io/x y' }, 'upstreamRegistryUrl', 'registry URL rule'],
    ['an unknown upstream', { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'quay.io', upstreamRegistry: 'harbor' }, 'upstreamRegistry', 'must be one of'],
    [
      'a secret outside ecr-pullthroughcache/',
      { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'quay.io', credentialArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other/hub-AbCdEf' },
      'credentialArn',
      'credential ARN rule',
    ],
    [
      'a role that is no role',
      { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'quay.io', customRoleArn: 'arn:aws:iam::123456789012:user/me' },
      'customRoleArn',
      'IAM role ARN rule',
    ],
  ])('create refuses %s before any request', async (_name, rule, field, message) => {
    const f = setup();
    const err = await rejection(f.client.pullThroughCache.create(rule as never));
    expect(err).toMatchObject({ kind: 'InvalidParameter', field });
    expect((err as Error).message).toContain(message);
    expect(f.ops()).toEqual([]);
  });

  it('update needs a change; list refuses bad prefixes and page sizes; all before any request', async () => {
    const f = setup();
    expect(await rejection(f.client.pullThroughCache.update('hub', {}))).toMatchObject({ kind: 'InvalidParameter', field: 'changes' });
    expect(() => f.client.pullThroughCache.list({ prefixes: [] })).toThrow(expect.objectContaining({ field: 'prefixes' }));
    expect(() => f.client.pullThroughCache.list({ prefixes: ['ok', 'NO'] })).toThrow(expect.objectContaining({ field: 'prefixes[1]' }));
    expect(() => f.client.pullThroughCache.list({ pageSize: 1001 })).toThrow(expect.objectContaining({ field: 'pageSize' }));
    expect(await rejection(f.client.pullThroughCache.delete('x'))).toMatchObject({ field: 'ecrRepositoryPrefix' });
    expect(f.ops()).toEqual([]);
  });
});
