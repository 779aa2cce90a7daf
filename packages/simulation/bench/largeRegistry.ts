// The large-registry part of `npm run bench -- simulation`: 200,000 images (20 repositories of
// 10,000) in a state file, loaded and served by a process of its own so its peak RSS is its own.
// The parent (runLargeRegistryBench) builds the file once per fixture version (in another child,
// cached in the temporary folder), then starts the serving child, drives DescribeImages over HTTP
// against it and collects what the child measured: load time, RSS, in-process DescribeImages,
// and the cost of a save both ways, appending to the journal and rewriting the whole snapshot.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { createSimulatedTransport, saveSnapshot, startSimulationServer, StateFile } from '../src/index.js';
import { buildLargeRegistry, largeRegistrySize } from './fixtures.js';

/** Bump when the fixture or the file format changes, so a cached file is rebuilt. */
const fixtureVersion = 'v2-1';

/** What the serving child measured. */
export interface LargeRegistryServeResult {
  images: number;
  fileBytes: number;
  loadMs: number;
  /** CPU time (user + system) of the load: what a busy shared machine does not inflate. */
  loadCpuMs: number;
  rssAfterLoadMb: number;
  heapAfterLoadMb: number;
  /** In process, ops/s: the first page of 20 of a 10,000-image repository vs the 20-image repository. */
  inProcess: { largeFirstPage: number; small: number; largeFirstPageDefault: number };
  /** One tag change saved: appending it to the journal (mean and worst of `journalSaves`), vs rewriting the whole snapshot (compaction). */
  save: {
    journalMeanMs: number;
    journalMaxMs: number;
    journalCpuMeanMs: number;
    journalSaves: number;
    journalBytesPerSave: number;
    rewriteMs: number;
    rewriteCpuMs: number;
    rewriteBytes: number;
  };
  peakRssMb: number;
}

/** Everything the large-registry part reports. */
export interface LargeRegistryResult extends LargeRegistryServeResult {
  buildMs: number | undefined;
  /** Over HTTP (one undici Pool, `concurrency` concurrent), ops/s. */
  http: { largeFirstPage: number; small: number };
}

const here = fileURLToPath(import.meta.url);

function child(args: string[]): ChildProcess {
  return fork(here, args, { execArgv: ['--conditions=@ecrkit/source', '--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`benchmark child exited (${code}) early`));
    proc.once('exit', onExit);
    proc.once('message', (m) => {
      proc.off('exit', onExit);
      resolve(m as T);
    });
  });
}

async function opsPerSec(run: () => Promise<unknown>, durationMs: number, concurrency = 1): Promise<number> {
  const loop = async (until: number) => {
    let n = 0;
    while (performance.now() < until) {
      await run();
      n++;
    }
    return n;
  };
  const warm = performance.now() + Math.min(500, durationMs / 4);
  await Promise.all(Array.from({ length: concurrency }, () => loop(warm)));
  const start = performance.now();
  const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(start + durationMs)));
  return (counts.reduce((a, b) => a + b, 0) / (performance.now() - start)) * 1000;
}

/** Build the 200,000-image state file (or reuse the cached one); resolves with its path and the build time. */
async function stateFile(log: (line: string) => void): Promise<{ path: string; buildMs: number | undefined }> {
  const path = join(tmpdir(), `ecrkit-bench-large-registry-${fixtureVersion}.state`);
  if (existsSync(path)) return { path, buildMs: undefined };
  log(
    `building the large registry (${(largeRegistrySize.repositories * largeRegistrySize.imagesPerRepository).toLocaleString('en-US')} images) into ${path} ...`,
  );
  const builder = child(['build', `${path}.partial`]);
  const { buildMs } = await nextMessage<{ buildMs: number }>(builder);
  await new Promise((resolve) => builder.once('exit', resolve));
  renameSync(`${path}.partial`, path);
  return { path, buildMs };
}

/** Load 200,000 images in a child, serve them, and measure (see {@link LargeRegistryResult}). */
export async function runLargeRegistryBench(options: { durationMs: number; concurrency: number; log: (line: string) => void }): Promise<LargeRegistryResult> {
  const { path, buildMs } = await stateFile(options.log);
  const work = join(tmpdir(), `ecrkit-bench-large-${process.pid}.state`);
  rmSync(work, { force: true });
  const serving = child(['serve', path, work, String(options.durationMs)]);
  try {
    const { url } = await nextMessage<{ url: string }>(serving);
    options.log(`  large registry served at ${url}`);
    const pool = new Pool(url, { connections: options.concurrency });
    const request = (input: unknown) => ({
      method: 'POST' as const,
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages' },
      body: JSON.stringify(input),
    });
    const drive = (input: unknown) =>
      opsPerSec(
        async () => {
          const response = await pool.request(request(input));
          await response.body.arrayBuffer();
          if (response.statusCode !== 200) throw new Error(`DescribeImages answered ${response.statusCode}`);
        },
        options.durationMs,
        options.concurrency,
      );
    // Alternate, best of two, so drift on a shared machine hits both alike.
    let largeFirstPage = 0;
    let small = 0;
    for (let round = 0; round < 2; round++) {
      largeFirstPage = Math.max(largeFirstPage, await drive({ repositoryName: 'large-7', maxResults: 20 }));
      small = Math.max(small, await drive({ repositoryName: 'small' }));
    }
    await pool.close();
    serving.send('measure');
    const measured = await nextMessage<LargeRegistryServeResult>(serving);
    return { ...measured, buildMs, http: { largeFirstPage, small } };
  } finally {
    serving.kill();
    rmSync(work, { force: true });
    rmSync(`${work}.lock`, { recursive: true, force: true });
  }
}

async function buildMain(path: string): Promise<void> {
  const start = performance.now();
  const registry = buildLargeRegistry();
  await saveSnapshot(registry, path);
  process.send?.({ buildMs: performance.now() - start });
}

async function serveMain(source: string, work: string, durationMs: number): Promise<void> {
  // Work on a copy: the saves below must not change the cached fixture.
  const { copyFileSync } = await import('node:fs');
  copyFileSync(source, work);
  globalThis.gc?.();
  const loadStart = performance.now();
  const loadCpu = process.cpuUsage();
  const file = await StateFile.open(work);
  const loadMs = performance.now() - loadStart;
  const loadCpuMs = cpuMs(loadCpu);
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const registry = file.registry;
  const server = await startSimulationServer({ registry });
  process.send?.({ url: server.url });
  await new Promise((resolve) => process.once('message', resolve));
  await server.close();

  const transport = createSimulatedTransport(registry);
  const describe = (input: Record<string, unknown>) => () =>
    transport.send({ api: 'ecr', operation: 'DescribeImages', input: input as never, region: 'us-east-1' });
  const inProcess = {
    largeFirstPage: await opsPerSec(describe({ repositoryName: 'large-7', maxResults: 20 }), durationMs),
    small: await opsPerSec(describe({ repositoryName: 'small' }), durationMs),
    largeFirstPageDefault: await opsPerSec(describe({ repositoryName: 'large-7' }), durationMs),
  };

  // A save of one change, both ways: append it to the journal, or rewrite the whole state. The
  // change moves a tag to another image (two image records change).
  const journalSaves = 200;
  const manifests = Array.from({ length: journalSaves }, (_, i) => manifestOf(registry, 'large-3', `v${i}`));
  await file.save();
  const times: number[] = [];
  const before = file.size;
  const journalCpu = process.cpuUsage();
  for (let i = 0; i < journalSaves; i++) {
    registry.applySync({ api: 'ecr', operation: 'PutImage', input: { repositoryName: 'large-3', imageManifest: manifests[i], imageTag: 'moving' } });
    const start = performance.now();
    await file.save();
    times.push(performance.now() - start);
  }
  const journalCpuMeanMs = cpuMs(journalCpu) / journalSaves;
  const journalBytesPerSave = (file.size - before) / journalSaves;
  const rewriteStart = performance.now();
  const rewriteCpu = process.cpuUsage();
  await file.compact();
  const rewriteMs = performance.now() - rewriteStart;
  const rewriteCpuMs = cpuMs(rewriteCpu);
  const rewriteBytes = statSync(work).size;
  await file.close();
  const images = largeRegistrySize.repositories * largeRegistrySize.imagesPerRepository + largeRegistrySize.small;
  const result: LargeRegistryServeResult = {
    images,
    fileBytes: statSync(source).size,
    loadMs,
    loadCpuMs,
    rssAfterLoadMb: memory.rss / 2 ** 20,
    heapAfterLoadMb: memory.heapUsed / 2 ** 20,
    inProcess,
    save: {
      journalMeanMs: times.reduce((a, b) => a + b, 0) / times.length,
      journalMaxMs: Math.max(...times),
      journalCpuMeanMs,
      journalSaves,
      journalBytesPerSave,
      rewriteMs,
      rewriteCpuMs,
      rewriteBytes,
    },
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.send?.(result);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function manifestOf(registry: ReturnType<typeof buildLargeRegistry>, repositoryName: string, tag: string): string {
  const { images } = registry.applySync({ api: 'ecr', operation: 'BatchGetImage', input: { repositoryName, imageIds: [{ imageTag: tag }] } }) as {
    images: { imageManifest: string }[];
  };
  return images[0]!.imageManifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'build') await buildMain(args[0]!);
  else if (mode === 'serve') await serveMain(args[0]!, args[1]!, Number(args[2]));
  process.disconnect?.();
}
