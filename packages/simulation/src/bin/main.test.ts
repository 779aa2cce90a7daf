import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadSnapshot } from '../snapshot.js';
import { AwsSdk } from '../../test/support/awsSdk.js';
import { serveExitCodeHelp, serveFlags } from '../resolveServeOptions.js';
import { main } from './main.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-sim-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Run `main` in process: resolves with its URL once it listens, and a `stop()` giving the exit code. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const controller = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const exit = main(['serve', '--port', '0', ...args], {
    signal: controller.signal,
    stopOnSignals: [],
    saveDelayMs: 0,
    env,
    out: (line) => {
      out.push(line);
      listening(line);
    },
    err: (line) => err.push(line),
  });
  const first = await Promise.race([url, exit.then((code) => `exited ${code}: ${err.join('\n')}`)]);
  if (!first.startsWith('http://')) throw new Error(first);
  return {
    url: first,
    out,
    err,
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}

async function call(url: string, operation: string, input: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}

const repoNames = (body: Record<string, unknown>) => (body.repositories as { repositoryName: string }[]).map((r) => r.repositoryName).sort();

describe('ecrkit-sim main', () => {
  test('--help prints usage and exits 0', async () => {
    const out: string[] = [];
    expect(await main(['--help'], { out: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toMatch(/^Usage: ecrkit-sim serve/);
  });

  test('bad usage exits 2 with a message', async () => {
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, '');
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['start'], /unknown command 'start'/],
      [['serve', '--port', 'http'], /--port must be a whole number from 0 to 65535, got 'http'/],
      [['serve', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
      [['serve', '--colour'], /Unknown option '--colour'/],
      [['serve', '--verify-sigv4'], /--verify-sigv4 needs the key pair clients will sign with/],
      [['serve', '--access-key', 'AKID'], /--access-key goes with --secret-key-file \(or --secret-key\)/],
      [['serve', '--secret-key', 'sk'], /--access-key goes with .* Pass --access-key too/],
      [['serve', '--access-key', 'AKID', '--secret-key', 'a', '--secret-key-file', secretFile], /cannot be used together/],
      [['serve', '--access-key', 'AKID', '--secret-key-file', secretFile], /--secret-key-file .* is empty/],
      [['serve', '--access-key', 'AKID', '--secret-key-file', join(dir, 'missing')], /cannot read --secret-key-file .*ENOENT/],
      [['serve', '--public-url', 'http://sim.example/prefix'], /--public-url must be an origin only/],
      [['serve', '--max-body-mib', '64', '--body-budget-mib', '32'], /--body-budget-mib \(32\) must be at least --max-body-mib \(64\)/],
    ];
    for (const [args, message] of cases) {
      const err: string[] = [];
      expect(await main(args, { err: (l) => err.push(l), out: () => undefined, env: {} }), args.join(' ')).toBe(2);
      expect(err.join('\n')).toMatch(message);
    }
  });

  test('--help lists every flag, says where secrets should come from, and the exit codes', async () => {
    const out: string[] = [];
    await main(['--help'], { out: (l) => out.push(l) });
    const help = out.join('\n');
    for (const flag of serveFlags) expect(help).toContain(`--${flag.name}`);
    expect(help).toContain('--port <port>');
    expect(help).toMatch(/default 4510/);
    expect(help).toMatch(/`ps`/);
    expect(help).toContain('AWS_SECRET_ACCESS_KEY');
    expect(help).toContain(serveExitCodeHelp);
  });

  test('serves a seed, prints the URL on one line, stops cleanly on abort', async () => {
    const seed = join(dir, 'seed.json');
    await writeFile(seed, JSON.stringify({ repositories: [{ name: 'web-app', images: [{ tags: ['v1'] }] }, { name: 'api' }] }));
    const sim = await serve(['--seed', seed]);
    expect(sim.out).toEqual([sim.url]);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const listed = await call(sim.url, 'DescribeRepositories', {});
    expect(repoNames(listed.body)).toEqual(['api', 'web-app']);
    expect(await sim.stop()).toBe(0);
    await expect(fetch(sim.url)).rejects.toThrow();
  });

  test('--state saves after mutations and on exit, and is loaded (instead of the seed) next time', async () => {
    const state = join(dir, 'state.json');
    const seed = join(dir, 'seed.json');
    await writeFile(seed, JSON.stringify({ repositories: [{ name: 'seeded' }] }));
    const first = await serve(['--seed', seed, '--state', state]);
    expect((await call(first.url, 'CreateRepository', { repositoryName: 'created-at-runtime' })).status).toBe(200);
    await until(async () => existsSync(state) && (await readFile(state, 'utf8')).includes('created-at-runtime'));
    expect(await first.stop()).toBe(0);

    const second = await serve(['--seed', seed, '--state', state]);
    expect(repoNames((await call(second.url, 'DescribeRepositories', {})).body)).toEqual(['created-at-runtime', 'seeded']);
    expect((await call(second.url, 'DeleteRepository', { repositoryName: 'seeded' })).status).toBe(200);
    expect(await second.stop()).toBe(0);
    const saved = await loadSnapshot(state);
    expect(saved.snapshot().accounts[0]!.regions[0]!.repositories.map((r) => r.name)).toEqual(['created-at-runtime']);
  });

  test('--verify-sigv4 with keys refuses unsigned requests', async () => {
    const sim = await serve(['--verify-sigv4', '--access-key', 'AKIDSIM', '--secret-key', 'sim-secret']);
    const response = await call(sim.url, 'DescribeRepositories', {});
    expect(response.status).toBe(403);
    expect(response.body.__type).toBe('MissingAuthenticationTokenException');
    expect(await sim.stop()).toBe(0);
  });

  test('--lenient accepts a manifest whose blobs were never uploaded; the default is strict', async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'1'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'2'.repeat(64)}` }],
    });
    for (const [args, status] of [
      [['--lenient'], 200],
      [[], 400],
    ] as const) {
      const sim = await serve([...args]);
      await call(sim.url, 'CreateRepository', { repositoryName: 'moto' });
      const put = await call(sim.url, 'PutImage', { repositoryName: 'moto', imageManifest: manifest, imageTag: 'v1' });
      expect([put.status, put.body.__type]).toEqual([status, status === 200 ? undefined : 'LayersNotFoundException']);
      expect(await sim.stop()).toBe(0);
    }
  });

  test('a seed that is not valid is a usage error (exit 2) naming the file, on one line', async () => {
    const seed = join(dir, 'bad.json');
    await writeFile(seed, JSON.stringify({ repositories: [{ name: 'UPPER case' }] }));
    const err: string[] = [];
    expect(await main(['serve', '--port', '0', '--seed', seed], { err: (l) => err.push(l), out: () => undefined })).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^ecrkit-sim: Could not load ${seed}: .* or --seed demo / --seed empty\\.$`));
  });

  test('a port in use exits 5', async () => {
    const sim = await serve([]);
    const port = new URL(sim.url).port;
    const err: string[] = [];
    expect(await main(['serve', '--port', port], { err: (l) => err.push(l), out: () => undefined })).toBe(5);
    expect(err.join('\n')).toMatch(new RegExp(`^ecrkit-sim: Could not listen on 127\\.0\\.0\\.1:${port}: .*--port 0 for a free one\\.$`));
    await sim.stop();
  });

  test('seeds by name: demo is the default, empty is empty', async () => {
    const byDefault = await serve([]);
    expect(repoNames((await call(byDefault.url, 'DescribeRepositories', {})).body)).toContain('web-app');
    await byDefault.stop();
    const demo = await serve(['--seed', 'demo']);
    expect(repoNames((await call(demo.url, 'DescribeRepositories', {})).body)).toContain('api-service');
    await demo.stop();
    const empty = await serve(['--seed', 'empty']);
    expect(repoNames((await call(empty.url, 'DescribeRepositories', {})).body)).toEqual([]);
    await empty.stop();
  });

  test('the secret comes from --secret-key-file (one trailing newline dropped) or the environment', async () => {
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, 'file-secret\n');
    for (const [args, env] of [
      [['--access-key', 'AKIDFILE', '--secret-key-file', secretFile], {}],
      [[], { AWS_ACCESS_KEY_ID: 'AKIDFILE', AWS_SECRET_ACCESS_KEY: 'file-secret' }],
    ] as const) {
      const sim = await serve(['--verify-sigv4', '--seed', 'empty', ...args], env);
      const sdk = new AwsSdk();
      const signed = await sdk.send({
        api: 'ecr',
        operation: 'DescribeRepositories',
        input: {},
        endpoint: sim.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' },
      });
      sdk.close();
      expect(signed).toEqual({ ok: true, output: { repositories: [] } });
      expect((await call(sim.url, 'DescribeRepositories', {})).status).toBe(403);
      expect(await sim.stop()).toBe(0);
    }
  });

  test('--public-url is the origin of blob download URLs', async () => {
    const sim = await serve(['--public-url', 'https://ecr-sim.example.test']);
    const images = await call(sim.url, 'BatchGetImage', { repositoryName: 'web-app', imageIds: [{ imageTag: 'latest' }] });
    const manifest = JSON.parse((images.body.images as { imageManifest: string }[])[0]!.imageManifest) as { layers: { digest: string }[] };
    const layer = await call(sim.url, 'GetDownloadUrlForLayer', { repositoryName: 'web-app', layerDigest: manifest.layers[0]!.digest });
    expect(layer.body.downloadUrl).toMatch(/^https:\/\/ecr-sim\.example\.test\/blobs\/123456789012\/us-east-1\/web-app\/sha256:[0-9a-f]{64}\?X-Amz-Algorithm=/);
    expect(await sim.stop()).toBe(0);
  });
});

describe('the ecrkit-sim executable', () => {
  test('prints its URL, serves, saves --state and exits 0 on SIGTERM', async () => {
    const state = join(dir, 'state.json');
    const entry = fileURLToPath(new URL('./ecrkit-sim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@ecrkit/source', '--import', 'tsx', entry, 'serve', '--port', '0', '--state', state], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const url = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error('exited before listening')));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(url, 'CreateRepository', { repositoryName: 'from-child' })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await readFile(state, 'utf8')).toContain('from-child');
  }, 30_000);
});
