import { EcrError, systemClock } from '@ecrkit/core-types';
import type { Clock } from '@ecrkit/core-types';
import { EventEmitter } from 'cockatiel';
import type { IDisposable } from 'cockatiel';
import type { RequestLike } from './RequestLike.js';
import { KeyCache } from './internal/KeyCache.js';

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
  /** Failures within `windowMs` that open a closed breaker. Default 5. */
  failureThreshold?: number;
  /** The sliding window failures are counted in. Default 30 000 ms. */
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

interface Breaker {
  state: CircuitState;
  generation: number;
  failures: number[];
  openedAt: number;
  probing: boolean;
  permit?: CircuitPermit;
}

const defaultKeys = new KeyCache('/');

/** The default breaker key, `<region>/<api>`: one breaker per region and API. */
export function breakerKeyOf(request: RequestLike): string {
  return defaultKeys.get(request.region, request.api);
}

/**
 * A set of circuit breakers, one per key, on an injected clock (the state machine is
 * hand-written because cockatiel's breaker reads `Date.now()` directly).
 *
 * Closed: admits every call; `failureThreshold` failures within `windowMs` open it (successes do
 * not reset the count). Open: rejects with kind `CircuitOpen` for `openMs`, then turns half-open.
 * Half-open: admits exactly one probe; its success closes the breaker, its failure re-opens it,
 * an ignored outcome (caller abort) frees the slot for another probe. Outcomes of calls admitted
 * before the latest transition are ignored. Open → half-open happens lazily, on the next
 * {@link acquire} or {@link state} read after `openMs`.
 *
 * Which errors count is decided by {@link isBreakerFailure}.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly windowMs: number;
  readonly openMs: number;
  readonly keyOf: (request: RequestLike) => string;
  readonly #clock: Clock;
  readonly #breakers = new Map<string, Breaker>();
  readonly #changes = new EventEmitter<CircuitStateChange>();

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.windowMs = options.windowMs ?? 30_000;
    this.openMs = options.openMs ?? 60_000;
    this.keyOf = options.keyOf ?? breakerKeyOf;
    this.#clock = options.clock ?? systemClock;
    if (!(Number.isInteger(this.failureThreshold) && this.failureThreshold >= 1)) {
      throw new RangeError(`failureThreshold must be a positive integer, got ${this.failureThreshold}`);
    }
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
  onStateChange(listener: (change: CircuitStateChange) => void): IDisposable {
    return this.#changes.addListener((change) => {
      try {
        listener(change);
      } catch {
        // Observers must not break calls.
      }
    });
  }

  /** Admit a call or throw `CircuitOpen` (with `retryAfterMs` while open). */
  acquire(request: RequestLike): CircuitPermit {
    const key = this.keyOf(request);
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      breaker = { state: CircuitState.Closed, generation: 0, failures: [], openedAt: 0, probing: false };
      this.#breakers.set(key, breaker);
    }
    this.#expireOpen(key, breaker);
    if (breaker.state === CircuitState.Closed) {
      // Permits are immutable, so the closed state hands out one per generation.
      if (breaker.permit?.generation !== breaker.generation) breaker.permit = { key, probe: false, generation: breaker.generation };
      return breaker.permit;
    }
    if (breaker.state === CircuitState.HalfOpen && !breaker.probing) {
      breaker.probing = true;
      return { key, probe: true, generation: breaker.generation };
    }
    const retryAfterMs = breaker.state === CircuitState.Open ? breaker.openedAt + this.openMs - this.#clock.now() : undefined;
    throw new EcrError({
      kind: 'CircuitOpen',
      message: `Circuit breaker ${key} is ${breaker.state}; ${request.operation} was not sent`,
      operation: request.operation,
      region: request.region,
      retryAfterMs,
    });
  }

  /** Report how an admitted call ended. */
  record(permit: CircuitPermit, outcome: CircuitOutcome): void {
    const breaker = this.#breakers.get(permit.key);
    if (!breaker || breaker.generation !== permit.generation) return;
    if (!permit.probe && (breaker.state !== CircuitState.Closed || outcome !== 'failure')) return;
    const now = this.#clock.now();
    if (permit.probe) {
      breaker.probing = false;
      if (outcome === 'success') this.#transition(permit.key, breaker, CircuitState.Closed, now);
      else if (outcome === 'failure') this.#transition(permit.key, breaker, CircuitState.Open, now);
      return;
    }
    breaker.failures.push(now);
    while (breaker.failures.length > 0 && (breaker.failures[0] ?? now) <= now - this.windowMs) breaker.failures.shift();
    if (breaker.failures.length >= this.failureThreshold) this.#transition(permit.key, breaker, CircuitState.Open, now);
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
    breaker.failures = [];
    breaker.probing = false;
    if (to === CircuitState.Open) breaker.openedAt = at;
    this.#changes.emit({ key, from, to, at });
  }
}

/**
 * Whether an error says the service or the path to it is unhealthy, and so counts towards opening
 * a breaker: `ServiceUnavailable`, `Network`, `Timeout`, `InvalidResponse` with a 5xx status or
 * none (a malformed or cut-off body), and `KmsError` or `Unknown` with a 5xx status. Never 4xx
 * answers (`RepositoryNotFound`, `AccessDenied`, validation), credential errors or caller aborts.
 * `Throttling` does not count either: the service is up and protecting itself, which the rate
 * limiter answers by slowing down; opening on it would turn a rate problem into a minute-long outage.
 */
export function isBreakerFailure(error: EcrError): boolean {
  switch (error.kind) {
    case 'ServiceUnavailable':
    case 'Network':
    case 'Timeout':
      return true;
    case 'InvalidResponse':
      return error.statusCode === undefined || error.statusCode >= 500;
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
