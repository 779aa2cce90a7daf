// @ecrkit/resilience-adapters: Transport decorators. Each name below is reviewed; no `export *`.

/** Retry with capped exponential backoff and full jitter, credential refresh and an overall deadline. */
export { withRetry } from './withRetry.js';
export type { RetryOptions, RetryEvent } from './withRetry.js';
/** Links retry counts to instrumentation without touching requests or errors. */
export { createRetryTracker } from './RetryTracker.js';
export type { RetryTracker } from './RetryTracker.js';

/** Fail fast per region and API while the service is unhealthy. */
export { withCircuitBreaker } from './withCircuitBreaker.js';
export type { CircuitBreakerTransport, CircuitBreakerTransportOptions } from './withCircuitBreaker.js';
/** The breaker state machine, its states, and what counts as a failure. */
export { CircuitBreaker, CircuitState, breakerKeyOf, isBreakerFailure, breakerOutcomeOf } from './CircuitBreaker.js';
export type { CircuitBreakerOptions, CircuitStateChange, CircuitOutcome, CircuitPermit } from './CircuitBreaker.js';

/** Token buckets per operation and scope with ECR's quotas, adaptive to throttling. */
export { withRateLimit } from './withRateLimit.js';
export type { RateLimitTransport, RateLimitTransportOptions } from './withRateLimit.js';
/** The limiter itself and ECR's default quotas. */
export { RateLimiter, QuotaScope, defaultQuotas } from './RateLimiter.js';
export type { Quota, QuotaTable, RateLimitOptions } from './RateLimiter.js';

/** Per-call deadline (kind `Timeout`), distinct from the caller's abort (kind `Aborted`). */
export { withTimeout } from './withTimeout.js';
export type { TimeoutOptions } from './withTimeout.js';

/** A bulkhead per region: bounded in-flight calls and a bounded queue. */
export { withConcurrencyLimit } from './withConcurrencyLimit.js';
export type { ConcurrencyLimitOptions, ConcurrencyLimitTransport } from './withConcurrencyLimit.js';

/** OpenTelemetry spans and metrics and redacted structured logs per call. */
export { withInstrumentation } from './withInstrumentation.js';
export type { InstrumentationOptions, InstrumentedTransport } from './withInstrumentation.js';
/** The ecrkit metric instruments, with hooks such as `recordTokenCache(hit)`. */
export { EcrMetrics, createEcrMetrics, circuitStateValue } from './EcrMetrics.js';
export type { SeverityCounts } from './EcrMetrics.js';
/** The pino-compatible logger shape the instrumentation writes to. */
export type { Logger } from './Logger.js';
/** The one redaction used by logs, span attributes and error events. */
export { redactForTelemetry, redactedMarker } from './redactForTelemetry.js';

/** The recommended stack: instrumentation → retry → breaker → rate limit → concurrency → timeout → transport. */
export { resilient } from './resilient.js';
export type { RequestLike } from './RequestLike.js';
export type { ResilientOptions, ResilientTransport, ResilientHandles, ResilienceConfig } from './resilient.js';
