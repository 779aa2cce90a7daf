import { describe, expect, test } from 'vitest';
import { operationSetup } from '../../test/support/operationCalls.js';

const day = 86_400_000;
const now = Date.UTC(2026, 0, 1);

const setup = () => operationSetup({ now });

const policy = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'old untagged',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'keep two releases',
      selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 2 },
      action: { type: 'expire' },
    },
  ],
});

describe('repository policies', () => {
  test('set, get, delete; missing policy and invalid policy errors', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('app');
    const missing = await fail('GetRepositoryPolicy', { repositoryName: 'app' });
    expect(missing.awsCode).toBe('RepositoryPolicyNotFoundException');
    expect(missing.message).toBe("Repository policy does not exist for the repository with name 'app' in the registry with id '123456789012'");
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] });
    expect(await send('SetRepositoryPolicy', { repositoryName: 'app', policyText: text })).toEqual({
      registryId: '123456789012',
      repositoryName: 'app',
      policyText: text,
    });
    expect((await send('GetRepositoryPolicy', { repositoryName: 'app' })).policyText).toBe(text);
    expect((await send('DeleteRepositoryPolicy', { repositoryName: 'app' })).policyText).toBe(text);
    expect((await fail('DeleteRepositoryPolicy', { repositoryName: 'app' })).awsCode).toBe('RepositoryPolicyNotFoundException');
    expect((await fail('SetRepositoryPolicy', { repositoryName: 'app', policyText: '{"no":"statement"}' })).awsCode).toBe('InvalidParameterException');
  });
});

describe('lifecycle policies', () => {
  test('put, get, delete, and invalid policies', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('app');
    expect((await fail('GetLifecyclePolicy', { repositoryName: 'app' })).message).toBe(
      "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '123456789012'",
    );
    expect(await send('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: policy })).toEqual({
      registryId: '123456789012',
      repositoryName: 'app',
      lifecyclePolicyText: policy,
    });
    expect((await send('GetLifecyclePolicy', { repositoryName: 'app' })).lifecyclePolicyText).toBe(policy);
    expect((await send('DeleteLifecyclePolicy', { repositoryName: 'app' })).lifecyclePolicyText).toBe(policy);
    expect((await fail('DeleteLifecyclePolicy', { repositoryName: 'app' })).awsCode).toBe('LifecyclePolicyNotFoundException');
    const tooShort = await fail('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: '{"rules":[]}' });
    expect(tooShort).toMatchObject({ awsCode: 'InvalidParameterException', field: 'lifecyclePolicyText' });
    const noRules = JSON.stringify({ rules: [], padding: 'x'.repeat(120) });
    expect((await fail('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: noRules })).kind).toBe('InvalidParameter');
  });

  test('preview evaluates the rules: IN_PROGRESS first, then COMPLETE with results, filters and pages', async () => {
    const { registry, send, fail } = setup();
    registry.withRepository('app', { lifecyclePolicy: policy });
    expect((await fail('GetLifecyclePolicyPreview', { repositoryName: 'app' })).awsCode).toBe('LifecyclePolicyPreviewNotFoundException');
    const oldUntagged = registry.addImage('app', { tags: [], pushedAt: new Date(now - 30 * day) });
    registry.addImage('app', { tags: [], pushedAt: new Date(now - 1 * day) });
    const v1 = registry.addImage('app', { tags: ['v1'], pushedAt: new Date(now - 20 * day) });
    const v2 = registry.addImage('app', { tags: ['v2'], pushedAt: new Date(now - 10 * day) });
    registry.addImage('app', { tags: ['v3'], pushedAt: new Date(now - 5 * day) });
    registry.addImage('app', { tags: ['v4'], pushedAt: new Date(now - 1 * day) });
    expect(await send('StartLifecyclePolicyPreview', { repositoryName: 'app' })).toEqual({
      registryId: '123456789012',
      repositoryName: 'app',
      lifecyclePolicyText: policy,
      status: 'IN_PROGRESS',
    });
    expect((await fail('StartLifecyclePolicyPreview', { repositoryName: 'app' })).awsCode).toBe('LifecyclePolicyPreviewInProgressException');
    expect((await send('GetLifecyclePolicyPreview', { repositoryName: 'app' })).status).toBe('IN_PROGRESS');
    const done = await send('GetLifecyclePolicyPreview', { repositoryName: 'app' });
    expect(done.status).toBe('COMPLETE');
    expect(done.summary).toEqual({ expiringImageTotalCount: 3 });
    expect(done.previewResults.map((r: any) => [r.imageDigest, r.appliedRulePriority])).toEqual([
      [oldUntagged.imageDigest, 1],
      [v1.imageDigest, 2],
      [v2.imageDigest, 2],
    ]);
    expect(done.previewResults[1]).toEqual({
      imageTags: ['v1'],
      imageDigest: v1.imageDigest,
      imagePushedAt: new Date(now - 20 * day),
      action: { type: 'EXPIRE' },
      appliedRulePriority: 2,
    });
    const tagged = await send('GetLifecyclePolicyPreview', { repositoryName: 'app', filter: { tagStatus: 'TAGGED' }, maxResults: 1 });
    expect(tagged.previewResults).toHaveLength(1);
    const next = await send('GetLifecyclePolicyPreview', {
      repositoryName: 'app',
      filter: { tagStatus: 'TAGGED' },
      maxResults: 1,
      nextToken: tagged.nextToken,
    });
    expect(next.previewResults[0].imageDigest).toBe(v2.imageDigest);
    expect(next.nextToken).toBeUndefined();
    expect((await fail('GetLifecyclePolicyPreview', { repositoryName: 'app', maxResults: 101 })).field).toBe('maxResults');
    const one = await send('GetLifecyclePolicyPreview', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
    expect(one.previewResults.map((r: any) => r.imageDigest)).toEqual([v1.imageDigest]);
  });

  test('StartLifecyclePolicyPreview with no policy anywhere is LifecyclePolicyNotFoundException', async () => {
    const { registry, fail, send } = setup();
    registry.withRepository('app');
    expect((await fail('StartLifecyclePolicyPreview', { repositoryName: 'app' })).awsCode).toBe('LifecyclePolicyNotFoundException');
    expect((await send('StartLifecyclePolicyPreview', { repositoryName: 'app', lifecyclePolicyText: policy })).status).toBe('IN_PROGRESS');
  });
});
