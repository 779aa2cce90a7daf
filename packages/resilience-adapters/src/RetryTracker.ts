import type { RetryEvent } from './withRetry.js';
import type { RequestLike } from './RequestLike.js';

/**
 * Links `withRetry` to an outer `withInstrumentation` without touching requests or errors: retry
 * reports through `onRetry`, instrumentation reads `retries(request)` for the request object it
 * sent down. Counts live in a WeakMap keyed by that object.
 */
export interface RetryTracker {
  /** Pass as `withRetry`'s `onRetry`. */
  readonly onRetry: (event: RetryEvent) => void;
  /** Retries so far of the call `request` started; pass as `withInstrumentation`'s `retryCount`. */
  readonly retries: (request: RequestLike) => number;
}

/**
 * A fresh {@link RetryTracker}.
 *
 * @example
 * const tracker = createRetryTracker();
 * const transport = compose(base, withRetry({ onRetry: tracker.onRetry }), withInstrumentation({ retryCount: tracker.retries }));
 */
export function createRetryTracker(): RetryTracker {
  const counts = new WeakMap<RequestLike, number>();
  return {
    onRetry: (event) => counts.set(event.request, (counts.get(event.request) ?? 0) + 1),
    retries: (request) => counts.get(request) ?? 0,
  };
}
