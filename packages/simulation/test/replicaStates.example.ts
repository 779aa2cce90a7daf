import { ManualClock } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

// Replicas in every state a verifier must recognise: written, lagging, failed and diverged.
const clock = new ManualClock();
const registry = new SimulatedRegistry({ clock });
const destinations = [{ region: 'us-west-2' }, { region: 'eu-west-1' }, { region: 'ap-south-1' }];
registry.configureReplication({ destinations, advanceOn: 'time', stepMs: 1000, lagRegions: ['eu-west-1'], failRegions: ['ap-south-1'] });
registry.withImage('web-app', { tags: ['v1'], base: ['debian:12', 'node:20'] });
await clock.advance(1000);
registry.withDivergedReplica('web-app', 'v1', { region: 'us-west-2' });

const send = createSimulatedTransport(registry).send;
const { replicationStatuses } = await send({
  api: 'ecr',
  operation: 'DescribeImageReplicationStatus',
  input: { repositoryName: 'web-app', imageId: { imageTag: 'v1' } },
  region: 'us-east-1',
});
console.log(replicationStatuses?.map((s) => `${s.region} ${s.status}`).join(', '));
// us-west-2 COMPLETE, eu-west-1 IN_PROGRESS, ap-south-1 FAILED
const [source] = (await send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app' }, region: 'us-east-1' })).imageDetails ?? [];
const west = (
  await send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app', imageIds: [{ imageTag: 'v1' }] }, region: 'us-west-2' })
).imageDetails?.[0];
console.log(west?.imageDigest === source?.imageDigest ? 'same image' : 'v1 is another image in us-west-2');
// v1 is another image in us-west-2
