// `npm run bench -- simulation` (or directly:
// `node --conditions=@ecrkit/source --import tsx packages/simulation/bench/simulation.bench.ts [--quick]`).
// DescribeImages and ListImages throughput in process and over HTTP for repositories of 20 and
// 10,000 images, the cost of listing 10,000 images through pagination against 1,000, peak RSS,
// and the server's DescribeImages (20 images) throughput against a bare node:http server that
// answers with the same canned bytes, both driven by the same undici Pool at 50 concurrent requests.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Transport } from '@ecrkit/core-types';
import { SignatureV4 } from '@smithy/signature-v4';
import { Pool } from 'undici';
import { createSimulatedTransport } from '../src/index.js';
import type { BenchServerData } from './benchServer.js';
import { buildRegistry, repositorySizes } from './fixtures.js';
import { runLargeRegistryBench, type LargeRegistryResult } from './largeRegistry.js';

/** Options of {@link runSimulationBench}. */
export interface SimulationBenchOptions {
  /** Measuring time per row, ms; default 3000. */
  durationMs?: number;
  /** Concurrent HTTP requests; default 50. */
  concurrency?: number;
  /** Log progress lines; default true. */
  log?: (line: string) => void;
}

/** One measured row. */
export interface BenchRow {
  name: string;
  opsPerSec: number;
}

/** Everything measured, plus a printable table. */
export interface SimulationBenchResult {
  rows: BenchRow[];
  /** Listing all images page by page (DescribeImages, 100 per page), ms. */
  paginateMs: { images1k: number; images10k: number; ratio: number };
  /** DescribeImages (20 images) over HTTP at `concurrency`: simulation vs bare node:http. */
  serverVsBare: { simulation: number; bare: number; ratio: number; simulationVerified: number };
  peakRssMb: number;
  /** 200,000 images loaded from a state file and served by a process of its own. */
  large: LargeRegistryResult;
  table: string;
}

const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const target = (op: string) => `AmazonEC2ContainerRegistry_V20150921.${op}`;

async function startServer(data: BenchServerData): Promise<{ url: string; worker: Worker }> {
  // tsx's loader hooks are per thread: register them in the worker before importing TypeScript.
  const entry = new URL('./benchServer.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, {
    eval: true,
    workerData: data,
  });
  const message = await new Promise<{ url?: string; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!message.url) throw new Error(`bench server failed: ${message.error}`);
  return { url: message.url, worker };
}

interface SignedRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Sign once per (server, operation, body) with @smithy/signature-v4: the same headers on every request. */
async function signedRequest(url: string, operation: string, input: unknown): Promise<SignedRequest> {
  const { hostname, port, host } = new URL(url);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'ecr', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    query: {},
    headers: { host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target(operation) },
    body,
  });
  return { method: 'POST', path: '/', headers: signed.headers, body };
}

async function drive(pool: Pool, request: SignedRequest, concurrency: number, durationMs: number): Promise<number> {
  let count = 0;
  let failures = 0;
  const run = async (ms: number) => {
    const deadline = performance.now() + ms;
    const loop = async () => {
      while (performance.now() < deadline) {
        const response = await pool.request(request);
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) failures++;
        count++;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, loop));
    return performance.now() - start;
  };
  await run(Math.min(1000, durationMs / 2));
  count = 0;
  const elapsed = await run(durationMs);
  if (failures > 0) throw new Error(`${failures} requests failed`);
  return (count / elapsed) * 1000;
}

async function inProcess(transport: Transport, operation: 'DescribeImages' | 'ListImages', repositoryName: string, durationMs: number): Promise<number> {
  const once = () => transport.send({ api: 'ecr', operation, input: { repositoryName }, region: 'us-east-1' });
  const warm = performance.now() + Math.min(300, durationMs / 4);
  while (performance.now() < warm) await once();
  let count = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  while (performance.now() < deadline) {
    await once();
    count++;
  }
  return (count / (performance.now() - start)) * 1000;
}

async function paginateAll(transport: Transport, repositoryName: string): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    let nextToken: string | undefined;
    let seen = 0;
    do {
      const page = await transport.send({
        api: 'ecr',
        operation: 'DescribeImages',
        input: { repositoryName, maxResults: 100, nextToken },
        region: 'us-east-1',
      });
      seen += page.imageDetails?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    best = Math.min(best, performance.now() - start);
    if (seen !== repositorySizes[repositoryName as keyof typeof repositorySizes]) throw new Error(`paginated ${seen} images of ${repositoryName}`);
  }
  return best;
}

function formatTable(result: Omit<SimulationBenchResult, 'table'>): string {
  const lines: string[] = [];
  const width = Math.max(...result.rows.map((r) => r.name.length));
  lines.push(`${'benchmark'.padEnd(width)}  ops/s`);
  for (const row of result.rows) lines.push(`${row.name.padEnd(width)}  ${Math.round(row.opsPerSec).toLocaleString('en-US').padStart(9)}`);
  lines.push('');
  lines.push(
    `paginate all (DescribeImages, 100/page): 1,000 images ${result.paginateMs.images1k.toFixed(1)} ms, 10,000 images ${result.paginateMs.images10k.toFixed(1)} ms, ratio ${result.paginateMs.ratio.toFixed(2)} (10 = linear)`,
  );
  lines.push(
    `server vs bare node:http (DescribeImages, 20 images, 50 concurrent, signed): ${Math.round(result.serverVsBare.simulation)} vs ${Math.round(result.serverVsBare.bare)} ops/s = ${(result.serverVsBare.ratio * 100).toFixed(1)}% (target >= 40%)`,
  );
  lines.push(`  with SigV4 verification on: ${Math.round(result.serverVsBare.simulationVerified)} ops/s`);
  lines.push(`peak RSS: ${result.peakRssMb.toFixed(0)} MB`);
  const l = result.large;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const n = l.images.toLocaleString('en-US');
  lines.push('');
  lines.push(
    `large registry: ${n} images (20 repositories x 10,000 + one of 20), state file ${mb(l.fileBytes)}${l.buildMs ? `, built in ${(l.buildMs / 1000).toFixed(1)} s` : ' (cached)'}`,
  );
  lines.push(
    `  loaded in ${(l.loadMs / 1000).toFixed(1)} s (${(l.loadCpuMs / 1000).toFixed(1)} s of CPU); RSS after load ${l.rssAfterLoadMb.toFixed(0)} MB (heap ${l.heapAfterLoadMb.toFixed(0)} MB); peak RSS ${l.peakRssMb.toFixed(0)} MB (target < 1024)`,
  );
  lines.push(
    `  DescribeImages, first page of 20 of 10,000 vs the 20-image repository: in process ${Math.round(l.inProcess.largeFirstPage)} vs ${Math.round(l.inProcess.small)} ops/s = ${((l.inProcess.largeFirstPage / l.inProcess.small) * 100).toFixed(0)}%; over HTTP ${Math.round(l.http.largeFirstPage)} vs ${Math.round(l.http.small)} ops/s = ${((l.http.largeFirstPage / l.http.small) * 100).toFixed(0)}% (target >= 50%)`,
  );
  lines.push(`  (first page at the default size, 100 images: ${Math.round(l.inProcess.largeFirstPageDefault)} ops/s in process)`);
  lines.push(
    `  saving one change (a tag moved): journal append + fdatasync ${l.save.journalMeanMs.toFixed(2)} ms mean (${l.save.journalCpuMeanMs.toFixed(2)} ms CPU), ${l.save.journalMaxMs.toFixed(1)} ms worst of ${l.save.journalSaves}, ${Math.round(l.save.journalBytesPerSave)} bytes; rewriting the whole snapshot ${(l.save.rewriteMs / 1000).toFixed(1)} s (${(l.save.rewriteCpuMs / 1000).toFixed(1)} s CPU), ${mb(l.save.rewriteBytes)}: ${Math.round(l.save.rewriteMs / l.save.journalMeanMs).toLocaleString('en-US')}x`,
  );
  return lines.join('\n');
}

/** Run every measurement and return the numbers and a printable table. */
export async function runSimulationBench(options: SimulationBenchOptions = {}): Promise<SimulationBenchResult> {
  const durationMs = options.durationMs ?? 3000;
  const concurrency = options.concurrency ?? 50;
  const log = options.log ?? ((line: string) => console.log(line));
  const rows: BenchRow[] = [];

  log('building registries (20, 1,000 and 10,000 images) ...');
  const registry = buildRegistry({ small: repositorySizes.small, medium: repositorySizes.medium, large: repositorySizes.large });
  const transport = createSimulatedTransport(registry);
  for (const operation of ['DescribeImages', 'ListImages'] as const) {
    for (const repo of ['small', 'large'] as const) {
      const name = `in-process ${operation} (${repositorySizes[repo].toLocaleString('en-US')} images)`;
      rows.push({ name, opsPerSec: await inProcess(transport, operation, repo, durationMs) });
      log(`  ${name}: ${Math.round(rows.at(-1)!.opsPerSec)} ops/s`);
    }
  }
  const images1k = await paginateAll(transport, 'medium');
  const images10k = await paginateAll(transport, 'large');

  const sizes = { small: repositorySizes.small, large: repositorySizes.large };
  const simulation = await startServer({ kind: 'simulation', images: sizes, credentials: [credentials] });
  const verified = await startServer({ kind: 'simulation', images: { small: repositorySizes.small }, verifySignatures: true, credentials: [credentials] });
  const simPool = new Pool(simulation.url, { connections: concurrency });
  const verifiedPool = new Pool(verified.url, { connections: concurrency });
  try {
    for (const operation of ['DescribeImages', 'ListImages'] as const) {
      for (const repo of ['small', 'large'] as const) {
        const name = `HTTP ${operation} (${repositorySizes[repo].toLocaleString('en-US')} images, ${concurrency} concurrent)`;
        rows.push({ name, opsPerSec: await drive(simPool, await signedRequest(simulation.url, operation, { repositoryName: repo }), concurrency, durationMs) });
        log(`  ${name}: ${Math.round(rows.at(-1)!.opsPerSec)} ops/s`);
      }
    }

    const simRequest = await signedRequest(simulation.url, 'DescribeImages', { repositoryName: 'small' });
    const cannedResponse = await simPool.request(simRequest);
    const canned = new Uint8Array(await cannedResponse.body.arrayBuffer());
    const bare = await startServer({ kind: 'bare', canned });
    const barePool = new Pool(bare.url, { connections: concurrency });
    try {
      const bareRequest = await signedRequest(bare.url, 'DescribeImages', { repositoryName: 'small' });
      // Alternate the two, best of three each, so drift on a shared machine hits both alike.
      let sim = 0;
      let bareOps = 0;
      for (let round = 0; round < 3; round++) {
        sim = Math.max(sim, await drive(simPool, simRequest, concurrency, durationMs));
        bareOps = Math.max(bareOps, await drive(barePool, bareRequest, concurrency, durationMs));
      }
      const simVerified = await drive(verifiedPool, await signedRequest(verified.url, 'DescribeImages', { repositoryName: 'small' }), concurrency, durationMs);
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      log('large registry ...');
      const large = await runLargeRegistryBench({ durationMs, concurrency, log });
      const result = {
        rows,
        paginateMs: { images1k, images10k, ratio: images10k / images1k },
        serverVsBare: { simulation: sim, bare: bareOps, ratio: sim / bareOps, simulationVerified: simVerified },
        peakRssMb,
        large,
      };
      return { ...result, table: formatTable(result) };
    } finally {
      await barePool.close();
      await bare.worker.terminate();
    }
  } finally {
    await simPool.close();
    await verifiedPool.close();
    await simulation.worker.terminate();
    await verified.worker.terminate();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const result = await runSimulationBench({ durationMs: quick ? 1000 : 3000 });
  console.log(`\n${result.table}`);
}
