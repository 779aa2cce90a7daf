import { invalidParameter, readOptions } from '@ecrkit/core-types';
import type { Api, OperationName, OutputOf, Transport, TransportDecorator, TransportRequest } from '@ecrkit/core-types';
import { QueueBudget, WaitQueue } from './internal/WaitQueue.js';
import type { RequestLike } from './RequestLike.js';

/** Options of {@link withConcurrencyLimit}. */
export interface ConcurrencyLimitOptions {
  /** Calls in flight per key. Default 50. */
  maxInFlight?: number;
  /** Callers that may wait, across all keys; one more is refused with `LimitExceeded`. Default 1000. */
  maxQueue?: number;
  /** One bulkhead per key; default the region. */
  keyOf?: (request: RequestLike) => string;
}

/** The occupancy of a bulkhead, for dashboards and tests. */
export interface ConcurrencyLimiter {
  /** Calls in flight for a key. */
  inFlight(key: string): number;
  /** Callers waiting, across all keys. */
  readonly queued: number;
}

/** The decorator {@link withConcurrencyLimit} returns, with its occupancy exposed. */
export interface ConcurrencyLimitDecorator extends TransportDecorator {
  readonly limiter: ConcurrencyLimiter;
}

interface Compartment {
  inFlight: number;
  queue: WaitQueue;
  /** Frees a call's slot, handing it to the next waiter if any: one function per compartment, not per call. */
  release: () => void;
}

/**
 * A bulkhead: at most `maxInFlight` calls per key (region by default) run at once; the rest wait
 * in order. A full queue rejects with kind `LimitExceeded` (category terminal); a caller whose
 * signal aborts while waiting leaves the queue with kind `Aborted`.
 *
 * @example
 * const bounded = compose(base, withConcurrencyLimit({ maxInFlight: 50, maxQueue: 1000 }));
 */
export function withConcurrencyLimit(options: ConcurrencyLimitOptions = {}): ConcurrencyLimitDecorator {
  const o = readOptions(options, ['maxInFlight', 'maxQueue', 'keyOf']) as ConcurrencyLimitOptions;
  const maxInFlight = o.maxInFlight ?? 50;
  const keyOf = o.keyOf ?? ((request: RequestLike) => request.region);
  const maxQueue = o.maxQueue ?? 1000;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) throw invalidParameter('maxInFlight', 'must be a positive integer');
  if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) throw invalidParameter('maxQueue', 'must be a non-negative integer');
  if (typeof keyOf !== 'function') throw invalidParameter('keyOf', 'must be a function');
  const budget = new QueueBudget(maxQueue, 'Concurrency limiter');
  const compartments = new Map<string, Compartment>();

  const decorate = (next: Transport): Transport => {
    // Not async, and the slot is released beside the caller rather than in a chain (see
    // withCircuitBreaker): a call that finds a free slot costs no promise or microtask hop here.
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      let compartment: Compartment | undefined;
      try {
        const key = keyOf(request);
        compartment = compartments.get(key);
        if (!compartment) {
          compartment = compartmentOf(new WaitQueue(budget));
          compartments.set(key, compartment);
        }
      } catch (error) {
        return Promise.reject(error);
      }
      if (compartment.inFlight < maxInFlight && compartment.queue.length === 0) {
        compartment.inFlight++;
        return sendInSlot(compartment, request);
      }
      // The slot is handed over by the finishing call, so inFlight already counts this one.
      const held = compartment;
      return compartment.queue.enqueue(request).then(() => sendInSlot(held, request));
    }

    function sendInSlot<O extends OperationName, A extends Api>(compartment: Compartment, request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      let pending: Promise<OutputOf<O, A>>;
      try {
        pending = next.send(request);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(compartment.release, compartment.release);
      return pending;
    }

    return { send, destroy: () => next.destroy?.() ?? Promise.resolve() };
  };
  const limiter: ConcurrencyLimiter = {
    inFlight: (key) => compartments.get(key)?.inFlight ?? 0,
    get queued() {
      return budget.waiting;
    },
  };
  return Object.assign(decorate, { limiter });
}

/** A compartment with its release function, built once. */
function compartmentOf(queue: WaitQueue): Compartment {
  const compartment: Compartment = {
    inFlight: 0,
    queue,
    release: () => {
      if (!queue.release()) compartment.inFlight--;
    },
  };
  return compartment;
}
