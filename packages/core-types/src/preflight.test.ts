import { describe, expect, it } from 'vitest';
import { isEcrError } from './EcrError.js';
import { preflight } from './preflight.js';

const kindOf = (fn: () => unknown) => {
  try {
    fn();
    return 'sent';
  } catch (err) {
    return isEcrError(err) ? err.kind : 'raw';
  }
};

describe('preflight', () => {
  const put = { api: 'ecr', operation: 'PutImage', input: { repositoryName: 'r', imageManifest: '{}' }, region: 'eu-west-1' } as const;
  const read = { api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'r' }, region: 'eu-west-1' } as const;

  it('returns the operation table row for a sendable request', () => {
    expect(preflight(read, { readOnly: true, destroyed: false }).target).toBe('AmazonEC2ContainerRegistry_V20150921.DescribeImages');
  });

  it('refuses writes through a read-only config, unknown operations, a destroyed transport and aborted signals', () => {
    expect(kindOf(() => preflight(put, { readOnly: true, destroyed: false }))).toBe('ReadOnly');
    expect(kindOf(() => preflight(put, { readOnly: false, destroyed: false }))).toBe('sent');
    expect(kindOf(() => preflight({ ...read, operation: 'Nope' as 'DescribeImages' }, { readOnly: false, destroyed: false }))).toBe('UnknownOperation');
    expect(kindOf(() => preflight(read, { readOnly: false, destroyed: true }))).toBe('Network');
    expect(kindOf(() => preflight({ ...read, signal: AbortSignal.abort() }, { readOnly: false, destroyed: false }))).toBe('Aborted');
  });
});
