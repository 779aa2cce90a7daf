import { invalidParameter } from '@ecrkit/core-types';
import type { Clock } from '@ecrkit/core-types';

/** Something that expires: a cached authorization token. */
export interface ExpiringValue {
  expiresAt: Date;
}

/** Counters of a {@link TokenCache}. */
export interface TokenCacheStats {
  /** Lookups served from the cache or by joining a fetch already in flight. */
  hits: number;
  /** Lookups that started a fetch. */
  misses: number;
  /** Entries currently held. */
  size: number;
}

/**
 * Authorization tokens per key (registry, region, public or private). A token is served until
 * `refreshBufferSecs` before it expires; concurrent callers for the same key share one fetch
 * (single flight), so a thousand callers cause one GetAuthorizationToken.
 *
 * @example
 * const cache = new TokenCache(clock, 30 * 60);
 * const token = await cache.get('123456789012|us-east-1|private', () => fetchToken());
 */
export class TokenCache<V extends ExpiringValue = ExpiringValue> {
  readonly #clock: Clock;
  readonly #bufferMs: number;
  readonly #entries = new Map<string, V>();
  readonly #inFlight = new Map<string, Promise<V>>();
  #generation = 0;
  #hits = 0;
  #misses = 0;
  readonly #onLookup: ((hit: boolean) => void) | undefined;

  constructor(clock: Clock, refreshBufferSecs: number, onLookup?: (hit: boolean) => void) {
    if (typeof clock !== 'object' || clock === null) throw invalidParameter('clock', 'must be a Clock');
    if (typeof refreshBufferSecs !== 'number' || Number.isNaN(refreshBufferSecs)) throw invalidParameter('refreshBufferSecs', 'must be a number of seconds');
    if (onLookup !== undefined && typeof onLookup !== 'function') throw invalidParameter('onLookup', 'must be a function');
    this.#clock = clock;
    this.#bufferMs = Math.max(0, refreshBufferSecs) * 1000;
    this.#onLookup = onLookup;
  }

  /** The cached value for `key` while fresh, else the result of `fetch` (shared by concurrent callers). */
  get(key: string, fetch: () => Promise<V>): Promise<V> {
    const cached = this.#entries.get(key);
    if (cached && this.#isFresh(cached)) return Promise.resolve(this.#hit(cached));
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#count(true);
      return pending;
    }
    return this.#fetch(key, fetch);
  }

  /** Fetch anew for `key` even when a fresh value is cached; joins a fetch already in flight. */
  refresh(key: string, fetch: () => Promise<V>): Promise<V> {
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#count(true);
      return pending;
    }
    this.#entries.delete(key);
    return this.#fetch(key, fetch);
  }

  /** Drop every cached token (on credential errors, and on `destroy`); fetches in flight are not stored. */
  clear(): void {
    this.#entries.clear();
    this.#inFlight.clear();
    this.#generation++;
  }

  /** Hit and miss counts. */
  stats(): TokenCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }

  #isFresh(value: V): boolean {
    return this.#clock.now() < value.expiresAt.getTime() - this.#bufferMs;
  }

  #hit(value: V): V {
    this.#count(true);
    return value;
  }

  #count(hit: boolean): void {
    if (hit) this.#hits++;
    else this.#misses++;
    this.#onLookup?.(hit);
  }

  #fetch(key: string, fetch: () => Promise<V>): Promise<V> {
    this.#count(false);
    const generation = this.#generation;
    const promise: Promise<V> = Promise.resolve()
      .then(fetch)
      .then(
        (value) => {
          // A clear() while this fetch ran means the credentials behind it are suspect: hand the
          // value to the callers who asked, but do not keep it.
          if (generation === this.#generation) this.#entries.set(key, value);
          if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
          return value;
        },
        (err: unknown) => {
          if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
          throw err;
        },
      );
    this.#inFlight.set(key, promise);
    return promise;
  }
}
