import { EcrError, abortError, invalidParameter, readOptions } from '@ecrkit/core-types';
import type { Clock, ErrorKind, RandomSource, WaitOptions } from '@ecrkit/core-types';

/** What an acceptor makes of one poll: done, failed for good, or poll again. */
export type WaiterState = 'SUCCESS' | 'FAILURE' | 'RETRY';

/** Reported to `onProgress` after every poll that ends in `RETRY`. */
export interface WaitProgress<R> {
  /** 1 for the first poll. */
  attempt: number;
  elapsedMs: number;
  /** The delay before the next poll. */
  nextDelayMs: number;
  result: R;
}

/** How a waiter ended (timeouts and aborts throw instead). */
export interface WaiterResult<R> {
  state: 'SUCCESS' | 'FAILURE';
  result: R;
  attempts: number;
  elapsedMs: number;
}

/** Defaults shared by the scan, replication and lifecycle-preview waiters. */
export const waiterDefaults = { timeoutMs: 5 * 60_000, pollIntervalMs: 1_000, maxPollIntervalMs: 30_000 } as const;

const waitForFields = [
  'timeoutMs',
  'pollIntervalMs',
  'maxPollIntervalMs',
  'signal',
  'onProgress',
  'poll',
  'acceptor',
  'clock',
  'random',
  'timeoutKind',
  'description',
  'describeLast',
] as const;

/**
 * The generic poller behind every waiter: polls at once, then sleeps with exponential backoff
 * (`pollIntervalMs`, doubled each time, capped at `maxPollIntervalMs`, each delay shortened by
 * up to 20 % of random jitter so that many waiters do not poll in step) on the injected clock.
 * The signal reaches every poll and the sleep itself, so an abort ends the wait at once. The
 * last sleep is cut to the deadline and followed by one final poll.
 *
 * @throws EcrError of `timeoutKind` when the deadline passes; kind `Aborted` on abort; whatever a poll throws.
 */
export async function waitFor<R>(
  options: Omit<WaitOptions<WaitProgress<R>>, 'clock'> & {
    poll: (signal: AbortSignal | undefined) => Promise<R>;
    acceptor: (result: R) => WaiterState;
    clock: Clock;
    random?: RandomSource;
    timeoutKind: ErrorKind;
    /** What is being waited for, for the timeout message, e.g. `scan of web-app:v1`. */
    description: string;
    /** Extra detail for the timeout message, from the last result. */
    describeLast?: (result: R) => string;
  },
): Promise<WaiterResult<R>> {
  if (options === undefined) throw invalidParameter('options', 'is required');
  options = readOptions(options, waitForFields) as typeof options;
  for (const field of ['poll', 'acceptor'] as const) if (typeof options[field] !== 'function') throw invalidParameter(field, 'must be a function');
  if (typeof options.clock?.now !== 'function' || typeof options.clock.sleep !== 'function') throw invalidParameter('clock', 'must be a Clock (now, sleep)');
  const timeoutMs = options.timeoutMs ?? waiterDefaults.timeoutMs;
  const minDelay = options.pollIntervalMs ?? waiterDefaults.pollIntervalMs;
  const maxDelay = options.maxPollIntervalMs ?? waiterDefaults.maxPollIntervalMs;
  for (const [field, value] of [
    ['timeoutMs', timeoutMs],
    ['pollIntervalMs', minDelay],
    ['maxPollIntervalMs', maxDelay],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new EcrError({ kind: 'InvalidParameter', field, message: `Invalid parameter '${field}': must be a non-negative number of milliseconds` });
    }
  }
  const { clock, signal } = options;
  const random = options.random ?? Math.random;
  const start = clock.now();
  const deadline = start + timeoutMs;
  let attempt = 0;
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    attempt++;
    const result = await options.poll(signal);
    const state = options.acceptor(result);
    const elapsedMs = clock.now() - start;
    if (state !== 'RETRY') return { state, result, attempts: attempt, elapsedMs };
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const detail = options.describeLast ? `; last state: ${options.describeLast(result)}` : '';
      throw new EcrError({
        kind: options.timeoutKind,
        message: `Timed out after ${elapsedMs} ms and ${attempt} polls waiting for ${options.description}${detail}`,
      });
    }
    const nominal = Math.min(maxDelay, minDelay * 2 ** Math.min(attempt - 1, 30));
    const jittered = nominal - nominal * 0.2 * random();
    const delay = Math.min(Math.max(0, Math.round(jittered)), remaining);
    options.onProgress?.({ attempt, elapsedMs, nextDelayMs: delay, result });
    await clock.sleep(delay, signal);
  }
}
