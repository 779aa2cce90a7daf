import { ecrConfig } from '@ecrkit/core-types';
import { createClient } from '@ecrkit/services';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

// Any Transport works here: the in-process simulation (as in tests), or a pipeline of your own.
// Against real ECR, createClient(config) from @ecrkit/client builds the default one from the config.
const registry = new SimulatedRegistry().withImage('web-app', { tags: ['v1.2.3'] }).withScanFindings('web-app', 'v1.2.3', { high: 2, low: 5 });
const config = ecrConfig().region('us-east-1').registryId('123456789012').build();
const client = createClient(config, { transport: createSimulatedTransport(registry) });

// Every list operation pages lazily until the end.
for await (const image of client.images.describe('web-app')) {
  console.log(image.imageTags?.join(','), image.imageDigest);
}

// A digest-pinned URI and a deployment gate over the scan findings.
const release = await client.getImageForDeployment('web-app', 'v1.2.3', { thresholds: { maxCritical: 0, maxHigh: 2 } });
console.log(release.imageUri, release.gate.passed ? 'deployable' : release.gate.reasons.join('; '));

// docker login for CI: the password is handed to stdin and never printed.
const login = await client.auth.getLoginCommand();
console.log(`${login}`);
