// Shared fast-check arbitraries and assertions for core-types tests.
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { isEcrError } from '../src/EcrError.js';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const alnumRun = (max = 8) => fc.string({ unit: alnum, minLength: 1, maxLength: max });

/** One repository-name part: alphanumeric runs joined by ECR's separators. */
const namePart = (separators: fc.Arbitrary<string>) =>
  fc.tuple(alnumRun(), fc.array(fc.tuple(separators, alnumRun()), { maxLength: 3 })).map(([head, rest]) => head + rest.map(([s, r]) => s + r).join(''));

/** Valid private ECR repository names (2–256, namespaces with `/`). */
export const validRepositoryName = fc
  .array(namePart(fc.constantFrom('.', '_', '__', '-', '--', '---')), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  .filter((n) => n.length >= 2 && n.length <= 256);

/** Valid ECR Public repository names (2–205, single separators). */
export const validPublicRepositoryName = fc
  .array(namePart(fc.constantFrom('.', '_', '-')), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  .filter((n) => n.length >= 2 && n.length <= 205);

const tagFirst = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'.split(''));
const tagRest = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-'.split(''));

/** Valid image tags (1–300). */
export const validImageTag = fc.tuple(tagFirst, fc.string({ unit: tagRest, maxLength: 299 })).map(([a, b]) => a + b);

const hexChar = fc.constantFrom(...'0123456789abcdef'.split(''));

/** Valid sha256 digests. */
export const validSha256Digest = fc.string({ unit: hexChar, minLength: 64, maxLength: 64 }).map((h) => `sha256:${h}`);

/** Valid sha256 or sha512 digests. */
export const validDigest = fc.oneof(
  validSha256Digest,
  fc.string({ unit: hexChar, minLength: 128, maxLength: 128 }).map((h) => `sha512:${h}`),
);

/** Valid 12-digit registry ids. */
export const validRegistryId = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 12, maxLength: 12 });

/** Real AWS region names across partitions. */
export const realRegions = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
];

/** Real region names. */
export const validRegion = fc.constantFrom(...realRegions);

/** Every kind of JavaScript value, including odd ones. */
export const anyValue = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(undefined, null, NaN, Infinity, -0, 1n, Symbol('x'), () => 1, new Date(0), new Uint8Array(3)),
);

/** Run `fn`; it may return or throw, but anything thrown must be an `EcrError`. */
export function expectOnlyEcrError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(isEcrError(err), `threw a non-EcrError: ${String(err)}`).toBe(true);
  }
}

/** Assert `fn` throws an `EcrError` of `kind` with `field`, and return it. */
export function catchEcrError(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isEcrError(err)) return err;
    throw err;
  }
  throw new Error('expected an EcrError, nothing was thrown');
}
