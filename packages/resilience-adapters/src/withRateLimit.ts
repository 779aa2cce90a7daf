import { isEcrError } from '@ecrkit/core-types';
import type { Api, OperationName, OutputOf, Transport, TransportRequest } from '@ecrkit/core-types';
import { RateLimiter } from './RateLimiter.js';
import type { RateLimitOptions } from './RateLimiter.js';
import { sendSafely } from './internal/abort.js';

/** Options of {@link withRateLimit}: the limiter's own options, or a limiter to share. */
export interface RateLimitTransportOptions extends RateLimitOptions {
  /** An existing limiter (its options win over the ones here). */
  limiter?: RateLimiter;
}

/** A rate-limited transport, with the limiter exposed for observation. */
export interface RateLimitTransport extends Transport {
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
 * const paced = withRateLimit(base, { quotas: { PutImage: { ratePerSecond: 5 } }, maxQueue: 500 });
 */
export function withRateLimit(next: Transport, options: RateLimitTransportOptions = {}): RateLimitTransport {
  const limiter = options.limiter ?? new RateLimiter(options);

  async function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    const key = limiter.keyOf(request);
    if (key === undefined) return sendSafely(next, request);
    const turn = limiter.acquire(request, key);
    if (turn) await turn;
    let output: OutputOf<O, A>;
    try {
      output = await sendSafely(next, request);
    } catch (error) {
      // Only answers from the service tell the rate anything; local failures (aborts, queues) don't.
      if (isEcrError(error) && (error.kind === 'Throttling' || error.statusCode !== undefined)) limiter.record(request, error.kind === 'Throttling', key);
      throw error;
    }
    limiter.record(request, false, key);
    return output;
  }

  return { send, limiter, destroy: () => next.destroy?.() ?? Promise.resolve() };
}
