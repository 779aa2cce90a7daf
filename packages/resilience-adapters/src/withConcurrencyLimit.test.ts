import { ManualClock, isEcrError } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { applied, describeImages, manualTransport, scriptedTransport } from '../test/scriptedTransport.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';

describe('withConcurrencyLimit', () => {
  it('keeps at most maxInFlight calls per region in flight and starts waiters in order', async () => {
    const clock = new ManualClock();
    let inFlight = 0;
    let peak = 0;
    const order: string[] = [];
    const base = scriptedTransport(async (request, i) => {
      order.push((request.input as { repositoryName: string }).repositoryName);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await clock.sleep(10 + ((i * 7) % 13));
      inFlight--;
      return {};
    });
    const transport = applied(base, withConcurrencyLimit({ maxInFlight: 5 }));
    const calls = Array.from({ length: 40 }, (_, i) => transport.send(describeImages(`r${i}`)));
    expect(transport.limiter.inFlight('us-east-1')).toBe(5);
    expect(transport.limiter.queued).toBe(35);
    await clock.runAll();
    await Promise.all(calls);
    expect(peak).toBe(5);
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => `r${i}`));
    expect(transport.limiter.inFlight('us-east-1')).toBe(0);
    expect(transport.limiter.queued).toBe(0);
  });

  it('isolates regions', () => {
    const base = manualTransport();
    const transport = applied(base, withConcurrencyLimit({ maxInFlight: 1 }));
    void transport.send(describeImages('a', 'us-east-1'));
    void transport.send(describeImages('b', 'eu-west-1'));
    expect(base.started).toBe(2);
  });

  it('frees the slot when a call fails', async () => {
    const base = scriptedTransport(() => Promise.reject(new Error('boom')));
    const transport = applied(base, withConcurrencyLimit({ maxInFlight: 1 }));
    await expect(transport.send(describeImages())).rejects.toThrow('boom');
    await expect(transport.send(describeImages())).rejects.toThrow('boom');
    expect(transport.limiter.inFlight('us-east-1')).toBe(0);
  });

  it('rejects with LimitExceeded (terminal) when the queue is full', async () => {
    const base = manualTransport();
    const transport = applied(base, withConcurrencyLimit({ maxInFlight: 1, maxQueue: 1 }));
    void transport.send(describeImages());
    void transport.send(describeImages()).catch(() => undefined);
    const error = await transport.send(describeImages()).catch((e: unknown) => e);
    expect(isEcrError(error) && [error.kind, error.category]).toEqual(['LimitExceeded', 'terminal']);
  });

  it('lets an aborted waiter leave the queue without taking a slot', async () => {
    const base = manualTransport();
    const transport = applied(base, withConcurrencyLimit({ maxInFlight: 1 }));
    const first = transport.send(describeImages('first'));
    const caller = new AbortController();
    const aborted = transport.send(describeImages('aborted', 'us-east-1', caller.signal)).catch((e: unknown) => e);
    const third = transport.send(describeImages('third'));
    caller.abort();
    expect(await aborted).toMatchObject({ kind: 'Aborted' });
    expect(transport.limiter.queued).toBe(1);
    base.held[0]?.resolve({});
    await first;
    await Promise.resolve();
    expect(base.held.map((h) => (h.request.input as { repositoryName: string }).repositoryName)).toEqual(['first', 'third']);
    base.held[1]?.resolve({});
    await third;
    expect(transport.limiter.inFlight('us-east-1')).toBe(0);
  });

  it('forwards destroy', async () => {
    const base = scriptedTransport(() => ({}));
    await applied(base, withConcurrencyLimit()).destroy?.();
    expect(base.destroyed).toBe(1);
  });
});
