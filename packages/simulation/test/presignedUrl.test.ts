import { Sha256 } from '@aws-crypto/sha256-js';
import { isEcrError } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect } from 'vitest';
import { presignUrl, verifyPresignedUrl } from '../src/server/presignedUrl.js';

// Presigned URLs (SigV4 query authentication) against the signer the AWS SDK uses for S3's.

const key = { accessKeyId: 'AKIDURLS', secretAccessKey: 'url-signing-secret' };
const credentialFor = (id: string) => (id === key.accessKeyId ? key : undefined);
const signedAt = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The request a client sends for `url`: GET with the URL's host as Host. */
function requestFor(url: string, method = 'GET') {
  const u = new URL(url);
  return { method, url: `${u.pathname}${u.search}`, rawHeaders: ['Host', u.host] };
}

function refusal(request: ReturnType<typeof requestFor>, now = signedAt): { awsCode?: string; statusCode?: number; message: string } {
  try {
    verifyPresignedUrl(request, { credentialFor, now });
  } catch (err) {
    if (isEcrError(err)) return { awsCode: err.awsCode, statusCode: err.statusCode, message: err.message };
    throw err;
  }
  throw new Error('expected the URL to be refused');
}

const repositoryName = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*){0,2}$/);
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`);
const origin = fc.constantFrom('http://127.0.0.1:4510', 'https://sim.example.test', 'http://[::1]:8080', 'http://sim.example:80');

describe('presignUrl', () => {
  test.prop([origin, repositoryName, digest, fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1'), fc.integer({ min: 1, max: 604800 })], { numRuns: 100 })(
    'signs exactly what @smithy/signature-v4 presigns (S3 style: UNSIGNED-PAYLOAD, host only)',
    async (base, repo, blob, region, expiresIn) => {
      const path = `/blobs/123456789012/${region}/${repo}/${blob}`;
      const ours = new URL(presignUrl(new URL(path, base), { credential: key, region, service: 's3', now: signedAt, expiresSeconds: expiresIn }));
      const u = new URL(path, base);
      const theirs = await new SignatureV4({ region, service: 's3', sha256: Sha256, credentials: key }).presign(
        {
          method: 'GET',
          protocol: u.protocol,
          hostname: u.hostname,
          ...(u.port ? { port: Number(u.port) } : {}),
          path: u.pathname,
          query: {},
          headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        {
          signingDate: new Date(signedAt),
          expiresIn,
          unhoistableHeaders: new Set(['x-amz-content-sha256']),
          unsignableHeaders: new Set(['x-amz-content-sha256']),
        },
      );
      expect(Object.fromEntries(ours.searchParams)).toEqual(theirs.query);
      expect(verifyPresignedUrl(requestFor(ours.href), { credentialFor, now: signedAt + expiresIn * 1000 })).toEqual({ accessKeyId: key.accessKeyId, region });
    },
  );

  test.prop([repositoryName, digest, fc.nat(), fc.integer({ min: 0, max: 15 })], { numRuns: 200 })(
    'changing any one character of the URL makes it invalid',
    (repo, blob, position, replacement) => {
      const url = presignUrl(new URL(`/blobs/123456789012/us-east-1/${repo}/${blob}`, 'http://127.0.0.1:4510'), {
        credential: key,
        region: 'us-east-1',
        service: 's3',
        now: signedAt,
        expiresSeconds: 3600,
      });
      const target = requestFor(url).url;
      const i = position % target.length;
      const swapped = replacement.toString(16) === target[i] ? 'z' : replacement.toString(16);
      const tampered = `${target.slice(0, i)}${swapped}${target.slice(i + 1)}`;
      let accepted = false;
      try {
        verifyPresignedUrl({ method: 'GET', url: tampered, rawHeaders: ['Host', '127.0.0.1:4510'] }, { credentialFor, now: signedAt });
        accepted = true;
      } catch (err) {
        expect(isEcrError(err) && err.statusCode === 403).toBe(true);
      }
      // A change inside a percent-escape can decode to the same text; nothing else may pass.
      if (accepted) expect(decodeURIComponent(tampered)).toBe(decodeURIComponent(target));
    },
  );

  test('expiry is judged on the given clock: valid through X-Amz-Expires, then Request has expired', () => {
    const url = presignUrl(new URL('/blobs/1/us-east-1/app/sha256:ab', 'http://127.0.0.1:4510'), {
      credential: key,
      region: 'us-east-1',
      service: 's3',
      now: signedAt,
      expiresSeconds: 60,
    });
    expect(verifyPresignedUrl(requestFor(url), { credentialFor, now: signedAt + 60_000 }).accessKeyId).toBe(key.accessKeyId);
    expect(verifyPresignedUrl(requestFor(url, 'HEAD'), { credentialFor, now: signedAt }).accessKeyId).toBe(key.accessKeyId);
    expect(refusal(requestFor(url), signedAt + 60_001)).toEqual({ awsCode: 'AccessDeniedException', statusCode: 403, message: 'Request has expired' });
    expect(refusal(requestFor(url), signedAt - 16 * 60_000).message).toBe('Request is not yet valid');
    expect(refusal(requestFor(url, 'DELETE')).awsCode).toBe('InvalidSignatureException');
  });

  test('malformed query authentication is IncompleteSignatureException; none at all is MissingAuthenticationTokenException', () => {
    const url = presignUrl(new URL('/blobs/1/us-east-1/app/sha256:ab', 'http://h'), {
      credential: key,
      region: 'us-east-1',
      service: 's3',
      now: signedAt,
      expiresSeconds: 60,
    });
    const variant = (name: string, value: string | undefined) => {
      const u = new URL(url);
      if (value === undefined) u.searchParams.delete(name);
      else u.searchParams.set(name, value);
      return requestFor(u.href);
    };
    expect(refusal(requestFor('http://h/blobs/x')).awsCode).toBe('MissingAuthenticationTokenException');
    expect(refusal(requestFor('http://h/blobs/x?a=1')).awsCode).toBe('MissingAuthenticationTokenException');
    for (const [name, value] of [
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA1'],
      ['X-Amz-Credential', 'AKIDURLS/20260101/us-east-1'],
      ['X-Amz-Date', 'yesterday'],
      ['X-Amz-Expires', '0'],
      ['X-Amz-Expires', '604801'],
      ['X-Amz-Expires', '1e3'],
      ['X-Amz-SignedHeaders', 'x-amz-date'],
      ['X-Amz-Signature', undefined],
    ] as const) {
      expect(refusal(variant(name, value)), `${name}=${value}`).toMatchObject({ awsCode: 'IncompleteSignatureException', statusCode: 403 });
    }
    expect(refusal(variant('X-Amz-Credential', 'AKIDURLS/20260101/../s3/aws4_request')).awsCode).toBe('InvalidSignatureException');
    expect(refusal(variant('X-Amz-Credential', 'AKIDOTHER/20260101/us-east-1/s3/aws4_request')).awsCode).toBe('UnrecognizedClientException');
  });
});
