// `npm run bench -- resilience` (or directly:
// `node --conditions=@ecrkit/source --import tsx tools/bench/resilience/resilience.bench.ts [--quick]`).
// Per-call overhead of `resilient()` over the bare in-process simulation transport at 50
// concurrent callers when nothing fails: DescribeImages on a repository of 20 images, all layers
// on (instrumentation through the no-op global OpenTelemetry API, retry, breaker, rate limiter,
// bulkhead, per-attempt timeout). The rate limiter's quotas are raised so it does its bookkeeping
// without pacing: at ECR's default 1000 DescribeImages/s per repository it would (by design) hold
// the run to 1000 calls/s, which measures the quota, not the decorators. Target: at most 10%.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Transport } from '@ecrkit/core-types';
import { resilient } from '@ecrkit/resilience-adapters';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

/** Options of {@link run}. */
export interface ResilienceBenchOptions {
  /** Calls per measured round; default 5,000. */
  calls?: number;
  /** Measured rounds per variant (alternating, so load from elsewhere hits both alike; median taken); default 41. */
  rounds?: number;
  /** Concurrent callers; default 50. */
  concurrency?: number;
  /** Print every round. */
  verbose?: boolean;
  log?: (line: string) => void;
}

/** What was measured. */
export interface ResilienceBenchResult {
  /** Median per-call wall time, microseconds. */
  bareUs: number;
  resilientUs: number;
  /** Median over rounds of resilient / bare - 1, e.g. 0.06 for 6%. */
  overhead: number;
  /** Fastest resilient round over fastest bare round - 1: less sensitive to other load on the machine. */
  overheadOfBest: number;
  /** What the stack itself costs per call over a transport that answers at once, microseconds. */
  stackUs: number;
  /** Per-round overheads, for spread. */
  roundOverheads: number[];
  table: string;
}

const request = { api: 'ecr' as const, operation: 'DescribeImages' as const, region: 'us-east-1', input: { repositoryName: 'bench' } };

async function drive(transport: Transport, calls: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        await transport.send(request);
      }
    }),
  );
  return ((performance.now() - started) * 1000) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Run the benchmark and return its numbers (also printed through `log`). */
export async function run(options: ResilienceBenchOptions = {}): Promise<ResilienceBenchResult> {
  const calls = options.calls ?? 5_000;
  const rounds = options.rounds ?? 41;
  const concurrency = options.concurrency ?? 50;
  const log = options.log ?? ((line: string) => console.log(line));

  const registry = new SimulatedRegistry({ historyLimit: 0 }).withRepository('bench');
  for (let i = 0; i < 20; i++) registry.withImage('bench', { tags: [`v${i}`] });
  const bare = createSimulatedTransport(registry);
  const wrapped = resilient(bare, { rateLimit: { quotas: { DescribeImages: { ratePerSecond: 1e9, scope: 'repository' } } } });

  // Warm both paths up before measuring.
  await drive(bare, calls / 4, concurrency);
  await drive(wrapped, calls / 4, concurrency);

  const bareTimes: number[] = [];
  const resilientTimes: number[] = [];
  const roundOverheads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    const b = await drive(bare, calls, concurrency);
    (globalThis as { gc?: () => void }).gc?.();
    const r = await drive(wrapped, calls, concurrency);
    bareTimes.push(b);
    resilientTimes.push(r);
    roundOverheads.push(r / b - 1);
    if (options.verbose)
      log(`round ${round + 1}: bare ${b.toFixed(2)} us/call, resilient ${r.toFixed(2)} us/call, overhead ${((r / b - 1) * 100).toFixed(1)}%`);
  }
  const bareUs = median(bareTimes);
  const resilientUs = median(resilientTimes);
  const overhead = median(roundOverheads);
  const overheadOfBest = Math.min(...resilientTimes) / Math.min(...bareTimes) - 1;

  // The stack alone, over a transport that answers at once.
  const instant: Transport = { send: async () => ({ imageDetails: [] }) as never };
  const instantWrapped = resilient(instant, { rateLimit: { quotas: { DescribeImages: { ratePerSecond: 1e9, scope: 'repository' } } } });
  await drive(instant, calls, concurrency);
  await drive(instantWrapped, calls, concurrency);
  const instantTimes: number[] = [];
  for (let round = 0; round < 5; round++) instantTimes.push((await drive(instantWrapped, calls, concurrency)) - (await drive(instant, calls, concurrency)));
  const stackUs = Math.min(...instantTimes);

  const table = [
    `DescribeImages (20 images), in process, ${concurrency} concurrent callers, ${calls} calls x ${rounds} alternating rounds`,
    `  bare simulation transport    ${bareUs.toFixed(2)} us/call median  (${Math.round(1e6 / bareUs)} calls/s), best ${Math.min(...bareTimes).toFixed(2)}`,
    `  resilient(transport)         ${resilientUs.toFixed(2)} us/call median  (${Math.round(1e6 / resilientUs)} calls/s), best ${Math.min(...resilientTimes).toFixed(2)}`,
    `  overhead, median of rounds   ${(overhead * 100).toFixed(1)}%   (target <= 10%)`,
    `  overhead, best vs best       ${(overheadOfBest * 100).toFixed(1)}%`,
    `  stack cost over an instant transport: ${stackUs.toFixed(2)} us/call`,
  ].join('\n');
  log(table);
  await wrapped.destroy?.();
  return { bareUs, resilientUs, overhead, overheadOfBest, stackUs, roundOverheads, table };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  await run({ ...(quick ? { calls: 2_000, rounds: 9 } : {}), verbose: process.argv.includes('--verbose') });
}
