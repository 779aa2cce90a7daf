import { ManualClock, ecrConfig } from '@ecrkit/core-types';
import { createClient } from '@ecrkit/services';
import { pinDeployFiles } from '@ecrkit/services/pin';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

const clock = new ManualClock();
const registry = new SimulatedRegistry({ clock })
  .configureReplication({ destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }], advanceOn: 'time', stepMs: 1000, lagRegions: ['eu-west-1'] })
  .withImage('web-app', { tags: ['v1'], base: ['debian:12', 'node:20'] })
  .withImage('api', { tags: ['v3'], base: ['debian:12', 'node:20'] })
  .withImage('worker', { tags: ['v7'], base: ['debian:12', 'python:3.12'] })
  .withScanFindings('web-app', 'v1', { medium: 2 });
const config = ecrConfig().region('us-east-1').registryId('123456789012').build();
const client = createClient(config, { transport: createSimulatedTransport(registry), clock });
await clock.advance(60_000);

// Is the image the same everywhere the replication rules send it? (Destinations in other
// accounts: pass clientFor, a client per destination with that account's credentials.)
const verified = await client.replication.verify('web-app', 'v1');
console.log(verified.outcome, verified.destinations.map((d) => `${d.region} ${d.state}`).join(', '));

// Which images share base layers with it?
const { similar } = await client.images.findSimilar('web-app', 'v1');
console.log(similar.map((s) => `${s.repositoryName}:${s.imageTags.join(',')} shares ${s.sharedLayers}`).join('; '));

// Pin a Kubernetes manifest to digests; only the image value changes.
const manifest = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app   # the app
      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app:v1
`;
const { files, refused } = await pinDeployFiles([{ name: 'pod.yaml', text: manifest }], client, { thresholds: { maxCritical: 0 } });
console.log(
  refused.length,
  files[0]?.text
    .split('\n')[6]
    ?.trim()
    .replace(/sha256:[0-9a-f]{64}/, 'sha256:…'),
);
