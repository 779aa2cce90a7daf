// Cold start in a fresh process, from the BUILT packages: import, construct, one DescribeImages.
// Usage: node cold.mjs <sdk|sigv4|bare> <url>. Prints the milliseconds since the process started
// at which the first response was in hand (for `bare`: at which the script began).
if (process.argv[2] === 'bare') {
  process.stdout.write(`${performance.now()}\n`);
  process.exit(0);
}
const { ecrConfig } = await import('@ecrkit/core-types');
const kind = process.argv[2];
const { createTransport } =
  kind === 'sdk'
    ? await import('@ecrkit/transport-sdk').then((m) => ({ createTransport: m.createSdkTransport }))
    : await import('@ecrkit/transport-sigv4').then((m) => ({ createTransport: m.createSigV4Transport }));
const config = ecrConfig()
  .region('us-east-1')
  .endpointUrl(process.argv[3])
  .auth({ type: 'static', accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'benchmark-secret-key-000000000000000000' })
  .build();
const transport = createTransport(config);
const out = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app', maxResults: 20 }, region: 'us-east-1' });
const at = performance.now();
if (out.imageDetails?.length !== 20) throw new Error('unexpected response');
process.stdout.write(`${at}\n`);
process.exit(0);
