import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SecretString, ecrConfig, isEcrError } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { FileRecorder, MemoryRecorder, SimulatedRegistry, createSimulatedTransport, startSimulationServer, withRecording } from '@ecrkit/simulation';
import { createSigV4Transport } from '@ecrkit/transport-sigv4';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resilient } from '../src/resilient.js';
import { everyOperation, exerciseEveryOperation } from './everyOperation.js';
import type { Fixture } from './everyOperation.js';
import { createTelemetry } from './telemetry.js';

const canary = 'CANARY-7f3a9';
const canaryPassword = `${canary}-registry-password`;
const canaryToken = Buffer.from(`AWS:${canaryPassword}`).toString('base64');
/** Credentials as an application would hold them: signed with over HTTP, handed around by the refresh hook. */
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: new SecretString(`${canary}-secret-access-key`),
  sessionToken: new SecretString(`${canary}-session-token`),
};

/**
 * Below the stack: GetAuthorizationToken answers carry a token (and so a password) containing
 * the canary, as if the registry had issued it.
 */
function withCanaryTokens(next: Transport): Transport {
  return {
    async send(request) {
      const output = (await next.send(request)) as Record<string, unknown>;
      if (request.operation !== 'GetAuthorizationToken') return output as never;
      const data = output.authorizationData;
      const swap = (d: object) => ({ ...d, authorizationToken: canaryToken });
      return { ...output, authorizationData: Array.isArray(data) ? data.map(swap) : swap(data as object) } as never;
    },
  };
}

function spanJson(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links,
  });
}

/** Every spelling a leak could take: the canary itself, the token, the password, and base64 of each. */
function leaks(text: string): string[] {
  const needles = [canary, canaryToken, canaryPassword, Buffer.from(canary).toString('base64').slice(0, 12)];
  return needles.filter((needle) => text.includes(needle));
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

/** A registry with one private and one public repository, and faults on a few operations. */
function canaryRegistry(): { registry: SimulatedRegistry; fixture: Fixture } {
  const registry = new SimulatedRegistry({ seed: 3 }).withRepository('canary-app').withRepository('canary-public', { public: true });
  const image = registry.addImage('canary-app', { tags: ['v1'] });
  registry.addImage('canary-public', { tags: ['v1'], public: true });
  const layers = (JSON.parse(image.manifest) as { layers: { digest: string }[] }).layers;
  // Retries, credential refreshes and transport faults go through the error paths too.
  registry
    .withErrorInjection({ operation: 'DescribeImages', sequence: ['ThrottlingException', 'ok'] })
    .withErrorInjection({ operation: 'DescribeRepositories', sequence: ['ExpiredTokenException', 'ok'] })
    .withErrorInjection({ operation: 'ListImages', sequence: [{ fault: 'drop-connection' }, { fault: 'malformed-body' }, 'ok'] });
  return {
    registry,
    fixture: {
      repositoryName: 'canary-app',
      publicRepositoryName: 'canary-public',
      repositoryArn: `arn:aws:ecr:us-east-1:${image.registryId}:repository/canary-app`,
      manifest: image.manifest,
      mediaType: image.mediaType,
      layerDigest: layers[0]?.digest ?? '',
    },
  };
}

/**
 * Every operation through resilient() (debug logs, traces, metrics on) over recordings (memory
 * and file) over `base`; then look for the canary everywhere it must not be.
 */
async function runCanary(makeBase: (telemetry: ReturnType<typeof createTelemetry>) => Transport, fixture: Fixture, transportSpans: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ecrkit-canary-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const file = new FileRecorder(join(dir, 'calls.jsonl'));
  const memory = new MemoryRecorder();
  const telemetry = createTelemetry();
  cleanup.push(() => telemetry.shutdown());
  const base = makeBase(telemetry);

  let refreshes = 0;
  // Real clock: the file recorder and the server do real I/O; with jitter 0 retries wait 0 ms.
  const transport = resilient(withRecording(withRecording(withCanaryTokens(base), memory), file), {
    random: () => 0,
    retry: {
      onCredentialError: async () => {
        refreshes++;
      },
    },
    instrumentation: { tracer: telemetry.tracer, meter: telemetry.meter, logger: telemetry.logger },
  });

  const errors: unknown[] = [];
  const outputs: unknown[] = [];
  const called = await exerciseEveryOperation(
    async (api, operation, input) => {
      try {
        const output = await transport.send({ api, operation, region: 'us-east-1', input } as never);
        outputs.push(output);
        return { output };
      } catch (error) {
        errors.push(error);
        return { error };
      }
    },
    fixture,
    canary,
  );
  await file.flush();

  // The run really covered everything, and the canary really went through the stack.
  expect([...called].sort()).toEqual(everyOperation().sort());
  expect(refreshes).toBe(1);
  expect(outputs.length).toBeGreaterThan(40);
  expect(leaks(JSON.stringify(outputs))).not.toEqual([]);
  expect(telemetry.lines.filter((l) => l.level === 'debug').length).toBeGreaterThan(100);
  // One span per call (two of them retried inside their span), and, over HTTP, the transport's spans under them.
  const roots = telemetry.spans().filter((span) => span.parentSpanContext === undefined);
  expect(roots.length).toBe(called.size + 2);
  const children = new Set(
    telemetry
      .spans()
      .filter((span) => span.parentSpanContext !== undefined)
      .map((span) => span.name),
  );
  expect([...children].sort()).toEqual(transportSpans ? ['POST', 'ecr.credentials', 'ecr.parse_response', 'ecr.sign'] : []);

  const logText = telemetry.lines.map((l) => JSON.stringify(l)).join('\n');
  const spanText = telemetry.spans().map(spanJson).join('\n');
  const metricText = JSON.stringify(await telemetry.metrics());
  const errorText = errors.map((e) => [String(e), isEcrError(e) ? e.message : '', JSON.stringify(e)].join('\n')).join('\n');
  // Manifests are not secrets: recordings keep them byte-exact (issue 14), so the canary a
  // manifest carries is looked for in everything else they hold.
  const withoutManifests = (value: unknown) => JSON.stringify(value, (key, v: unknown) => (key === 'imageManifest' ? undefined : v));
  const memoryText = withoutManifests(memory.entries);
  const fileText = withoutManifests(
    (await readFile(file.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown),
  );

  expect(leaks(logText), 'log lines').toEqual([]);
  expect(leaks(spanText), 'spans').toEqual([]);
  expect(leaks(metricText), 'metrics').toEqual([]);
  expect(leaks(errorText), 'errors').toEqual([]);
  expect(leaks(memoryText), 'memory recording').toEqual([]);
  expect(leaks(fileText), 'file recording').toEqual([]);
  // Beyond the brief: a developer's console.log(err) shows the cause chain too.
  expect(leaks(errors.map((e) => inspect(e, { depth: 6 })).join('\n')), 'inspected errors').toEqual([]);
  expect(leaks(inspect(credentials, { depth: 6 })), 'inspected credentials').toEqual([]);
}

// Node's async context, so the transport's spans find their call's span across awaits.
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

describe('canary secrets', () => {
  it('never reach a log line, span, metric, error or recording, across every operation in process', async () => {
    const { registry, fixture } = canaryRegistry();
    await runCanary(() => createSimulatedTransport(registry), fixture, false);
  });

  it('never reach them over HTTP either, signed with canary credentials by the SigV4 transport', async () => {
    const { registry, fixture } = canaryRegistry();
    const server = await startSimulationServer({
      registry,
      port: 0,
      host: '127.0.0.1',
      verifySignatures: true,
      credentials: [{ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey.reveal() }],
    });
    cleanup.push(() => server.close());
    const config = ecrConfig()
      .region('us-east-1')
      .endpointUrl(server.url)
      .auth({ type: 'static', accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken })
      .build();
    await runCanary(
      (telemetry) => {
        const transport = createSigV4Transport(config, { tracer: telemetry.tracer });
        cleanup.push(() => transport.destroy());
        return transport;
      },
      fixture,
      true,
    );
  });
});
