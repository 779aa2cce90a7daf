// A consumer's Jest test in Jest's default mode (CommonJS, no configuration): the simulation in
// process (image digests load @aws-crypto/sha256-js lazily) and over HTTP, both transports, and
// every export of every package (exports.json: specifier to the names a plain ES import gives).
const { SimulatedRegistry, createSimulatedTransport } = require('@ecrkit/simulation');
const { startSimulationServer } = require('@ecrkit/simulation/server');

test('the simulation answers DescribeImages in process', async () => {
  const registry = new SimulatedRegistry().withImage('web-app', { tags: ['v1.0.0'] });
  const transport = createSimulatedTransport(registry);
  const { imageDetails } = await transport.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app' }, region: 'us-east-1' });
  expect(imageDetails.map((d) => d.imageTags)).toEqual([['v1.0.0']]);
  expect(imageDetails[0].imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test('the simulation server speaks AWS JSON 1.1', async () => {
  const registry = new SimulatedRegistry().withRepository('api');
  const server = await startSimulationServer({ registry, port: 0 });
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' },
      body: '{}',
    });
    const body = await response.json();
    expect(body.repositories.map((r) => r.repositoryName)).toEqual(['api']);
  } finally {
    await server.close();
  }
});

// Both transports, required: their lazily loaded parts (undici's pool, node:crypto, the AWS SDK
// clients) are `require()`s in the CommonJS build, which Jest's module system runs.
const { ecrConfig } = require('@ecrkit/core-types');
const { createSigV4Transport } = require('@ecrkit/transport-sigv4');
const { createSdkTransport } = require('@ecrkit/transport-sdk');

test.each([
  ['SigV4', createSigV4Transport],
  ['AWS SDK', createSdkTransport],
])('the %s transport sends signed requests to the simulation server', async (_name, createTransport) => {
  const credentials = { accessKeyId: 'AKIDJESTCONSUMER0001', secretAccessKey: 'jest-consumer-secret-key' };
  const registry = new SimulatedRegistry().withRepository('api');
  const server = await startSimulationServer({ registry, verifySignatures: true, credentials: [credentials] });
  const config = ecrConfig()
    .region('us-east-1')
    .endpointUrl(server.url)
    .auth({ type: 'static', ...credentials })
    .build();
  const transport = createTransport(config);
  try {
    const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
    expect(repositories.map((r) => r.repositoryName)).toEqual(['api']);
  } finally {
    await transport.destroy?.();
    await server.close();
  }
});

test.each(Object.entries(require('./exports.json')))('require(%s) gives the names import gives', (specifier, names) => {
  expect(Object.keys(require(specifier)).sort()).toEqual(names);
});
