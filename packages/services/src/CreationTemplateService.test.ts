import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

const lifecyclePolicy = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'keep ten', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } },
  ],
});

describe('CreationTemplateService', () => {
  it('creates templates, lists them page by page, updates and deletes one', async () => {
    const f = setup();
    const created = await f.client.creationTemplates.create({
      prefix: 'prod',
      appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
      imageTagMutability: 'IMMUTABLE',
      lifecyclePolicy,
      resourceTags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(created).toMatchObject({ prefix: 'prod', imageTagMutability: 'IMMUTABLE', lifecyclePolicy, resourceTags: [{ Key: 'team', Value: 'platform' }] });
    expect(created.createdAt).toBeInstanceOf(Date);
    await f.client.creationTemplates.create({ prefix: 'ROOT', appliedFor: ['CREATE_ON_PUSH'] });
    await f.client.creationTemplates.create({ prefix: 'dev/', appliedFor: ['REPLICATION'] });
    f.registry.clearOperationHistory();
    const all = await f.client.creationTemplates.list({ pageSize: 2 }).toArray();
    expect(all.map((t) => t.prefix).sort()).toEqual(['ROOT', 'dev/', 'prod'].sort());
    expect(f.ops()).toEqual(['DescribeRepositoryCreationTemplates', 'DescribeRepositoryCreationTemplates']);
    expect((await f.client.creationTemplates.list({ prefixes: ['prod'] }).toArray()).map((t) => t.prefix)).toEqual(['prod']);

    const updated = await f.client.creationTemplates.update('prod', { description: 'production' });
    expect(updated).toMatchObject({ prefix: 'prod', description: 'production', imageTagMutability: 'IMMUTABLE' });
    expect(await f.client.creationTemplates.delete('dev/')).toMatchObject({ prefix: 'dev/' });
    expect(await rejection(f.client.creationTemplates.delete('dev/'))).toMatchObject({ kind: 'TemplateNotFound' });
  });

  it('a template applies to a repository a pull through cache rule creates', async () => {
    const f = setup();
    await f.client.creationTemplates.create({ prefix: 'ecr-public', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'IMMUTABLE' });
    await f.client.pullThroughCache.create({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    f.registry.withUpstreamImage('public.ecr.aws', 'nginx/nginx', { tags: ['1.27'] });
    await f.client.images.get('ecr-public/nginx/nginx', '1.27');
    expect((await f.client.repositories.get('ecr-public/nginx/nginx')).imageTagMutability).toBe('IMMUTABLE');
  });

  it.each([
    ['no appliedFor', { prefix: 'prod' }, 'appliedFor'],
    ['an unknown appliedFor', { prefix: 'prod', appliedFor: ['ALWAYS'] }, 'appliedFor[0]'],
    ['a repeated appliedFor', { prefix: 'prod', appliedFor: ['REPLICATION', 'REPLICATION'] }, 'appliedFor'],
    ['a bad prefix', { prefix: 'Prod', appliedFor: ['REPLICATION'] }, 'prefix'],
    ['a bad lifecycle policy', { prefix: 'prod', appliedFor: ['REPLICATION'], lifecyclePolicy: '{"rules":[]}' }, 'lifecyclePolicy'],
    ['a repository policy that is not a document', { prefix: 'prod', appliedFor: ['REPLICATION'], repositoryPolicy: 'allow all' }, 'repositoryPolicy'],
    ['an unknown mutability', { prefix: 'prod', appliedFor: ['REPLICATION'], imageTagMutability: 'FROZEN' }, 'imageTagMutability'],
    [
      'an alias as KMS key',
      { prefix: 'prod', appliedFor: ['REPLICATION'], encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/aws/ecr' } },
      'encryptionConfiguration.kmsKey',
    ],
    ['an empty tag key', { prefix: 'prod', appliedFor: ['REPLICATION'], resourceTags: [{ Key: '', Value: 'x' }] }, 'resourceTags[0].Key'],
    ['a long description', { prefix: 'prod', appliedFor: ['REPLICATION'], description: 'd'.repeat(257) }, 'description'],
  ])('create refuses %s before any request', async (_name, template, field) => {
    const f = setup();
    expect(await rejection(f.client.creationTemplates.create(template as never))).toMatchObject({ kind: 'InvalidParameter', field });
    expect(f.ops()).toEqual([]);
  });

  it('update needs a change, and checks it like create', async () => {
    const f = setup();
    expect(await rejection(f.client.creationTemplates.update('prod', {}))).toMatchObject({ kind: 'InvalidParameter', field: 'changes' });
    expect(await rejection(f.client.creationTemplates.update('prod', { appliedFor: [] }))).toMatchObject({ field: 'appliedFor' });
    expect(f.ops()).toEqual([]);
  });
});
