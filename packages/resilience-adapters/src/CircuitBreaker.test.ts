import { ManualClock, isEcrError } from '@ecrkit/core-types';
import type { ErrorKind, Transport } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applied, describeImages, ecrError, manualTransport, scriptedTransport } from '../test/scriptedTransport.js';
import type { HeldCall } from '../test/scriptedTransport.js';
import { CircuitBreaker, breakerOutcomeOf, isBreakerFailure } from './CircuitBreaker.js';
import type { CircuitState, CircuitStateChange } from './CircuitBreaker.js';
import { withCircuitBreaker } from './withCircuitBreaker.js';

const key = 'us-east-1/ecr';

describe('withCircuitBreaker timeline on a fake clock', () => {
  it('opens at the 5th failure, fails fast, probes at 60 s, closes, all within 2 minutes', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    let healthy = false;
    const base = scriptedTransport(() => {
      if (!healthy) throw ecrError('ServiceUnavailable');
      return { imageDetails: [] };
    });
    const transport = applied(base, withCircuitBreaker({ clock }));
    const changes: CircuitStateChange[] = [];
    const subscription = transport.breaker.onStateChange((c) => changes.push(c));

    for (let i = 1; i <= 5; i++) {
      await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'ServiceUnavailable' });
      expect(transport.breaker.state(key)).toBe(i < 5 ? 'closed' : 'open');
      await clock.advance(1000);
    }
    expect(changes).toEqual([{ key, from: 'closed', to: 'open', at: t0 + 4000 }]);

    // Fail fast: the transport is not called, and the error says when to come back.
    const failFast = await transport.send(describeImages()).catch((e: unknown) => e);
    expect(isEcrError(failFast) && failFast.kind).toBe('CircuitOpen');
    expect(isEcrError(failFast) && failFast.retryAfterMs).toBe(59_000);
    expect(base.calls).toHaveLength(5);

    healthy = true;
    await clock.advance(64_000 - 1 - (clock.now() - t0));
    await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'CircuitOpen' });
    expect(transport.breaker.state(key)).toBe('open');
    await clock.advance(1);
    expect(transport.breaker.state(key)).toBe('half-open');

    // Exactly one probe: a second call while it is in flight fails fast.
    const probe = transport.send(describeImages());
    await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'CircuitOpen' });
    await expect(probe).resolves.toEqual({ imageDetails: [] });
    expect(transport.breaker.state(key)).toBe('closed');
    expect(base.calls).toHaveLength(6);
    const closedAt = changes.at(-1)?.at ?? Infinity;
    expect(closedAt - t0).toBeLessThan(120_000);
    expect(changes.map((c) => c.to)).toEqual(['open', 'half-open', 'closed']);

    subscription.dispose();
    await transport.send(describeImages());
    expect(changes).toHaveLength(3);
  });

  it('re-opens for another 60 s when the probe fails', async () => {
    const clock = new ManualClock();
    const base = scriptedTransport(() => {
      throw ecrError('Network');
    });
    const transport = applied(base, withCircuitBreaker({ clock, failureThreshold: 2 }));
    for (let i = 0; i < 2; i++) await transport.send(describeImages()).catch(() => undefined);
    await clock.advance(60_000);
    await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'Network' });
    expect(transport.breaker.state(key)).toBe('open');
    await clock.advance(59_999);
    await expect(transport.send(describeImages())).rejects.toMatchObject({ kind: 'CircuitOpen' });
    expect(base.calls).toHaveLength(3);
  });

  it('frees the probe slot when the probe is aborted by its caller', async () => {
    const clock = new ManualClock();
    const base = manualTransport();
    const transport = applied(base, withCircuitBreaker({ clock, failureThreshold: 1 }));
    const first = transport.send(describeImages()).catch(() => undefined);
    base.held[0]?.reject(ecrError('ServiceUnavailable'));
    await first;
    await clock.advance(60_000);
    const caller = new AbortController();
    const probe = transport.send(describeImages('web', 'us-east-1', caller.signal)).catch((e: unknown) => e);
    caller.abort();
    expect(await probe).toMatchObject({ kind: 'Aborted' });
    expect(transport.breaker.state(key)).toBe('half-open');
    const second = transport.send(describeImages());
    base.held[2]?.resolve({});
    await second;
    expect(transport.breaker.state(key)).toBe('closed');
  });

  it("does not open while failed calls are under half of the window's calls, however many fail", async () => {
    const clock = new ManualClock();
    let call = 0;
    // Every third call fails: 33% of calls, far more than 5 failures in 30 s.
    const transport = applied(
      scriptedTransport(() => {
        if (++call % 3 === 0) throw ecrError('ServiceUnavailable');
        return {};
      }),
      withCircuitBreaker({ clock }),
    );
    for (let i = 0; i < 300; i++) {
      await transport.send(describeImages()).catch(() => undefined);
      await clock.advance(50);
    }
    expect(transport.breaker.state(key)).toBe('closed');
  });

  it('opens once at least 5 calls and at least half the calls in the window failed', async () => {
    const clock = new ManualClock();
    let healthy = true;
    const transport = applied(
      scriptedTransport(() => {
        if (!healthy) throw ecrError('Network');
        return {};
      }),
      withCircuitBreaker({ clock }),
    );
    for (let i = 0; i < 6; i++) await transport.send(describeImages());
    healthy = false;
    const states: string[] = [];
    for (let i = 0; i < 7; i++) {
      await transport.send(describeImages()).catch(() => undefined);
      states.push(transport.breaker.state(key));
    }
    // 6 successes: the 5th failure is 5 of 11 calls, the 6th is 6 of 12.
    expect(states).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'open', 'open']);
  });

  it('counts only failures inside the window', async () => {
    const clock = new ManualClock();
    const transport = applied(
      scriptedTransport(() => {
        throw ecrError('ServiceUnavailable');
      }),
      withCircuitBreaker({ clock }),
    );
    for (let i = 0; i < 10; i++) {
      await transport.send(describeImages()).catch(() => undefined);
      await clock.advance(7_500);
    }
    expect(transport.breaker.state(key)).toBe('closed');
  });

  it('keeps one breaker per region and API', async () => {
    const clock = new ManualClock();
    const transport = applied(
      scriptedTransport((request) => {
        if (request.region === 'eu-west-1' && request.api === 'ecr') throw ecrError('ServiceUnavailable');
        return {};
      }),
      withCircuitBreaker({ clock, failureThreshold: 2 }),
    );
    for (let i = 0; i < 2; i++) await transport.send(describeImages('web', 'eu-west-1')).catch(() => undefined);
    expect(transport.breaker.state('eu-west-1/ecr')).toBe('open');
    await expect(transport.send(describeImages('web', 'us-east-1'))).resolves.toEqual({});
    await expect(transport.send({ ...describeImages('web', 'eu-west-1'), api: 'ecr-public' } as never)).resolves.toEqual({});
    expect(transport.breaker.keys().sort()).toEqual(['eu-west-1/ecr', 'eu-west-1/ecr-public', 'us-east-1/ecr']);
  });

  it.each<ErrorKind>(['RepositoryNotFound', 'ImageNotFound', 'InvalidParameter', 'AccessDenied', 'ExpiredToken', 'Throttling'])(
    'never opens on %s',
    async (kind) => {
      const clock = new ManualClock();
      const transport = applied(
        scriptedTransport(() => {
          throw ecrError(kind);
        }),
        withCircuitBreaker({ clock }),
      );
      for (let i = 0; i < 20; i++) await transport.send(describeImages()).catch(() => undefined);
      expect(transport.breaker.state(key)).toBe('closed');
    },
  );

  it('classifies failures', () => {
    expect(isBreakerFailure(ecrError('InvalidResponse'))).toBe(true);
    expect(isBreakerFailure(ecrError('InvalidResponse', { statusCode: 502 }))).toBe(true);
    expect(isBreakerFailure(ecrError('InvalidResponse', { statusCode: 400 }))).toBe(false);
    expect(isBreakerFailure(ecrError('Unknown', { statusCode: 500 }))).toBe(true);
    expect(isBreakerFailure(ecrError('KmsError', { statusCode: 400 }))).toBe(false);
    expect(breakerOutcomeOf(ecrError('RepositoryNotFound'))).toBe('success');
    expect(breakerOutcomeOf(ecrError('Aborted'))).toBe('ignore');
    expect(breakerOutcomeOf(ecrError('LimitExceeded', { statusCode: undefined, category: 'terminal' }))).toBe('ignore');
    expect(breakerOutcomeOf(new Error('not ours'))).toBe('ignore');
  });

  it('ignores a throwing listener', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1 });
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    const permit = breaker.acquire(describeImages());
    expect(() => breaker.record(permit, 'failure')).not.toThrow();
    expect(breaker.state(key)).toBe('open');
  });
});

// ---- Model-based test: the breaker against a small reference model ----

const threshold = 3;
const windowMs = 10_000;
const openMs = 20_000;

interface ModelCall {
  generation: number;
  probe: boolean;
}
interface Model {
  now: number;
  state: CircuitState;
  generation: number;
  /** Admission times of calls and failure times since the last transition. */
  calls: number[];
  failures: number[];
  openedAt: number;
  probing: boolean;
  inFlight: ModelCall[];
}
interface Real {
  clock: ManualClock;
  transport: Transport & { breaker: CircuitBreaker };
  base: ReturnType<typeof manualTransport>;
  inFlight: { held: HeldCall; done: Promise<unknown> }[];
}

function moveTo(model: Model, state: CircuitState): void {
  model.state = state;
  model.generation++;
  model.calls = [];
  model.failures = [];
  model.probing = false;
  if (state === 'open') model.openedAt = model.now;
}
function expire(model: Model): void {
  if (model.state === 'open' && model.now - model.openedAt >= openMs) moveTo(model, 'half-open');
}

class StartCall implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    expire(model);
    let admitted: ModelCall | undefined;
    if (model.state === 'closed') {
      admitted = { generation: model.generation, probe: false };
      model.calls.push(model.now);
    } else if (model.state === 'half-open' && !model.probing) {
      model.probing = true;
      admitted = { generation: model.generation, probe: true };
    }
    const before = real.base.held.length;
    const done = real.transport.send(describeImages()).catch((e: unknown) => e);
    const held = real.base.held[before];
    expect(held !== undefined).toBe(admitted !== undefined);
    if (admitted && held) {
      model.inFlight.push(admitted);
      real.inFlight.push({ held, done });
    } else {
      expect(await done).toMatchObject({ kind: 'CircuitOpen' });
    }
    expect(real.transport.breaker.state(key)).toBe(model.state);
  }
  toString = () => 'start';
}

type Ending = 'ok' | 'ServiceUnavailable' | 'RepositoryNotFound' | 'Throttling' | 'Aborted';

class FinishCall implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly ending: Ending,
  ) {}
  check = (model: Readonly<Model>) => model.inFlight.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const index = this.pick % model.inFlight.length;
    const [call] = model.inFlight.splice(index, 1);
    const [held] = real.inFlight.splice(index, 1);
    if (!call || !held) throw new Error('model and real out of step');
    if (this.ending === 'ok') held.held.resolve({});
    else held.held.reject(ecrError(this.ending, this.ending === 'Aborted' ? { statusCode: undefined } : {}));
    await held.done;

    const outcome = this.ending === 'ServiceUnavailable' ? 'failure' : this.ending === 'Aborted' ? 'ignore' : 'success';
    if (call.generation === model.generation) {
      if (call.probe) {
        model.probing = false;
        if (outcome === 'success') moveTo(model, 'closed');
        else if (outcome === 'failure') moveTo(model, 'open');
      } else if (model.state === 'closed' && outcome === 'failure') {
        model.failures.push(model.now);
        // The window is 30 buckets of windowMs / 30: an event counts while its bucket is one of the last 30.
        const bucketMs = windowMs / 30;
        const inWindow = (t: number) => Math.floor(t / bucketMs) > Math.floor(model.now / bucketMs) - 30;
        const failures = model.failures.filter(inWindow).length;
        const calls = model.calls.filter(inWindow).length;
        if (failures >= threshold && failures >= 0.5 * calls) moveTo(model, 'open');
      }
    }
    expire(model);
    expect(real.transport.breaker.state(key)).toBe(model.state);
  }
  toString = () => `finish(${this.pick}, ${this.ending})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    model.now += this.ms;
    await real.clock.advance(this.ms);
    expire(model);
    expect(real.transport.breaker.state(key)).toBe(model.state);
  }
  toString = () => `advance(${this.ms})`;
}

const finishCall = fc
  .tuple(
    fc.nat(),
    fc.constantFrom<Ending>('ok', 'ServiceUnavailable', 'ServiceUnavailable', 'ServiceUnavailable', 'RepositoryNotFound', 'Throttling', 'Aborted'),
  )
  .map(([pick, ending]) => new FinishCall(pick, ending));

describe('CircuitBreaker against a reference model', () => {
  test.prop(
    [
      fc.commands(
        [
          // Listed more than once to weigh the draw towards calls over time jumps.
          fc.constant(new StartCall()),
          fc.constant(new StartCall()),
          finishCall,
          finishCall,
          finishCall,
          fc.constantFrom(1, 999, 5_000, 10_000, 19_999, 20_000).map((ms) => new Advance(ms)),
        ],
        { maxCommands: 60, size: 'max' },
      ),
    ],
    { numRuns: 150 },
  )('admits, rejects and transitions exactly as the model does', async (commands) => {
    const clock = new ManualClock();
    const base = manualTransport();
    const transport = applied(base, withCircuitBreaker({ clock, failureThreshold: threshold, windowMs, openMs }));
    const model: Model = { now: clock.now(), state: 'closed', generation: 0, calls: [], failures: [], openedAt: 0, probing: false, inFlight: [] };
    await fc.asyncModelRun(() => ({ model, real: { clock, transport, base, inFlight: [] } }), commands);
  });
});
