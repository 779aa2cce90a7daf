import { EcrError, ManualClock, isEcrError } from '@ecrkit/core-types';
import type { ErrorKind } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it, vi } from 'vitest';
import { applied, describeImages, ecrError, manualTransport, scriptedTransport } from '../test/scriptedTransport.js';
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

const putImage = {
  api: 'ecr' as const,
  operation: 'PutImage' as const,
  region: 'us-east-1',
  input: { repositoryName: 'web', imageManifest: '{"schemaVersion":2}', imageTag: 'v1' },
};

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
    const transport = applied(base, withRetry({ clock, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 250, onRetry: (e) => events.push(e) }));
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
    await settle(clock, applied(base, withRetry({ clock, random: () => 0.25 })).send(describeImages()));
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBe(25);
  });

  it('gives up after maxRetries with the last error', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ServiceUnavailable');
    });
    const { error } = await settle(clock, applied(base, withRetry({ clock, maxRetries: 2 })).send(describeImages()));
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
      const { error } = await settle(clock, applied(base, withRetry({ clock })).send(describeImages()));
      expect(isEcrError(error) && error.kind).toBe(kind);
      expect(base.calls).toHaveLength(1);
    },
  );

  it('does not retry errors that are not EcrErrors', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw new TypeError('bug');
    });
    const { error } = await settle(clock, applied(base, withRetry({ clock })).send(describeImages()));
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
    await settle(clock, applied(base, withRetry({ clock, random: () => 0.5 })).send(describeImages()));
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBe(5000);
  });

  it('refreshes credentials once and retries once on a credential error', async () => {
    const clock = new ManualClock();
    const refresh = vi.fn(async () => undefined);
    const base = scriptedTransport(() => {
      throw ecrError('ExpiredToken');
    });
    const { error } = await settle(clock, applied(base, withRetry({ clock, onCredentialError: refresh })).send(describeImages()));
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
    const transport = applied(
      base,
      withRetry({
        clock,
        onCredentialError: async () => {
          fresh = true;
        },
      }),
    );
    expect((await settle(clock, transport.send(describeImages()))).value).toEqual({ ok: true });
  });

  it('does not retry a credential error without a refresh hook', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ExpiredToken');
    });
    await settle(clock, applied(base, withRetry({ clock })).send(describeImages()));
    expect(base.calls).toHaveLength(1);
  });

  it('stops with Aborted, not retrying, when the caller aborts during a backoff wait', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('ServiceUnavailable');
    });
    const caller = new AbortController();
    const result = applied(base, withRetry({ clock, random: () => 1 }))
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
    const result = applied(base, withRetry({ clock, deadlineMs: 1000 }))
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
    const result = applied(slow, withRetry({ clock, deadlineMs: 1000, random: () => 1, baseDelayMs: 100, maxRetries: 10 }))
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
    const { error } = await settle(clock, applied(base, withRetry({ clock, deadlineMs: 5000 })).send(describeImages()));
    expect(isEcrError(error) && error.kind).toBe('Throttling');
    expect(base.calls).toHaveLength(1);
  });

  it('cancels its deadline timer when the call ends', async () => {
    const clock = new ManualClock();
    await settle(
      clock,
      applied(
        scriptedTransport(() => ({})),
        withRetry({ clock, deadlineMs: 1000 }),
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
    await settle(clock, applied(base, withRetry({ clock, onRetry: tracker.onRetry })).send(request));
    expect(tracker.retries(request)).toBe(2);
    expect({ ...failure }).toEqual(frozen);
  });

  it('caps a Retry-After at the largest backoff plus 5 s: a day becomes 25 s', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const base = scriptedTransport((_, i) => {
      times.push(clock.now());
      if (i < 2) throw ecrError('Throttling', { retryAfterMs: 86_400_000 });
      return {};
    });
    const { value } = await settle(clock, applied(base, withRetry({ clock, random: () => 0.5 })).send(describeImages()));
    expect(value).toEqual({});
    expect([(times[1] ?? 0) - (times[0] ?? 0), (times[2] ?? 0) - (times[1] ?? 0)]).toEqual([25_000, 25_000]);
  });

  it('never waits out a Retry-After past the overall deadline: it returns the failure instead', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const base = scriptedTransport(() => {
      throw ecrError('Throttling', { retryAfterMs: 20_000 });
    });
    const { error } = await settle(clock, applied(base, withRetry({ clock, deadlineMs: 10_000 })).send(describeImages()));
    expect(isEcrError(error) && error.kind).toBe('Throttling');
    expect(base.calls).toHaveLength(1);
    expect(clock.now() - start).toBe(0);
  });

  it('retries an unreadable 2xx answer of a read, and reports it at once for a write', async () => {
    const clock = new ManualClock();
    const truncated = () => ecrError('InvalidResponse', { statusCode: 200, message: 'truncated' });
    const reads = scriptedTransport((_, i) => {
      if (i === 0) throw truncated();
      return { imageDetails: [] };
    });
    await expect(settle(clock, applied(reads, withRetry({ clock })).send(describeImages()))).resolves.toEqual({ value: { imageDetails: [] } });
    expect(reads.calls).toHaveLength(2);

    const writes = scriptedTransport(() => {
      throw truncated();
    });
    const { error } = await settle(clock, applied(writes, withRetry({ clock })).send(putImage));
    expect(isEcrError(error) && error.kind).toBe('InvalidResponse');
    expect(writes.calls).toHaveLength(1);
    // An HTML 400 is the service refusing the request: never retried, read or not.
    const refused = scriptedTransport(() => {
      throw ecrError('InvalidResponse', { statusCode: 400 });
    });
    await settle(clock, applied(refused, withRetry({ clock })).send(describeImages()));
    expect(refused.calls).toHaveLength(1);
  });

  describe('a mutating call whose answer was lost', () => {
    it('asks confirm before sending it again, and returns what confirm found when it took effect', async () => {
      const clock = new ManualClock();
      const base = scriptedTransport(() => {
        throw ecrError('Timeout');
      });
      const confirm = vi.fn(async () => ({ applied: true as const, output: { image: { imageId: { imageTag: 'v1' } } } }));
      const { value } = await settle(clock, applied(base, withRetry({ clock, confirm })).send(putImage));
      expect(value).toEqual({ image: { imageId: { imageTag: 'v1' } } });
      expect(base.calls).toHaveLength(1);
      expect(confirm).toHaveBeenCalledTimes(1);
      const [request, failure, next] = confirm.mock.calls[0] as unknown as [unknown, EcrError, unknown];
      expect(request).toBe(putImage);
      expect(failure.kind).toBe('Timeout');
      expect(next).toBe(base);
    });

    it('sends it again when confirm finds it did not take effect, cannot tell, or fails itself', async () => {
      for (const answer of [async () => ({ applied: false as const }), async () => undefined, async () => Promise.reject(new Error('lookup failed'))]) {
        const clock = new ManualClock();
        const base = scriptedTransport((_, i) => {
          if (i === 0) throw ecrError('Network');
          return { image: {} };
        });
        const { value } = await settle(clock, applied(base, withRetry({ clock, confirm: answer })).send(putImage));
        expect(value).toEqual({ image: {} });
        expect(base.calls).toHaveLength(2);
      }
    });

    it('does not ask for reads, nor for failures that prove nothing was done', async () => {
      const clock = new ManualClock();
      const confirm = vi.fn(async () => ({ applied: false as const }));
      const reads = scriptedTransport((_, i) => {
        if (i === 0) throw ecrError('Timeout');
        return {};
      });
      await settle(clock, applied(reads, withRetry({ clock, confirm })).send(describeImages()));
      const throttled = scriptedTransport((_, i) => {
        if (i === 0) throw ecrError('Throttling');
        return {};
      });
      await settle(clock, applied(throttled, withRetry({ clock, confirm })).send(putImage));
      expect(confirm).not.toHaveBeenCalled();
      expect(throttled.calls).toHaveLength(2);
    });
  });

  it('forwards destroy', async () => {
    const base = scriptedTransport(() => ({}));
    await applied(base, withRetry()).destroy?.();
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
  fc.record({
    kind: anyKind,
    status: fc.constantFrom(undefined, 200, 400, 500, 503),
    retryAfterMs: fc.option(fc.oneof(fc.nat(30_000), fc.constant(86_400_000)), { nil: undefined }),
  }),
);

describe('withRetry under random fault schedules', () => {
  test.prop([fc.array(outcome, { minLength: 1, maxLength: 12 }), fc.nat(5), fc.boolean(), fc.double({ min: 0, max: 0.999, noNaN: true })], { numRuns: 300 })(
    'never exceeds its attempt budget, never retries a terminal error, refreshes credentials at most once, never waits past the Retry-After cap',
    async (schedule, maxRetries, withHook, jitter) => {
      const clock = new ManualClock();
      const waits: number[] = [];
      const raised: EcrError[] = [];
      const base = scriptedTransport((_, i) => {
        const step = schedule[Math.min(i, schedule.length - 1)];
        if (!step || 'ok' in step) return { ok: true };
        const error = new EcrError({ kind: step.kind, message: 'scripted', statusCode: step.status, retryAfterMs: step.retryAfterMs });
        raised.push(error);
        throw error;
      });
      let refreshes = 0;
      const transport = applied(
        base,
        withRetry({
          clock,
          maxRetries,
          random: () => jitter,
          onRetry: (event) => waits.push(event.delayMs),
          onCredentialError: withHook
            ? async () => {
                refreshes++;
              }
            : undefined,
        }),
      );
      const { error } = await settle(clock, transport.send(describeImages()));
      const attempts = base.calls.length;
      expect(attempts).toBeLessThanOrEqual(maxRetries + 1);
      expect(refreshes).toBeLessThanOrEqual(1);
      // Every failure but the last was followed by another attempt, so each must have been retryable
      // (or the one credential error that the hook handled).
      const retried = raised.slice(0, attempts - 1);
      const credentialRetries = retried.filter((e) => e.category === 'credential').length;
      expect(credentialRetries).toBeLessThanOrEqual(withHook ? 1 : 0);
      // An unreadable answer of a read (InvalidResponse without a 4xx or 5xx status) is retried too.
      const unreadable = (e: EcrError) => e.kind === 'InvalidResponse' && (e.statusCode === undefined || e.statusCode < 400);
      for (const e of retried) expect(e.category === 'retryable' || e.category === 'credential' || unreadable(e)).toBe(true);
      for (const e of retried) expect(e.kind).not.toBe('Aborted');
      if (error !== undefined) expect(raised).toContain(error);
      for (const wait of waits) expect(wait).toBeLessThanOrEqual(20_000 + 5_000);
    },
  );
});
