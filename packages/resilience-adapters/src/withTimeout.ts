import { systemClock } from '@ecrkit/core-types';
import type { Api, Clock, OperationName, OutputOf, Transport, TransportRequest } from '@ecrkit/core-types';
import { callerAbortError, sendSafely, timeoutError } from './internal/abort.js';

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** The deadline of each call, in milliseconds. */
  timeoutMs: number;
  /** Time source; defaults to the system clock. */
  clock?: Clock;
}

/**
 * A per-call deadline. The call below sees a child signal that aborts when either the caller's
 * signal or this deadline fires. Rejects with kind `Timeout` when the deadline fires (retryable)
 * and with kind `Aborted` when the caller's signal fires (never retried), even if the transport
 * below ignores its signal.
 *
 * @example
 * const transport = withTimeout(createSimulatedTransport(registry), { timeoutMs: 5_000 });
 */
export function withTimeout(next: Transport, options: TimeoutOptions): Transport {
  const clock = options.clock ?? systemClock;
  const { timeoutMs } = options;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);

  function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    const caller = request.signal;
    if (caller?.aborted) return Promise.reject(callerAbortError(request));
    const ours = new AbortController();
    const timer = new AbortController();
    const signal = caller ? AbortSignal.any([caller, ours.signal]) : ours.signal;

    return new Promise<OutputOf<O, A>>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        timer.abort();
        caller?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const onCallerAbort = () => {
        if (settle()) reject(callerAbortError(request));
      };
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      clock.sleep(timeoutMs, timer.signal).then(
        () => {
          if (!settle()) return;
          const error = timeoutError(request, 'timeout', timeoutMs);
          ours.abort(error);
          reject(error);
        },
        () => undefined,
      );
      sendSafely(next, { ...request, signal }).then(
        (output) => {
          if (settle()) resolve(output);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }

  return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
}
