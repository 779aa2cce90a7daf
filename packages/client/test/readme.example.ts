import { createClient, ecrConfig } from '@ecrkit/client';
import { SimulatedRegistry, startSimulationServer } from '@ecrkit/simulation';

// An ECR endpoint to talk to: here the simulation's HTTP server (real AWS JSON 1.1 over HTTP),
// whose first two DescribeImages calls fail (HTTP 500, then throttled).
const registry = new SimulatedRegistry()
  .withImage('web-app', { tags: ['v1.2.3'] })
  .withScanFindings('web-app', 'v1.2.3', { high: 2, low: 5 })
  .withErrorInjection({ operation: 'DescribeImages', sequence: ['ServerException', 'ThrottlingException'] });
const server = await startSimulationServer({ registry });

// The config alone is enough: the client builds the SigV4 transport behind the default pipeline
// (guard, retries, circuit breaker, rate limits, timeouts, telemetry) from it.
const config = ecrConfig()
  .region('us-east-1')
  .registryId('123456789012')
  .endpointUrl(server.url)
  .auth({ type: 'static', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret-key' })
  .maxRetries(3)
  .requestTimeoutMs(5_000)
  .build();
const client = createClient(config);

// Every list operation pages lazily until the end; the two failures were retried.
for await (const image of client.images.describe('web-app')) {
  console.log(image.imageTags?.join(','), image.imageDigest);
}
console.log('attempts:', registry.getOperationHistory({ operation: 'DescribeImages' }).length); // attempts: 3

// A digest-pinned URI and a deployment gate over the scan findings.
const release = await client.getImageForDeployment('web-app', 'v1.2.3', { thresholds: { maxCritical: 0, maxHigh: 2 } });
console.log(release.imageUri, release.gate.passed ? 'deployable' : release.gate.reasons.join('; '));

// docker login for CI: the password is handed to stdin and never printed.
const login = await client.auth.getLoginCommand();
console.log(`${login}`);

await client.destroy(); // closes the connections the client opened
await server.close();
