import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  catchEcrError,
  expectOnlyEcrError,
  validDigest,
  validImageTag,
  validPublicRepositoryName,
  validRegion,
  validRegistryId,
  validRepositoryName,
} from '../test/arbitraries.js';
import { formatImageReference, isPrivateRegistryHost, parseImageReference, type ImageReference } from './imageReference.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference', () => {
  it.each<[string, ImageReference]>([
    [
      `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2@${digest}`,
      {
        registryId: '123456789012',
        region: 'eu-west-1',
        repositoryName: 'team/app',
        tag: '1.2',
        digest,
        public: false,
        host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      },
    ],
    [
      '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/app',
      { registryId: '123456789012', region: 'us-east-1', repositoryName: 'app', public: false, host: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com' },
    ],
    [
      '123456789012.dkr-ecr.ap-southeast-2.on.aws/app:latest',
      {
        registryId: '123456789012',
        region: 'ap-southeast-2',
        repositoryName: 'app',
        tag: 'latest',
        public: false,
        host: '123456789012.dkr-ecr.ap-southeast-2.on.aws',
      },
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:v1',
      {
        registryId: '123456789012',
        region: 'cn-north-1',
        repositoryName: 'app',
        tag: 'v1',
        public: false,
        host: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      },
    ],
    [
      '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/gov/app',
      {
        registryId: '123456789012',
        region: 'us-gov-west-1',
        repositoryName: 'gov/app',
        public: false,
        host: '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com',
      },
    ],
    [
      '123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com/app',
      {
        registryId: '123456789012',
        region: 'us-gov-east-1',
        repositoryName: 'app',
        public: false,
        host: '123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com',
      },
    ],
    [
      'public.ecr.aws/docker/library/alpine:3.19',
      { repositoryName: 'library/alpine', tag: '3.19', public: true, publicAlias: 'docker', host: 'public.ecr.aws' },
    ],
    [`public.ecr.aws/nginx/nginx@${digest}`, { repositoryName: 'nginx', digest, public: true, publicAlias: 'nginx', host: 'public.ecr.aws' }],
    [
      '123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM/app',
      { registryId: '123456789012', region: 'us-east-1', repositoryName: 'app', public: false, host: '123456789012.dkr.ecr.us-east-1.amazonaws.com' },
    ],
  ])('parses %s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['docker.io/library/alpine:3', /not an Amazon ECR registry/],
    ['https://123456789012.dkr.ecr.us-east-1.amazonaws.com/app', /scheme/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', /no repository/],
    ['12345.dkr.ecr.us-east-1.amazonaws.com/app', /12 digits/],
    ['123456789012.dkr.ecr.moon-1.amazonaws.com/app', /region/],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com/app', /must end in 'amazonaws.com.cn'/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/app', /must end in 'amazonaws.com'/],
    ['123456789012.dkr-ecr.us-east-1.amazonaws.com/app', /must end in 'on.aws'/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/App', /repository name/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app:-x', /invalid tag/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app:', /invalid tag/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc', /invalid digest/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app name', /whitespace/],
    ['public.ecr.aws/alpine', /no alias/],
    ['public.ecr.aws/Docker/alpine', /alias/],
    ['public.ecr.aws/docker/lib__x', /public repository name/],
  ])('refuses %j, saying what is wrong', (ref, message) => {
    const err = catchEcrError(() => parseImageReference(ref));
    expect(err.kind).toBe('InvalidParameter');
    expect(err.field).toBe('imageReference');
    expect(err.message).toMatch(message);
  });

  test.prop([fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything())], { numRuns: 1000 })('throws only EcrError', (value) => {
    expectOnlyEcrError(() => parseImageReference(value));
  });
});

/** DNS suffixes of the ISO partitions, written out here independently of the code under test. */
function isoSuffix(region: string): string | undefined {
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-')) return 'csp.hci.ic.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  if (region.startsWith('eu-isoe-')) return 'cloud.adc-e.uk';
  return undefined;
}

describe('isPrivateRegistryHost', () => {
  it('knows ECR private hosts by their shape and nothing else', () => {
    for (const host of [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      '123456789012.dkr-ecr.eu-west-1.on.aws',
      '123456789012.DKR.ECR.cn-north-1.amazonaws.com.cn',
    ]) {
      expect(isPrivateRegistryHost(host), host).toBe(true);
    }
    for (const host of ['public.ecr.aws', 'docker.io', 'ghcr.io', 'localhost:5000', 'dkr.ecr.us-east-1.amazonaws.com', '']) {
      expect(isPrivateRegistryHost(host), host).toBe(false);
    }
  });
});

describe('formatImageReference', () => {
  const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const privateKind = fc.constantFrom('dkr.ecr', 'dkr.ecr-fips', 'dkr-ecr', 'dkr-ecr-fips');
  const privateRef = fc
    .record({
      registryId: validRegistryId,
      region: validRegion,
      repositoryName: validRepositoryName,
      tag: optional(validImageTag),
      digest: optional(validDigest),
      kind: privateKind,
      withHost: fc.boolean(),
    })
    // The ISO partitions have their own DNS suffixes and no dual-stack registry hosts.
    .filter(({ kind, region }) => !(kind.startsWith('dkr-ecr') && isoSuffix(region) !== undefined))
    .map(({ kind, withHost, ...r }): ImageReference => {
      const cn = r.region.startsWith('cn-');
      const suffix = kind.startsWith('dkr-ecr')
        ? cn
          ? 'on.amazonwebservices.com.cn'
          : 'on.aws'
        : (isoSuffix(r.region) ?? (cn ? 'amazonaws.com.cn' : 'amazonaws.com'));
      const host = `${r.registryId}.${kind}.${r.region}.${suffix}`;
      const parts: ImageReference = { ...r, public: false, ...(withHost || kind !== 'dkr.ecr' ? { host } : {}) };
      for (const k of ['tag', 'digest'] as const) if (parts[k] === undefined) delete parts[k];
      return parts;
    });
  const publicRef = fc
    .record({
      publicAlias: fc.stringMatching(/^[a-z0-9]{2,12}$/),
      repositoryName: validPublicRepositoryName,
      tag: optional(validImageTag),
      digest: optional(validDigest),
    })
    .map((r): ImageReference => {
      const parts: ImageReference = { ...r, public: true };
      for (const k of ['tag', 'digest'] as const) if (parts[k] === undefined) delete parts[k];
      return parts;
    });

  test.prop([fc.oneof(privateRef, publicRef)], { numRuns: 1000 })('parse(format(parts)) gives the parts back, host filled in', (parts) => {
    const text = formatImageReference(parts);
    const parsed = parseImageReference(text);
    const { host, ...rest } = parsed;
    const { host: givenHost, ...given } = parts;
    expect(rest).toEqual(given);
    if (givenHost) expect(host).toBe(givenHost);
    expect(formatImageReference(parsed)).toBe(text);
  });

  it('refuses parts that disagree or are missing', () => {
    expect(catchEcrError(() => formatImageReference({ repositoryName: 'app', public: false })).message).toMatch(/registryId and region/);
    expect(catchEcrError(() => formatImageReference({ repositoryName: 'app', public: true })).message).toMatch(/publicAlias/);
    expect(
      catchEcrError(() =>
        formatImageReference({
          registryId: '111111111111',
          region: 'us-east-1',
          repositoryName: 'app',
          public: false,
          host: '222222222222.dkr.ecr.us-east-1.amazonaws.com',
        }),
      ).message,
    ).toMatch(/registryId disagrees/);
  });
});
