import { ecrConfig } from '@ecrkit/core-types';
import { createClient } from '@ecrkit/services';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

const registry = new SimulatedRegistry()
  .withImage('web-app', { tags: ['v1.2.3'], mediaType: 'oci' })
  .withReferrer('web-app', 'v1.2.3', { artifactType: 'application/vnd.cncf.notary.signature' })
  .withReferrer('web-app', 'v1.2.3', { artifactType: 'application/spdx+json' });
registry.withUpstreamImage('public.ecr.aws', 'docker/library/alpine', { tags: ['3.19'] });
const client = createClient(ecrConfig().region('us-east-1').registryId('123456789012').build(), { transport: createSimulatedTransport(registry) });

// Who else may replicate into this registry.
const policy = await client.registryPolicy.put(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'replicate', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:ReplicateImage'], Resource: '*' }],
  }),
);
console.log(policy.statements.map((s) => `${s.sid} ${s.effect} ${s.actions.join(',')}`).join('; '));

// Cache ECR Public: repositories it creates get the template's settings.
await client.creationTemplates.create({ prefix: 'ecr-public', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'IMMUTABLE' });
await client.pullThroughCache.create({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
const alpine = await client.images.get('ecr-public/docker/library/alpine', '3.19');
const cached = await client.repositories.get('ecr-public/docker/library/alpine');
console.log(alpine.digest.slice(0, 7), cached.imageTagMutability);

// The SBOMs of a release, page by page.
for await (const sbom of client.referrers.list('web-app', 'v1.2.3', { artifactTypes: ['application/spdx+json'] })) {
  console.log(sbom.artifactType, sbom.artifactStatus);
}
