import { Sha256 } from '@aws-crypto/sha256-js';
import { fc, test } from '@fast-check/vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { suiteCases, suiteCredentials, suiteDate, suiteRegion, suiteService } from '../../test/sigv4Suite.fixture.js';
import { loadHashing, loadJsHashing, type Hashing } from './hashing.js';
import { canonicalPath, SigV4Signer } from './SigV4Signer.js';

const hashings: [string, () => Promise<Hashing>][] = [
  ['node:crypto', loadHashing],
  ['@aws-crypto/sha256-js', loadJsHashing],
];

describe.each(hashings)('SigV4Signer over %s', (_name, load) => {
  describe('AWS Signature Version 4 test suite', () => {
    for (const c of suiteCases) {
      it(c.name, async () => {
        const signer = new SigV4Signer(await load());
        const signed = signer.sign(
          { method: c.method, path: c.path, headers: c.headers, body: c.body ?? '' },
          suiteCredentials,
          suiteRegion,
          suiteService,
          suiteDate,
        );
        expect(signed.authorization).toBe(c.authorization);
        expect(signed['x-amz-date']).toBe('20150830T123600Z');
      });
    }
  });

  const printable = fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(v + 32) });
  const scenario = fc.record({
    accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{12,20}$/),
    secretAccessKey: fc.string({ minLength: 1, maxLength: 60 }),
    sessionToken: fc.option(fc.string({ unit: printable, minLength: 1, maxLength: 400 }), { nil: undefined }),
    region: fc.stringMatching(/^[a-z]{2}(-gov|-iso)?-[a-z]{4,9}-[1-9]$/),
    service: fc.constantFrom('ecr', 'ecr-public'),
    date: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    target: fc
      .tuple(fc.constantFrom('AmazonEC2ContainerRegistry_V20150921', 'SpencerFrontendService'), fc.stringMatching(/^[A-Za-z]{1,40}$/))
      .map(([p, o]) => `${p}.${o}`),
    body: fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.uint8Array({ maxLength: 300 })),
    host: fc.oneof(
      fc.stringMatching(/^api\.ecr\.[a-z0-9-]{4,20}\.amazonaws\.com(\.cn)?$/),
      fc.integer({ min: 1, max: 65535 }).map((p) => `127.0.0.1:${p}`),
    ),
    path: fc.oneof(
      fc.constant('/'),
      fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
    ),
  });

  test.prop([scenario], { numRuns: 1000 })('signs byte-identically to @smithy/signature-v4', async (s) => {
    const signer = new SigV4Signer(await load());
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', host: s.host, 'x-amz-target': s.target };
    const credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    const oracle = new SignatureV4({ credentials, region: s.region, service: s.service, sha256: Sha256, applyChecksum: false });
    const expected = await oracle.sign(
      { method: 'POST', protocol: 'https:', hostname: s.host, path: s.path, query: {}, headers: { ...headers }, body: s.body },
      { signingDate: s.date },
    );
    if (s.sessionToken !== undefined) headers['x-amz-security-token'] = s.sessionToken;
    const signed = signer.sign({ method: 'POST', path: s.path, headers, body: s.body }, credentials, s.region, s.service, s.date.getTime());
    expect(signed.authorization).toBe(expected.headers.authorization);
    expect(signed['x-amz-date']).toBe(expected.headers['x-amz-date']);
  });
});

describe('SigV4Signer', () => {
  it('reuses the derived signing key but not across secrets, dates or regions', async () => {
    const hashing = await loadHashing();
    let derivations = 0;
    const counting: Hashing = {
      ...hashing,
      hmac: (k, d) => {
        derivations++;
        return hashing.hmac(k, d);
      },
    };
    const signer = new SigV4Signer(counting);
    const request = { method: 'POST', path: '/', headers: { host: 'h' }, body: '{}' };
    const creds = { accessKeyId: 'AKID', secretAccessKey: 'one' };
    const day = Date.UTC(2026, 0, 1, 10);
    signer.sign(request, creds, 'us-east-1', 'ecr', day);
    signer.sign(request, creds, 'us-east-1', 'ecr', day + 3600_000);
    expect(derivations).toBe(4);
    signer.sign(request, { ...creds, secretAccessKey: 'two' }, 'us-east-1', 'ecr', day);
    signer.sign(request, creds, 'eu-west-1', 'ecr', day);
    signer.sign(request, creds, 'us-east-1', 'ecr', day + 24 * 3600_000);
    expect(derivations).toBe(16);
  });

  it('refuses upper-case or reserved header names rather than sign a different request', async () => {
    const signer = new SigV4Signer(await loadHashing());
    const creds = { accessKeyId: 'AKID', secretAccessKey: 's' };
    expect(() => signer.sign({ method: 'POST', path: '/', headers: { Host: 'h' }, body: '' }, creds, 'r', 's', 0)).toThrow(TypeError);
    expect(() => signer.sign({ method: 'POST', path: '/', headers: { 'x-amz-date': 'x' }, body: '' }, creds, 'r', 's', 0)).toThrow(TypeError);
  });

  it('normalises and escapes paths as SigV4 does for non-S3 services', () => {
    expect(canonicalPath('/')).toBe('/');
    expect(canonicalPath('/a/./b/../c/')).toBe('/a/c/');
    expect(canonicalPath('//a//b')).toBe('/a/b');
    expect(canonicalPath("/it's (here)*")).toBe('/it%27s%20%28here%29%2A');
  });
});
