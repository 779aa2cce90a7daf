// What the resilience bench measures, in one place: the bare in-process simulation transport,
// and the default pipeline over it exactly as `createClient(config)` assembles it (the client's
// guard in front of `createDefaultTransport`), every layer on.
import { compose, ecrConfig, withGuard } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { createDefaultTransport } from '@ecrkit/client';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

/** The request every bench call sends: DescribeImages on a repository of 20 images. */
export const benchRequest = { api: 'ecr' as const, operation: 'DescribeImages' as const, region: 'us-east-1', input: { repositoryName: 'bench' } };

const config = ecrConfig().region('us-east-1').build();

/**
 * The default pipeline over `wire`. The rate limiter's quota is raised so it does its
 * bookkeeping without pacing: at ECR's 1000 DescribeImages/s per repository it would (by design)
 * hold the run to 1000 calls/s, which measures the quota, not the pipeline.
 */
export function defaultPipeline(wire: Transport): Transport {
  const transport = createDefaultTransport(config, {
    wire,
    pipeline: { rateLimit: { quotas: { DescribeImages: { ratePerSecond: 1e9, scope: 'repository' } } } },
  });
  return compose(transport, withGuard(config));
}

/** A registry with a repository of 20 images, the bare transport over it and the default pipeline over that. */
export function benchTransports(): { bare: Transport; pipeline: Transport } {
  const registry = new SimulatedRegistry({ historyLimit: 0 }).withRepository('bench');
  for (let i = 0; i < 20; i++) registry.withImage('bench', { tags: [`v${i}`] });
  const bare = createSimulatedTransport(registry);
  return { bare, pipeline: defaultPipeline(bare) };
}
