import { ManualClock, isEcrError } from '@ecrkit/core-types';
import { afterEach, describe, expect, it } from 'vitest';
import { describeImages, ecrError, scriptedTransport } from '../test/scriptedTransport.js';
import { createTelemetry, sumOf } from '../test/telemetry.js';
import { resilient } from './resilient.js';

let telemetry = createTelemetry();
afterEach(async () => {
  await telemetry.shutdown();
  telemetry = createTelemetry();
});

describe('resilient', () => {
  it('times out each attempt and retries inside one span', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport((_request, i) => {
      if (i === 0) return new Promise(() => undefined);
      return { imageDetails: [] };
    });
    const transport = resilient(base, {
      clock,
      random: () => 0.5,
      config: { maxRetries: 2, requestTimeoutMs: 1000 },
      instrumentation: { tracer: telemetry.tracer, meter: telemetry.meter },
    });
    const result = transport.send(describeImages());
    await clock.runAll();
    await expect(result).resolves.toEqual({ imageDetails: [] });
    expect(base.calls).toHaveLength(2);
    expect(base.calls[0]?.signal?.aborted).toBe(true);
    const spans = telemetry.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes['ecr.retry.count']).toBe(1);
  });

  it('counts calls in the breaker after their retries, and an open breaker sends nothing', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ServiceUnavailable');
    });
    const transport = resilient(base, { clock, random: () => 0, config: { maxRetries: 3, requestTimeoutMs: 1000 }, instrumentation: false });
    for (let call = 1; call <= 5; call++) {
      const pending = transport.send(describeImages()).catch((e: unknown) => e);
      await clock.runAll();
      expect(await pending).toMatchObject({ kind: 'ServiceUnavailable' });
      // Four attempts per call; only the fifth failed *call* opens the breaker.
      expect(base.calls).toHaveLength(call * 4);
      expect(transport.handles.breaker?.state('us-east-1/ecr')).toBe(call < 5 ? 'closed' : 'open');
    }
    const failFast = await transport.send(describeImages()).catch((e: unknown) => e);
    expect(failFast).toMatchObject({ kind: 'CircuitOpen' });
    expect(base.calls).toHaveLength(20);
  });

  it('a call that succeeds after retries counts as a success, not as failures', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport((_request, i) => {
      // Every call fails twice, then succeeds: 2 of 3 attempts fail, no call does.
      if (i % 3 < 2) throw ecrError('ServiceUnavailable');
      return {};
    });
    const transport = resilient(base, { clock, random: () => 0, config: { maxRetries: 3 }, instrumentation: false });
    for (let call = 0; call < 10; call++) {
      const pending = transport.send(describeImages());
      await clock.runAll();
      await expect(pending).resolves.toEqual({});
    }
    expect(transport.handles.breaker?.state('us-east-1/ecr')).toBe('closed');
  });

  it('guards first: unknown operations, read-only writes and aborted signals never reach a layer', async () => {
    const base = scriptedTransport(() => ({}));
    const transport = resilient(base, { config: { readOnly: true }, instrumentation: { meter: telemetry.meter } });
    await expect(
      transport.send({ api: 'ecr', operation: 'PutImage', region: 'us-east-1', input: { repositoryName: 'web', imageManifest: '{}' } }),
    ).rejects.toMatchObject({
      kind: 'ReadOnly',
    });
    await expect(transport.send(describeImages('web', 'us-east-1', AbortSignal.abort()))).rejects.toMatchObject({ kind: 'Aborted' });
    await expect(transport.send({ ...describeImages(), operation: 'Nope' } as never)).rejects.toMatchObject({ kind: 'UnknownOperation' });
    expect(base.calls).toHaveLength(0);
    // Refused before instrumentation: not counted as calls.
    expect(sumOf(await telemetry.metrics(), 'ecr.request.count')).toBe(0);
    const unguarded = resilient(base, { config: { readOnly: true }, guard: false, instrumentation: false });
    await unguarded.send({ api: 'ecr', operation: 'PutImage', region: 'us-east-1', input: { repositoryName: 'web', imageManifest: '{}' } });
    expect(base.calls).toHaveLength(1);
  });

  it('takes maxRetries from the config unless retry options say otherwise', async () => {
    const clock = new ManualClock();
    const failing = () =>
      scriptedTransport(() => {
        throw ecrError('Throttling');
      });
    const fromConfig = failing();
    const a = resilient(fromConfig, { clock, random: () => 0, config: { maxRetries: 1 }, breaker: false })
      .send(describeImages())
      .catch(() => undefined);
    await clock.runAll();
    await a;
    expect(fromConfig.calls).toHaveLength(2);
    const overridden = failing();
    const b = resilient(overridden, { clock, random: () => 0, config: { maxRetries: 1 }, retry: { maxRetries: 4 }, breaker: false })
      .send(describeImages())
      .catch(() => undefined);
    await clock.runAll();
    await b;
    expect(overridden.calls).toHaveLength(5);
  });

  it('exposes the handles of the layers it built, and none of those left out', () => {
    const base = scriptedTransport(() => ({}));
    const all = resilient(base, { instrumentation: { meter: telemetry.meter } });
    expect(Object.keys(all.handles).sort()).toEqual(['breaker', 'concurrency', 'metrics', 'rateLimiter']);
    const bare = resilient(base, { breaker: false, rateLimit: false, concurrency: false, instrumentation: false, timeoutMs: false, retry: false });
    expect(bare.handles).toEqual({});
  });

  it('reports errors once per logical call, with the final kind', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('RepositoryNotFound');
    });
    const transport = resilient(base, { clock, instrumentation: { meter: telemetry.meter, tracer: telemetry.tracer } });
    const error = await transport.send(describeImages()).catch((e: unknown) => e);
    expect(isEcrError(error) && error.kind).toBe('RepositoryNotFound');
    expect(sumOf(await telemetry.metrics(), 'ecr.request.errors', { 'ecr.error.kind': 'RepositoryNotFound' })).toBe(1);
  });

  it('forwards destroy through every layer', async () => {
    const base = scriptedTransport(() => ({}));
    await resilient(base).destroy?.();
    expect(base.destroyed).toBe(1);
  });
});
