import { describe, expect, test } from 'vitest';
import { referrerManifest, sdkWorld, sha256, type Out } from './support/sdkWorld.js';

// Image-level operations and fidelity fixes through the real @aws-sdk/client-ecr against the
// simulation server: referrers, the archive storage class, scans that move on the clock and
// scripted scan outcomes, PutImage's media type rule, lifecycle lastEvaluatedAt, KMS key ARNs.

const { clock, registry, call, fail } = sdkWorld();
const account = '123456789012';
const sbomType = 'application/spdx+json';
const signatureType = 'application/vnd.cncf.notary.signature';

describe('ListImageReferrers', () => {
  function subjectWithReferrers() {
    const subject = registry.addImage('web', { tags: ['v1'], mediaType: 'oci' });
    const descriptor = { digest: subject.imageDigest, mediaType: subject.mediaType, size: Buffer.byteLength(subject.manifest) };
    const sbom = referrerManifest(registry, 'web', descriptor, sbomType, '{"spdxVersion":"SPDX-2.3"}', {
      'org.opencontainers.image.created': '2026-01-01T00:00:00Z',
    });
    const signature = referrerManifest(registry, 'web', descriptor, signatureType, 'signature bytes');
    return { subject, sbom, signature };
  }

  test('lists the images whose subject is the digest, with artifact type, size, annotations and status', async () => {
    const { subject, sbom, signature } = subjectWithReferrers();
    for (const manifest of [sbom, signature]) await call('PutImage', { repositoryName: 'web', imageManifest: manifest });
    const { referrers, nextToken } = await call('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: subject.imageDigest } });
    expect(nextToken).toBeUndefined();
    expect(referrers).toEqual([
      {
        digest: sha256(sbom),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: sbomType,
        size: Buffer.byteLength(sbom),
        annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
        artifactStatus: 'ACTIVE',
      },
      {
        digest: sha256(signature),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: signatureType,
        size: Buffer.byteLength(signature),
        annotations: {},
        artifactStatus: 'ACTIVE',
      },
    ]);
    // The referrer's own DescribeImages entry names its subject.
    const { imageDetails } = await call('DescribeImages', { repositoryName: 'web', imageIds: [{ imageDigest: sha256(sbom) }] });
    expect(imageDetails[0]).toMatchObject({ subjectManifestDigest: subject.imageDigest, artifactMediaType: 'application/vnd.oci.empty.v1+json' });
  });

  test('filters by artifact type and status, and pages', async () => {
    const { subject, sbom, signature } = subjectWithReferrers();
    for (const manifest of [sbom, signature]) await call('PutImage', { repositoryName: 'web', imageManifest: manifest });
    const only = await call('ListImageReferrers', {
      repositoryName: 'web',
      subjectId: { imageDigest: subject.imageDigest },
      filter: { artifactTypes: [signatureType] },
    });
    expect(only.referrers.map((r: Out) => r.digest)).toEqual([sha256(signature)]);
    const first = await call('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: subject.imageDigest }, maxResults: 1 });
    const second = await call('ListImageReferrers', {
      repositoryName: 'web',
      subjectId: { imageDigest: subject.imageDigest },
      maxResults: 1,
      nextToken: first.nextToken,
    });
    expect([...first.referrers, ...second.referrers].map((r: Out) => r.digest)).toEqual([sha256(sbom), sha256(signature)]);
    expect(second.nextToken).toBeUndefined();
    await call('UpdateImageStorageClass', { repositoryName: 'web', imageId: { imageDigest: sha256(sbom) }, targetStorageClass: 'ARCHIVE' });
    expect(
      (await call('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: subject.imageDigest } })).referrers.map((r: Out) => r.digest),
    ).toEqual([sha256(signature)]);
    const archived = await call('ListImageReferrers', {
      repositoryName: 'web',
      subjectId: { imageDigest: subject.imageDigest },
      filter: { artifactStatus: 'ARCHIVED' },
    });
    expect(archived.referrers.map((r: Out) => [r.digest, r.artifactStatus])).toEqual([[sha256(sbom), 'ARCHIVED']]);
  });

  test('a subject without referrers has none; a missing repository and a bad digest are errors', async () => {
    const image = registry.addImage('web', { tags: ['v1'] });
    expect((await call('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: image.imageDigest } })).referrers).toEqual([]);
    expect((await fail('ListImageReferrers', { repositoryName: 'nope', subjectId: { imageDigest: image.imageDigest } })).name).toBe(
      'RepositoryNotFoundException',
    );
    expect((await fail('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: 'sha256:short' } })).name).toBe('InvalidParameterException');
    expect((await fail('ListImageReferrers', { repositoryName: 'web', subjectId: { imageDigest: image.imageDigest }, maxResults: 51 })).name).toBe(
      'InvalidParameterException',
    );
  });
});

describe('the archive storage class (UpdateImageStorageClass)', () => {
  test('archive: hidden from default listings, described with a status filter, not pullable, not scannable', async () => {
    const image = registry.addImage('app', { tags: ['v1'] });
    registry.withImage('app', { tags: ['v2'] });
    const archived = await call('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' });
    expect(archived).toEqual({
      registryId: account,
      repositoryName: 'app',
      imageId: { imageDigest: image.imageDigest, imageTag: 'v1' },
      imageStatus: 'ARCHIVED',
    });
    expect((await call('DescribeImages', { repositoryName: 'app' })).imageDetails.map((d: Out) => d.imageTags)).toEqual([['v2']]);
    expect((await call('ListImages', { repositoryName: 'app' })).imageIds.map((i: Out) => i.imageTag)).toEqual(['v2']);
    const { imageDetails } = await call('DescribeImages', { repositoryName: 'app', filter: { imageStatus: 'ARCHIVED' } });
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails[0]).toMatchObject({ imageDigest: image.imageDigest, imageStatus: 'ARCHIVED', lastArchivedAt: new Date(clock.now()) });
    expect((await call('ListImages', { repositoryName: 'app', filter: { imageStatus: 'ANY' } })).imageIds).toHaveLength(2);
    const pulled = await call('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
    expect(pulled).toEqual({
      images: [],
      failures: [{ imageId: { imageTag: 'v1' }, failureCode: 'ImageNotFound', failureReason: 'The image is archived and cannot be pulled' }],
    });
    const scan = await fail('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect([scan.name, scan.message]).toEqual(['ImageArchivedException', 'The specified image is archived and cannot be scanned.']);
    // Archiving again answers the same status.
    expect((await call('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' })).imageStatus).toBe(
      'ARCHIVED',
    );
  });

  test('restore: ACTIVATING for the restore time (20 minutes by default), then ACTIVE and pullable', async () => {
    const image = registry.addImage('app', { tags: ['v1'] });
    await call('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' });
    const archivedAt = clock.now();
    await clock.advance(60_000);
    expect(
      (await call('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageDigest: image.imageDigest }, targetStorageClass: 'STANDARD' }))
        .imageStatus,
    ).toBe('ACTIVATING');
    const refused = await fail('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' });
    expect(refused.name).toBe('ImageStorageClassUpdateNotSupportedException');
    expect((await call('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).failures[0].failureReason).toBe(
      'The image is being restored from the archive and cannot be pulled',
    );
    await clock.advance(20 * 60_000);
    const { imageDetails } = await call('DescribeImages', { repositoryName: 'app' });
    expect(imageDetails[0]).toMatchObject({ imageStatus: 'ACTIVE', lastArchivedAt: new Date(archivedAt), lastActivatedAt: new Date(clock.now()) });
    expect((await call('BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).images).toHaveLength(1);
  });

  test('pushing an archived image again restores it at once; a manifest list child cannot be archived alone', async () => {
    const image = registry.addImage('app', { tags: ['v1'] });
    await call('UpdateImageStorageClass', { repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' });
    const pushed = await call('PutImage', { repositoryName: 'app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'v1' });
    expect(pushed.image.imageId).toEqual({ imageDigest: image.imageDigest, imageTag: 'v1' });
    expect((await call('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).imageDetails[0].imageStatus).toBe('ACTIVE');
    const multi = registry.addImage('multi', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64'] });
    const child = await fail('UpdateImageStorageClass', {
      repositoryName: 'multi',
      imageId: { imageDigest: multi.children![0]!.imageDigest },
      targetStorageClass: 'ARCHIVE',
    });
    expect(child.name).toBe('ImageStorageClassUpdateNotSupportedException');
    expect((await fail('UpdateImageStorageClass', { repositoryName: 'multi', imageId: { imageTag: 'nope' }, targetStorageClass: 'ARCHIVE' })).name).toBe(
      'ImageNotFoundException',
    );
    expect((await fail('UpdateImageStorageClass', { repositoryName: 'multi', imageId: { imageTag: 'v1' }, targetStorageClass: 'GLACIER' })).name).toBe(
      'InvalidParameterException',
    );
  });
});

describe('scans move on the clock, whichever operation observes them', () => {
  test('DescribeImages and DescribeImageScanFindings agree at every moment, and polling does not hurry a scan', async () => {
    registry.configureScanProgression({ sequence: ['PENDING', 'IN_PROGRESS', 'COMPLETE'], stepMs: 10_000, findings: { high: 1 } });
    registry.withRepository('app', { scanOnPush: true }).withImage('app', { tags: ['v1'] });
    const both = async () => [
      (await call('DescribeImages', { repositoryName: 'app' })).imageDetails[0].imageScanStatus.status,
      (await call('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).imageScanStatus.status,
    ];
    for (let i = 0; i < 5; i++) expect(await both()).toEqual(['PENDING', 'PENDING']);
    await clock.advance(10_000);
    expect(await both()).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);
    await clock.advance(10_000);
    expect(await both()).toEqual(['COMPLETE', 'COMPLETE']);
  });

  test('withScanOutcome scripts one image: in progress until `after`, then its status and findings', async () => {
    registry.withImage('app', { tags: ['v1'] }).withImage('app', { tags: ['v2'] });
    registry.withScanOutcome('app', 'v1', { after: 30_000, findings: { critical: 2 } });
    registry.withScanOutcome('app', 'v2', { status: 'FAILED' });
    await call('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    await call('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v2' } });
    expect((await call('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v2' } })).imageScanStatus).toEqual({
      status: 'FAILED',
      description: 'The scan failed.',
    });
    await clock.advance(29_999);
    expect((await call('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).imageScanStatus.status).toBe('IN_PROGRESS');
    await clock.advance(1);
    const done = await call('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(done.imageScanFindings.findingSeverityCounts).toEqual({ CRITICAL: 2 });
    expect(done.imageScanFindings.imageScanCompletedAt).toEqual(new Date(clock.now()));
    // Scripting an image whose scan already ran restarts that scan's clock.
    registry.withScanOutcome('app', 'v1', { after: 5000, findings: { low: 1 } });
    expect((await call('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).imageDetails[0].imageScanStatus.status).toBe(
      'IN_PROGRESS',
    );
    await clock.advance(5000);
    expect(
      (await call('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).imageDetails[0].imageScanFindingsSummary.findingSeverityCounts,
    ).toEqual({ LOW: 1 });
    expect(() => registry.withScanOutcome('app', 'nope', {})).toThrow(expect.objectContaining({ awsCode: 'ImageNotFoundException' }));
  });
});

describe('fidelity fixes', () => {
  test('PutImage of a manifest without mediaType needs imageManifestMediaType', async () => {
    const image = registry.addImage('app', { tags: ['v1'] });
    const { mediaType: _, ...rest } = JSON.parse(image.manifest);
    const bare = JSON.stringify(rest);
    const err = await fail('PutImage', { repositoryName: 'app', imageManifest: bare, imageTag: 'bare' });
    expect([err.name, err.message]).toEqual(['InvalidParameterException', 'image manifest mediatype not provided in manifest or parameter']);
    const ok = await call('PutImage', { repositoryName: 'app', imageManifest: bare, imageManifestMediaType: image.mediaType, imageTag: 'bare' });
    expect(ok.image.imageManifestMediaType).toBe(image.mediaType);
  });

  test('in strict mode a mediaType that differs from imageManifestMediaType is refused', async () => {
    const image = registry.addImage('app', { tags: ['v1'] });
    const err = await fail('PutImage', {
      repositoryName: 'app',
      imageManifest: image.manifest,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageTag: 'x',
    });
    expect(err.name).toBe('InvalidParameterException');
  });

  test('GetLifecyclePolicy and DeleteLifecyclePolicy return lastEvaluatedAt (when the policy was set)', async () => {
    const text = JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'expire' } }],
    });
    await call('CreateRepository', { repositoryName: 'app' });
    await call('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: text });
    const setAt = clock.now();
    await clock.advance(3_600_000);
    expect(await call('GetLifecyclePolicy', { repositoryName: 'app' })).toEqual({
      registryId: account,
      repositoryName: 'app',
      lifecyclePolicyText: text,
      lastEvaluatedAt: new Date(setAt),
    });
    expect(await call('DeleteLifecyclePolicy', { repositoryName: 'app' })).toEqual({
      registryId: account,
      repositoryName: 'app',
      lifecyclePolicyText: text,
      lastEvaluatedAt: new Date(setAt),
    });
  });

  test('CreateRepository with the AWS managed KMS key reports a key ARN: one key per account and region', async () => {
    const kms = async (repositoryName: string, region = 'us-east-1') =>
      (await call('CreateRepository', { repositoryName, encryptionConfiguration: { encryptionType: 'KMS' } }, 'ecr', region)).repository.encryptionConfiguration
        .kmsKey as string;
    const a = await kms('repo-a');
    expect(a).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await kms('repo-b')).toBe(a);
    const other = await kms('repo-a', 'eu-west-1');
    expect(other).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    expect(other.split('/')[1]).not.toBe(a.split('/')[1]);
    const dsse = (await call('CreateRepository', { repositoryName: 'repo-c', encryptionConfiguration: { encryptionType: 'KMS_DSSE' } })).repository
      .encryptionConfiguration;
    expect(dsse).toEqual({ encryptionType: 'KMS_DSSE', kmsKey: a });
  });
});
