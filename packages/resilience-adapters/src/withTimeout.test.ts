import { getEventListeners } from 'node:events';
import { ManualClock, compose, isEcrError, withGuard } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { applied, describeImages, manualTransport, scriptedTransport } from '../test/scriptedTransport.js';
import { withTimeout } from './withTimeout.js';

describe('withTimeout', () => {
  it('passes the answer through; the shared timer of its window later fires harmlessly', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => ({ imageDetails: [] }));
    const transport = applied(base, withTimeout({ timeoutMs: 1000, clock }));
    await expect(transport.send(describeImages())).resolves.toEqual({ imageDetails: [] });
    expect(base.calls[0]?.signal?.aborted).toBe(false);
    await clock.advance(1000);
    expect(clock.pending).toBe(0);
  });

  it('hands the transport a copy of the request with its signal, fields beyond the port kept', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => ({ imageDetails: [] }));
    const transport = applied(base, withTimeout({ timeoutMs: 1000, clock }));
    const plain = describeImages();
    const extended = { ...describeImages(), traceTag: 'kept' };
    await transport.send(plain);
    await transport.send(extended);
    expect(base.calls[0]?.request).not.toBe(plain);
    expect(base.calls[0]?.request).toEqual({ ...plain, signal: base.calls[0]?.signal });
    expect(base.calls[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(base.calls[1]?.request).toEqual({ ...extended, signal: base.calls[1]?.signal });
    await clock.advance(1000);
  });

  it('shares one timer and signal among calls of the same window, and never fires early', async () => {
    const clock = new ManualClock();
    const base = manualTransport();
    const transport = applied(base, withTimeout({ timeoutMs: 1000, precisionMs: 100, clock }));
    const outcomes: unknown[] = [];
    const t0 = clock.now();
    const start = () => void transport.send(describeImages()).catch((e: unknown) => outcomes.push([clock.now() - t0, (e as { kind: string }).kind]));
    start();
    await clock.advance(1);
    start();
    await clock.advance(59);
    start();
    // Calls at +0 (a window edge), +1 and +60: the first has its own window, the others share one.
    expect(clock.pending).toBe(2);
    expect(base.held[1]?.request.signal).toBe(base.held[2]?.request.signal);
    await clock.advance(1000 - 60);
    expect(outcomes).toEqual([[1000, 'Timeout']]);
    await clock.advance(99);
    expect(outcomes).toHaveLength(1);
    await clock.advance(1);
    expect(outcomes).toEqual([
      [1000, 'Timeout'],
      [1100, 'Timeout'],
      [1100, 'Timeout'],
    ]);
  });

  it('rejects with Timeout when its deadline fires, and aborts the call below', async () => {
    const clock = new ManualClock();
    const base = manualTransport();
    const transport = applied(base, withTimeout({ timeoutMs: 1000, clock }));
    const result = transport.send(describeImages()).catch((e: unknown) => e);
    await clock.advance(999);
    expect(base.held[0]?.request.signal?.aborted).toBe(false);
    await clock.advance(1);
    const error = await result;
    expect(isEcrError(error) && error.kind).toBe('Timeout');
    expect(isEcrError(error) && error.retryable).toBe(true);
    expect(isEcrError(error) && error.operation).toBe('DescribeImages');
    expect(base.held[0]?.request.signal?.aborted).toBe(true);
  });

  it('rejects with Aborted, not Timeout, when the caller aborts', async () => {
    const clock = new ManualClock();
    const base = manualTransport();
    const transport = applied(base, withTimeout({ timeoutMs: 1000, clock }));
    const caller = new AbortController();
    const result = transport.send(describeImages('web', 'us-east-1', caller.signal)).catch((e: unknown) => e);
    await clock.advance(10);
    caller.abort();
    const error = await result;
    expect(isEcrError(error) && error.kind).toBe('Aborted');
    expect(isEcrError(error) && error.retryable).toBe(false);
    expect(base.held[0]?.request.signal?.aborted).toBe(true);
    await clock.advance(5000);
    expect(clock.pending).toBe(0);
  });

  it('wins the race even when the transport ignores its signal', async () => {
    const clock = new ManualClock();
    const transport = applied(
      scriptedTransport(() => new Promise(() => undefined)),
      withTimeout({ timeoutMs: 50, clock }),
    );
    const result = transport.send(describeImages()).catch((e: unknown) => e);
    await clock.advance(50);
    expect(isEcrError(await result) && ((await result) as { kind: string }).kind).toBe('Timeout');
  });

  it('leaves an already aborted signal to the guard in front of it, which sends nothing', async () => {
    const base = scriptedTransport(() => ({}));
    const transport = compose(base, withTimeout({ timeoutMs: 50, clock: new ManualClock() }), withGuard());
    await expect(transport.send(describeImages('web', 'us-east-1', AbortSignal.abort()))).rejects.toMatchObject({ kind: 'Aborted' });
    expect(base.calls).toHaveLength(0);
  });

  it('removes its listener from the caller signal whichever way the call ends', async () => {
    const clock = new ManualClock();
    const caller = new AbortController();
    const ok = applied(
      scriptedTransport(() => ({})),
      withTimeout({ timeoutMs: 50, clock }),
    );
    await ok.send(describeImages('web', 'us-east-1', caller.signal));
    const failing = applied(
      scriptedTransport(() => Promise.reject(new Error('boom'))),
      withTimeout({ timeoutMs: 50, clock }),
    );
    await expect(failing.send(describeImages('web', 'us-east-1', caller.signal))).rejects.toThrow('boom');
    const slow = applied(manualTransport(), withTimeout({ timeoutMs: 50, clock }));
    const timedOut = slow.send(describeImages('web', 'us-east-1', caller.signal)).catch(() => undefined);
    await clock.advance(50);
    await timedOut;
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('forwards destroy', async () => {
    const base = scriptedTransport(() => ({}));
    await applied(base, withTimeout({ timeoutMs: 1 })).destroy?.();
    expect(base.destroyed).toBe(1);
  });

  it('refuses a non-positive timeout', () => {
    expect(() =>
      applied(
        scriptedTransport(() => ({})),
        withTimeout({ timeoutMs: 0 }),
      ),
    ).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'timeoutMs' }));
  });
});
