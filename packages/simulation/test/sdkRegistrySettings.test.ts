import { describe, expect, test } from 'vitest';
import { sdkWorld, type Out } from './support/sdkWorld.js';

// Registry-level operations through the real @aws-sdk/client-ecr against the simulation server:
// registry policy, account settings, the repository scanning view, signing configuration and
// signing status, pull-time update exclusions.

const { clock, registry, call, fail } = sdkWorld();
const account = '123456789012';
const policy = (actions: string | string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'replicate',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::210987654321:root' },
        Action: actions,
        Resource: `arn:aws:ecr:us-east-1:${account}:repository/*`,
      },
    ],
  });

describe('registry policy', () => {
  test('put, get and delete; get and delete without one are RegistryPolicyNotFoundException', async () => {
    const missing = await fail('GetRegistryPolicy');
    expect([missing.name, missing.statusCode, missing.message]).toEqual([
      'RegistryPolicyNotFoundException',
      400,
      `Registry policy does not exist in the registry with id '${account}'`,
    ]);
    expect((await fail('DeleteRegistryPolicy')).name).toBe('RegistryPolicyNotFoundException');
    const text = policy(['ecr:ReplicateImage', 'ecr:CreateRepository']);
    expect(await call('PutRegistryPolicy', { policyText: text })).toEqual({ registryId: account, policyText: text });
    expect(await call('GetRegistryPolicy')).toEqual({ registryId: account, policyText: text });
    expect(await call('DeleteRegistryPolicy')).toEqual({ registryId: account, policyText: text });
    expect((await fail('GetRegistryPolicy')).name).toBe('RegistryPolicyNotFoundException');
  });

  test('the policy is per region', async () => {
    await call('PutRegistryPolicy', { policyText: policy('ecr:ReplicateImage') });
    expect((await fail('GetRegistryPolicy', {}, 'ecr', 'eu-west-1')).name).toBe('RegistryPolicyNotFoundException');
  });

  test.each([
    ['not JSON', '{'],
    ['no statement', JSON.stringify({ Version: '2012-10-17' })],
    ['no principal', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:ReplicateImage' }] })],
    ['a non-ECR action', policy('s3:GetObject')],
  ])('an invalid policy (%s) is InvalidParameterException', async (_, text) => {
    const err = await fail('PutRegistryPolicy', { policyText: text });
    expect([err.name, err.message]).toEqual([
      'InvalidParameterException',
      "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'",
    ]);
  });

  test('scope V2 (the default) allows every ECR action; V1 only replication and pull through cache actions', async () => {
    expect(await call('GetAccountSetting', { name: 'REGISTRY_POLICY_SCOPE' })).toEqual({ name: 'REGISTRY_POLICY_SCOPE', value: 'V2' });
    await call('PutRegistryPolicy', { policyText: policy(['ecr:ReplicateImage', 'ecr:DescribeRepositories']) });
    await call('PutAccountSetting', { name: 'REGISTRY_POLICY_SCOPE', value: 'V1' });
    expect((await fail('PutRegistryPolicy', { policyText: policy(['ecr:ReplicateImage', 'ecr:DescribeRepositories']) })).name).toBe(
      'InvalidParameterException',
    );
    await call('PutRegistryPolicy', { policyText: policy(['ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']) });
  });
});

describe('account settings', () => {
  test('defaults, put and get, and the names and values ECR knows', async () => {
    expect(await call('GetAccountSetting', { name: 'BASIC_SCAN_TYPE_VERSION' })).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
    expect(await call('PutAccountSetting', { name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' })).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' });
    expect(await call('GetAccountSetting', { name: 'BASIC_SCAN_TYPE_VERSION' })).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' });
    const badValue = await fail('PutAccountSetting', { name: 'REGISTRY_POLICY_SCOPE', value: 'V3' });
    expect([badValue.name, badValue.message]).toEqual([
      'InvalidParameterException',
      "Invalid parameter at 'value' failed to satisfy constraint: 'Member must satisfy enum value set: [V1, V2]'",
    ]);
    const badName = await fail('GetAccountSetting', { name: 'NOPE' });
    expect([badName.name, badName.message]).toEqual([
      'InvalidParameterException',
      "Invalid parameter at 'name' failed to satisfy constraint: 'Member must satisfy enum value set: [BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING]'",
    ]);
  });
});

describe('the repository scanning view (BatchGetRepositoryScanningConfiguration)', () => {
  test('without rules: the repository setting, MANUAL, no filters; unknown names are failures', async () => {
    await call('CreateRepository', { repositoryName: 'team/api' });
    await call('CreateRepository', { repositoryName: 'team/web', imageScanningConfiguration: { scanOnPush: true } });
    const out = await call('BatchGetRepositoryScanningConfiguration', { repositoryNames: ['team/api', 'team/web', 'nope'] });
    expect(out).toEqual({
      scanningConfigurations: [
        {
          repositoryArn: `arn:aws:ecr:us-east-1:${account}:repository/team/api`,
          repositoryName: 'team/api',
          scanOnPush: false,
          scanFrequency: 'MANUAL',
          appliedScanFilters: [],
        },
        {
          repositoryArn: `arn:aws:ecr:us-east-1:${account}:repository/team/web`,
          repositoryName: 'team/web',
          scanOnPush: true,
          scanFrequency: 'SCAN_ON_PUSH',
          appliedScanFilters: [],
        },
      ],
      failures: [{ repositoryName: 'nope', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' }],
    });
  });

  test('wildcard rules apply with their matching filters; continuous scanning wins over scan on push', async () => {
    for (const repositoryName of ['team/api', 'team/web', 'other']) await call('CreateRepository', { repositoryName });
    await call('PutRegistryScanningConfiguration', {
      scanType: 'ENHANCED',
      rules: [
        {
          scanFrequency: 'SCAN_ON_PUSH',
          repositoryFilters: [
            { filter: 'team/*', filterType: 'WILDCARD' },
            { filter: 'oth*', filterType: 'WILDCARD' },
          ],
        },
        { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*web', filterType: 'WILDCARD' }] },
      ],
    });
    const { scanningConfigurations } = await call('BatchGetRepositoryScanningConfiguration', { repositoryNames: ['team/api', 'team/web', 'other'] });
    expect(scanningConfigurations.map((c: Out) => [c.repositoryName, c.scanFrequency, c.appliedScanFilters.map((f: Out) => f.filter), c.scanOnPush])).toEqual([
      ['team/api', 'SCAN_ON_PUSH', ['team/*'], false],
      ['team/web', 'CONTINUOUS_SCAN', ['*web'], false],
      ['other', 'SCAN_ON_PUSH', ['oth*'], false],
    ]);
    // A push to a repository under a scan-on-push rule starts a scan (here an enhanced one).
    registry.withImage('team/api', { tags: ['v1'] });
    const { imageDetails } = await call('DescribeImages', { repositoryName: 'team/api' });
    expect(imageDetails[0].imageScanStatus.status).toBe('IN_PROGRESS');
  });

  test('at most 25 names; the names must be repository names', async () => {
    const tooMany = await fail('BatchGetRepositoryScanningConfiguration', { repositoryNames: Array.from({ length: 26 }, (_, i) => `repo-${i}`) });
    expect(tooMany.name).toBe('InvalidParameterException');
    expect((await fail('BatchGetRepositoryScanningConfiguration', { repositoryNames: ['Bad_Name'] })).name).toBe('InvalidParameterException');
  });
});

describe('signing configuration and signing status', () => {
  const profile = `arn:aws:signer:us-east-1:${account}:/signing-profiles/ecr_signing`;
  const other = `arn:aws:signer:us-east-1:${account}:/signing-profiles/release_signing`;

  test('put, get and delete; get and delete without one are SigningConfigurationNotFoundException', async () => {
    const missing = await fail('GetSigningConfiguration');
    expect([missing.name, missing.message]).toEqual([
      'SigningConfigurationNotFoundException',
      `Signing configuration does not exist in the registry with id '${account}'`,
    ]);
    expect((await fail('DeleteSigningConfiguration')).name).toBe('SigningConfigurationNotFoundException');
    const signingConfiguration = {
      rules: [{ signingProfileArn: profile, repositoryFilters: [{ filter: 'prod/*', filterType: 'WILDCARD_MATCH' }] }, { signingProfileArn: other }],
    };
    expect(await call('PutSigningConfiguration', { signingConfiguration })).toEqual({ signingConfiguration });
    expect(await call('GetSigningConfiguration')).toEqual({ registryId: account, signingConfiguration });
    expect(await call('DeleteSigningConfiguration')).toEqual({ registryId: account, signingConfiguration });
    expect((await fail('GetSigningConfiguration')).name).toBe('SigningConfigurationNotFoundException');
  });

  test('a bad profile ARN or filter is InvalidParameterException', async () => {
    expect((await fail('PutSigningConfiguration', { signingConfiguration: { rules: [{ signingProfileArn: 'arn:aws:iam::1:role/x' }] } })).name).toBe(
      'InvalidParameterException',
    );
    const badFilter = { rules: [{ signingProfileArn: profile, repositoryFilters: [{ filter: 'UPPER', filterType: 'WILDCARD_MATCH' }] }] };
    expect((await fail('PutSigningConfiguration', { signingConfiguration: badFilter })).name).toBe('InvalidParameterException');
  });

  test('images pushed under a rule are IN_PROGRESS, then COMPLETE; others have no statuses', async () => {
    await call('PutSigningConfiguration', {
      signingConfiguration: {
        rules: [
          { signingProfileArn: profile, repositoryFilters: [{ filter: 'prod/*', filterType: 'WILDCARD_MATCH' }] },
          { signingProfileArn: other, repositoryFilters: [{ filter: '*/api', filterType: 'WILDCARD_MATCH' }] },
        ],
      },
    });
    const signed = registry.addImage('prod/api', { tags: ['v1'] });
    registry.withImage('dev/web', { tags: ['v1'] });
    const status = await call('DescribeImageSigningStatus', { repositoryName: 'prod/api', imageId: { imageTag: 'v1' } });
    expect(status).toEqual({
      repositoryName: 'prod/api',
      imageId: { imageDigest: signed.imageDigest, imageTag: 'v1' },
      registryId: account,
      signingStatuses: [
        { signingProfileArn: profile, status: 'IN_PROGRESS' },
        { signingProfileArn: other, status: 'IN_PROGRESS' },
      ],
    });
    await clock.advance(5000);
    const done = await call('DescribeImageSigningStatus', { repositoryName: 'prod/api', imageId: { imageDigest: signed.imageDigest } });
    expect(done.signingStatuses.map((s: Out) => s.status)).toEqual(['COMPLETE', 'COMPLETE']);
    expect((await call('DescribeImageSigningStatus', { repositoryName: 'dev/web', imageId: { imageTag: 'v1' } })).signingStatuses).toEqual([]);
    expect((await fail('DescribeImageSigningStatus', { repositoryName: 'dev/web', imageId: { imageTag: 'nope' } })).name).toBe('ImageNotFoundException');
    expect((await fail('DescribeImageSigningStatus', { repositoryName: 'nope', imageId: { imageTag: 'v1' } })).name).toBe('RepositoryNotFoundException');
  });
});

describe('pull-time update exclusions', () => {
  const principal = (n: number) => `arn:aws:iam::${account}:role/ci-${n}`;

  test('register, list in pages, deregister; duplicates, unknown principals and bad ARNs fail', async () => {
    const registered = await call('RegisterPullTimeUpdateExclusion', { principalArn: principal(1) });
    expect(registered).toEqual({ principalArn: principal(1), createdAt: new Date(clock.now()) });
    await call('RegisterPullTimeUpdateExclusion', { principalArn: principal(2) });
    await call('RegisterPullTimeUpdateExclusion', { principalArn: principal(3) });
    const dup = await fail('RegisterPullTimeUpdateExclusion', { principalArn: principal(1) });
    expect(dup.name).toBe('ExclusionAlreadyExistsException');
    const first = await call('ListPullTimeUpdateExclusions', { maxResults: 2 });
    const second = await call('ListPullTimeUpdateExclusions', { maxResults: 2, nextToken: first.nextToken });
    expect([...first.pullTimeUpdateExclusions, ...second.pullTimeUpdateExclusions]).toEqual([principal(1), principal(2), principal(3)]);
    expect(second.nextToken).toBeUndefined();
    expect(await call('DeregisterPullTimeUpdateExclusion', { principalArn: principal(2) })).toEqual({ principalArn: principal(2) });
    expect((await fail('DeregisterPullTimeUpdateExclusion', { principalArn: principal(2) })).name).toBe('ExclusionNotFoundException');
    expect((await call('ListPullTimeUpdateExclusions')).pullTimeUpdateExclusions).toEqual([principal(1), principal(3)]);
    expect((await fail('RegisterPullTimeUpdateExclusion', { principalArn: 'arn:aws:s3:::bucket' })).name).toBe('InvalidParameterException');
  });

  test('a registry excludes at most 25 principals (LimitExceededException)', async () => {
    for (let i = 0; i < 25; i++) await call('RegisterPullTimeUpdateExclusion', { principalArn: principal(i) });
    expect((await fail('RegisterPullTimeUpdateExclusion', { principalArn: principal(99) })).name).toBe('LimitExceededException');
  });
});
