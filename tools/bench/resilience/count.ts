// A fixed number of DescribeImages calls through the bare in-process transport or the default
// pipeline, for instruction counting under valgrind (resilience.bench.ts, BENCH_INSTRUCTIONS=1).
// Usage: node --conditions=@ecrkit/source --import tsx count.ts <bare|pipeline> <calls>
import { benchRequest, benchTransports } from './setup.js';

const [variant, calls] = process.argv.slice(2);
const { bare, pipeline } = benchTransports();
const transport = variant === 'pipeline' ? pipeline : bare;
let left = Number(calls);
await Promise.all(
  Array.from({ length: 50 }, async () => {
    while (left-- > 0) await transport.send(benchRequest);
  }),
);
await pipeline.destroy?.();
process.exit(0);
