import { ecrConfig } from '@ecrkit/core-types';
import { resilient } from '@ecrkit/resilience-adapters';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';

// A registry that throttles, then fails, then answers.
const registry = new SimulatedRegistry()
  .withRepository('web-app')
  .withImage('web-app', { tags: ['v1'] })
  .withErrorInjection({ operation: 'DescribeImages', sequence: ['ThrottlingException', 'ServerException', 'ok'] });

const config = ecrConfig().region('us-east-1').maxRetries(3).requestTimeoutMs(5_000).build();
const transport = resilient(createSimulatedTransport(registry), {
  config,
  retry: { baseDelayMs: 1, onRetry: ({ attempt, error }) => console.log(`attempt ${attempt} after ${error.kind}`) },
});
transport.handles.breaker?.onStateChange(({ key, to }) => console.log(`breaker ${key} is now ${to}`));

const { imageDetails } = await transport.send({ api: 'ecr', operation: 'DescribeImages', region: 'us-east-1', input: { repositoryName: 'web-app' } });
console.log(imageDetails?.map((image) => image.imageTags));
// attempt 2 after Throttling
// attempt 3 after ServiceUnavailable
// [ [ 'v1' ] ]
await transport.destroy?.();
