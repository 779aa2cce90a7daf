import type { Clock, RandomSource, Transport } from '@ecrkit/core-types';
import type { CircuitBreaker } from './CircuitBreaker.js';
import type { CircuitBreakerOptions } from './CircuitBreaker.js';
import type { EcrMetrics } from './EcrMetrics.js';
import type { RateLimiter } from './RateLimiter.js';
import type { RateLimitOptions } from './RateLimiter.js';
import { createRetryTracker } from './RetryTracker.js';
import { withCircuitBreaker } from './withCircuitBreaker.js';
import { withConcurrencyLimit } from './withConcurrencyLimit.js';
import type { ConcurrencyLimitOptions, ConcurrencyLimitTransport } from './withConcurrencyLimit.js';
import { withInstrumentation } from './withInstrumentation.js';
import type { InstrumentationOptions } from './withInstrumentation.js';
import { withRateLimit } from './withRateLimit.js';
import { withRetry } from './withRetry.js';
import type { RetryOptions } from './withRetry.js';
import { withTimeout } from './withTimeout.js';

/** The parts of an `EcrConfig` that `resilient()` reads. */
export interface ResilienceConfig {
  /** Further attempts after the first. */
  maxRetries?: number;
  /** Deadline of each attempt, in milliseconds. */
  requestTimeoutMs?: number;
}

/** Options of {@link resilient}. Each layer can be tuned or left out with `false`. */
export interface ResilientOptions {
  /** Defaults for `maxRetries` and the per-attempt timeout; an `EcrConfig` fits. */
  config?: ResilienceConfig;
  /** Retry options; `maxRetries` here wins over the config's. Default `{ maxRetries: config.maxRetries ?? 3 }`. */
  retry?: Omit<RetryOptions, 'clock' | 'random'> | false;
  /** Breaker options (default 5 failures in 30 s open it for 60 s, per region and API). */
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
  concurrency?: ConcurrencyLimitTransport;
  metrics?: EcrMetrics;
}

/** The transport `resilient()` returns: a `Transport`, with its layers' handles on `.handles`. */
export interface ResilientTransport extends Transport {
  readonly handles: ResilientHandles;
}

/**
 * The recommended decorator stack, nested explicitly, outermost first:
 *
 * 1. `withInstrumentation`: one span, latency and log line per logical call (retries inside it);
 * 2. `withRetry`: backoff with jitter, credential refresh, the overall deadline (`retry.deadlineMs`);
 * 3. `withCircuitBreaker`: per region and API, counts each attempt;
 * 4. `withRateLimit`: ECR's quotas per operation and scope, adaptive to throttling;
 * 5. `withConcurrencyLimit`: 50 in flight per region;
 * 6. `withTimeout`: the per-attempt deadline (`config.requestTimeoutMs`), so queue waits above it don't eat into it;
 * 7. the transport.
 *
 * A breaker that is open fails fast with `CircuitOpen`, which retry does not retry (it is
 * terminal): waiting out a 60 s open breaker is the caller's decision.
 *
 * @example
 * const transport = resilient(createSimulatedTransport(registry), { config: ecrConfig().region('us-east-1').build() });
 * transport.handles.breaker?.onStateChange(({ key, to }) => console.warn(key, to));
 */
export function resilient(transport: Transport, options: ResilientOptions = {}): ResilientTransport {
  const { clock, config = {} } = options;
  const handles: ResilientHandles = {};
  let stack = transport;

  const timeoutMs = options.timeoutMs ?? config.requestTimeoutMs ?? 30_000;
  if (timeoutMs !== false) stack = withTimeout(stack, { timeoutMs, clock });

  if (options.concurrency !== false) {
    const limited = withConcurrencyLimit(stack, options.concurrency);
    handles.concurrency = limited;
    stack = limited;
  }
  if (options.rateLimit !== false) {
    const limited = withRateLimit(stack, { ...options.rateLimit, clock });
    handles.rateLimiter = limited.limiter;
    stack = limited;
  }
  if (options.breaker !== false) {
    const guarded = withCircuitBreaker(stack, { ...options.breaker, clock });
    handles.breaker = guarded.breaker;
    stack = guarded;
  }
  const tracker = createRetryTracker();
  if (options.retry !== false) {
    const retry = options.retry ?? {};
    const onRetry = retry.onRetry;
    stack = withRetry(stack, {
      ...retry,
      maxRetries: retry.maxRetries ?? config.maxRetries ?? 3,
      clock,
      random: options.random,
      onRetry: (event) => {
        tracker.onRetry(event);
        onRetry?.(event);
      },
    });
  }
  if (options.instrumentation !== false) {
    const instrumented = withInstrumentation(stack, { ...options.instrumentation, clock, breaker: handles.breaker, retryCount: tracker.retries });
    handles.metrics = instrumented.metrics;
    stack = instrumented;
  }

  const outer = stack;
  return { send: outer.send.bind(outer), destroy: () => outer.destroy?.() ?? Promise.resolve(), handles };
}
