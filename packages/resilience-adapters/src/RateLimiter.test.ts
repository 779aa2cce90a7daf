import { ManualClock, isEcrError } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applied, ecrError, scriptedTransport } from '../test/scriptedTransport.js';
import { RateLimiter, defaultQuotas } from './RateLimiter.js';
import { withRateLimit } from './withRateLimit.js';

function listImages(tag: string | number, signal?: AbortSignal) {
  return { api: 'ecr' as const, operation: 'ListImages' as const, region: 'us-east-1', input: { repositoryName: `r${tag}` }, signal };
}

/** Most calls any window [t_i, t_j] of the recorded start times holds, beyond the bucket's allowance. */
function worstExcess(starts: number[], ratePerSecond: number, burst: number): number {
  let worst = -Infinity;
  for (let i = 0; i < starts.length; i++) {
    for (let j = i; j < starts.length; j++) {
      const count = j - i + 1;
      const allowed = burst + (ratePerSecond * ((starts[j] ?? 0) - (starts[i] ?? 0))) / 1000;
      worst = Math.max(worst, count - allowed);
    }
  }
  return worst;
}

/** Most calls in any half-open window [t, t + windowMs). */
function busiestWindow(starts: number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < starts.length; i++) {
    while (j < starts.length && (starts[j] ?? 0) < (starts[i] ?? 0) + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** 50 callers calling back to back through the limiter for `durationMs` of simulated time. */
async function hammer(options: { ratePerSecond: number; burst?: number; durationMs: number }): Promise<number[]> {
  const clock = new ManualClock();
  const t0 = clock.now();
  const starts: number[] = [];
  let latency = 0;
  const base = scriptedTransport(async () => {
    starts.push(clock.now() - t0);
    // Varied latency, so callers interleave rather than march in step.
    latency = (latency * 7 + 3) % 23;
    await clock.sleep(latency);
    return {};
  });
  const transport = applied(
    base,
    withRateLimit({ clock, adaptive: false, quotas: { ListImages: { ratePerSecond: options.ratePerSecond, burst: options.burst } } }),
  );
  const callers = Array.from({ length: 50 }, async (_, caller) => {
    while (clock.now() - t0 < options.durationMs) await transport.send(listImages(caller));
  });
  await clock.runAll();
  await Promise.all(callers);
  return starts;
}

describe('withRateLimit', () => {
  it('never lets 50 concurrent callers exceed the rate in any window (burst 1: at most the rate in any 1 s window)', async () => {
    const starts = await hammer({ ratePerSecond: 100, burst: 1, durationMs: 5000 });
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(100);
    expect(worstExcess(starts, 100, 1)).toBeLessThanOrEqual(1e-9);
    // The limit is reached, not merely respected.
    expect(starts.length).toBeGreaterThanOrEqual(490);
  });

  it('never lets 50 concurrent callers exceed burst + rate × window with the default burst', async () => {
    const starts = await hammer({ ratePerSecond: 20, durationMs: 5000 });
    expect(worstExcess(starts, 20, 20)).toBeLessThanOrEqual(1e-9);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(40);
    expect(starts.length).toBeGreaterThanOrEqual(115);
  });

  it('rejects with LimitExceeded (terminal) when the queue is full', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => ({}));
    const transport = applied(base, withRateLimit({ clock, maxQueue: 2, quotas: { ListImages: { ratePerSecond: 1, burst: 1 } } }));
    const calls = [0, 1, 2, 3].map((i) =>
      transport.send(listImages(i)).then(
        () => 'ok',
        (e: unknown) => e,
      ),
    );
    const fourth = await calls[3];
    expect(isEcrError(fourth) && [fourth.kind, fourth.category, fourth.retryable]).toEqual(['LimitExceeded', 'terminal', false]);
    expect(isEcrError(fourth) && fourth.message).toMatch(/queue is full/);
    expect(transport.limiter.queued).toBe(2);
    await clock.advance(2000);
    expect(await Promise.all(calls.slice(0, 3))).toEqual(['ok', 'ok', 'ok']);
  });

  it('lets an aborted waiter leave the queue with Aborted', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => ({}));
    const transport = applied(base, withRateLimit({ clock, quotas: { ListImages: { ratePerSecond: 1, burst: 1 } } }));
    await transport.send(listImages('first'));
    const caller = new AbortController();
    const waiting = transport.send(listImages('aborted', caller.signal)).catch((e: unknown) => e);
    const after = transport.send(listImages('after'));
    expect(transport.limiter.queued).toBe(2);
    caller.abort();
    expect(await waiting).toMatchObject({ kind: 'Aborted' });
    expect(transport.limiter.queued).toBe(1);
    await clock.advance(1000);
    await after;
    expect(base.calls.map((c) => (c.request.input as { repositoryName: string }).repositoryName)).toEqual(['rfirst', 'rafter']);
  });

  it('keeps DescribeImages buckets per repository and StartImageScan buckets per image', () => {
    const limiter = new RateLimiter({ clock: new ManualClock() });
    const describe = (repositoryName: string) => ({ api: 'ecr' as const, operation: 'DescribeImages', region: 'us-east-1', input: { repositoryName } });
    const scan = (imageDigest: string) => ({
      api: 'ecr' as const,
      operation: 'StartImageScan',
      region: 'us-east-1',
      input: { repositoryName: 'web', imageId: { imageDigest } },
    });
    expect(limiter.keyOf(describe('a'))).not.toBe(limiter.keyOf(describe('b')));
    expect(limiter.keyOf(scan('sha256:1'))).not.toBe(limiter.keyOf(scan('sha256:2')));
    expect(limiter.acquire(scan('sha256:1'))).toBeUndefined();
    expect(limiter.acquire(scan('sha256:2'))).toBeUndefined();
    const second = limiter.acquire(scan('sha256:1'));
    expect(second).toBeInstanceOf(Promise);
    expect(limiter.keyOf({ api: 'ecr', operation: 'GetLifecyclePolicy', region: 'us-east-1', input: {} })).toBeUndefined();
    expect(limiter.keyOf({ api: 'ecr-public', operation: 'DescribeImages', region: 'us-east-1', input: {} })).toBeUndefined();
  });

  it('carries the documented default quotas', () => {
    expect(Object.fromEntries(Object.entries(defaultQuotas).map(([op, q]) => [op, [q?.ratePerSecond, q?.scope]]))).toEqual({
      GetAuthorizationToken: [500, 'region'],
      DescribeRepositories: [1000, 'region'],
      DescribeImages: [1000, 'repository'],
      BatchGetImage: [2000, 'region'],
      ListImages: [100, 'region'],
      PutImage: [10, 'region'],
      BatchDeleteImage: [100, 'region'],
      StartImageScan: [1, 'image'],
    });
  });

  it('slows down when throttled and recovers gradually to the quota', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const base = scriptedTransport(async () => {
      await clock.sleep(5);
      if (clock.now() - t0 < 2000) throw ecrError('Throttling');
      return {};
    });
    const transport = applied(base, withRateLimit({ clock, quotas: { ListImages: { ratePerSecond: 100 } } }));
    const key = transport.limiter.keyOf(listImages(0)) ?? '';
    const samples: { at: number; rate: number }[] = [];
    const sampler = (async () => {
      while (clock.now() - t0 < 40_000) {
        await clock.sleep(250);
        samples.push({ at: clock.now() - t0, rate: transport.limiter.currentRate(key) ?? NaN });
      }
    })();
    const callers = Array.from({ length: 10 }, async () => {
      while (clock.now() - t0 < 40_000) await transport.send(listImages(0)).catch(() => undefined);
    });
    await clock.runAll();
    await Promise.all([sampler, ...callers]);

    const during = samples.filter((s) => s.at <= 2000).map((s) => s.rate);
    expect(Math.min(...during)).toBeLessThanOrEqual(70);
    const after = samples.filter((s) => s.at > 2100);
    // Recovery is gradual: still below the quota a second later, and never falling again.
    expect(after.find((s) => s.at >= 3000)?.rate).toBeLessThan(100);
    for (let i = 1; i < after.length; i++) expect(after[i]?.rate).toBeGreaterThanOrEqual((after[i - 1]?.rate ?? 0) - 1e-9);
    expect(after.at(-1)?.rate).toBe(100);
  });

  it('does not limit operations without a quota', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => ({}));
    const transport = applied(base, withRateLimit({ clock }));
    await Promise.all(
      Array.from({ length: 5000 }, () =>
        transport.send({ api: 'ecr', operation: 'GetLifecyclePolicy', region: 'us-east-1', input: { repositoryName: 'web' } }),
      ),
    );
    expect(base.calls).toHaveLength(5000);
    expect(clock.pending).toBe(0);
  });

  it('forgets idle per-image buckets', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    const scan = (tag: string) => ({
      api: 'ecr' as const,
      operation: 'StartImageScan',
      region: 'us-east-1',
      input: { repositoryName: 'web', imageId: { imageTag: tag } },
    });
    for (let i = 0; i < 1100; i++) limiter.acquire(scan(`t${i}`));
    expect(limiter.currentRate(limiter.keyOf(scan('t0')) ?? '')).toBe(1);
    await clock.advance(1000);
    // A bucket full again equals a fresh one, so the next new key sweeps it out.
    limiter.acquire(scan('new'));
    expect(limiter.currentRate(limiter.keyOf(scan('t0')) ?? '')).toBeUndefined();
    expect(limiter.currentRate(limiter.keyOf(scan('new')) ?? '')).toBe(1);
  });

  it('refuses a quota without a positive rate', () => {
    expect(() => new RateLimiter({ quotas: { ListImages: { ratePerSecond: 0 } } })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'quotas.ListImages' }),
    );
  });
});

// ---- Model-based test: the limiter against a reference token bucket counted in milli-tokens ----

const rate = 10; // tokens per second = milli-tokens per millisecond
const burst = 3;
const maxQueue = 4;

interface Model {
  milliTokens: number;
  queue: number[];
  started: number[];
  nextId: number;
}
interface Real {
  clock: ManualClock;
  transport: Transport & { limiter: RateLimiter };
  started: number[];
  waiting: Map<number, AbortController>;
  outcomes: Map<number, Promise<unknown>>;
}

function releaseDue(model: Model): void {
  while (model.queue.length > 0 && model.milliTokens >= 1000) {
    model.milliTokens -= 1000;
    model.started.push(model.queue.shift() as number);
  }
}

class Call implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = model.nextId++;
    let expected: 'started' | 'queued' | 'full';
    if (model.queue.length === 0 && model.milliTokens >= 1000) {
      model.milliTokens -= 1000;
      model.started.push(id);
      expected = 'started';
    } else if (model.queue.length >= maxQueue) expected = 'full';
    else {
      model.queue.push(id);
      expected = 'queued';
    }
    const controller = new AbortController();
    const outcome = real.transport.send(listImages(id, controller.signal)).then(
      () => 'ok',
      (e: unknown) => e,
    );
    real.outcomes.set(id, outcome);
    if (expected === 'queued') real.waiting.set(id, controller);
    await Promise.resolve();
    await Promise.resolve();
    if (expected === 'full') expect(await outcome).toMatchObject({ kind: 'LimitExceeded' });
    expect(real.started).toEqual(model.started);
    expect(real.transport.limiter.queued).toBe(model.queue.length);
  }
  toString = () => 'call';
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    for (let i = 0; i < this.ms; i++) {
      model.milliTokens = Math.min(burst * 1000, model.milliTokens + rate);
      releaseDue(model);
    }
    await real.clock.advance(this.ms);
    expect(real.started).toEqual(model.started);
    expect(real.transport.limiter.queued).toBe(model.queue.length);
  }
  toString = () => `advance(${this.ms})`;
}

class AbortWaiter implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.queue.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const [id] = model.queue.splice(this.pick % model.queue.length, 1);
    if (id === undefined) throw new Error('empty queue');
    real.waiting.get(id)?.abort();
    expect(await real.outcomes.get(id)).toMatchObject({ kind: 'Aborted' });
    expect(real.transport.limiter.queued).toBe(model.queue.length);
  }
  toString = () => `abort(${this.pick})`;
}

describe('RateLimiter against a reference model', () => {
  test.prop(
    [
      fc.commands(
        [
          // Listed more than once to weigh the draw towards calls.
          fc.constant(new Call()),
          fc.constant(new Call()),
          fc.constant(new Call()),
          fc.constantFrom(1, 37, 99, 100, 101, 250, 1000).map((ms) => new Advance(ms)),
          fc.constantFrom(1, 37, 99, 100, 101, 250, 1000).map((ms) => new Advance(ms)),
          fc.nat().map((pick) => new AbortWaiter(pick)),
        ],
        { maxCommands: 50, size: 'max' },
      ),
    ],
    { numRuns: 100 },
  )('starts, queues, refuses and releases exactly as a token bucket', async (commands) => {
    const clock = new ManualClock();
    const started: number[] = [];
    const base = scriptedTransport((request) => {
      started.push(Number((request.input as { repositoryName: string }).repositoryName.slice(1)));
      return {};
    });
    const transport = applied(base, withRateLimit({ clock, adaptive: false, maxQueue, quotas: { ListImages: { ratePerSecond: rate, burst } } }));
    const model: Model = { milliTokens: burst * 1000, queue: [], started: [], nextId: 0 };
    await fc.asyncModelRun(() => ({ model, real: { clock, transport, started, waiting: new Map(), outcomes: new Map() } }), commands);
  });
});
