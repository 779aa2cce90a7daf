// The default pipeline under random fault schedules, on a fake clock: the "Done when" of the
// pipeline issue, as properties. A scripted wire in front of the in-process simulation injects,
// per attempt, a transient fault drawn from the schedule: an HTTP 500, a throttle, a dropped
// connection, a truncated 200, or an answer lost after the registry applied the call (the
// attempt then times out). Set ECRKIT_REPORT=1 to print the measured rates.
import { EcrError, ManualClock, compose, ecrConfig, isEcrError, withGuard } from '@ecrkit/core-types';
import type { RandomSource, Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import { seededRandom } from '@ecrkit/test-utils';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createDefaultTransport } from '../src/createClient.js';

const transientFaults = ['server-error', 'throttled', 'dropped', 'truncated', 'lost-answer'] as const;
type Fault = (typeof transientFaults)[number] | 'ok';

/**
 * The scripted wire: each attempt asks `faultOf` what happens to it. Faults before the registry
 * (500, throttle, dropped) leave it untouched; a truncated 200 and a lost answer come after the
 * registry applied the call; a lost answer then waits for its signal (the pipeline's timeout).
 */
function faultyWire(inner: Transport, faultOf: (operation: string) => Fault, counts: { attempts: number }): Transport {
  const fail = (kind: 'ServiceUnavailable' | 'Throttling' | 'Network', operation: string) =>
    new EcrError({ kind, message: `injected ${kind}`, operation, statusCode: kind === 'Network' ? undefined : kind === 'Throttling' ? 400 : 500 });
  return {
    async send(request) {
      counts.attempts++;
      const fault = faultOf(request.operation);
      switch (fault) {
        case 'server-error':
          throw fail('ServiceUnavailable', request.operation);
        case 'throttled':
          throw fail('Throttling', request.operation);
        case 'dropped':
          throw fail('Network', request.operation);
        case 'truncated':
          await inner.send(request);
          throw new EcrError({ kind: 'InvalidResponse', statusCode: 200, message: 'Response broke off', operation: request.operation });
        case 'lost-answer': {
          await inner.send(request);
          const signal = request.signal;
          return new Promise<never>((_, reject) => {
            const aborted = () => reject(new EcrError({ kind: 'Aborted', message: 'aborted', operation: request.operation }));
            if (signal?.aborted) aborted();
            else signal?.addEventListener('abort', aborted, { once: true });
          });
        }
        default:
          return inner.send(request);
      }
    },
  };
}

const config = ecrConfig().region('us-east-1').maxRetries(3).requestTimeoutMs(2_000).build();

/** The default pipeline (the client's guard in front) over `wire`, on `clock`. */
function pipeline(wire: Transport, clock: ManualClock, random: RandomSource) {
  const transport = createDefaultTransport(config, { wire, clock, pipeline: { random } });
  return { transport, guarded: compose(transport, withGuard(config)) };
}

/** Run `calls` reads with 50 workers to completion on the fake clock; the share that succeeded. */
async function successRate(rate: number, mix: readonly number[], seed: number, calls: number) {
  const clock = new ManualClock();
  const registry = new SimulatedRegistry({ clock, historyLimit: 0 });
  for (let r = 0; r < 5; r++) registry.withImage(`app-${r}`, { tags: ['v1'] });
  const random = seededRandom(seed);
  const total = mix.reduce((a, b) => a + b, 0);
  const faultOf = (): Fault => {
    if (random() >= rate) return 'ok';
    let pick = random() * total;
    for (const [i, weight] of mix.entries()) {
      pick -= weight;
      if (pick < 0) return transientFaults[i] ?? 'server-error';
    }
    return 'server-error';
  };
  const counts = { attempts: 0 };
  const { transport, guarded } = pipeline(faultyWire(createSimulatedTransport(registry), faultOf, counts), clock, seededRandom(seed ^ 0x5bd1e995));
  let next = 0;
  let succeeded = 0;
  const kinds = new Map<string, number>();
  const workers = Array.from({ length: 50 }, async () => {
    while (next < calls) {
      const i = next++;
      const request =
        i % 2
          ? ({ operation: 'ListImages', input: { repositoryName: `app-${i % 5}` } } as const)
          : ({ operation: 'DescribeImages', input: { repositoryName: `app-${i % 5}` } } as const);
      try {
        await guarded.send({ api: 'ecr', region: 'us-east-1', ...request });
        succeeded++;
      } catch (error) {
        const kind = isEcrError(error) ? error.kind : 'raw';
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
  });
  let done = false;
  const all = Promise.all(workers).then(() => {
    done = true;
  });
  while (!done) await clock.runAll(3_600_000);
  await all;
  const breaker = transport.handles.breaker?.state('us-east-1/ecr');
  await guarded.destroy?.();
  return { rate: succeeded / calls, kinds, attempts: counts.attempts, breaker };
}

const mixes = fc.tuple(...transientFaults.map(() => fc.integer({ min: 0, max: 4 }))).filter((weights) => weights.some((w) => w > 0));

describe('the default pipeline under random fault schedules', () => {
  it.each([
    [0.01, 0.999, 3_000, 2],
    [0.05, 0.999, 3_000, 2],
    [0.3, 0.99, 20_000, 2],
  ])(
    'at %s transient faults per attempt, at least %s of calls succeed, and the breaker stays closed',
    async (rate, floor, calls, runs) => {
      await fc.assert(
        fc.asyncProperty(mixes, fc.integer({ min: 1, max: 0x7fffffff }), async (mix, seed) => {
          const outcome = await successRate(rate, mix, seed, calls);
          if (process.env.ECRKIT_REPORT) {
            console.log(
              `faults ${rate}: seed ${seed}, mix ${mix.join('/')} -> ${(outcome.rate * 100).toFixed(3)}% ok over ${calls} calls, ${outcome.attempts} attempts, failures ${JSON.stringify([...outcome.kinds])}`,
            );
          }
          expect(outcome.rate).toBeGreaterThanOrEqual(floor);
          expect(outcome.breaker).not.toBe('open');
          expect(outcome.kinds.get('CircuitOpen') ?? 0).toBe(0);
        }),
        // A fixed seed: these are statistical bounds, checked on the same schedules every run.
        { numRuns: runs, seed: 20_260_101 + Math.round(rate * 100) },
      );
      // Tens of thousands of calls on the fake clock: seconds of CPU, more on a busy machine.
    },
    240_000,
  );

  it('under a total outage, opens after 5 failed calls, then fails fast without touching the wire, and recovers within 2 minutes of its end', async () => {
    await fc.assert(
      // Outages of 30 s to 10 minutes; a call every 0.1 to 5 s, so five calls fit the breaker's 30 s window.
      fc.asyncProperty(fc.integer({ min: 30_000, max: 600_000 }), fc.integer({ min: 100, max: 5_000 }), fc.integer(), async (outageMs, everyMs, seed) => {
        const clock = new ManualClock();
        const registry = new SimulatedRegistry({ clock, historyLimit: 0 }).withImage('web-app', { tags: ['v1'] });
        const start = clock.now();
        const counts = { attempts: 0 };
        const down = () => clock.now() - start < outageMs;
        const { transport, guarded } = pipeline(
          faultyWire(createSimulatedTransport(registry), () => (down() ? 'server-error' : 'ok'), counts),
          clock,
          seededRandom(seed),
        );
        const outcomes: { at: number; kind: string; wire: number }[] = [];
        // One call every `everyMs` of fake time, each run to completion.
        for (let i = 0; outcomes.at(-1)?.kind !== 'ok'; i++) {
          expect(i).toBeLessThan(10_000);
          const before = counts.attempts;
          const call = guarded.send({ api: 'ecr', operation: 'ListImages', region: 'us-east-1', input: { repositoryName: 'web-app' } }).then(
            () => 'ok',
            (error: unknown) => (isEcrError(error) ? error.kind : 'raw'),
          );
          // Step the clock only until the call settles: running every timer would also wait out
          // the idle per-attempt deadline timers, and shift the next call by seconds.
          let settled = false;
          void call.finally(() => {
            settled = true;
          });
          while (!settled) await clock.advance(1);
          outcomes.push({ at: clock.now() - start, kind: await call, wire: counts.attempts - before });
          await clock.advance(everyMs);
        }
        // The first five calls fail after their retries (four attempts each); the breaker opens at the fifth.
        expect(outcomes.slice(0, 5).map((o) => [o.kind, o.wire])).toEqual(Array.from({ length: 5 }, () => ['ServiceUnavailable', 4]));
        // From then on until the recovery, nothing reaches the wire but one probe per minute.
        const open = outcomes.slice(5, -1);
        for (const o of open) if (o.kind === 'CircuitOpen') expect(o.wire).toBe(0);
        expect(open.filter((o) => o.kind !== 'CircuitOpen').every((o) => o.kind === 'ServiceUnavailable' && o.wire <= 4)).toBe(true);
        const recovered = outcomes.at(-1);
        expect(recovered?.kind).toBe('ok');
        expect((recovered?.at ?? Infinity) - outageMs).toBeLessThanOrEqual(120_000);
        expect(transport.handles.breaker?.state('us-east-1/ecr')).toBe('closed');
        await guarded.destroy?.();
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('never lets a Retry-After, even of a day, delay a call past its cap (the largest backoff plus 5 s)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 86_400_000 }), { minLength: 1, maxLength: 4 }), async (hints) => {
        const clock = new ManualClock();
        const registry = new SimulatedRegistry({ clock }).withImage('web-app', { tags: ['v1'] });
        const times: number[] = [];
        const inner = createSimulatedTransport(registry);
        let attempt = 0;
        const wire: Transport = {
          async send(request) {
            times.push(clock.now());
            const hint = hints[attempt++];
            if (hint !== undefined)
              throw new EcrError({ kind: 'Throttling', message: 'Rate exceeded', statusCode: 400, retryAfterMs: hint, operation: request.operation });
            return inner.send(request);
          },
        };
        const delays: number[] = [];
        const transport = createDefaultTransport(config, {
          wire,
          clock,
          pipeline: { random: seededRandom(1), retry: { onRetry: (event) => delays.push(event.delayMs) } },
        });
        const guarded = compose(transport, withGuard(config));
        const call = guarded.send({ api: 'ecr', operation: 'ListImages', region: 'us-east-1', input: { repositoryName: 'web-app' } }).then(
          () => 'ok',
          (error: unknown) => (isEcrError(error) ? error.kind : 'raw'),
        );
        await clock.runAll();
        expect(await call).toBe(hints.length <= 3 ? 'ok' : 'Throttling');
        // Retry waits at most the largest backoff plus 5 s; between attempts on the wire the
        // adaptive rate limiter may add its slowest pace after a throttle (0.5 calls/s, 2 s).
        expect(delays).toHaveLength(Math.min(hints.length, 3));
        for (const delay of delays) expect(delay).toBeLessThanOrEqual(20_000 + 5_000);
        const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
        for (const gap of gaps) expect(gap).toBeLessThanOrEqual(20_000 + 5_000 + 2_000);
        await guarded.destroy?.();
      }),
      { numRuns: 50 },
    );
  }, 60_000);

  it('applies a PutImage whose answer was lost exactly once: confirmed, not sent again', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Fault>('lost-answer', 'dropped', 'server-error', 'ok'), { minLength: 1, maxLength: 3 }),
        fc.float({ min: 0, max: Math.fround(0.3), noNaN: true }),
        fc.integer(),
        async (firstAttempts, confirmFaultRate, seed) => {
          const clock = new ManualClock();
          const registry = new SimulatedRegistry({ clock });
          const image = registry.addImage('web-app', { tags: ['v1'] });
          registry.clearOperationHistory();
          const random = seededRandom(seed);
          let putAttempt = 0;
          // The PutImage attempts follow the schedule (a lost answer first, at least); the
          // confirmation lookups meet transient faults too.
          const faultOf = (operation: string): Fault => {
            if (operation === 'PutImage') {
              const attempt = putAttempt++;
              return attempt === 0 ? 'lost-answer' : (firstAttempts[attempt - 1] ?? 'ok');
            }
            return random() < confirmFaultRate ? 'server-error' : 'ok';
          };
          const counts = { attempts: 0 };
          const { guarded } = pipeline(faultyWire(createSimulatedTransport(registry), faultOf, counts), clock, seededRandom(seed));
          const call = guarded
            .send({
              api: 'ecr',
              operation: 'PutImage',
              region: 'us-east-1',
              input: { repositoryName: 'web-app', imageManifest: image.manifest, imageManifestMediaType: image.mediaType, imageTag: 'release' },
            })
            .then(
              (output) => ({ ok: true as const, output }),
              (error: unknown) => ({ ok: false as const, kind: isEcrError(error) ? error.kind : 'raw' }),
            );
          await clock.runAll();
          const outcome = await call;
          const applied = registry.getOperationHistory({ operation: 'PutImage', outcome: 'success' }).length;
          // Applied once, by the first attempt; the caller is told it worked whenever the lookup could tell.
          // (When a lookup fails the call is sent again, and the registry refuses the duplicate with
          // ImageAlreadyExists: still applied once.)
          expect(applied).toBe(1);
          if (outcome.ok) expect(outcome.output).toMatchObject({ image: { imageId: { imageTag: 'release', imageDigest: image.imageDigest } } });
          if (confirmFaultRate === 0) expect(outcome.ok).toBe(true);
          await guarded.destroy?.();
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
