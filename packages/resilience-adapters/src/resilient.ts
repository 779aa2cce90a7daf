import { compose, invalidParameter, isTransport, withGuard, readOptions } from '@ecrkit/core-types';
import type { Clock, GuardOptions, RandomSource, Transport, TransportDecorator } from '@ecrkit/core-types';
import type { CircuitBreaker, CircuitBreakerOptions } from './CircuitBreaker.js';
import type { EcrMetrics } from './EcrMetrics.js';
import type { RateLimiter, RateLimitOptions } from './RateLimiter.js';
import { createRetryTracker } from './RetryTracker.js';
import { withCircuitBreaker } from './withCircuitBreaker.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';
import type { ConcurrencyLimiter, ConcurrencyLimitOptions } from './withConcurrencyLimit.js';
import { withInstrumentation } from './withInstrumentation.js';
import type { InstrumentationOptions } from './withInstrumentation.js';
import { withRateLimit } from './withRateLimit.js';
import { withRetry } from './withRetry.js';
import type { RetryOptions } from './withRetry.js';
import { withTimeout } from './withTimeout.js';

/** The slices of an `EcrConfig` that `resilient()` reads: the call policy, and `readOnly` for its guard. */
export interface ResilienceConfig {
  /** Further attempts after the first. */
  maxRetries?: number;
  /** Deadline of each attempt, in milliseconds. */
  requestTimeoutMs?: number;
  /** Refuse writes in the guard. */
  readOnly?: boolean;
}

/** Options of {@link resilient}. Each layer can be tuned or left out with `false`. */
export interface ResilientOptions {
  /** Defaults for `maxRetries`, the per-attempt timeout and the guard's `readOnly`; an `EcrConfig` fits. */
  config?: ResilienceConfig;
  /**
   * The guard (`withGuard` from core-types), outermost; default `{ readOnly: config.readOnly }`.
   * `false` when something above already guards, as the client of `@ecrkit/services` does.
   */
  guard?: GuardOptions | false;
  /** Retry options; `maxRetries` here wins over the config's. Default `{ maxRetries: config.maxRetries ?? 3 }`. */
  retry?: Omit<RetryOptions, 'clock' | 'random'> | false;
  /** Breaker options (default: open when at least 5 calls and at least half the calls failed in 30 s, for 60 s, per region and API). */
  breaker?: Omit<CircuitBreakerOptions, 'clock'> | false;
  /** Rate limit options (default ECR's quotas, adaptive). */
  rateLimit?: Omit<RateLimitOptions, 'clock'> | false;
  /** Bulkhead options (default 50 in flight per region). */
  concurrency?: ConcurrencyLimitOptions | false;
  /** Per-attempt timeout in milliseconds; default `config.requestTimeoutMs ?? 30_000`. */
  timeoutMs?: number | false;
  /** Telemetry (tracer, meter or metrics, logger); default the global OpenTelemetry API, no logs. */
  instrumentation?: Omit<InstrumentationOptions, 'clock' | 'breaker' | 'retryCount'> | false;
  /** One clock for every layer; defaults to the system clock. */
  clock?: Clock;
  /** Jitter source for retry; defaults to `Math.random`. */
  random?: RandomSource;
}

/** The layers' observable parts, for dashboards and tests; absent when the layer is off. */
export interface ResilientHandles {
  breaker?: CircuitBreaker;
  rateLimiter?: RateLimiter;
  concurrency?: ConcurrencyLimiter;
  metrics?: EcrMetrics;
}

/** The transport `resilient()` returns: a `Transport`, with its layers' handles on `.handles`. */
export interface ResilientTransport extends Transport {
  readonly handles: ResilientHandles;
  destroy(): Promise<void>;
}

/**
 * The default pipeline: `compose(transport, ...)` with every step at its defaults, outermost first:
 *
 * 1. `withGuard` (core-types): unknown operation, read-only, destroyed, aborted, decided once;
 * 2. `withInstrumentation`: one span, latency sample and log line per logical call (retries inside it);
 * 3. `withCircuitBreaker`: per region and API, counts *calls* after their retries, fails fast when open;
 * 4. `withRetry`: backoff with jitter, a capped Retry-After, credential refresh, the overall deadline;
 * 5. `withRateLimit`: ECR's quotas per operation and scope, adaptive to throttling;
 * 6. `withConcurrencyLimit`: 50 in flight per region;
 * 7. `withTimeout`: the per-attempt deadline (`config.requestTimeoutMs`), inside the queues, so
 *    time spent waiting for a token or a slot does not eat into an attempt;
 * 8. the transport.
 *
 * An open breaker fails fast with `CircuitOpen` (terminal, never retried, `retryAfterMs` says
 * when it will let a probe through); since it sits outside retry, an open breaker sends nothing.
 *
 * @throws EcrError kind `InvalidParameter` for a transport without `send` or a bad layer option.
 * @example
 * const transport = resilient(createSigV4Transport(config), { config });
 * transport.handles.breaker?.onStateChange(({ key, to }) => console.warn(key, to));
 */
export function resilient(transport: Transport, options: ResilientOptions = {}): ResilientTransport {
  if (!isTransport(transport)) throw invalidParameter('transport', 'must be a Transport (an object with a send method)');
  const o = readOptions(options, [
    'config',
    'guard',
    'retry',
    'breaker',
    'rateLimit',
    'concurrency',
    'timeoutMs',
    'instrumentation',
    'clock',
    'random',
  ]) as ResilientOptions;
  const { clock } = o;
  const config = o.config ?? {};
  const handles: ResilientHandles = {};
  const layers: TransportDecorator[] = [];

  const timeoutMs = o.timeoutMs ?? config.requestTimeoutMs ?? 30_000;
  if (timeoutMs !== false) layers.push(withTimeout({ timeoutMs, clock }));
  if (o.concurrency !== false) {
    const limited = withConcurrencyLimit(o.concurrency);
    handles.concurrency = limited.limiter;
    layers.push(limited);
  }
  if (o.rateLimit !== false) {
    const limited = withRateLimit({ ...o.rateLimit, clock });
    handles.rateLimiter = limited.limiter;
    layers.push(limited);
  }
  const tracker = createRetryTracker();
  if (o.retry !== false) {
    const retry = o.retry ?? {};
    const onRetry = retry.onRetry;
    layers.push(
      withRetry({
        ...retry,
        maxRetries: retry.maxRetries ?? config.maxRetries ?? 3,
        clock,
        random: o.random,
        onRetry: (event) => {
          tracker.onRetry(event);
          onRetry?.(event);
        },
      }),
    );
  }
  if (o.breaker !== false) {
    const guarded = withCircuitBreaker({ ...o.breaker, clock });
    handles.breaker = guarded.breaker;
    layers.push(guarded);
  }
  if (o.instrumentation !== false) {
    const instrumented = withInstrumentation({ ...o.instrumentation, clock, breaker: handles.breaker, retryCount: tracker.retries });
    handles.metrics = instrumented.metrics;
    layers.push(instrumented);
  }
  if (o.guard !== false) layers.push(withGuard({ readOnly: config.readOnly ?? false, ...o.guard }));

  const outer = compose(transport, ...layers);
  // The outermost layer's own object, handles added: no extra frame per call. (With every layer
  // off that is the caller's transport, which is not to be changed: wrap it instead.)
  if (outer === transport) return { send: (request) => transport.send(request), destroy: () => transport.destroy?.() ?? Promise.resolve(), handles };
  return Object.assign(outer, { handles, destroy: outer.destroy ?? (() => Promise.resolve()) }) as ResilientTransport;
}
