// One bench variant in a process of its own (resilience.bench.ts forks one per variant): a
// process that only ever sends through the bare transport, or only through the pipeline, as an
// application would. In one shared process the simulation's code would see the request shapes
// of both variants, and its property reads would turn polymorphic for both.
// Usage (forked): variant.ts <bare|pipeline|instant|instant-pipeline>; answers { calls, concurrency } messages.
import type { Transport } from '@ecrkit/core-types';
import { performance } from 'node:perf_hooks';
import { benchRequest, benchTransports, defaultPipeline } from './setup.js';

const variant = process.argv[2];
let transport: Transport;
if (variant === 'bare' || variant === 'pipeline') {
  const { bare, pipeline } = benchTransports();
  transport = variant === 'bare' ? bare : pipeline;
} else {
  const instant: Transport = { send: async () => ({ imageDetails: [] }) as never };
  transport = variant === 'instant' ? instant : defaultPipeline(instant);
}

process.on('message', async (message: { calls: number; concurrency: number } | 'exit') => {
  if (message === 'exit') {
    await transport.destroy?.();
    process.exit(0);
  }
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: message.concurrency }, async () => {
      while (next < message.calls) {
        next++;
        await transport.send(benchRequest);
      }
    }),
  );
  const wallUs = ((performance.now() - started) * 1000) / message.calls;
  const used = process.cpuUsage(cpu);
  process.send?.({ wallUs, cpuUs: (used.user + used.system) / message.calls });
});
process.send?.('ready');
