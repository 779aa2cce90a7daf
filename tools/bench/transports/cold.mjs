// Cold start in a fresh process, from the BUILT packages: import, construct, one DescribeImages.
// Usage: node cold.mjs <kind> <url>; kinds: bare, sdk, sigv4, undici, undici-pool, http.
// Prints the milliseconds since the process started at which the first response was in hand
// (for `bare`: at which the script began).
const [kind, url] = process.argv.slice(2);
if (kind === 'bare') {
  process.stdout.write(`${performance.now()}\n`);
  process.exit(0);
}
let send;
if (kind === 'sdk' || kind === 'sigv4') {
  const { ecrConfig } = await import('@ecrkit/core-types');
  const create = kind === 'sdk' ? (await import('@ecrkit/transport-sdk')).createSdkTransport : (await import('@ecrkit/transport-sigv4')).createSigV4Transport;
  const config = ecrConfig()
    .region('us-east-1')
    .endpointUrl(url)
    .auth({ type: 'static', accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'benchmark-secret-key-000000000000000000' })
    .build();
  const transport = create(config);
  send = () => transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app', maxResults: 20 }, region: 'us-east-1' });
} else {
  const raw = await import('./rawClients.mjs');
  const make = { undici: raw.undiciRequest, 'undici-pool': raw.undiciPoolDispatch, http: raw.nodeHttp }[kind];
  send = (await make(url)).send;
}
const out = await send();
const at = performance.now();
if (out.imageDetails?.length !== 20) throw new Error('unexpected response');
process.stdout.write(`${at}\n`);
process.exit(0);
