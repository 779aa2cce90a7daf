import type { JSONValue } from '@jmespath-community/jmespath';
import { describe, expect, it } from 'vitest';
import { formatText } from './textFormat.js';

// Expectations worked out from the AWS CLI's awscli/text.py, which this module follows.
describe('formatText (the AWS CLI --output text layout)', () => {
  it('a list of objects: one line per object under the upper-cased key, columns from the sorted union of scalar keys', () => {
    const doc: JSONValue = {
      repositories: [
        { repositoryName: 'a', createdAt: '2025-01-01T00:00:00.000Z', imageScanningConfiguration: { scanOnPush: true } },
        { repositoryName: 'b', registryId: '123' },
      ],
    };
    expect(formatText(doc)).toBe('REPOSITORIES\t2025-01-01T00:00:00.000Z\t\ta\nIMAGESCANNINGCONFIGURATION\tTrue\nREPOSITORIES\t\t123\tb\n');
  });

  it('scalars: a list under a key prints one line per value; a bare list prints on one line', () => {
    expect(formatText({ imageTags: ['v1', 'latest'] })).toBe('IMAGETAGS\tv1\nIMAGETAGS\tlatest\n');
    expect(formatText(['web-app', 'worker'])).toBe('web-app\tworker\n');
    expect(formatText('sha256:abc')).toBe('sha256:abc\n');
  });

  it('booleans and null as Python prints them; empty lists print nothing', () => {
    expect(formatText({ passed: false, reason: null, ok: true })).toBe('True\tFalse\tNone\n');
    expect(formatText([])).toBe('');
    expect(formatText({ imageIds: [], failures: [] })).toBe('');
  });

  it('lists of lists print each inner list on its own line', () => {
    expect(
      formatText([
        ['ecrkit repos', 0],
        ['ecrkit images web-app', 1],
      ]),
    ).toBe('ecrkit repos\t0\necrkit images web-app\t1\n');
  });

  it('an object nested under a scalar key of a list prints as JSON rather than [object Object]', () => {
    expect(formatText([{ a: 1 }, { a: { b: 2 } }])).toBe('1\n{"b":2}\n');
  });
});
