import { readOptions } from '@ecrkit/core-types';
import type { Api, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { RateLimiter } from './RateLimiter.js';
import type { RateLimitOptions } from './RateLimiter.js';
import { sendSafely } from './internal/abort.js';

/** Options of {@link withRateLimit}: the limiter's own options, or a limiter to share. */
export interface RateLimitTransportOptions extends RateLimitOptions {
  /** An existing limiter (its options win over the ones here). */
  limiter?: RateLimiter;
}

/** The decorator {@link withRateLimit} returns, with its limiter exposed for observation. */
export interface RateLimitDecorator extends TransportDecorator {
  /** The limiter: `queued`, `keyOf(request)`, `currentRate(key)`. */
  readonly limiter: RateLimiter;
}

/**
 * Paces calls with a token bucket per operation and scope ({@link defaultQuotas}: ECR's own
 * quotas), queueing callers in order when a bucket is empty. Slows down when the service answers
 * `Throttling` and recovers gradually. A full queue rejects with kind `LimitExceeded` (category
 * terminal); a caller whose signal aborts leaves the queue with kind `Aborted`.
 *
 * @example
 * const paced = compose(base, withRateLimit({ quotas: { PutImage: { ratePerSecond: 5 } }, maxQueue: 500 }));
 */
export function withRateLimit(options: RateLimitTransportOptions = {}): RateLimitDecorator {
  const o = readOptions(options, ['limiter', 'quotas', 'publicQuotas', 'maxQueue', 'adaptive', 'clock']) as RateLimitTransportOptions;
  const limiter = o.limiter ?? new RateLimiter(o);

  const decorate = (next: Transport): Transport => {
    // Not async, and outcomes are observed beside the caller rather than in a chain (see
    // withCircuitBreaker): a call that gets a token at once costs no promise or microtask hop here.
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      let key: string | undefined;
      let turn: Promise<void> | undefined;
      try {
        key = limiter.keyOf(request);
        if (key === undefined) return sendSafely(next, request);
        turn = limiter.acquire(request, key);
      } catch (error) {
        return Promise.reject(error);
      }
      const bucketKey = key;
      return turn ? turn.then(() => sendObserved(request, bucketKey)) : sendObserved(request, bucketKey);
    }

    function sendObserved<O extends OperationName, A extends Api>(request: TransportRequest<O, A>, key: string): Promise<OutputOf<O, A>> {
      let pending: Promise<OutputOf<O, A>>;
      try {
        // Called here rather than through a shared helper, so this call site sees one transport.
        pending = next.send(request);
      } catch (error) {
        pending = Promise.reject(error);
      }
      // A success tells the rate something only once the bucket has been throttled.
      const { onSuccess, onFailure } = limiter.observersOf(key);
      if (onFailure) pending.then(onSuccess, onFailure);
      return pending;
    }

    return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
  };
  return Object.assign(decorate, { limiter });
}
