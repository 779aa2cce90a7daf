import type { Api, OperationName, OutputOf, Transport, TransportRequest } from '@ecrkit/core-types';
import { CircuitBreaker, breakerOutcomeOf } from './CircuitBreaker.js';
import type { CircuitBreakerOptions } from './CircuitBreaker.js';
import { sendSafely } from './internal/abort.js';

/** Options of {@link withCircuitBreaker}: the breaker's own options, or a breaker to share. */
export interface CircuitBreakerTransportOptions extends CircuitBreakerOptions {
  /** An existing breaker (its options win over the ones here). */
  breaker?: CircuitBreaker;
}

/** A transport behind a circuit breaker, with the breaker exposed for observation. */
export interface CircuitBreakerTransport extends Transport {
  /** The breaker: `state(key)`, `keys()`, `onStateChange(listener)`. */
  readonly breaker: CircuitBreaker;
}

/**
 * Fails fast with kind `CircuitOpen` while the breaker for a call's key (region and API by
 * default) is open; see {@link CircuitBreaker} for the state machine and
 * {@link isBreakerFailure} for what counts as a failure.
 *
 * @example
 * const guarded = withCircuitBreaker(base, { failureThreshold: 5, windowMs: 30_000, openMs: 60_000 });
 * guarded.breaker.onStateChange(({ key, to }) => log.warn({ key, to }, 'breaker'));
 */
export function withCircuitBreaker(next: Transport, options: CircuitBreakerTransportOptions = {}): CircuitBreakerTransport {
  const breaker = options.breaker ?? new CircuitBreaker(options);

  async function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    const permit = breaker.acquire(request);
    let output: OutputOf<O, A>;
    try {
      output = await sendSafely(next, request);
    } catch (error) {
      breaker.record(permit, breakerOutcomeOf(error));
      throw error;
    }
    breaker.record(permit, 'success');
    return output;
  }

  return { send, breaker, destroy: () => next.destroy?.() ?? Promise.resolve() };
}
