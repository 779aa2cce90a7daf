import { EcrError, invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';

/**
 * Time as a dependency, so breakers, rate limiters, waiters and the simulation can run minutes
 * of simulated time in a test without sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after `ms`; reject with `EcrError` kind `Aborted` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A source of uniform numbers in [0, 1), for jitter. */
export type RandomSource = () => number;

/** An `EcrError` of kind `Aborted` for a signal that fired. */
export function abortError(signal?: AbortSignal, operation?: string): EcrError {
  let reason: unknown;
  try {
    reason = signal?.reason;
  } catch {
    // not a signal: no reason to give
  }
  return new EcrError({
    kind: 'Aborted',
    message: 'The operation was aborted',
    operation: typeof operation === 'string' ? operation : undefined,
    cause: reason,
  });
}

/** The real clock: `Date.now()` and an abortable `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      // Wrapped rather than referenced so fake timers installed later still apply.
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * A clock that moves only when told: `advance(ms)` runs due sleepers in time order.
 * Tests and the simulation use it to run long timelines instantly.
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: { at: number; seq: number; resolve: () => void }[] = [];
  #seq = 0;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    const at = typeof start === 'number' ? start : start instanceof Date ? start.getTime() : Number.NaN;
    if (!Number.isFinite(at)) throw invalidParameter('start', `must be a time in milliseconds or a valid Date, got ${describeValue(start)}`);
    this.#now = at;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const entry = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== entry);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(entry);
    });
  }

  /** How many sleepers are waiting. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /**
   * Move time forward by `ms`, waking each sleeper at its own time and letting promise
   * continuations run between wake-ups (so chains of sleeps advance correctly).
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#sleepers[0];
      if (!next || next.at > target) break;
      this.#sleepers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Advance until no sleeper is left or `maxMs` has passed; returns the time advanced. */
  async runAll(maxMs = 24 * 3600_000): Promise<number> {
    const start = this.#now;
    for (;;) {
      await flushMicrotasks();
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#sleepers[0];
      if (!next || next.at - start > maxMs) break;
      await this.advance(next.at - this.#now);
    }
    return this.#now - start;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  // One macrotask turn as well, so continuations queued behind timers of 0 ms also run.
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  await new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
