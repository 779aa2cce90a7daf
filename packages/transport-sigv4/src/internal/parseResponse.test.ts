import { fc, test } from '@fast-check/vitest';
import { type EcrError, isEcrError, operationSpec } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { parseResponse, type ResponseHeaders } from './parseResponse.js';

const spec = operationSpec('ecr', 'DescribeImages')!;
const now = Date.UTC(2026, 0, 1);
const context = { spec, operation: 'DescribeImages', region: 'eu-west-1', now };
const json = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' };

function failure(status: number, headers: ResponseHeaders, body: string): EcrError {
  try {
    parseResponse(context, status, headers, body);
  } catch (err) {
    if (isEcrError(err)) return err;
    throw new Error(`not an EcrError: ${String(err)}`);
  }
  throw new Error('expected a failure');
}

describe('parseResponse', () => {
  it('decodes epoch-second timestamps to Dates and keeps everything else', () => {
    const out = parseResponse(
      context,
      200,
      json,
      JSON.stringify({ imageDetails: [{ imageDigest: 'sha256:a', imagePushedAt: 1767225600.5, imageTags: ['v1'] }], nextToken: 't' }),
    );
    expect(out).toEqual({ imageDetails: [{ imageDigest: 'sha256:a', imagePushedAt: new Date(1767225600500), imageTags: ['v1'] }], nextToken: 't' });
  });

  it('reads an empty 200 body as an empty output, as the AWS SDKs do', () => {
    expect(parseResponse(context, 200, { 'x-amzn-requestid': 'r' }, '')).toEqual({});
  });

  it.each([
    ['__type, plain', {}, { __type: 'RepositoryNotFoundException', message: 'no repo' }],
    ['__type, namespaced', {}, { __type: 'com.amazonaws.ecr#RepositoryNotFoundException', message: 'no repo' }],
    ['x-amzn-ErrorType with a suffix', { 'x-amzn-errortype': 'RepositoryNotFoundException:http://internal.amazon.com/' }, { message: 'no repo' }],
    ['header over body', { 'x-amzn-errortype': 'RepositoryNotFoundException' }, { __type: 'ServerException', message: 'no repo' }],
    ['code over __type, Message spelling', {}, { code: 'RepositoryNotFoundException', __type: 'ServerException', Message: 'no repo' }],
  ])('maps service errors by code (%s)', (_name, extra, body) => {
    const err = failure(400, { ...json, ...extra }, JSON.stringify(body));
    expect(err).toMatchObject({
      kind: 'RepositoryNotFound',
      awsCode: 'RepositoryNotFoundException',
      statusCode: 400,
      requestId: 'req-1',
      operation: 'DescribeImages',
      region: 'eu-west-1',
      message: 'no repo',
    });
  });

  it.each([
    [{ 'x-amzn-requestid': 'a' }, 'a'],
    [{ 'x-amz-request-id': 'b' }, 'b'],
    [{ 'x-amz-id-2': 'c' }, 'c'],
    [{ 'x-amz-request-id': 'b', 'x-amzn-requestid': 'a' }, 'a'],
  ])('reads the request id from %o', (headers, id) => {
    expect(failure(500, headers, '{"__type":"ServerException"}').requestId).toBe(id);
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(failure(429, { ...json, 'retry-after': '3' }, '{"__type":"ThrottlingException"}')).toMatchObject({
      kind: 'Throttling',
      retryAfterMs: 3000,
      retryable: true,
    });
  });

  it('turns an HTML 502 from a proxy into InvalidResponse with status and request id', () => {
    const err = failure(502, { 'content-type': 'text/html', 'x-amzn-requestid': 'req-9' }, '<html><body>502 Bad Gateway</body></html>');
    expect(err).toMatchObject({ kind: 'InvalidResponse', statusCode: 502, requestId: 'req-9', retryable: true });
    expect(err.message).not.toContain('<html>');
  });

  it('reads an empty error body by its status', () => {
    expect(failure(503, {}, '')).toMatchObject({ kind: 'ServiceUnavailable', statusCode: 503 });
    expect(failure(429, {}, '')).toMatchObject({ kind: 'Throttling' });
  });

  it.each([
    ['a wrong content type', { ...json, 'content-type': 'text/plain' }, 'OK'],
    ['a truncated body', json, '{"imageDetails":[{"imageDigest":"sha256:'],
    ['a JSON array', json, '[1,2]'],
    ['a JSON string', json, '"hello"'],
    ['a JSON null', json, 'null'],
    ['a malformed timestamp', json, '{"imageDetails":[{"imagePushedAt":"yesterday"}]}'],
  ])('turns %s on a 200 into InvalidResponse with status and request id', (_name, headers, body) => {
    expect(failure(200, headers, body)).toMatchObject({
      kind: 'InvalidResponse',
      statusCode: 200,
      requestId: 'req-1',
      operation: 'DescribeImages',
      retryable: false,
    });
  });

  const headerArb = fc.record(
    {
      'content-type': fc.constantFrom('application/x-amz-json-1.1', 'application/json', 'text/html', 'text/plain; charset=utf-8', ''),
      'x-amzn-requestid': fc.string(),
      'x-amzn-errortype': fc.string(),
      'retry-after': fc.oneof(fc.nat().map(String), fc.string()),
    },
    { requiredKeys: [] },
  );
  const bodyArb = fc.oneof(
    fc.string(),
    fc.json(),
    fc.jsonValue().map((v) => JSON.stringify({ imageDetails: [{ imagePushedAt: v }], __type: v })),
    fc.json().map((j) => j.slice(0, Math.floor(j.length / 2))),
  );

  test.prop([fc.integer({ min: 100, max: 599 }), headerArb, bodyArb], { numRuns: 1000 })(
    'returns an object or throws an EcrError, nothing else',
    (status, headers, body) => {
      let out: unknown;
      try {
        out = parseResponse(context, status, headers, body);
      } catch (err) {
        expect(isEcrError(err)).toBe(true);
        expect((err as EcrError).statusCode).toBe(status);
        return;
      }
      expect(status >= 200 && status < 300).toBe(true);
      expect(typeof out === 'object' && out !== null && !Array.isArray(out)).toBe(true);
    },
  );
});
