import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  anyValue,
  catchEcrError,
  expectOnlyEcrError,
  realRegions,
  validDigest,
  validImageTag,
  validPublicRepositoryName,
  validRegion,
  validRegistryId,
  validRepositoryName,
} from '../test/arbitraries.js';
import {
  isValidDigest,
  isValidImageIdentifier,
  isValidImageTag,
  isValidLifecyclePolicyText,
  isValidMaxResults,
  isValidPublicRepositoryName,
  isValidRegion,
  isValidRegistryId,
  isValidRepositoryArn,
  isValidRepositoryName,
  maxResultsLimits,
  parseRepositoryArn,
  validateDigest,
  validateImageIdentifier,
  validateImageTag,
  validateLifecyclePolicyText,
  validateMaxResults,
  validatePublicRepositoryName,
  validateRegion,
  validateRegistryId,
  validateRepositoryArn,
  validateRepositoryName,
} from './validation.js';

const runs = { numRuns: 1000 };

/** Every validator, with its default field, for the "only EcrError" properties. */
const validators: [string, (v: unknown) => void, string][] = [
  ['repository name', (v) => validateRepositoryName(v), 'repositoryName'],
  ['public repository name', (v) => validatePublicRepositoryName(v), 'repositoryName'],
  ['image tag', (v) => validateImageTag(v), 'imageTag'],
  ['digest', (v) => validateDigest(v), 'imageDigest'],
  ['registry id', (v) => validateRegistryId(v), 'registryId'],
  ['region', (v) => validateRegion(v), 'region'],
  ['repository ARN', (v) => validateRepositoryArn(v), 'resourceArn'],
  ['maxResults', (v) => validateMaxResults(v), 'maxResults'],
  ['image identifier', (v) => validateImageIdentifier(v), 'imageId'],
  ['lifecycle policy text', (v) => validateLifecyclePolicyText(v), 'lifecyclePolicyText'],
];

describe.each(validators)('validate %s on any input', (_name, validate, field) => {
  test.prop([anyValue], runs)('throws nothing but an InvalidParameter EcrError with the field', (value) => {
    expectOnlyEcrError(() => validate(value));
    try {
      validate(value);
    } catch (err) {
      const e = catchEcrError(() => {
        throw err;
      });
      expect(e.kind).toBe('InvalidParameter');
      expect(e.field?.startsWith(field)).toBe(true);
      // Never echo a long value: the message stays short whatever the input.
      expect(e.message.length).toBeLessThan(400);
    }
  });

  it('does not echo a long value', () => {
    const long = `A${'x'.repeat(40_000)}`;
    const err = catchEcrError(() => validate(long));
    expect(err.message).not.toContain('xxxxxxxxxx');
  });
});

describe('repository names', () => {
  test.prop([validRepositoryName], runs)('generated valid names pass', (name) => {
    expect(isValidRepositoryName(name)).toBe(true);
    expect(() => validateRepositoryName(name)).not.toThrow();
  });

  const badChar = fc.constantFrom('A', 'Z', ' ', '@', ':', '#', '+', '~', 'é', '\u0000', '\n');
  test.prop([validRepositoryName, badChar, fc.nat()], runs)('inserting a forbidden character fails', (name, c, at) => {
    const i = at % (name.length + 1);
    expect(isValidRepositoryName(name.slice(0, i) + c + name.slice(i))).toBe(false);
  });

  test.prop([validRepositoryName, fc.constantFrom('.', '_', '-', '/', '___', '/')], runs)('a leading or trailing separator fails', (name, sep) => {
    expect(isValidRepositoryName(sep + name)).toBe(false);
    expect(isValidRepositoryName(name + sep)).toBe(false);
  });

  test.prop([validRepositoryName], runs)('an empty namespace part (//) fails', (name) => {
    expect(isValidRepositoryName(`${name}//x1`)).toBe(false);
  });

  it('enforces the 2–256 length', () => {
    expect(isValidRepositoryName('a')).toBe(false);
    expect(isValidRepositoryName('ab')).toBe(true);
    expect(isValidRepositoryName('a'.repeat(256))).toBe(true);
    expect(isValidRepositoryName('a'.repeat(257))).toBe(false);
    expect(catchEcrError(() => validateRepositoryName('a'.repeat(257))).message).toMatch(/2–256/);
  });

  it('accepts the model pattern examples and names the rule when refusing', () => {
    for (const ok of ['team/app', 'a__b', 'a---b', 'ubuntu', 'x.y_z-w/q1']) expect(isValidRepositoryName(ok)).toBe(true);
    for (const bad of ['a___b', 'a._b', 'Team/app', 'a/', 'app:1']) expect(isValidRepositoryName(bad)).toBe(false);
    const err = catchEcrError(() => validateRepositoryName('Bad/Name', 'name'));
    expect(err.kind).toBe('InvalidParameter');
    expect(err.field).toBe('name');
    expect(err.message).toContain('"Bad/Name"');
    expect(err.message).toMatch(/repository name rule/);
  });
});

describe('public repository names', () => {
  test.prop([validPublicRepositoryName], runs)('generated valid names pass', (name) => {
    expect(isValidPublicRepositoryName(name)).toBe(true);
    expect(() => validatePublicRepositoryName(name)).not.toThrow();
  });

  test.prop([validPublicRepositoryName, fc.constantFrom('__', '--', '..', 'A', '@')], runs)('double separators and forbidden characters fail', (name, bad) => {
    expect(isValidPublicRepositoryName(`${name}${bad}x`)).toBe(false);
  });

  it('limits length to 205', () => {
    expect(isValidPublicRepositoryName('a'.repeat(205))).toBe(true);
    expect(isValidPublicRepositoryName('a'.repeat(206))).toBe(false);
    expect(isValidRepositoryName('a'.repeat(206))).toBe(true);
  });
});

describe('image tags', () => {
  test.prop([validImageTag], runs)('generated valid tags pass', (tag) => {
    expect(isValidImageTag(tag)).toBe(true);
    expect(() => validateImageTag(tag)).not.toThrow();
  });

  test.prop([validImageTag, fc.constantFrom(' ', '/', ':', '@', '+', '#', 'é', '\t', '*')], runs)('a forbidden character anywhere fails', (tag, c) => {
    expect(isValidImageTag(`${tag}${c}`)).toBe(false);
    expect(isValidImageTag(`${c}${tag}`)).toBe(false);
  });

  test.prop([validImageTag, fc.constantFrom('.', '-')], runs)('a leading dot or dash fails', (tag, c) => {
    expect(isValidImageTag(`${c}${tag}`.slice(0, 300))).toBe(false);
  });

  it('enforces 1–300', () => {
    expect(isValidImageTag('')).toBe(false);
    expect(isValidImageTag('a'.repeat(300))).toBe(true);
    expect(isValidImageTag('a'.repeat(301))).toBe(false);
    expect(isValidImageTag('v1.2.3-rc.1_linux')).toBe(true);
  });
});

describe('digests', () => {
  test.prop([validDigest], runs)('generated valid digests pass', (d) => {
    expect(isValidDigest(d)).toBe(true);
    expect(() => validateDigest(d)).not.toThrow();
  });

  test.prop([validDigest, fc.nat()], runs)('an uppercase or non-hex character in the hex fails', (d, at) => {
    const colon = d.indexOf(':') + 1;
    const i = colon + (at % (d.length - colon));
    expect(isValidDigest(`${d.slice(0, i)}G${d.slice(i + 1)}`)).toBe(false);
    expect(isValidDigest(`${d.slice(0, i)}A${d.slice(i + 1)}`)).toBe(false);
  });

  test.prop([validDigest], runs)('one hex digit too many or too few fails', (d) => {
    expect(isValidDigest(`${d}0`)).toBe(false);
    expect(isValidDigest(d.slice(0, -1))).toBe(false);
  });

  it('knows only sha256 and sha512', () => {
    expect(isValidDigest(`md5:${'a'.repeat(32)}`)).toBe(false);
    expect(isValidDigest(`sha256:${'a'.repeat(128)}`)).toBe(false);
    expect(isValidDigest(`sha512:${'a'.repeat(64)}`)).toBe(false);
    expect(isValidDigest(`SHA256:${'a'.repeat(64)}`)).toBe(false);
  });
});

describe('registry ids', () => {
  test.prop([validRegistryId], runs)('12 digits pass', (id) => {
    expect(isValidRegistryId(id)).toBe(true);
    expect(() => validateRegistryId(id)).not.toThrow();
  });

  test.prop([validRegistryId, fc.constantFrom('0', 'a', ' ', '-')], runs)('one character more, or a non-digit, fails', (id, c) => {
    expect(isValidRegistryId(id + c)).toBe(false);
    expect(isValidRegistryId(c + id.slice(1)) === /[0-9]/.test(c)).toBe(true);
    expect(isValidRegistryId(id.slice(1))).toBe(false);
  });
});

describe('regions', () => {
  it.each(realRegions)('accepts %s', (region) => {
    expect(isValidRegion(region)).toBe(true);
    expect(() => validateRegion(region)).not.toThrow();
  });

  it.each(['', 'us', 'us-east', 'US-EAST-1', 'us_east_1', '---', '1', 'us-east-1-', '-us-east-1', 'us--east-1', 'a'.repeat(30), 'us-east-1 '])(
    'rejects %j',
    (region) => {
      expect(isValidRegion(region)).toBe(false);
      expect(catchEcrError(() => validateRegion(region)).field).toBe('region');
    },
  );

  test.prop([validRegion, fc.constantFrom('A', '_', ' ', '/', '.')], runs)('a forbidden character fails', (region, c) => {
    expect(isValidRegion(region.replace('-', c))).toBe(false);
  });
});

describe('repository ARNs', () => {
  const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
  const arn = fc
    .tuple(partition, validRegion, validRegistryId, validRepositoryName)
    .map(([p, r, id, name]) => ({ text: `arn:${p}:ecr:${r}:${id}:repository/${name}`, p, r, id, name }));

  test.prop([arn], runs)('generated ARNs pass and split into their parts', ({ text, p, r, id, name }) => {
    expect(isValidRepositoryArn(text)).toBe(true);
    expect(() => validateRepositoryArn(text)).not.toThrow();
    expect(parseRepositoryArn(text)).toEqual({ partition: p, region: r, registryId: id, repositoryName: name });
  });

  test.prop([arn, fc.constantFrom('aws-x', 'azure', '')], runs)('another partition fails', ({ text }, p) => {
    expect(isValidRepositoryArn(text.replace(/^arn:[^:]+:/, `arn:${p}:`))).toBe(false);
  });

  test.prop([arn], runs)('a wrong service, account or resource type fails', ({ text }) => {
    expect(isValidRepositoryArn(text.replace(':ecr:', ':s3:'))).toBe(false);
    expect(isValidRepositoryArn(text.replace(/:[0-9]([0-9]{11}):repository/, ':$1:repository'))).toBe(false);
    expect(isValidRepositoryArn(text.replace(':repository/', ':image/'))).toBe(false);
    expect(isValidRepositoryArn(`${text}/`)).toBe(false);
  });

  it('says which part is wrong', () => {
    expect(catchEcrError(() => validateRepositoryArn('arn:aws:ecr:us-east-1:12345:repository/app')).message).toMatch(/12 digits/);
    expect(catchEcrError(() => validateRepositoryArn('arn:aws:ecr:nowhere:123456789012:repository/app')).message).toMatch(/region/);
    expect(catchEcrError(() => validateRepositoryArn('arn:aws:ecr:us-east-1:123456789012:repository/App')).message).toMatch(/repository name/);
  });
});

describe('maxResults', () => {
  test.prop([fc.integer({ min: 1, max: 1000 })], runs)('integers 1–1000 pass by default', (n) => {
    expect(isValidMaxResults(n)).toBe(true);
    expect(() => validateMaxResults(n)).not.toThrow();
  });

  test.prop(
    [
      fc.oneof(
        fc.integer({ max: 0 }),
        fc.integer({ min: 1001 }),
        fc.double().filter((x) => !Number.isInteger(x)),
      ),
    ],
    runs,
  )('anything else fails', (n) => {
    expect(isValidMaxResults(n)).toBe(false);
    expect(catchEcrError(() => validateMaxResults(n)).message).toMatch(/1 to 1000/);
  });

  it('uses the given range and passes undefined', () => {
    expect(isValidMaxResults(100, maxResultsLimits.lifecyclePreview)).toBe(true);
    expect(isValidMaxResults(101, maxResultsLimits.lifecyclePreview)).toBe(false);
    expect(isValidMaxResults(51, maxResultsLimits.fifty)).toBe(false);
    expect(isValidMaxResults(undefined)).toBe(true);
    expect(catchEcrError(() => validateMaxResults(0, { min: 1, max: 50 }, 'pageSize')).field).toBe('pageSize');
  });
});

describe('image identifiers', () => {
  test.prop([fc.record({ imageTag: validImageTag, imageDigest: validDigest }, { requiredKeys: [] })], runs)(
    'a tag, a digest or both pass; neither fails',
    (id) => {
      const ok = id.imageTag !== undefined || id.imageDigest !== undefined;
      expect(isValidImageIdentifier(id)).toBe(ok);
    },
  );

  it('names the member at fault', () => {
    expect(catchEcrError(() => validateImageIdentifier({ imageTag: '-bad' })).field).toBe('imageId.imageTag');
    expect(catchEcrError(() => validateImageIdentifier({ imageDigest: 'sha256:abc' })).field).toBe('imageId.imageDigest');
    expect(catchEcrError(() => validateImageIdentifier({})).message).toMatch(/imageTag or an imageDigest/);
    expect(catchEcrError(() => validateImageIdentifier('latest')).field).toBe('imageId');
  });
});

describe('lifecycle policy text', () => {
  it('enforces 100–30720 characters', () => {
    expect(isValidLifecyclePolicyText('x'.repeat(99))).toBe(false);
    expect(isValidLifecyclePolicyText('x'.repeat(100))).toBe(true);
    expect(isValidLifecyclePolicyText('x'.repeat(30720))).toBe(true);
    expect(isValidLifecyclePolicyText('x'.repeat(30721))).toBe(false);
    expect(catchEcrError(() => validateLifecyclePolicyText('{}')).message).toMatch(/100–30720/);
  });
});
