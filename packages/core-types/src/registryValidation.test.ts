// The validators of the registry-level inputs (pull through cache, creation templates,
// referrers, registry policies): what the models and ECR accept passes, the rest is an
// InvalidParameter naming the field and the rule, and garbage raises nothing else.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { anyValue, catchEcrError, expectOnlyEcrError } from '../test/arbitraries.js';
import {
  validateArtifactType,
  validateCreationTemplatePrefix,
  validateCredentialArn,
  validatePolicyDocument,
  validatePullThroughCachePrefix,
  validateRoleArn,
  validateUpstreamRegistryUrl,
} from './validation.js';

const validators: ((value: unknown) => void)[] = [
  validatePullThroughCachePrefix,
  validateCreationTemplatePrefix,
  validateCredentialArn,
  validateRoleArn,
  validateUpstreamRegistryUrl,
  validateArtifactType,
  validatePolicyDocument,
];

describe('registry-level validators', () => {
  it('accept what ECR accepts', () => {
    for (const p of ['hub', 'ecr-public', 'team/cache', 'a1/', 'ROOT']) expect(() => validatePullThroughCachePrefix(p)).not.toThrow();
    for (const p of ['p', 'prod', 'prod/', 'team_a/svc', 'ROOT', 'x'.repeat(256)]) expect(() => validateCreationTemplatePrefix(p)).not.toThrow();
    expect(() => validateCredentialArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf')).not.toThrow();
    expect(() => validateRoleArn('arn:aws:iam::123456789012:role/service-role/ecr')).not.toThrow();
    for (const u of ['public.ecr.aws', 'https://ghcr.io', 'registry-1.docker.io', '123456789012.dkr.ecr.us-east-1.amazonaws.com', 'myreg.azurecr.io/']) {
      expect(() => validateUpstreamRegistryUrl(u)).not.toThrow();
    }
    for (const t of ['application/spdx+json', 'application/vnd.cncf.notary.signature', 'application/vnd.dev.cosign.artifact.sig.v1+json']) {
      expect(() => validateArtifactType(t)).not.toThrow();
    }
    expect(() => validatePolicyDocument('{"Statement":{"Effect":"Allow"}}')).not.toThrow();
  });

  it('refuse the rest, naming the field and the rule', () => {
    expect(catchEcrError(() => validatePullThroughCachePrefix('h'))).toMatchObject({ kind: 'InvalidParameter', field: 'ecrRepositoryPrefix' });
    expect(catchEcrError(() => validatePullThroughCachePrefix('x'.repeat(31))).message).toContain('length must be 2–30');
    expect(catchEcrError(() => validatePullThroughCachePrefix('-hub')).message).toContain('prefix rule');
    expect(catchEcrError(() => validateCreationTemplatePrefix('Root')).message).toBe(
      `Invalid parameter 'prefix': "Root" does not match the prefix rule: repository-name parts joined by '/', optionally ending in '/', or ROOT`,
    );
    expect(catchEcrError(() => validateCreationTemplatePrefix('Prod/'))).toMatchObject({ field: 'prefix' });
    expect(catchEcrError(() => validateCredentialArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:mine/hub-AbCdEf')).message).toContain(
      'ecr-pullthroughcache',
    );
    expect(catchEcrError(() => validateRoleArn('arn:aws:iam::123456789012:user/me')).message).toContain('IAM role ARN rule');
    expect(catchEcrError(() => validateUpstreamRegistryUrl('ftp://quay.io'))).toMatchObject({ field: 'upstreamRegistryUrl' });
    expect(catchEcrError(() => validateArtifactType('spdx'))).toMatchObject({ field: 'artifactType' });
    expect(catchEcrError(() => validatePolicyDocument('{"Statement":[]}')).message).toContain('must have a Statement');
    expect(catchEcrError(() => validatePolicyDocument('[1]', 'repositoryPolicy'))).toMatchObject({ field: 'repositoryPolicy' });
    expect(catchEcrError(() => validatePolicyDocument(`{"Statement":{},"pad":"${'x'.repeat(10240)}"}`)).message).toContain('1–10240');
  });

  test.prop([anyValue])('raise nothing but EcrError on any value', (value) => {
    for (const validate of validators) expectOnlyEcrError(() => validate(value));
  });

  test.prop([fc.string({ maxLength: 400 })])('never echo a long value in the message', (text) => {
    const long = `${'y'.repeat(70)}${text}`;
    for (const validate of validators) {
      try {
        validate(long);
      } catch (err) {
        expect(String((err as Error).message)).not.toContain(long);
      }
    }
  });
});
