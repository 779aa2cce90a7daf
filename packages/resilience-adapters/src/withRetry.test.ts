import { EcrError, ManualClock, isEcrError } from '@ecrkit/core-types';
import type { ErrorKind } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it, vi } from 'vitest';
import { describeImages, ecrError, manualTransport, scriptedTransport } from '../test/scriptedTransport.js';
import { sha256Digest } from './internal/sha256Digest.js';
import { createRetryTracker } from './RetryTracker.js';
import { withRetry } from './withRetry.js';
import type { RetryEvent } from './withRetry.js';

/** Run a call to completion on a manual clock, returning its outcome. */
async function settle<T>(clock: ManualClock, promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await clock.runAll();
  return outcome;
}

describe('withRetry', () => {
  it('retries retryable errors with capped exponential backoff and full jitter', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const times: number[] = [];
    const base = scriptedTransport((_, i) => {
      times.push(clock.now() - start);
      if (i < 3) throw ecrError(i === 0 ? 'Throttling' : i === 1 ? 'ServiceUnavailable' : 'Network');
      return { imageDetails: [] };
    });
    const events: RetryEvent[] = [];
    const transport = withRetry(base, { clock, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 250, onRetry: (e) => events.push(e) });
    const { value } = await settle(clock, transport.send(describeImages()));
    expect(value).toEqual({ imageDetails: [] });
    // Half of the caps 100, 200, then 400 capped at 250.
    expect(times).toEqual([0, 50, 150, 275]);
    expect(events.map((e) => [e.attempt, e.reason, e.error.kind])).toEqual([
      [2, 'retryable', 'Throttling'],
      [3, 'retryable', 'ServiceUnavailable'],
      [4, 'retryable', 'Network'],
    ]);
  });

  it('waits a random share of the backoff cap', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const base = scriptedTransport((_, i) => {
      times.push(clock.now());
      if (i === 0) throw ecrError('Throttling');
      return {};
    });
    await settle(clock, withRetry(base, { clock, random: () => 0.25 }).send(describeImages()));
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBe(25);
  });

  it('gives up after maxRetries with the last error', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ServiceUnavailable');
    });
    const { error } = await settle(clock, withRetry(base, { clock, maxRetries: 2 }).send(describeImages()));
    expect(isEcrError(error) && error.kind).toBe('ServiceUnavailable');
    expect(base.calls).toHaveLength(3);
  });

  it.each<ErrorKind>(['RepositoryNotFound', 'InvalidParameter', 'AccessDenied', 'ImageTagAlreadyExists', 'CircuitOpen', 'Aborted'])(
    'does not retry %s',
    async (kind) => {
      const clock = new ManualClock();
      const base = scriptedTransport(() => {
        throw ecrError(kind);
      });
      const { error } = await settle(clock, withRetry(base, { clock }).send(describeImages()));
      expect(isEcrError(error) && error.kind).toBe(kind);
      expect(base.calls).toHaveLength(1);
    },
  );

  it('does not retry errors that are not EcrErrors', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw new TypeError('bug');
    });
    const { error } = await settle(clock, withRetry(base, { clock }).send(describeImages()));
    expect(error).toBeInstanceOf(TypeError);
    expect(base.calls).toHaveLength(1);
  });

  it('honours the server retry-after hint when it is longer than the backoff', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const base = scriptedTransport((_, i) => {
      times.push(clock.now());
      if (i === 0) throw ecrError('Throttling', { retryAfterMs: 5000 });
      return {};
    });
    await settle(clock, withRetry(base, { clock, random: () => 0.5 }).send(describeImages()));
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBe(5000);
  });

  it('refreshes credentials once and retries once on a credential error', async () => {
    const clock = new ManualClock();
    const refresh = vi.fn(async () => undefined);
    const base = scriptedTransport(() => {
      throw ecrError('ExpiredToken');
    });
    const { error } = await settle(clock, withRetry(base, { clock, onCredentialError: refresh }).send(describeImages()));
    expect(isEcrError(error) && error.kind).toBe('ExpiredToken');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(base.calls).toHaveLength(2);
  });

  it('succeeds after a credential refresh', async () => {
    const clock = new ManualClock();
    let fresh = false;
    const base = scriptedTransport(() => {
      if (!fresh) throw ecrError('ExpiredToken');
      return { ok: true };
    });
    const transport = withRetry(base, {
      clock,
      onCredentialError: async () => {
        fresh = true;
      },
    });
    expect((await settle(clock, transport.send(describeImages()))).value).toEqual({ ok: true });
  });

  it('does not retry a credential error without a refresh hook', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ExpiredToken');
    });
    await settle(clock, withRetry(base, { clock }).send(describeImages()));
    expect(base.calls).toHaveLength(1);
  });

  it('stops with Aborted, not retrying, when the caller aborts during a backoff wait', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ServiceUnavailable');
    });
    const caller = new AbortController();
    const result = withRetry(base, { clock, random: () => 1 })
      .send(describeImages('web', 'us-east-1', caller.signal))
      .catch((e: unknown) => e);
    await clock.advance(50);
    caller.abort();
    const error = await result;
    expect(isEcrError(error) && error.kind).toBe('Aborted');
    await clock.runAll();
    expect(base.calls).toHaveLength(1);
  });

  it('rejects with Timeout when its overall deadline fires during an attempt', async () => {
    const clock = new ManualClock();
    const base = manualTransport();
    const result = withRetry(base, { clock, deadlineMs: 1000 })
      .send(describeImages())
      .catch((e: unknown) => e);
    await clock.advance(1000);
    const error = await result;
    expect(isEcrError(error) && error.kind).toBe('Timeout');
    expect(base.held[0]?.request.signal?.aborted).toBe(true);
  });

  it('rejects with Timeout when the deadline fires during a backoff wait', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('Throttling');
    });
    // Each wait fits when it starts, but waits plus the attempt's 0 ms overrun 1 s at the third.
    const times: number[] = [];
    const slow = scriptedTransport(async (request, i) => {
      times.push(clock.now());
      await clock.sleep(300, request.signal);
      if (i < 5) throw ecrError('Throttling');
      return {};
    });
    const result = withRetry(slow, { clock, deadlineMs: 1000, random: () => 1, baseDelayMs: 100, maxRetries: 10 })
      .send(describeImages())
      .catch((e: unknown) => e);
    await clock.runAll();
    const error = await result;
    expect(isEcrError(error) && error.kind).toBe('Timeout');
    expect(times).toEqual([times[0], (times[0] ?? 0) + 400, (times[0] ?? 0) + 900]);
    expect(base.calls).toHaveLength(0);
  });

  it('returns the last error instead of starting a wait that would overrun the deadline', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('Throttling', { retryAfterMs: 10_000 });
    });
    const { error } = await settle(clock, withRetry(base, { clock, deadlineMs: 5000 }).send(describeImages()));
    expect(isEcrError(error) && error.kind).toBe('Throttling');
    expect(base.calls).toHaveLength(1);
  });

  it('cancels its deadline timer when the call ends', async () => {
    const clock = new ManualClock();
    await settle(
      clock,
      withRetry(
        scriptedTransport(() => ({})),
        { clock, deadlineMs: 1000 },
      ).send(describeImages()),
    );
    expect(clock.pending).toBe(0);
  });

  it('counts retries through a RetryTracker without touching the request or the error', async () => {
    const clock = new ManualClock();
    const failure = ecrError('Throttling');
    const frozen = Object.freeze({ ...failure });
    const base = scriptedTransport((_, i) => {
      if (i < 2) throw failure;
      return {};
    });
    const tracker = createRetryTracker();
    const request = Object.freeze(describeImages());
    await settle(clock, withRetry(base, { clock, onRetry: tracker.onRetry }).send(request));
    expect(tracker.retries(request)).toBe(2);
    expect({ ...failure }).toEqual(frozen);
  });

  describe('PutImage whose first attempt succeeded', () => {
    const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
    const putImage = {
      api: 'ecr' as const,
      operation: 'PutImage' as const,
      region: 'us-east-1',
      input: { repositoryName: 'web', imageManifest: manifest, imageTag: 'v1' },
    };

    it('counts ImageAlreadyExists on a retry as success, with the image fetched with BatchGetImage', async () => {
      const clock = new ManualClock();
      const digest = await sha256Digest(manifest);
      const stored = { registryId: '123456789012', repositoryName: 'web', imageId: { imageDigest: digest }, imageManifest: manifest };
      const base = scriptedTransport((request, i) => {
        if (request.operation === 'BatchGetImage') return { images: [stored], failures: [] };
        if (i === 0) throw ecrError('Network');
        throw ecrError('ImageAlreadyExists');
      });
      const { value } = await settle(clock, withRetry(base, { clock }).send(putImage));
      expect(value).toEqual({ image: { ...stored, imageId: { imageDigest: digest, imageTag: 'v1' } } });
      expect(base.calls[2]?.request.input).toEqual({ repositoryName: 'web', imageIds: [{ imageDigest: digest }] });
    });

    it('builds the output from the request when the lookup fails', async () => {
      const clock = new ManualClock();
      const base = scriptedTransport((request, i) => {
        if (request.operation === 'BatchGetImage') throw ecrError('ServiceUnavailable');
        if (i === 0) throw ecrError('ServiceUnavailable');
        throw ecrError('ImageAlreadyExists');
      });
      const { value } = await settle(clock, withRetry(base, { clock }).send(putImage));
      expect(value).toEqual({
        image: { repositoryName: 'web', imageId: { imageDigest: await sha256Digest(manifest), imageTag: 'v1' }, imageManifest: manifest },
      });
    });

    it('still fails with ImageAlreadyExists on the first attempt', async () => {
      const clock = new ManualClock();
      const base = scriptedTransport(() => {
        throw ecrError('ImageAlreadyExists');
      });
      const { error } = await settle(clock, withRetry(base, { clock }).send(putImage));
      expect(isEcrError(error) && error.kind).toBe('ImageAlreadyExists');
    });
  });

  it('forwards destroy', async () => {
    const base = scriptedTransport(() => ({}));
    await withRetry(base).destroy?.();
    expect(base.destroyed).toBe(1);
  });
});

const anyKind = fc.constantFrom<ErrorKind>(
  'Throttling',
  'ServiceUnavailable',
  'Network',
  'Timeout',
  'LimitExceeded',
  'RepositoryNotFound',
  'ImageNotFound',
  'InvalidParameter',
  'AccessDenied',
  'ExpiredToken',
  'InvalidSignature',
  'KmsError',
  'InvalidResponse',
  'Aborted',
);
const outcome = fc.oneof(
  fc.constant<{ ok: true }>({ ok: true }),
  fc.record({ kind: anyKind, status: fc.constantFrom(undefined, 400, 500, 503), retryAfterMs: fc.option(fc.nat(30_000), { nil: undefined }) }),
);

describe('withRetry under random fault schedules', () => {
  test.prop([fc.array(outcome, { minLength: 1, maxLength: 12 }), fc.nat(5), fc.boolean(), fc.double({ min: 0, max: 0.999, noNaN: true })], { numRuns: 300 })(
    'never exceeds its attempt budget, never retries a terminal error, refreshes credentials at most once',
    async (schedule, maxRetries, withHook, jitter) => {
      const clock = new ManualClock();
      const raised: EcrError[] = [];
      const base = scriptedTransport((_, i) => {
        const step = schedule[Math.min(i, schedule.length - 1)];
        if (!step || 'ok' in step) return { ok: true };
        const error = new EcrError({ kind: step.kind, message: 'scripted', statusCode: step.status, retryAfterMs: step.retryAfterMs });
        raised.push(error);
        throw error;
      });
      let refreshes = 0;
      const transport = withRetry(base, {
        clock,
        maxRetries,
        random: () => jitter,
        onCredentialError: withHook
          ? async () => {
              refreshes++;
            }
          : undefined,
      });
      const { error } = await settle(clock, transport.send(describeImages()));
      const attempts = base.calls.length;
      expect(attempts).toBeLessThanOrEqual(maxRetries + 1);
      expect(refreshes).toBeLessThanOrEqual(1);
      // Every failure but the last was followed by another attempt, so each must have been retryable
      // (or the one credential error that the hook handled).
      const retried = raised.slice(0, attempts - 1);
      const credentialRetries = retried.filter((e) => e.category === 'credential').length;
      expect(credentialRetries).toBeLessThanOrEqual(withHook ? 1 : 0);
      for (const e of retried) expect(e.category === 'retryable' || e.category === 'credential').toBe(true);
      for (const e of retried) expect(e.kind).not.toBe('Aborted');
      if (error !== undefined) expect(raised).toContain(error);
    },
  );
});
