// A fixed number of DescribeImages calls, for instruction counting under valgrind (see
// transports.bench.ts, BENCH_INSTRUCTIONS=1). Usage: node count.mjs <sigv4|undici> <url> <concurrency> <calls>
import { undiciRequest } from './rawClients.mjs';

const [kind, url, concurrency, calls] = process.argv.slice(2);
let client;
if (kind === 'undici') client = await undiciRequest(url);
else {
  const { ecrConfig } = await import('@ecrkit/core-types');
  const { createSigV4Transport } = await import('@ecrkit/transport-sigv4');
  const config = ecrConfig()
    .region('us-east-1')
    .endpointUrl(url)
    .auth({ type: 'static', accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'benchmark-secret-key-000000000000000000' })
    .build();
  const transport = createSigV4Transport(config);
  const input = { repositoryName: 'web-app', maxResults: 20 };
  client = { send: () => transport.send({ api: 'ecr', operation: 'DescribeImages', input, region: 'us-east-1' }), close: () => transport.destroy() };
}
let left = Number(calls);
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (left-- > 0) await client.send();
  }),
);
await client.close();
process.exit(0);
