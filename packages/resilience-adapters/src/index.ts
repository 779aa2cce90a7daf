// @ecrkit/resilience-adapters: generic Transport decorators, each `(options) => (next) => Transport`,
// assembled with core-types' `compose`. Each name below is reviewed; no `export *`.

/** The default pipeline: guard → instrumentation → breaker → retry → rate limit → concurrency → timeout → transport. */
export { resilient } from './resilient.js';
export type { ResilientOptions, ResilientTransport, ResilientHandles, ResilienceConfig } from './resilient.js';
/** What the decorators read of a request: any `TransportRequest` fits. */
export type { RequestLike } from './RequestLike.js';

/** Retry with capped exponential backoff and full jitter, a capped Retry-After, credential refresh, an overall deadline and a confirmation hook for mutating calls. */
export { withRetry } from './withRetry.js';
export type { RetryOptions, RetryEvent, ConfirmMutation, ConfirmedOutcome } from './withRetry.js';
/** Links retry counts to instrumentation without touching requests or errors. */
export { createRetryTracker } from './RetryTracker.js';
export type { RetryTracker } from './RetryTracker.js';

/** Fail fast per region and API while calls keep failing. */
export { withCircuitBreaker } from './withCircuitBreaker.js';
export type { CircuitBreakerDecorator, CircuitBreakerTransportOptions } from './withCircuitBreaker.js';
/** The breaker state machine, its states, and what counts as a failure. */
export { CircuitBreaker, CircuitState, breakerKeyOf, isBreakerFailure, breakerOutcomeOf } from './CircuitBreaker.js';
export type { CircuitBreakerOptions, CircuitStateChange, CircuitOutcome, CircuitPermit } from './CircuitBreaker.js';
/** A subscription to breaker transitions. */
export type { Disposable } from './internal/Listeners.js';

/** Token buckets per operation and scope with ECR's quotas, adaptive to throttling. */
export { withRateLimit } from './withRateLimit.js';
export type { RateLimitDecorator, RateLimitTransportOptions } from './withRateLimit.js';
/** The limiter itself and ECR's default quotas. */
export { RateLimiter, QuotaScope, defaultQuotas } from './RateLimiter.js';
export type { Quota, QuotaTable, RateLimitOptions, CallObservers } from './RateLimiter.js';

/** Per-attempt deadline (kind `Timeout`), distinct from the caller's abort (kind `Aborted`). */
export { withTimeout } from './withTimeout.js';
export type { TimeoutOptions } from './withTimeout.js';

/** A bulkhead per region: bounded in-flight calls and a bounded queue. */
export { withConcurrencyLimit } from './withConcurrencyLimit.js';
export type { ConcurrencyLimitOptions, ConcurrencyLimitDecorator, ConcurrencyLimiter } from './withConcurrencyLimit.js';

/** OpenTelemetry spans and metrics and redacted structured logs per call. */
export { withInstrumentation } from './withInstrumentation.js';
export type { InstrumentationOptions, InstrumentationDecorator } from './withInstrumentation.js';
/** The pipeline's metric instruments: request count, latency and errors, breaker state. */
export { EcrMetrics, createEcrMetrics, circuitStateValue } from './EcrMetrics.js';
/** The one redaction used by logs, span attributes and error events. */
export { redactForTelemetry, redactedMarker } from './redactForTelemetry.js';
