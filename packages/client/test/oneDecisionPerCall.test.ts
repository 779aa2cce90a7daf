// "Each decision is taken once per call": count, over the whole default pipeline of a client
// (guard, hooks, instrumentation, breaker, retry, rate limit, concurrency, timeout), how often
// the operation table is consulted and how often the caller's signal is asked whether it fired.
import { ecrConfig } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer } from '@ecrkit/simulation';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSigV4Transport } from '@ecrkit/transport-sigv4';
import { createClient } from '../src/createClient.js';

// Every import of core-types' operation table, inside core-types and out, goes through this
// module: wrap its one lookup to count.
const lookups = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../core-types/src/wire/operations.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../core-types/src/wire/operations.js')>();
  return {
    ...original,
    operationSpec: (...args: Parameters<typeof original.operationSpec>) => {
      lookups.count++;
      return original.operationSpec(...args);
    },
  };
});

/** A caller's signal that counts how often `aborted` is read. */
function countingSignal() {
  const controller = new AbortController();
  const getter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get as (this: AbortSignal) => boolean;
  const reads = { count: 0 };
  Object.defineProperty(controller.signal, 'aborted', {
    get() {
      reads.count++;
      return getter.call(this);
    },
  });
  return { signal: controller.signal, reads };
}

/** A wire adapter that answers at once and reads nothing of the operation table or the caller's signal. */
const wire: Transport = {
  send: async (request) => {
    switch (request.operation) {
      case 'DescribeRepositories':
        return { repositories: [{ repositoryName: 'web-app' }] } as never;
      default:
        return {} as never;
    }
  },
};

afterEach(() => {
  lookups.count = 0;
});

describe('one decision per call', () => {
  it('consults the operation table once and reads the caller’s signal once per call, in the guard', async () => {
    const client = createClient(ecrConfig().region('us-east-1').build(), { wire });
    // Warm up: lazy set-up (keys, buckets, attribute sets) is not per call.
    await client.repositories.get('web-app');
    for (const calls of [1, 10]) {
      lookups.count = 0;
      const { signal, reads } = countingSignal();
      for (let i = 0; i < calls; i++) await client.repositories.get('web-app', { signal });
      expect({ lookups: lookups.count, abortChecks: reads.count }).toEqual({ lookups: calls, abortChecks: calls });
    }
    await client.destroy();
  });

  it('over the SigV4 transport and a real server, the pipeline adds one lookup to what the wire needs, and one abort check', async () => {
    const registry = new SimulatedRegistry().withRepository('web-app');
    const server = await startSimulationServer({ registry });
    try {
      const config = ecrConfig()
        .region('us-east-1')
        .endpointUrl(server.url)
        .auth({ type: 'static', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret-key' })
        .build();
      const request = { api: 'ecr' as const, operation: 'DescribeRepositories' as const, input: { repositoryNames: ['web-app'] }, region: 'us-east-1' };
      // The bare wire: the SigV4 codec and the server's router read the table row (same process).
      const bare = createSigV4Transport(config);
      await bare.send(request);
      lookups.count = 0;
      await bare.send(request);
      const wireLookups = lookups.count;
      await bare.destroy();

      const client = createClient(config);
      await client.repositories.get('web-app');
      lookups.count = 0;
      const { signal, reads } = countingSignal();
      await client.repositories.get('web-app', { signal });
      expect({ addedByPipeline: lookups.count - wireLookups, abortChecks: reads.count }).toEqual({ addedByPipeline: 1, abortChecks: 1 });
      await client.destroy();
    } finally {
      await server.close();
    }
  });
});
