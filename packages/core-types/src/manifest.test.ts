import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catchEcrError, expectOnlyEcrError } from '../test/arbitraries.js';
import { MediaType, parseManifest } from './manifest.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const dockerManifest = {
  schemaVersion: 2,
  mediaType: MediaType.DockerManifest,
  config: { mediaType: MediaType.DockerConfig, size: 1469, digest: d('a') },
  layers: [{ mediaType: MediaType.DockerLayer, size: 3370706, digest: d('b') }],
};
const ociIndex = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    {
      mediaType: MediaType.OciManifest,
      digest: d('c'),
      size: 1000,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: MediaType.OciManifest,
      digest: d('d'),
      size: 1000,
      platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2227', 'os.features': ['win32k'] },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    },
  ],
  annotations: { 'org.opencontainers.image.ref.name': '1.0' },
};

describe('parseManifest', () => {
  it('parses a Docker v2 schema 2 manifest', () => {
    expect(parseManifest(JSON.stringify(dockerManifest))).toEqual({ kind: 'manifest', ...dockerManifest });
  });

  it('parses an OCI index, spelling os.version and os.features in camelCase', () => {
    const m = parseManifest(JSON.stringify(ociIndex));
    expect(m.kind).toBe('index');
    if (m.kind !== 'index') return;
    expect(m.manifests[1]?.platform).toEqual({
      architecture: 'amd64',
      os: 'windows',
      osVersion: '10.0.20348.2227',
      osFeatures: ['win32k'],
    });
    expect(m.annotations).toEqual(ociIndex.annotations);
  });

  it('takes the media type from the argument, and recognises OCI documents without one by shape', () => {
    const { mediaType: _omit, ...bare } = { ...ociIndex };
    expect(parseManifest(JSON.stringify(bare)).mediaType).toBe(MediaType.OciIndex);
    expect(parseManifest(JSON.stringify(bare), MediaType.DockerManifestList).mediaType).toBe(MediaType.DockerManifestList);
    const { mediaType: _m, ...bareManifest } = dockerManifest;
    expect(parseManifest(JSON.stringify(bareManifest)).mediaType).toBe(MediaType.OciManifest);
  });

  it('accepts bytes', () => {
    expect(parseManifest(new TextEncoder().encode(JSON.stringify(dockerManifest))).kind).toBe('manifest');
  });

  it('refuses Docker schema 1 clearly', () => {
    const v1 = JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'latest', fsLayers: [] });
    expect(catchEcrError(() => parseManifest(v1)).message).toMatch(/schema 1 is not supported/);
    expect(catchEcrError(() => parseManifest('{}', MediaType.DockerManifestV1Signed)).message).toMatch(/schema 1/);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an unknown type', JSON.stringify({ ...dockerManifest, mediaType: 'application/vnd.example+json' }), /unsupported manifest media type/],
    ['a disagreeing media type', JSON.stringify(dockerManifest), /differs/, MediaType.OciManifest],
    ['a bad layer digest', JSON.stringify({ ...dockerManifest, layers: [{ mediaType: 'x', size: 1, digest: 'sha256:xyz' }] }), /layers\[0\]\.digest/],
    ['a negative size', JSON.stringify({ ...dockerManifest, config: { ...dockerManifest.config, size: -1 } }), /config\.size/],
    [
      'a missing platform os',
      JSON.stringify({ ...ociIndex, manifests: [{ ...ociIndex.manifests[0], platform: { architecture: 'amd64' } }] }),
      /manifests\[0\]\.platform\.os/,
    ],
    ['an index with layers', JSON.stringify({ ...ociIndex, layers: [] }), /index cannot have/],
    ['schemaVersion 3', JSON.stringify({ ...dockerManifest, schemaVersion: 3 }), /schemaVersion must be 2/],
    ['a bare array', '[]', /must be an object/],
  ])('refuses %s with a precise message', (_name, text, message, mediaType?: string) => {
    const err = catchEcrError(() => parseManifest(text, mediaType));
    expect(err.kind).toBe('InvalidParameter');
    expect(err.field).toBe('imageManifest');
    expect(err.message).toMatch(message);
  });

  it('never quotes the document in an error', () => {
    const secretish = JSON.stringify({ ...dockerManifest, layers: [{ mediaType: 'TOKEN-abc123', size: 'x', digest: d('e') }] });
    expect(catchEcrError(() => parseManifest(secretish)).message).not.toContain('TOKEN');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 500 })], { numRuns: 1000 })('any string throws only EcrError', (text) => {
    expectOnlyEcrError(() => parseManifest(text));
  });

  test.prop([fc.uint8Array({ maxLength: 500 })], { numRuns: 1000 })('any bytes throw only EcrError', (bytes) => {
    expectOnlyEcrError(() => parseManifest(bytes));
  });

  test.prop([fc.jsonValue()], { numRuns: 1000 })('any JSON document throws only EcrError', (value) => {
    expectOnlyEcrError(() => parseManifest(JSON.stringify(value) ?? 'null'));
  });

  const descriptor = fc.record({
    mediaType: fc.string(),
    digest: fc.oneof(fc.constant(d('f')), fc.string()),
    size: fc.oneof(fc.nat(), fc.integer(), fc.double()),
  });
  test.prop(
    [
      fc.record(
        {
          schemaVersion: fc.oneof(fc.constant(2), fc.jsonValue()),
          mediaType: fc.constantFrom(...Object.values(MediaType), 'x'),
          config: fc.oneof(descriptor, fc.jsonValue()),
          layers: fc.array(fc.oneof(descriptor, fc.jsonValue())),
          manifests: fc.array(fc.oneof(descriptor, fc.jsonValue())),
          annotations: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.jsonValue())),
        },
        { requiredKeys: [] },
      ),
    ],
    { numRuns: 1000 },
  )('near-manifest documents throw only EcrError', (doc) => {
    expectOnlyEcrError(() => parseManifest(JSON.stringify(doc)));
  });
});
