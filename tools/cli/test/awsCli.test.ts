import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { independentClientAvailable, runIndependentClient } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, tempDir } from './runCli.js';

// The simulation's ECR API against an independently written client: the AWS CLI from Debian
// (botocore's own serializers, parsers, paginators and SigV4 signer) against the real HTTP
// server with signature verification on. What the CLI sends and reads back must be what ECR
// would answer: byte-exact manifests, base64 layer parts, ECR's error codes, paging by nextToken.

const haveAws = independentClientAvailable('aws');
const dir = tempDir('ecrkit-awscli-');
const accessKeyId = 'AKIDAWSCLITEST';
const secretAccessKey = 'aws-cli-test-secret';
let registry: SimulatedRegistry;
let server: SimulationServer;

interface AwsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `aws <args> --endpoint-url <server>`, signed with the server's key (or `secret`), one attempt, no pager. */
async function aws(args: readonly string[], options: { secret?: string } = {}): Promise<AwsResult> {
  const env = baseEnv({
    HOME: dir.path,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.secret ?? secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  });
  return runIndependentClient('aws', [...args, '--endpoint-url', server.url], { env });
}

/** The JSON the CLI printed for a call that must succeed (nothing, for an empty answer). */
async function awsJson<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
  const result = await aws([...args, '--output', 'json']);
  expect(result.code, `aws ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout.trim() || '{}') as T;
}

/** A call that must fail: its exit code is non-zero and the CLI names ECR's error code. */
async function awsError(args: readonly string[], options: { secret?: string } = {}): Promise<string> {
  const result = await aws(args, options);
  expect(result.code, `aws ${args.join(' ')} should fail\n${result.stdout}`).not.toBe(0);
  return /An error occurred \((\w+)\)/.exec(result.stderr)?.[1] ?? result.stderr;
}

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Push one blob with the CLI's layer upload: initiate, one part from a file, complete. */
async function uploadBlob(repository: string, name: string, bytes: Buffer): Promise<string> {
  const file = join(dir.path, name);
  writeFileSync(file, bytes);
  const { uploadId } = await awsJson<{ uploadId: string }>(['ecr', 'initiate-layer-upload', '--repository-name', repository]);
  await awsJson([
    'ecr',
    'upload-layer-part',
    '--repository-name',
    repository,
    '--upload-id',
    uploadId,
    '--part-first-byte',
    '0',
    '--part-last-byte',
    String(bytes.length - 1),
    '--layer-part-blob',
    `fileb://${file}`,
  ]);
  const digest = sha256(bytes);
  const completed = await awsJson<{ layerDigest: string }>([
    'ecr',
    'complete-layer-upload',
    '--repository-name',
    repository,
    '--upload-id',
    uploadId,
    '--layer-digests',
    digest,
  ]);
  expect(completed.layerDigest).toBe(digest);
  return digest;
}

beforeAll(async () => {
  if (!haveAws) return;
  registry = new SimulatedRegistry();
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [{ accessKeyId, secretAccessKey }] });
});
afterAll(async () => {
  await server?.close();
  dir.remove();
});

describe.skipIf(!haveAws)('the AWS CLI against the simulation server', () => {
  it('creates a repository with its settings, and names ECR errors with their codes', async () => {
    const { repository } = await awsJson<{ repository: Record<string, unknown> }>([
      'ecr',
      'create-repository',
      '--repository-name',
      'team/app',
      '--image-tag-mutability',
      'IMMUTABLE',
      '--image-scanning-configuration',
      'scanOnPush=true',
    ]);
    expect(repository).toMatchObject({
      repositoryName: 'team/app',
      registryId: '123456789012',
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/app',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    // botocore parsed the epoch-seconds timestamp; the CLI prints it as ISO 8601.
    expect(new Date(String(repository.createdAt)).getTime()).toBeGreaterThan(Date.UTC(2020, 0, 1));

    expect(await awsError(['ecr', 'create-repository', '--repository-name', 'team/app'])).toBe('RepositoryAlreadyExistsException');
    expect(await awsError(['ecr', 'describe-repositories', '--repository-names', 'missing'])).toBe('RepositoryNotFoundException');
    expect(await awsError(['ecr', 'create-repository', '--repository-name', 'Not_Lower'])).toBe('InvalidParameterException');
  }, 60_000);

  it('refuses a request signed with the wrong secret, and changes nothing', async () => {
    expect(await awsError(['ecr', 'create-repository', '--repository-name', 'forged'], { secret: 'not-the-secret' })).toBe('InvalidSignatureException');
    expect(await awsError(['ecr', 'describe-repositories', '--repository-names', 'forged'])).toBe('RepositoryNotFoundException');
  }, 60_000);

  it('pushes an image layer by layer, reads the manifest back byte-exact and downloads the layer from its URL', async () => {
    const layer = randomBytes(3000);
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const layerDigest = await uploadBlob('team/app', 'layer.bin', layer);
    const configDigest = await uploadBlob('team/app', 'config.json', config);
    const availability = await awsJson<{ layers: { layerDigest: string; layerAvailability: string; layerSize: number }[] }>([
      'ecr',
      'batch-check-layer-availability',
      '--repository-name',
      'team/app',
      '--layer-digests',
      layerDigest,
    ]);
    expect(availability.layers).toEqual([{ layerDigest, layerAvailability: 'AVAILABLE', layerSize: 3000 }]);

    // Spaces and key order of our own: the digest is of these exact bytes.
    const manifest = `{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "${configDigest}", "size": ${config.length}},
 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "${layerDigest}", "size": ${layer.length}}]}`;
    const manifestFile = join(dir.path, 'manifest.json');
    writeFileSync(manifestFile, manifest);
    const put = await awsJson<{ image: { imageId: { imageDigest: string; imageTag: string } } }>([
      'ecr',
      'put-image',
      '--repository-name',
      'team/app',
      '--image-tag',
      'v1',
      '--image-manifest',
      `file://${manifestFile}`,
    ]);
    expect(put.image.imageId).toEqual({ imageDigest: sha256(manifest), imageTag: 'v1' });
    expect(await awsError(['ecr', 'put-image', '--repository-name', 'team/app', '--image-tag', 'v1', '--image-manifest', `file://${manifestFile}`])).toBe(
      'ImageAlreadyExistsException',
    );

    const got = await awsJson<{ images: { imageManifest: string; imageManifestMediaType: string }[]; failures: unknown[] }>([
      'ecr',
      'batch-get-image',
      '--repository-name',
      'team/app',
      '--image-ids',
      'imageTag=v1',
      'imageTag=v9',
    ]);
    expect(got.images.map((i) => [i.imageManifest, i.imageManifestMediaType])).toEqual([[manifest, 'application/vnd.oci.image.manifest.v1+json']]);
    expect(got.failures).toEqual([{ imageId: { imageTag: 'v9' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);

    const { downloadUrl } = await awsJson<{ downloadUrl: string }>([
      'ecr',
      'get-download-url-for-layer',
      '--repository-name',
      'team/app',
      '--layer-digest',
      layerDigest,
    ]);
    const download = await fetch(downloadUrl);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(layer)).toBe(true);

    const described = await awsJson<{ imageDetails: { imageDigest: string; imageTags: string[]; imageSizeInBytes: number }[] }>([
      'ecr',
      'describe-images',
      '--repository-name',
      'team/app',
    ]);
    expect(described.imageDetails).toEqual([expect.objectContaining({ imageDigest: sha256(manifest), imageTags: ['v1'] })]);
  }, 90_000);

  it('pages with nextToken as the CLI asks: --page-size fetches every page, --max-items stops with a NextToken', async () => {
    for (let i = 0; i < 11; i++) registry.withRepository(`paged/r${String(i).padStart(2, '0')}`);
    registry.clearOperationHistory();
    const all = await awsJson<{ repositories: { repositoryName: string }[] }>(['ecr', 'describe-repositories', '--page-size', '4']);
    expect(all.repositories.filter((r) => r.repositoryName.startsWith('paged/')).map((r) => r.repositoryName)).toEqual(
      Array.from({ length: 11 }, (_, i) => `paged/r${String(i).padStart(2, '0')}`),
    );
    const pages = registry.getOperationHistory({ operation: 'DescribeRepositories' });
    expect(pages.length).toBe(Math.ceil(all.repositories.length / 4));
    expect(pages.map((p) => (p.input as { maxResults?: number }).maxResults)).toEqual(pages.map(() => 4));

    const first = await awsJson<{ repositories: unknown[]; NextToken?: string }>(['ecr', 'describe-repositories', '--max-items', '5']);
    expect(first.repositories).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const rest = await awsJson<{ repositories: unknown[]; NextToken?: string }>(['ecr', 'describe-repositories', '--starting-token', first.NextToken!]);
    expect(first.repositories.length + rest.repositories.length).toBe(all.repositories.length);
    expect(rest.NextToken).toBeUndefined();
  }, 60_000);

  it('get-login-password gives a password the registry face takes for AWS, and the lifecycle policy round-trips', async () => {
    const password = await aws(['ecr', 'get-login-password']);
    expect(password.code, password.stderr).toBe(0);
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    expect((await fetch(`${server.url}/v2/`, { headers: { authorization: basic('AWS', password.stdout.trim()) } })).status).toBe(200);
    expect((await fetch(`${server.url}/v2/`, { headers: { authorization: basic('AWS', 'not-a-token') } })).status).toBe(401);

    const policy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: 'keep 10',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
          action: { type: 'expire' },
        },
      ],
    });
    await awsJson(['ecr', 'put-lifecycle-policy', '--repository-name', 'team/app', '--lifecycle-policy-text', policy]);
    const read = await awsJson<{ lifecyclePolicyText: string; repositoryName: string }>(['ecr', 'get-lifecycle-policy', '--repository-name', 'team/app']);
    expect(JSON.parse(read.lifecyclePolicyText)).toEqual(JSON.parse(policy));
    expect(await awsError(['ecr', 'get-lifecycle-policy', '--repository-name', 'paged/r00'])).toBe('LifecyclePolicyNotFoundException');
  }, 60_000);

  it('speaks ECR Public too: a repository with catalog data, tags on it, and the registry', async () => {
    const { repository, catalogData } = await awsJson<{ repository: { repositoryArn: string; repositoryName: string }; catalogData: { description: string } }>([
      'ecr-public',
      'create-repository',
      '--repository-name',
      'pub/app',
      '--catalog-data',
      'description=From the AWS CLI',
    ]);
    expect(repository).toMatchObject({ repositoryName: 'pub/app', repositoryArn: 'arn:aws:ecr-public::123456789012:repository/pub/app' });
    expect(catalogData.description).toBe('From the AWS CLI');
    await awsJson(['ecr-public', 'tag-resource', '--resource-arn', repository.repositoryArn, '--tags', 'Key=team,Value=web']);
    expect(await awsJson(['ecr-public', 'list-tags-for-resource', '--resource-arn', repository.repositoryArn])).toEqual({
      tags: [{ Key: 'team', Value: 'web' }],
    });
    const { registries } = await awsJson<{ registries: { registryId: string }[] }>(['ecr-public', 'describe-registries']);
    expect(registries.map((r) => r.registryId)).toEqual(['123456789012']);
    expect(await awsError(['ecr-public', 'describe-repositories', '--repository-names', 'missing'])).toBe('RepositoryNotFoundException');
  }, 60_000);
});
