import { readOptions } from '@ecrkit/core-types';
import type { Api, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { CircuitBreaker } from './CircuitBreaker.js';
import type { CircuitBreakerOptions, CircuitPermit } from './CircuitBreaker.js';

/** Options of {@link withCircuitBreaker}: the breaker's own options, or a breaker to share. */
export interface CircuitBreakerTransportOptions extends CircuitBreakerOptions {
  /** An existing breaker (its options win over the ones here). */
  breaker?: CircuitBreaker;
}

/** The decorator {@link withCircuitBreaker} returns, with its breaker exposed for observation. */
export interface CircuitBreakerDecorator extends TransportDecorator {
  /** The breaker: `state(key)`, `keys()`, `onStateChange(listener)`. */
  readonly breaker: CircuitBreaker;
}

/**
 * Fails fast with kind `CircuitOpen`, sending nothing, while the breaker for a call's key (region
 * and API by default) is open; see {@link CircuitBreaker} for the state machine and
 * {@link isBreakerFailure} for what counts as a failure. Put it outside `withRetry`: it counts
 * calls, not attempts.
 *
 * @example
 * const breaker = withCircuitBreaker({ failureThreshold: 5, windowMs: 30_000, openMs: 60_000 });
 * breaker.breaker.onStateChange(({ key, to }) => log.warn({ key, to }, 'breaker'));
 * const transport = compose(base, withRetry(), breaker);
 */
export function withCircuitBreaker(options: CircuitBreakerTransportOptions = {}): CircuitBreakerDecorator {
  const o = readOptions(options, [
    'breaker',
    'failureThreshold',
    'failureRateThreshold',
    'windowMs',
    'openMs',
    'clock',
    'keyOf',
  ]) as CircuitBreakerTransportOptions;
  const breaker = o.breaker ?? new CircuitBreaker(o);
  const decorate = (next: Transport): Transport => {
    // Not async, and the outcome is observed beside the caller rather than in a chain: no promise
    // and no microtask hop of its own. The breaker's handlers are attached before the caller's, so
    // it records before the caller sees the answer.
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      let permit: CircuitPermit;
      try {
        permit = breaker.acquire(request);
      } catch (error) {
        return Promise.reject(error);
      }
      let pending: Promise<OutputOf<O, A>>;
      try {
        // Called here rather than through a shared helper, so this call site sees one transport.
        pending = next.send(request);
      } catch (error) {
        pending = Promise.reject(error);
      }
      // Calls are counted when admitted; an ordinary call's success changes nothing more, so only
      // a probe listens for it.
      pending.then(permit.probe ? () => breaker.record(permit, 'success') : undefined, breaker.failureObserver(permit));
      return pending;
    }
    return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
  };
  return Object.assign(decorate, { breaker });
}
