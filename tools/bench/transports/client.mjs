// One benchmark client in its own process, so its RSS is its own. From the BUILT packages.
// Usage: node client.mjs <sdk|sigv4|undici> <url> <concurrency> <warmupMs> <durationMs>
// Prints one JSON line: { ops, opsPerSec, p50Ms, p99Ms, maxRssMiB }.
const [kind, url, concurrencyText, warmupText, durationText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const warmupMs = Number(warmupText);
const durationMs = Number(durationText);
const input = { repositoryName: 'web-app', maxResults: 20 };
const body = JSON.stringify(input);

async function makeSend() {
  if (kind === 'undici') {
    const { Pool } = await import('undici');
    const pool = new Pool(url);
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages' };
    return {
      send: async () => {
        const response = await pool.request({ method: 'POST', path: '/', headers, body });
        return JSON.parse(await response.body.text());
      },
      close: () => pool.destroy(),
    };
  }
  const { ecrConfig } = await import('@ecrkit/core-types');
  const config = ecrConfig()
    .region('us-east-1')
    .endpointUrl(url)
    .auth({ type: 'static', accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'benchmark-secret-key-000000000000000000' })
    .build();
  const transport =
    kind === 'sdk'
      ? (await import('@ecrkit/transport-sdk')).createSdkTransport(config)
      : (await import('@ecrkit/transport-sigv4')).createSigV4Transport(config);
  return {
    send: () => transport.send({ api: 'ecr', operation: 'DescribeImages', input, region: 'us-east-1' }),
    close: () => transport.destroy(),
  };
}

const { send, close } = await makeSend();
const first = await send();
if (!Array.isArray(first.imageDetails) || first.imageDetails.length !== 20) throw new Error(`${kind}: unexpected first response`);

async function phase(ms, record) {
  const latencies = [];
  let ops = 0;
  const stopAt = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        await send();
        if (record) latencies.push(performance.now() - t0);
        ops++;
      }
    }),
  );
  return { ops, latencies };
}

await phase(warmupMs, false);
const started = performance.now();
const { ops, latencies } = await phase(durationMs, true);
const elapsed = performance.now() - started;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
await close();
process.stdout.write(
  JSON.stringify({ ops, opsPerSec: ops / (elapsed / 1000), p50Ms: pct(50), p99Ms: pct(99), maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
process.exit(0);
