// `npm run bench -- registry` (or directly:
// `node --conditions=@ecrkit/source --import tsx tools/bench/registry/registry.bench.ts [--quick]`).
// skopeo pushes a 256 MiB image (4 layers of 64 MiB of random bytes, gzip-wrapped) into the
// simulation's registry and pulls it back out, side by side with skopeo copying the same image
// between two local `oci:` layouts, in alternating rounds of one run. The server runs in its own
// process with a state file, so blobs stream into the content-addressed folder beside it; its
// resident memory is sampled during each push. Each round uses a fresh server: skopeo remembers
// where it pushed a blob before and would mount it instead of uploading it again. Targets: push and pull each within 2x of the
// local copy; server RSS growth under 64 MiB during the push.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findExecutable, runIndependentClient, writeOciLayout } from '@ecrkit/test-utils';

const mib = 1024 * 1024;

/** Options of {@link runRegistryBench}. */
export interface RegistryBenchOptions {
  /** Layers of the image; default 4. */
  layers?: number;
  /** Random bytes per layer; default 64 MiB. */
  layerBytes?: number;
  /** Rounds of local copy, push and pull; default 5 (median taken). */
  rounds?: number;
  log?: (line: string) => void;
}

/** What was measured (milliseconds and bytes; medians over rounds). */
export interface RegistryBenchResult {
  imageBytes: number;
  localMs: number;
  pushMs: number;
  pullMs: number;
  pushRatio: number;
  pullRatio: number;
  /** Largest growth of the server's RSS over its value just before a push, over all pushes. */
  rssGrowthBytes: number;
  rounds: { localMs: number; pushMs: number; pullMs: number; rssGrowthBytes: number }[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function timed(args: string[]): Promise<number> {
  const started = performance.now();
  const result = await runIndependentClient('skopeo', args);
  if (result.code !== 0) throw new Error(`skopeo ${args.join(' ')} failed:\n${result.stderr}`);
  return performance.now() - started;
}

/** Start the server process; resolves with its URL and pid. */
async function startServer(statePath: string, repositories: number): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./serveRegistry.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@ecrkit/source', '--import', 'tsx', script, statePath, String(repositories)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return {
    url,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A GetAuthorizationToken password over the server's AWS API (it does not check signatures here). */
async function password(url: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' },
    body: '{}',
  });
  const body = (await res.json()) as { authorizationData: { authorizationToken: string }[] };
  return Buffer.from(body.authorizationData[0]!.authorizationToken, 'base64').toString('utf8').slice(4);
}

/** Run the benchmark; throws when skopeo is missing. */
export async function runRegistryBench(options: RegistryBenchOptions = {}): Promise<RegistryBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!findExecutable('skopeo')) throw new Error('skopeo is not installed (apt-get install -y skopeo); the registry benchmark drives it');
  const layers = options.layers ?? 4;
  const layerBytes = options.layerBytes ?? 64 * mib;
  const roundsWanted = options.rounds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'ecrkit-registry-bench-'));
  try {
    const source = join(dir, 'source');
    log(`building a ${layers}-layer image of ${((layers * layerBytes) / mib).toFixed(0)} MiB in ${source} ...`);
    const image = await writeOciLayout(source, { refName: 'img', layers, layerSize: layerBytes });
    log(`image ${image.top.digest} (${(image.blobBytes / mib).toFixed(1)} MiB of blobs)`);

    const rounds: RegistryBenchResult['rounds'] = [];
    for (let round = 1; round <= roundsWanted; round++) {
      const local = join(dir, `local-${round}`);
      const localMs = await timed(['copy', `oci:${source}:img`, `oci:${local}:img`]);
      rmSync(local, { recursive: true, force: true });

      // A fresh server (and state folder) per round: skopeo remembers where it pushed blobs and
      // would mount them from an earlier round's repository instead of uploading them.
      const server = await startServer(join(dir, `state-${round}`, 'sim-state.json'), 1);
      const host = server.url.replace('http://', '');
      const creds = `AWS:${await password(server.url)}`;
      const before = rssOf(server.pid);
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssOf(server.pid));
      }, 20);
      let pushMs: number;
      let pullMs: number;
      const pulled = join(dir, `pulled-${round}`);
      try {
        pushMs = await timed(['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${source}:img`, `docker://${host}/bench/run-1:img`]).finally(() =>
          clearInterval(sampler),
        );
        peak = Math.max(peak, rssOf(server.pid));
        pullMs = await timed(['copy', '--src-tls-verify=false', '--src-creds', creds, `docker://${host}/bench/run-1:img`, `oci:${pulled}:img`]);
      } finally {
        await server.stop();
        rmSync(pulled, { recursive: true, force: true });
        rmSync(join(dir, `state-${round}`), { recursive: true, force: true });
      }
      rounds.push({ localMs, pushMs, pullMs, rssGrowthBytes: peak - before });
      log(
        `round ${round}: local oci->oci ${localMs.toFixed(0)} ms, push ${pushMs.toFixed(0)} ms (${(pushMs / localMs).toFixed(2)}x), pull ${pullMs.toFixed(0)} ms (${(pullMs / localMs).toFixed(2)}x), server RSS +${((peak - before) / mib).toFixed(1)} MiB during the push`,
      );
    }
    const localMs = median(rounds.map((r) => r.localMs));
    const pushMs = median(rounds.map((r) => r.pushMs));
    const pullMs = median(rounds.map((r) => r.pullMs));
    return {
      imageBytes: image.blobBytes,
      localMs,
      pushMs,
      pullMs,
      pushRatio: pushMs / localMs,
      pullRatio: pullMs / localMs,
      rssGrowthBytes: Math.max(...rounds.map((r) => r.rssGrowthBytes)),
      rounds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const result = await runRegistryBench(quick ? { layerBytes: 8 * mib, rounds: 1 } : {});
  const mibOf = (bytes: number) => (bytes / mib).toFixed(1);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`
| registry (skopeo, ${mibOf(result.imageBytes)} MiB image) | median ms | ratio to local oci->oci | target |
| --- | --- | --- | --- |
| local copy, oci: -> oci: | ${result.localMs.toFixed(0)} | 1.00x | |
| push into the simulation | ${result.pushMs.toFixed(0)} | ${result.pushRatio.toFixed(2)}x | <= 2x: ${verdict(result.pushRatio <= 2)} |
| pull out of the simulation | ${result.pullMs.toFixed(0)} | ${result.pullRatio.toFixed(2)}x | <= 2x: ${verdict(result.pullRatio <= 2)} |
| server RSS growth during the push | ${mibOf(result.rssGrowthBytes)} MiB | | < 64 MiB: ${verdict(result.rssGrowthBytes < 64 * mib)} |`);
}
