import { ecrOperations, ecrPublicOperations } from '@ecrkit/core-types';
import { describe, expect, test } from 'vitest';
import { ecrPublicHandlers } from './ecrPublic.js';
import { ecrHandlers } from './handlers.js';
import { operationSetup } from '../../test/support/operationCalls.js';

const setup = () => operationSetup();

test('every operation of the core-types operation table has a handler, and no other', () => {
  expect(Object.keys(ecrHandlers).sort()).toEqual(Object.keys(ecrOperations).sort());
  expect(Object.keys(ecrPublicHandlers).sort()).toEqual(Object.keys(ecrPublicOperations).sort());
});

describe('CreateRepository / DescribeRepositories / DeleteRepository', () => {
  test('creates with ARN, URI, defaults and settings; a second create is RepositoryAlreadyExistsException', async () => {
    const { send, fail } = setup();
    const { repository } = await send('CreateRepository', {
      repositoryName: 'team/web-app',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS' },
      tags: [{ Key: 'team', Value: 'web' }],
    });
    expect(repository).toEqual({
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web-app',
      registryId: '123456789012',
      repositoryName: 'team/web-app',
      repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web-app',
      createdAt: new Date(Date.UTC(2026, 0, 1)),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: {
        encryptionType: 'KMS',
        kmsKey: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      },
    });
    const dup = await fail('CreateRepository', { repositoryName: 'team/web-app' });
    expect(dup.awsCode).toBe('RepositoryAlreadyExistsException');
    expect(dup.message).toBe("The repository with name 'team/web-app' already exists in the registry with id '123456789012'");
    const { repositories } = await send('DescribeRepositories', { repositoryNames: ['team/web-app'] });
    expect(repositories[0].imageTagMutability).toBe('IMMUTABLE');
    const { tags } = await send('ListTagsForResource', { resourceArn: repository.repositoryArn });
    expect(tags).toEqual([{ Key: 'team', Value: 'web' }]);
  });

  test('validates names, enums and tags with ECR wording', async () => {
    const { fail } = setup();
    const bad = await fail('CreateRepository', { repositoryName: 'Web_App' });
    expect(bad).toMatchObject({ awsCode: 'InvalidParameterException', field: 'repositoryName', kind: 'InvalidParameter' });
    expect(bad.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint: /);
    expect((await fail('CreateRepository', { repositoryName: 'x' })).field).toBe('repositoryName');
    expect((await fail('CreateRepository', { repositoryName: 'ok-name', imageTagMutability: 'SOMETIMES' })).field).toBe('imageTagMutability');
    expect((await fail('CreateRepository', { repositoryName: 'ok-name', tags: [{ Key: 'aws:owner', Value: 'x' }] })).awsCode).toBe(
      'InvalidTagParameterException',
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await fail('CreateRepository', { repositoryName: 'ok-name', tags: many })).awsCode).toBe('TooManyTagsException');
    expect((await fail('CreateRepository', { repositoryName: 42 })).field).toBe('repositoryName');
    expect((await fail('CreateRepository', {})).message).toContain('Member must not be null');
  });

  test('states are separate per account and region', async () => {
    const { send, fail } = setup();
    await send('CreateRepository', { repositoryName: 'app' });
    await send('CreateRepository', { repositoryName: 'app', registryId: '210987654321' });
    expect((await send('DescribeRepositories', {}, 'eu-west-1')).repositories).toEqual([]);
    const other = await send('DescribeRepositories', { registryId: '210987654321' });
    expect(other.repositories[0].repositoryArn).toBe('arn:aws:ecr:us-east-1:210987654321:repository/app');
    const err = await fail('DescribeRepositories', { repositoryNames: ['app'] }, 'eu-west-1');
    expect(err.message).toBe("The repository with name 'app' does not exist in the registry with id '123456789012'");
  });

  test('paginates repositories; names and maxResults together are refused', async () => {
    const { registry, send, fail } = setup();
    for (let i = 0; i < 5; i++) registry.withRepository(`repo-${i}`);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await send('DescribeRepositories', { maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      names.push(...page.repositories.map((r: any) => r.repositoryName));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(['repo-0', 'repo-1', 'repo-2', 'repo-3', 'repo-4']);
    expect((await fail('DescribeRepositories', { repositoryNames: ['repo-0'], maxResults: 1 })).awsCode).toBe('InvalidParameterException');
  });

  test('deleting a repository with images needs force', async () => {
    const { registry, send, fail } = setup();
    registry.withImage('app');
    const err = await fail('DeleteRepository', { repositoryName: 'app' });
    expect(err.awsCode).toBe('RepositoryNotEmptyException');
    expect(err.message).toBe("The repository with name 'app' in registry with id '123456789012' cannot be deleted because it still contains images");
    const { repository } = await send('DeleteRepository', { repositoryName: 'app', force: true });
    expect(repository.repositoryName).toBe('app');
    expect((await fail('DescribeRepositories', { repositoryNames: ['app'] })).awsCode).toBe('RepositoryNotFoundException');
  });
});

describe('repository settings and resource tags', () => {
  test('PutImageTagMutability and PutImageScanningConfiguration', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('app');
    expect(await send('PutImageTagMutability', { repositoryName: 'app', imageTagMutability: 'IMMUTABLE' })).toEqual({
      registryId: '123456789012',
      repositoryName: 'app',
      imageTagMutability: 'IMMUTABLE',
    });
    expect((await fail('PutImageTagMutability', { repositoryName: 'app', imageTagMutability: 'MUTABLE_WITH_EXCLUSION' })).field).toBe(
      'imageTagMutabilityExclusionFilters',
    );
    const scanning = await send('PutImageScanningConfiguration', { repositoryName: 'app', imageScanningConfiguration: { scanOnPush: true } });
    expect(scanning.imageScanningConfiguration).toEqual({ scanOnPush: true });
    const { repositories } = await send('DescribeRepositories', {});
    expect(repositories[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
  });

  test('TagResource merges, UntagResource removes, bad ARNs and unknown repositories fail', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('app', { tags: { team: 'web' } });
    const arn = 'arn:aws:ecr:us-east-1:123456789012:repository/app';
    await send('TagResource', {
      resourceArn: arn,
      tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    expect((await send('ListTagsForResource', { resourceArn: arn })).tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'prod' },
    ]);
    await send('UntagResource', { resourceArn: arn, tagKeys: ['team'] });
    expect((await send('ListTagsForResource', { resourceArn: arn })).tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(await fail('ListTagsForResource', { resourceArn: 'not-an-arn' })).toMatchObject({ awsCode: 'InvalidParameterException', field: 'resourceArn' });
    expect((await fail('ListTagsForResource', { resourceArn: 'arn:aws:ecr:us-east-1:123456789012:repository/nope' })).awsCode).toBe(
      'RepositoryNotFoundException',
    );
  });
});
