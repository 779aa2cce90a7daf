import { EcrError, invalidParameter, isEcrError, readOptions } from '@ecrkit/core-types';
import type { Clock } from '@ecrkit/core-types';
import { KeyCache } from './internal/KeyCache.js';
import { Listeners } from './internal/Listeners.js';
import type { Disposable } from './internal/Listeners.js';
import type { RequestLike } from './RequestLike.js';
import { turnClock } from './internal/turnClock.js';

/** The states of one breaker. */
export const CircuitState = { Closed: 'closed', Open: 'open', HalfOpen: 'half-open' } as const;
/** The states of one breaker. */
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

/** A transition of one breaker, as told to {@link CircuitBreaker.onStateChange} listeners. */
export interface CircuitStateChange {
  key: string;
  from: CircuitState;
  to: CircuitState;
  /** Clock time of the transition, ms since the epoch. */
  at: number;
}

/** How a call admitted by the breaker ended, as far as the breaker cares. */
export type CircuitOutcome = 'success' | 'failure' | 'ignore';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** The fewest failed calls within `windowMs` that can open a closed breaker. Default 5. */
  failureThreshold?: number;
  /** The share of the window's calls that must have failed, from 0 (exclusive) to 1. Default 0.5. */
  failureRateThreshold?: number;
  /** The sliding window calls and failures are counted in. Default 30 000 ms. */
  windowMs?: number;
  /** How long an open breaker fails fast before letting one probe through. Default 60 000 ms. */
  openMs?: number;
  /** Time source; defaults to the system clock. */
  clock?: Clock;
  /** One breaker per key; default `<region>/<api>` (one per region and API). */
  keyOf?: (request: RequestLike) => string;
}

/** A call the breaker let through; hand it back to {@link CircuitBreaker.record}. */
export interface CircuitPermit {
  readonly key: string;
  /** True for the single half-open probe. */
  readonly probe: boolean;
  /** The breaker generation (bumped on every transition) the call was admitted in. */
  readonly generation: number;
}

// The window is kept as this many buckets (resilience4j's time-based sliding window): memory and
// work per call stay constant however many calls a second pass.
const bucketsPerWindow = 30;

interface Breaker {
  state: CircuitState;
  generation: number;
  openedAt: number;
  probing: boolean;
  permit: CircuitPermit | undefined;
  /** The failure observer of `permit`, built with it: closed-state calls share both. */
  onFailure: ((error: unknown) => void) | undefined;
  /** Calls admitted and calls failed per bucket; `epoch` is the bucket index of slot `epoch % bucketsPerWindow`. */
  calls: Int32Array;
  failures: Int32Array;
  epoch: number;
  totalCalls: number;
  totalFailures: number;
}

const defaultKeys = new KeyCache('/');
// The previous call's key, checked before the cache: most clients use one region and API.
let lastRegion = '';
let lastApi = '';
let lastKey = '';

/** The default breaker key, `<region>/<api>`: one breaker per region and API. */
export function breakerKeyOf(request: RequestLike): string {
  if (typeof request !== 'object' || request === null) throw invalidParameter('request', 'must be an object with region and api');
  let region: unknown;
  let api: unknown;
  try {
    ({ region, api } = request);
  } catch {
    throw invalidParameter('request', 'could not be read');
  }
  if (region === lastRegion && api === lastApi && lastKey !== '') return lastKey;
  if (typeof region !== 'string' || typeof api !== 'string') throw invalidParameter('request', 'must have string region and api');
  lastRegion = region;
  lastApi = api as RequestLike['api'];
  lastKey = defaultKeys.get(region, api as RequestLike['api']);
  return lastKey;
}

/**
 * A set of circuit breakers, one per key, on an injected clock, that count *calls*: put it
 * outside retry, so that a call that failed, was retried and then succeeded counts as one
 * success, and a call that failed after all its retries as one failure.
 *
 * Closed: admits every call and counts it. It opens when, within the last `windowMs`, at least
 * `failureThreshold` calls failed *and* they are at least `failureRateThreshold` of the calls
 * admitted (resilience4j's minimum number of calls plus failure rate), so a high-throughput client
 * does not open on noise. Open: rejects with kind `CircuitOpen` for `openMs` without sending
 * anything, then turns half-open. Half-open: admits exactly one probe; its success (or any answer
 * from the service) closes the breaker, its failure re-opens it, an ignored outcome (caller
 * abort) frees the slot for another probe. Outcomes of calls admitted before the latest
 * transition are ignored. Open → half-open happens lazily, on the next {@link acquire} or
 * {@link state} read after `openMs`.
 *
 * The window is `bucketsPerWindow` (30) buckets of `windowMs / 30`; a call counts in the bucket of
 * the time it was admitted, a failure in the bucket of the time it ended. Which errors count as
 * failures is decided by {@link isBreakerFailure}; terminal answers never do.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly failureRateThreshold: number;
  readonly windowMs: number;
  readonly openMs: number;
  readonly keyOf: (request: RequestLike) => string;
  readonly #bucketMs: number;
  readonly #clock: Clock;
  readonly #breakers = new Map<string, Breaker>();
  readonly #changes = new Listeners<CircuitStateChange>();

  constructor(options: CircuitBreakerOptions = {}) {
    const o = readOptions(options, ['failureThreshold', 'failureRateThreshold', 'windowMs', 'openMs', 'clock', 'keyOf']) as CircuitBreakerOptions;
    this.failureThreshold = o.failureThreshold ?? 5;
    this.failureRateThreshold = o.failureRateThreshold ?? 0.5;
    this.windowMs = o.windowMs ?? 30_000;
    this.openMs = o.openMs ?? 60_000;
    this.keyOf = o.keyOf ?? breakerKeyOf;
    this.#clock = o.clock ?? turnClock;
    if (!(Number.isInteger(this.failureThreshold) && this.failureThreshold >= 1)) throw invalidParameter('failureThreshold', 'must be a positive integer');
    if (!(this.failureRateThreshold > 0 && this.failureRateThreshold <= 1)) throw invalidParameter('failureRateThreshold', 'must be above 0 and at most 1');
    if (!(Number.isFinite(this.windowMs) && this.windowMs >= bucketsPerWindow)) throw invalidParameter('windowMs', `must be at least ${bucketsPerWindow} ms`);
    if (!(Number.isFinite(this.openMs) && this.openMs >= 0)) throw invalidParameter('openMs', 'must be a non-negative number of milliseconds');
    if (typeof this.keyOf !== 'function') throw invalidParameter('keyOf', 'must be a function');
    this.#bucketMs = this.windowMs / bucketsPerWindow;
  }

  /** The state of one breaker; `closed` for a key never seen. */
  state(key: string): CircuitState {
    const breaker = this.#breakers.get(key);
    if (!breaker) return CircuitState.Closed;
    this.#expireOpen(key, breaker);
    return breaker.state;
  }

  /** Every key that has a breaker, in creation order. */
  keys(): string[] {
    return [...this.#breakers.keys()];
  }

  /** Listen to transitions; a throwing listener is ignored. */
  onStateChange(listener: (change: CircuitStateChange) => void): Disposable {
    return this.#changes.add(listener);
  }

  /** Admit a call (counting it in the window) or throw `CircuitOpen` (with `retryAfterMs` while open). */
  acquire(request: RequestLike): CircuitPermit {
    const key = this.keyOf(request);
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      breaker = {
        state: CircuitState.Closed,
        generation: 0,
        openedAt: 0,
        probing: false,
        permit: undefined,
        onFailure: undefined,
        calls: new Int32Array(bucketsPerWindow),
        failures: new Int32Array(bucketsPerWindow),
        epoch: 0,
        totalCalls: 0,
        totalFailures: 0,
      };
      this.#breakers.set(key, breaker);
    }
    if (breaker.state === CircuitState.Closed) {
      const slot = this.#advance(breaker, this.#clock.now());
      breaker.calls[slot] = (breaker.calls[slot] ?? 0) + 1;
      breaker.totalCalls++;
      // Permits are immutable, so the closed state hands out one per generation.
      if (breaker.permit?.generation !== breaker.generation) {
        const permit: CircuitPermit = { key, probe: false, generation: breaker.generation };
        breaker.permit = permit;
        breaker.onFailure = (error: unknown) => this.record(permit, breakerOutcomeOf(error));
      }
      return breaker.permit;
    }
    this.#expireOpen(key, breaker);
    if (breaker.state === CircuitState.HalfOpen && !breaker.probing) {
      breaker.probing = true;
      return { key, probe: true, generation: breaker.generation };
    }
    const retryAfterMs = breaker.state === CircuitState.Open ? Math.max(0, breaker.openedAt + this.openMs - this.#clock.now()) : undefined;
    throw new EcrError({
      kind: 'CircuitOpen',
      message: `Circuit breaker ${key} is ${breaker.state}; ${request.operation} was not sent`,
      operation: request.operation,
      region: request.region,
      retryAfterMs,
    });
  }

  /**
   * A function reporting a failed outcome of `permit` (to pass as a promise's rejection handler):
   * shared by the calls of one closed generation, so observing a call allocates nothing.
   */
  failureObserver(permit: CircuitPermit): (error: unknown) => void {
    const breaker = this.#breakers.get(permit.key);
    if (!permit.probe && breaker?.permit === permit && breaker.onFailure) return breaker.onFailure;
    return (error: unknown) => this.record(permit, breakerOutcomeOf(error));
  }

  /** Report how an admitted call ended. */
  record(permit: CircuitPermit, outcome: CircuitOutcome): void {
    const breaker = this.#breakers.get(permit.key);
    if (!breaker || breaker.generation !== permit.generation) return;
    const now = this.#clock.now();
    if (permit.probe) {
      breaker.probing = false;
      if (outcome === 'success') this.#transition(permit.key, breaker, CircuitState.Closed, now);
      else if (outcome === 'failure') this.#transition(permit.key, breaker, CircuitState.Open, now);
      return;
    }
    if (breaker.state !== CircuitState.Closed || outcome !== 'failure') return;
    const slot = this.#advance(breaker, now);
    breaker.failures[slot] = (breaker.failures[slot] ?? 0) + 1;
    breaker.totalFailures++;
    if (breaker.totalFailures >= this.failureThreshold && breaker.totalFailures >= this.failureRateThreshold * breaker.totalCalls) {
      this.#transition(permit.key, breaker, CircuitState.Open, now);
    }
  }

  /** Move the window to `now`, emptying the buckets that fell out of it; returns the current bucket's slot. */
  #advance(breaker: Breaker, now: number): number {
    const epoch = Math.floor(now / this.#bucketMs);
    if (epoch > breaker.epoch) {
      const stale = Math.min(epoch - breaker.epoch, bucketsPerWindow);
      for (let i = 1; i <= stale; i++) {
        const slot = (breaker.epoch + i) % bucketsPerWindow;
        breaker.totalCalls -= breaker.calls[slot] ?? 0;
        breaker.totalFailures -= breaker.failures[slot] ?? 0;
        breaker.calls[slot] = 0;
        breaker.failures[slot] = 0;
      }
      breaker.epoch = epoch;
    }
    return breaker.epoch % bucketsPerWindow;
  }

  #expireOpen(key: string, breaker: Breaker): void {
    if (breaker.state !== CircuitState.Open) return;
    const now = this.#clock.now();
    if (now - breaker.openedAt >= this.openMs) this.#transition(key, breaker, CircuitState.HalfOpen, now);
  }

  #transition(key: string, breaker: Breaker, to: CircuitState, at: number): void {
    const from = breaker.state;
    breaker.state = to;
    breaker.generation++;
    breaker.probing = false;
    // A closed breaker starts counting afresh: what happened before it opened is history.
    breaker.calls.fill(0);
    breaker.failures.fill(0);
    breaker.totalCalls = 0;
    breaker.totalFailures = 0;
    breaker.epoch = Math.floor(at / this.#bucketMs);
    if (to === CircuitState.Open) breaker.openedAt = at;
    this.#changes.emit({ key, from, to, at });
  }
}

/**
 * Whether an error says the service or the path to it is unhealthy, and so counts towards opening
 * a breaker: `ServiceUnavailable`, `Network`, `Timeout`, `InvalidResponse` other than a 4xx answer
 * (a malformed, cut-off or error-page body), and `KmsError` or `Unknown` with a 5xx status. Never
 * terminal answers (`RepositoryNotFound`, `AccessDenied`, validation), credential errors or caller
 * aborts. `Throttling` does not count either: the service is up and protecting itself, which the
 * rate limiter answers by slowing down; opening on it would turn a rate problem into a minute-long outage.
 */
export function isBreakerFailure(error: EcrError): boolean {
  if (!isEcrError(error)) return false;
  switch (error.kind) {
    case 'ServiceUnavailable':
    case 'Network':
    case 'Timeout':
      return true;
    case 'InvalidResponse':
      return error.statusCode === undefined || error.statusCode < 400 || error.statusCode >= 500;
    case 'KmsError':
    case 'Unknown':
      return error.statusCode !== undefined && error.statusCode >= 500;
    default:
      return false;
  }
}

/**
 * How a finished call counts: `failure` per {@link isBreakerFailure}; `success` for an output or
 * any other answer from the service (an error with a status code: the service is reachable);
 * `ignore` for what never reached it (caller aborts, local queue limits, other breakers).
 */
export function breakerOutcomeOf(error: unknown): CircuitOutcome {
  if (!(error instanceof EcrError)) return 'ignore';
  if (isBreakerFailure(error)) return 'failure';
  return error.statusCode === undefined ? 'ignore' : 'success';
}
