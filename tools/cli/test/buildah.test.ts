import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ecrConfig } from '@ecrkit/core-types';
import { createClient } from '@ecrkit/services';
import { SimulatedRegistry, createSimulatedTransport, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { independentClientAvailable, runIndependentClient } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, binDir, explain, runCli, tempDir } from './runCli.js';

// The registry face against a second real client: buildah (from Debian) builds images of its own
// (its own layers, configs, manifests and manifest lists, which it compresses and digests itself),
// pushes them into the simulation and pulls them back into fresh storage. Storage is a `vfs`
// folder in the scratch directory, so nothing touches the machine's containers storage.

const haveBuildah = independentClientAvailable('buildah');
const dir = tempDir('ecrkit-buildah-');
let registry: SimulatedRegistry;
let server: SimulationServer;
let host: string;
let password: string;
const authFile = join(dir.path, 'auth.json');
const env = baseEnv({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBUILDAHTEST',
  AWS_SECRET_ACCESS_KEY: 'buildah-test',
  ECRKIT_CACHE_DIR: join(dir.path, 'cache'),
});

/** `buildah` over one of the scratch storages (`build` where images are made, others to pull into). */
async function buildah(storage: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const all = ['--storage-driver', 'vfs', '--root', join(dir.path, storage, 'root'), '--runroot', join(dir.path, storage, 'run'), ...args];
  const result = await runIndependentClient('buildah', all, { env: options.env ?? env, ...(options.input !== undefined ? { input: options.input } : {}) });
  expect(result.code, `buildah ${all.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** Build an image from `from` with a file `path` holding `content`, for one architecture: one layer more than `from`. */
async function build(name: string, from: string, arch: string, path: string, content: string): Promise<void> {
  const container = await buildah('build', ['from', '--quiet', from]);
  const file = join(dir.path, `${name}.txt`);
  writeFileSync(file, content);
  await buildah('build', ['copy', container, file, path]);
  await buildah('build', ['config', '--arch', arch, '--label', `org.example.platform=${arch}`, container]);
  await buildah('build', ['commit', '--quiet', '--rm', container, name]);
}

/** The file `/platform.txt` of an image pulled into a fresh storage (by tag, for one architecture). */
async function pulledFile(storage: string, reference: string, arch: string): Promise<{ content: string; digest: string }> {
  const container = await buildah(storage, ['from', '--quiet', '--arch', arch, '--authfile', authFile, '--tls-verify=false', `docker://${reference}`]);
  const mountPoint = await buildah(storage, ['mount', container]);
  const content = readFileSync(join(mountPoint, 'platform.txt'), 'utf8');
  const digest = await buildah(storage, ['inspect', '--format', '{{.FromImageDigest}}', container]);
  return { content, digest };
}

/** DescribeImages through the services over the same registry: digest -> tags and manifest media type. */
async function images(repository: string): Promise<Map<string, { tags: string[]; mediaType: string | undefined }>> {
  const client = createClient(ecrConfig().region('us-east-1').build(), { transport: createSimulatedTransport(registry) });
  const details = await client.images.describe(repository).toArray();
  return new Map(details.map((d) => [d.imageDigest!, { tags: d.imageTags ?? [], mediaType: d.imageManifestMediaType }]));
}

beforeAll(async () => {
  if (!haveBuildah) return;
  registry = new SimulatedRegistry().withRepository('team/app').withRepository('team/multi');
  server = await startSimulationServer({ registry });
  host = server.url.replace('http://', '');
  const login = await runCli(['--endpoint', server.url, 'get-login-password'], { env });
  expect(login.code, explain(['get-login-password'], login)).toBe(0);
  password = login.stdout.trim();
  await buildah('build', ['login', '--authfile', authFile, '--tls-verify=false', '--username', 'AWS', '--password-stdin', host], { input: password });
  // Two layers each: a base layer both images share, and one of their own.
  await build('base', 'scratch', 'amd64', '/base.txt', 'shared base layer\n');
  await build('built-amd64', 'base', 'amd64', '/platform.txt', 'amd64\n');
  await build('built-arm64', 'base', 'arm64', '/platform.txt', 'arm64\n');
}, 120_000);
afterAll(async () => {
  await server?.close();
  dir.remove();
});

describe.skipIf(!haveBuildah)('buildah and the simulation registry', () => {
  it('pushes an image it built as OCI and as Docker schema 2; DescribeImages shows the digests and media types buildah reports; a fresh storage pulls it back', async () => {
    const pushed: Record<string, string> = {};
    for (const format of ['oci', 'docker'] as const) {
      const digestFile = join(dir.path, `digest-${format}`);
      await buildah('build', [
        'push',
        '--quiet',
        '--format',
        format,
        '--authfile',
        authFile,
        '--tls-verify=false',
        '--digestfile',
        digestFile,
        'built-amd64',
        `docker://${host}/team/app:${format}`,
      ]);
      pushed[format] = readFileSync(digestFile, 'utf8').trim();
    }
    const described = await images('team/app');
    expect(described.get(pushed.oci!)).toEqual({ tags: ['oci'], mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(described.get(pushed.docker!)).toEqual({ tags: ['docker'], mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });

    for (const format of ['oci', 'docker'] as const) {
      const pulled = await pulledFile(`pull-${format}`, `${host}/team/app:${format}`, 'amd64');
      expect(pulled).toEqual({ content: 'amd64\n', digest: pushed[format] });
    }
  }, 120_000);

  it('pushes a manifest list of two platforms (manifest push --all) through docker-credential-ecrkit; each platform pulls back with its own content', async () => {
    const helper = await runCli(['--endpoint', server.url, 'login', '--helper', '-o', 'json'], { env });
    expect(helper.code, explain(['login', '--helper'], helper)).toBe(0);
    const helperAuth = join(dir.path, 'helper-auth.json');
    writeFileSync(helperAuth, JSON.stringify({ credHelpers: (JSON.parse(helper.stdout) as { credHelpers: Record<string, string> }).credHelpers }));
    const withHelper = { ...env, PATH: `${binDir(dir.path)}${delimiter}${env.PATH ?? ''}` };

    await buildah('build', ['manifest', 'create', 'multi']);
    await buildah('build', ['manifest', 'add', 'multi', 'built-amd64']);
    await buildah('build', ['manifest', 'add', 'multi', 'built-arm64']);
    const digestFile = join(dir.path, 'digest-multi');
    await buildah(
      'build',
      [
        'manifest',
        'push',
        '--all',
        '--quiet',
        '--authfile',
        helperAuth,
        '--tls-verify=false',
        '--digestfile',
        digestFile,
        'multi',
        `docker://${host}/team/multi:v1`,
      ],
      { env: withHelper },
    );
    const indexDigest = readFileSync(digestFile, 'utf8').trim();

    // The index as the registry serves it names the two children buildah pushed first.
    const res = await fetch(`${server.url}/v2/team/multi/manifests/v1`, {
      headers: {
        authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`,
        accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json',
      },
    });
    expect([res.status, res.headers.get('docker-content-digest')]).toEqual([200, indexDigest]);
    const index = (await res.json()) as { mediaType: string; manifests: { digest: string; platform: { architecture: string } }[] };
    const child = Object.fromEntries(index.manifests.map((m) => [m.platform.architecture, m.digest]));
    expect(Object.keys(child).sort()).toEqual(['amd64', 'arm64']);

    const described = await images('team/multi');
    expect(described.get(indexDigest)).toEqual({ tags: ['v1'], mediaType: index.mediaType });
    for (const digest of Object.values(child)) expect(described.get(digest)?.tags).toEqual([]);
    expect(described.size).toBe(3);

    for (const arch of ['amd64', 'arm64']) {
      expect(await pulledFile(`pull-multi-${arch}`, `${host}/team/multi:v1`, arch)).toEqual({ content: `${arch}\n`, digest: child[arch] });
    }
  }, 120_000);
});
