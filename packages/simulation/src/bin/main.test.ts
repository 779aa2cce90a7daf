import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadSnapshot } from '../snapshot.js';
import { main } from './main.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-sim-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Run `main` in process: resolves with its URL once it listens, and a `stop()` giving the exit code. */
async function serve(args: string[]) {
  const controller = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const exit = main(['serve', '--port', '0', ...args], {
    signal: controller.signal,
    stopOnSignals: [],
    saveDelayMs: 0,
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
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['start'], /unknown command 'start'/],
      [['serve', '--port', 'http'], /--port must be an integer/],
      [['serve', '--colour'], /Unknown option '--colour'/],
      [['serve', '--verify-sigv4'], /--verify-sigv4 needs --access-key/],
      [['serve', '--access-key', 'AKID'], /go together/],
    ];
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      for (const [args, message] of cases) {
        const err: string[] = [];
        expect(await main(args, { err: (l) => err.push(l), out: () => undefined })).toBe(2);
        expect(err.join('\n')).toMatch(message);
      }
    } finally {
      if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.key !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.key;
    }
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

  test('a seed that is not valid fails with exit code 2 (bad usage) and names the file', async () => {
    const seed = join(dir, 'bad.json');
    await writeFile(seed, JSON.stringify({ repositories: [{ name: 'UPPER case' }] }));
    const err: string[] = [];
    expect(await main(['serve', '--port', '0', '--seed', seed], { err: (l) => err.push(l), out: () => undefined })).toBe(2);
    expect(err.join('\n')).toContain(seed);
  });

  test('a port in use fails with exit code 1', async () => {
    const sim = await serve([]);
    const port = new URL(sim.url).port;
    const err: string[] = [];
    expect(await main(['serve', '--port', port], { err: (l) => err.push(l), out: () => undefined })).toBe(1);
    expect(err.join('\n')).toMatch(/cannot listen/);
    await sim.stop();
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
