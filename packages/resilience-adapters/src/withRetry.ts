import { type EcrError, invalidParameter, isEcrError, operationSpec, readOptions } from '@ecrkit/core-types';
import type { Api, Clock, OperationName, OutputOf, RandomSource, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { callerAbortError, raceSignal, sendSafely, timeoutError } from './internal/abort.js';
import { startTimer } from './internal/timer.js';
import type { RequestLike } from './RequestLike.js';
import { turnClock } from './internal/turnClock.js';

/** What {@link RetryOptions.onRetry} hears before each further attempt. */
export interface RetryEvent {
  /** The request `withRetry` received (the same object on every event of one call). */
  request: RequestLike;
  /** The number of the attempt about to start: 2 for the first retry. */
  attempt: number;
  /** How long `withRetry` waits before that attempt. */
  delayMs: number;
  /** The failure of the previous attempt. */
  error: EcrError;
  /** `retryable` for a transient failure, `credential` after a credential refresh. */
  reason: 'retryable' | 'credential';
}

/** What a confirmation found out about a mutating call whose answer was lost. */
export type ConfirmedOutcome =
  /** The call took effect: `output` is returned to the caller as the call's answer, and nothing is sent again. */
  | { applied: true; output: unknown }
  /** It did not: the call is sent again. */
  | { applied: false };

/**
 * A domain rule, supplied from above (services' `confirmMutation`): before a mutating call that
 * timed out or lost its connection is sent again, look up whether it took effect. `next` is the
 * transport below retry, for the lookup. `undefined` means it cannot tell (an operation it does
 * not know, or a lookup that failed): the call is sent again.
 */
export type ConfirmMutation = (request: RequestLike, failure: EcrError, next: Transport) => Promise<ConfirmedOutcome | undefined>;

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Further attempts after the first, whatever their cause (a credential retry counts). Default 3. */
  maxRetries?: number;
  /** Backoff base: the cap before jitter doubles from this on each retry. Default 100 ms. */
  baseDelayMs?: number;
  /** Backoff cap before jitter. Default 20 000 ms. A server's Retry-After is honoured up to this plus 5 s. */
  maxDelayMs?: number;
  /** Overall deadline of the call, retries and waits included; rejects with `Timeout`. Default none. */
  deadlineMs?: number;
  /** Time source for waits and the deadline; defaults to the system clock. */
  clock?: Clock;
  /** Uniform numbers in [0, 1) for jitter; defaults to `Math.random`. */
  random?: RandomSource;
  /** Called once per call on the first `credential` error (expired token, bad signature); the call is then retried once. */
  onCredentialError?: (error: EcrError) => Promise<void>;
  /** Told before each further attempt; instrumentation counts retries with it. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
  /** Asked before a mutating call whose answer was lost is sent again; see {@link ConfirmMutation}. Default: send again. */
  confirm?: ConfirmMutation;
}

/** How much longer than its own largest backoff a server may ask retry to wait (smithy's rule). */
const retryAfterSlackMs = 5_000;

/**
 * Retries transient failures with capped exponential backoff and full jitter
 * (delay = random × min(maxDelayMs, baseDelayMs × 2^retry), or the server's Retry-After if longer,
 * which is capped at `maxDelayMs + 5 s`: a `Retry-After: 86400` does not park a call for a day).
 *
 * - Retries errors whose `category` is `retryable`, and responses that could not be read
 *   (`InvalidResponse` with a 2xx status or none: truncated, malformed) for operations that only
 *   read; a mutating call's unreadable answer may mean it took effect, so it is reported as is.
 *   `terminal` errors, non-`EcrError`s and kind `Aborted` pass through at once.
 * - Before a mutating call that timed out or lost its connection is sent again, `confirm` (a
 *   domain rule from services) is asked whether it took effect; if it did, its answer is the call's.
 * - On the first `credential` error it awaits `onCredentialError` and retries once (no hook: no retry).
 * - Attempts are at most `1 + maxRetries`. A wait that would overrun `deadlineMs` is not started:
 *   the last failure is returned instead. When the deadline itself fires the call rejects with
 *   `Timeout`; when the caller's signal fires, with `Aborted`.
 *
 * Whether a call may start at all (aborted signal, read-only, unknown operation) is the guard's
 * decision, not this step's.
 *
 * @example
 * const transport = compose(base, withRetry({ maxRetries: 3, deadlineMs: 30_000, onCredentialError: () => credentials.refresh() }));
 */
export function withRetry(options: RetryOptions = {}): TransportDecorator {
  const o = readOptions(options, [
    'maxRetries',
    'baseDelayMs',
    'maxDelayMs',
    'deadlineMs',
    'clock',
    'random',
    'onCredentialError',
    'onRetry',
    'confirm',
  ]) as RetryOptions;
  const maxRetries = o.maxRetries ?? 3;
  const baseDelayMs = o.baseDelayMs ?? 100;
  const maxDelayMs = o.maxDelayMs ?? 20_000;
  const { deadlineMs, onCredentialError, onRetry, confirm } = o;
  const clock = o.clock ?? turnClock;
  const random = o.random ?? Math.random;
  const retryAfterCapMs = maxDelayMs + retryAfterSlackMs;
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw invalidParameter('maxRetries', 'must be a non-negative integer');
  if (!(Number.isFinite(baseDelayMs) && baseDelayMs >= 0)) throw invalidParameter('baseDelayMs', 'must be a non-negative number of milliseconds');
  if (!(Number.isFinite(maxDelayMs) && maxDelayMs >= 0)) throw invalidParameter('maxDelayMs', 'must be a non-negative number of milliseconds');
  if (deadlineMs !== undefined && !(Number.isFinite(deadlineMs) && deadlineMs > 0))
    throw invalidParameter('deadlineMs', 'must be a positive number of milliseconds');

  return (next) => {
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      // Without an overall deadline the first attempt needs no set-up or clean-up: send it straight
      // and enter the retry loop only on failure (one `.then` instead of an async frame and its hops).
      if (deadlineMs === undefined) {
        let pending: Promise<OutputOf<O, A>>;
        try {
          // Called here rather than through a shared helper, so this call site sees one transport.
          pending = next.send(request);
        } catch (error) {
          pending = Promise.reject(error);
        }
        return pending.then(undefined, (failure: unknown) => attempts(request, { failure }));
      }
      return attempts(request, undefined);
    }

    /** The attempts of one call; `first` carries the failure of a first attempt already made. */
    async function attempts<O extends OperationName, A extends Api = 'ecr'>(
      request: TransportRequest<O, A>,
      first: { failure: unknown } | undefined,
    ): Promise<OutputOf<O, A>> {
      const caller = request.signal;
      const started = deadlineMs === undefined ? 0 : clock.now();
      // Our deadline aborts a child signal, linked by hand to the caller's (see withTimeout).
      let deadline: AbortController | undefined;
      let cancelDeadline: (() => void) | undefined;
      let onCallerAbort: (() => void) | undefined;
      let signal = caller;
      if (deadlineMs !== undefined) {
        const own = new AbortController();
        deadline = own;
        signal = own.signal;
        if (caller) {
          onCallerAbort = () => own.abort(caller.reason);
          caller.addEventListener('abort', onCallerAbort, { once: true });
        }
        cancelDeadline = startTimer(clock, deadlineMs, () => own.abort(timeoutError(request, 'overall deadline', deadlineMs)));
      }
      const attemptRequest = signal === caller ? request : { ...request, signal };
      const stop = () => stopReason(request, deadline, deadlineMs);
      // Looked up on the first failure only: a call that succeeds at once never asks.
      let mutating: boolean | undefined;
      const isMutating = () => (mutating ??= operationSpec(request.api, request.operation)?.mutating !== false);

      try {
        let retries = 0;
        let refreshed = false;
        for (let attempt = 1; ; attempt++) {
          try {
            if (attempt === 1 && first) throw first.failure;
            const pending = sendSafely(next, attemptRequest);
            return await (deadline ? raceSignal(pending, deadline.signal, stop) : pending);
          } catch (failure) {
            const early = stop();
            if (early) throw early;
            if (!isEcrError(failure)) throw failure;
            if (failure.kind === 'Aborted' || retries >= maxRetries) throw failure;

            if (failure.category === 'credential') {
              if (refreshed || !onCredentialError) throw failure;
              refreshed = true;
              retries++;
              onRetry?.({ request, attempt: attempt + 1, delayMs: 0, error: failure, reason: 'credential' });
              await raceSignal(onCredentialError(failure), signal, stop);
              continue;
            }
            if (!isWorthRetrying(failure, isMutating)) throw failure;

            const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retries);
            const delayMs = Math.max(backoff, Math.min(failure.retryAfterMs ?? 0, retryAfterCapMs));
            if (deadlineMs !== undefined && clock.now() + delayMs >= started + deadlineMs) throw failure;
            retries++;
            onRetry?.({ request, attempt: attempt + 1, delayMs, error: failure, reason: 'retryable' });
            try {
              await clock.sleep(delayMs, signal);
            } catch (sleepFailure) {
              throw stop() ?? sleepFailure;
            }
            if (confirm && isAnswerLost(failure) && isMutating()) {
              const outcome = await raceSignal(confirmSafely(confirm, request, failure, next), signal, stop);
              if (outcome?.applied) return outcome.output as OutputOf<O, A>;
            }
          }
        }
      } finally {
        cancelDeadline?.();
        if (onCallerAbort) caller?.removeEventListener('abort', onCallerAbort);
      }
    }

    return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
  };
}

/**
 * Whether another attempt can help: a `retryable` error, or an answer that could not be read
 * (`InvalidResponse` with a 2xx status or none) of an operation that only reads.
 */
function isWorthRetrying(failure: EcrError, isMutating: () => boolean): boolean {
  if (failure.category === 'retryable') return true;
  if (failure.kind !== 'InvalidResponse') return false;
  const status = failure.statusCode;
  return (status === undefined || (status >= 200 && status < 300)) && !isMutating();
}

/** Whether the call may have reached the service and taken effect although no answer came back. */
function isAnswerLost(failure: EcrError): boolean {
  return failure.kind === 'Timeout' || failure.kind === 'Network' || failure.kind === 'InvalidResponse';
}

/** A confirmation that failed tells nothing: the call is sent again. */
function confirmSafely(confirm: ConfirmMutation, request: RequestLike, failure: EcrError, next: Transport): Promise<ConfirmedOutcome | undefined> {
  try {
    return confirm(request, failure, next).then(undefined, () => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}

/**
 * Why a call ended early because of a signal, if it did: the caller's abort wins over our deadline.
 * (A module function, not a per-call closure: the hot path allocates less.)
 */
function stopReason(request: RequestLike, deadline: AbortController | undefined, deadlineMs: number | undefined): EcrError | undefined {
  if (request.signal?.aborted) return callerAbortError(request);
  if (deadline?.signal.aborted) return timeoutError(request, 'overall deadline', deadlineMs ?? 0);
  return undefined;
}
