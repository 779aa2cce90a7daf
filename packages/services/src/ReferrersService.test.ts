import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

const signature = 'application/vnd.cncf.notary.signature';
const sbom = 'application/spdx+json';

function withReferrers() {
  const f = setup();
  f.registry
    .withImage('web-app', { tags: ['v1'], mediaType: 'oci' })
    .withReferrer('web-app', 'v1', { artifactType: signature })
    .withReferrer('web-app', 'v1', { artifactType: sbom, annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' } })
    .withReferrer('web-app', 'v1', { artifactType: signature, content: 'a second signature' });
  f.registry.clearOperationHistory();
  return f;
}

describe('ReferrersService', () => {
  it('iterates every referrer of a tag, page by page, after resolving the tag once', async () => {
    const f = withReferrers();
    const seen: string[] = [];
    for await (const referrer of f.client.referrers.list('web-app', 'v1', { pageSize: 1 })) seen.push(referrer.artifactType ?? '');
    expect(seen).toEqual([signature, sbom, signature]);
    expect(f.ops()).toEqual(['DescribeImages', 'ListImageReferrers', 'ListImageReferrers', 'ListImageReferrers']);
  });

  it('filters by artifact type; a digest subject needs no lookup; pages() gives raw pages', async () => {
    const f = withReferrers();
    const [subject] = await f.client.images.describe('web-app', ['v1']).toArray();
    f.registry.clearOperationHistory();
    const sboms = await f.client.referrers.list('web-app', subject!.imageDigest!, { artifactTypes: [sbom] }).toArray();
    expect(sboms).toEqual([
      expect.objectContaining({
        artifactType: sbom,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactStatus: 'ACTIVE',
        annotations: expect.any(Object),
      }),
    ]);
    expect(sboms[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const pages = [];
    for await (const page of f.client.referrers.list('web-app', subject!.imageDigest!, { artifactTypes: [signature], pageSize: 1 }).pages()) pages.push(page);
    expect(pages.map((p) => p.referrers?.length)).toEqual([1, 1]);
    expect(f.ops()).toEqual(['ListImageReferrers', 'ListImageReferrers', 'ListImageReferrers']);
  });

  it('breaking out of the loop sends nothing further', async () => {
    const f = withReferrers();
    for await (const _ of f.client.referrers.list('web-app', 'v1', { pageSize: 1 })) break;
    expect(f.ops()).toEqual(['DescribeImages', 'ListImageReferrers']);
  });

  it('a tag that names no image is ImageNotFound; an image without referrers has none', async () => {
    const f = withReferrers();
    expect(await rejection(f.client.referrers.list('web-app', 'nope').toArray())).toMatchObject({ kind: 'ImageNotFound' });
    f.registry.withImage('web-app', { tags: ['plain'] });
    expect(await f.client.referrers.list('web-app', 'plain').toArray()).toEqual([]);
  });

  it('refuses bad input before any request, naming the field', () => {
    const f = withReferrers();
    const cases: [() => unknown, string][] = [
      [() => f.client.referrers.list('Web', 'v1'), 'repositoryName'],
      [() => f.client.referrers.list('web-app', 'sha256:abc'), 'subject.imageDigest'],
      [() => f.client.referrers.list('web-app', 'v1', { artifactTypes: [] }), 'artifactTypes'],
      [() => f.client.referrers.list('web-app', 'v1', { artifactTypes: ['a', 'b', 'c', 'd', 'e', 'f'] }), 'artifactTypes'],
      [() => f.client.referrers.list('web-app', 'v1', { artifactTypes: ['not a media type'] }), 'artifactTypes[0]'],
      [() => f.client.referrers.list('web-app', 'v1', { artifactStatus: 'GONE' as never }), 'artifactStatus'],
      [() => f.client.referrers.list('web-app', 'v1', { pageSize: 51 }), 'pageSize'],
    ];
    for (const [call, field] of cases) expect(call).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field }));
    expect(f.ops()).toEqual([]);
  });
});
