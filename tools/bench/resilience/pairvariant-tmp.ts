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
import { performance } from 'node:perf_hooks';
import { benchRequest, benchTransports, defaultPipeline } from '/work/wt/pipeline/tools/bench/resilience/setup.ts';
const quotas = { DescribeImages: { ratePerSecond: 1e9, scope: 'repository' as const } };
const ctrl = new AbortController();
const layers: Record<string, () => TransportDecorator> = {
  timeout: () => withTimeout({ timeoutMs: 30_000 }),
  concurrency: () => withConcurrencyLimit(),
  rate: () => withRateLimit({ quotas }),
  retry: () => withRetry({ onRetry: createRetryTracker().onRetry }),
  breaker: () => withCircuitBreaker(),
  instrumentation: () => withInstrumentation(),
  guard: () => withGuard(ecrConfig().region('us-east-1').build()),
  signal: () => (next) => ({ send: (r) => next.send({ api: r.api, operation: r.operation, region: r.region, input: r.input, signal: ctrl.signal }) }),
  hop: () => (next) => ({ send: (r) => new Promise((res, rej) => next.send(r).then(res, rej)) }),
  then: () => (next) => ({ send: (r) => next.send(r).then((x) => x) }),
};
const spec = process.argv[2]!;
const bare = benchTransports().bare;
const t: Transport = spec === 'bare' ? bare : spec === 'default' ? defaultPipeline(bare) : compose(bare, ...spec.split('+').map((n) => layers[n]!()));
process.on('message', async (m: { calls: number } | 'exit') => {
  if (m === 'exit') process.exit(0);
  let next = 0;
  const cpu = process.cpuUsage();
  const w = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next++ < m.calls) await t.send(benchRequest);
    }),
  );
  const u = process.cpuUsage(cpu);
  process.send?.({ cpuUs: (u.user + u.system) / m.calls, wallUs: ((performance.now() - w) * 1000) / m.calls });
});
process.send?.('ready');
