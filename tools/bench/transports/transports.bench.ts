// Transport benchmark: the SDK transport, the SigV4 transport and raw unsigned undici POSTs (the
// floor) against a canned server in a separate process that answers every request with the same
// recorded DescribeImages page of 20 images, so that the clients, not the server, are measured.
// Each client runs in its own process (its RSS is its own), from the BUILT packages.
//
//   node --conditions=@ecrkit/source --import tsx tools/bench/transports/transports.bench.ts
//   (or `npm run bench -- transports`). BENCH_ROUNDS x BENCH_DURATION_MS per client (default
//   9 x 1500 ms, clients taking turns, median reported), BENCH_WARMUP_MS, BENCH_COLD_RUNS,
//   BENCH_REFERENCES=0 (main clients only) and BENCH_SKIP_BUILD=1 tune it. BENCH_INSTRUCTIONS=1
//   also counts instructions per call under valgrind (a few minutes; unmoved by machine load).
// Throughput ratios are medians of per-round ratios: the two clients of a pair ran back to back
// in each round, so load that drifts over the run (a shared VM) cancels out of each ratio.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SimulatedRegistry, startSimulationServer } from '@ecrkit/simulation';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

type ClientKind = 'sdk' | 'sigv4' | 'undici' | 'undici-noparse' | 'undici-pool' | 'http';
const clientNames: Record<ClientKind, string> = {
  undici: 'raw undici (floor)',
  sigv4: 'SigV4 transport',
  sdk: 'SDK transport',
  'undici-noparse': 'raw undici, no parse',
  'undici-pool': 'undici Pool only',
  http: 'node:http keep-alive',
};
/** The three clients the targets are about. */
const mainClients = ['undici', 'sigv4', 'sdk'] as const;
/** Unsigned references for the SigV4 transport's design choices (skip with BENCH_REFERENCES=0). */
const referenceClients = ['undici-noparse', 'undici-pool', 'http'] as const;
type ColdKind = 'sdk' | 'sigv4' | 'undici' | 'undici-pool' | 'http';

/** One client at one concurrency. */
export interface ThroughputResult {
  client: ClientKind;
  concurrency: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxRssMiB: number;
}

/** Medians over the cold runs, in milliseconds. */
export interface ColdResult {
  client: ColdKind;
  /** First response in hand, since process start, minus the same for an empty script. */
  firstResponseMs: number;
  /** Spawn to exit, minus spawn to exit of `node -e 0`. */
  wallMs: number;
}

/** Everything one run measured. */
export interface TransportBenchResult {
  machine: string;
  node: string;
  responseBytes: number;
  throughput: ThroughputResult[];
  cold: ColdResult[];
  bareRssMiB: number;
  installBytes: Record<string, { total: number; packages: number; credentialProviders: number }>;
  ratios: { sigv4VsSdkC50: number; sigv4VsUndiciC50: number; sigv4VsUndiciC1: number; coldSigv4VsSdk: number };
  /** Client instructions per DescribeImages at c=50 under valgrind (BENCH_INSTRUCTIONS=1). */
  instructionsPerCall?: { undici: number; sigv4: number };
  /** Lowest and highest per-round ratio behind each throughput ratio. */
  ratioRanges: Record<'sigv4VsSdkC50' | 'sigv4VsUndiciC50' | 'sigv4VsUndiciC1', [number, number]>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Record the DescribeImages page from the simulation: status, headers and bytes exactly as served. */
async function recordResponse(): Promise<{ status: number; headers: Record<string, string>; body: string; bytes: number }> {
  const registry = new SimulatedRegistry({ seed: 2024 });
  registry.withRepository('web-app', { scanOnPush: false });
  for (let i = 0; i < 20; i++) {
    registry.addImage('web-app', { tags: [`v1.${i}`, ...(i % 5 === 0 ? [`release-${i}`] : [])], layers: 3, mediaType: i % 2 === 0 ? 'docker' : 'oci' });
    if (i % 3 === 0) registry.withScanFindings('web-app', `v1.${i}`, { critical: i % 2, high: 2, medium: 3, low: 5 });
  }
  const server = await startSimulationServer({ registry });
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages' },
      body: JSON.stringify({ repositoryName: 'web-app', maxResults: 20 }),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const parsed = JSON.parse(body.toString('utf8')) as { imageDetails?: unknown[] };
    if (response.status !== 200 || parsed.imageDetails?.length !== 20) throw new Error(`recording failed: HTTP ${response.status}`);
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? '', 'x-amzn-requestid': response.headers.get('x-amzn-requestid') ?? '' },
      body: body.toString('base64'),
      bytes: body.length,
    };
  } finally {
    await server.close();
  }
}

function startCannedServer(file: string): Promise<{ url: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'cannedServer.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ url: `http://127.0.0.1:${line.trim()}`, stop: () => child.kill('SIGTERM') });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`canned server exited (${code})`)));
  });
}

function runChild(args: string[]): Promise<{ stdout: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ stdout, wallMs });
      // The SDK prints a Node-version warning on stderr; only a failure shows it.
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** A client process driven over stdin: `run <ms>` lines, each answered by one JSON line. */
function startClient(
  kind: ClientKind,
  url: string,
  concurrency: number,
  warmupMs: number,
): Promise<{ round(ms: number): Promise<{ opsPerSec: number }>; finish(): Promise<{ p50Ms: number; p99Ms: number; maxRssMiB: number }> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'client.mjs'), kind, url, String(concurrency), String(warmupMs)], {
      cwd: here,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    const waiting: ((line: string) => void)[] = [];
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        waiting.shift()?.(line);
      }
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${kind} client exited with ${code}: ${stderr.slice(-2000)}`));
    });
    const next = () => new Promise<string>((r) => waiting.push(r));
    void next().then((line) => {
      if (line !== 'ready') return reject(new Error(`${kind} client: ${line}`));
      resolve({
        async round(ms) {
          const reply = next();
          child.stdin.write(`run ${ms}\n`);
          return JSON.parse(await reply) as { opsPerSec: number };
        },
        async finish() {
          const reply = next();
          child.stdin.write('exit\n');
          return JSON.parse(await reply) as { p50Ms: number; p99Ms: number; maxRssMiB: number };
        },
      });
    });
  });
}

/** Bytes on disk (apparent sizes) of a directory, nested `node_modules` left out. */
function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Where Node would find package `name` from `fromDir`. */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Bytes a package puts on disk; workspace packages count only what they publish. */
function packageBytes(dir: string, name: string): number {
  if (!name.startsWith('@ecrkit/')) return dirBytes(dir);
  return ['dist', 'README.md', 'package.json'].reduce((sum, f) => {
    const p = join(dir, f);
    return existsSync(p) ? sum + (statSync(p).isDirectory() ? dirBytes(p) : statSync(p).size) : sum;
  }, 0);
}

/** The production dependency closure (through `dependencies`), each package once, optionally without one dependency. */
function closure(packageName: string, without?: string): Map<string, number> {
  const seen = new Map<string, number>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
    seen.set(dir, packageBytes(dir, pkg.name));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (dep === without) continue;
      const depDir = packageDir(dep, dir);
      if (depDir) visit(depDir);
    }
  };
  const start = packageDir(packageName, root);
  if (!start) throw new Error(`cannot find ${packageName}`);
  visit(start);
  return seen;
}

/** Install size of a package's production closure, and how much of it only the credential providers need. */
function installSize(packageName: string): { total: number; packages: number; credentialProviders: number } {
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const full = closure(packageName);
  return { total: sum(full), packages: full.size, credentialProviders: sum(full) - sum(closure(packageName, '@aws-sdk/credential-providers')) };
}

/** Instructions the client process executes, under callgrind, for `calls` DescribeImages at c=50. */
function countInstructions(kind: 'undici' | 'sigv4', url: string, calls: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=callgrind',
      '--smc-check=all-non-file',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      join(here, 'count.mjs'),
      kind,
      url,
      '50',
      String(calls),
    ];
    const child = spawn('valgrind', args, { cwd: here, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code === 0 && collected) resolve(Number(collected[1]));
      else reject(new Error(`valgrind ${kind} exited with ${code}: ${stderr.slice(-1000)}`));
    });
  });
}

/** Per-call instructions: the difference between 5,000 and 1,000 calls, so start-up cancels out. */
async function instructionsPerCall(url: string): Promise<{ undici: number; sigv4: number }> {
  const perCall = async (kind: 'undici' | 'sigv4') => {
    const [few, many] = await Promise.all([countInstructions(kind, url, 1000), countInstructions(kind, url, 5000)]);
    return (many - few) / 4000;
  };
  return { undici: await perCall('undici'), sigv4: await perCall('sigv4') };
}

function build(): void {
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', '@ecrkit/transport-sdk,@ecrkit/transport-sigv4', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Run the whole benchmark; returns the numbers and prints one table. */
export async function run(
  options: { durationMs?: number; rounds?: number; warmupMs?: number; coldRuns?: number; print?: boolean } = {},
): Promise<TransportBenchResult> {
  const durationMs = options.durationMs ?? Number(process.env.BENCH_DURATION_MS ?? 1500);
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 9);
  const warmupMs = options.warmupMs ?? Number(process.env.BENCH_WARMUP_MS ?? 2000);
  const coldRuns = options.coldRuns ?? Number(process.env.BENCH_COLD_RUNS ?? 11);
  const log = options.print === false ? () => undefined : (line: string) => console.log(line);

  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('building @ecrkit/transport-sdk and @ecrkit/transport-sigv4 (and core-types) ...');
    build();
  }
  const recording = await recordResponse();
  const dir = mkdtempSync(join(tmpdir(), 'ecrkit-bench-'));
  const file = join(dir, 'describe-images.json');
  writeFileSync(file, JSON.stringify(recording));
  const server = await startCannedServer(file);
  log(`recorded DescribeImages page: 20 images, ${recording.bytes} bytes; canned server at ${server.url}`);

  try {
    const withReferences = process.env.BENCH_REFERENCES !== '0';
    const clients: ClientKind[] = [...mainClients, ...(withReferences ? referenceClients : [])];
    const coldKinds: ColdKind[] = ['sigv4', 'sdk', ...(withReferences ? (['undici', 'undici-pool', 'http'] as const) : [])];
    const throughput: ThroughputResult[] = [];
    const roundRates = new Map<string, number[]>();
    for (const concurrency of [1, 50]) {
      const running = [];
      for (const client of clients) running.push({ client, worker: await startClient(client, server.url, concurrency, warmupMs) });
      const rates = new Map<ClientKind, number[]>();
      for (const client of clients) roundRates.set(`${client}@${concurrency}`, rates.set(client, []).get(client)!);
      for (let round = 0; round < rounds; round++) {
        for (const { client, worker } of running) rates.get(client)!.push((await worker.round(durationMs)).opsPerSec);
      }
      for (const { client, worker } of running) {
        const final = await worker.finish();
        const opsPerSec = median(rates.get(client)!);
        throughput.push({ client, concurrency, opsPerSec, ...final });
        log(`  ${clientNames[client]} c=${concurrency}: ${Math.round(opsPerSec)} ops/s (rounds: ${rates.get(client)!.map(Math.round).join(', ')})`);
      }
    }

    const firsts = new Map<ColdKind | 'bare', number[]>();
    const walls = new Map<ColdKind | 'bare', number[]>();
    const push = (m: Map<ColdKind | 'bare', number[]>, k: ColdKind | 'bare', v: number) => m.set(k, [...(m.get(k) ?? []), v]);
    for (let i = 0; i < coldRuns; i++) {
      push(walls, 'bare', (await runChild(['-e', '0'])).wallMs);
      for (const kind of ['bare', ...coldKinds] as const) {
        const { stdout, wallMs } = await runChild([join(here, 'cold.mjs'), kind, server.url]);
        push(firsts, kind, Number(stdout.trim()));
        if (kind !== 'bare') push(walls, kind, wallMs);
      }
    }
    const cold: ColdResult[] = coldKinds.map((client) => ({
      client,
      firstResponseMs: median(firsts.get(client)!) - median(firsts.get('bare')!),
      wallMs: median(walls.get(client)!) - median(walls.get('bare')!),
    }));
    let instructions: { undici: number; sigv4: number } | undefined;
    if (process.env.BENCH_INSTRUCTIONS === '1') {
      log('counting instructions per call under valgrind ...');
      instructions = await instructionsPerCall(server.url);
    }
    const bareRss = JSON.parse((await runChild(['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS / 1024))'])).stdout) as number;

    const installBytes = {
      '@ecrkit/transport-sdk': installSize('@ecrkit/transport-sdk'),
      '@ecrkit/transport-sigv4': installSize('@ecrkit/transport-sigv4'),
    };

    const coldOf = (client: ColdKind) => cold.find((c) => c.client === client)!;
    const perRound = (a: ClientKind, b: ClientKind, c: number) => {
      const bs = roundRates.get(`${b}@${c}`)!;
      return roundRates.get(`${a}@${c}`)!.map((rate, i) => rate / bs[i]!);
    };
    const paired = {
      sigv4VsSdkC50: perRound('sigv4', 'sdk', 50),
      sigv4VsUndiciC50: perRound('sigv4', 'undici', 50),
      sigv4VsUndiciC1: perRound('sigv4', 'undici', 1),
    };
    const ratios = {
      sigv4VsSdkC50: median(paired.sigv4VsSdkC50),
      sigv4VsUndiciC50: median(paired.sigv4VsUndiciC50),
      sigv4VsUndiciC1: median(paired.sigv4VsUndiciC1),
      coldSigv4VsSdk: coldOf('sigv4').firstResponseMs / coldOf('sdk').firstResponseMs,
    };
    const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
    const ratioRanges = {
      sigv4VsSdkC50: range(paired.sigv4VsSdkC50),
      sigv4VsUndiciC50: range(paired.sigv4VsUndiciC50),
      sigv4VsUndiciC1: range(paired.sigv4VsUndiciC1),
    };
    const result: TransportBenchResult = {
      machine: `${cpus()[0]?.model ?? 'unknown cpu'} x${availableParallelism()}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
      node: process.version,
      responseBytes: recording.bytes,
      throughput,
      cold,
      bareRssMiB: bareRss,
      installBytes,
      ratios,
      ratioRanges,
      ...(instructions === undefined ? {} : { instructionsPerCall: instructions }),
    };
    log('');
    log(formatTable(result));
    return result;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one table, and the ratios against the targets. */
export function formatTable(r: TransportBenchResult): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number, digits = 0) => n.toFixed(digits);
  const coldNames: Record<ColdKind, string> = {
    sdk: 'SDK transport',
    sigv4: 'SigV4 transport',
    undici: 'undici (full entry)',
    'undici-pool': 'undici Pool only',
    http: 'node:http',
  };
  const row = (t: ThroughputResult) =>
    `| ${pad(clientNames[t.client], 22)} | ${pad(String(t.concurrency), 3)} | ${pad(num(t.opsPerSec), 7)} | ${pad(num(t.p50Ms, 2), 7)} | ${pad(num(t.p99Ms, 2), 7)} | ${pad(`${num(t.maxRssMiB, 1)} MiB`, 10)} |`;
  const isMain = (t: ThroughputResult) => (mainClients as readonly string[]).includes(t.client);
  const lines = [
    `DescribeImages, a recorded page of 20 images (${r.responseBytes} bytes); ${r.machine}; Node ${r.node}`,
    '',
    `| ${pad('client', 22)} | c   | ops/s   | p50 ms  | p99 ms  | peak RSS   |`,
    `| ${'-'.repeat(22)} | --- | ------- | ------- | ------- | ---------- |`,
    ...r.throughput.filter(isMain).map(row),
  ];
  const refs = r.throughput.filter((t) => !isMain(t));
  if (refs.length > 0) lines.push(`| ${pad('unsigned references:', 22)} |     |         |         |         |            |`, ...refs.map(row));
  lines.push('', `Peak RSS of a bare node process: ${num(r.bareRssMiB, 1)} MiB.`, '');
  lines.push(
    `| ${pad('cold start', 22)} | first response, minus bare | process wall, minus node -e 0 |`,
    `| ${'-'.repeat(22)} | ------------------------- | ----------------------------- |`,
  );
  for (const c of r.cold)
    lines.push(`| ${pad(coldNames[c.client], 22)} | ${pad(`${num(c.firstResponseMs, 1)} ms`, 25)} | ${pad(`${num(c.wallMs, 1)} ms`, 29)} |`);
  lines.push('');
  for (const [name, s] of Object.entries(r.installBytes)) {
    lines.push(
      `Install size of ${name}: ${mib(s.total)} in ${s.packages} packages (of which only @aws-sdk/credential-providers needs ${mib(s.credentialProviders)}).`,
    );
  }
  if (r.instructionsPerCall !== undefined) {
    const { undici, sigv4 } = r.instructionsPerCall;
    lines.push(
      '',
      `Instructions per call at c=50 (valgrind, 5,000 minus 1,000 calls): raw undici ${num(undici / 1000)}k, SigV4 transport ${num(sigv4 / 1000)}k; undici / SigV4 = ${num(undici / sigv4, 2)}.`,
    );
  }
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const spread = (key: keyof TransportBenchResult['ratioRanges']) => `rounds ${num(r.ratioRanges[key][0], 2)}–${num(r.ratioRanges[key][1], 2)}`;
  lines.push(
    '',
    'Throughput ratios: the median of the per-round ratios (the two clients ran back to back in each round).',
    `SigV4 / SDK ops/s at c=50: ${num(r.ratios.sigv4VsSdkC50, 2)}x, ${spread('sigv4VsSdkC50')} (target >= 4x: ${check(r.ratios.sigv4VsSdkC50 >= 4)})`,
    `SigV4 / raw undici ops/s at c=50: ${num(r.ratios.sigv4VsUndiciC50, 2)}x, ${spread('sigv4VsUndiciC50')} (target >= 0.8x: ${check(r.ratios.sigv4VsUndiciC50 >= 0.8)}); at c=1: ${num(r.ratios.sigv4VsUndiciC1, 2)}x, ${spread('sigv4VsUndiciC1')}`,
    `SigV4 / SDK cold first response: ${num(r.ratios.coldSigv4VsSdk * 100, 0)}% (target <= 60%: ${check(r.ratios.coldSigv4VsSdk <= 0.6)})`,
  );
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
