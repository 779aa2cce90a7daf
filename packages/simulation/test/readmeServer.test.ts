import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { afterEach, expect, test, vi } from 'vitest';

// The ```ts examples of the README's "Server, bin and recording" section, run verbatim.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Server, bin and recording'));
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// tsx by path: the child runs in a scratch folder, where `--import tsx` would not resolve.
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');
const file = new URL(`./.readme-server-example-${randomUUID()}.ts`, import.meta.url);
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(file, { force: true });
});

test('the startSimulationServer example runs in process (the real AWS SDK included) and prints what it says', async () => {
  writeFileSync(file, blocks[0]!);
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  await import(/* @vite-ignore */ file.href);
  expect(printed.join('\n')).toBe("[ [ 'v1' ] ]");
}, 30_000);

test('the runSimulationServer example serves seed.json, and on SIGINT saves sim-state.json and exits 0', async () => {
  const block = blocks.find((b) => b.includes('runSimulationServer'));
  writeFileSync(file, block!);
  const cwd = mkdtempSync(join(tmpdir(), 'ecrkit-readme-run-'));
  try {
    writeFileSync(join(cwd, 'seed.json'), JSON.stringify({ repositories: [{ name: 'from-readme' }] }));
    // Its own process, in a scratch folder (the example's file names are relative), signalled for real.
    const child = spawn(process.execPath, ['--conditions=@ecrkit/source', '--import', tsxLoader, fileURLToPath(file)], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.CreateRepository' },
      body: JSON.stringify({ repositoryName: 'created-over-http' }),
    });
    expect(response.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    const state = readFileSync(join(cwd, 'sim-state.json'), 'utf8');
    expect(state).toContain('from-readme');
    expect(state).toContain('created-over-http');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}, 30_000);

test('the routes example mounts a face that sees the public URL, and other methods get 405', async () => {
  const block = blocks.find((b) => b.includes('routes: [health]'));
  writeFileSync(file, block!);
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  // Its own module URL: the first example was imported from the same file.
  await import(/* @vite-ignore */ `${file.href}?routes`);
  expect(printed).toEqual(["{ ok: true, publicUrl: 'http://ecr-sim.test:4510' }", '405']);
}, 30_000);
