import type { TransportRequest } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { copyOfRequest, withSignal } from './abort.js';

const plain = (): TransportRequest<'DescribeImages'> => ({ api: 'ecr', operation: 'DescribeImages', region: 'us-east-1', input: { repositoryName: 'web' } });

describe('request copies', () => {
  it('copyOfRequest copies exactly what a spread copies, extras and a signal included', () => {
    const signal = new AbortController().signal;
    const cases: TransportRequest<'DescribeImages'>[] = [
      plain(),
      { ...plain(), signal },
      { ...plain(), extra: 1 } as TransportRequest<'DescribeImages'>,
      { ...plain(), signal: undefined },
    ];
    for (const request of cases) {
      const copy = copyOfRequest(request);
      expect(copy).not.toBe(request);
      expect(Object.keys(copy).sort()).toEqual(Object.keys(request).sort());
      expect(copy).toEqual({ ...request });
    }
  });

  it('withSignal sets the signal and keeps every other field', () => {
    const signal = new AbortController().signal;
    const other = new AbortController().signal;
    expect(withSignal(plain(), signal)).toEqual({ ...plain(), signal });
    expect(withSignal({ ...plain(), signal: other }, signal).signal).toBe(signal);
    const extended = { ...plain(), extra: 'kept' } as TransportRequest<'DescribeImages'>;
    expect(withSignal(extended, signal)).toEqual({ ...extended, signal });
  });
});
