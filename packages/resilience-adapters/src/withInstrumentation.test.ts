import { ManualClock } from '@ecrkit/core-types';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { applied, describeImages, ecrError, scriptedTransport } from '../test/scriptedTransport.js';
import { createTelemetry, pointsOf, sumOf } from '../test/telemetry.js';
import { CircuitBreaker } from './CircuitBreaker.js';
import { createEcrMetrics } from './EcrMetrics.js';
import { createRetryTracker } from './RetryTracker.js';
import { withInstrumentation } from './withInstrumentation.js';
import { withRetry } from './withRetry.js';

let telemetry = createTelemetry();
afterEach(async () => {
  await telemetry.shutdown();
  telemetry = createTelemetry();
});

const digest = `sha256:${'cd'.repeat(32)}`;

describe('withInstrumentation', () => {
  it('records one span per logical call with its attributes and retry count', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(async (_, i) => {
      await clock.sleep(40);
      if (i < 2) throw ecrError('Throttling');
      return { imageDetails: [{ imageDigest: digest }, { imageDigest: digest }] };
    });
    const tracker = createRetryTracker();
    const transport = applied(
      applied(base, withRetry({ clock, random: () => 0.5, onRetry: tracker.onRetry })),
      withInstrumentation({
        tracer: telemetry.tracer,
        meter: telemetry.meter,
        clock,
        retryCount: tracker.retries,
      }),
    );
    const result = transport.send(describeImages('team/web'));
    await clock.runAll();
    await result;

    const [span, ...rest] = telemetry.spans();
    expect(rest).toHaveLength(0);
    // The OpenTelemetry semantic conventions for AWS SDK calls: `<service>.<operation>`, rpc.* and cloud.region.
    expect(span?.name).toBe('ECR.DescribeImages');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      'ecr.repository.name': 'team/web',
      'ecr.retry.count': 2,
      'rpc.system': 'aws-api',
      'rpc.service': 'ECR',
      'rpc.method': 'DescribeImages',
      'cloud.region': 'us-east-1',
    });
    expect(span?.status.code).toBe(SpanStatusCode.OK);

    const metrics = await telemetry.metrics();
    const latency = metrics.find((m) => m.descriptor.name === 'ecr.request.latency');
    // The unit is in the instrument, not the name.
    expect(latency?.descriptor.unit).toBe('ms');
    // Three attempts of 40 ms plus backoff waits of 50 and 100 ms, on the simulated clock: one call.
    expect(latency?.dataPoints[0]?.value).toMatchObject({ count: 1, sum: 270 });
    expect(sumOf(metrics, 'ecr.request.count', { 'ecr.operation': 'DescribeImages', 'ecr.outcome': 'success' })).toBe(1);
    // Business metrics are not this generic step's: services record them.
    expect(metrics.map((m) => m.descriptor.name).filter((name) => !name.startsWith('ecr.request.'))).toEqual([]);
  });

  it('marks failed spans with the error kind and counts errors by kind', async () => {
    const transport = applied(
      scriptedTransport(() => {
        throw ecrError('RepositoryNotFound', { requestId: 'req-1', message: "The repository with name 'web' does not exist" });
      }),
      withInstrumentation({ tracer: telemetry.tracer, meter: telemetry.meter }),
    );
    await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'RepositoryNotFound' });
    const [span] = telemetry.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RepositoryNotFound' });
    expect(span?.attributes).toMatchObject({
      'ecr.error.kind': 'RepositoryNotFound',
      'http.response.status_code': 400,
      'aws.request_id': 'req-1',
      'ecr.retry.count': 0,
    });
    expect(span?.events[0]?.attributes?.['exception.message']).toBe("The repository with name 'web' does not exist");
    const metrics = await telemetry.metrics();
    expect(sumOf(metrics, 'ecr.request.errors', { 'ecr.error.kind': 'RepositoryNotFound', 'ecr.operation': 'DescribeImages' })).toBe(1);
  });

  it('counts every call once, with its outcome, whatever the operation', async () => {
    const base = scriptedTransport((request) => {
      if (request.operation === 'DescribeImageReplicationStatus') throw ecrError('ImageNotFound');
      return {};
    });
    const metrics = createEcrMetrics(telemetry.meter);
    const transport = applied(base, withInstrumentation({ metrics, tracer: telemetry.tracer }));
    const send = (operation: string, input: object = {}) =>
      transport.send({ api: 'ecr', operation, region: 'us-east-1', input } as never).catch(() => undefined);
    await send('PutImage', { repositoryName: 'web', imageManifest: '{}', imageTag: 'v1' });
    await send('PutImage', { repositoryName: 'web', imageManifest: '{}' });
    await send('DescribeImageReplicationStatus');
    const data = await telemetry.metrics();
    expect(sumOf(data, 'ecr.request.count', { 'ecr.operation': 'PutImage', 'ecr.outcome': 'success' })).toBe(2);
    expect(sumOf(data, 'ecr.request.count', { 'ecr.operation': 'DescribeImageReplicationStatus', 'ecr.outcome': 'error' })).toBe(1);
    expect(sumOf(data, 'ecr.request.errors', { 'ecr.error.kind': 'ImageNotFound' })).toBe(1);
    expect(sumOf(data, 'ecr.request.count')).toBe(3);
  });

  it('reports circuit breaker states on an observable gauge until destroyed', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1 });
    breaker.record(breaker.acquire(describeImages('web', 'eu-west-1')), 'failure');
    breaker.acquire(describeImages('web', 'us-east-1'));
    const transport = applied(
      scriptedTransport(() => ({})),
      withInstrumentation({ meter: telemetry.meter, breaker }),
    );
    const points = pointsOf(await telemetry.metrics(), 'ecr.circuit_breaker.state').map((p) => [p.attributes['ecr.breaker.key'], p.value]);
    expect(points).toEqual([
      ['eu-west-1/ecr', 2],
      ['us-east-1/ecr', 0],
    ]);
    await transport.destroy?.();
    await clock.advance(60_000);
    const after = pointsOf(await telemetry.metrics(), 'ecr.circuit_breaker.state').map((p) => p.value);
    expect(after).not.toContain(1);
  });

  it('logs redacted structured lines with module and event_type: debug around each call, warn on failure', async () => {
    let fail = false;
    const transport = applied(
      scriptedTransport(() => {
        if (fail) throw ecrError('ServiceUnavailable', { requestId: 'req-9' });
        return {};
      }),
      withInstrumentation({ logger: telemetry.logger }),
    );
    await transport.send({
      api: 'ecr',
      operation: 'PutImage',
      region: 'us-east-1',
      input: { repositoryName: 'web', imageManifest: '{"layers":[]}', imageTag: 'v1' },
    });
    fail = true;
    await transport.send(describeImages()).catch(() => undefined);
    await transport.send(describeImages('web', 'us-east-1', AbortSignal.abort())).catch(() => undefined);
    expect(telemetry.lines.map((l) => [l.level, l.msg])).toEqual([
      ['debug', 'ecr request'],
      ['debug', 'ecr response'],
      ['debug', 'ecr request'],
      ['warn', 'ecr request failed'],
      ['debug', 'ecr request'],
      ['warn', 'ecr request failed'],
    ]);
    expect(telemetry.lines.map((l) => (l.obj as { event_type?: string }).event_type)).toEqual([
      'API_REQUEST',
      'API_RESPONSE',
      'API_REQUEST',
      'API_ERROR',
      'API_REQUEST',
      'API_ERROR',
    ]);
    expect(telemetry.lines[0]?.obj).toEqual({
      module: 'pipeline',
      event_type: 'API_REQUEST',
      ecr: { operation: 'PutImage', api: 'ecr', region: 'us-east-1', input: { repositoryName: 'web', imageManifest: '[redacted]', imageTag: 'v1' } },
    });
    expect(telemetry.lines[3]?.obj).toMatchObject({
      ecr: { operation: 'DescribeImages', error: { kind: 'ServiceUnavailable', requestId: 'req-9', statusCode: 500 } },
    });
  });

  it('exposes its metrics and forwards destroy', async () => {
    const base = scriptedTransport(() => ({}));
    const metrics = createEcrMetrics(telemetry.meter);
    const transport = applied(base, withInstrumentation({ metrics }));
    expect(transport.metrics).toBe(metrics);
    await transport.destroy?.();
    expect(base.destroyed).toBe(1);
  });
});
