import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { fc, test } from '@fast-check/vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect } from 'vitest';
import { verifySigV4, type SigV4Request } from '../src/server/verifySigV4.js';
import { alice, credentialFor, failure, signedAt } from './support/sigv4Fixtures.js';

// The verifier against the signer the AWS SDK uses (@smithy/signature-v4).

function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Sign with @smithy/signature-v4 and return the request as the server sees it. */
async function signed(options: {
  body?: string;
  region?: string;
  service?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  sessionToken?: string;
  secret?: string;
  accessKeyId?: string;
}): Promise<SigV4Request> {
  const body = options.body ?? '{}';
  const signer = new SignatureV4({
    region: options.region ?? 'eu-west-1',
    service: options.service ?? 'ecr',
    sha256: Sha256,
    credentials: {
      accessKeyId: options.accessKeyId ?? alice.accessKeyId,
      secretAccessKey: options.secret ?? 'alice-secret/+=',
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
  });
  const result = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 5000,
      path: options.path ?? '/',
      query: options.query ?? {},
      headers: {
        host: '127.0.0.1:5000',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages',
        ...options.headers,
      },
      body,
    },
    { signingDate: signedAt },
  );
  const query = Object.entries(options.query ?? {})
    .map(([k, v]) => `${uriEscape(k)}=${uriEscape(v)}`)
    .join('&');
  return {
    method: 'POST',
    url: `${result.path}${query ? `?${query}` : ''}`,
    rawHeaders: Object.entries(result.headers).flat(),
    body: Buffer.from(body),
  };
}

function setHeader(request: SigV4Request, name: string, value: string): SigV4Request {
  const raw = [...request.rawHeaders];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) raw[i + 1] = value;
  return { ...request, rawHeaders: raw };
}

function header(request: SigV4Request, name: string): string {
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === name) return request.rawHeaders[i + 1]!;
  throw new Error(`no ${name}`);
}

describe('verifySigV4 against @smithy/signature-v4', () => {
  test('a request signed by @smithy/signature-v4 verifies, with region, service and account from the credential', async () => {
    const identity = verifySigV4(await signed({ region: 'ap-south-1' }), { credentialFor, now: signedAt.getTime(), expectedService: 'ecr' });
    expect(identity).toEqual({ accessKeyId: 'AKIDALICE', region: 'ap-south-1', service: 'ecr', accountId: '111111111111', hasSessionToken: false });
  });

  test.prop(
    [
      fc.string({ maxLength: 200 }),
      fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'),
      fc.dictionary(
        fc.stringMatching(/^x-test-[a-z]{1,8}$/),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$|^[\x21-\x7e]$/.test(s)),
        {
          maxKeys: 3,
        },
      ),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
      fc.constantFrom('/', '/a/b', '/a/./b/../c', '/with space/x'),
    ],
    { numRuns: 200 },
  )('whatever the body, headers, query and path, SDK signatures verify and one flipped byte fails', async (body, region, headers, query, path) => {
    const request = await signed({ body, region, headers, query, path: path.split('/').map(escape).join('/') });
    expect(verifySigV4(request, { credentialFor, now: signedAt.getTime() }).region).toBe(region);

    const bytes = Buffer.from(request.body);
    if (bytes.length > 0) {
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      expect(failure({ ...request, body: bytes }).awsCode).toBe('InvalidSignatureException');
    }
    const auth = header(request, 'authorization');
    const last = auth.at(-1) === '0' ? '1' : '0';
    expect(failure(setHeader(request, 'authorization', auth.slice(0, -1) + last)).awsCode).toBe('InvalidSignatureException');
    expect(failure(setHeader(request, 'x-amz-target', 'AmazonEC2ContainerRegistry_V20150921.ListImages')).awsCode).toBe('InvalidSignatureException');
  });

  test('the wrong secret fails with AWS wording and status 400', async () => {
    expect(failure(await signed({ secret: 'not-the-secret' }))).toEqual({
      awsCode: 'InvalidSignatureException',
      statusCode: 400,
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
  });

  test('an unknown access key is UnrecognizedClientException', async () => {
    expect(failure(await signed({ accessKeyId: 'AKIDMALLORY' }))).toEqual({
      awsCode: 'UnrecognizedClientException',
      statusCode: 400,
      message: 'The security token included in the request is invalid.',
    });
  });

  test('no Authorization header is MissingAuthenticationTokenException', () => {
    expect(failure({ method: 'POST', url: '/', rawHeaders: ['Host', 'x'], body: new Uint8Array(0) })).toEqual({
      awsCode: 'MissingAuthenticationTokenException',
      statusCode: 403,
      message: 'Missing Authentication Token',
    });
  });

  test('a date more than 15 minutes old or ahead is rejected with the Signature expired message', async () => {
    const request = await signed({});
    const later = signedAt.getTime() + 16 * 60 * 1000;
    expect(failure(request, later)).toEqual({
      awsCode: 'InvalidSignatureException',
      statusCode: 400,
      message: 'Signature expired: 20260101T120000Z is now earlier than 20260101T120100Z (20260101T121600Z - 15 min.)',
    });
    expect(failure(request, signedAt.getTime() - 16 * 60 * 1000).message).toMatch(/^Signature not yet current: 20260101T120000Z is still later than/);
    expect(verifySigV4(request, { credentialFor, now: signedAt.getTime() + 14 * 60 * 1000 }).region).toBe('eu-west-1');
  });

  test('session tokens are accepted and are part of the signature', async () => {
    const request = await signed({ sessionToken: 'FwoGZXIvYXdzE-session' });
    expect(header(request, 'authorization')).toContain('x-amz-security-token');
    expect(verifySigV4(request, { credentialFor, now: signedAt.getTime() }).hasSessionToken).toBe(true);
    expect(failure(setHeader(request, 'x-amz-security-token', 'FwoGZXIvYXdzE-other')).awsCode).toBe('InvalidSignatureException');
  });

  test('a credential scoped to another service is rejected', async () => {
    expect(failure(await signed({ service: 'ecr-public' }))).toMatchObject({
      awsCode: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'ecr'. ",
    });
  });

  test('the payload line is the hash of the body received, whatever x-amz-content-sha256 claims', async () => {
    const body = '{"repositoryName":"web"}';
    const request = await signed({ body });
    expect(header(request, 'x-amz-content-sha256')).toBe(createHash('sha256').update(body).digest('hex'));
    expect(verifySigV4(request, { credentialFor, now: signedAt.getTime() }).accessKeyId).toBe('AKIDALICE');
    expect(failure({ ...request, body: Buffer.from('{"repositoryName":"api"}') }).awsCode).toBe('InvalidSignatureException');
  });
});
