import { invalidParameter, readOptions } from '@ecrkit/core-types';
import type { Api, Clock, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { DeadlineWheel } from './internal/DeadlineWheel.js';
import type { Bucket, DeadlineEntry } from './internal/DeadlineWheel.js';
import { callerAbortError, timeoutError, withSignal } from './internal/abort.js';
import type { RequestLike } from './RequestLike.js';
import { turnClock } from './internal/turnClock.js';

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** The deadline of each call, in milliseconds. */
  timeoutMs: number;
  /**
   * Calls starting within the same window of this many milliseconds share one timer and one
   * abort signal; a call times out at least `timeoutMs` and less than `timeoutMs + precisionMs`
   * after it started. Default 1% of `timeoutMs`, between 1 and 100 ms.
   */
  precisionMs?: number;
  /** Time source; defaults to the system clock. */
  clock?: Clock;
}

function settledAlready(): void {}

// The call whose promise is being made: `new Promise(takeResolvers)` hands its resolvers over
// without a closure per call.
let forming: TimedCall<never> | undefined;
function takeResolvers(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  if (forming) {
    forming.resolve = resolve;
    forming.reject = reject;
  }
}

/**
 * One call under a deadline. A class, so the hot path allocates one object instead of a handful
 * of closures.
 */
class TimedCall<T> implements DeadlineEntry {
  settled = false;
  previousEntry: DeadlineEntry | undefined = undefined;
  nextEntry: DeadlineEntry | undefined = undefined;
  readonly wheel: DeadlineWheel;
  readonly bucket: Bucket;
  readonly child: AbortController | undefined;
  readonly onCallerAbort: (() => void) | undefined;

  resolve: (value: T) => void = settledAlready;
  reject: (error: unknown) => void = settledAlready;

  constructor(
    readonly request: RequestLike,
    readonly timeoutMs: number,
    wheel: DeadlineWheel,
  ) {
    this.wheel = wheel;
    this.bucket = wheel.enter(this);
    const caller = request.signal;
    if (caller) {
      this.child = new AbortController();
      this.onCallerAbort = () => this.callerAborted();
      caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  /** The signal the transport sees: the caller-linked child, or the window's shared one. */
  get signal(): AbortSignal {
    return this.child ? this.child.signal : this.bucket.controller.signal;
  }

  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.wheel.leave(this.bucket, this);
    if (this.onCallerAbort) this.request.signal?.removeEventListener('abort', this.onCallerAbort);
    return true;
  }

  callerAborted(): void {
    if (this.settle()) this.reject(callerAbortError(this.request));
    this.child?.abort(this.request.signal?.reason);
  }

  onTimeout(): void {
    if (!this.settle()) return;
    const error = timeoutError(this.request, 'timeout', this.timeoutMs);
    this.reject(error);
    this.child?.abort(error);
  }

  answered(value: T): void {
    if (this.settle()) this.resolve(value);
  }

  failed(error: unknown): void {
    if (this.settle()) this.reject(error);
  }
}

/**
 * A per-attempt deadline. Rejects with kind `Timeout` when the deadline passes (retryable) and
 * with kind `Aborted` when the caller's signal fires during the attempt (never retried), even if
 * the transport below ignores its signal; either way the transport's signal aborts. It is the one
 * timer on an attempt: transports arm none of their own.
 *
 * The transport sees, without a caller signal, the signal shared by the calls of its deadline
 * window (see `precisionMs`), and with one, a child signal linked by hand to the caller's, whose
 * listener is removed when the call ends. Not `AbortSignal.any([caller, ours])`: in Node 20 that
 * costs about 40 µs a call and keeps composite signals alive as long as the caller's. Whether a
 * call may start (a signal already aborted) is the guard's decision, made before this step.
 *
 * @example
 * const transport = compose(createSimulatedTransport(registry), withTimeout({ timeoutMs: 5_000 }));
 */
export function withTimeout(options: TimeoutOptions): TransportDecorator {
  if (options === undefined) throw invalidParameter('options', 'must be { timeoutMs }');
  options = readOptions(options, ['timeoutMs', 'precisionMs', 'clock']) as TimeoutOptions;
  const clock = options.clock ?? turnClock;
  const { timeoutMs } = options;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)))
    throw invalidParameter('timeoutMs', 'must be a positive number of milliseconds');
  const precisionMs = options.precisionMs ?? Math.min(100, Math.max(1, Math.floor(timeoutMs / 100)));
  if (!(typeof precisionMs === 'number' && precisionMs > 0 && Number.isFinite(precisionMs)))
    throw invalidParameter('precisionMs', 'must be a positive number of milliseconds');
  const wheel = new DeadlineWheel(clock, timeoutMs, precisionMs);

  return (next) => {
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      const call = new TimedCall<OutputOf<O, A>>(request, timeoutMs, wheel);
      forming = call as TimedCall<never>;
      const promise = new Promise<OutputOf<O, A>>(takeResolvers);
      forming = undefined;
      let pending: Promise<OutputOf<O, A>>;
      try {
        // Called here rather than through a shared helper, so this call site sees one transport.
        pending = next.send(withSignal(request, call.signal));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (output) => call.answered(output),
        (error: unknown) => call.failed(error),
      );
      return promise;
    }
    return { send, destroy: () => next.destroy?.() ?? Promise.resolve() } satisfies Transport;
  };
}
