import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseAuthorization, verifySigV4, type SigV4Request } from './verifySigV4.js';
import { credentialFor, failure, signedAt } from '../../test/support/sigv4Fixtures.js';

describe('verifySigV4', () => {
  test('AWS test suite vector get-vanilla verifies', () => {
    // aws-sig-v4-test-suite/get-vanilla: GET / on example.amazonaws.com, service "service".
    const request: SigV4Request = {
      method: 'GET',
      url: '/',
      rawHeaders: [
        'Host',
        'example.amazonaws.com',
        'X-Amz-Date',
        '20150830T123600Z',
        'Authorization',
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      ],
      body: new Uint8Array(0),
    };
    const identity = verifySigV4(request, {
      credentialFor: (akid) => (akid === 'AKIDEXAMPLE' ? { accessKeyId: akid, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } : undefined),
      now: Date.UTC(2015, 7, 30, 12, 36),
    });
    expect(identity).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service' });
  });

  test.prop([fc.string({ maxLength: 300 })], { numRuns: 1000 })('any Authorization header is either parsed or refused, never a crash', (text) => {
    const parsed = parseAuthorization(text);
    if (parsed) expect(text.startsWith('AWS4-HMAC-SHA256')).toBe(true);
    const request: SigV4Request = {
      method: 'POST',
      url: '/',
      rawHeaders: ['Host', 'h', 'Authorization', text, 'X-Amz-Date', '20260101T120000Z'],
      body: new Uint8Array(0),
    };
    expect(() => verifySigV4(request, { credentialFor, now: signedAt.getTime() })).toThrow();
  });

  test('malformed headers are IncompleteSignatureException', () => {
    const base = { method: 'POST', url: '/', body: new Uint8Array(0) };
    expect(failure({ ...base, rawHeaders: ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDALICE'] }).awsCode).toBe('IncompleteSignatureException');
    expect(
      failure({
        ...base,
        rawHeaders: ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDALICE/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00'],
      }).message,
    ).toMatch(/X-Amz-Date/);
    expect(failure({ ...base, rawHeaders: ['Authorization', 'Bearer abc'] }).awsCode).toBe('IncompleteSignatureException');
  });
});

describe('credential scope regions', () => {
  test.each(['..', 'x', 'a'.repeat(200), 'us-east-1 ', 'US-EAST-1', 'public'])(
    '%j is refused as InvalidSignatureException before the key is looked up',
    (region) => {
      const request: SigV4Request = {
        method: 'POST',
        url: '/',
        rawHeaders: [
          'Host',
          'h',
          'X-Amz-Date',
          '20260101T120000Z',
          'Authorization',
          `AWS4-HMAC-SHA256 Credential=AKIDNOBODY/20260101/${region}/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        ],
        body: new Uint8Array(0),
      };
      const refused = failure(request);
      expect(refused.awsCode).toBe('InvalidSignatureException');
      expect(refused.message).toMatch(/^Credential should be scoped to a valid region, not '/);
    },
  );
});
