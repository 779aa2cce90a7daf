import { type EcrError, isEcrError, systemClock } from '@ecrkit/core-types';
import type { Api, Clock, OperationName, OutputOf, PutImageRequest, PutImageResponse, RandomSource, Transport, TransportRequest } from '@ecrkit/core-types';
import { callerAbortError, raceSignal, sendSafely, timeoutError } from './internal/abort.js';
import { sha256Digest } from './internal/sha256Digest.js';
import { startTimer } from './internal/timer.js';
import type { RequestLike } from './RequestLike.js';

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

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Further attempts after the first, whatever their cause (a credential retry counts). Default 3. */
  maxRetries?: number;
  /** Backoff base: the cap before jitter doubles from this on each retry. Default 100 ms. */
  baseDelayMs?: number;
  /** Backoff cap before jitter. Default 20 000 ms. */
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
}

/**
 * Retries transient failures with capped exponential backoff and full jitter
 * (delay = random × min(maxDelayMs, baseDelayMs × 2^retry), or the server's `retryAfterMs` if longer).
 *
 * - Retries only errors whose `category` is `retryable`; `terminal` errors and non-`EcrError`s
 *   pass through at once, as does kind `Aborted`.
 * - On the first `credential` error it awaits `onCredentialError` and retries once (no hook: no retry).
 * - Attempts are at most `1 + maxRetries`. A wait that would overrun `deadlineMs` is not started:
 *   the last failure is returned instead. When the deadline itself fires the call rejects with
 *   `Timeout`; when the caller's signal fires, with `Aborted`.
 * - A PutImage retry that answers `ImageAlreadyExists` means an earlier attempt stored the image
 *   (ECR raises it only for the same manifest and tag), so it counts as success. The output is
 *   fetched with BatchGetImage through the transport below (private ECR), kept only if the stored
 *   manifest is byte-identical to the one sent; if that lookup fails, or for ECR Public, the output
 *   is built from the request (digest computed from the manifest, `registryId` only if given).
 *
 * @example
 * const transport = withRetry(base, { maxRetries: 3, deadlineMs: 30_000, onCredentialError: () => credentials.refresh() });
 */
export function withRetry(next: Transport, options: RetryOptions = {}): Transport {
  const maxRetries = options.maxRetries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const { deadlineMs, onCredentialError, onRetry } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new RangeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);

  function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
    if (request.signal?.aborted) return Promise.reject(callerAbortError(request));
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

    try {
      let retries = 0;
      let refreshed = false;
      for (let attempt = 1; ; attempt++) {
        try {
          if (attempt === 1 && first) throw first.failure;
          const pending = sendSafely(next, attemptRequest);
          return await (deadline ? raceSignal(pending, deadline.signal, () => stopReason(request, deadline, deadlineMs)) : pending);
        } catch (failure) {
          const early = stopReason(request, deadline, deadlineMs);
          if (early) throw early;
          if (!isEcrError(failure)) throw failure;
          if (attempt > 1 && failure.kind === 'ImageAlreadyExists' && request.operation === 'PutImage') {
            return (await confirmPutImage(next, request as unknown as TransportRequest<'PutImage'>, signal)) as OutputOf<O, A>;
          }
          if (failure.kind === 'Aborted' || retries >= maxRetries) throw failure;

          if (failure.category === 'credential') {
            if (refreshed || !onCredentialError) throw failure;
            refreshed = true;
            retries++;
            onRetry?.({ request, attempt: attempt + 1, delayMs: 0, error: failure, reason: 'credential' });
            await raceSignal(onCredentialError(failure), signal, () => stopReason(request, deadline, deadlineMs));
            continue;
          }
          if (failure.category !== 'retryable') throw failure;

          const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retries);
          const delayMs = Math.max(backoff, failure.retryAfterMs ?? 0);
          if (deadlineMs !== undefined && clock.now() + delayMs >= started + deadlineMs) throw failure;
          retries++;
          onRetry?.({ request, attempt: attempt + 1, delayMs, error: failure, reason: 'retryable' });
          try {
            await clock.sleep(delayMs, signal);
          } catch (sleepFailure) {
            throw stopReason(request, deadline, deadlineMs) ?? sleepFailure;
          }
        }
      }
    } finally {
      cancelDeadline?.();
      if (onCallerAbort) caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
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

/** The output of a PutImage that an earlier attempt completed; see {@link withRetry}. */
async function confirmPutImage(next: Transport, request: TransportRequest<'PutImage'>, signal: AbortSignal | undefined): Promise<PutImageResponse> {
  const input: PutImageRequest = request.input;
  const imageDigest = input.imageDigest ?? (await sha256Digest(input.imageManifest));
  if (request.api === 'ecr') {
    try {
      const found = await next.send({
        api: 'ecr',
        operation: 'BatchGetImage',
        region: request.region,
        signal,
        input: {
          ...(input.registryId !== undefined && { registryId: input.registryId }),
          repositoryName: input.repositoryName,
          imageIds: [{ imageDigest }],
          ...(input.imageManifestMediaType !== undefined && { acceptedMediaTypes: [input.imageManifestMediaType] }),
        },
      });
      const image = found.images?.find((candidate) => candidate.imageManifest === input.imageManifest);
      if (image) return { image: input.imageTag === undefined ? image : { ...image, imageId: { ...image.imageId, imageTag: input.imageTag } } };
    } catch {
      // The ImageAlreadyExists answer already proves the put; the lookup only adds detail.
    }
  }
  return {
    image: {
      ...(input.registryId !== undefined && { registryId: input.registryId }),
      repositoryName: input.repositoryName,
      imageId: { imageDigest, ...(input.imageTag !== undefined && { imageTag: input.imageTag }) },
      imageManifest: input.imageManifest,
      ...(input.imageManifestMediaType !== undefined && { imageManifestMediaType: input.imageManifestMediaType }),
    },
  };
}
