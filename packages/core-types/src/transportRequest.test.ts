import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { readTransportRequest } from './transportRequest.js';

describe('readTransportRequest', () => {
  it('returns the request read once, and names the field at fault otherwise', () => {
    const signal = new AbortController().signal;
    expect(readTransportRequest({ api: 'ecr', operation: 'ListImages', region: 'us-east-1', input: { repositoryName: 'a' }, signal })).toEqual({
      api: 'ecr',
      operation: 'ListImages',
      region: 'us-east-1',
      input: { repositoryName: 'a' },
      signal,
    });
    expect(catchEcrError(() => readTransportRequest(null)).field).toBe('request');
    expect(catchEcrError(() => readTransportRequest({ api: 'ecr', operation: Object.create(null), region: 'us-east-1' })).field).toBe('operation');
    expect(catchEcrError(() => readTransportRequest({ api: Symbol('x'), operation: 'ListImages', region: 'us-east-1' })).kind).toBe('UnknownOperation');
    expect(catchEcrError(() => readTransportRequest({ api: 'ecr', operation: 'ListImages', region: 5 })).field).toBe('region');
    expect(catchEcrError(() => readTransportRequest({ api: 'ecr', operation: 'ListImages', region: 'us-east-1', signal: {} })).field).toBe('signal');
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new TypeError('no');
        },
      },
    );
    expect(catchEcrError(() => readTransportRequest(throwing)).field).toBe('request');
  });
});
