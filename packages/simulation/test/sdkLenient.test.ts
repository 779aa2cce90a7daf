import { describe, expect, test } from 'vitest';
import { sdkWorld, sha256, type Out } from './support/sdkWorld.js';

// Lenient mode is a drop-in for moto's server mode: suites written against moto run unchanged.
// Each case is one of moto's behaviours (checked against moto's own tests with
// tools/moto/runMotoTests.sh), paired with what strict mode does instead (the other tests).

const moto = sdkWorld({ lenient: true });
const strict = sdkWorld();
const caller = '123456789012';

/** A manifest in moto's test style: layers and config blobs that were never uploaded. */
function motoManifest(seed: string) {
  const layer = sha256(`layer ${seed}`);
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: sha256(`config ${seed}`) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: layer }],
  });
}

describe('registry ids, as moto keeps them', () => {
  test("a repository created with another registryId stays in the caller's namespace, listed under that id", async () => {
    const { repository } = await moto.call('CreateRepository', { registryId: '222222222222', repositoryName: 'team/app' });
    expect(repository).toMatchObject({ registryId: '222222222222', repositoryArn: 'arn:aws:ecr:us-east-1:222222222222:repository/team/app' });
    expect((await moto.call('DescribeRepositories')).repositories.map((r: Out) => r.registryId)).toEqual(['222222222222']);
    expect((await moto.call('DescribeRepositories', { registryId: '222222222222' })).repositories).toHaveLength(1);
    expect((await moto.call('DescribeRepositories', { registryId: caller })).repositories).toHaveLength(0);
    // Strict: the repository belongs to account 222222222222, which the caller does not see unasked.
    await strict.call('CreateRepository', { registryId: '222222222222', repositoryName: 'team/app' });
    expect((await strict.call('DescribeRepositories')).repositories).toHaveLength(0);
    expect((await strict.call('DescribeRepositories', { registryId: '222222222222' })).repositories).toHaveLength(1);
  });

  test('BatchGetImage and BatchDeleteImage ignore registryId; other operations need the right one; any length of digits goes', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app' });
    await moto.call('PutImage', { repositoryName: 'app', imageManifest: motoManifest('a'), imageTag: 'v1' });
    const deleted = await moto.call('BatchDeleteImage', { registryId: '012345678910', repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] });
    expect(deleted.imageIds).toHaveLength(1);
    expect((await moto.fail('ListImages', { repositoryName: 'app', registryId: '222' })).name).toBe('RepositoryNotFoundException');
    expect((await moto.fail('DescribeRepositories', { repositoryNames: ['nope'], registryId: '123' })).name).toBe('RepositoryNotFoundException');
    expect((await moto.call('GetAuthorizationToken', { registryIds: ['10987654321'] })).authorizationData[0].proxyEndpoint).toBe(
      'https://10987654321.dkr.ecr.us-east-1.amazonaws.com',
    );
    expect((await strict.fail('DescribeRepositories', { repositoryNames: ['nope'], registryId: '123' })).name).toBe('InvalidParameterException');
  });
});

describe('PutImage, as moto does it', () => {
  test('a tag taken from an image with no other tag deletes that image; strict keeps it untagged', async () => {
    for (const side of [moto, strict]) {
      await side.call('CreateRepository', { repositoryName: 'app' });
      const pushed = (seed: string) => (side === strict ? side.registry.addImage('app', { tags: [] }).manifest : motoManifest(seed));
      await side.call('PutImage', { repositoryName: 'app', imageManifest: pushed('a'), imageTag: 'my-tag' });
      const second = pushed('b');
      await side.call('PutImage', { repositoryName: 'app', imageManifest: second, imageTag: 'my-tag' });
      const images = (await side.call('DescribeImages', { repositoryName: 'app' })).imageDetails;
      expect(images.map((d: Out) => d.imageTags ?? [])).toEqual(side === moto ? [['my-tag']] : [[], ['my-tag']]);
    }
  });

  test('an immutable tag held by another image is ImageAlreadyExistsException (strict: ImageTagAlreadyExistsException)', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app', imageTagMutability: 'IMMUTABLE' });
    await moto.call('PutImage', { repositoryName: 'app', imageManifest: motoManifest('a'), imageTag: 'v1' });
    expect((await moto.fail('PutImage', { repositoryName: 'app', imageManifest: motoManifest('b'), imageTag: 'v1' })).name).toBe('ImageAlreadyExistsException');
    strict.registry.withRepository('app', { tagMutability: 'IMMUTABLE' }).withImage('app', { tags: ['v1'] });
    const other = strict.registry.addImage('app', { tags: [] });
    expect((await strict.fail('PutImage', { repositoryName: 'app', imageManifest: other.manifest, imageTag: 'v1' })).name).toBe(
      'ImageTagAlreadyExistsException',
    );
  });

  test('exclusion filters are also read as regular expressions', async () => {
    await moto.call('CreateRepository', {
      repositoryName: 'app',
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filter: 'release.*', filterType: 'WILDCARD' }],
    });
    await moto.call('PutImage', { repositoryName: 'app', imageManifest: motoManifest('a'), imageTag: 'release1' });
    expect((await moto.fail('PutImage', { repositoryName: 'app', imageManifest: motoManifest('b'), imageTag: 'release1' })).name).toBe(
      'ImageAlreadyExistsException',
    );
  });

  test('pushing an image it holds without a tag answers the image; a mediaType that differs from the parameter is taken from the manifest', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app' });
    const manifest = motoManifest('a');
    const first = await moto.call('PutImage', { repositoryName: 'app', imageManifest: manifest, imageTag: 'v1' });
    const again = await moto.call('PutImage', { repositoryName: 'app', imageManifest: manifest });
    expect(again.image.imageId.imageDigest).toBe(first.image.imageId.imageDigest);
    const oci = await moto.call('PutImage', {
      repositoryName: 'app',
      imageManifest: motoManifest('c'),
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageTag: 'v2',
    });
    expect(oci.image.imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });
});

describe('scans, policies and listings, as moto does them', () => {
  test('StartImageScan says IN_PROGRESS, the scan is COMPLETE at once with moto’s one finding', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app' });
    await moto.call('PutImage', { repositoryName: 'app', imageManifest: motoManifest('a'), imageTag: 'v1' });
    expect((await moto.call('StartImageScan', { repositoryName: 'app', imageId: { imageTag: 'v1' } })).imageScanStatus).toEqual({ status: 'IN_PROGRESS' });
    const findings = await moto.call('DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
    expect(findings.imageScanStatus.status).toBe('COMPLETE');
    expect(findings.imageScanFindings.findings).toEqual([
      {
        name: 'CVE-9999-9999',
        severity: 'HIGH',
        uri: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999',
        attributes: [
          { key: 'package_version', value: '9.9.9' },
          { key: 'package_name', value: 'moto_fake' },
          { key: 'CVSS2_VECTOR', value: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
          { key: 'CVSS2_SCORE', value: '7.5' },
        ],
      },
    ]);
  });

  test('lifecycle policies are stored as given; registry policies are checked with scope V1', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app' });
    const loose = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'untagged', tagPrefixList: ['x'], countType: 'imageCountMoreThan', countNumber: 3 },
          action: { type: 'expire' },
        },
      ],
    });
    await moto.call('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: loose });
    await strict.call('CreateRepository', { repositoryName: 'app' });
    expect((await strict.fail('PutLifecyclePolicy', { repositoryName: 'app', lifecyclePolicyText: loose })).name).toBe('InvalidParameterException');
    expect(await moto.call('GetAccountSetting', { name: 'REGISTRY_POLICY_SCOPE' })).toEqual({ name: 'REGISTRY_POLICY_SCOPE', value: 'V1' });
  });

  test('a manifest list has no imageSizeInBytes', async () => {
    await moto.call('CreateRepository', { repositoryName: 'app' });
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: sha256('child'),
          size: 100,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    });
    await moto.call('PutImage', { repositoryName: 'app', imageManifest: list, imageTag: 'multi' });
    const [detail] = (await moto.call('DescribeImages', { repositoryName: 'app' })).imageDetails;
    expect(detail).not.toHaveProperty('imageSizeInBytes');
  });
});
