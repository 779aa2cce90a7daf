import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catchEcrError, expectOnlyEcrError } from '../test/arbitraries.js';
import type { ManifestList, PlatformManifest } from './manifest.js';
import { formatPlatform, parsePlatform, selectPlatform, type Platform } from './platform.js';

function index(...platforms: (Platform | undefined)[]): ManifestList {
  return {
    kind: 'index',
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: platforms.map(
      (platform, i): PlatformManifest => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${i.toString(16).padStart(64, '0')}`,
        size: 100,
        ...(platform ? { platform } : {}),
      }),
    ),
  };
}
const p = (os: string, architecture: string, variant?: string, osVersion?: string): Platform => ({
  os,
  architecture,
  ...(variant ? { variant } : {}),
  ...(osVersion ? { osVersion } : {}),
});

/** The index position `selectPlatform` picks, or -1. */
function pick(list: ManifestList, wanted: Platform | string): number {
  const m = selectPlatform(list, wanted);
  return m ? list.manifests.indexOf(m) : -1;
}

describe('parsePlatform / formatPlatform', () => {
  it.each([
    ['linux/amd64', p('linux', 'amd64')],
    ['linux/arm64/v8', p('linux', 'arm64', 'v8')],
    ['linux/aarch64', p('linux', 'arm64')],
    ['linux/x86_64', p('linux', 'amd64')],
    ['linux/armhf', p('linux', 'arm', 'v7')],
    ['linux/armel', p('linux', 'arm', 'v6')],
    ['linux/arm/7', p('linux', 'arm', 'v7')],
    ['Linux/AMD64', p('linux', 'amd64')],
    ['windows(10.0.17763.5458)/amd64', p('windows', 'amd64', undefined, '10.0.17763.5458')],
  ])('parses %s', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });

  it.each(['', 'linux', 'linux/', '/amd64', 'linux/amd64/v8/x', 'linux/am d64', 'linux(/amd64'])('refuses %j', (text) => {
    expect(catchEcrError(() => parsePlatform(text)).field).toBe('platform');
  });

  const component = fc
    .stringMatching(/^[a-z0-9][a-z0-9_-]{0,9}$/)
    .filter((s) => !['aarch64', 'armhf', 'armel', 'i386', 'macos'].includes(s) && !s.startsWith('x86'));
  test.prop([component, component, fc.option(fc.stringMatching(/^v[a-z][a-z0-9]{0,3}$/), { nil: undefined })], { numRuns: 1000 })(
    'format and parse round-trip',
    (os, architecture, variant) => {
      const platform = p(os, architecture, variant);
      expect(parsePlatform(formatPlatform(platform))).toEqual(platform);
    },
  );

  test.prop([fc.anything()], { numRuns: 1000 })('throws only EcrError', (value) => {
    expectOnlyEcrError(() => parsePlatform(value));
  });
});

describe('selectPlatform', () => {
  const multi = index(
    p('linux', 'amd64'),
    p('linux', 'arm', 'v6'),
    p('linux', 'arm', 'v7'),
    p('linux', 'arm64', 'v8'),
    p('linux', '386'),
    p('linux', 'ppc64le'),
    p('linux', 's390x'),
    undefined,
  );

  it.each<[string, ManifestList, Platform | string, number]>([
    ['exact amd64', multi, 'linux/amd64', 0],
    ['arm64 asked without variant finds v8', multi, 'linux/arm64', 3],
    ['arm64/v8 asked', multi, 'linux/arm64/v8', 3],
    ['aarch64 alias', multi, 'linux/aarch64', 3],
    ['arm asked without variant prefers v7', multi, 'linux/arm', 2],
    ['arm/v7 asked', multi, 'linux/arm/v7', 2],
    ['arm/v6 asked does not take v7', multi, 'linux/arm/v6', 1],
    ['arm/v5 asked finds nothing', multi, 'linux/arm/v5', -1],
    ['armhf alias', multi, 'linux/armhf', 2],
    ['ppc64le', multi, 'linux/ppc64le', 5],
    ['another os finds nothing', multi, 'windows/amd64', -1],
    ['riscv64 finds nothing', multi, 'linux/riscv64', -1],
    ['arm/v7 falls back to v6', index(p('linux', 'arm', 'v5'), p('linux', 'arm', 'v6')), 'linux/arm/v7', 1],
    ['arm/v7 falls back to v5', index(p('linux', 'arm', 'v5')), 'linux/arm', 0],
    ['arm entry without variant counts as v7', index(p('linux', 'arm')), 'linux/arm/v7', 0],
    ['arm64 entry without variant matches arm64/v8', index(p('linux', 'arm64')), 'linux/arm64/v8', 0],
    ['arm64 falls back to 32-bit arm/v7', index(p('linux', 'amd64'), p('linux', 'arm', 'v7')), 'linux/arm64', 1],
    ['arm64 prefers arm64 over arm', index(p('linux', 'arm', 'v7'), p('linux', 'arm64')), 'linux/arm64', 1],
    ['amd64/v3 takes v3 first', index(p('linux', 'amd64'), p('linux', 'amd64', 'v3')), 'linux/amd64/v3', 1],
    ['amd64/v3 falls back to v2 then v1', index(p('linux', 'amd64'), p('linux', 'amd64', 'v2')), 'linux/amd64/v3', 1],
    ['amd64 does not take v2', index(p('linux', 'amd64', 'v2')), 'linux/amd64', -1],
    ['amd64 falls back to 386', index(p('linux', '386')), 'linux/amd64', 0],
    ['x86_64 entries are amd64', index(p('linux', 'x86_64')), 'linux/amd64', 0],
    ['first of equals wins', index(p('linux', 'amd64'), p('linux', 'amd64')), 'linux/amd64', 0],
    [
      'windows prefers the same build',
      index(p('windows', 'amd64', undefined, '10.0.17763.5458'), p('windows', 'amd64', undefined, '10.0.20348.2227')),
      p('windows', 'amd64', undefined, '10.0.20348.1000'),
      1,
    ],
    ['windows never takes another build', index(p('windows', 'amd64', undefined, '10.0.17763.5458')), p('windows', 'amd64', undefined, '10.0.20348.1'), -1],
    [
      'windows takes an entry without os.version after same-build ones',
      index(p('windows', 'amd64'), p('windows', 'amd64', undefined, '10.0.20348.2227')),
      'windows(10.0.20348.9)/amd64',
      1,
    ],
    ['windows without osVersion takes the first', index(p('windows', 'amd64', undefined, '10.0.17763.5458')), 'windows/amd64', 0],
  ])('%s', (_name, list, wanted, expected) => {
    expect(pick(list, wanted)).toBe(expected);
  });

  it('refuses an unparseable platform', () => {
    expect(catchEcrError(() => selectPlatform(multi, 'linux')).kind).toBe('InvalidParameter');
    expect(catchEcrError(() => selectPlatform(multi, { os: 'linux' } as Platform)).field).toBe('platform');
  });

  test.prop([fc.anything()], { numRuns: 1000 })('throws only EcrError for any platform value', (value) => {
    expectOnlyEcrError(() => selectPlatform(multi, value as Platform));
  });
});
