import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { delimiter, join } from 'node:path';
import { ecrConfig } from '@ecrkit/core-types';
import { createClient } from '@ecrkit/services';
import { SimulatedRegistry, createSimulatedTransport, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { readLayoutBlob, independentClientAvailable, runIndependentClient, writeOciLayout, type WrittenLayout } from '@ecrkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, binDir, cliCommand, cliRoot, explain, freePort, runCli, tempDir } from './runCli.js';

// The registry face against a real, independently written client: skopeo (from Debian) pushes
// OCI layouts built in Node into the simulation and pulls them back, logged in with
// `ecrkit get-login-password` or through the `docker-credential-ecrkit` helper.

const haveSkopeo = independentClientAvailable('skopeo');
const dir = tempDir('ecrkit-skopeo-');
const source = join(dir.path, 'source');
let registry: SimulatedRegistry;
let server: SimulationServer;
let host: string;
let single: WrittenLayout;
let multi: WrittenLayout;
let other: WrittenLayout;
const authFile = join(dir.path, 'auth.json');
const env = baseEnv({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDSKOPEOTEST',
  AWS_SECRET_ACCESS_KEY: 'skopeo-test',
  ECRKIT_CACHE_DIR: join(dir.path, 'cache'),
});

async function skopeo(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return runIndependentClient('skopeo', args, { env: options.env ?? env, ...(options.input !== undefined ? { input: options.input } : {}) });
}

function succeeded(args: string[], result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, `skopeo ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** DescribeImages through the services over the same registry: digest -> tags. */
async function images(repository: string): Promise<Map<string, string[]>> {
  const client = createClient(ecrConfig().region('us-east-1').build(), { transport: createSimulatedTransport(registry) });
  const details = await client.images.describe(repository).toArray();
  return new Map(details.map((d) => [d.imageDigest!, d.imageTags ?? []]));
}

/** Every blob of an image (index, manifests, configs, layers) is byte-identical in two layouts. */
async function expectSameImage(written: WrittenLayout, from: string, to: string): Promise<void> {
  const digests = [written.top.digest, ...written.top.blobs, ...written.children.flatMap((c) => [c.digest, ...c.blobs])];
  for (const digest of digests) expect((await readLayoutBlob(to, digest)).equals(await readLayoutBlob(from, digest)), digest).toBe(true);
}

beforeAll(async () => {
  if (!haveSkopeo) return;
  registry = new SimulatedRegistry().withRepository('team/app').withRepository('locked/app', { tagMutability: 'IMMUTABLE' });
  server = await startSimulationServer({ registry });
  host = server.url.replace('http://', '');
  single = await writeOciLayout(source, { refName: 'v1', layers: 3, layerSize: 64 * 1024 });
  multi = await writeOciLayout(source, { refName: 'multi', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  other = await writeOciLayout(source, { refName: 'other' });

  // Log in the way the README shows: the password from ecrkit, into skopeo's auth file.
  const password = await runCli(['--endpoint', server.url, 'get-login-password'], { env });
  expect(password.code, explain(['get-login-password'], password)).toBe(0);
  const login = ['login', '--authfile', authFile, '--tls-verify=false', '--username', 'AWS', '--password-stdin', host];
  succeeded(login, await skopeo(login, { input: password.stdout }));
}, 60_000);
afterAll(async () => {
  await server?.close();
  dir.remove();
});

describe.skipIf(!haveSkopeo)('skopeo and the simulation registry', () => {
  it('pushes an image and a multi-arch index; DescribeImages shows the digests skopeo reports', async () => {
    const digestOne = join(dir.path, 'digest-v1');
    const digestMulti = join(dir.path, 'digest-multi');
    const one = ['copy', '--authfile', authFile, '--dest-tls-verify=false', '--digestfile', digestOne, `oci:${source}:v1`, `docker://${host}/team/app:v1`];
    succeeded(one, await skopeo(one));
    const all = [
      'copy',
      '--all',
      '--authfile',
      authFile,
      '--dest-tls-verify=false',
      '--digestfile',
      digestMulti,
      `oci:${source}:multi`,
      `docker://${host}/team/app:multi`,
    ];
    succeeded(all, await skopeo(all));

    const reported = { v1: readFileSync(digestOne, 'utf8').trim(), multi: readFileSync(digestMulti, 'utf8').trim() };
    expect(reported).toEqual({ v1: single.top.digest, multi: multi.top.digest });
    const described = await images('team/app');
    expect(described.get(reported.v1)).toEqual(['v1']);
    expect(described.get(reported.multi)).toEqual(['multi']);
    for (const child of multi.children) expect(described.get(child.digest)).toEqual([]);
    expect(described.size).toBe(4);
  }, 90_000);

  it('pulls them back byte-identical, by tag and by digest, every platform with --all', async () => {
    const byTag = join(dir.path, 'pulled-tag');
    const tagArgs = ['copy', '--authfile', authFile, '--src-tls-verify=false', '--preserve-digests', `docker://${host}/team/app:v1`, `oci:${byTag}:v1`];
    succeeded(tagArgs, await skopeo(tagArgs));
    await expectSameImage(single, source, byTag);

    const byDigest = join(dir.path, 'pulled-digest');
    const digestArgs = [
      'copy',
      '--all',
      '--authfile',
      authFile,
      '--src-tls-verify=false',
      '--preserve-digests',
      `docker://${host}/team/app@${multi.top.digest}`,
      `oci:${byDigest}:multi`,
    ];
    succeeded(digestArgs, await skopeo(digestArgs));
    await expectSameImage(multi, source, byDigest);
    const pulledIndex = JSON.parse(readFileSync(join(byDigest, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(pulledIndex.manifests.map((m) => m.digest)).toEqual([multi.top.digest]);
  }, 90_000);

  it('is refused an overwrite of an immutable tag, as ECR refuses it', async () => {
    const first = ['copy', '--authfile', authFile, '--dest-tls-verify=false', `oci:${source}:v1`, `docker://${host}/locked/app:release`];
    succeeded(first, await skopeo(first));
    const overwrite = ['copy', '--authfile', authFile, '--dest-tls-verify=false', `oci:${source}:other`, `docker://${host}/locked/app:release`];
    const refused = await skopeo(overwrite);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/tag invalid.*already exists in the 'locked\/app' repository .*cannot be overwritten because the repository is immutable/);
    expect([...(await images('locked/app')).entries()].filter(([, tags]) => tags.includes('release')).map(([d]) => d)).toEqual([single.top.digest]);
    expect((await images('locked/app')).has(other.top.digest)).toBe(false);
  }, 90_000);

  it('gets 401 with a bad password', async () => {
    const badAuth = join(dir.path, 'bad-auth.json');
    const login = ['login', '--authfile', badAuth, '--tls-verify=false', '--username', 'AWS', '--password-stdin', host];
    const refused = await skopeo(login, { input: 'not-a-token\n' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|invalid username\/password|unauthorized/i);
    const push = ['copy', '--dest-creds', 'AWS:not-a-token', '--dest-tls-verify=false', `oci:${source}:other`, `docker://${host}/team/app:nope`];
    const denied = await skopeo(push);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/401|unauthorized|denied/i);
  }, 90_000);

  it('works through docker-credential-ecrkit (credHelpers in an auth.json), as `ecrkit login --helper` sets it up', async () => {
    const helper = await runCli(['--endpoint', server.url, 'login', '--helper', '-o', 'json'], { env });
    expect(helper.code, explain(['login', '--helper'], helper)).toBe(0);
    const { credHelpers } = JSON.parse(helper.stdout) as { credHelpers: Record<string, string> };
    expect(credHelpers).toEqual({ [host]: 'ecrkit' });
    const helperAuth = join(dir.path, 'helper-auth.json');
    writeFileSync(helperAuth, JSON.stringify({ credHelpers }));
    const withHelper = { ...env, PATH: `${binDir(dir.path)}${delimiter}${env.PATH ?? ''}` };

    const push = ['copy', '--all', '--authfile', helperAuth, '--dest-tls-verify=false', `oci:${source}:multi`, `docker://${host}/team/app:through-helper`];
    succeeded(push, await skopeo(push, { env: withHelper }));
    const pulled = join(dir.path, 'pulled-helper');
    const pull = ['copy', '--all', '--authfile', helperAuth, '--src-tls-verify=false', `docker://${host}/team/app:through-helper`, `oci:${pulled}:x`];
    succeeded(pull, await skopeo(pull, { env: withHelper }));
    await expectSameImage(multi, source, pulled);
    expect((await images('team/app')).get(multi.top.digest)).toEqual(['multi', 'through-helper']);

    // The helper cached the token where only the user can read it.
    const cache = join(dir.path, 'cache');
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(statSync(join(cache, files[0]!)).mode & 0o777).toBe(0o600);
  }, 90_000);
});

describe.skipIf(!haveSkopeo)('the root README', () => {
  it('runs its three-line flow: serve, log skopeo in with get-login-password, push with skopeo copy', async () => {
    const readme = readFileSync(join(cliRoot, '..', '..', 'README.md'), 'utf8');
    const block = /<!-- registry-flow:begin -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = block.trim().split('\n');
    expect(lines).toHaveLength(3);
    const port = await freePort();
    const image = join(dir.path, 'my-image');
    const written = await writeOciLayout(image, { refName: 'v1' });
    const line = (i: number) => lines[i]!.replaceAll('4510', String(port)).replaceAll('./my-image', image);

    // 1. The server, in the background as the README runs it, until this test ends.
    const serve = line(0).replace(/\s*&$/, '');
    expect(serve.startsWith('ecrkit sim serve ')).toBe(true);
    const server = spawn(process.execPath, [...cliCommand(), ...serve.slice('ecrkit '.length).split(/\s+/), '--state', join(dir.path, 'flow-state.json')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.once('exit', (code) => reject(new Error(`ecrkit sim serve exited with ${code}`)));
        createInterface({ input: server.stdout! }).once('line', resolve);
      });
      expect(url).toBe(`http://127.0.0.1:${port}`);
      // 2 and 3 through a shell, with `ecrkit` on PATH and skopeo's auth file in the scratch folder.
      const shellEnv = { ...env, PATH: `${binDir(dir.path)}${delimiter}${env.PATH ?? ''}`, REGISTRY_AUTH_FILE: join(dir.path, 'flow-auth.json') };
      for (const i of [1, 2]) {
        const result = spawnSync('sh', ['-c', line(i)], { env: shellEnv, encoding: 'utf8' });
        expect(result.status, `${line(i)}\n${result.stdout}\n${result.stderr}`).toBe(0);
      }
      const described = await runCli(['--endpoint', url, 'describe', 'web-app', 'v1', '-o', 'json'], { env });
      expect(described.code, explain(['describe'], described)).toBe(0);
      expect((JSON.parse(described.stdout) as { imageDetails: { imageDigest: string }[] }).imageDetails[0]?.imageDigest).toBe(written.top.digest);
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
