import { EcrError } from '@ecrkit/core-types';
import { callerAbortError } from './abort.js';
import type { RequestLike } from '../RequestLike.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Shared bound on how many callers may wait, across all the queues of one decorator. */
export class QueueBudget {
  waiting = 0;
  constructor(
    readonly maxQueue: number,
    readonly owner: string,
  ) {}

  /** The `LimitExceeded` error for a full queue: terminal, since waiting longer is the caller's call. */
  fullError(request: RequestLike): EcrError {
    return new EcrError({
      kind: 'LimitExceeded',
      category: 'terminal',
      message: `${this.owner} queue is full (${this.maxQueue} callers waiting); ${request.operation} was not sent`,
      operation: request.operation,
      region: request.region,
    });
  }
}

/**
 * A FIFO of callers waiting for a permit. A waiter whose signal aborts while it waits leaves the queue at once
 * and rejects with `Aborted`; listeners are removed when a waiter leaves either way.
 */
export class WaitQueue {
  #waiters: Waiter[] = [];
  constructor(private readonly budget: QueueBudget) {}

  get length(): number {
    return this.#waiters.length;
  }

  /** Wait for {@link release}; throws `LimitExceeded` when the budget is spent. */
  enqueue(request: RequestLike, onLeave?: () => void): Promise<void> {
    if (this.budget.waiting >= this.budget.maxQueue) return Promise.reject(this.budget.fullError(request));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal: request.signal, onAbort: undefined };
      if (request.signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index < 0) return;
          this.#waiters.splice(index, 1);
          this.budget.waiting--;
          reject(callerAbortError(request));
          onLeave?.();
        };
        request.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.budget.waiting++;
    });
  }

  /** Let the longest-waiting caller go; false when nobody waits. */
  release(): boolean {
    const waiter = this.#waiters.shift();
    if (!waiter) return false;
    this.budget.waiting--;
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
    return true;
  }
}
