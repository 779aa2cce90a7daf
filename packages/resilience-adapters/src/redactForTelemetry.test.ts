import { EcrError, SecretString } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { redactForTelemetry } from './redactForTelemetry.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('redactForTelemetry', () => {
  it('keeps identifiers and replaces everything else', () => {
    const out = redactForTelemetry({
      repositoryName: 'team/web',
      imageIds: [{ imageDigest: digest, imageTag: 'v1' }],
      imageManifest: '{"schemaVersion":2}',
      authorizationData: [{ authorizationToken: 'QVdTOnNlY3JldA==', proxyEndpoint: 'https://1.dkr.ecr.us-east-1.amazonaws.com', expiresAt: new Date(0) }],
      password: new SecretString('hunter2'),
      layerPartBlob: new Uint8Array([1, 2, 3]),
      nextToken: 'opaque',
      maxResults: 100,
      scanOnPush: true,
    });
    expect(out).toEqual({
      repositoryName: 'team/web',
      imageIds: [{ imageDigest: digest, imageTag: 'v1' }],
      imageManifest: '[redacted]',
      authorizationData: [
        { authorizationToken: '[redacted]', proxyEndpoint: 'https://1.dkr.ecr.us-east-1.amazonaws.com', expiresAt: '1970-01-01T00:00:00.000Z' },
      ],
      password: '[redacted]',
      layerPartBlob: '[redacted]',
      nextToken: '[redacted]',
      maxResults: 100,
      scanOnPush: true,
    });
  });

  it('keeps the words of a message but not token-like runs, except digests', () => {
    const token = 'QVdTOmV5SndZWGxzYjJGa0lqb2lZV0pqWkdWbUlpd2laR0YwWVd0bGVTSTZJbk5sWTNKbGRDSjk=';
    expect(redactForTelemetry(`Image ${digest} not found; token ${token}`)).toBe(`Image ${digest} not found; token [redacted]`);
  });

  it('turns an EcrError into its redacted facts, without the cause', () => {
    const error = new EcrError({
      kind: 'RepositoryNotFound',
      message: "The repository with name 'web' does not exist",
      statusCode: 400,
      requestId: 'r-1',
      cause: { token: 'secret' },
    });
    expect(redactForTelemetry({ error })).toEqual({
      error: {
        name: 'EcrError',
        kind: 'RepositoryNotFound',
        category: 'terminal',
        message: "The repository with name 'web' does not exist",
        statusCode: 400,
        requestId: 'r-1',
      },
    });
  });

  it('cuts deep nesting and long lists', () => {
    let deep: Record<string, unknown> = { repositoryName: 'x' };
    for (let i = 0; i < 20; i++) deep = { nested: deep };
    expect(JSON.stringify(redactForTelemetry(deep))).toContain('[redacted]');
    const list = redactForTelemetry({ imageTags: Array.from({ length: 80 }, (_, i) => `t${i}`) }) as { imageTags: string[] };
    expect(list.imageTags).toHaveLength(51);
    expect(list.imageTags.at(-1)).toBe('… 30 more');
  });

  it('redacts class instances other than errors and dates', () => {
    expect(redactForTelemetry({ repositoryName: new URL('https://user:pw@example.com') })).toEqual({ repositoryName: '[redacted]' });
  });

  test.prop(
    [
      fc.string({ minLength: 1 }),
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.constantFrom('authorizationToken', 'secretAccessKey', 'sessionToken', 'imageManifest', 'password', 'policyText', 'anything'),
    ],
    { numRuns: 1000 },
  )('never lets a secret value through under a non-identifier key or in a SecretString', (secretValue, context, field) => {
    const canary = `CANARY-${secretValue}`;
    const out = JSON.stringify(redactForTelemetry({ ...context, [field]: canary, nested: [{ [field]: canary, repositoryName: new SecretString(canary) }] }));
    expect(out).not.toContain(canary);
  });
});
