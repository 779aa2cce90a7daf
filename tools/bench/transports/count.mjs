// A fixed number of DescribeImages calls, for instruction counting under valgrind (see
// transports.bench.ts, BENCH_INSTRUCTIONS=1). Usage: node count.mjs <sigv4|undici> <url> <concurrency> <calls>
import { makeClient } from './clients.mjs';

const [kind, url, concurrency, calls] = process.argv.slice(2);
const client = await makeClient(kind, url);
let left = Number(calls);
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (left-- > 0) await client.send();
  }),
);
await client.close();
process.exit(0);
