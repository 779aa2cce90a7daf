import { describe, expect, it } from 'vitest';
import { errorFromWire, parseRetryAfter, sanitizeErrorCode, wireErrorKinds } from './errorFromWire.js';
import { EcrError, isEcrError } from './EcrError.js';
import { ecrOperations, ecrPublicOperations } from './wire/operationTable.generated.js';

describe('errorFromWire', () => {
  it.each(Object.entries(wireErrorKinds))('maps %s with and without namespace', (code, kind) => {
    for (const type of [code, `com.amazonaws.ecr#${code}`, `${code}:http://internal.amazon.com/coral/com.amazon.coral.service/`]) {
      const err = errorFromWire({ type, message: 'boom', statusCode: 400, requestId: 'r-1', operation: 'DescribeImages' });
      expect(err.kind).toBe(kind);
      expect(err.awsCode).toBe(code);
      expect(err.requestId).toBe('r-1');
      expect(err.operation).toBe('DescribeImages');
      expect(isEcrError(err)).toBe(true);
    }
  });

  it('knows every exception either model can return', () => {
    const modelled = new Set([...Object.values(ecrOperations), ...Object.values(ecrPublicOperations)].flatMap((op) => op.errors));
    const unmapped = [...modelled].filter((code) => !Object.hasOwn(wireErrorKinds, code));
    expect(unmapped).toEqual([]);
  });

  it('falls back on the status code for unknown codes', () => {
    expect(errorFromWire({ type: 'Weird', statusCode: 429 }).kind).toBe('Throttling');
    expect(errorFromWire({ type: 'Weird', statusCode: 503 }).kind).toBe('ServiceUnavailable');
    expect(errorFromWire({ type: 'Weird', statusCode: 503 }).retryable).toBe(true);
    expect(errorFromWire({ statusCode: 403 }).kind).toBe('AccessDenied');
    expect(errorFromWire({ statusCode: 418 }).kind).toBe('Unknown');
    expect(errorFromWire({ statusCode: 418 }).category).toBe('terminal');
  });

  it('classifies retryable, terminal and credential errors', () => {
    expect(errorFromWire({ type: 'ThrottlingException', statusCode: 400 }).category).toBe('retryable');
    expect(errorFromWire({ type: 'ServerException', statusCode: 500 }).category).toBe('retryable');
    expect(errorFromWire({ type: 'RepositoryNotFoundException', statusCode: 400 }).category).toBe('terminal');
    expect(errorFromWire({ type: 'ExpiredTokenException', statusCode: 400 }).category).toBe('credential');
    expect(errorFromWire({ type: 'KmsException', statusCode: 400 }).category).toBe('terminal');
    expect(errorFromWire({ type: 'KmsException', statusCode: 503 }).category).toBe('retryable');
  });

  it('reads Retry-After as delta-seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('strips namespaces and suffixes', () => {
    expect(sanitizeErrorCode('com.amazonaws.ecr#ImageNotFoundException')).toBe('ImageNotFoundException');
    expect(sanitizeErrorCode('aws.protocoltests#X:http://internal')).toBe('X');
  });

  it('brands across copies', () => {
    const foreign = Object.assign(Object.create(Error.prototype), { [Symbol.for('ecrkit.EcrError')]: true });
    expect(foreign instanceof EcrError).toBe(true);
    expect(new Error('x') instanceof EcrError).toBe(false);
  });
});
