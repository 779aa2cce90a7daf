import { ecrConfig, isEcrError } from '@ecrkit/core-types';
import type { EcrConfigBuilder, Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport, startSimulationServer } from '@ecrkit/simulation';
import type { SimulationServer } from '@ecrkit/simulation';
import { createSdkTransport } from '@ecrkit/transport-sdk';
import { createSigV4Transport } from '@ecrkit/transport-sigv4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, createDefaultTransport } from './createClient.js';

const credentials = { accessKeyId: 'AKIDCLIENTTEST000001', secretAccessKey: 'client-test-secret-0123456789abcdefghij' };
let registry: SimulatedRegistry;
let server: SimulationServer;

beforeAll(async () => {
  registry = new SimulatedRegistry();
  server = await startSimulationServer({ registry, verifySignatures: true, credentials: [credentials] });
});
afterAll(() => server.close());
beforeEach(() => {
  registry.reset();
  registry.withImage('web-app', { tags: ['v1'] });
  registry.clearOperationHistory();
});

/** A config against the server, signed with the known key pair; `tune` adds the setting under test. */
function config(tune: (b: EcrConfigBuilder) => EcrConfigBuilder = (b) => b) {
  return tune(
    ecrConfig()
      .region('us-east-1')
      .endpointUrl(server.url)
      .auth({ type: 'static', ...credentials }),
  ).build();
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (isEcrError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const attempts = (operation: string) => registry.getOperationHistory({ operation }).length;

describe('createClient(config) with no transport', () => {
  it('talks to the endpoint of the config, signed with its auth', async () => {
    const client = createClient(config());
    expect((await client.images.list('web-app').toArray()).map((i) => i.imageTag)).toEqual(['v1']);
    await client.destroy();
  });

  it('retries as many times as maxRetries says, and no more', async () => {
    for (const maxRetries of [0, 2, 5]) {
      registry.clearOperationHistory();
      registry.withErrorInjection({ operation: 'ListImages', error: 'ServerException' });
      const client = createClient(
        config((b) => b.maxRetries(maxRetries)),
        { pipeline: { retry: { baseDelayMs: 1 }, breaker: false } },
      );
      expect((await failure(client.images.list('web-app').toArray())).kind).toBe('ServiceUnavailable');
      expect(attempts('ListImages')).toBe(maxRetries + 1);
      registry.clearErrorInjection();
      await client.destroy();
    }
  });

  it('gives each attempt requestTimeoutMs, then reports Timeout', async () => {
    // The registry's latency sleeps on its own clock, which nobody advances: the answer never comes.
    registry.withLatencyInjection({ operation: 'ListImages', ms: 3_600_000 });
    const built = config((b) => b.requestTimeoutMs(100).maxRetries(1));
    // The SigV4 wire, counted: each attempt reaches it and is given up on by the pipeline's timeout.
    const sigv4 = createSigV4Transport(built);
    let sent = 0;
    const wire: Transport = {
      send: (request) => {
        sent++;
        return sigv4.send(request);
      },
      destroy: () => sigv4.destroy(),
    };
    const client = createClient(built, { wire, pipeline: { retry: { baseDelayMs: 1 } } });
    const err = await failure(client.images.list('web-app').toArray());
    expect({ kind: err.kind, operation: err.operation }).toEqual({ kind: 'Timeout', operation: 'ListImages' });
    expect(sent).toBe(2);
    expect(attempts('ListImages')).toBe(0);
    registry.clearLatencyInjection();
    await client.destroy();
  });

  it('signs with the auth of the config: a wrong secret is InvalidSignature, retried once after a credential refresh', async () => {
    const wrong = ecrConfig()
      .region('us-east-1')
      .endpointUrl(server.url)
      .auth({ type: 'static', accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret-0000000000000000000000' })
      .build();
    const reasons: string[] = [];
    const client = createClient(wrong, { pipeline: { retry: { onRetry: (event) => reasons.push(event.reason) } } });
    const err = await failure(client.images.list('web-app').toArray());
    expect({ kind: err.kind, category: err.category }).toEqual({ kind: 'InvalidSignature', category: 'credential' });
    expect(reasons).toEqual(['credential']);
    await client.destroy();
  });

  it('refuses writes on a read-only config before anything is sent', async () => {
    const client = createClient(config((b) => b.readOnly()));
    expect((await failure(client.images.untag('web-app', 'v1'))).kind).toBe('ReadOnly');
    expect(registry.getOperationHistory()).toEqual([]);
    await client.destroy();
  });

  it('owns the transport it built: destroy() closes it, and later calls are refused', async () => {
    const client = createClient(config());
    await client.images.list('web-app').toArray();
    await client.destroy();
    expect((await failure(client.images.list('web-app').toArray())).kind).toBe('Aborted');
  });

  it('puts another wire adapter, such as the SDK transport, behind the same pipeline', async () => {
    registry.withErrorInjection({ operation: 'ListImages', sequence: ['ServerException'] });
    const client = createClient(config(), { wire: createSdkTransport(config()), pipeline: { retry: { baseDelayMs: 1 } } });
    expect(await client.images.list('web-app').toArray()).toHaveLength(1);
    expect(attempts('ListImages')).toBe(2);
    await client.destroy();
  });

  it('uses a transport it is given as it is, and leaves it open', async () => {
    const local = new SimulatedRegistry().withImage('local-app', { tags: ['v9'] });
    let destroyed = 0;
    const transport = createSimulatedTransport(local);
    const client = createClient(ecrConfig().region('us-east-1').build(), {
      transport: {
        send: transport.send.bind(transport),
        destroy: async () => {
          destroyed++;
        },
      },
    });
    expect((await client.images.list('local-app').toArray()).map((i) => i.imageTag)).toEqual(['v9']);
    await client.destroy();
    expect(destroyed).toBe(0);
  });

  it('refuses a bad config or options as InvalidParameter, before building anything', () => {
    expect(() => createClient({ region: 'nowhere' } as never)).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'region' }));
    expect(() => createClient(config(), null as never)).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'options' }));
    expect(() => createDefaultTransport(config(), { wire: {} as never })).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'wire' }));
  });
});
