// Temporary: per-layer CPU cost over the simulation, one variant per process.
import { compose, ecrConfig, withGuard } from '@ecrkit/core-types';
import type { Transport, TransportDecorator } from '@ecrkit/core-types';
import {
  createRetryTracker,
  withCircuitBreaker,
  withConcurrencyLimit,
  withInstrumentation,
  withRateLimit,
  withRetry,
  withTimeout,
} from '@ecrkit/resilience-adapters';
import { benchRequest, benchTransports, defaultPipeline } from './setup.js';

const quotas = { DescribeImages: { ratePerSecond: 1e9, scope: 'repository' as const } };
const layers: Record<string, () => TransportDecorator> = {
  timeout: () => withTimeout({ timeoutMs: 30_000 }),
  concurrency: () => withConcurrencyLimit(),
  rate: () => withRateLimit({ quotas }),
  retry: () => withRetry({ onRetry: createRetryTracker().onRetry }),
  breaker: () => withCircuitBreaker(),
  instrumentation: () => withInstrumentation(),
  guard: () => withGuard(ecrConfig().region('us-east-1').build()),
};
async function drive(t: Transport, calls: number): Promise<number> {
  let next = 0;
  const start = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next++ < calls) await t.send(benchRequest);
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}
const name = process.argv[2] ?? 'bare';
const base = process.argv[3] === 'instant' ? ({ send: async () => ({ imageDetails: [] }) as never } as Transport) : benchTransports().bare;
const t = name === 'bare' ? base : name === 'default' ? defaultPipeline(base) : compose(base, layers[name]!());
const N = process.argv[3] === 'instant' ? 20000 : 4000;
for (let r = 0; r < 5; r++) await drive(t, N);
const out: number[] = [];
for (let r = 0; r < 15; r++) out.push(await drive(t, N));
console.log(name.padEnd(16), out.sort((a, b) => a - b)[7]!.toFixed(2));
process.exit(0);
